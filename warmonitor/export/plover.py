"""POLECAT/PLOVER-style JSON: one object per canonical event, as a JSON array.

Each holds the PLOVER ``event_type`` and, where the ACLED sub-type pins it down, its ``mode``;
``actor`` and ``recipient`` with their country (ISO 3166 alpha-3) and sector; the date and its
precision; the place; and every report's source sentence.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TextIO

from warmonitor.export.base import register_format, write_json_array

# ACLED sub-type → the PLOVER mode it names (how the act was carried out).
MODES = {
    "Air/drone strike": "aerial", "Shelling/artillery/missile attack": "explosives",
    "Remote explosive/landmine/IED": "explosives", "Suicide bomb": "explosives", "Grenade": "explosives",
    "Chemical weapon": "cbrn", "Armed clash": "firearms", "Sexual violence": "sexual",
    "Abduction/forced disappearance": "abduct", "Arrests": "arrest", "Looting/property destruction": "seize",
    "Peaceful protest": "demonstrate", "Protest with intervention": "demonstrate",
    "Excessive force against protesters": "beat", "Violent demonstration": "riot", "Mob violence": "riot",
    "Government regains territory": "firearms", "Non-state actor overtakes territory": "firearms",
}
# warmonitor actor type → sector
SECTORS = {"government": "Government", "military": "Military", "police": "Police", "rebel": "Rebels",
           "militia": "Militia", "igo": "International organization", "ngo": "NGO", "civilians": "Civilians",
           "protesters": "Protesters", "media": "Media", "party": "Political party", "person": "Individual"}


def _party(actor: dict[str, Any] | None) -> dict[str, Any]:
    if not actor:
        return {"name": None, "country": None, "sector": None}
    return {"name": actor.get("canonical") or actor.get("name"), "country": actor.get("country"),
            "sector": SECTORS.get(str(actor.get("type")))}


def plover_event(record: dict[str, Any]) -> dict[str, Any]:
    """One canonical event record in PLOVER's shape."""
    actor, recipient = _party(record.get("actor1")), _party(record.get("actor2"))
    location = record.get("location") or {}
    return {
        "event_id": record["id"], "event_type": record.get("plover_type"),
        "mode": MODES.get(str(record.get("acled_sub_event_type"))), "status": record.get("status"),
        "cameo_root": record.get("cameo_root"),
        "actor": actor["name"], "actor_country": actor["country"], "actor_sector": actor["sector"],
        "recipient": recipient["name"], "recipient_country": recipient["country"], "recipient_sector": recipient["sector"],
        "date": record.get("date"), "date_precision": record.get("date_precision"),
        "location": {key: location.get(key) for key in ("name", "canonical", "geonames_id", "lat", "lon", "country",
                                                        "admin1", "precision")} if location else None,
        "fatalities": record.get("fatalities"), "confidence": record.get("confidence"),
        "num_sources": record.get("num_sources"),
        "sources": [{key: m.get(key) for key in ("source", "url", "published", "sentence")}
                    for m in record.get("mentions") or []],
    }


class PloverJsonExporter:
    name = "plover-json"
    binary = False

    def write(self, records: Iterable[dict[str, Any]], output: TextIO) -> int:
        return write_json_array((plover_event(record) for record in records), output)


register_format(PloverJsonExporter())
