"""Events stage: triggers, typing, roles, status, attribution and tolls.

The first part runs the whole pipeline over short sentences written for these tests (each twice:
as cased prose and as a research corpus stores it, lowercased and tokenized). The second part
calls the stage's steps on hand-built parses, so it needs no trained spaCy model.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from spacy.lang.en import English
from spacy.tokens import Doc, Token

from tests.helpers import analyze, both, check_shape, only_event, spanned
from warmonitor.dictionaries import BUILTIN, Cues, Dictionaries
from warmonitor.model import ActorSource, CountrySource, Sentence, Status, Verdict
from warmonitor.pipeline import Pipeline
from warmonitor.stages.events import (
    EventTyping,
    Roles,
    _object,
    _subject,
    candidate,
    fatalities,
    judged_event_free,
    read_status,
    type_by_dictionary,
)
from warmonitor.stages.text import segment

# --- status --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("cased", "status"),
    [
        ("The army did not attack the village.", "negated"),
        ("The army never attacked the village.", "negated"),
        ("Rebels will attack the city next week.", "planned"),
        ("The rebels have decided to attack the city.", "planned"),
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
    assert event.status is Status(status)
    assert any(item.field == "status" and item.rule == f"status {status}" for item in event.evidence)
    if status == "planned":
        assert event.date is None


# --- roles ---------------------------------------------------------------------------------------------

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
    "Kenyan police raided an opposition office in Nairobi. Over 50 party members were arrested on Tuesday.",
    "kenyan police raided an opposition office in nairobi .\nover 50 party members were arrested on tuesday .\n",
))
def test_an_arrest_with_no_arrester_is_by_the_police(pipeline: Pipeline, text: str) -> None:
    arrest = only_event(analyze(pipeline, text), "arrested")
    assert arrest.acled_sub_event_type == "Arrests"
    assert arrest.actor1 is not None and arrest.actor1.type == "police" and arrest.actor1.country == "KEN"
    assert arrest.actor1.found_by is ActorSource.IMPLIED
    assert arrest.actor1.country_from is CountrySource.ARTICLE
    assert any(item.field == "actor1" for item in arrest.evidence)


@pytest.mark.parametrize("text", both(
    "Stones rained on the station and the police were forced to lathicharge the crowd.",
    "stones rained on the station and the police were forced to lathicharge the crowd .\n",
))
def test_who_was_forced_to_act_is_the_actor(pipeline: Pipeline, text: str) -> None:
    event = only_event(analyze(pipeline, text), "lathicharge")
    assert event.actor1 is not None and event.actor1.type == "police"
    assert event.status == "occurred"


@pytest.mark.parametrize("text", both(
    "The district magistrate ordered the police to arrest the organisers of the march.",
    "the district magistrate ordered the police to arrest the organisers of the march .\n",
))
def test_an_act_ordered_of_someone_is_theirs_and_not_yet_done(pipeline: Pipeline, text: str) -> None:
    event = only_event(analyze(pipeline, text), "arrest")
    assert event.actor1 is not None and event.actor1.type == "police"
    assert event.status == "planned"


@pytest.mark.parametrize("text", both(
    "Party workers and the police clashed outside the collectorate in Bhilwara on Monday.",
    "party workers and the police clashed outside the collectorate in bhilwara on monday .\n",
))
def test_the_second_of_two_sides_that_clashed_is_actor2(pipeline: Pipeline, text: str) -> None:
    event = only_event(analyze(pipeline, text), "clashed")
    assert event.actor1 is not None and event.actor1.type != "police"
    assert event.actor2 is not None and event.actor2.type == "police"


@pytest.mark.parametrize("text", both(
    "No arrest was made after the march on the district office.",
    "nobody was arrested after the march on the district office .\n",
))
def test_a_subject_that_says_none_negates_its_clause(pipeline: Pipeline, text: str) -> None:
    (event,) = [e for e in analyze(pipeline, text).events if e.plover_type == "COERCE"]
    assert event.status == "negated"


@pytest.mark.parametrize("text", both(
    "The opposition demanded that the youth wing of the ruling party be banned.",
    "the opposition demanded that the youth wing of the ruling party be banned .\n",
))
def test_a_ban_demanded_is_the_governments_and_not_yet_done(pipeline: Pipeline, text: str) -> None:
    ban = only_event(analyze(pipeline, text), "banned")
    assert ban.status == "planned"
    assert ban.actor1 is None or ban.actor1.type == "government"


@pytest.mark.parametrize("text", both(
    "Rights groups say 3,000 villagers have been killed in the region since the 2019 uprising.",
    "rights groups say 3,000 villagers have been killed in the region since the 2019 uprising .\n",
))
def test_a_tally_since_a_year_is_no_event(pipeline: Pipeline, text: str) -> None:
    assert not [e for e in analyze(pipeline, text).events if e.plover_type == "ASSAULT"]


@pytest.mark.parametrize("text", both(
    "Jihadists have besieged Djibo since 2022, residents said.",
    "jihadists have besieged djibo since 2022 , residents said .\n",
))
def test_a_siege_since_a_year_is_still_one_event(pipeline: Pipeline, text: str) -> None:
    assert only_event(analyze(pipeline, text), "besieged").status in {"occurred", "ongoing"}


@pytest.mark.parametrize("text", both(
    "Curfew has been clamped on four wards of Bhopal since Sunday evening.",
    "curfew has been clamped on four wards of bhopal since sunday evening .\n",
))
def test_a_curfew_clamped_with_no_agent_is_the_administrations(pipeline: Pipeline, text: str) -> None:
    curfew = only_event(analyze(pipeline, text), "clamped")
    assert curfew.plover_type == "COERCE"
    assert curfew.actor1 is not None and curfew.actor1.type == "government"
    assert curfew.actor1.found_by is ActorSource.IMPLIED


@pytest.mark.parametrize("text", both(
    "Two youths were killed in police firing at Bhagalpur on Monday.",
    "two youths were killed in police firing at bhagalpur on monday .\n",
))
def test_a_toll_of_police_firing_is_the_polices(pipeline: Pipeline, text: str) -> None:
    events = analyze(pipeline, text).events
    assert any(e.plover_type == "ASSAULT" and e.actor1 is not None and e.actor1.type == "police"
               and e.fatalities == 2 for e in events)


@pytest.mark.parametrize("text", both(
    "A youth was killed in firing by the police in Baroda on Friday.",
    "a youth was killed in firing by the police in baroda on friday .\n",
))
def test_the_agent_of_the_act_behind_a_toll_is_the_killer(pipeline: Pipeline, text: str) -> None:
    killing = only_event(analyze(pipeline, text), "killed")
    assert killing.actor1 is not None and killing.actor1.type == "police"
    assert killing.actor2 is not None and killing.actor2.name.lower() == "youth"


@pytest.mark.parametrize("text", both(
    "Four farmers were killed in a government air strike on Kutum on Sunday.",
    "four farmers were killed in a government air strike on kutum on sunday .\n",
))
def test_the_victims_of_a_toll_are_the_target_of_the_attack_it_came_from(pipeline: Pipeline, text: str) -> None:
    strike = only_event(analyze(pipeline, text), "strike")
    assert strike.fatalities == 4
    assert strike.actor2 is not None and strike.actor2.name.lower() == "farmers"
    assert any(e.field == "actor2" and e.text.lower() == "farmers" for e in strike.evidence)


@pytest.mark.parametrize("text", both(
    "Four farmers died in the shelling of Kutum on Sunday.",
    "four farmers died in the shelling of kutum on sunday .\n",
))
def test_who_died_in_an_attack_is_its_victim_not_its_agent(pipeline: Pipeline, text: str) -> None:
    shelling = only_event(analyze(pipeline, text), "shelling")
    assert shelling.fatalities == 4
    assert shelling.actor1 is None or shelling.actor1.name.lower() != "farmers"
    assert shelling.actor2 is not None and shelling.actor2.name.lower() == "farmers"


@pytest.mark.parametrize("text", both(
    "A flag march by army troops was held in Surat on Friday.",
    "a flag march by army troops was held in surat on friday .\n",
))
def test_the_by_phrase_of_an_event_noun_is_who_acted(pipeline: Pipeline, text: str) -> None:
    march = only_event(analyze(pipeline, text), "march")
    assert march.plover_type == "MOBILIZE"
    assert march.actor1 is not None and march.actor1.type == "military"


@pytest.mark.parametrize("text", both(
    "A sit-in was staged by nurses outside the health ministry in Nairobi on Monday.",
    "a sit-in was staged by nurses outside the health ministry in nairobi on monday .\n",
))
def test_an_event_noun_as_passive_subject_of_a_light_verb_is_an_event(pipeline: Pipeline, text: str) -> None:
    sit_in = next(e for e in analyze(pipeline, text).events if e.plover_type == "PROTEST")
    assert sit_in.actor1 is not None and sit_in.actor1.name.lower() == "nurses"


@pytest.mark.parametrize("text", both(
    "Police protection was provided to the returning pilgrims at Vadodara station on Tuesday.",
    "police protection was provided to the returning pilgrims at vadodara station on tuesday .\n",
))
def test_the_force_modifying_the_protection_given_is_its_giver(pipeline: Pipeline, text: str) -> None:
    provided = only_event(analyze(pipeline, text), "provided")
    assert provided.plover_type == "AID"
    assert provided.actor1 is not None and provided.actor1.type == "police"
    assert provided.actor2 is None or provided.actor2.type != "police"


@pytest.mark.parametrize("text", both(
    "The World Food Programme provided food aid to refugees in Maban on Monday.",
    "the world food programme provided food aid to refugees in maban on monday .\n",
))
def test_the_recipient_of_aid_is_actor2(pipeline: Pipeline, text: str) -> None:
    provided = only_event(analyze(pipeline, text), "provided")
    assert provided.actor2 is not None and provided.actor2.name.lower() == "refugees"


@pytest.mark.parametrize("text", both(
    "Security has been tightened around the temple in Varanasi after the clashes.",
    "security has been tightened around the temple in varanasi after the clashes .\n",
))
def test_security_tightened_with_no_agent_is_the_polices_deployment(pipeline: Pipeline, text: str) -> None:
    tightened = only_event(analyze(pipeline, text), "tightened")
    assert tightened.plover_type == "MOBILIZE"
    assert tightened.actor1 is not None and tightened.actor1.type == "police"


@pytest.mark.parametrize("text", both(
    "The Kalupur police, which arrested 14 youths on Monday, said the search would go on.",
    "the kalupur police , which arrested 14 youths on monday , said the search would go on .\n",
))
def test_a_relative_pronoun_stands_for_the_noun_it_follows(pipeline: Pipeline, text: str) -> None:
    arrest = only_event(analyze(pipeline, text), "arrested")
    assert arrest.actor1 is not None and arrest.actor1.type == "police"
    assert arrest.actor1.found_by is not ActorSource.IMPLIED


@pytest.mark.parametrize("text", both(
    "The Jaipur police resorted to firing after stone-throwers attacked a patrol van.",
    "the jaipur police resorted to firing after stone-throwers attacked a patrol van .\n",
))
def test_an_act_under_a_preposition_borrows_the_verbs_subject(pipeline: Pipeline, text: str) -> None:
    firing = only_event(analyze(pipeline, text), "firing")
    assert firing.actor1 is not None and firing.actor1.type == "police"


@pytest.mark.parametrize("text", both(
    "Officials in Indore said the district police were likely to impose a night curfew across three more wards.",
    "officials in indore said the district police were likely to impose a night curfew across three more wards .\n",
))
def test_likely_to_is_not_a_fact_and_keeps_its_subject(pipeline: Pipeline, text: str) -> None:
    curfew = only_event(analyze(pipeline, text), "impose")
    assert curfew.status is Status.HYPOTHETICAL
    assert curfew.actor1 is not None and curfew.actor1.type == "police"


@pytest.mark.parametrize("text", both(
    "The Sadar Bazar police arrested a shop assistant on Friday for stealing jewellery from his employer.",
    "the sadar bazar police arrested a shop assistant on friday for stealing jewellery from his employer .\n",
))
def test_an_arrest_for_an_ordinary_crime_is_still_coded(pipeline: Pipeline, text: str) -> None:
    arrest = only_event(analyze(pipeline, text), "arrested")
    assert arrest.acled_sub_event_type == "Arrests"
    assert arrest.actor1 is not None and arrest.actor1.type == "police"


@pytest.mark.parametrize(("text", "trigger"), [
    ("Eleven preventive arrests were made in Surat on Sunday.", "made"),
    ("eleven preventive arrests were made in surat on sunday .\n", "made"),
    ("Residents welcomed the arrests made by the Surat police on Sunday.", "made"),
    ("residents welcomed the arrests made by the surat police on sunday .\n", "made"),
])
def test_arrests_made_are_arrests(pipeline: Pipeline, text: str, trigger: str) -> None:
    arrest = only_event(analyze(pipeline, text), trigger)
    assert arrest.acled_sub_event_type == "Arrests"
    assert arrest.actor1 is not None and arrest.actor1.type == "police"


@pytest.mark.parametrize("text", both(
    "The two bank robberies in Jodhpur are now investigated by the CID, a spokesman said.",
    "the two bank robberies in jodhpur are now investigated by the cid , a spokesman said .\n",
))
def test_an_investigation_is_accuse_in_cameos_investigate_family(pipeline: Pipeline, text: str) -> None:
    probe = only_event(analyze(pipeline, text), "investigated")
    assert (probe.plover_type, probe.cameo_root) == ("ACCUSE", "09")
    assert probe.actor1 is not None and probe.actor1.type == "police"


@pytest.mark.parametrize("text", both(
    "Army columns held a flag march across the old quarters of Hyderabad after dusk.",
    "army columns held a flag march across the old quarters of hyderabad after dusk .\n",
))
def test_a_flag_march_is_a_show_of_force_not_a_protest(pipeline: Pipeline, text: str) -> None:
    analysis = analyze(pipeline, text)
    assert not [e for e in analysis.events if e.plover_type == "PROTEST"]
    march = only_event(analysis, "march")
    assert march.plover_type == "MOBILIZE" and march.actor1 is not None and march.actor1.type == "military"


# --- typing and ACLED refinement -----------------------------------------------------------------------

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


@pytest.mark.parametrize("text", both(
    "In Ahmedabad, three people died in police firing on Friday.",
    "in ahmedabad , three people died in police firing on friday .\n",
))
def test_an_event_noun_after_a_casualty_verb(pipeline: Pipeline, text: str) -> None:
    firing = only_event(analyze(pipeline, text), "firing")
    assert firing.plover_type == "ASSAULT"
    assert firing.actor1 is not None and firing.actor1.type == "police"
    assert firing.fatalities == 3


# --- attribution ---------------------------------------------------------------------------------------

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


# --- tolls ---------------------------------------------------------------------------------------------

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
        ("Gunmen attacked the village, killing dozens of people.", 12),
        ("Gunmen attacked the village.", None),
        ("A trader was shot at least nine times and killed outside his shop.", None),  # shots are no toll
        ("The hostage was held for 3 days and killed on Friday.", None),
        ("Border guards shot dead two smugglers near the fence.", 2),
        ("Officials said 23 of these deaths were caused by police firing.", 23),
    ],
)
def test_fatalities_patterns(sentence: str, toll: int | None) -> None:
    found = fatalities(sentence)
    assert (found[0] if found else None) == toll


@pytest.mark.parametrize(("sentence", "toll"), [
    ("By 9 March 2021, three farmers were killed as a roadside bomb went off.", 3),
    ("Late on 12 May 2023, one guard died while two others were hurt.", 1),
    ("The gunman was shot and killed by police.", 1),
    ("The blast left 2 dead.", 2),
    ("Troops entered the town in 2021.", None),
])
def test_years_are_never_tolls(sentence: str, toll: int | None) -> None:
    found = fatalities(sentence)
    assert (found[0] if found else None) == toll


def test_statement_without_violence_has_no_toll(pipeline: Pipeline) -> None:
    analysis = analyze(pipeline, "Iran accused Washington of arming the rebels who killed 12 soldiers.")
    accusation = only_event(analysis, "accused")
    assert accusation.fatalities is None


# === the steps on hand-built parses (no trained model) ==================================================
#
# Each token is written as "word/head/dep/pos/tag/lemma", head being the absolute index of its head
# (a root is its own head). The vocabulary is blank English's: a bare ``Vocab()`` has no lexical
# attribute getters, so ``token.lower_``, which the steps read, would be empty.

VOCAB = English().vocab

def parse(*tokens: str) -> Doc:
    fields = [token.split("/") for token in tokens]
    assert all(len(parts) == 6 for parts in fields), tokens
    return Doc(
        VOCAB,
        words=[parts[0] for parts in fields],
        spaces=[True] * (len(fields) - 1) + [False],
        heads=[int(parts[1]) for parts in fields],
        deps=[parts[2] for parts in fields],
        pos=[parts[3] for parts in fields],
        tags=[parts[4] for parts in fields],
        lemmas=[parts[5] for parts in fields],
    )


def word(doc: Doc, text: str) -> Token:
    (token,) = [t for t in doc if t.text == text]
    return token


def rebels_attacked_the_town() -> Doc:
    return parse("Rebels/1/nsubj/NOUN/NNS/rebel", "attacked/1/ROOT/VERB/VBD/attack",
                 "the/3/det/DET/DT/the", "town/1/dobj/NOUN/NN/town")


def convoy_attacked_by_the_taliban() -> Doc:
    return parse("The/1/det/DET/DT/the", "convoy/3/nsubjpass/NOUN/NN/convoy", "was/3/auxpass/AUX/VBD/be",
                 "attacked/3/ROOT/VERB/VBN/attack", "by/3/agent/ADP/IN/by", "the/6/det/DET/DT/the",
                 "Taliban/4/pobj/PROPN/NNP/Taliban")


def troops_managed_to_break_the_siege() -> Doc:
    return parse("Troops/1/nsubj/NOUN/NNS/troop", "managed/1/ROOT/VERB/VBD/manage", "to/3/aux/PART/TO/to",
                 "break/1/xcomp/VERB/VB/break", "the/5/det/DET/DT/the", "siege/3/dobj/NOUN/NN/siege")


# --- _subject ------------------------------------------------------------------------------------------

def test_subject_of_an_active_verb() -> None:
    doc = rebels_attacked_the_town()
    subject, passive = _subject(word(doc, "attacked"))
    assert subject is not None and subject.text == "Rebels"
    assert passive is False


def test_subject_of_a_passive_is_the_by_agent() -> None:
    doc = convoy_attacked_by_the_taliban()
    subject, passive = _subject(word(doc, "attacked"))
    assert subject is not None and subject.text == "Taliban"
    assert passive is True


def test_passive_without_an_agent_has_no_subject() -> None:
    doc = parse("The/1/det/DET/DT/the", "convoy/3/nsubjpass/NOUN/NN/convoy", "was/3/auxpass/AUX/VBD/be",
                "attacked/3/ROOT/VERB/VBN/attack")
    assert _subject(word(doc, "attacked")) == (None, True)


def test_xcomp_borrows_the_governing_verbs_subject() -> None:
    doc = troops_managed_to_break_the_siege()
    subject, passive = _subject(word(doc, "break"))
    assert subject is not None and subject.text == "Troops"
    assert passive is False


def test_relative_pronoun_subject_is_the_noun_the_clause_follows() -> None:
    doc = parse("Police/4/nsubj/NOUN/NN/police", ",/0/punct/PUNCT/,/,", "which/3/nsubj/PRON/WDT/which",
                "arrested/0/relcl/VERB/VBD/arrest", "left/4/ROOT/VERB/VBD/leave")
    subject, passive = _subject(word(doc, "arrested"))
    assert subject is not None and subject.text == "Police"
    assert passive is False


def test_a_verb_under_a_preposition_borrows_the_subject_of_the_verb_it_hangs_on() -> None:
    doc = parse("Police/1/nsubj/NOUN/NN/police", "resorted/1/ROOT/VERB/VBD/resort", "to/1/prep/ADP/IN/to",
                "firing/2/pcomp/VERB/VBG/fire")
    subject, _ = _subject(word(doc, "firing"))
    assert subject is not None and subject.text == "Police"


def test_verb_without_subject() -> None:
    doc = parse("Attack/0/ROOT/VERB/VB/attack", "the/2/det/DET/DT/the", "town/0/dobj/NOUN/NN/town")
    assert _subject(doc[0]) == (None, False)


# --- _object -------------------------------------------------------------------------------------------

def test_object_is_the_direct_object() -> None:
    doc = rebels_attacked_the_town()
    target = _object(word(doc, "attacked"), False)
    assert target is not None and target.text == "town"


@pytest.mark.parametrize(("verb", "lemma", "preposition"), [("fired", "fire", "at"), ("rose", "rise", "against")])
def test_object_of_a_preposition(verb: str, lemma: str, preposition: str) -> None:
    doc = parse("Rebels/1/nsubj/NOUN/NNS/rebel", f"{verb}/1/ROOT/VERB/VBD/{lemma}", f"{preposition}/1/prep/ADP/IN/{preposition}",
                "the/4/det/DET/DT/the", "government/2/pobj/NOUN/NN/government")
    target = _object(word(doc, verb), False)
    assert target is not None and target.text == "government"


def test_object_of_an_unlisted_preposition_is_none() -> None:
    doc = parse("Rebels/1/nsubj/NOUN/NNS/rebel", "fled/1/ROOT/VERB/VBD/flee", "from/1/prep/ADP/IN/from",
                "the/4/det/DET/DT/the", "town/2/pobj/NOUN/NN/town")
    assert _object(word(doc, "fled"), False) is None


def test_object_of_a_passive_is_its_subject() -> None:
    doc = convoy_attacked_by_the_taliban()
    target = _object(word(doc, "attacked"), True)
    assert target is not None and target.text == "convoy"


# --- read_status ---------------------------------------------------------------------------------------

CUES = Cues(negation=frozenset({"not", "n't", "never", "deny"}), hypothetical=frozenset({"could"}),
            planned=frozenset(), ongoing=frozenset(), future_time=frozenset())


def sentence_of(doc: Doc) -> Sentence:
    _, sentences = segment(doc.text)
    assert len(sentences) == 1 and sentences[0].text == doc.text
    return sentences[0]


STATUS_CASES = {
    "did not": (("The/1/det/DET/DT/the", "army/4/nsubj/NOUN/NN/army", "did/4/aux/AUX/VBD/do", "not/4/neg/PART/RB/not",
                 "attack/4/ROOT/VERB/VB/attack", "the/6/det/DET/DT/the", "village/4/dobj/NOUN/NN/village"),
                "attack", Status.NEGATED, "not"),
    "never (cue)": (("The/1/det/DET/DT/the", "army/3/nsubj/NOUN/NN/army", "never/3/advmod/ADV/RB/never",
                     "attacked/3/ROOT/VERB/VBD/attack", "the/5/det/DET/DT/the", "village/3/dobj/NOUN/NN/village"),
                    "attacked", Status.NEGATED, "never"),
    "denied attacking": (("The/1/det/DET/DT/the", "army/2/nsubj/NOUN/NN/army", "denied/2/ROOT/VERB/VBD/deny",
                          "attacking/2/xcomp/VERB/VBG/attack", "the/5/det/DET/DT/the", "village/3/dobj/NOUN/NN/village"),
                         "attacking", Status.NEGATED, "denied"),
    "will": (("Rebels/2/nsubj/NOUN/NNS/rebel", "will/2/aux/AUX/MD/will", "attack/2/ROOT/VERB/VB/attack",
              "the/4/det/DET/DT/the", "city/2/dobj/NOUN/NN/city"),
             "attack", Status.PLANNED, "will"),
    "could": (("Rebels/2/nsubj/NOUN/NNS/rebel", "could/2/aux/AUX/MD/could", "attack/2/ROOT/VERB/VB/attack",
               "the/4/det/DET/DT/the", "city/2/dobj/NOUN/NN/city"),
              "attack", Status.HYPOTHETICAL, "could"),
    "are shelling": (("Government/1/compound/NOUN/NN/government", "forces/3/nsubj/NOUN/NNS/force",
                      "are/3/aux/AUX/VBP/be", "shelling/3/ROOT/VERB/VBG/shell", "the/5/det/DET/DT/the",
                      "town/3/dobj/NOUN/NN/town"),
                     "shelling", Status.ONGOING, "shelling"),
    "shelled": (("Government/1/compound/NOUN/NN/government", "forces/2/nsubj/NOUN/NNS/force",
                 "shelled/2/ROOT/VERB/VBD/shell", "the/4/det/DET/DT/the", "town/2/dobj/NOUN/NN/town"),
                "shelled", Status.OCCURRED, "shelled"),
}


@pytest.mark.parametrize("case", list(STATUS_CASES))
def test_read_status(case: str) -> None:
    tokens, trigger, status, words = STATUS_CASES[case]
    doc = parse(*tokens)
    assert read_status(word(doc, trigger), sentence_of(doc), CUES) == (status, words)


@pytest.mark.parametrize("case", ["never (cue)", "denied attacking", "could"])
def test_read_status_reads_the_cue_lists(case: str) -> None:
    """The same parses, with no cue lists: nothing marks them, so they read as plain facts."""
    tokens, trigger, _, _ = STATUS_CASES[case]
    doc = parse(*tokens)
    status, _ = read_status(word(doc, trigger), sentence_of(doc), Cues())
    assert status is Status.OCCURRED


def test_read_status_future_time_phrase() -> None:
    doc = parse("Rebels/1/nsubj/NOUN/NNS/rebel", "attack/1/ROOT/VERB/VBP/attack", "the/3/det/DET/DT/the",
                "city/1/dobj/NOUN/NN/city", "next/5/amod/ADJ/JJ/next", "week/1/npadvmod/NOUN/NN/week")
    cues = dataclasses.replace(CUES, future_time=frozenset({"next week"}))
    assert read_status(word(doc, "attack"), sentence_of(doc), cues) == (Status.PLANNED, "next week")
    assert read_status(word(doc, "attack"), sentence_of(doc), CUES)[0] is Status.OCCURRED


# --- trigger and typing with the built-in dictionaries -------------------------------------------------

@pytest.fixture(scope="module")
def dictionaries() -> Dictionaries:
    return Dictionaries.load()


def _row(source: str) -> str:
    """The text of the built-in dictionary row a typing's source names ("data/verbs.csv:30")."""
    path, _, line = source.partition(":")
    assert path.startswith(f"{BUILTIN.name}/"), source
    return (BUILTIN / Path(path).name).read_text(encoding="utf-8").splitlines()[int(line) - 1]


def test_a_dictionary_verb_is_a_candidate_and_typed(dictionaries: Dictionaries) -> None:
    doc = rebels_attacked_the_town()
    found = candidate(word(doc, "attacked"), dictionaries)
    assert found is not None
    assert found.token.i == found.anchor.i == 1
    assert found.nominal is False
    typing = type_by_dictionary(found)
    assert typing is not None
    assert (typing.plover_type, typing.cameo_root) == ("ASSAULT", "18")
    assert (typing.acled_event_type, typing.acled_sub_event_type) == ("Battles", "Armed clash")
    assert typing.source.startswith("data/verbs.csv:")
    assert _row(typing.source).startswith("attack,,ASSAULT,18,")
    assert typing.constrained is False
    assert typing.rule.startswith(typing.source)


@pytest.mark.parametrize("text", ["Rebels", "the", "town"])
def test_other_words_are_not_candidates(dictionaries: Dictionaries, text: str) -> None:
    assert candidate(word(rebels_attacked_the_town(), text), dictionaries) is None


def test_a_reporting_verb_is_not_a_candidate(dictionaries: Dictionaries) -> None:
    doc = parse("The/1/det/DET/DT/the", "army/2/nsubj/NOUN/NN/army", "said/2/ROOT/VERB/VBD/say",
                "rebels/4/nsubj/NOUN/NNS/rebel", "attacked/2/ccomp/VERB/VBD/attack", "the/6/det/DET/DT/the",
                "town/4/dobj/NOUN/NN/town")
    assert candidate(word(doc, "said"), dictionaries) is None
    assert candidate(word(doc, "attacked"), dictionaries) is not None


def test_a_reporting_verb_is_skipped_even_with_a_verb_row(dictionaries: Dictionaries) -> None:
    """"allege" has a row in verbs.csv (ACCUSE) and is a reporting verb: the cue wins."""
    doc = parse("The/1/det/DET/DT/the", "army/2/nsubj/NOUN/NN/army", "alleged/2/ROOT/VERB/VBD/allege",
                "abuses/2/dobj/NOUN/NNS/abuse")
    assert "allege" in dictionaries.verbs
    assert candidate(word(doc, "alleged"), dictionaries) is None
    cues = dataclasses.replace(dictionaries.cues, reporting_verbs=dictionaries.cues.reporting_verbs - {"allege"})
    found = candidate(word(doc, "alleged"), dataclasses.replace(dictionaries, cues=cues))
    assert found is not None
    typing = type_by_dictionary(found)
    assert typing is not None and typing.plover_type == "ACCUSE"


def test_a_modifier_participle_is_not_a_candidate(dictionaries: Dictionaries) -> None:
    doc = parse("The/2/det/DET/DT/the", "attacking/2/amod/VERB/VBG/attack", "forces/3/nsubj/NOUN/NNS/force",
                "withdrew/3/ROOT/VERB/VBD/withdraw")
    assert candidate(word(doc, "attacking"), dictionaries) is None


def test_typing_needs_an_object_the_row_names(dictionaries: Dictionaries) -> None:
    doc = troops_managed_to_break_the_siege()
    found = candidate(word(doc, "break"), dictionaries)
    assert found is not None
    typing = type_by_dictionary(found)
    assert typing is not None
    assert (typing.plover_type, typing.acled_sub_event_type) == ("ASSAULT", "Government regains territory")
    assert typing.constrained is True
    assert _row(typing.source).startswith("break,siege|")

    law = parse("Troops/1/nsubj/NOUN/NNS/troop", "broke/1/ROOT/VERB/VBD/break", "the/3/det/DET/DT/the",
                "law/1/dobj/NOUN/NN/law")
    found = candidate(word(law, "broke"), dictionaries)
    assert found is not None  # "break" has rows ...
    assert type_by_dictionary(found) is None  # ... but none for "the law"


def test_an_event_noun_under_a_light_verb(dictionaries: Dictionaries) -> None:
    doc = parse("Clashes/1/nsubj/NOUN/NNS/clash", "broke/1/ROOT/VERB/VBD/break", "out/1/prt/ADP/RP/out")
    found = candidate(word(doc, "Clashes"), dictionaries)
    assert found is not None
    assert found.nominal is True
    assert (found.token.text, found.anchor.text) == ("Clashes", "broke")
    typing = type_by_dictionary(found)
    assert typing is not None
    assert (typing.plover_type, typing.acled_sub_event_type) == ("ASSAULT", "Armed clash")
    assert typing.source.startswith("data/nouns.csv:")


# --- the learned classifier beside the rules ------------------------------------------------------------

@pytest.mark.parametrize("text", both(
    "The Lakers hit back in the fourth quarter and crushed Boston 112-98 on Sunday night.",
    "the lakers hit back in the fourth quarter and crushed boston 112-98 on sunday night .\n",
))
def test_a_sporting_hit_is_no_attack(pipeline: Pipeline, text: str) -> None:
    assert not [e for e in analyze(pipeline, text).events if e.plover_type == "ASSAULT"]


@pytest.mark.parametrize("text", both(
    "Hurricane Delia struck the coast of Belize on Tuesday, flattening homes and killing 14 people.",
    "hurricane delia struck the coast of belize on tuesday , flattening homes and killing 14 people .\n",
))
def test_a_hurricane_striking_is_no_attack(pipeline: Pipeline, text: str) -> None:
    assert not [e for e in analyze(pipeline, text).events if e.plover_type == "ASSAULT"]


@pytest.mark.parametrize("text", both(
    "A suicide bomber blew himself up at a checkpoint in Mogadishu on Monday, killing nine soldiers.",
    "a suicide bomber blew himself up at a checkpoint in mogadishu on monday , killing nine soldiers .\n",
))
def test_a_suicide_bomber_is_a_suicide_bomb(pipeline: Pipeline, text: str) -> None:
    events = [e for e in analyze(pipeline, text).events if e.plover_type == "ASSAULT"]
    assert events and all(e.acled_sub_event_type == "Suicide bomb" for e in events)


@pytest.mark.parametrize("text", both(
    "Gunmen hurled a grenade at a police post in Bujumbura on Friday, wounding three officers.",
    "gunmen hurled a grenade at a police post in bujumbura on friday , wounding three officers .\n",
))
def test_a_grenade_attack_is_a_grenade(pipeline: Pipeline, text: str) -> None:
    events = [e for e in analyze(pipeline, text).events if e.plover_type == "ASSAULT"]
    assert events and events[0].acled_sub_event_type == "Grenade"


@pytest.mark.parametrize(("text", "sub_type"), [
    ("Malian troops recaptured the town of Anefis from the rebels on Sunday.", "Government regains territory"),
    ("JNIM fighters captured the town of Boni from the army on Sunday.", "Non-state actor overtakes territory"),
])
def test_who_takes_a_town_decides_the_territory_sub_type(pipeline: Pipeline, text: str, sub_type: str) -> None:
    events = [e for e in analyze(pipeline, text).events if e.acled_event_type == "Battles"]
    assert events and events[0].acled_sub_event_type == sub_type


@pytest.mark.parametrize(("text", "status"), [
    ("Police foiled a plot to bomb the stadium in Kano on Saturday.", Status.NEGATED),
    ("Soldiers allegedly tortured three detainees in Gao last week.", Status.HYPOTHETICAL),
])
def test_foiled_and_alleged_events_are_not_facts(pipeline: Pipeline, text: str, status: Status) -> None:
    events = [e for e in analyze(pipeline, text).events if e.plover_type == "ASSAULT"]
    assert events and all(e.status == status for e in events)


@pytest.mark.parametrize(("text", "toll"), [
    ("The insurgency has killed more than 40,000 people since 2009.", None),
    ("The epidemic killed 25 million people across the region.", None),
    ("Gunmen killed 12 villagers in Zamfara on Monday.", 12),
])
def test_a_cumulative_or_disease_toll_is_not_an_events_deaths(text: str, toll: int | None) -> None:
    found = fatalities(text, Dictionaries.load(None).cues.cumulative)
    assert (found[0] if found else None) == toll


def test_every_event_carries_the_sentence_verdict_in_its_evidence(pipeline: Pipeline) -> None:
    analysis = analyze(pipeline, "Rebels shelled army positions near Sake on Monday, the army said.")
    assert all(s.verdict is not None and 0.0 <= s.verdict.event_probability <= 1.0 for s in analysis.sentences)
    event = only_event(analysis, "shelled")
    assert event.trigger_span.end - event.trigger_span.start == len("shelled")


@pytest.mark.parametrize("text", both(
    "Protesters demanded running water and better roads in Maracay on Monday.",
    "protesters demanded running water and better roads in maracay on monday .\n",
))
def test_demonstrators_demands_are_a_protest_in_acled_terms(pipeline: Pipeline, text: str) -> None:
    event = only_event(analyze(pipeline, text), "demanded")
    assert event.plover_type == "REQUEST" and event.acled_sub_event_type == "Peaceful protest"


@pytest.mark.parametrize(("text", "trigger"), [
    ("On Monday, nurses gathered outside the hospital in Mombasa to demand unpaid wages.", "gathered"),
    ("About 300 people took to the streets of Kisumu on Friday against the fuel price rise.", "took"),
    ("A group of widows held a sit-in at the governor's office in Maiduguri on Tuesday.", "in"),
])
def test_protests_named_by_phrases_are_found(pipeline: Pipeline, text: str, trigger: str) -> None:
    events = [e for e in analyze(pipeline, text).events if e.acled_event_type == "Protests"]
    assert [e.trigger for e in events] == [trigger]


@pytest.mark.parametrize("text", both(
    "Demonstrators blocked the main road into Tripoli with burning tyres on Sunday night.",
    "demonstrators blocked the main road into tripoli with burning tyres on sunday night .\n",
))
def test_burning_tyres_make_a_violent_demonstration(pipeline: Pipeline, text: str) -> None:
    event = only_event(analyze(pipeline, text), "blocked")
    assert event.acled_sub_event_type == "Violent demonstration"


def test_an_attack_on_soldiers_is_an_armed_clash(pipeline: Pipeline) -> None:
    events = analyze(pipeline, "Unknown gunmen shot dead two soldiers near Kidal on Saturday.").events
    assert events and all(e.acled_sub_event_type == "Armed clash" for e in events if e.plover_type == "ASSAULT")


def test_a_beating_with_an_arrest_stays_a_beating(pipeline: Pipeline) -> None:
    analysis = analyze(pipeline, "Soldiers beat and arrested a shopkeeper in Mandalay on Friday.")
    assert only_event(analysis, "beat").plover_type == "ASSAULT"
    assert only_event(analysis, "arrested").acled_sub_event_type == "Arrests"


def test_a_bare_statement_gets_no_event_of_the_classifiers(pipeline: Pipeline) -> None:
    analysis = analyze(pipeline, "He said according to the court papers the family moved to the city in March.")
    assert not analysis.events


def test_a_vow_to_fight_is_planned(pipeline: Pipeline) -> None:
    events = [e for e in analyze(pipeline, "The rebels vowed on Friday to fight the army in Kidal.").events
              if e.plover_type == "ASSAULT"]
    assert events and all(e.status == Status.PLANNED for e in events)


@pytest.mark.parametrize("text", [*both(
    "Hundreds of teachers marched to the governor's office in Kano on Monday. "
    "Some of the marchers then threw stones at the police and smashed the windows of parked cars.",
    "hundreds of teachers marched to the governor s office in kano on monday .\n"
    "some of the marchers then threw stones at the police and smashed the windows of parked cars .\n",
), *both(  # the crowd named by a pronoun only
    "Hundreds of traders marched in Kumasi on Tuesday against new market fees. "
    "They threw stones at the municipal offices.",
    "hundreds of traders marched in kumasi on tuesday against new market fees .\n"
    "they threw stones at the municipal offices .\n",
)])
def test_a_protest_whose_marchers_turn_violent_is_a_violent_demonstration(pipeline: Pipeline, text: str) -> None:
    event = only_event(analyze(pipeline, text), "marched")
    assert event.acled_sub_event_type == "Violent demonstration"
    assert any(e.field == "acled_sub_event_type" and "turned violent" in e.rule for e in event.evidence)


def test_a_riot_only_named_later_leaves_the_protest_peaceful(pipeline: Pipeline) -> None:
    text = ("About 80 people gathered outside the courthouse in Leeds on Saturday to support the striking nurses. "
            "The rally was held on the anniversary of the 2011 riots in the city.")
    assert only_event(analyze(pipeline, text), "gathered").acled_sub_event_type == "Peaceful protest"


def test_a_date_is_never_the_target(pipeline: Pipeline) -> None:
    analysis = analyze(pipeline, "On 3 May 2022, the army fired mortars at the positions of the Arakan Army near Paletwa.")
    event = only_event(analysis, "fired")
    assert event.actor2 is not None and "Arakan Army" in event.actor2.name


@pytest.mark.parametrize(("violence", "dropped"), [(0.1, True), (0.6, False)])
def test_a_violent_word_in_an_event_of_another_kind_is_dropped(violence: float, dropped: bool) -> None:
    # "the tariffs targeted Chinese steel": the classifier is sure of an event, but of no violent kind
    typing = EventTyping("ASSAULT", "19", "Explosions/Remote violence", "Air/drone strike", "verbs.csv", "target",
                         constrained=False)
    verdict = Verdict(0.95, (("PLOVER:SANCTION", 0.4),), "test", 0.4, violence)
    assert judged_event_free(typing, verdict, Status.OCCURRED, Roles(None, None, [])) is dropped


def test_a_defused_bomb_is_disrupted_weapons_use(pipeline: Pipeline) -> None:
    event = only_event(analyze(pipeline, "Police defused a roadside bomb near the market in Mogadishu on Tuesday."), "defused")
    assert event.acled_sub_event_type == "Disrupted weapons use"


@pytest.mark.parametrize("text", both(
    "Six men were detained in three wards of the town on Monday.",
    "six men were detained in three wards of the town on monday .\n",
))
def test_coercion_with_no_agent_is_by_the_police(pipeline: Pipeline, text: str) -> None:
    event = only_event(analyze(pipeline, text), "detained")
    assert event.plover_type == "COERCE"
    assert event.actor1 is not None and event.actor1.type == "police" and event.actor1.found_by == ActorSource.IMPLIED


def test_the_forces_deployed_are_the_actor_of_a_deployment(pipeline: Pipeline) -> None:
    event = only_event(analyze(pipeline, "About 300 armed policemen were deployed around the stadium in Nagpur on Friday."),
                       "deployed")
    assert event.plover_type == "MOBILIZE" and event.actor1 is not None and event.actor1.type == "police"
    assert event.actor2 is None


def test_an_arrest_is_never_judged_event_free() -> None:
    # "he has been arrested for the theft": a crime story, but the arrest is the state's act
    typing = EventTyping("COERCE", "17", "Strategic developments", "Arrests", "verbs.csv", "arrest", constrained=False)
    verdict = Verdict(0.01, (("Arrests", 0.99),), "test", 0.99, 0.0)
    assert not judged_event_free(typing, verdict, Status.OCCURRED, Roles(None, None, []))


@pytest.mark.parametrize("text", both(
    "A teacher was shot twice and killed by three armed individuals in Caruaru on Sunday.",
    "a teacher was shot twice and killed by three armed individuals in caruaru on sunday .\n",
))
def test_passive_verbs_joined_by_and_share_their_agent_and_victim(pipeline: Pipeline, text: str) -> None:
    # Both verbs share agent, victim and place: one incident, coded once, the other verb its corroboration.
    (event,) = [e for e in analyze(pipeline, text).events if e.trigger.lower() in {"shot", "killed"}]
    assert event.actor1 is not None and event.actor1.name.lower() == "armed individuals"
    assert event.actor2 is not None and event.actor2.name.lower() == "teacher"
    assert event.location is not None and event.location.canonical == "Caruaru"
    assert any(item.field == "corroboration" for item in event.evidence), [item.field for item in event.evidence]


@pytest.mark.parametrize(("text", "sub_type"), [
    ("Unknown gunmen attacked a police checkpoint outside Maiduguri on Monday.", "Armed clash"),
    ("A cartel gang member was shot dead by rivals in Culiacan on Monday.", "Armed clash"),
    ("Gunmen shot dead a member of the ruling party in Bulawayo on Monday.", "Attack"),
    ("Gunmen shot dead an off-duty soldier outside his home in Goma on Monday.", "Attack"),
    ("Gunmen shot dead a former police officer in Herat on Monday.", "Attack"),
    ("On Monday, ADF fighters clashed with FARDC soldiers near Beni.", "Armed clash"),
])
def test_an_attack_on_armed_men_is_a_battle(pipeline: Pipeline, text: str, sub_type: str) -> None:
    events = [e for e in analyze(pipeline, text).events if e.plover_type == "ASSAULT"]
    assert events and events[0].acled_sub_event_type == sub_type


def test_a_proper_name_no_dictionary_knows_acts_as_an_organisation(pipeline: Pipeline) -> None:
    # cased text only: in lowercased text nothing marks "zandeko" as a name
    event = only_event(analyze(pipeline, "Zandeko killed four villagers near Djugu on Sunday."), "killed")
    assert event.actor1 is not None and event.actor1.name == "Zandeko"
    assert event.actor1.found_by is ActorSource.ORGANISATION and event.actor1.country is None
    assert event.actor2 is not None and event.acled_sub_event_type == "Attack"


@pytest.mark.parametrize("text", both(
    "Students occupied their school in Bologna on Monday to protest against cuts to teaching staff.",
    "students occupied their school in bologna on monday to protest against cuts to teaching staff .\n",
))
def test_students_occupying_a_school_are_a_peaceful_protest(pipeline: Pipeline, text: str) -> None:
    occupation = only_event(analyze(pipeline, text), "occupied")
    assert occupation.plover_type == "PROTEST" and occupation.acled_sub_event_type == "Peaceful protest"


@pytest.mark.parametrize("text", both(
    "Hundreds of nurses marched in Lagos on Tuesday to demand unpaid wages. "
    "They carried banners recalling colleagues killed by gunmen last year.",
    "hundreds of nurses marched in lagos on tuesday to demand unpaid wages .\n"
    "they carried banners recalling colleagues killed by gunmen last year .\n",
))
def test_the_violence_a_protest_is_about_does_not_make_it_violent(pipeline: Pipeline, text: str) -> None:
    march = only_event(analyze(pipeline, text), "marched")
    assert march.acled_sub_event_type == "Peaceful protest"


@pytest.mark.parametrize("text", both(
    "Tear gas shells were lobbed at the crowd outside the collectorate in Sangli on Friday.",
    "tear gas shells were lobbed at the crowd outside the collectorate in sangli on friday .\n",
))
def test_tear_gas_with_no_agent_is_the_polices_and_no_artillery(pipeline: Pipeline, text: str) -> None:
    event = only_event(analyze(pipeline, text), "lobbed")
    assert event.actor1 is not None and event.actor1.type == "police" and event.actor1.found_by is ActorSource.IMPLIED
    assert event.acled_sub_event_type == "Protest with intervention"


@pytest.mark.parametrize("text", both(
    "President William Ruto met opposition leader Raila Odinga in Nairobi on Monday. He warned Odinga against new protests.",
    "president william ruto met opposition leader raila odinga in nairobi on monday .\n"
    "he warned odinga against new protests .\n",
))
def test_he_is_the_earlier_subject_not_the_person_he_warns(pipeline: Pipeline, text: str) -> None:
    warning = only_event(analyze(pipeline, text), "warned")
    assert warning.actor1 is not None and "Ruto" in warning.actor1.name
    assert any(item.field == "actor1" and "pronoun" in item.rule for item in warning.evidence)


@pytest.mark.parametrize("text", both(
    "The army said it killed 12 militants near Maiduguri on Sunday. It accused Boko Haram of attacking a market in Konduga.",
    "the army said it killed 12 militants near maiduguri on sunday .\n"
    "it accused boko haram of attacking a market in konduga .\n",
))
def test_it_is_a_singular_body_and_the_accused_is_who_attacked(pipeline: Pipeline, text: str) -> None:
    analysis = analyze(pipeline, text)
    accusation = only_event(analysis, "accused")
    assert accusation.actor1 is not None and accusation.actor1.type == "military"  # not "the militants"
    attack = only_event(analysis, "attacking")
    assert attack.actor1 is not None and attack.actor1.name.lower() == "boko haram"


@pytest.mark.parametrize(("cased", "trigger", "plover_type"), [
    ("There were clashes between herders and farmers near Makurdi on Sunday.", "clashes", "ASSAULT"),  # "there is"
    ("The combing operation continued in the forests of Gadchiroli on Tuesday.", "operation", "COERCE"),
])
@pytest.mark.parametrize("shape", ["cased", "lowercase"])
def test_event_nouns_outside_light_verbs(pipeline: Pipeline, cased: str, trigger: str, plover_type: str,
                                         shape: str) -> None:
    from warmonitor.stages.text import to_research_shape

    text = cased if shape == "cased" else to_research_shape(cased)[0] + "\n"
    event = only_event(analyze(pipeline, text), trigger)
    assert event.plover_type == plover_type and event.status == Status.OCCURRED


@pytest.mark.parametrize("text", both(
    "Residents of Kibera, in protest at the demolitions, demanded compensation from the county on Monday.",
    "residents of kibera , in protest at the demolitions , demanded compensation from the county on monday .\n",
))
def test_civilians_demanding_in_protest_are_a_peaceful_protest(pipeline: Pipeline, text: str) -> None:
    demand = only_event(analyze(pipeline, text), "demanded")
    assert demand.plover_type == "REQUEST" and demand.acled_sub_event_type == "Peaceful protest"


@pytest.mark.parametrize("text", both(
    "They attacked the market in Kidal on Monday.",
    "they attacked the market in kidal on monday .\n",
))
def test_a_pronoun_in_an_articles_first_sentence_has_no_antecedent(pipeline: Pipeline, text: str) -> None:
    # nothing before it: not the last sentence's actor by wrapping around
    attack = only_event(analyze(pipeline, text), "attacked")
    assert attack.actor1 is None or attack.actor1.found_by is not ActorSource.NAMED


@pytest.mark.parametrize("text", both(
    "Gunmen stopped a minibus near Gombe on Friday and abducted nine passengers.",
    "gunmen stopped a minibus near gombe on friday and abducted nine passengers .\n",
))
def test_stopping_a_bus_does_not_stop_the_abduction_joined_to_it(pipeline: Pipeline, text: str) -> None:
    assert only_event(analyze(pipeline, text), "abducted").status == "occurred"


@pytest.mark.parametrize("text", both(
    "Wages will be paid next week, after police broke up a nurses' protest in Kano with tear gas on Monday.",
    "wages will be paid next week , after police broke up a nurses ' protest in kano with tear gas on monday .\n",
))
def test_what_an_after_clause_tells_happened_whatever_the_main_clause_says(pipeline: Pipeline, text: str) -> None:
    event = only_event(analyze(pipeline, text), "broke")
    assert event.status == "occurred" and event.acled_sub_event_type == "Protest with intervention"


def test_a_tally_over_this_year_is_no_event_but_arrests_so_far_are(pipeline: Pipeline) -> None:
    tally = analyze(pipeline, "Armed groups have abducted more than 600 people in the region this year, the UN said.")
    assert not [e for e in tally.events if e.acled_sub_event_type == "Abduction/forced disappearance"]
    so_far = analyze(pipeline, "Nineteen people had been arrested so far over the riot in Bhadrak, police said.")
    assert only_event(so_far, "arrested").status == "occurred"


def test_people_captured_are_abducted_and_an_arrest_describing_the_charged_is_a_fact(pipeline: Pipeline) -> None:
    captured = analyze(pipeline, "Separatist fighters captured four men working on a bridge near Sugapa on Tuesday.")
    assert only_event(captured, "captured").acled_sub_event_type == "Abduction/forced disappearance"
    charged = analyze(pipeline, "Prosecutors on Thursday charged 12 men arrested in a police raid in Choloma with "
                                "extortion.")
    assert only_event(charged, "arrested").status == "occurred"
