"""Places stage: which written place an event happened at, over short sentences written for these
tests (model-backed). Each case runs as cased prose and as a lowercased, tokenized research corpus.
"""

from __future__ import annotations

import pytest

from tests.helpers import analyze, both, only_event, spanned
from warmonitor.model import CountrySource
from warmonitor.pipeline import Pipeline


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
    assert not event.location.fallback  # written in the event's clause


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
    assert not event.location.fallback
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
    assert event.location.candidates > 1  # chosen among same-named places
    assert not event.location.fallback


def test_backed_forces_do_not_take_the_event_place_country(pipeline: Pipeline) -> None:
    analysis = analyze(pipeline, "US-backed forces attacked Islamic State fighters near Raqqa.")
    event = only_event(analysis, "attacked")
    assert event.location is not None and event.location.country == "SY"
    assert event.actor1 is not None
    assert event.actor1.country != "SYR"
    assert event.actor1.country_from is CountrySource.BACKER  # not EVENT_PLACE


def test_a_verb_told_on_shares_the_place_of_the_one_before(pipeline: Pipeline) -> None:
    # The place hangs off "killed"; the event is told by "shot", which shares its subject.
    analysis = analyze(pipeline, "A shopkeeper was shot and killed by masked men during a raid in Port-au-Prince on Tuesday.")
    event = only_event(analysis, "shot")
    assert event.location is not None and event.location.canonical == "Port-au-Prince"
    assert not event.location.fallback


def test_a_village_the_gazetteer_lacks_is_placed_at_the_region_around_it(pipeline: Pipeline) -> None:
    analysis = analyze(pipeline, "Gunmen attacked Kayamla village in Borno State on Monday, killing five farmers.")
    (village,) = [m.location for m in analysis.places if m.location.name == "Kayamla"]
    assert (village.country, village.admin1, village.precision, village.candidates) == ("NG", "Borno", "admin1", 0)
    assert village.geonames_id is None and "not in the gazetteer" in village.rule
    event = only_event(analysis, "attacked")
    assert event.location is not None and event.location.name == "Kayamla"


@pytest.mark.parametrize(("text", "name", "country"), [
    pytest.param("Malian soldiers clashed with militants near Mopti on Monday. Troops later lifted a blockade of the "
                 "town of Boni on Thursday, the army said.", "Boni", "ML", id="alias-abroad"),
    pytest.param("Myanmar army jets bombed a village in the Sagaing region on Friday, residents said. The bombs hit "
                 "a school in Kani township, a resistance group said.", "Kani", "MM", id="namesake-abroad"),
])
def test_a_local_settlement_is_not_a_namesake_abroad(pipeline: Pipeline, text: str, name: str, country: str) -> None:
    # The gazetteer knows only a French Bonnut (alternate spelling "Boni") and a Japanese Kani.
    analysis = analyze(pipeline, text)
    (place,) = [m.location for m in analysis.places if m.location.name == name]
    assert place.country == country and place.candidates == 0 and "not in the gazetteer" in place.rule


def test_the_articles_own_outlet_is_not_a_place(pipeline: Pipeline) -> None:
    from warmonitor.model import Article

    text = "Gunmen killed four farmers near Mora on Friday, a local official told Sahel Morning."
    analysis = pipeline.analyze(Article(text=text, published=None, source="Sahel Morning", origin="<test>"))
    assert "Sahel" not in {mention.location.name for mention in analysis.places}
    assert only_event(analysis, "killed").location is not None
    assert only_event(analysis, "killed").location.canonical == "Mora"  # type: ignore[union-attr]


@pytest.mark.parametrize("text", [
    "Militants killed 11 villagers in the Mayo-Sava division of Cameroon on Friday.",
    "Gunmen attacked a village in the Logone-et-Chari division of Cameroon on Sunday.",
])
def test_a_part_of_a_hyphenated_name_is_not_the_place_of_that_name(pipeline: Pipeline, text: str) -> None:
    analysis = analyze(pipeline, text)
    assert {mention.location.country for mention in analysis.places} == {"CM"}


def test_a_name_after_an_arabic_article_or_a_nationality_before_a_hyphen_stays(pipeline: Pipeline) -> None:
    analysis = analyze(pipeline, "Russian-backed forces shelled Donetsk, and gunmen attacked a checkpoint in al-Anbar.")
    assert {"Donetsk", "Al-Anbar"} <= {mention.location.canonical for mention in analysis.places}


@pytest.mark.parametrize("text", both(
    "Gunmen killed four fishermen on Monday on the banks of the Chari river just outside Kousseri.",
    "gunmen killed four fishermen on monday on the banks of the chari river just outside kousseri .\n",
))
def test_a_town_named_beside_a_river_is_the_place_not_the_river(pipeline: Pipeline, text: str) -> None:
    event = only_event(analyze(pipeline, text), "killed")
    assert event.location is not None and event.location.feature == "city" and event.location.country == "CM"


@pytest.mark.parametrize("text", both(
    "Gunmen shot dead six herders on Friday in a border village of Cameroon's Far North region.",
    "gunmen shot dead six herders on friday in a border village of cameroon s far north region .\n",
))
def test_ordinary_words_named_as_a_region_by_the_noun_after_them_are_a_place(pipeline: Pipeline, text: str) -> None:
    event = only_event(analyze(pipeline, text), "shot")
    assert event.location is not None and event.location.feature == "admin1" and event.location.country == "CM"


def test_a_name_the_recogniser_passed_over_is_its_namesake_in_the_place_around_it(pipeline: Pipeline) -> None:
    analysis = analyze(pipeline, "A military jet dropped two bombs on the central market of Mrauk U in Rakhine State on "
                                 "Tuesday, killing at least 12 people.")
    event = only_event(analysis, "dropped")
    assert event.location is not None and event.location.canonical == "Mrauk U"
    assert event.location.precision == "exact" and event.location.geonames_id is not None


def test_a_region_in_lowercased_text_is_a_place_not_an_organisation(pipeline: Pipeline) -> None:
    analysis = analyze(pipeline, "the army said its troops had killed nine militants in a gunfight in the northern "
                                 "alibori department .\n")
    assert [m.location.canonical for m in analysis.places] == ["Alibori"]
    assert not [m for m in analysis.actors if "alibori" in m.actor.name.lower()]


def test_a_settlement_named_in_apposition_is_a_place(pipeline: Pipeline) -> None:
    analysis = analyze(pipeline, "Soldiers fought gunmen on the outskirts of Kwarimbo, a village in the north of "
                                 "Alibori department, on Monday.")
    event = only_event(analysis, "fought")
    assert event.location is not None and event.location.name == "Kwarimbo" and event.location.country == "BJ"


def test_an_unlisted_place_given_a_distance_and_bearing_is_put_that_far_off(pipeline: Pipeline) -> None:
    analysis = analyze(pipeline, "Troops fought gunmen near Banikoara on Friday. The fighting came a day after four "
                                 "soldiers were killed near Kwarimbo, about 120 km to the north-east.")
    (kwarimbo,) = [m.location for m in analysis.places if m.location.name == "Kwarimbo"]
    (banikoara,) = [m.location for m in analysis.places if m.location.name == "Banikoara"]
    assert kwarimbo.lat > banikoara.lat + 0.6 and kwarimbo.lon > banikoara.lon + 0.6


def test_an_unlisted_place_with_no_place_in_its_sentence_is_only_known_to_its_country(pipeline: Pipeline) -> None:
    analysis = analyze(pipeline, "Mourners gathered in Parakou on Saturday. The militants said they had attacked an "
                                 "army unit near Kwarimbo on Thursday.")
    (kwarimbo,) = [m.location for m in analysis.places if m.location.name == "Kwarimbo"]
    assert kwarimbo.precision == "country" and kwarimbo.country == "BJ"


def test_a_capital_that_speaks_is_no_place_of_the_event(pipeline: Pipeline) -> None:
    analysis = analyze(pipeline, "Monitors visited the border village hit by what Yerevan says was shelling by "
                                 "Azerbaijani troops on Monday.")
    assert all(e.location is None or e.location.canonical != "Yerevan" for e in analysis.events)


def test_a_town_on_whose_outskirts_something_happened_is_a_place_and_valley_is_no_town(pipeline: Pipeline) -> None:
    analysis = analyze(pipeline, "A drone struck a van on the outskirts of Baalbek in the eastern Bekaa Valley on "
                                 "Wednesday.")
    names = [m.location.canonical for m in analysis.places]
    assert "Baalbek" in names and "The Valley" not in names and "Valley" not in names


def test_a_town_named_in_apposition_is_put_in_the_country_its_words_name(pipeline: Pipeline) -> None:
    analysis = analyze(pipeline, "Refugees crossed into Cameroon after armed men overran Kwarimbo, a town in the "
                                 "Central African Republic, on Tuesday.")
    event = only_event(analysis, "overran")
    assert event.location is not None and event.location.name == "Kwarimbo" and event.location.country == "CF"
    assert event.actor2 is None or event.actor2.name != "Kwarimbo"


def test_a_place_noun_before_of_marks_a_name_in_a_sentence_with_no_parse() -> None:
    from spacy.lang.en import English

    from warmonitor.stages.places import _marked_as_place

    doc = English()("Smoke rose over the outskirts of Baalbek all day.")
    assert _marked_as_place(doc[6])  # no dependency parse: the words alone say it
    assert not _marked_as_place(doc[0])
