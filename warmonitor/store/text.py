"""What a text search over events reads: one lower-case string per event record."""

from __future__ import annotations

from typing import Any

_ACTOR_KEYS = ("name", "canonical")
_PLACE_KEYS = ("name", "canonical", "admin1", "admin2")


def search_text(record: dict[str, Any]) -> str:
    """A record's sentences (its own, or every mention's for a canonical event), trigger, actors
    and place, lower case, one a line."""
    parts: list[str] = [str(record.get("sentence") or ""), str(record.get("trigger") or "")]
    parts += [str(mention.get("sentence") or "") for mention in record.get("mentions") or []]
    actors = [record.get("actor1"), record.get("actor2"), *(record.get("actor1_associates") or [])]
    parts += [str(actor.get(key) or "") for actor in actors if isinstance(actor, dict) for key in _ACTOR_KEYS]
    location = record.get("location") or {}
    parts += [str(location.get(key) or "") for key in _PLACE_KEYS]
    return "\n".join(dict.fromkeys(part.lower() for part in parts if part))
