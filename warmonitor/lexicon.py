"""Name folding shared by the gazetteer, the dictionaries and the actor and place stages.

Names are looked up in cased and lowercased text alike, so every lookup folds a name the same
way: lowercase, no diacritics, apostrophes and hyphens treated as spacing.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_APOSTROPHES = "'’‘ʼ`´"

# Lowercase words inside place and person names ("Deir al-Zor", "Port-au-Prince", "Ibn Khaldun").
NAME_PARTICLES = frozenset({
    "al", "el", "ad", "as", "ash", "ar", "ez", "az", "de", "la", "le", "of", "the", "du", "des", "del", "da", "di",
    "bin", "ibn", "bani", "and", "on", "upon", "sur", "am", "an", "der", "au",
})
# The Arabic article as transliterations write it, assimilated or not ("al", "as-", "ez-", "ul-").
ARABIC_ARTICLES = frozenset({"al", "el", "il", "ul", "ad", "ed", "adh", "an", "en", "ar", "er", "as", "es", "ash",
                             "esh", "at", "et", "ath", "az", "ez"})
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
# Months as news abbreviates them ("Jan. 20", "Sept. 3"), folded, without the full stop.
MONTH_ABBREVIATIONS = frozenset({"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"})


@lru_cache(maxsize=1 << 15)
def fold(text: str) -> str:
    """Key under which names are stored and looked up ("Deir al-Zor" → "deir al zor").
    Cached: the same words recur across sentences and articles."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    lowered = stripped.lower()
    for mark in _APOSTROPHES:
        lowered = lowered.replace(mark + "s ", " ").replace(mark, "")
    lowered = re.sub(r"[\-‐–—_/]", " ", lowered)
    lowered = re.sub(r"[^\w\s.]", " ", lowered)
    lowered = re.sub(r"(?<=\w)\.(?=\s|$)", "", lowered)  # "gen." → "gen", "u.s." → "u.s"
    return " ".join(lowered.split())


# Nouns for a kind of place: a name they govern or that modifies them is a place ("the town of
# Boni", "Sagaing region", "east Hama countryside").
PLACE_NOUNS = frozenset({"town", "city", "village", "district", "province", "region", "port", "outskirts", "area", "camp",
                         "countryside", "suburbs", "axis", "front", "frontline", "airport", "airbase", "coast", "valley",
                         "mountains", "hills", "plain", "plains", "highway", "road", "crossing", "border", "outpost", "quarter",
                         "county", "state", "municipality", "suburb", "neighbourhood", "neighborhood", "island", "governorate"})
