"""Model-backed unit tests per stage, over short sentences written for these tests.

Each case runs twice: as ordinary cased prose and as a research corpus stores it (lowercased,
tokenized, one sentence a line, apostrophes dropped).
"""

from __future__ import annotations

import pytest

from tests.helpers import analyze
from warmonitor.model import Actor, Analysis, Article, Event, Location, Span
from warmonitor.pipeline import Pipeline
from warmonitor.stages import dedup


def both(cased: str, lowered: str) -> list:
    """The same article in the two shapes warmonitor reads."""
    return [pytest.param(cased, id="cased"), pytest.param(lowered, id="lowercase")]


def check_shape(analysis: Analysis, text: str) -> None:
    expected = "raw" if any(ch.isupper() for ch in text) else "tokenized-lowercase"
    assert analysis.shape == expected


def spanned(analysis: Analysis, span: Span) -> str:
    return analysis.article.text[span.start : span.end]


def mentions(analysis: Analysis, canonical: str) -> list[Actor]:
    return [m.actor for m in analysis.actors if m.actor.canonical == canonical]


def only_event(analysis: Analysis, trigger: str) -> Event:
    found = [e for e in analysis.events if e.trigger.lower() == trigger]
    assert len(found) == 1, [(e.trigger, e.plover_type) for e in analysis.events]
    return found[0]


# --- actors --------------------------------------------------------------------------------------------

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
    assert actor.rule and "Syrian" in actor.rule
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


def test_backed_forces_do_not_take_the_event_place_country(pipeline: Pipeline) -> None:
    analysis = analyze(pipeline, "US-backed forces attacked Islamic State fighters near Raqqa.")
    event = only_event(analysis, "attacked")
    assert event.location is not None and event.location.country == "SY"
    assert event.actor1 is not None
    assert event.actor1.country != "SYR"


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
    assert actor.rule and "ISIL" in actor.rule
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


# --- events --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("cased", "status"),
    [
        ("The army did not attack the village.", "negated"),
        ("The army never attacked the village.", "negated"),
        ("Rebels will attack the city next week.", "planned"),
        ("Rebels could attack the city.", "hypothetical"),
        ("Government forces are still shelling the town.", "ongoing"),
        ("Government forces shelled the town.", "occurred"),
    ],
)
@pytest.mark.parametrize("shape", ["cased", "lowercase"])
def test_event_status(pipeline: Pipeline, cased: str, status: str, shape: str) -> None:
    from warmonitor.stages.text import to_research_shape

    text = cased if shape == "cased" else to_research_shape(cased)[0] + "\n"
    analysis = analyze(pipeline, text)
    check_shape(analysis, text)
    (event,) = analysis.events
    assert event.plover_type == "ASSAULT"
    assert event.status == status
    assert any(item.field == "status" and item.rule == f"status {status}" for item in event.evidence)
    if status == "planned":
        assert event.date is None


@pytest.mark.parametrize("text", both(
    "The convoy was attacked by the Taliban near Kunduz.",
    "the convoy was attacked by the taliban near kunduz .\n",
))
def test_passive_agent_is_actor1(pipeline: Pipeline, text: str) -> None:
    analysis = analyze(pipeline, text)
    event = only_event(analysis, "attacked")
    assert event.actor1 is not None and event.actor1.canonical == "Taliban"
    assert event.actor2 is None or event.actor2.canonical != "Taliban"


@pytest.mark.parametrize("text", both(
    "A police station in Kano was attacked by militants.",
    "a police station in kano was attacked by militants .\n",
))
def test_passive_subject_is_actor2(pipeline: Pipeline, text: str) -> None:
    analysis = analyze(pipeline, text)
    event = only_event(analysis, "attacked")
    assert event.actor1 is not None and event.actor1.type == "rebel"
    assert spanned(analysis, event.actor1.span).lower() == "militants"
    assert event.actor2 is not None and event.actor2.type == "police"


@pytest.mark.parametrize("text", both(
    "Militants attacked a police station in Kano, the army said.",
    "militants attacked a police station in kano , the army said .\n",
))
def test_attribution_from_a_reporting_verb(pipeline: Pipeline, text: str) -> None:
    analysis = analyze(pipeline, text)
    event = only_event(analysis, "attacked")
    assert event.attribution is not None and event.attribution.lower() == "the army"
    assert event.attribution_span is not None
    assert spanned(analysis, event.attribution_span).lower() == "the army"
    # The reporting verb is not an event, and the reporter is not a party to the attack.
    assert [e.trigger for e in analysis.events] == [event.trigger]
    assert event.actor1 is not None and event.actor1.type == "rebel"


@pytest.mark.parametrize("text", both(
    "According to witnesses, gunmen attacked a bus near Kano.",
    "according to witnesses , gunmen attacked a bus near kano .\n",
))
def test_attribution_according_to(pipeline: Pipeline, text: str) -> None:
    event = only_event(analyze(pipeline, text), "attacked")
    assert event.attribution is not None and event.attribution.lower() == "witnesses"


@pytest.mark.parametrize("text", both(
    "Militants stormed a market in Maiduguri on Monday, killing at least 12 civilians.",
    "militants stormed a market in maiduguri on monday , killing at least 12 civilians .\n",
))
def test_fatalities_from_killing_at_least(pipeline: Pipeline, text: str) -> None:
    analysis = analyze(pipeline, text)
    assaults = [e for e in analysis.events if e.plover_type == "ASSAULT"]
    assert assaults
    assert all(e.fatalities == 12 for e in assaults)
    evidence = [item for e in assaults for item in e.evidence if item.field == "fatalities"]
    assert evidence and all("at least 12" in item.text for item in evidence)


@pytest.mark.parametrize(
    ("sentence", "toll"),
    [
        ("Militants stormed a market, killing at least 12 civilians.", 12),
        ("Five soldiers were killed when militants ambushed their convoy.", 5),
        ("Gunmen attacked the village, leaving 1,200 dead.", 1200),
        ("Gunmen attacked the village, killing dozens of people.", 24),
        ("Gunmen attacked the village.", None),
    ],
)
def test_fatalities_patterns(sentence: str, toll: int | None) -> None:
    from warmonitor.stages.events import fatalities

    found = fatalities(sentence)
    assert (found[0] if found else None) == toll


def test_statement_without_violence_has_no_toll(pipeline: Pipeline) -> None:
    analysis = analyze(pipeline, "Iran accused Washington of arming the rebels who killed 12 soldiers.")
    accusation = only_event(analysis, "accused")
    assert accusation.fatalities is None


# --- places --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", both(
    "KABUL (Reuters) - Gunmen attacked a police checkpoint on Monday.",
    "kabul ( reuters ) - gunmen attacked a police checkpoint on monday .\n",
))
def test_dateline_is_not_an_event_location(pipeline: Pipeline, text: str) -> None:
    analysis = analyze(pipeline, text)
    assert analysis.sentences[0].is_dateline
    assert not [m for m in analysis.places if m.location.canonical == "Kabul"]
    assert not [m for m in analysis.actors if m.actor.name.lower() in {"kabul", "reuters"}]
    event = only_event(analysis, "attacked")
    assert event.location is None or event.location.canonical != "Kabul"


@pytest.mark.parametrize("text", both(
    "KABUL (Reuters) - Gunmen attacked a police checkpoint in Kunduz on Monday.",
    "kabul ( reuters ) - gunmen attacked a police checkpoint in kunduz on monday .\n",
))
def test_dateline_beside_a_place_in_the_clause(pipeline: Pipeline, text: str) -> None:
    event = only_event(analyze(pipeline, text), "attacked")
    assert event.location is not None
    assert event.location.canonical == "Kunduz"
    assert event.location.country == "AF"
    assert event.location.precision == "exact"


@pytest.mark.parametrize("text", both(
    "A Russian warship in the Black Sea fired missiles at positions near Odesa, Ukraine's military said.",
    "a russian warship in the black sea fired missiles at positions near odesa , ukraine s military said .\n",
))
def test_launch_point_is_not_the_event_location(pipeline: Pipeline, text: str) -> None:
    analysis = analyze(pipeline, text)
    event = only_event(analysis, "fired")
    assert event.plover_type == "ASSAULT"
    assert event.actor1 is not None and event.actor1.country == "RUS"
    assert event.location is not None
    assert event.location.canonical == "Odesa"
    assert event.location.country == "UA"
    assert event.location.precision == "near"
    assert spanned(analysis, event.location.span).lower() == "odesa"
    assert event.attribution is not None and "military" in event.attribution.lower()
    assert any(m.location.canonical == "Black Sea" for m in analysis.places)  # found, just not the event's place


@pytest.mark.parametrize(
    ("text", "country"),
    [
        pytest.param("Rebels shelled Tripoli on Monday, Libyan officials said.", "LY", id="libya-cased"),
        pytest.param("rebels shelled tripoli on monday , libyan officials said .\n", "LY", id="libya-lowercase"),
        pytest.param("Rebels shelled Tripoli on Monday, Lebanese officials said.", "LB", id="lebanon-cased"),
        pytest.param("rebels shelled tripoli on monday , lebanese officials said .\n", "LB", id="lebanon-lowercase"),
    ],
)
def test_tripoli_is_disambiguated_by_the_article_country(pipeline: Pipeline, text: str, country: str) -> None:
    analysis = analyze(pipeline, text)
    (place,) = [m.location for m in analysis.places if m.location.canonical == "Tripoli"]
    assert place.country == country
    event = only_event(analysis, "shelled")
    assert event.location is not None
    assert (event.location.canonical, event.location.country) == ("Tripoli", country)
    assert event.location.rule and "candidate" in event.location.rule


# --- dedup ---------------------------------------------------------------------------------------------

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
    "Al-Shabaab claimed the bombing in Mogadishu. The group is being pushed out of Jilib by Somali troops.",
    "al-shabaab claimed the bombing in mogadishu .\nthe group is being pushed out of jilib by somali troops .\n",
))
def test_the_group_refers_back_to_the_named_organisation(pipeline: Pipeline, text: str) -> None:
    analysis = analyze(pipeline, text)
    pushed = only_event(analysis, "pushed")
    assert pushed.status == "ongoing"
    assert pushed.actor1 is not None and pushed.actor1.country == "SOM" and pushed.actor1.type == "military"
    assert pushed.actor2 is not None and pushed.actor2.canonical == "Al-Shabaab"


@pytest.mark.parametrize("text", both(
    "Kenyan police fired tear gas at protesters in Nairobi on Tuesday.",
    "kenyan police fired tear gas at protesters in nairobi on tuesday .\n",
))
def test_tear_gas_is_repression_not_shelling(pipeline: Pipeline, text: str) -> None:
    event = only_event(analyze(pipeline, text), "fired")
    assert (event.plover_type, event.acled_sub_event_type) == ("COERCE", "Protest with intervention")
    assert event.actor1 is not None and event.actor1.type == "police" and event.actor1.country == "KEN"
    assert event.actor2 is not None and event.actor2.type == "protesters"


@pytest.mark.parametrize("text", both(
    "Residents said a mob burned a police station in the town of Kisumu.",
    "residents said a mob burned a police station in the town of kisumu .\n",
))
def test_violence_by_a_crowd_is_a_riot(pipeline: Pipeline, text: str) -> None:
    event = only_event(analyze(pipeline, text), "burned")
    assert event.acled_event_type == "Riots"
    assert event.location is not None and event.location.canonical == "Kisumu"
    assert event.attribution == "Residents" or (event.attribution or "").lower() == "residents"


@pytest.mark.parametrize(("sentence", "toll"), [
    ("By 9 March 2021, three farmers were killed as a roadside bomb went off.", 3),
    ("Late on 12 May 2023, one guard died while two others were hurt.", 1),
    ("The gunman was shot and killed by police.", 1),
    ("The blast left 2 dead.", 2),
    ("Troops entered the town in 2021.", None),
])
def test_years_are_never_tolls(sentence: str, toll: int | None) -> None:
    from warmonitor.stages.events import fatalities

    found = fatalities(sentence)
    assert (found[0] if found else None) == toll


@pytest.mark.parametrize("text", both(
    "Saudi-led coalition jets struck a market in Saada on Monday. Seven people were killed.",
    "saudi-led coalition jets struck a market in saada on monday .\nseven people were killed .\n",
))
def test_a_toll_in_the_next_sentence_belongs_to_the_attack(pipeline: Pipeline, text: str) -> None:
    analysis = analyze(pipeline, text)
    strike = only_event(analysis, "struck")
    assert strike.fatalities == 7
    assert not [e for e in analysis.events if e.trigger.lower() == "killed"]


@pytest.mark.parametrize("text", both(
    "Kenyan police blocked the march in Nairobi. Over 50 protesters were arrested on Tuesday.",
    "kenyan police blocked the march in nairobi .\nover 50 protesters were arrested on tuesday .\n",
))
def test_an_arrest_with_no_arrester_is_by_the_police(pipeline: Pipeline, text: str) -> None:
    arrest = only_event(analyze(pipeline, text), "arrested")
    assert arrest.acled_sub_event_type == "Arrests"
    assert arrest.actor1 is not None and arrest.actor1.type == "police" and arrest.actor1.country == "KEN"
    assert any("implied" in item.rule for item in arrest.evidence if item.field == "actor1")


@pytest.mark.parametrize("text", both(
    "In Ahmedabad, three people died in police firing on Friday.",
    "in ahmedabad , three people died in police firing on friday .\n",
))
def test_an_event_noun_after_a_casualty_verb(pipeline: Pipeline, text: str) -> None:
    firing = only_event(analyze(pipeline, text), "firing")
    assert firing.plover_type == "ASSAULT"
    assert firing.actor1 is not None and firing.actor1.type == "police"
    assert firing.fatalities == 3
