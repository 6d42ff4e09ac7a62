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


def test_given_spans_get_one_result_each_in_order(geoparse) -> None:  # type: ignore[no-untyped-def]
    text = "Syrian troops entered Aleppo; talks in Qwxzyv failed."
    spans = [(0, 6), (22, 28), (39, 45)]
    results = geoparse(text, spans)
    assert len(results) == 3
    assert results[0] is not None and results[0].country == "SY" and results[0].adjectival
    assert results[1] is not None and results[1].feature == "city" and results[1].country == "SY"
    assert results[2] is None


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
