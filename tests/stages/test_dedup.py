"""Dedup stage: one event reported twice in an article is kept once; a casualty report with no
attacker gives its toll to the attack beside it."""

from __future__ import annotations

import pytest

from tests.helpers import analyze, both, only_event
from warmonitor.model import Actor, Analysis, Article, Event, Location, Span
from warmonitor.pipeline import Pipeline
from warmonitor.stages import dedup


@pytest.mark.parametrize("text", both(
    "Syrian troops shelled rebel positions in Idlib on Monday. "
    "A monitoring group said Syrian troops shelled rebel positions in Idlib on Monday.",
    "syrian troops shelled rebel positions in idlib on monday .\n"
    "a monitoring group said syrian troops shelled rebel positions in idlib on monday .\n",
))
def test_same_event_twice_is_kept_once_with_corroboration(pipeline: Pipeline, text: str) -> None:
    analysis = analyze(pipeline, text)
    shellings = [e for e in analysis.events if e.trigger.lower() == "shelled"]
    assert len(shellings) == 1
    (event,) = shellings
    assert event.actor1 is not None and event.actor1.canonical == "Military Forces of Syria"
    assert event.location is not None and event.location.canonical == "Idlib"
    corroboration = [item for item in event.evidence if item.field == "corroboration"]
    assert len(corroboration) == 1
    other = 1 - event.sentence_index
    assert corroboration[0].span == analysis.sentences[other].span
    assert f"sentence {other + 1}" in corroboration[0].rule


def _hand_event(index: int, trigger_start: int, actor1: Actor | None, location: Location | None) -> Event:
    return Event("a1", index, f"sentence {index}", Span(index * 100, index * 100 + 50), "shelled",
                 Span(trigger_start, trigger_start + 7), "ASSAULT", "19", actor1=actor1, location=location,
                 confidence=0.5)


def test_dedup_keeps_events_it_cannot_identify() -> None:
    analysis = Analysis(Article(text="x"))
    analysis.events = [_hand_event(0, 10, None, None), _hand_event(1, 110, None, None)]
    dedup.run(analysis)
    assert len(analysis.events) == 2


def test_dedup_keeps_the_better_attested_mention() -> None:
    army = Actor("troops", "Military Forces of Syria", "SYR", "military", Span(0, 6))
    idlib = Location("Idlib", "Idlib", 169389, 35.93, 36.63, "SY", "Idlib", "exact", Span(20, 25))
    first = _hand_event(0, 10, army, idlib)
    second = _hand_event(1, 110, army, idlib)
    second.attribution = "a monitoring group"
    analysis = Analysis(Article(text="x"))
    analysis.events = [first, second]
    dedup.run(analysis)
    assert analysis.events == [second]
    assert second.confidence > 0.5
    (item,) = [e for e in second.evidence if e.field == "corroboration"]
    assert item.span == first.span


@pytest.mark.parametrize("text", both(
    "Saudi-led coalition jets struck a market in Saada on Monday. Seven people were killed.",
    "saudi-led coalition jets struck a market in saada on monday .\nseven people were killed .\n",
))
def test_a_toll_in_the_next_sentence_belongs_to_the_attack(pipeline: Pipeline, text: str) -> None:
    analysis = analyze(pipeline, text)
    strike = only_event(analysis, "struck")
    assert strike.fatalities == 7
    assert not [e for e in analysis.events if e.trigger.lower() == "killed"]


def test_a_guessed_place_does_not_identify_an_event() -> None:
    """Two mentions placed only at the article's main place may be two events: both are kept."""
    army = Actor("troops", "Military Forces of Syria", "SYR", "military", Span(0, 6))
    idlib = Location("Idlib", "Idlib", 169389, 35.93, 36.63, "SY", "Idlib", "exact", Span(20, 25), fallback=True)
    analysis = Analysis(Article(text="x"))
    analysis.events = [_hand_event(0, 10, army, idlib), _hand_event(1, 110, army, idlib)]
    assert dedup.identity(analysis.events[0]) is None
    dedup.run(analysis)
    assert len(analysis.events) == 2
    assert not [item for event in analysis.events for item in event.evidence if item.field == "corroboration"]


def test_a_toll_that_brings_in_its_own_cause_is_not_folded_into_the_act_before(pipeline: Pipeline) -> None:
    analysis = analyze(pipeline, "Troops fought rebels near Borongan on Thursday. The fighting came a day after six "
                                 "people, including a soldier, were killed in a gunbattle with the same group in the "
                                 "hills of Northern Samar.")
    assert only_event(analysis, "fought").fatalities is None
    assert only_event(analysis, "killed").sentence_index == 1
