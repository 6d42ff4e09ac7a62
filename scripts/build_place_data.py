"""Derive the compact place tables in warmonitor/data/places/ from the Natural Earth extract in ../shared.

Reads the Natural Earth GeoJSON layers kept in ../shared/gazetteer/natural-earth (public domain; that
folder's README documents every file and property) and writes five tab-separated UTF-8 tables that the
project can commit, so that the gazetteer builds offline on machines without ../shared:

* countries.tsv  - one row per ISO 3166-1 alpha-2 code, at Natural Earth's label point
* admin1.tsv     - states and provinces, with GeoNames ids and abbreviations
* admin2.tsv     - US counties and county equivalents
* physical.tsv   - continents, regions (deserts, ranges, islands, capes...) and water (seas, lakes, rivers)
* airports.tsv   - airports with their IATA and ICAO codes

Each table has one header line and no quoting; fields never hold tabs or newlines; lists inside a field are
joined with "|". Aliases keep only names written in Latin script, and leave out names that Natural Earth
lists for a place but that belong to another (a province's region, a lake's bare "Erie"). Output is sorted
and floats have a fixed format, so the same source always gives byte-identical files. What each column holds
is described in warmonitor/data/places/README.md.

Run from the repository root:
    .venv/bin/python scripts/build_place_data.py [--source ../shared/gazetteer/natural-earth] [--out warmonitor/data/places]
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT.parent / "shared" / "gazetteer" / "natural-earth"
DEFAULT_OUT = ROOT / "warmonitor" / "data" / "places"

Props = Mapping[str, Any]
Row = tuple[str, ...]

COUNTRY_COLUMNS = ("iso2", "iso3", "name", "lat", "lon", "population", "continent", "subregion", "aliases")
ADMIN1_COLUMNS = ("iso2", "name", "lat", "lon", "geonames_id", "gn_a1_code", "type", "aliases", "abbreviations")
ADMIN2_COLUMNS = ("iso2", "name", "lat", "lon", "admin1_postal", "type", "aliases")
PHYSICAL_COLUMNS = ("name", "feature", "featurecla", "lat", "lon", "scalerank", "aliases")
AIRPORT_COLUMNS = ("name", "iata", "icao", "lat", "lon", "type")

# Natural Earth writes "no value" as -99 / -099 in many code fields.
MISSING = frozenset({"-99", "-099", "-99.0"})

# Name fields of a country feature that become its aliases, in this order.
COUNTRY_ALIAS_FIELDS = (
    "name", "name_long", "formal_en", "name_alt", "admin", "geounit",
    "subunit", "brk_name", "name_sort", "name_ciawf", "name_en",
)  # fmt: skip

# An all-capital code of one to three letters, each optionally followed by a dot: KY, N.Y., D.C., VII.
CODE_LIKE = re.compile(r"(?:[A-Z]\.?){1,3}")

# Words left in lower case (unless first) when an ALL-CAPS Natural Earth label is put in title case.
MINOR_WORDS = frozenset({"of", "the", "and", "de", "del", "la", "las", "los", "da", "das", "do", "dos", "des", "du", "di", "al"})

# Lone words that Natural Earth sometimes gives as an alternate name ("Federal" for Brazil's Distrito Federal,
# "South" for South Lebanon); as aliases they would match ordinary words of an article.
GENERIC_WORDS = frozenset(
    {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "centre", "center", "federal"}
    | {"national", "nacional", "capital", "city", "mountain", "mountains", "island", "islands", "district", "province", "region"}
    | {"state", "county"}
)

# Same-named physical rows linked by less than this distance (km) are pieces of one feature.
# Rivers are long, so their pieces (mid-points of line parts) lie further apart.
MERGE_KM_RIVER = 1500.0
MERGE_KM_OTHER = 500.0

# County types that read naturally after the name ("Autauga County", "Orleans Parish").
PLAIN_TYPE = re.compile(r"[A-Za-z][A-Za-z ]*")
TYPES_NOT_SUFFIXED = frozenset({"District of Columbia"})


# ---------------------------------------------------------------------------------------------- values


def text(value: Any) -> str:
    """A property as one clean line of text: "" for null and Natural Earth's -99; whitespace collapsed."""
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    cleaned = " ".join(str(value).split())
    return "" if cleaned in MISSING else cleaned


def pieces(value: Any) -> list[str]:
    """A property that may hold several names separated by "|", as a list of clean names."""
    return [part for part in (text(item) for item in text(value).split("|")) if part]


def coordinate(value: float) -> str:
    """Five decimals (about a metre); never "-0.00000"."""
    formatted = f"{value:.5f}"
    return "0.00000" if formatted == "-0.00000" else formatted


def whole_number(value: Any) -> int | None:
    """An integer property, or None when it is missing or not a number."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else round(number)


def number_or(value: Any, default: float) -> float:
    """A coordinate property as a float, or ``default`` (the feature's point) when it is missing."""
    try:
        return default if value is None else float(value)
    except (TypeError, ValueError):
        return default


def is_latin(name: str) -> bool:
    """True when every letter of ``name`` is a Latin letter (accents and modifier letters allowed)."""
    for char in unicodedata.normalize("NFKD", name):
        if char.isascii() or unicodedata.combining(char):
            continue
        if 0x02B0 <= ord(char) <= 0x02FF:  # spacing modifier letters such as the Hawaiian okina
            continue
        if char.isalpha() and not unicodedata.name(char, "").startswith("LATIN "):
            return False
        if char.isdigit():
            return False
    return True


def garbled(name: str) -> bool:
    """True for names damaged in one of Natural Earth's re-encodings ("Tegr?", "Rang£n", "C¢rcega")."""
    return any(char in "?\ufffd" or unicodedata.category(char) == "Sc" for char in name)


def usable(alias: str) -> bool:
    """An alias worth keeping: Latin script, not garbled, and not a lone generic word ("Federal", "North")."""
    return is_latin(alias) and not garbled(alias) and folded(alias) not in GENERIC_WORDS


def folded(name: str) -> str:
    """A key for comparing names: accents removed, case folded."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def words(name: str) -> set[str]:
    return set(re.findall(r"\w+", folded(name)))


def unique_names(candidates: Iterable[str], *, besides: Iterable[str] = ()) -> list[str]:
    """Clean, non-empty names in first-seen order, without repeats (ignoring case) or any of ``besides``."""
    seen = {name.casefold() for name in besides}
    kept: list[str] = []
    for candidate in candidates:
        name = text(candidate)
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            kept.append(name)
    return kept


def joined(names: Iterable[str]) -> str:
    return "|".join(names)


def title_case(name: str) -> str:
    """Put an ALL-CAPS label in title case: "BAY OF BENGAL" -> "Bay of Bengal", "SIKHOTE-ALIN’ RANGE" -> "Sikhote-Alin’ Range"."""

    def capitalise(word: str) -> str:
        for index, char in enumerate(word):
            if char.isalpha():
                return word[:index] + char.upper() + word[index + 1 :]
        return word

    result: list[str] = []
    for position, word in enumerate(name.lower().split(" ")):
        if position and word in MINOR_WORDS:
            result.append(word)
        else:
            result.append("-".join(capitalise(part) for part in word.split("-")))
    return " ".join(result)


def shouting(name: str) -> bool:
    return name.isupper() and sum(char.isalpha() for char in name) > 3


def km_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lat, lon) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


# ---------------------------------------------------------------------------------------------- input


def features(source: Path, filename: str) -> Iterator[tuple[Props, tuple[float, float]]]:
    """Each feature's properties with its point as (lat, lon)."""
    with open(source / filename, encoding="utf-8") as handle:
        collection = json.load(handle)
    for feature in collection["features"]:
        lon, lat = feature["geometry"]["coordinates"][:2]
        yield feature["properties"], (float(lat), float(lon))


def note(message: str) -> None:
    print(message, file=sys.stderr)


# ---------------------------------------------------------------------------------------------- countries


def country_code(props: Props, plain: str, fallback: str, length: int) -> str:
    for key in (plain, fallback):
        code = text(props.get(key))
        if len(code) == length and code.isalpha() and code.isupper():
            return code
    return ""


def english_name(props: Props) -> str:
    """``name_en``, unless it shares no word with the feature's other names.

    Such a ``name_en`` is a data error: the Spratly Islands' reads "Wake Island", another place.
    """
    name_en = text(props.get("name_en"))
    others = words(text(props.get("name"))) | words(text(props.get("name_long"))) | words(text(props.get("admin")))
    return name_en if words(name_en) & others else ""


def country_name(props: Props) -> str:
    """The short common English name: ``name_en``, or ``name_long`` where that is shorter than a formal ``name_en``.

    China's ``name_en`` is its formal name "People's Republic of China"; its ``name_long`` is "China".
    """
    name_en, name_long = english_name(props), text(props.get("name_long"))
    if name_en and name_en == text(props.get("formal_en")) and name_long and len(name_long) < len(name_en) and "/" not in name_long:
        return name_long
    return name_en or name_long or text(props.get("name"))


def country_names_of(props: Props) -> list[str]:
    """Every Latin-script name of a country feature, its chosen name first."""
    names = [country_name(props)]
    for key in COUNTRY_ALIAS_FIELDS:
        names.extend([english_name(props)] if key == "name_en" else pieces(props.get(key)))
    return [name for name in unique_names(names) if usable(name)]


def build_countries(source: Path) -> list[Row]:
    by_code: dict[str, list[Props]] = defaultdict(list)
    skipped: list[str] = []
    for props, (lat, lon) in features(source, "ne_10m_admin_0_countries_points.geojson"):
        iso2 = country_code(props, "iso_a2", "iso_a2_eh", 2)
        if iso2:
            by_code[iso2].append(
                {**props, "label_y": number_or(props.get("label_y"), lat), "label_x": number_or(props.get("label_x"), lon)}
            )
        else:
            skipped.append(text(props.get("name")))
    note(f"countries: skipped {len(skipped)} features with no ISO alpha-2 code: {', '.join(sorted(skipped))}")

    rows: list[Row] = []
    for iso2, group in by_code.items():
        # The most populous piece stands for the code; the others (dependencies, leases) lend it their names.
        group = sorted(group, key=lambda props: (-(whole_number(props.get("pop_est")) or 0), country_name(props)))
        main = group[0]
        if len(group) > 1:
            merged = ", ".join(country_name(props) for props in group[1:])
            note(f"countries: {iso2} has {len(group)} features; kept {country_name(main)}, merged {merged}")
        name = country_name(main)
        names = [alias for props in group for alias in country_names_of(props)]
        population = whole_number(main.get("pop_est"))
        rows.append(
            (
                iso2,
                country_code(main, "iso_a3", "iso_a3_eh", 3),
                name,
                coordinate(main["label_y"]),
                coordinate(main["label_x"]),
                "" if population is None or population < 0 else str(population),
                text(main.get("continent")),
                text(main.get("subregion")),
                joined(unique_names(names, besides=[name])),
            )
        )
    return sorted(rows)


# ---------------------------------------------------------------------------------------------- admin-1


@dataclass
class Province:
    iso2: str
    name: str
    aliases: list[str]
    rest: tuple[str, ...]  # lat, lon, geonames_id, gn_a1_code, type


def prune_province_aliases(provinces: list[Province], country_names: set[str]) -> int:
    """Drop admin-1 aliases that name some other place; return how many were dropped.

    Natural Earth's alternate names for a province often hold its region or former parent ("Piemonte" on
    each province of Piedmont, "Damascus" on Rif Dimashq, "Malta" on Maltese councils). An alias goes when
    it is a country's name, the name of another province of the same country, or carried by several
    provinces of one country; a shared alias stays only on a province whose name it spells out in full
    ("Hajdu-Bihar megye" on Hajdú-Bihar, not on the city of Debrecen).
    """
    names_in: dict[str, set[str]] = defaultdict(set)
    carriers: dict[tuple[str, str], list[Province]] = defaultdict(list)
    for province in provinces:
        names_in[province.iso2].add(province.name.casefold())
        for alias in province.aliases:
            carriers[(province.iso2, alias.casefold())].append(province)
    dropped = 0
    for province in provinces:
        kept: list[str] = []
        for alias in province.aliases:
            key = alias.casefold()
            sharing = carriers[(province.iso2, key)]
            if len(sharing) > 1:
                spelled_out = [other for other in sharing if words(other.name) <= words(alias)]
                usable = len(spelled_out) == 1 and spelled_out[0] is province
            else:
                usable = key not in names_in[province.iso2] and key not in country_names
            if usable:
                kept.append(alias)
            else:
                dropped += 1
        province.aliases = kept
    return dropped


# A capital letter and a full stop: a name written with initials ("K.P.", "F.A.T.A.", "K. Maras").
INITIALS = re.compile(r"\b[A-Z]\.")


def build_admin1(source: Path) -> list[Row]:
    provinces: list[Province] = []
    unnamed = 0
    for props, (lat, lon) in features(source, "ne_10m_admin_1_states_provinces_points.geojson"):
        name = text(props.get("name"))
        if not name:
            unnamed += 1
            continue
        iso2 = text(props.get("iso_a2"))
        geonames = whole_number(props.get("gn_id"))
        gn_a1 = text(props.get("gn_a1_code"))

        alternates = pieces(props.get("name_alt"))
        codes = [item for item in alternates if CODE_LIKE.fullmatch(item)]
        names = [item for item in alternates if not CODE_LIKE.fullmatch(item)]
        names += [text(props.get(key)) for key in ("name_en", "woe_name", "gn_name", "name_local")]
        if INITIALS.search(name):
            # "K.P.", "K. Maras": the label's short form; the place is known by its full name.
            full = next((item for item in [text(props.get("name_en")), *names] if item and not INITIALS.search(item)), None)
            if full:
                codes.append(name)
                name = full
        short_forms = unique_names([text(props.get("abbrev")), text(props.get("postal")), *codes], besides=[name])
        abbreviations = [code for code in short_forms if is_latin(code) and not garbled(code)]
        aliases = [alias for alias in unique_names(names, besides=[name, *abbreviations]) if usable(alias)]
        rest = (
            coordinate(number_or(props.get("latitude"), lat)),
            coordinate(number_or(props.get("longitude"), lon)),
            str(geonames) if geonames and geonames > 0 else "",
            "" if gn_a1.startswith("-") else gn_a1,  # Natural Earth writes -1, -101... for "none"
            text(props.get("type_en")),
            joined(abbreviations),
        )
        iso2 = iso2 if re.fullmatch(r"[A-Z]{2}", iso2) else ""  # -1 for disputed or unrecognised areas
        provinces.append(Province(iso2, name, [alias for alias in aliases if not CODE_LIKE.fullmatch(alias)], rest))
    note(f"admin1: skipped {unnamed} features with no name")

    country_names = {
        name.casefold() for props, _ in features(source, "ne_10m_admin_0_countries_points.geojson") for name in country_names_of(props)
    }
    dropped = prune_province_aliases(provinces, country_names)
    note(f"admin1: dropped {dropped} aliases naming another place")
    rows = [(p.iso2, p.name, *p.rest[:5], joined(p.aliases), p.rest[5]) for p in provinces]
    return sorted(rows)


# ---------------------------------------------------------------------------------------------- admin-2


def state_postal(props: Props) -> str:
    """The parent state's postal code: the ``region`` field ("KY"), else a letter code in ``iso_3166_2``."""
    region = text(props.get("region"))
    if re.fullmatch(r"[A-Z]{2}", region):
        return region
    _, _, suffix = text(props.get("iso_3166_2")).partition("-")
    return suffix if suffix.isalpha() else ""


def build_admin2(source: Path) -> list[Row]:
    rows: list[Row] = []
    for props, (lat, lon) in features(source, "ne_10m_admin_2_label_points.geojson"):
        name = text(props.get("name"))
        if not name:
            continue
        kind = text(props.get("type_en"))
        names = [*pieces(props.get("name_alt")), text(props.get("name_en"))]
        if kind and PLAIN_TYPE.fullmatch(kind) and kind not in TYPES_NOT_SUFFIXED and not name.endswith(kind):
            names.append(f"{name} {kind}")
        else:  # no "Saint Croix (County Equivalent)"
            names = [alias for alias in names if alias != f"{name} {kind}"]
        rows.append(
            (
                text(props.get("iso_a2")),
                name,
                coordinate(number_or(props.get("latitude"), lat)),
                coordinate(number_or(props.get("longitude"), lon)),
                state_postal(props),
                kind,
                joined(alias for alias in unique_names(names, besides=[name]) if usable(alias)),
            )
        )
    return sorted(rows)


# ---------------------------------------------------------------------------------------------- physical


@dataclass
class Physical:
    name: str
    feature: str
    featurecla: str
    point: tuple[float, float]
    scalerank: int
    aliases: list[str]
    merge_km: float
    order: int = 0
    absorbed: list[Physical] = field(default_factory=list)


# (file, how a row's feature kind is decided, linking distance for same-named pieces)
def continent_or_region(props: Props) -> str:
    return "continent" if text(props.get("featurecla")) == "Continent" else "region"


PHYSICAL_LAYERS: tuple[tuple[str, Callable[[Props], str], float], ...] = (
    ("ne_10m_geography_regions_polys_points.geojson", continent_or_region, MERGE_KM_OTHER),
    ("ne_10m_geography_regions_points.geojson", lambda p: "region", MERGE_KM_OTHER),
    ("ne_10m_geography_marine_polys_points.geojson", lambda p: "water", MERGE_KM_OTHER),
    ("ne_10m_lakes_points.geojson", lambda p: "water", MERGE_KM_OTHER),
    ("ne_10m_rivers_lake_centerlines_points.geojson", lambda p: "water", MERGE_KM_RIVER),
)
LAKES = "ne_10m_lakes_points.geojson"


def physical_aliases(props: Props, name: str) -> list[str]:
    raw = [*pieces(props.get("name_alt")), *pieces(props.get("namealt")), text(props.get("label")), text(props.get("name_en"))]
    return [title_case(alias) if shouting(alias) else alias for alias in raw if alias and usable(alias)]


def lake_aliases(rows: list[tuple[Props, Physical]]) -> None:
    """Drop lake aliases that would mislead a geoparser.

    Natural Earth's ``name_en`` for lakes is the bare name ("Erie" for Lake Erie, "Malawi" for Lake Malawi,
    "Chad" for Lake Chad); such shortenings clash with countries, provinces and cities. ``name_alt`` often
    names the group a lake belongs to ("Great Lakes" on eleven lakes), which is no name of the lake itself.
    """
    carriers: dict[str, set[str]] = defaultdict(set)
    for _, row in rows:
        for alias in row.aliases:
            carriers[alias.casefold()].add(row.name)
    for _, row in rows:
        name_words = words(row.name)
        row.aliases = [alias for alias in row.aliases if not words(alias) < name_words and len(carriers[alias.casefold()]) == 1]


def linked(members: Sequence[Physical]) -> list[list[Physical]]:
    """Split same-named rows into chains of rows that lie within linking distance of one another."""
    parent = list(range(len(members)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for i, first in enumerate(members):
        for j in range(i + 1, len(members)):
            second = members[j]
            if km_between(first.point, second.point) <= max(first.merge_km, second.merge_km):
                parent[root(i)] = root(j)
    chains: dict[int, list[Physical]] = defaultdict(list)
    for index, row in enumerate(members):
        chains[root(index)].append(row)
    return list(chains.values())


def merge_pieces(rows: list[Physical]) -> list[Physical]:
    """Collapse rows of one (name, feature) that are pieces of one place, keeping the most important point.

    Each chain of linked same-named rows (see ``linked``) is one place, standing at its smallest-scalerank
    row. Distinct places that share a name ("Flores" in Indonesia and in the Azores, the Colorado rivers of
    the US and of Argentina) stay apart.
    """
    groups: dict[tuple[str, str], list[Physical]] = defaultdict(list)
    for row in rows:
        groups[(row.name, row.feature)].append(row)
    kept: list[Physical] = []
    for members in groups.values():
        for chain in linked(members):
            head, *rest = sorted(chain, key=lambda r: (r.scalerank, r.order))
            head.absorbed = rest
            kept.append(head)
    return kept


def build_physical(source: Path) -> list[Row]:
    rows: list[Physical] = []
    for filename, kind_of, merge_km in PHYSICAL_LAYERS:
        layer: list[tuple[Props, Physical]] = []
        for props, point in features(source, filename):
            name = text(props.get("name"))
            featurecla = text(props.get("featurecla"))
            if not name or featurecla == "Dragons-be-here":  # "Null Island", Natural Earth's marker for failed geocodes
                continue
            if shouting(name):
                name = title_case(name)
            scalerank = whole_number(props.get("scalerank"))
            row = Physical(
                name=name,
                feature=kind_of(props),
                featurecla=featurecla,
                point=point,
                scalerank=99 if scalerank is None else scalerank,
                aliases=physical_aliases(props, name),
                merge_km=merge_km,
                order=len(rows) + len(layer),
            )
            layer.append((props, row))
        if filename == LAKES:
            lake_aliases(layer)
        rows.extend(row for _, row in layer)

    places = merge_pieces(rows)
    note(f"physical: {len(rows)} named rows, {len(places)} places after merging pieces of one place")
    out: list[Row] = []
    for place in places:
        names = [alias for piece in (place, *place.absorbed) for alias in piece.aliases]
        lat, lon = place.point
        out.append(
            (
                place.name,
                place.feature,
                place.featurecla,
                coordinate(lat),
                coordinate(lon),
                str(place.scalerank),
                joined(unique_names(names, besides=[place.name])),
            )
        )
    return sorted(out, key=lambda r: (r[1], r[0], r[3], r[4], r[2]))


# ---------------------------------------------------------------------------------------------- airports


def build_airports(source: Path) -> list[Row]:
    rows: list[Row] = []
    for props, (lat, lon) in features(source, "ne_10m_airports.geojson"):
        name = text(props.get("name"))
        if name:
            codes = (text(props.get("iata_code")), text(props.get("gps_code")))
            rows.append((name, *codes, coordinate(lat), coordinate(lon), text(props.get("type"))))
    return sorted(rows)


# ---------------------------------------------------------------------------------------------- output


def write_table(path: Path, columns: Sequence[str], rows: Sequence[Row]) -> None:
    lines = ["\t".join(columns)]
    for row in rows:
        assert len(row) == len(columns), (path.name, row)
        assert not any(char in value for value in row for char in "\t\n\r"), (path.name, row)
        lines.append("\t".join(row))
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write("\n".join(lines) + "\n")
    note(f"wrote {path} ({len(rows)} rows, {path.stat().st_size:,} bytes)")


TABLES: tuple[tuple[str, Sequence[str], Callable[[Path], list[Row]]], ...] = (
    ("countries.tsv", COUNTRY_COLUMNS, build_countries),
    ("admin1.tsv", ADMIN1_COLUMNS, build_admin1),
    ("admin2.tsv", ADMIN2_COLUMNS, build_admin2),
    ("physical.tsv", PHYSICAL_COLUMNS, build_physical),
    ("airports.tsv", AIRPORT_COLUMNS, build_airports),
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help=f"Natural Earth extract (default: {DEFAULT_SOURCE})")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default: {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    if not (args.source / "ne_10m_admin_0_countries_points.geojson").is_file():
        note(f"error: no Natural Earth extract at {args.source}")
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    for filename, columns, build in TABLES:
        write_table(args.out / filename, columns, build(args.source))
    return 0


if __name__ == "__main__":
    sys.exit(main())
