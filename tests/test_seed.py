"""End to end on the real Reuters seed article (lowercased, tokenized), read from ../shared."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from spacy.tokens import Doc

from warmonitor.model import Analysis, Article, Event, Sentence, Status
from warmonitor.pipeline import Pipeline
from warmonitor.stages.events import read_status

DEIR_EZ_ZOR = 170794  # GeoNames id of the city


@pytest.fixture(scope="module")
def seed(pipeline: Pipeline, shared_dir: Path) -> Analysis:
    text = (shared_dir / "samples" / "seed-article.txt").read_text(encoding="utf-8")
    return pipeline.analyze(Article(text=text, published=date(2017, 9, 5), origin="seed"))


def _in(event: Event, *words: str) -> bool:
    return all(word in event.sentence.lower() for word in words)


def test_seed_is_read_as_tokenized_lowercase(seed: Analysis) -> None:
    assert seed.shape == "tokenized-lowercase"
    assert len(seed.sentences) == 33
    first = seed.sentences[0]
    assert seed.article.text[first.span.start : first.span.end].startswith("beirut ( reuters )")


def test_government_forces_break_the_siege_of_deir_al_zor(seed: Analysis) -> None:
    siege = [e for e in seed.events if ("siege" in e.sentence.lower() or "besieged" in e.sentence.lower())
             and e.plover_type == "ASSAULT" and e.actor1 is not None and e.actor1.country == "SYR"
             and e.actor1.type == "military"]
    assert siege, "no Syrian military assault lifting the siege"
    located = [e for e in siege if e.location and e.location.geonames_id == DEIR_EZ_ZOR]
    assert located, [e.to_dict()["location"] for e in siege]
    assert any(e.date == date(2017, 9, 5) and e.date_precision == "day" for e in located)
    lead = next(e for e in located if e.sentence_index == 0)
    assert lead.status == "occurred"
    assert lead.actor2 is not None and lead.actor2.canonical == "Islamic State"
    assert lead.attribution == "the army"


def test_russian_warship_strike_is_placed_at_the_target_not_the_sea(seed: Analysis) -> None:
    strike = next(e for e in seed.events if _in(e, "warship") and e.trigger.lower() == "fired")
    assert strike.plover_type == "ASSAULT" and strike.cameo_root == "19"
    assert strike.acled_sub_event_type == "Shelling/artillery/missile attack"
    assert strike.actor1 is not None and strike.actor1.country == "RUS"
    assert strike.actor2 is not None and strike.actor2.canonical == "Islamic State"
    assert strike.location is not None and strike.location.geonames_id == DEIR_EZ_ZOR
    assert strike.location.precision == "near"
    assert strike.attribution is not None and strike.attribution.lower() in {"russia's defense ministry"}
    evidence = {item.field for item in strike.evidence}
    assert {"plover_type", "actor1", "actor2", "location", "attribution", "date"} <= evidence


def test_assad_congratulates_the_troops(seed: Analysis) -> None:
    praise = next(e for e in seed.events if _in(e, "congratulated"))
    assert praise.plover_type == "SUPPORT"
    assert praise.actor1 is not None and praise.actor1.canonical == "Bashar al-Assad"
    assert praise.actor1.country == "SYR"
    assert praise.actor2 is not None and praise.actor2.country == "SYR"


def test_militias_accuse_washington_on_sunday(seed: Analysis) -> None:
    accusation = next(e for e in seed.events if e.plover_type == "ACCUSE")
    assert accusation.actor2 is not None and accusation.actor2.country == "USA"
    assert accusation.actor1 is not None and accusation.actor1.type == "militia"
    assert accusation.date == date(2017, 9, 3) and accusation.date_precision == "day"
    assert accusation.location is None or accusation.location.canonical != "Washington"


def test_no_event_is_located_at_the_dateline(seed: Analysis) -> None:
    assert all(e.location is None or e.location.canonical != "Beirut" for e in seed.events)
    assert all(m.location.canonical != "Beirut" for m in seed.places)


def _read(seed: Analysis, words: str, pipeline: Pipeline) -> tuple[Sentence, Doc]:
    """The seed's sentence holding ``words``, and its full parse (the classifier may have let the
    pipeline skip parsing it: here the status step is judged on its own)."""
    found = [(s, d) for s, d in zip(seed.sentences, seed.docs, strict=True) if words in s.text.lower()]
    assert len(found) == 1, f"sentence with {words!r} not read as one sentence"
    sentence, doc = found[0]
    return sentence, doc if doc.has_annotation("DEP") else pipeline.resources.nlp(sentence.text)


def test_forecast_is_judged_planned_not_occurred(seed: Analysis, pipeline: Pipeline) -> None:
    sentence, doc = _read(seed, "coming days", pipeline)
    verb = next(token for token in doc if token.lower_ == "see")
    status, words = read_status(verb, sentence, pipeline.resources.dictionaries.cues)
    assert (status, words) == (Status.PLANNED, "will")
    assert all(e.status != Status.OCCURRED for e in seed.events if e.sentence_index == sentence.index)


def test_not_seeking_war_is_judged_negated_and_no_threat(seed: Analysis, pipeline: Pipeline) -> None:
    sentence, doc = _read(seed, "not seeking war", pipeline)
    verb = next(token for token in doc if token.lower_ == "seeking")
    status, words = read_status(verb, sentence, pipeline.resources.dictionaries.cues)
    assert (status, words) == (Status.NEGATED, "not")
    in_sentence = [e for e in seed.events if e.sentence_index == sentence.index]
    assert all(e.plover_type not in {"THREATEN", "ASSAULT"} or e.status == Status.NEGATED for e in in_sentence)


def test_every_coded_field_points_back_into_the_article(seed: Analysis) -> None:
    text = seed.article.text
    for event in seed.events:
        assert text[event.span.start : event.span.end].strip()
        assert text[event.trigger_span.start : event.trigger_span.end].lower() == event.trigger.lower()
        for actor in (event.actor1, event.actor2):
            if actor is not None:
                written = text[actor.span.start : actor.span.end].lower().replace(" ", "")
                assert written.replace("'", "") == actor.name.lower().replace(" ", "").replace("'", ""), actor
        if event.location is not None and not event.location.fallback:
            written = text[event.location.span.start : event.location.span.end].lower()
            assert written.replace(" ", "") == event.location.name.lower().replace(" ", "")


def test_the_army_advances_with_the_help_of_russian_air_strikes(seed: Analysis) -> None:
    advance = [e for e in seed.events if _in(e, "with the help of", "air strikes") and e.plover_type == "ASSAULT"]
    assert advance, "no assault in the 'with the help of ... russian air strikes' sentence"
    event = advance[0]
    assert event.actor1 is not None and event.actor1.country == "SYR" and event.actor1.type == "military"
    assert any(helper.country == "RUS" for helper in event.actor1_associates)
    assert event.status == Status.OCCURRED
    assert any(item.field == "actor1_associates" for item in event.evidence)


def test_islamic_state_driven_out_of_mosul_earlier_this_year(seed: Analysis) -> None:
    driven = [e for e in seed.events if _in(e, "driven out", "mosul")]
    assert driven, "no event for the jihadists driven out of Mosul"
    event = driven[0]
    assert event.date == date(2017, 1, 1) and event.date_precision == "year"
    assert event.location is not None and event.location.canonical == "Mosul"
    assert event.actor2 is not None and "jihadist" in event.actor2.name.lower()
