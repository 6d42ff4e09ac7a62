"""Toponym resolution by context: which of the same-named places an article means.

Every candidate place of a mention is scored with what the article says around it, strongest
first: a region or country written after it ("Paris, Ill.", "Gana (Damboa, Borno)"); a cue word
for its kind ("the Jordan river", "Orange County"); the countries, admin1 regions and points of
the article's other names (never of the name's own mentions) and its actors' nationalities; towns
near a town another name may be; the dateline's country (weakly); capitals and hand-listed places;
how the name refers to it (its name, an alternate spelling, an abbreviation); and the population
prior last. Passes repeat until no choice changes. Each choice keeps its reasons as typed
:class:`Signal` values with their weights.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from warmonitor.gazetteer import KIND_ORDER, Candidate, NameKind, Place, distance_km
from warmonitor.lexicon import REGION_NOUNS, fold

# Feature cue words, before or after a name ("the city of", "province"), and the feature they ask for.
CUE_FEATURES: dict[str, str] = {
    "county": "admin2", "parish": "admin2", "borough": "admin2", "district": "admin2",
    "province": "admin1", "state": "admin1", "governorate": "admin1", "region": "admin1", "oblast": "admin1",
    "prefecture": "admin1", "department": "admin1",
    "city": "city", "town": "city", "village": "city", "township": "city", "suburb": "city", "port": "city",
    "river": "water", "sea": "water", "lake": "water", "gulf": "water", "bay": "water", "strait": "water",
    "ocean": "water", "airport": "airport", "airfield": "airport",
}
# A bare feature's weight before context: a country or a first-level region is what a bare name
# means far more often than a same-named village ("Georgia" the country, "Kent" ...).
_FEATURE_PRIOR = {"country": 6.0, "admin1": 3.5, "continent": 5.0, "region": 2.5, "water": 2.0, "city": 0.0,
                  "admin2": -0.5, "airport": -1.5}
_KIND_PRIOR = {NameKind.NAME: 0.0, NameKind.ALTERNATE: -2.5, NameKind.ABBREVIATION: -0.5, NameKind.DEMONYM: 0.0}


# Weights of the context signals, chosen on the even-numbered articles of GeoWebNews and LGL.
WEIGHTS = {"population": 0.7, "capital": 4.5, "curated": 5.0, "acronym": -4.0, "container": 8.0, "cue": 4.0,
           "country": 4.0, "country_named": 2.5, "admin1": 3.5, "namesakes_nearby": 1.0, "near_50": 2.5, "near_200": 1.5,
           "near_800": 0.5, "dateline": 0.75}


SMALL_TOWN_FLOOR = 0.75
MAX_PASSES = 5
_POINT_FEATURES = frozenset({"city", "admin2", "airport"})  # places with a point of their own


class Signal(StrEnum):
    """One reason a candidate scored what it did."""

    POPULATION = "population"
    CAPITAL = "a country's capital"
    CURATED = "listed in the overrides"
    ACRONYM = "a town's name written as an acronym"
    FEATURE = "feature"
    NAME_KIND = "name kind"
    CONTAINER = "container written after it"
    CUE = "cue word"
    HOLDS = "written as the region of the place before it"
    ADMIN1 = "article's admin1"
    COUNTRY = "article's country"
    COUNTRY_NAMED = "its country named in the article"
    NEARBY = "near the article's places"
    NAMESAKES_NEARBY = "near a place another name of the article may be"
    DATELINE = "dateline country"
    TOWN_OF_REGION = "the town the region is named after"
    NAME_WITHIN = "a place named inside a longer name"
    OUTSIDE_CONTAINER = "none of its namesakes lies in the region written after it: placed at that region"
    UNLISTED = "not in the gazetteer, placed at the place around it"
    NAMESAKE_AROUND = "written as a place; the namesake that lies in the place around it"


_ALWAYS_SHOWN = frozenset({Signal.TOWN_OF_REGION, Signal.NAME_WITHIN, Signal.OUTSIDE_CONTAINER})


@dataclass(slots=True)
class Mention:
    """A toponym to resolve: where it is, its folded key and every place it may be."""

    start: int
    end: int
    text: str
    key: str
    candidates: tuple[Candidate, ...]
    cue: str | None = None  # the feature a cue word next to it asks for
    container: int | None = None  # index of the mention written right after it as its region ("X, Y")
    within: str | None = None  # the place name inside a longer name the gazetteer lacks ("Windsor Castle")
    acronym: bool = False  # written in capitals, short, in cased text: "EU", "SA", not the town Eu
    holds: bool = False  # written as the region of the place before it ("Texas" in "Paris, Texas")
    container_sure: bool = False  # its container is written in brackets: no list, surely its region
    container_is_a_town: bool = False  # written "in the town of Y": Y is a town, not a region of that name


@dataclass(slots=True)
class Resolution:
    """The place chosen for a mention, its score and why."""

    candidate: Candidate
    score: float
    signals: list[tuple[Signal, float]] = field(default_factory=list)
    candidates: int = 1

    @property
    def place(self) -> Place:
        return self.candidate.place

    @property
    def reason(self) -> str:
        """The reasons in words, strongest first (generated from the typed signals)."""
        shown = sorted((s for s in self.signals if abs(s[1]) >= 0.05 or s[0] in _ALWAYS_SHOWN),
                       key=lambda s: -abs(s[1]))
        parts = [f"{signal.value} {weight:+.1f}" for signal, weight in shown]
        return f"{self.place.name} ({self.place.feature}, {self.place.country}) of {self.candidates} candidate(s): " + ", ".join(parts)


@dataclass(slots=True)
class Context:
    """What the article's places say: countries, admin1 regions and points, counted per name so that
    a name's own mentions never count as support for themselves (five "Paris" do not make France)."""

    countries: Counter[str] = field(default_factory=Counter)
    regions: Counter[tuple[str, str]] = field(default_factory=Counter)
    points: list[tuple[float, float, str]] = field(default_factory=list)  # lat, lon, the mention's key
    named_countries: Counter[str] = field(default_factory=Counter)  # countries a mention names as such
    total: int = 0  # mentions with a place
    by_key: dict[str, Context] = field(default_factory=dict)  # the same, for each name's own mentions
    dateline_country: str | None = None

    def add(self, place: Place, key: str) -> None:
        self.total += 1
        if place.feature == "country" and place.country:
            self.named_countries[place.country] += 1
        if place.country:
            self.countries[place.country] += 1
        if place.country and place.admin1 and place.feature != "country":
            self.regions[(place.country, place.admin1)] += 1
        if place.feature in _POINT_FEATURES:
            self.points.append((place.lat, place.lon, key))


_NO_CONTEXT = Context()  # a name with no mentions of its own in the context


def _unambiguous(mention: Mention) -> Place | None:
    """The place a mention surely is: a single candidate, or a country or region by its own name
    whose other readings are towns."""
    names = [c for c in mention.candidates if c.kind is not NameKind.DEMONYM]
    if not names:
        return mention.candidates[0].place if mention.candidates else None
    if len({(c.place.country, c.place.feature) for c in names}) == 1 and len(names) <= 2:
        return names[0].place
    top = names[0].place
    if top.feature in {"country", "continent"} and names[0].kind is NameKind.NAME:
        return top
    return None


def build_context(mentions: Sequence[Mention], chosen: Sequence[Place | None], dateline_country: str | None,
                  other_countries: Counter[str] | None = None) -> Context:
    """The context the chosen places of an article make, with countries it names otherwise
    (its actors' nationalities: "Lebanese officials"), each counted like a demonym of that country."""
    context = Context(dateline_country=dateline_country)
    for country, count in (other_countries or Counter()).items():
        context.total += count
        context.countries[country] += count
        context.named_countries[country] += count
    for mention, place in zip(mentions, chosen, strict=True):
        if place is not None:
            context.add(place, mention.key)
            context.by_key.setdefault(mention.key, Context()).add(place, mention.key)
    return context


def score(candidate: Candidate, mention: Mention, context: Context, container: Place | None,
          nearby: frozenset[int] | set[int] = frozenset()) -> tuple[float, list[tuple[Signal, float]]]:
    """A candidate's score and its signals, in the context of the article's other names; ``nearby``
    holds the ids of this name's towns that lie near a town another name may be."""
    place = candidate.place
    magnitude = math.log10(place.population + 10)
    signals: list[tuple[Signal, float]] = [
        (Signal.POPULATION, WEIGHTS["population"] * magnitude),
        (Signal.FEATURE, _FEATURE_PRIOR.get(place.feature, 0.0)),
        (Signal.NAME_KIND, _KIND_PRIOR[candidate.kind]),
    ]
    if place.capital:
        signals.append((Signal.CAPITAL, WEIGHTS["capital"]))
    if place.curated:
        signals.append((Signal.CURATED, WEIGHTS["curated"]))
    if mention.acronym and candidate.kind in {NameKind.NAME, NameKind.ALTERNATE} and place.feature in {"city", "admin2"}:
        signals.append((Signal.ACRONYM, WEIGHTS["acronym"]))
    if container is not None and place.feature != "country":
        inside = lies_in(place, container, as_a_town=mention.container_is_a_town)
        signals.append((Signal.CONTAINER, WEIGHTS["container"] if inside else -3.0))
    if mention.cue is not None:
        signals.append((Signal.CUE, WEIGHTS["cue"] if place.feature == mention.cue else -1.0))
    if mention.holds and place.feature in {"admin1", "country"}:
        signals.append((Signal.HOLDS, WEIGHTS["cue"]))
    own = context.by_key.get(mention.key, _NO_CONTEXT)
    others = context.total - own.total
    country = place.country or ""
    countries = context.countries[country] - own.countries[country]
    # A country's support counts for a small town only in part: that an article is about the
    # United States says little about which "Atlantic" it means.
    size = min(1.0, max(SMALL_TOWN_FLOOR, (magnitude - 3) / 2)) if place.feature in {"city", "admin2"} else 1.0
    if countries > 0 and others > 0:
        signals.append((Signal.COUNTRY, WEIGHTS["country"] * size * countries / others))
    if place.country and context.named_countries[country] - own.named_countries[country] > 0:
        signals.append((Signal.COUNTRY_NAMED, WEIGHTS["country_named"] * size))
    if place.country and place.admin1 and place.feature not in {"country", "admin1"} and others > 0:
        regions = context.regions[(country, place.admin1)] - own.regions[(country, place.admin1)]
        if regions > 0:
            signals.append((Signal.ADMIN1, WEIGHTS["admin1"] * regions / others))
    if place.id in nearby:
        signals.append((Signal.NAMESAKES_NEARBY, WEIGHTS["namesakes_nearby"]))
    if place.feature in _POINT_FEATURES:
        nearest = _nearest_km(place, context.points, mention.key)
        band = "near_50" if nearest < 50 else "near_200" if nearest < 200 else "near_800" if nearest < 800 else None
        if band is not None:
            signals.append((Signal.NEARBY, WEIGHTS[band]))
    if context.dateline_country and place.country == context.dateline_country:
        signals.append((Signal.DATELINE, WEIGHTS["dateline"]))
    if mention.within is not None:
        signals.append((Signal.NAME_WITHIN, 0.0))
    return sum(weight for _, weight in signals), signals


TOWN_CONTAINER_KM = 40.0  # "Mabini, Las Navas": a place written with a town as its container lies this near it
# Words that only say what kind of unit a name is, in the gazetteer's admin names ("Province of
# Northern Samar", "Provincia dell' Aquila") and as written ("Kano State").
_UNIT_WORDS = REGION_NOUNS | {"provincia", "departement", "of", "di", "de", "del", "dell", "della", "la", "le", "l", "the"}


_ELIDED_ARTICLE = re.compile(r"\b[dl]['’]\s*", re.I)  # "L'Aquila", "dell' Aquila", "Côte d'Or"


def _unit_name(name: str) -> str:
    return " ".join(w for w in fold(_ELIDED_ARTICLE.sub("", name)).split() if w not in _UNIT_WORDS)


def lies_in(place: Place, container: Place, as_a_town: bool = False) -> bool:
    """Whether a place lies in the place written after it as its container: the same country, and
    the container's first-level region, or the second-level unit the gazetteer gives the place (a
    Philippine or Italian province is a second-level unit of GeoNames, a first-level one of
    Natural Earth: Catarman lies in "Northern Samar"). With ``as_a_town`` ("Mabini in the town of
    Las Navas") the container is a town, and the place must lie close by. A town written as a
    region ("Concepcion (Tucuman)") stands for its region: the same first-level region will do."""
    if place.country != container.country:
        return False
    if container.feature == "country":
        return True
    if as_a_town and container.feature in _POINT_FEATURES:
        return place.feature in _POINT_FEATURES and \
            distance_km(place.lat, place.lon, container.lat, container.lon) <= TOWN_CONTAINER_KM
    if container.admin1 is not None and place.admin1 == container.admin1:
        return True
    if container.feature in {"admin1", "admin2"} and place.admin2:
        return bool(_unit_name(container.name)) and _unit_name(place.admin2) == _unit_name(container.name)
    return False


def _nearest_km(place: Place, points: list[tuple[float, float, str]], key: str) -> float:
    """Distance to the nearest of the article's other points; points more than about 800 km away
    in latitude or longitude are skipped before the great-circle sum (they fall in no band)."""
    nearest = math.inf
    reach = 8.0 / max(0.1, math.cos(math.radians(place.lat)))
    for lat, lon, other in points:
        if other == key or abs(lat - place.lat) > 8.0 or abs(lon - place.lon) > reach:
            continue
        nearest = min(nearest, distance_km(place.lat, place.lon, lat, lon))
    return nearest


def _inside_container(best: Resolution | None, container: Place | None) -> Resolution | None:
    """"Gana (Damboa, Borno)" where no Gana the gazetteer knows lies in Borno: the place is placed
    at the region written after it, not at a same-named town elsewhere."""
    if best is None or container is None or not any(s is Signal.CONTAINER and w < 0 for s, w in best.signals):
        return best
    return Resolution(Candidate(container, NameKind.NAME), best.score, [(Signal.OUTSIDE_CONTAINER, 0.0)], best.candidates)


_REGION_WORDS = REGION_NOUNS


def _base_name(name: str) -> str:
    """A name without the words that only say what kind of place it is ("Kano State" → "kano")."""
    words = fold(name).split()
    return " ".join(w for w in words if w not in _REGION_WORDS) or " ".join(words)


def _town_for_region(best: Resolution | None, mention: Mention) -> Resolution | None:
    """"Aleppo", "Kano": the town a region is named after, unless a cue word asks for the region."""
    if best is None or best.place.feature not in {"admin1", "admin2"} or mention.cue in {"admin1", "admin2"}:
        return best
    # The town must carry the name at least as surely as the region, or be a city in its own right:
    # "Montana" is the state's own name and only an alternate of Montana City, a village; "Dayr
    # az-Zawr" names the governorate and, less surely, its city of 240,000, which it means.
    town = next((c for c in mention.candidates if c.place.feature == "city" and c.place.country == best.place.country
                 and c.place.admin1 == best.place.admin1 and c.kind is not NameKind.DEMONYM
                 and (KIND_ORDER.index(c.kind) <= KIND_ORDER.index(best.candidate.kind) or c.place.population >= 100_000
                      or _base_name(c.place.name) == _base_name(best.place.name))),
                None)
    if town is None:
        return best
    return Resolution(town, best.score, [*best.signals, (Signal.TOWN_OF_REGION, 0.0)], best.candidates)


def _namesakes_nearby(mentions: Sequence[Mention]) -> dict[str, set[int]]:
    """For each name, its towns that lie within 50 km of a town some other name of the article may
    be: "Paris" and "Henry County" together are Paris, Tennessee, before either is settled."""
    grid: dict[tuple[int, int], list[tuple[Place, str]]] = {}
    for mention in mentions:
        for candidate in mention.candidates:
            place = candidate.place
            if place.feature in _POINT_FEATURES and candidate.kind is not NameKind.DEMONYM:
                grid.setdefault((math.floor(place.lat * 2), math.floor(place.lon * 2)), []).append((place, mention.key))
    found: dict[str, set[int]] = {}
    for (row, column), cell in grid.items():
        around = [item for dr in (-1, 0, 1) for dc in (-1, 0, 1) for item in grid.get((row + dr, column + dc), ())]
        for place, key in cell:
            if any(other_key != key and distance_km(place.lat, place.lon, other.lat, other.lon) < 50
                   for other, other_key in around):
                found.setdefault(key, set()).add(place.id)
    return found


def resolve(mentions: Sequence[Mention], dateline_country: str | None = None, passes: int = MAX_PASSES,
            other_countries: Counter[str] | None = None) -> list[Resolution | None]:
    """Resolve every mention of one article together: the sure ones first make the context, then
    each is chosen in that context, again and again until no choice changes (a few passes), so a
    choice can lean on the others' choices."""
    chosen: list[Place | None] = [_unambiguous(m) for m in mentions]
    resolutions: list[Resolution | None] = [None] * len(mentions)
    neighbours = _namesakes_nearby(mentions)
    for _ in range(passes):
        before = chosen
        context = build_context(mentions, chosen, dateline_country, other_countries)
        for index, mention in enumerate(mentions):
            if not mention.candidates:
                continue
            container = chosen[mention.container] if mention.container is not None else None
            best: Resolution | None = None
            for candidate in mention.candidates:
                if candidate.kind is NameKind.DEMONYM and candidate.place.feature not in {"country", "continent", "region"}:
                    continue
                total, signals = score(candidate, mention, context, container, neighbours.get(mention.key, frozenset()))
                if best is None or total > best.score:
                    best = Resolution(candidate, total, signals, len(mention.candidates))
            resolutions[index] = _town_for_region(best, mention)
            if mention.container_sure:
                resolutions[index] = _inside_container(resolutions[index], container)
        chosen = [r.place if r is not None else None for r in resolutions]
        if chosen == before:
            break
    return resolutions
