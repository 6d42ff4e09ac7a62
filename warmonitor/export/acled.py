"""ACLED's CSV layout: one row per canonical event, ACLED's columns, codes and precisions.

Columns and codes follow ACLED's codebook: ``inter1``/``inter2`` are actor categories (1 state
forces … 8 external/other forces), ``interaction`` the two together (lower first), precisions run
1 (day, the named town) to 3 (month or wider, a province or wider). Events ACLED's scheme has no
type for (PLOVER-only: accusations, visits, aid) are kept, as Strategic developments / Other with
the PLOVER type in ``tags``, so the export still holds one row per canonical event.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any, TextIO

from warmonitor.countries import country_by_code, country_by_iso3
from warmonitor.export.base import register_format, write_each

ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)
_DISORDER = {"Battles": "Political violence", "Explosions/Remote violence": "Political violence",
             "Violence against civilians": "Political violence", "Protests": "Demonstrations",
             "Riots": "Demonstrations", "Strategic developments": "Strategic developments"}
_TIME_PRECISION = {"day": 1, "week": 2}
_GEO_PRECISION = {"exact": 1, "near": 2}
# warmonitor actor type → ACLED actor category
_INTER = {"government": 1, "military": 1, "police": 1, "rebel": 2, "militia": 3, "party": 3, "protesters": 6,
          "civilians": 7, "media": 7, "ngo": 7, "person": 7, "igo": 8}
_IDENTITY_WORDS = ("communal", "ethnic", "clan", "tribal", "villagers", "herders", "farmers", "vigilante")


def inter_code(actor: dict[str, Any] | None, record: dict[str, Any]) -> int | None:
    """ACLED's actor category for a record's actor; None when there is no actor."""
    if not actor:
        return None
    kind = actor.get("type")
    name = f"{actor.get('canonical') or ''} {actor.get('name') or ''}".lower()
    if kind == "protesters" and record.get("acled_event_type") == "Riots":
        return 5  # rioters
    if kind == "militia" and any(word in name for word in _IDENTITY_WORDS):
        return 4
    code = _INTER.get(str(kind), 8 if kind else 7)
    if code == 1:
        # State forces outside their own country are "external/other forces" to ACLED.
        place = country_by_code((record.get("location") or {}).get("country"))
        if place and place.iso3 and actor.get("country") and actor["country"] != place.iso3:
            return 8
    return code


def _actor_name(actor: dict[str, Any] | None) -> str:
    return str(actor.get("canonical") or actor.get("name") or "") if actor else ""


def acled_row(record: dict[str, Any]) -> dict[str, Any]:
    """One canonical event record as a row of ACLED's CSV."""
    location = record.get("location") or {}
    country = country_by_code(location.get("country")) or country_by_iso3((record.get("actor1") or {}).get("country"))
    event_type = record.get("acled_event_type")
    sub_type = record.get("acled_sub_event_type")
    tags = []
    if not event_type:
        event_type, sub_type = "Strategic developments", "Other"
        tags.append(f"plover={record.get('plover_type')}")
    if event_type in {"Protests", "Riots"}:
        tags.append("crowd size=no report")
    inter1 = inter_code(record.get("actor1"), record)
    inter2 = inter_code(record.get("actor2"), record)
    codes = sorted(code for code in (inter1, inter2) if code is not None)
    interaction = "".join(str(code) for code in codes) + ("0" if len(codes) == 1 else "")
    when = record.get("date") or record.get("published")
    mentions = record.get("mentions") or []
    sources = list(dict.fromkeys(str(m.get("source")) for m in mentions if m.get("source")))
    notes = " ".join(dict.fromkeys(str(m.get("sentence")) for m in mentions[:2] if m.get("sentence")))
    updated = record.get("updated_at")
    timestamp = int(datetime.fromisoformat(updated).timestamp()) if updated else int(datetime.now(UTC).timestamp())
    return {
        "event_id_cnty": f"{country.iso3 if country and country.iso3 else 'XXX'}{int(str(record['id'])[:10], 16)}",
        "event_date": when or "", "year": date.fromisoformat(when).year if when else "",
        "time_precision": _TIME_PRECISION.get(str(record.get("date_precision")), 3),
        "disorder_type": _DISORDER.get(str(event_type), ""), "event_type": event_type, "sub_event_type": sub_type or "",
        "actor1": _actor_name(record.get("actor1")),
        "assoc_actor_1": "; ".join(_actor_name(a) for a in record.get("actor1_associates") or []),
        "inter1": inter1 or 0, "actor2": _actor_name(record.get("actor2")), "assoc_actor_2": "",
        "inter2": inter2 or 0, "interaction": interaction or "0",
        "civilian_targeting": "Civilian targeting" if (record.get("actor2") or {}).get("type") == "civilians"
        and _DISORDER.get(str(event_type)) == "Political violence" else "",
        "iso": country.numeric if country and country.numeric is not None else "",
        "region": country.acled_region if country and country.acled_region else "",
        "country": country.name if country else "", "admin1": location.get("admin1") or "",
        "admin2": location.get("admin2") or "", "admin3": "",
        "location": location.get("canonical") or location.get("name") or "",
        "latitude": location.get("lat", ""), "longitude": location.get("lon", ""),
        "geo_precision": _GEO_PRECISION.get(str(location.get("precision")), 3) if location else "",
        "source": "; ".join(sources), "source_scale": "", "notes": notes,
        "fatalities": record.get("fatalities") or 0, "tags": "; ".join(tags), "timestamp": timestamp,
    }


class AcledCsvExporter:
    name = "acled-csv"
    binary = False

    def write(self, records: Iterable[dict[str, Any]], output: TextIO) -> int:
        writer = csv.DictWriter(output, fieldnames=ACLED_COLUMNS)
        writer.writeheader()
        return write_each(records, lambda record: writer.writerow(acled_row(record)))


register_format(AcledCsvExporter())
