"""Actors stage: named actors, generic agents, capitals and the countries they take, over short
sentences written for these tests (model-backed).

Each case runs twice: as ordinary cased prose and as a research corpus stores it (lowercased,
tokenized, one sentence a line, apostrophes dropped).
"""

from __future__ import annotations

import pytest

from tests.helpers import analyze, both, check_shape, mentions, only_event, spanned
from warmonitor.model import ActorSource, CountrySource
from warmonitor.pipeline import Pipeline


@pytest.mark.parametrize("text", both(
    "Syrian government forces attacked rebels near Homs on Monday.",
    "syrian government forces attacked rebels near homs on monday .\n",
))
def test_nationality_and_agent_give_a_country(pipeline: Pipeline, text: str) -> None:
    analysis = analyze(pipeline, text)
    check_shape(analysis, text)
    (actor,) = mentions(analysis, "Military Forces of Syria")
    assert actor.country == "SYR"
    assert actor.type == "military"
    assert actor.name.lower() == "syrian government forces"
    assert spanned(analysis, actor.span).lower() == "syrian government forces"
    assert actor.found_by is ActorSource.AGENT
    assert actor.country_from is CountrySource.WRITTEN
    assert (actor.country_words or "").lower() == "syrian"
    event = only_event(analysis, "attacked")
    assert event.actor1 is not None and event.actor1.canonical == "Military Forces of Syria"


@pytest.mark.parametrize("text", both(
    "Russia's defence ministry condemned the attack on Monday.",
    "russia s defence ministry condemned the attack on monday .\n",
))
def test_possessive_country_gives_a_country(pipeline: Pipeline, text: str) -> None:
    analysis = analyze(pipeline, text)
    (actor,) = mentions(analysis, "Ministry of Defence of Russia")
    assert actor.country == "RUS"
    assert spanned(analysis, actor.span).lower().startswith("russia")


@pytest.mark.parametrize("text", [
    pytest.param("US-backed forces attacked Islamic State fighters near Raqqa. Syrian officials condemned the attack.",
                 id="US-backed"),
    pytest.param("U.S.-backed forces attacked Islamic State fighters near Raqqa. Syrian officials condemned the "
                 "attack.", id="U.S.-backed"),
    pytest.param("u.s.-backed forces attacked islamic state fighters near raqqa .\nsyrian officials condemned the "
                 "attack .\n", id="lowercase"),
])
def test_backed_forces_are_not_given_the_focus_country(pipeline: Pipeline, text: str) -> None:
    analysis = analyze(pipeline, text)
    assert mentions(analysis, "Government of Syria")  # Syria is the article's main country
    forces = [m.actor for m in analysis.actors if m.actor.name.lower().endswith("forces")]
    assert len(forces) == 1
    assert forces[0].country != "SYR"
    assert "Syria" not in (forces[0].canonical or "")
    assert forces[0].country_from is CountrySource.BACKER


@pytest.mark.parametrize("text", both(
    "ISIL militants attacked a checkpoint near Mosul on Monday.",
    "isil militants attacked a checkpoint near mosul on monday .\n",
))
def test_named_alias_resolves_to_the_canonical_actor(pipeline: Pipeline, text: str) -> None:
    analysis = analyze(pipeline, text)
    (actor,) = mentions(analysis, "Islamic State")
    assert actor.type == "rebel"
    assert actor.country is None  # transnational
    assert spanned(analysis, actor.span).lower().startswith("isil")
    assert actor.found_by is ActorSource.NAMED
    assert actor.entry == "ISIL"  # the dictionary alias that matched
    event = only_event(analysis, "attacked")
    assert event.actor1 is not None and event.actor1.canonical == "Islamic State"


@pytest.mark.parametrize("text", both(
    "Iran accused Washington of arming the rebels.",
    "iran accused washington of arming the rebels .\n",
))
def test_capital_as_object_is_an_actor(pipeline: Pipeline, text: str) -> None:
    analysis = analyze(pipeline, text)
    event = only_event(analysis, "accused")
    assert event.plover_type == "ACCUSE"
    assert event.actor1 is not None and event.actor1.country == "IRN"
    assert event.actor2 is not None
    assert event.actor2.canonical == "Government of the United States"
    assert event.actor2.country == "USA"
    assert spanned(analysis, event.actor2.span).lower() == "washington"
    assert not [m for m in analysis.places if m.location.name.lower() == "washington"]


@pytest.mark.parametrize("text", both(
    "Militants attacked a checkpoint in Damascus on Monday.",
    "militants attacked a checkpoint in damascus on monday .\n",
))
def test_capital_after_in_is_a_place_not_an_actor(pipeline: Pipeline, text: str) -> None:
    analysis = analyze(pipeline, text)
    assert not mentions(analysis, "Government of Syria")
    assert not [m for m in analysis.actors if m.actor.name.lower() == "damascus"]
    (place,) = [m.location for m in analysis.places if m.location.canonical == "Damascus"]
    assert place.country == "SY"
    event = only_event(analysis, "attacked")
    assert event.location is not None and event.location.canonical == "Damascus"


@pytest.mark.parametrize("text", both(
    "Damascus condemned the air strikes on Monday.",
    "damascus condemned the air strikes on monday .\n",
))
def test_capital_as_subject_is_an_actor(pipeline: Pipeline, text: str) -> None:
    analysis = analyze(pipeline, text)
    event = only_event(analysis, "condemned")
    assert event.actor1 is not None and event.actor1.canonical == "Government of Syria"


@pytest.mark.parametrize("text", both(
    "According to local officials, militants killed five villagers in Borno.",
    "according to local officials , militants killed five villagers in borno .\n",
))
def test_agents_either_side_of_a_comma_stay_apart(pipeline: Pipeline, text: str) -> None:
    analysis = analyze(pipeline, text)
    assert not [m.actor.name for m in analysis.actors if "," in m.actor.name]
    assert [m.actor.name.lower() for m in analysis.actors if m.actor.type == "rebel"] == ["militants"]


@pytest.mark.parametrize(("text", "kind", "country", "head"), [
    ("The Kenya National Union of Teachers called a strike in Nairobi.", "ngo", "KEN", "union"),
    ("The Ministry of Water accused the contractors of fraud.", "government", None, "ministry"),
])
def test_an_organisation_no_dictionary_knows_is_an_actor(pipeline: Pipeline, text: str, kind: str,
                                                          country: str | None, head: str) -> None:
    event = analyze(pipeline, text).events[0]
    assert event.actor1 is not None and event.actor1.found_by is ActorSource.ORGANISATION
    assert (event.actor1.type, event.actor1.country, event.actor1.entry) == (kind, country, head)
    # The country is read only where it is written: never guessed for an organisation.
    assert event.actor1.country_from is (CountrySource.WRITTEN if country else CountrySource.NONE)


@pytest.mark.parametrize(("text", "place"), [
    ("The envoy travelled to Tehran with a delegation on Monday.", "Tehran"),
    ("Damascus was shelled from the eastern suburbs overnight.", "Damascus"),
])
def test_a_capital_the_dictionary_lists_as_a_government_is_a_place_where_one_goes_or_what_is_hit(
        pipeline: Pipeline, text: str, place: str) -> None:
    analysis = analyze(pipeline, text)
    assert place in [m.location.name for m in analysis.places]
    assert place not in [m.actor.name for m in analysis.actors]


def test_a_capital_that_accuses_is_still_its_government(pipeline: Pipeline) -> None:
    analysis = analyze(pipeline, "Washington accused Tehran of arming the militia.")
    assert {m.actor.canonical for m in analysis.actors} >= {"Government of the United States", "Government of Iran"}
