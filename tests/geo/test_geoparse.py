"""The public geoparser: recognition without capitals, resolution by context, given spans."""

from __future__ import annotations

import pytest

import warmonitor
from warmonitor.settings import Settings


@pytest.fixture(scope="module")
def geoparse(settings: Settings):  # type: ignore[no-untyped-def]
    if not settings.gazetteer.exists():
        pytest.skip("gazetteer not built; ./test.sh builds it")
    return lambda text, spans=None: warmonitor.geoparse(text, spans=spans, settings=settings)


def test_tripoli_follows_the_article_country(geoparse) -> None:  # type: ignore[no-untyped-def]
    libya = geoparse("Militias clashed in Tripoli. Libya's government in Benghazi and Misrata called for calm.")
    lebanon = geoparse("Shelling hit Tripoli overnight. Lebanon's army deployed in Beirut and Sidon.")
    assert next(t for t in libya if t.name == "Tripoli").country == "LY"
    assert next(t for t in lebanon if t.name == "Tripoli").country == "LB"


def test_a_possessive_is_not_part_of_the_name(geoparse) -> None:  # type: ignore[no-untyped-def]
    (lebanon,) = [t for t in geoparse("Lebanon's army deployed in the south.") if t.country == "LB"]
    assert (lebanon.name, lebanon.span.to_list(), lebanon.feature) == ("Lebanon", [0, 7], "country")


def test_a_state_written_after_a_town_decides_it(geoparse) -> None:  # type: ignore[no-untyped-def]
    found = geoparse("The fair opened in Paris, Ky. on Saturday.")
    paris = next(t for t in found if t.name == "Paris")
    assert (paris.country, paris.admin1) == ("US", "Kentucky")


def test_a_province_gazetteers_hold_at_another_level_still_contains_its_towns(geoparse) -> None:  # type: ignore[no-untyped-def]
    # GeoNames files Catarman under the region Eastern Visayas, its province Northern Samar one level down
    found = geoparse("Troops were flown to Catarman, Northern Samar, after the ambush.")
    catarman = next(t for t in found if t.name == "Catarman")
    assert (catarman.feature, catarman.country) == ("city", "PH") and abs(catarman.lat - 12.5) < 0.2


def test_a_place_missing_from_the_town_written_as_its_container_is_placed_at_the_town(geoparse) -> None:  # type: ignore[no-untyped-def]
    found = geoparse("Gunfire broke out in the village of Mabini in the town of Las Navas, Northern Samar.")
    mabini = next(t for t in found if t.name == "Mabini")
    assert mabini.canonical == "Las Navas" and "region written after it" in mabini.reason


def test_a_number_word_is_no_place(geoparse) -> None:  # type: ignore[no-untyped-def]
    assert not [t for t in geoparse("— Four suspected rebels died in the raid.") if t.name == "Four"]


def test_given_spans_get_one_result_each_in_order(geoparse) -> None:  # type: ignore[no-untyped-def]
    text = "Syrian troops entered Aleppo; talks in Qwxzyv failed."
    spans = [(0, 6), (22, 28), (39, 45)]
    results = geoparse(text, spans)
    assert len(results) == 3
    assert results[0] is not None and results[0].country == "SY" and results[0].adjectival
    assert results[1] is not None and results[1].feature == "city" and results[1].country == "SY"
    # A name no gazetteer holds is placed at the article's focus, and says so.
    assert results[2] is not None and results[2].at_focus and results[2].canonical == "Aleppo"
    assert results[2].name == "Qwxzyv" and results[2].score < results[1].score
    assert not results[1].at_focus
    assert geoparse("Talks in Qwxzyv failed.", [(9, 15)]) == [None]  # no focus to fall back on


def test_a_street_or_building_is_placed_in_the_town_the_article_is_about(geoparse) -> None:  # type: ignore[no-untyped-def]
    text = ("Police closed Magazine Street in New Orleans after the shooting. The victim was taken to "
            "Tulane Medical Center, and officers searched a house near Jackson Square in New Orleans.")
    spans = [(14, 29), (33, 44), (89, 110), (147, 161), (165, 176)]
    street, city, hospital, square, again = geoparse(text, spans)
    assert city is not None and city.canonical == "New Orleans" and not city.at_focus
    for placed in (street, hospital, square):
        assert placed is not None and placed.at_focus and (placed.lat, placed.lon) == (city.lat, city.lon)
        assert "focus, New Orleans" in placed.reason
    assert again is not None and not again.at_focus


def test_lowercased_text_still_finds_places(geoparse) -> None:  # type: ignore[no-untyped-def]
    names = {t.canonical for t in geoparse("clashes were reported in aleppo and near damascus , syria s capital .")}
    assert {"Aleppo", "Damascus"} <= names


def test_a_span_outside_the_text_is_a_clear_error(geoparse) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="inside the text"):
        geoparse("In Kano.", [(3, 40)])


def test_every_result_explains_itself(geoparse) -> None:  # type: ignore[no-untyped-def]
    (kano,) = [t for t in geoparse("Gunmen attacked a market in Kano.") if t.name == "Kano"]
    record = kano.to_dict()
    assert record["country"] == "NG" and record["span"] == [28, 32] and "candidate" in record["reason"]


def _place(found, name):  # type: ignore[no-untyped-def]
    return next(t for t in found if t.name == name)


def test_spelling_variants_reach_the_same_place(geoparse) -> None:  # type: ignore[no-untyped-def]
    for spelling in ("Deir ez-Zor", "Deir al-Zor", "Dayr az-Zawr"):
        place = _place(geoparse(f"Fighting went on near {spelling} on Sunday."), spelling)
        assert place.country == "SY" and place.feature == "city", spelling


def test_demonyms_name_their_country_or_continent_and_are_adjectival(geoparse) -> None:  # type: ignore[no-untyped-def]
    found = geoparse("Syrian and European officials met.")
    syrian, european = _place(found, "Syrian"), _place(found, "European")
    assert (syrian.country, syrian.feature, syrian.adjectival) == ("SY", "country", True)
    assert (european.canonical, european.feature, european.adjectival) == ("Europe", "continent", True)


def test_abbreviations_as_written_and_only_then(geoparse) -> None:  # type: ignore[no-untyped-def]
    wv = _place(geoparse("Flooding closed roads in Logan, W.Va. on Monday."), "W.Va.")
    assert (wv.canonical, wv.feature) == ("West Virginia", "admin1")
    eu = _place(geoparse("The EU imposed sanctions."), "EU")
    assert eu.canonical == "European Union"  # not Eu, the Norman town
    uae = _place(geoparse("Talks moved to the UAE."), "UAE")
    assert uae.country == "AE"
    credited = geoparse("KANO, Nigeria (AP) - Gunmen attacked a market.")
    assert "AP" not in {t.name for t in credited}  # a wire service's credit, not Andhra Pradesh


def test_a_bare_capital_is_the_capital(geoparse) -> None:  # type: ignore[no-untyped-def]
    assert _place(geoparse("Officials in Washington said talks would resume."), "Washington").admin1 == "Washington, D.C."
    assert _place(geoparse("Protesters marched in London on Saturday."), "London").country == "GB"


def test_the_dateline_country_leans_the_rest(geoparse) -> None:  # type: ignore[no-untyped-def]
    found = geoparse("TRIPOLI, Lebanon (Reuters) - A bomb exploded in a market in Tripoli on Friday.")
    assert all(t.country == "LB" for t in found if t.name.lower() == "tripoli")
    assert "dateline country" in _place(found, "Tripoli").reason


def test_one_name_repeated_is_no_evidence_for_itself(geoparse) -> None:  # type: ignore[no-untyped-def]
    # Five mentions of Paris in a Texas story must not vote for France among themselves.
    text = ("PARIS, Texas - Paris police said a fire in Paris destroyed two homes. Lamar County deputies helped. "
            "Paris schools closed, and Paris residents in Texas were told to stay away.")
    assert {t.country for t in geoparse(text) if t.name.lower() == "paris"} == {"US"}


def test_a_given_facility_is_placed_at_the_place_its_name_begins_with(geoparse) -> None:  # type: ignore[no-untyped-def]
    text = "He was sentenced at Seoul Central District Court. A march went down Royal Street."
    court, street = geoparse(text, [(20, 48), (68, 80)])
    assert court is not None and court.canonical == "Seoul" and "inside a longer name" in court.reason
    # A street named like a town is not in that town: no name of its own, it gets the article's focus.
    assert street is not None and street.at_focus and street.canonical == "Seoul"


def test_a_bracketed_region_places_an_unknown_namesake_inside_it(geoparse) -> None:  # type: ignore[no-untyped-def]
    found = geoparse("Jets hit a militant camp near Gana (Damboa, Borno) at dawn on Friday.")
    gana = _place(found, "Gana")  # the gazetteer's Ganas are all elsewhere: not the Indian town Guna
    assert (gana.canonical, gana.country, gana.feature) == ("Borno", "NG", "admin1")
    assert "region written after it" in gana.reason
    listed = geoparse("Fighting went on in Aleppo, Idlib and Hama.")
    assert _place(listed, "Aleppo").canonical == "Aleppo"  # a list, not Aleppo inside Idlib


def test_lowercased_countries_and_demonyms_are_found_without_a_locative(geoparse) -> None:  # type: ignore[no-untyped-def]
    found = {t.name: t for t in geoparse("talks between russia and china resumed , while germany watched . "
                                         "european and mexican officials said little .")}
    assert {"russia", "china", "germany", "european", "mexican"} <= set(found)
    assert found["european"].canonical == "Europe" and found["mexican"].adjectival
    assert not geoparse("he took a bath and the talks were split .")  # ordinary words stay words


def test_an_address_names_where_a_place_is(geoparse) -> None:  # type: ignore[no-untyped-def]
    # A chain of units ends in the region; no Cruz Grande the gazetteer knows lies in Sonsonate.
    found = geoparse("Gang members attacked police outside Cruz Grande, Izalco, Sonsonate on Sunday.")
    assert (_place(found, "Cruz Grande").country, _place(found, "Izalco").country) == ("SV", "SV")


def test_lowercased_a_name_taken_as_a_place_once_is_that_place_throughout(geoparse) -> None:  # type: ignore[no-untyped-def]
    text = ("the council met in gainesville on monday . gainesville officials said the budget was short . "
            "later , gainesville approved it .")
    found = [t for t in geoparse(text) if t.name == "gainesville"]
    assert len(found) == 3 and {t.country for t in found} == {"US"}
    assert not geoparse("officials said the budget was short ; later , they approved it .")


def test_lowercased_a_town_is_named_by_the_noun_it_modifies(geoparse) -> None:  # type: ignore[no-untyped-def]
    assert {t.name for t in geoparse("a shreveport man was charged on friday .")} == {"shreveport"}
    assert not geoparse("the buffalo grazed by the road .")  # an animal by itself stays an animal


def test_lowercased_names_of_ordinary_words_and_short_names(geoparse) -> None:  # type: ignore[no-untyped-def]
    found = {t.name: t for t in geoparse("a ship sank in the red sea ; the us envoy flew to the uk , then the eu .")}
    assert {"red sea", "us", "uk", "eu"} <= set(found)
    assert found["us"].canonical == "United States" and found["eu"].canonical == "European Union"
    assert not geoparse("he told us that they would stay .")  # the pronoun


def test_lowercased_a_state_abbreviation_after_a_comma(geoparse) -> None:  # type: ignore[no-untyped-def]
    found = geoparse("flooding closed roads in logan , w.va. on monday .")
    assert any(t.canonical == "West Virginia" for t in found)
    assert not any(t.feature == "admin1" for t in geoparse("the ky bill passed ."))
