"""Cross-article de-duplication: reports of one real-world event become one canonical event.

Each article's events are *mentions*. Two mentions can be one incident when they agree in every
respect a report pins down: type, status, actors (where
both name one), place (within a distance set by the coarser of the two places' precision) and
date (within a window set by the coarser date precision). :func:`cluster` groups a block of
mentions deterministically: mentions in report order, each joining the cluster every member of
which no member of which rules it out and which it fits best on average (so one vague report cannot
chain two incidents together), or starting a cluster of its own. :func:`canonical_record` then
chooses each field of the canonical event by agreement and precision; tolls are reconciled,
never summed.

The thresholds are :class:`Thresholds`; ``bench/dedup.py`` measures them on reports written for
the purpose.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from warmonitor.gazetteer import distance_km
from warmonitor.model import EVENT_STATUSES

# A date this precise may be this many days off between two reports of one incident ("late
# Monday" / "overnight" / a time zone, a weekday misread), and so on for coarser precisions. An
# event with no date is compared by its report's date, which comes after the event.
DATE_WINDOW_DAYS = {"day": 2, "week": 7, "month": 31, "year": 366, "unknown": 7}
# Two places this precise may be this far apart and still be one incident's place.
PLACE_RADIUS_KM = {"exact": 30.0, "near": 60.0, "admin1": 250.0, "country": 2000.0}
_PRECISION_RANK = {"exact": 0, "near": 1, "admin1": 2, "country": 3}
_DATE_RANK = {"day": 0, "week": 1, "month": 2, "year": 3, "unknown": 4}
# PLOVER types whose two actors are interchangeable: "A clashed with B" is "B clashed with A".
_SYMMETRIC_TYPES = frozenset({"ASSAULT", "CONSULT", "COOPERATE", "AGREE"})
# ACLED event types one outlet may report as another: a raid on a village is an "attack" to one
# and a "clash" to the next; a bombing is remote violence or an attack on civilians.
_VIOLENT_ACLED_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
_DEMONSTRATION_TYPES = frozenset({"Protests", "Riots"})
_FACT_STATUSES = frozenset({"occurred", "ongoing"})
# An actor's country read from the article's main country or the event's place is a guess: two
# reports guessing differently about "gunmen" are no sign of two incidents.
_GUESSED_COUNTRY = frozenset({"article", "event_place"})


@dataclass(frozen=True, slots=True)
class Thresholds:
    """How sure the clustering must be that two mentions report one incident."""

    join: float = 0.55  # a mention joins the cluster it fits best when that fit (and its best link) reach this


@dataclass(frozen=True, slots=True)
class ActorKey:
    canonical: str | None
    name: str | None
    country: str | None
    type: str | None
    country_guessed: bool = False  # from the article or the event's place, not from the words

    @property
    def key(self) -> str | None:
        return (self.canonical or self.name or "").casefold() or None


@dataclass(frozen=True)
class Mention:
    """One article's event, with what clustering compares and its article's metadata (read from
    the record once: clustering a block compares each mention many times)."""

    id: str
    article_id: str
    record: dict[str, Any] = field(compare=False, hash=False)
    source: str | None = None
    url: str | None = None
    published: date | None = None

    @cached_property
    def plover_type(self) -> str:
        return str(self.record.get("plover_type") or "")

    @cached_property
    def acled_event_type(self) -> str | None:
        return self.record.get("acled_event_type")

    @cached_property
    def acled_sub_event_type(self) -> str | None:
        return self.record.get("acled_sub_event_type")

    @cached_property
    def status(self) -> str:
        return str(self.record.get("status") or "occurred")

    @cached_property
    def date(self) -> dt.date | None:
        value = self.record.get("date")
        return dt.date.fromisoformat(value) if value else None

    @cached_property
    def date_precision(self) -> str:
        return str(self.record.get("date_precision") or "unknown") if self.record.get("date") else "unknown"

    @cached_property
    def when(self) -> dt.date | None:
        """The event's date, or failing one its report's."""
        return self.date or self.published

    @cached_property
    def location(self) -> dict[str, Any] | None:
        return self.record.get("location")

    @cached_property
    def place_precision(self) -> str | None:
        location = self.location
        return str(location.get("precision")) if location else None

    def actor(self, role: str) -> ActorKey | None:
        actor = self.record.get(role)
        if not actor:
            return None
        return ActorKey(actor.get("canonical"), actor.get("name"), actor.get("country"), actor.get("type"),
                        actor.get("country_from") in _GUESSED_COUNTRY)

    @property
    def source_key(self) -> str:
        """Who reported it: the outlet, else the site, else the article itself."""
        if self.source:
            return self.source.casefold().strip()
        if self.url and "://" in self.url:
            return self.url.split("://", 1)[1].split("/", 1)[0].removeprefix("www.").casefold()
        return self.article_id

    @cached_property
    def report_order(self) -> tuple[str, str, float, str]:
        """Earlier reports first; within an article, its surest events first."""
        return (self.published.isoformat() if self.published else "9999", self.article_id,
                -float(self.record.get("confidence") or 0.0), self.id)


# --- whether two mentions can be one incident, and how well they fit -----------------------------


def type_fit(a: Mention, b: Mention) -> float:
    """1 for the same ACLED sub-type, less for looser agreement; 0 when no outlet would confuse them."""
    if a.plover_type == b.plover_type and a.acled_sub_event_type == b.acled_sub_event_type:
        return 1.0
    if a.acled_event_type and a.acled_event_type == b.acled_event_type:
        return 0.85
    kinds = {a.acled_event_type, b.acled_event_type}
    if kinds <= _DEMONSTRATION_TYPES:
        return 0.7  # one outlet's protest that police broke up is the next one's riot
    if a.plover_type != b.plover_type and not {a.plover_type, b.plover_type} <= {"ASSAULT", "COERCE"}:
        return 0.0
    if kinds <= _VIOLENT_ACLED_TYPES | {None}:
        return 0.6
    return 0.4 if a.plover_type == b.plover_type else 0.0


def status_fits(a: Mention, b: Mention) -> bool:
    """Facts cluster with facts and plans with plans; a denial or a "could" is nobody's incident."""
    if a.status in _FACT_STATUSES and b.status in _FACT_STATUSES:
        return True
    return a.status == b.status == "planned"


def date_fits(a: Mention, b: Mention) -> bool:
    first, second = a.when, b.when
    if first is None or second is None:
        return True
    window = max(DATE_WINDOW_DAYS[a.date_precision], DATE_WINDOW_DAYS[b.date_precision])
    return abs((first - second).days) <= window


def place_fit(a: Mention, b: Mention) -> float | None:
    """None when the places rule the pair out; else 1 for the same town, less for coarser
    agreement, 0 when either report names no place."""
    first, second = a.location, b.location
    if not first or not second:
        return 0.0
    if first.get("country") and second.get("country") and first["country"] != second["country"]:
        return None
    coarser = max(str(first.get("precision")), str(second.get("precision")), key=lambda p: _PRECISION_RANK.get(p, 3))
    if coarser == "country":
        return 0.25
    if coarser == "admin1":
        same_region = first.get("admin1") and first.get("admin1") == second.get("admin1")
        if same_region:
            return 0.5
    try:
        apart = distance_km(float(first["lat"]), float(first["lon"]), float(second["lat"]), float(second["lon"]))
    except (KeyError, TypeError, ValueError):
        return 0.0
    if apart > PLACE_RADIUS_KM.get(coarser, 30.0):
        return None
    if coarser == "admin1":
        return 0.4
    return 1.0 - 0.4 * apart / PLACE_RADIUS_KM[coarser]


# Kinds of actor one report may call by another's word: "police" and "the authorities" are both
# the state; "gunmen" and "militants" are both armed non-state groups.
_ACTOR_FAMILIES = {"government": "state", "military": "state", "police": "state", "rebel": "armed", "militia": "armed",
                   "civilians": "people", "protesters": "people", "rioters": "people"}


def _family(actor: ActorKey) -> str | None:
    return _ACTOR_FAMILIES.get(actor.type or "", "other" if actor.type else None)


def _actor_conflict(x: ActorKey | None, y: ActorKey | None) -> bool:
    """Two actors that cannot be one: of different countries, or the state against an armed group.
    Crowds and victims ("residents", "protesters") are no one's in particular: the country a report
    gives them is a guess from the words around, so theirs never rules a pair out; nor does a
    country any actor got from the article or the event's place rather than from its words."""
    if x is None or y is None or x.key is None or y.key is None or x.key == y.key:
        return False
    if _family(x) == _family(y) == "people":
        return False
    if x.country and y.country and x.country != y.country and not (x.country_guessed or y.country_guessed):
        return True
    return {_family(x), _family(y)} == {"state", "armed"}


def _actor_agrees(x: ActorKey, y: ActorKey) -> bool:
    return x.key == y.key or bool(x.country and x.country == y.country and _family(x) == _family(y))


def actor_fit(a: Mention, b: Mention) -> float | None:
    """None when the actors rule the pair out; else the share of named roles that agree."""
    pairings = [(("actor1", "actor1"), ("actor2", "actor2"))]
    if a.plover_type in _SYMMETRIC_TYPES and b.plover_type in _SYMMETRIC_TYPES:
        pairings.append((("actor1", "actor2"), ("actor2", "actor1")))
    best: float | None = None
    for pairing in pairings:
        agree = compared = 0
        conflict = False
        for role_a, role_b in pairing:
            x, y = a.actor(role_a), b.actor(role_b)
            if _actor_conflict(x, y):
                conflict = True
                break
            if x is not None and y is not None and x.key and y.key:
                compared += 1
                agree += _actor_agrees(x, y)
        if conflict:
            continue
        score = agree / compared if compared else 0.0
        best = score if best is None else max(best, score)
    return best


def pair_score(a: Mention, b: Mention) -> float | None:
    """How well two mentions fit as reports of one incident, 0 to about 1; None when they cannot
    be one whatever else agrees (another place, another day, another kind of act)."""
    if not status_fits(a, b):
        return None
    types = type_fit(a, b)
    place = place_fit(a, b)
    if types == 0.0 or place is None:
        return None
    if not date_fits(a, b):
        # Weighs against, but only the place rules a pair out: one report's date may be misread.
        return 0.0
    if a.article_id == b.article_id and place < 0.5:
        # One article's two events are one incident only where they agree on the place: a
        # sentence the article's own merging missed ("the fighting lasted five hours"), not an
        # attack on another town. Two kinds of act at one place (the shelling, the wounding) may
        # be one incident's: that weighs against, but does not rule it out.
        return None
    if a.article_id == b.article_id and types < 0.85:
        return 0.0
    actors = actor_fit(a, b)
    if actors is None:
        return 0.0  # named actors that differ: weighs against, but a report may have the roles wrong
    same_day = a.when is not None and a.when == b.when
    # A report placed no better than a country (or not at all) says little: it must share an actor
    # or the day to stand as the same incident.
    if place <= 0.25 and actors == 0.0 and not same_day:
        return 0.0
    if place == 0.0 and actors == 0.0:
        return 0.0
    score = 0.45 * types + 0.35 * place + 0.2 * actors
    if same_day:
        score += 0.05
    return round(score, 4)


# --- grouping a block of mentions ------------------------------------------------------------------


def fit_to_cluster(mention: Mention, members: Sequence[Mention], thresholds: Thresholds = Thresholds()) -> float | None:
    """How well a mention fits a cluster: its mean score with the members, None when any member
    rules it out or no member fits it well on its own."""
    fit = _fit_and_closest(mention, members, thresholds)
    return fit[0] if fit is not None else None


def _fit_and_closest(mention: Mention, members: Sequence[Mention],
                     thresholds: Thresholds = Thresholds()) -> tuple[float, float] | None:
    """The mention's mean score with the members and its best one; None as for :func:`fit_to_cluster`."""
    scores = []
    for member in members:
        score = pair_score(mention, member)
        if score is None:
            return None
        scores.append(score)
    closest = max(scores)
    if closest < thresholds.join:
        return None
    return sum(scores) / len(scores), closest


def _preference(fit: float, closest: float, members: Sequence[Mention]) -> tuple[float, int]:
    """Among the clusters a mention fits, which it joins: the one halfway between its best score
    with a member and its mean fit is highest, then the one more reports agree on. The mean alone
    would count against a cluster the incident's side events have joined (the troops who arrived
    after the raid): the report of the raid belongs with the raid's reports."""
    return (closest + fit) / 2, len(members)


@dataclass(slots=True)
class _Forming:
    """A cluster being formed, with the span of its members' dates, to skip it cheaply."""

    members: list[Mention]
    earliest: dt.date | None = None
    latest: dt.date | None = None
    widest_window: int = 0
    undated: bool = False

    def add(self, mention: Mention) -> None:
        self.members.append(mention)
        when = mention.when
        if when is None:
            self.undated = True
            return
        self.earliest = when if self.earliest is None else min(self.earliest, when)
        self.latest = when if self.latest is None else max(self.latest, when)
        self.widest_window = max(self.widest_window, DATE_WINDOW_DAYS[mention.date_precision])

    def out_of_reach(self, mention: Mention) -> bool:
        """True when no member's date is within any pair's window of the mention's: every pair
        would then score 0, so the mention cannot join (the same answer as scoring them all)."""
        when = mention.when
        if when is None or self.undated or self.earliest is None or self.latest is None:
            return False
        window = max(self.widest_window, DATE_WINDOW_DAYS[mention.date_precision])
        return (self.earliest - when).days > window or (when - self.latest).days > window


def cluster(mentions: Iterable[Mention], thresholds: Thresholds = Thresholds()) -> list[list[Mention]]:
    """Group mentions into incidents, deterministically: the result depends on the set of
    mentions, not on the order they are given in. A mention joins, of the clusters whose fit
    (:func:`fit_to_cluster`) reaches ``thresholds.join``, the one it is closest to
    (:func:`_preference`), else starts its own; then clusters one article reports as the same
    happening are joined (:func:`_join_coreported`)."""
    ordered = sorted(mentions, key=lambda m: m.report_order)
    forming: list[_Forming] = []
    for mention in ordered:
        best: _Forming | None = None
        best_rank: tuple[float, int] = (0.0, 0)
        for candidate in forming:
            if candidate.out_of_reach(mention):
                continue
            scored = _fit_and_closest(mention, candidate.members, thresholds)
            if scored is None or scored[0] < thresholds.join:
                continue
            rank = _preference(*scored, candidate.members)
            if rank > best_rank:  # on a tie, the earlier cluster
                best, best_rank = candidate, rank
        if best is None:
            best = _Forming([])
            forming.append(best)
        best.add(mention)
    return _join_coreported([candidate.members for candidate in forming])


def _same_happening(a: Mention, b: Mention) -> bool:
    """Whether two reports may describe one happening seen two ways: facts of compatible kinds
    ("an attack" and "a clash"), in the same town or province, within the dates' window."""
    if not status_fits(a, b) or type_fit(a, b) == 0.0 or not date_fits(a, b):
        return False
    place = place_fit(a, b)
    return place is not None and place >= 0.4


def _join_coreported(groups: list[list[Mention]]) -> list[list[Mention]]:
    """Join two clusters that hold events of one article and could each be the other's
    happening: one report coded the shelling of a town once as shelling and once as an attack
    on civilians, and the other outlets' reports then split between the two. Pairs are looked at
    in cluster order, so the result is as deterministic as the grouping."""
    joined = [list(group) for group in groups]
    while True:
        articles = [{m.article_id for m in group} for group in joined]
        holding: dict[str, list[int]] = {}
        for index, found in enumerate(articles):
            for article in found:
                holding.setdefault(article, []).append(index)
        pairs = sorted({(first, second) for indices in holding.values() for first in indices for second in indices
                        if first < second})
        for first, second in pairs:
            shared = articles[first] & articles[second]
            # Other outlets on both sides: one article's own two events, with no one else's
            # report between them, stay as its grouping left them.
            if len(shared) < 2 and (articles[first] <= shared or articles[second] <= shared):
                continue
            if all(_same_happening(a, b) for a in joined[first] for b in joined[second]):
                joined[first].extend(joined[second])
                del joined[second]
                break
        else:
            return joined


def cluster_id(members: Sequence[Mention]) -> str:
    """A canonical event's id: its first report's event id (stable as later reports join)."""
    first = min(members, key=lambda m: m.report_order)
    return first.id


# --- the canonical event ---------------------------------------------------------------------------


def _most_common(values: Iterable[Any]) -> Any:
    """The most frequent value; ties go to the one seen first."""
    counted = Counter(value for value in values if value is not None)
    if not counted:
        return None
    top = max(counted.values())
    return next(value for value in counted if counted[value] == top)


def _agreed(members: Sequence[Mention], read: Any, rank: Any = None) -> Mention | None:
    """A report giving the value most reports agree on (``read``: hashable), among the most
    precise ones (lowest ``rank``); None when no report gives one."""
    given = [(member, read(member)) for member in members]
    given = [(member, value) for member, value in given if value not in (None, "")]
    if rank is not None and given:
        best = min(rank(member) for member, _ in given)
        given = [(member, value) for member, value in given if rank(member) == best]
    winner = _most_common(value for _, value in given)
    return next((member for member, value in given if value == winner), None)


def reconcile_fatalities(members: Sequence[Mention]) -> tuple[int | None, list[int]]:
    """One toll from several reports, never their sum: the latest report's figure (counts rise as
    bodies are found), the lowest where reports of that day differ. Also every figure reported."""
    reported = [(m.published or date.min, int(m.record["fatalities"])) for m in members
                if m.record.get("fatalities") is not None and m.status in _FACT_STATUSES]
    if not reported:
        return None, []
    latest = max(day for day, _ in reported)
    toll = min(value for day, value in reported if day == latest)
    return toll, sorted({value for _, value in reported})


def _location_rank(member: Mention) -> int:
    return _PRECISION_RANK.get(member.place_precision or "country", 4)


def _date_rank(member: Mention) -> int:
    return _DATE_RANK.get(member.date_precision, 4)


def mention_summary(member: Mention) -> dict[str, Any]:
    """What a canonical event says of each report of it."""
    record = member.record
    return {"id": member.id, "article_id": member.article_id, "source": member.source, "url": member.url,
            "published": member.published.isoformat() if member.published else None,
            "sentence": record.get("sentence"), "span": record.get("span"), "trigger": record.get("trigger"),
            "attribution": record.get("attribution"), "fatalities": record.get("fatalities")}


def canonical_record(members: Sequence[Mention]) -> dict[str, Any]:
    """The canonical event of a cluster: the first report's record with each field chosen by
    agreement and precision across every report, plus ``source``, ``url``, ``published`` (of the
    first report), ``num_articles``, ``num_sources``, ``mentions`` and ``chosen_from`` (which
    report each chosen field came from)."""
    ordered = sorted(members, key=lambda m: m.report_order)
    first = ordered[0]
    record = dict(first.record)
    chosen_from: dict[str, str] = {}

    def take(keys: Sequence[str], read: Any, rank: Any = None) -> None:
        giver = _agreed(ordered, read, rank)
        if giver is None:
            return
        for key in keys:
            record[key] = giver.record.get(key)
            chosen_from[key] = giver.id

    take(("plover_type", "cameo_root", "acled_event_type", "acled_sub_event_type"),
         lambda m: (m.plover_type, m.acled_event_type, m.acled_sub_event_type))
    take(("date", "date_precision"), lambda m: m.record.get("date"), _date_rank)
    take(("location",), lambda m: (m.location or {}).get("geonames_id") or (m.location or {}).get("canonical"),
         _location_rank)
    for role in ("actor1", "actor2"):
        take((role,), lambda m, role=role: (m.actor(role).key if m.actor(role) else None))
    associates: dict[str, dict[str, Any]] = {}
    for member in ordered:
        for associate in member.record.get("actor1_associates") or []:
            associates.setdefault(str(associate.get("canonical") or associate.get("name")), associate)
    record["actor1_associates"] = list(associates.values())
    statuses = {m.status for m in ordered}
    record["status"] = next((s for s in EVENT_STATUSES if s in statuses),
                            first.status)
    record["fatalities"], record["fatalities_reported"] = reconcile_fatalities(ordered)
    sources = {m.source_key for m in ordered}
    # Independent reports corroborate: the chance that every one of them is wrong shrinks.
    doubt = 1.0
    for source in sources:
        doubt *= 1.0 - max(float(m.record.get("confidence") or 0.0) for m in ordered if m.source_key == source)
    record["confidence"] = round(min(0.99, 1.0 - doubt), 3)
    record["id"] = cluster_id(ordered)
    record["source"], record["url"] = first.source, first.url
    record["published"] = first.published.isoformat() if first.published else None
    record["num_articles"] = len({m.article_id for m in ordered})
    record["num_sources"] = len(sources)
    record["mentions"] = [mention_summary(m) for m in ordered]
    record["chosen_from"] = chosen_from
    return record


def block_digest(members: Iterable[Mention]) -> str:
    """A digest of a cluster's membership, to skip rewriting clusters that did not change."""
    return hashlib.sha1(",".join(sorted(m.id for m in members)).encode()).hexdigest()[:16]
