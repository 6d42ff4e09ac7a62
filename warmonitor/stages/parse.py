"""Parse stage: restore capitals on lowercased input, then run spaCy over every sentence.

Lowercased research text loses the capitals that spaCy's tagger, parser and NER lean on. Names the
dictionaries and the gazetteer know are re-capitalized first (offsets unchanged, see
:func:`warmonitor.stages.text.recase`), which keeps the parse of "syrian government forces reached deir
al-zor" close to that of the cased sentence.
"""

from __future__ import annotations

from collections.abc import Sequence

from warmonitor.classify.labels import ALWAYS_KEPT
from warmonitor.gazetteer import NameKind, Place, stands_as_a_name
from warmonitor.geo.recognize import known_without_capitals
from warmonitor.lexicon import MONTHS, NAME_PARTICLES, WEEKDAYS, fold
from warmonitor.model import Analysis, Sentence
from warmonitor.resources import Resources
from warmonitor.stages.base import BatchStage
from warmonitor.stages.text import RAW, dateline_length, recase

_MIN_POPULATION_TO_RECASE = 15_000


_PARTICLES = NAME_PARTICLES
# "march" and "may" are verbs far more often than months: left lowercased.
_CALENDAR = (set(WEEKDAYS) | set(MONTHS)) - {"march", "may"}


def _title(word: str) -> str:
    """Capitalize each part of a hyphenated place word, leaving Arabic-style particles low."""
    parts = word.split("-")
    return "-".join(p if (p in _PARTICLES and i < len(parts) - 1) or (p in _PARTICLES and len(parts) == 1)
                    else p[:1].upper() + p[1:] for i, p in enumerate(parts))


_PLACE_CUES = {"in", "near", "outside", "around", "town", "city", "village", "district", "province", "region"}
_PLACE_PHRASES = {"town of", "city of", "village of", "district of", "province of", "region of", "outskirts of"}


# Words after which a person's name usually follows ("governor ahmed salim hassan").
_TITLES = {"president", "minister", "governor", "commander", "general", "gen.", "spokesman", "spokeswoman",
           "spokesperson", "leader", "chief", "secretary", "ambassador", "envoy", "mayor", "senator", "colonel",
           "col.", "captain", "lieutenant", "sergeant", "king", "prince", "cleric", "imam", "mr.", "mrs.", "ms.",
           "dr.", "premier", "chancellor", "judge", "warlord", "negotiator", "lawmaker", "activist", "prosecutor"}
_NOT_NAMES = {"office", "palace", "administration", "government", "said", "says", "told", "and", "of", "the"}


def _is_common(word: str, common: frozenset[str]) -> bool:
    """A common word, or a regular inflection of one ("accused", "attacks", "shelling")."""
    if word in common:
        return True
    stems = [word[:-1], word[:-2]] if word.endswith(("ed", "es")) else []
    stems += [word[:-1]] if word.endswith("s") else []
    stems += [word[:-3], word[:-3] + "e"] if word.endswith("ing") else []
    return any(stem in common for stem in stems)


def _name_after_title(words: Sequence[str], resources: Resources) -> list[str] | None:
    """Up to three name-like words after a title, capitalized; None if the next word is not one."""
    name: list[str] = []
    for word in words[:3]:
        key = fold(word)
        if (not word.isalpha() or _is_common(key, resources.common_words) or key in _NOT_NAMES
                or key in resources.dictionaries.agents or key in _CALENDAR):
            break
        name.append(word[:1].upper() + word[1:])
    return name or None


def known_name(words: Sequence[str], resources: Resources, previous: str = "") -> list[str] | None:
    """The cased form of the name that the leading ``words`` form, if one is known. After "in",
    "near", "town of" ... smaller places count too: the preposition says a place follows."""
    dictionaries = resources.dictionaries
    common = resources.common_words
    if previous.rsplit(" ", 1)[-1] in _TITLES:
        name = _name_after_title(words, resources)
        if name:
            return name
    for length in range(min(len(words), 5), 0, -1):
        span = list(words[:length])
        last = span[-1]
        if last.endswith("'s"):
            span[-1] = last[:-2]
        key = fold(" ".join(span))
        if not key:
            continue
        keys = key.split()
        if length == 1 and key in _CALENDAR:
            return [words[0][:1].upper() + words[0][1:]]
        actor = dictionaries.actors.get(key)
        if actor is not None and any(ch.isupper() for ch in actor.alias):
            ambiguous = length == 1 and key in common  # "is", "us", "who"
            alias_words = actor.alias.split()
            if not ambiguous and len(alias_words) == length:
                return alias_words
        if length == 1 and key in dictionaries.nationalities and key != "us":
            return [words[0][:1].upper() + words[0][1:]]
        if key not in resources.gazetteer:
            continue
        places = resources.gazetteer.lookup(key)
        if not places:
            continue
        # "japan", "gujarat", "west bank": a country, a region or a big city whose name the lexicon
        # also lists (as a proper noun, or as another word) is still that place
        ordinary = all(k in common for k in keys)
        singular = key.removesuffix("s")
        noun = length == 1 and key in resources.common_nouns and not any(p.feature in {"country", "city"} for p in places)
        if (ordinary or noun) and not _known(key, places, resources):
            continue  # "the center", "reading", "central": places only when a capital says so
        candidates = resources.gazetteer.candidates(key)
        if length == 1 and key in resources.common_nouns and all(c.kind is NameKind.ALTERNATE for c in candidates):
            continue  # "a sports hall": Schwäbisch Hall's other name is no reason to capitalise the noun
        after_cue = previous.rsplit(" ", 1)[-1] in _PLACE_CUES or previous in _PLACE_PHRASES
        if after_cue and not ordinary and not noun and any(
                c.kind is NameKind.NAME and c.place.feature == "city" for c in candidates):
            # "around saravena": after a place cue, a word that is no ordinary word and is a town's
            # own name is that town, whatever its size (the gazetteer may not know its population).
            return [_title(word) if index == 0 or fold(word) not in _PARTICLES else word
                    for index, word in enumerate(words[:length])]
        if length == 1 and singular != key and singular in resources.common_nouns \
                and not any(p.feature in {"country", "city"} or p.population >= 1_000_000 for p in places):
            continue  # "islands": a region so named (Hong Kong's Islands) is no reason to capitalise the noun
        threshold = _MIN_POPULATION_TO_RECASE if length > 1 else 30_000
        if previous.rsplit(" ", 1)[-1] in _PLACE_CUES or previous in _PLACE_PHRASES:
            threshold = 5_000
        # a first-level region counts whatever its population (the gazetteer gives most of them none)
        if places and any(p.feature in {"country", "water", "region", "admin1"} or p.population >= threshold
                          for p in places):
            return [_title(word) if index == 0 or fold(word) not in _PARTICLES else word
                    for index, word in enumerate(words[:length])]
    return None


def _known(key: str, places: tuple[Place, ...], resources: Resources) -> bool:
    """A place whose name is also a word: a listed name ("west bank"), a country ("japan"), or
    what the geoparser knows without capitals (a big region, "gujarat"; a city of half a million)."""
    return stands_as_a_name(places) or (
        " " not in key and known_without_capitals(key, resources.gazetteer.candidates(key), resources.common_words))


def _without_dateline(sentence: Sentence) -> str:
    """Blank a leading "CITY (AGENCY) -" so the parser does not take the city as the subject.
    Spaces keep every offset where it was."""
    if not sentence.is_dateline:
        return sentence.text
    length = dateline_length(sentence.text)
    return " " * length + sentence.text[length:]


VERB_SHARE = 0.2  # below the gate, a sentence with an event verb is parsed from this share of it


def needs_parse(sentence: Sentence, gate: float, resources: Resources) -> bool:
    """Whether a sentence gets the dependency parse. Yes when no classifier ran, when it gives the
    sentence at least ``gate`` chance of reporting an event, or a fifth of that and a dictionary
    event verb stands in it, or an event verb stands with a negation, modal or plan ("rebels will
    attack": not a fact, so the classifier calls it event-free, but the record keeps it with its
    status). The events stage then weighs the verdict against what the rules find. Other
    sentences are only tagged: not parsed, not run through NER."""
    if sentence.verdict is None or sentence.verdict.event_probability >= gate:
        return True
    lexicon = resources.classifier.lexicon
    if not lexicon.names_an_event_verb(sentence.text):
        return False
    if sentence.verdict.event_probability >= gate * VERB_SHARE or sentence.verdict.label in ALWAYS_KEPT:
        return True  # ALWAYS_KEPT: "the Sadar Bazar police arrested a shop assistant for theft" is still an arrest
    return lexicon.states_an_unreal_event(sentence.text)


def run_many(analyses: Sequence[Analysis], resources: Resources) -> None:
    """Parse all sentences of several articles in one spaCy batch (two: with and without the
    dependency parser)."""
    for analysis in analyses:
        if analysis.shape != RAW:
            recase(analysis.sentences, lambda words, previous: known_name(words, resources, previous))
    gate = resources.settings.parse_gate
    sentences = [sentence for analysis in analyses for sentence in analysis.sentences]
    full = [needs_parse(sentence, gate, resources) for sentence in sentences]
    batch_size = resources.settings.batch_size
    parsed = iter(resources.nlp.pipe([_without_dateline(s) for s, f in zip(sentences, full, strict=True) if f],
                                     batch_size=batch_size))
    light = iter(resources.nlp.pipe([_without_dateline(s) for s, f in zip(sentences, full, strict=True) if not f],
                                    batch_size=batch_size, disable=["parser", "ner"]))
    docs = [next(parsed) if f else next(light) for f in full]
    position = 0
    for analysis in analyses:
        analysis.docs = docs[position : position + len(analysis.sentences)]
        position += len(analysis.sentences)


def run(analysis: Analysis, resources: Resources) -> None:
    run_many([analysis], resources)


STAGE = BatchStage("parse", reads=("sentences", "shape", "sentences.verdict"), writes=("docs", "sentences.text"), step=run_many)
