"""Name matching shared by the actor and place stages: one folding rule, one n-gram scan.

Both stages look names up in dictionaries, in cased and lowercased text alike, so both fold a
name the same way: lowercase, no diacritics, apostrophes and hyphens treated as spacing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

_APOSTROPHES = "'’‘ʼ`´"
_TOKEN = re.compile(r"[^\W_]+(?:[.'’][^\W_]+)*\.?|[^\w\s]", re.UNICODE)
T = TypeVar("T")


@lru_cache(maxsize=1 << 18)
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


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int
    key: str  # folded form


def tokens(text: str) -> list[Token]:
    """Word tokens of a readable sentence with their offsets and folded keys."""
    found: list[Token] = []
    for match in _TOKEN.finditer(text):
        word = match.group()
        key = fold(word)
        if not key:
            continue
        if word.endswith("'s") or word.endswith("’s"):
            found.append(Token(word[:-2], match.start(), match.end() - 2, fold(word[:-2])))
            continue
        found.append(Token(word, match.start(), match.end(), key))
    return found


@dataclass(frozen=True, slots=True)
class Match:
    start_token: int
    end_token: int  # exclusive
    start: int  # character offsets in the sentence text
    end: int
    text: str
    key: str


def scan(
    text: str,
    lookup: Callable[[str], T | None],
    max_words: int = 6,
    words: list[Token] | None = None,
) -> Iterator[tuple[Match, T]]:
    """Longest-first, left-to-right dictionary matches over a sentence's word n-grams."""
    words = words if words is not None else tokens(text)
    index = 0
    while index < len(words):
        hit: tuple[Match, T] | None = None
        for length in range(min(max_words, len(words) - index), 0, -1):
            span = words[index : index + length]
            if span[-1].key in {",", ".", "(", ")"} or span[0].key in {",", ".", "(", ")"}:
                continue
            key = " ".join(w.key for w in span)
            value = lookup(key)
            if value is not None:
                start, end = span[0].start, span[-1].end
                hit = (Match(index, index + length, start, end, text[start:end], key), value)
                break
        if hit:
            yield hit
            index = hit[0].end_token
        else:
            index += 1
