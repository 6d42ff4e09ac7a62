"""Gazetteer lookups and the rule that a gazetteer built from other sources is rebuilt."""

from __future__ import annotations

from pathlib import Path

import pytest

from warmonitor.errors import GazetteerMissing
from warmonitor.gazetteer import Gazetteer, article_forms, fingerprint
from warmonitor.settings import Settings


def test_fingerprint_follows_the_override_files(tmp_path: Path) -> None:
    extra = tmp_path / "extra.csv"
    extra.write_text("name,aliases,feature,lat,lon,country,admin1,geonames_id,population\n", encoding="utf-8")
    base = fingerprint()
    assert fingerprint(extra) != base
    extra.write_text(extra.read_text() + "Camp Alpha,,region,1.0,2.0,SD,,,0\n", encoding="utf-8")
    assert fingerprint(extra) not in {base, fingerprint(tmp_path / "missing.csv")}


def test_a_gazetteer_from_other_sources_is_refused(settings: Settings) -> None:
    if not settings.gazetteer.exists():
        pytest.skip("gazetteer not built; ./test.sh builds it")
    Gazetteer(settings.gazetteer, fingerprint(settings.gazetteer_overrides))
    with pytest.raises(GazetteerMissing, match="older warmonitor"):
        Gazetteer(settings.gazetteer, "0" * 16)


def test_transliterations_reach_the_same_place(settings: Settings) -> None:
    if not settings.gazetteer.exists():
        pytest.skip("gazetteer not built; ./test.sh builds it")
    gazetteer = Gazetteer(settings.gazetteer)
    ids = {gazetteer.lookup(key)[-1].geonames_id for key in ("deir al zor", "deir ez zor", "dayr az zawr")}
    assert ids == {170794}
    assert gazetteer.lookup("syria")[0].feature == "country"
    assert gazetteer.lookup("the") is None
    # the Arabic article as the news writes it: left out, written "al", or joined to its word
    assert {p.geonames_id for p in gazetteer.lookup("qamishli") or ()} == {173377}
    assert 170794 in {p.geonames_id for p in gazetteer.lookup("deir ezzor") or ()}


@pytest.mark.parametrize(
    ("name", "bare", "forms"),
    [
        ("Al Qāmishlī", True, {"qamishli", "alqamishli"}),
        ("As Salamīyah", True, {"salamiyah", "al salamiyah", "assalamiyah"}),
        ("Deir ez-Zor", True, {"deir al zor", "deir ezzor"}),
        ("As Salamīyah", False, {"al salamiyah", "assalamiyah"}),  # a small place keeps its article
        ("Al Bab", True, {"albab"}),  # "Bab" alone is too short to be a name
        ("Homs", True, set()),
    ],
)
def test_arabic_article_spellings(name: str, bare: bool, forms: set[str]) -> None:
    assert article_forms(name, bare) == forms


def test_user_overrides_add_places_and_move_existing_ones(tmp_path: Path) -> None:
    from warmonitor.gazetteer import NameKind, _apply_overrides, _Builder

    builder = _Builder()
    boni = builder.add(None, "Boni", "city", 47.0, 2.0, "FR", None, 300)  # a same-named French hamlet
    user = tmp_path / "mine.csv"
    user.write_text("name,aliases,feature,lat,lon,country,admin1,geonames_id,population\n"
                    "# a comment line is skipped\n"
                    "Boni,,city,15.05,-1.93,FR,,,0\n"
                    "Camp Alpha,Alpha camp|the camp at Alpha,region,12.5,30.25,SD,,,0\n", encoding="utf-8")
    _apply_overrides(builder, user, country_ids={}, city_ids={})
    assert builder.rows[boni - 1][3:5] == [15.05, -1.93]  # the override's coordinates win
    camp = builder.by_name[("region", "camp alpha")]
    assert builder.rows[camp - 1][1:6] == ["Camp Alpha", "region", 12.5, 30.25, "SD"]
    assert builder.names[("alpha camp", camp)] is NameKind.NAME


def test_abbreviation_and_demonym_tables_name_real_places() -> None:
    import csv

    from warmonitor.gazetteer import PLACE_DATA

    with open(PLACE_DATA / "countries.tsv", encoding="utf-8") as handle:
        codes = {row["iso2"] for row in csv.DictReader(handle, delimiter="\t")}
    for table in ("abbreviations.tsv", "demonyms.tsv", "short_names.tsv"):
        with open(PLACE_DATA / table, encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t"))
        assert rows and all(row["word"].strip() == row["word"] and row["word"] for row in rows), table
        assert all(row["iso2"] in codes or (not row["iso2"] and row["region"]) for row in rows), table
