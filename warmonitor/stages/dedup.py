"""Dedup stage: one event reported twice in an article is stored once.

Agency copy repeats its lead ("broke the siege" in the lead, "managed to break the siege" later).
Two events of one article are the same when their type, actors, place and date agree; the
better-attested one (more fields coded, then earlier) is kept and the other becomes evidence that
corroborates it. Cross-article de-duplication belongs to the store, which sees all articles.
"""

from __future__ import annotations

import re

from warmonitor.model import Analysis, Event, Evidence
from warmonitor.stages.base import ArticleStage


def identity(event: Event) -> tuple[object, ...] | None:
    """What makes two mentions one event; None when too little is coded to tell."""
    if event.actor1 is None or event.location is None:
        return None
    if event.location.fallback:
        return None  # a guessed place cannot tell two events apart
    return (
        event.plover_type,
        event.status,
        event.actor1.canonical,
        event.actor2.canonical if event.actor2 else None,
        event.location.geonames_id or event.location.canonical,
        event.date,
    )


def _weight(event: Event) -> tuple[int, float, int]:
    coded = sum(x is not None for x in (event.actor1, event.actor2, event.location, event.attribution))
    return coded, event.confidence, -event.sentence_index


_CASUALTY_WORDS = {"killed", "kill", "killing", "died", "die", "dead", "wounded", "wound", "injured", "injure", "shot"}


# "were killed in a gunbattle", "died during an ambush": an indefinite article brings in an act the
# sentence before did not tell ("in the attack" points back to one it did)
_OWN_CAUSE = re.compile(r"\b(?:killed|died|dead|wounded|injured|hurt)\s+(?:\w+\s+)?(?:in|during)\s+(?:a|an|another)\s", re.I)


def _names_its_own_cause(event: Event) -> bool:
    start = event.trigger_span.start - event.span.start
    return bool(_OWN_CAUSE.match(event.sentence, max(start, 0)))


def _fold_casualty_reports(events: list[Event]) -> list[Event]:
    """"Air strikes hit Marib. Three people were killed.", "three were killed in police firing":
    a casualty report with no attacker gives the toll of the attack beside it (same sentence, or
    the one before), not a new attack by nobody. Its toll moves to that attack, and so do its
    victims ("three civilians died in the raid") when the attack names no target."""
    attacks = [e for e in events if e.plover_type == "ASSAULT" and e.actor1 is not None]
    kept: list[Event] = []
    for event in events:
        parent: Event | None = None
        if event.plover_type == "ASSAULT" and event.actor1 is None and event.trigger.lower() in _CASUALTY_WORDS:
            same = [a for a in attacks if a.sentence_index == event.sentence_index and a is not event]
            before = [] if _names_its_own_cause(event) else \
                [a for a in attacks if a.sentence_index == event.sentence_index - 1]
            candidates = same or before[-1:]
            parent = candidates[0] if candidates else None
        if parent is None or parent.status != event.status:
            kept.append(event)
            continue
        if parent.fatalities is None and event.fatalities is not None and not event.toll_is_vague:
            parent.fatalities = event.fatalities
            parent.evidence.append(Evidence("fatalities", event.sentence, event.span,
                                            f"toll reported with '{event.trigger}' in sentence {event.sentence_index + 1}"))
        if parent.actor2 is None and event.actor2 is not None and event.actor2 is not parent.actor1:
            parent.actor2 = event.actor2
            parent.evidence.append(Evidence("actor2", event.actor2.name, event.actor2.span,
                                            f"victims of '{event.trigger}' in sentence {event.sentence_index + 1}"))
    return kept


def run(analysis: Analysis) -> None:
    analysis.events = _fold_casualty_reports(analysis.events)
    kept: dict[tuple[object, ...], Event] = {}
    result: list[Event] = []
    seen_triggers: set[tuple[int, int, str]] = set()
    for event in analysis.events:
        trigger = (event.trigger_span.start, event.trigger_span.end, event.plover_type)
        if trigger in seen_triggers:
            continue
        seen_triggers.add(trigger)
        key = identity(event)
        if key is None:
            result.append(event)
            continue
        current = kept.get(key)
        if current is None:
            kept[key] = event
            result.append(event)
            continue
        winner, loser = (event, current) if _weight(event) > _weight(current) else (current, event)
        winner.evidence.append(Evidence("corroboration", loser.sentence, loser.span,
                                        f"same event also reported in sentence {loser.sentence_index + 1}"))
        winner.confidence = min(0.99, winner.confidence + 0.05)
        if winner is event:
            result[result.index(current)] = event
            kept[key] = event
    analysis.events = result


STAGE = ArticleStage(
    "dedup",
    reads=("events",),
    writes=("events", "events.fatalities", "events.evidence", "events.confidence"),
    step=lambda analysis, _resources: run(analysis),
)
