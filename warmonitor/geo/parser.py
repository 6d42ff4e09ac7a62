"""The public geoparser: text in, resolved toponyms out, without the neural parse.

Recognition (:mod:`warmonitor.geo.recognize`) and resolution by context
(:mod:`warmonitor.geo.resolve`) over the in-memory gazetteer. ``warmonitor.geoparse`` and
``warmonitor geoparse`` call :meth:`Geoparser.parse`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from warmonitor.gazetteer import Gazetteer, NameKind
from warmonitor.geo.recognize import Recognizer, mentions_for_spans
from warmonitor.geo.resolve import Mention, Resolution, resolve
from warmonitor.model import Span, Toponym
from warmonitor.stages.text import dateline_length


class Geoparser:
    """Finds and resolves the toponyms of a text; built once, used for many texts."""

    def __init__(self, gazetteer: Gazetteer, common_words: frozenset[str], common_nouns: frozenset[str]) -> None:
        self.gazetteer = gazetteer
        self.common_words = common_words
        self.recognizer = Recognizer(gazetteer, common_words, common_nouns)

    def parse(self, text: str) -> list[Toponym]:
        """Every toponym of a text, resolved in the context of the others."""
        mentions = self.recognizer.find(text)
        return [t for t in self._resolved(text, mentions) if t is not None]

    def resolve_spans(self, text: str, spans: Sequence[tuple[int, int]]) -> list[Toponym | None]:
        """One result per given span, in order: for callers who bring their own recogniser. A
        span whose words name no place the gazetteer knows (a street, a building, a quarter) is
        placed at the article's focus, marked ``at_focus`` with a low score; None only when the
        text has no focus either."""
        for start, end in spans:
            if not (0 <= start < end <= len(text)):
                raise ValueError(f"span ({start}, {end}) is not a [start, end) range inside the text of {len(text)} characters")
        found = self._resolved(text, mentions_for_spans(text, spans, self.gazetteer, self.common_words))
        if all(toponym is not None for toponym in found):
            return found
        focus = article_focus([t for t in found if t is not None]) or article_focus(self.parse(text))
        if focus is None:
            return found
        return [toponym if toponym is not None else _placed_at(focus, text, start, end)
                for toponym, (start, end) in zip(found, spans, strict=True)]

    def dateline_country(self, text: str, mentions: Sequence[Mention] | None = None) -> str | None:
        """The country of a text's leading dateline ("KANO, Nigeria —"), a weak prior for the rest;
        None without a dateline. ``mentions``: the text's toponyms when they are already found."""
        dateline_end = dateline_length(text)
        if not dateline_end:
            return None
        found = self.recognizer.find(text[:dateline_end]) if mentions is None else mentions
        in_dateline = [m for m in found if m.end <= dateline_end]
        return next((r.place.country for r in resolve(in_dateline) if r is not None and r.place.country), None)

    def _resolved(self, text: str, mentions: list[Mention]) -> list[Toponym | None]:
        return [_toponym(m, r) if r is not None else None
                for m, r in zip(mentions, resolve(mentions, self.dateline_country(text, mentions)), strict=True)]


def _toponym(mention: Mention, resolution: Resolution) -> Toponym:
    place = resolution.place
    return Toponym(name=mention.text, span=Span(mention.start, mention.end), canonical=place.name,
                   geonames_id=place.geonames_id, lat=place.lat, lon=place.lon, country=place.country,
                   admin1=place.admin1, feature=place.feature, score=resolution.score, reason=resolution.reason,
                   adjectival=resolution.candidate.kind is NameKind.DEMONYM)


# Features precise enough to stand for a street or a building of the article; a country is not.
_FOCUS_FEATURES = ("city", "admin2", "airport")
FOCUS_SCORE = 0.1  # below any resolution by name


def article_focus(toponyms: Sequence[Toponym]) -> Toponym | None:
    """The town the text is most about: the settlement (else district) named most often, the
    first named on a tie; None when it names none."""
    settled = [t for t in toponyms if t.feature in _FOCUS_FEATURES and not t.adjectival and not t.at_focus]
    if not settled:
        return None
    counts = Counter((t.canonical, t.lat, t.lon) for t in settled)
    return max(settled, key=lambda t: (counts[(t.canonical, t.lat, t.lon)], -t.span.start))


def _placed_at(focus: Toponym, text: str, start: int, end: int) -> Toponym:
    return replace(focus, name=text[start:end], span=Span(start, end), score=FOCUS_SCORE, adjectival=False,
                   at_focus=True, reason=f"not in the gazetteer: placed at the article's focus, {focus.canonical}")
