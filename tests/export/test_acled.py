"""ACLED's CSV layout: codes, precisions and names from a canonical event record."""

from __future__ import annotations

import csv
import io
from typing import Any

from warmonitor.export.acled import ACLED_COLUMNS, AcledCsvExporter, acled_row, inter_code

ARMY = {"name": "the army", "canonical": "Military Forces of Nigeria", "country": "NGA", "type": "military"}
GUNMEN = {"name": "bandits", "canonical": "Unidentified armed group (Nigeria)", "country": "NGA", "type": "militia"}
VILLAGERS = {"name": "villagers", "canonical": "Civilians (Nigeria)", "country": "NGA", "type": "civilians"}
GUSAU = {"name": "Gusau", "canonical": "Gusau", "geonames_id": 2339354, "lat": 12.16, "lon": 6.66, "country": "NG",
         "admin1": "Zamfara", "admin2": "Gusau", "precision": "exact", "span": [30, 35]}


def canonical(**changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": "00ff00ff00ff00ff", "plover_type": "ASSAULT", "acled_event_type": "Violence against civilians",
        "acled_sub_event_type": "Attack", "status": "occurred", "date": "2026-03-09", "date_precision": "day",
        "actor1": GUNMEN, "actor2": VILLAGERS, "actor1_associates": [], "location": GUSAU, "fatalities": 12,
        "mentions": [{"source": "Sahel Courier", "sentence": "Gunmen killed 12 villagers near Gusau."},
                     {"source": "Continental Wire", "sentence": "The toll rose to 12."},
                     {"source": "Sahel Courier", "sentence": "Twelve were buried."}],
        "updated_at": "2026-03-10T08:00:00+00:00",
    }
    record.update(changes)
    return record


def test_a_row_carries_acleds_codes_and_names() -> None:
    row = acled_row(canonical())
    assert list(row) == list(ACLED_COLUMNS)
    assert row["event_id_cnty"].startswith("NGA")
    assert (row["event_date"], row["year"], row["time_precision"]) == ("2026-03-09", 2026, 1)
    assert (row["disorder_type"], row["event_type"], row["sub_event_type"]) == (
        "Political violence", "Violence against civilians", "Attack")
    assert (row["inter1"], row["inter2"], row["interaction"]) == (3, 7, "37")
    assert row["civilian_targeting"] == "Civilian targeting"
    assert (row["iso"], row["region"], row["country"]) == (566, "Western Africa", "Nigeria")
    assert (row["admin1"], row["admin2"], row["location"], row["geo_precision"]) == ("Zamfara", "Gusau", "Gusau", 1)
    assert row["source"] == "Sahel Courier; Continental Wire"  # each outlet once, first report first
    assert row["fatalities"] == 12
    assert row["timestamp"] == 1773129600


def test_coarse_dates_and_places_get_acleds_wider_precisions() -> None:
    region = {**GUSAU, "precision": "admin1", "admin2": None}
    row = acled_row(canonical(date_precision="month", location=region))
    assert (row["time_precision"], row["geo_precision"], row["admin2"]) == (3, 3, "")


def test_state_forces_abroad_are_external_forces_and_rioters_are_rioters() -> None:
    in_chad = {**GUSAU, "country": "TD"}
    assert inter_code(ARMY, canonical(location=in_chad)) == 8
    assert inter_code(ARMY, canonical()) == 1
    crowd = {"name": "protesters", "canonical": "Protesters (Nigeria)", "type": "protesters", "country": "NGA"}
    assert inter_code(crowd, canonical(acled_event_type="Riots")) == 5
    assert inter_code(crowd, canonical(acled_event_type="Protests")) == 6


def test_an_event_acled_has_no_type_for_is_kept_as_a_strategic_development() -> None:
    row = acled_row(canonical(plover_type="ACCUSE", acled_event_type=None, acled_sub_event_type=None))
    assert (row["event_type"], row["sub_event_type"], row["tags"]) == ("Strategic developments", "Other", "plover=ACCUSE")


def test_the_csv_reads_back_with_one_row_per_event() -> None:
    output = io.StringIO()
    assert AcledCsvExporter().write([canonical(), canonical(id="11ff00ff00ff00ff")], output) == 2
    rows = list(csv.DictReader(io.StringIO(output.getvalue())))
    assert [row["admin2"] for row in rows] == ["Gusau", "Gusau"]
    assert rows[0]["event_id_cnty"] != rows[1]["event_id_cnty"]
