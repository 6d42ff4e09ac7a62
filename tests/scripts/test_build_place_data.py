"""The committed place tables in warmonitor/data/places/ and the script that derives them from Natural Earth."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
PLACES = ROOT / "warmonitor" / "data" / "places"
SCRIPT = ROOT / "scripts" / "build_place_data.py"

# file -> (columns, fewest rows a sound build gives)
TABLES = {
    "countries.tsv": (("iso2", "iso3", "name", "lat", "lon", "population", "continent", "subregion", "aliases"), 230),
    "admin1.tsv": (("iso2", "name", "lat", "lon", "geonames_id", "gn_a1_code", "type", "aliases", "abbreviations"), 4000),
    "admin2.tsv": (("iso2", "name", "lat", "lon", "admin1_postal", "type", "aliases"), 3000),
    "physical.tsv": (("name", "feature", "featurecla", "lat", "lon", "scalerank", "aliases"), 1000),
    "airports.tsv": (("name", "iata", "icao", "lat", "lon", "type"), 800),
}


def read(filename: str) -> tuple[list[str], list[dict[str, str]]]:
    """A table's header and its rows as dicts, checking that every line has as many fields as the header."""
    lines = (PLACES / filename).read_text(encoding="utf-8").split("\n")
    assert lines[-1] == "", f"{filename} must end with a newline"
    header = lines[0].split("\t")
    rows = []
    for number, line in enumerate(lines[1:-1], start=2):
        fields = line.split("\t")
        assert len(fields) == len(header), f"{filename}:{number} has {len(fields)} fields"
        rows.append(dict(zip(header, fields, strict=True)))
    return header, rows


def find(filename: str, **match: str) -> list[dict[str, str]]:
    return [row for row in read(filename)[1] if all(row[key] == value for key, value in match.items())]


def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_place_data", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("filename", sorted(TABLES))
def test_table_has_its_columns_and_plausible_rows(filename: str) -> None:
    columns, fewest = TABLES[filename]
    header, rows = read(filename)
    assert tuple(header) == columns
    assert len(rows) >= fewest
    for row in rows:
        assert row["name"], row
        assert -90 <= float(row["lat"]) <= 90, row
        assert -180 <= float(row["lon"]) <= 180, row
        aliases = row.get("aliases", "")
        if aliases:
            items = aliases.split("|")
            assert all(item and item == item.strip() for item in items), row
            assert len({item.casefold() for item in items}) == len(items), row
            assert row["name"].casefold() not in {item.casefold() for item in items}, row


def test_tables_are_sorted_and_countries_unique() -> None:
    for filename in TABLES:
        lines = (PLACES / filename).read_text(encoding="utf-8").splitlines()[1:]
        assert len(set(lines)) == len(lines), f"{filename} repeats a row"
    codes = [row["iso2"] for row in read("countries.tsv")[1]]
    assert codes == sorted(set(codes))
    assert all(len(code) == 2 for code in codes)


def test_country_label_points() -> None:
    (russia,) = find("countries.tsv", iso2="RU")
    assert float(russia["lon"]) > 40 and float(russia["lat"]) > 50
    (usa,) = find("countries.tsv", iso2="US")
    assert 25 <= float(usa["lat"]) <= 50 and -125 <= float(usa["lon"]) <= -66
    assert usa["iso3"] == "USA" and "United States of America" in {usa["name"], *usa["aliases"].split("|")}


def test_kentucky_codes() -> None:
    (kentucky,) = find("admin1.tsv", iso2="US", name="Kentucky")
    assert {"Ky.", "KY"} <= set(kentucky["abbreviations"].split("|"))
    assert kentucky["gn_a1_code"] == "US.KY"
    assert "KY" not in kentucky["aliases"].split("|")


def test_autauga_county() -> None:
    (autauga,) = find("admin2.tsv", name="Autauga", admin1_postal="AL")
    assert autauga["type"] == "County" and "Autauga County" in autauga["aliases"].split("|")


def test_physical_features() -> None:
    assert find("physical.tsv", name="Mediterranean Sea", feature="water")
    assert find("physical.tsv", name="Africa", feature="continent")
    (erie,) = find("physical.tsv", name="Lake Erie")
    assert "Erie" not in erie["aliases"].split("|")  # a bare "Erie" would be mistaken for the city
    assert len(find("physical.tsv", name="Mississippi")) == 1  # pieces of one river are one place


def test_aliases_are_latin_script() -> None:
    module = script()
    assert module.is_latin("Łódź") and module.is_latin("Côte d'Ivoire") and module.is_latin("Aydar Ko‘l")
    assert not module.is_latin("Київ") and not module.is_latin("القاهرة")
    assert module.title_case("GULF OF ADEN") == "Gulf of Aden"
    assert module.title_case("SIKHOTE-ALIN’ RANGE") == "Sikhote-Alin’ Range"


def test_script_reproduces_the_committed_tables(shared_dir: Path, tmp_path: Path) -> None:
    source = shared_dir / "gazetteer" / "natural-earth"
    if not source.is_dir():
        pytest.skip(f"{source} (the Natural Earth extract) is not beside this clone")
    subprocess.run([sys.executable, str(SCRIPT), "--source", str(source), "--out", str(tmp_path)], check=True, capture_output=True)
    for filename in TABLES:
        assert (tmp_path / filename).read_bytes() == (PLACES / filename).read_bytes(), f"{filename} differs; rerun {SCRIPT.name}"
