"""Output formats: JSON lines and CSV, their registry, and the flat CSV columns."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO
from unittest import mock

import pytest

from warmonitor.errors import ExportError
from warmonitor.export import FORMATS, CsvExporter, JsonLinesExporter, export_records, get_format, register_format, write_records
from warmonitor.record import FLAT_COLUMNS, flatten

ACTOR = {"name": "Government troops", "canonical": "Military Forces of Syria", "country": "SYR", "type": "military",
         "span": [0, 17], "country_from": "dictionary"}
TARGET = {"name": "rebel", "canonical": "Rebels (Syria)", "country": "SYR", "type": "rebel", "span": [27, 32],
          "country_from": "article"}
PLACE = {"name": "Idlib", "canonical": "Idlib", "geonames_id": 169389, "lat": 35.93, "lon": 36.63, "country": "SY",
         "admin1": "Idlib", "admin2": None, "precision": "near", "span": [46, 51]}
RECORD: dict[str, Any] = {
    "id": "a1b2c3d4e5f60718", "article_id": "0011223344556677", "sentence": "Government troops shelled “rebel” positions.",
    "span": [0, 88], "trigger": "shelled", "trigger_span": [33, 40], "plover_type": "ASSAULT", "cameo_root": "19",
    "acled_event_type": "Explosions/Remote violence", "acled_sub_event_type": None, "status": "occurred",
    "date": "2024-01-01", "date_precision": "day", "actor1": ACTOR, "actor2": TARGET, "actor1_associates": [ACTOR], "location": PLACE,
    "attribution": "a monitoring group", "fatalities": 2, "confidence": 0.8,
}


def written(records: list[dict[str, Any]], format_name: str) -> tuple[str, int]:
    output = io.StringIO()
    count = write_records(records, output, format_name)
    return output.getvalue(), count


def test_jsonl_is_one_record_a_line_unescaped() -> None:
    text, count = written([RECORD, {"id": "second"}], "jsonl")
    assert count == 2
    assert text == json.dumps(RECORD, ensure_ascii=False) + "\n" + '{"id": "second"}\n'
    assert "“rebel”" in text
    assert json.loads(text.splitlines()[0]) == RECORD


def test_csv_header_is_the_flat_columns() -> None:
    text, count = written([], "csv")
    assert count == 0
    assert next(csv.reader(io.StringIO(text))) == list(FLAT_COLUMNS)
    assert text.endswith("\r\n")


def test_csv_rows_are_the_flattened_records() -> None:
    text, count = written([{**RECORD, "actor2": None}, {"id": "sparse", "unknown_field": "dropped"}], "csv")
    assert count == 2
    full, sparse = csv.DictReader(io.StringIO(text))
    assert full["actor1.canonical"] == "Military Forces of Syria"
    assert full["location.lat"] == "35.93"
    assert full["span"] == "[0, 88]"
    assert full["actor2.name"] == "" and full["acled_sub_event_type"] == ""
    assert sparse["id"] == "sparse" and "unknown_field" not in sparse
    assert all(value == "" for column, value in sparse.items() if column != "id")


def test_a_nested_record_round_trips_through_flatten() -> None:
    flat = flatten(RECORD)
    assert tuple(flat) == FLAT_COLUMNS
    rebuilt: dict[str, Any] = {}
    for column, value in flat.items():
        *parents, key = column.split(".")
        target = rebuilt
        for parent in parents:
            target = target.setdefault(parent, {})
        target[key] = json.loads(value) if key.endswith(("span", "associates")) else value
    assert rebuilt == RECORD


def test_the_built_in_formats_are_registered() -> None:
    assert isinstance(FORMATS["jsonl"], JsonLinesExporter)
    assert isinstance(FORMATS["csv"], CsvExporter)
    assert get_format("csv") is FORMATS["csv"]


def test_an_unknown_format_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match="unknown output format 'xml'; known formats: "
                       "acled-csv, csv, geojson, jsonl, parquet, plover-json"):
        write_records([RECORD], io.StringIO(), "xml")


def test_a_registered_format_is_used_by_name() -> None:
    class Ids:
        name = "ids"

        def write(self, records: Iterable[dict[str, Any]], output: TextIO) -> int:
            ids = [record["id"] for record in records]
            output.write(" ".join(ids))
            return len(ids)

    exporter = Ids()
    with mock.patch.dict(FORMATS):  # the registry is restored after the test
        assert register_format(exporter) is exporter
        assert written([RECORD, {"id": "x"}], "ids") == ("a1b2c3d4e5f60718 x", 2)
    assert "ids" not in FORMATS


def test_geojson_is_a_feature_collection_that_loses_no_record() -> None:
    toponym = {"name": "Kano", "lat": 12.0, "lon": 8.52, "country": "NG"}
    text, count = written([RECORD, toponym, {"id": "no place", "location": None}], "geojson")
    collection = json.loads(text)
    assert count == 3 and collection["type"] == "FeatureCollection"
    event, town, placeless = collection["features"]
    assert event["geometry"] == {"type": "Point", "coordinates": [36.63, 35.93]}  # lon, lat: GeoJSON's order
    assert event["properties"] == RECORD
    assert town["geometry"]["coordinates"] == [8.52, 12.0]
    assert placeless["geometry"] is None and placeless["properties"]["id"] == "no place"


def test_geojson_of_nothing_is_still_valid() -> None:
    text, count = written([], "geojson")
    assert count == 0 and json.loads(text) == {"type": "FeatureCollection", "features": []}


def test_an_export_that_cannot_be_written_is_an_error_and_leaves_no_file(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="cannot write"):
        export_records([RECORD], tmp_path / "missing" / "events.csv", "csv")
    target = tmp_path / "events.jsonl"

    def failing() -> Iterable[dict[str, Any]]:
        yield RECORD
        raise OSError(28, "No space left on device")

    with pytest.raises(ExportError, match="No space left"):
        export_records(failing(), target, "jsonl")
    assert list(tmp_path.iterdir()) == []  # neither the file nor its partial copy
