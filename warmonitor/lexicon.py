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


# Number words and the counts they stand for ("dozens" is ACLED's 12, "hundreds" its 100).
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "dozens": 12, "dozen": 12, "scores": 20, "hundred": 100, "hundreds": 100, "a": 1, "an": 1,
}  # fmt: skip

# Nouns for a first-level or second-level unit written after its name ("Kano State", "Far North
# region", "Provincia di L'Aquila").
REGION_NOUNS = frozenset({"province", "state", "governorate", "region", "oblast", "prefecture", "department",
                          "county", "district", "municipality"})

# Nouns that say the capitalised name next to them is a settlement's ("Kayamla village", "the town
# of Ma'ardes", "Shuqef neighbourhood").
SETTLEMENT_NOUNS = frozenset({"village", "town", "neighborhood", "neighbourhood", "suburb", "district", "quarter",
                              "area", "camp", "settlement", "hamlet", "township", "locality", "market", "checkpoint",
                              "square",
                              # local units of the conflict press: Nigeria's LGAs, Ethiopia's kebeles and woredas, …
                              "lga", "kebele", "woreda", "commune", "tehsil", "taluka", "upazila", "ward", "chiefdom",
                              "barangay", "groupement", "sub-county", "subcounty", "municipality"})

# Nouns for a kind of place: a name they govern or that modifies them is a place ("the town of
# Boni", "Sagaing region", "east Hama countryside").
PLACE_NOUNS = frozenset({"town", "city", "village", "district", "province", "region", "port", "outskirts", "area", "camp",
                         "countryside", "suburbs", "axis", "front", "frontline", "airport", "airbase", "coast", "valley",
                         "mountains", "hills", "plain", "plains", "highway", "road", "crossing", "border", "outpost", "quarter",
                         "county", "state", "municipality", "suburb", "neighbourhood", "neighborhood", "island", "governorate"})
