"""Dates stage: resolve each event's time expression against the publication date.

News conventions ``dateparser`` does not know are handled here first: a bare weekday ("on
Tuesday") is the publication day when the article appeared that weekday, otherwise the latest such
day before it; "the previous day" the day before the day the sentence names before it (or before
publication); "at the weekend" the week of the latest Saturday; "earlier this year" the year,
"last week" the week, "in August" the latest August not after publication. Calendar dates
("3 September", "Sept. 3, 2017") go to ``dateparser`` with the publication date as its base. An
event with no expression of its own takes the lead's date (news reports its latest events first),
else the publication date at week precision. A time right after a reporting verb ("an official
said on Thursday") dates the statement, not the event: the event takes another time, the lead's,
or failing those that one at week precision.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from functools import lru_cache

from warmonitor.lexicon import MONTHS, NUMBER_WORDS, WEEKDAYS
from warmonitor.model import Analysis, DatePrecision, Event, Evidence, Sentence, Status
from warmonitor.stages.base import ArticleStage

_WEEKDAYS = list(WEEKDAYS)
_MONTHS = list(MONTHS)
_MONTH_ABBR = r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
_MONTH = rf"(?:{'|'.join(_MONTHS)}|(?:{_MONTH_ABBR})\.?)"
Resolved = tuple[date, str]  # date and precision


def _weekday(published: date, name: str, strictly_before: bool = False) -> date:
    target = _WEEKDAYS.index(name)
    delta = (published.weekday() - target) % 7
    if delta == 0 and strictly_before:
        delta = 7
    return published - timedelta(days=delta)


def _weekend(published: date, last: bool = False) -> date:
    """The Saturday of the latest weekend not after publication ("at the weekend"); with ``last``,
    of the weekend before a weekend publication ("last weekend", written on a Sunday)."""
    saturday = _weekday(published, "saturday")
    if last and published - saturday <= timedelta(days=1):
        saturday -= timedelta(days=7)
    return saturday


def _month(published: date, name: str, year: str | None) -> date:
    index = next(i for i, month in enumerate(_MONTHS) if month.startswith(name.lower().rstrip(".")[:3])) + 1
    if year:
        return date(int(year), index, 1)
    return date(published.year if index <= published.month else published.year - 1, index, 1)


@lru_cache(maxsize=4096)
def _calendar(text: str, published: date) -> date | None:
    from datetime import datetime

    import dateparser  # slow to import: only when a calendar date is written

    parsed = dateparser.parse(
        text,
        languages=["en"],
        settings={"RELATIVE_BASE": datetime(published.year, published.month, published.day),
                  "PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day", "month"]},
    )
    return parsed.date() if parsed else None


def _rules() -> list[tuple[re.Pattern[str], Callable[[re.Match[str], date], Resolved | None]]]:
    weekday = "|".join(_WEEKDAYS)
    return [
        (re.compile(rf"\b(?:on\s+)?(?:{_MONTH})\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?\b|"
                    rf"\b(?:on\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTH})(?:,?\s+\d{{4}})?\b", re.I),
         lambda m, p: (d, "day") if (d := _calendar(re.sub(r"^on\s+", "", m.group(), flags=re.I), p)) else None),
        (re.compile(rf"\blast\s+({weekday})\b", re.I), lambda m, p: (_weekday(p, m.group(1).lower(), True), "day")),
        (re.compile(rf"\b(?:on\s+|late\s+|early\s+|since\s+)?({weekday})(?:\s+(?:morning|afternoon|evening|night))?\b", re.I),
         lambda m, p: (_weekday(p, m.group(1).lower()), "day")),
        (re.compile(r"\b(?:today|this\s+morning|tonight|this\s+afternoon|this\s+evening)\b", re.I),
         lambda m, p: (p, "day")),
        (re.compile(r"\b(?:yesterday|overnight|last\s+night)\b", re.I), lambda m, p: (p - timedelta(days=1), "day")),
        (re.compile(r"\b(?:at|over|during|on)\s+the\s+weekend\b|\b(?:last|this)\s+weekend\b", re.I),
         lambda m, p: (_weekend(p, m.group().lower().startswith("last")), "week")),
        (re.compile(r"\b(?:last\s+week|earlier\s+this\s+week|this\s+week|in\s+recent\s+days|past\s+few\s+days)\b", re.I),
         lambda m, p: (p - timedelta(days=7) if "last" in m.group().lower() else p, "week")),
        (re.compile(r"\b(?:earlier\s+this\s+month|this\s+month)\b", re.I), lambda m, p: (p.replace(day=1), "month")),
        (re.compile(r"\blast\s+month\b", re.I),
         lambda m, p: ((p.replace(day=1) - timedelta(days=1)).replace(day=1), "month")),
        (re.compile(rf"\b(?:in|since|during|early|late|mid-?)\s*({_MONTH})(?:\s+(\d{{4}}))?\b", re.I),
         lambda m, p: (_month(p, m.group(1), m.group(2)), "month")),
        (re.compile(r"\b(?:earlier\s+this\s+year|this\s+year)\b", re.I), lambda m, p: (date(p.year, 1, 1), "year")),
        (re.compile(r"\blast\s+year\b", re.I), lambda m, p: (date(p.year - 1, 1, 1), "year")),
        (re.compile(r"\b(?:in|since|during|by|of)\s+((?:19|20)\d{2})\b", re.I),
         lambda m, p: (date(int(m.group(1)), 1, 1), "year")),
    ]


_RULES = _rules()


def expressions(text: str, published: date, anchor: date | None = None) -> list[tuple[int, int, str, Resolved]]:
    """Every time expression in a sentence: (start, end, words, (date, precision)). ``anchor`` is
    the day the article is about, which "two days earlier" counts back from when the sentence
    names no day of its own."""
    found: list[tuple[int, int, str, Resolved]] = []
    taken: list[tuple[int, int]] = []
    for pattern, resolve in _RULES:
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            resolved = resolve(match, published)
            if resolved is None or resolved[0] > published:
                continue
            found.append((match.start(), match.end(), match.group(), resolved))
            taken.append((match.start(), match.end()))
    for match in _DAYS_BEFORE.finditer(text):
        if any(s < match.end() and match.start() < e for s, e in taken):
            continue
        # "said on Saturday that its fighters attacked two days earlier", "the fighting came a day
        # after four soldiers were killed": so many days before the day the sentence names before
        # it, else the day the article is about (its lead), else publication; "ago" counts back
        # from publication
        count = match.group("count") or match.group("after")
        days = 1 if count is None else NUMBER_WORDS.get(count.lower()) or int(count)
        named = [resolved for start, _end, _words, resolved in found if start < match.start() and resolved[1] == "day"]
        base = published if match.group().lower().endswith("ago") else named[-1][0] if named else anchor or published
        found.append((match.start(), match.end(), match.group(), (base - timedelta(days=days), "day")))
    return sorted(found)


_DAYS_BEFORE = re.compile(
    r"\b(?:the\s+previous\s+(?:day|night|evening)|the\s+day\s+before|"
    r"(?P<count>a|one|two|three|four|five|six|seven|[1-7])\s+days?\s+(?:earlier|before|ago)|"
    r"(?:came|happened|occurred|followed)\s+(?P<after>a|one|two|three|[1-3])\s+days?\s+after)\b", re.I)


# A time written right after a reporting verb dates the statement, not what it reports ("the toll
# has risen to 17, an official said on Thursday"): the event happened then or before.
_STATEMENT_TIME = re.compile(r"\b(?:said|says|told\s+(?:\w+\s+){0,2}?\w+|announced|reported|stated|added|confirmed|"
                             r"claimed|declared)(?:\s+(?:in|on)\s+a\s+statement)?\s*$", re.I)


# Or written right before a verb of speech or response whose clause reports the event ("the
# government on Monday pledged to track down the militants who killed a dozen villagers"): the
# time is the pledge's, unless that verb is the event itself.
_TIME_OF_A_RESPONSE = re.compile(r"\s*(?:said|says|pledged|vowed|promised|announced|confirmed|condemned|denied|"
                                 r"blamed|accused|warned|urged|called|claimed|told|rejected|welcomed)\b", re.I)


def _dates_a_statement(text: str, start: int, end: int | None = None, trigger_offset: int | None = None) -> bool:
    if _STATEMENT_TIME.search(text[max(0, start - 60):start]):
        return True
    if end is None:
        return False
    verb = _TIME_OF_A_RESPONSE.match(text, end)
    return verb is not None and (trigger_offset is None or trigger_offset >= verb.end())


def _lead_date(sentences: list[Sentence], published: date) -> tuple[Resolved, str] | None:
    for sentence in sentences[:2]:
        for start, end, words, resolved in expressions(sentence.text, published):
            if resolved[1] == "day" and not _dates_a_statement(sentence.text, start, end):
                return resolved, words
    return None


def date_event(event: Event, sentence: Sentence, published: date, lead: tuple[Resolved, str] | None,
               trigger_offset: int) -> None:
    """Set ``event.date`` and ``event.date_precision`` with their evidence."""
    found = expressions(sentence.text, published, lead[0][0] if lead is not None and lead[0][1] == "day" else None)
    if event.status == Status.PLANNED:
        event.date, event.date_precision = None, DatePrecision.UNKNOWN
        event.evidence.append(Evidence("date", "", None, "planned event: no date yet"))
        return
    own = [item for item in found if not _dates_a_statement(sentence.text, item[0], item[1], trigger_offset)]
    statements = [item for item in found if item not in own]
    if own:
        start, end, words, (when, precision) = min(own, key=lambda item: abs(item[0] - trigger_offset))
        event.date, event.date_precision = when, DatePrecision(precision)
        event.evidence.append(Evidence("date", words, sentence.original_span(start, end),
                                       f"'{words}' against publication {published.isoformat()}"))
    elif lead is not None:
        (when, precision), words = lead
        event.date, event.date_precision = when, DatePrecision(precision)
        event.evidence.append(Evidence("date", words, None, "no time in the sentence; the lead's date"))
    elif statements:
        start, end, words, (when, _) = statements[0]
        event.date, event.date_precision = when, DatePrecision.WEEK
        event.evidence.append(Evidence("date", words, sentence.original_span(start, end),
                                       f"'{words}' dates the statement: the event was then or in the week before"))
    else:
        event.date, event.date_precision = published, DatePrecision.WEEK
        event.evidence.append(Evidence("date", "", None, "no time written; within the week of publication"))


def run(analysis: Analysis) -> None:
    published = analysis.article.published
    if published is None:
        for event in analysis.events:
            event.date, event.date_precision = None, DatePrecision.UNKNOWN
        return
    lead = _lead_date(analysis.sentences, published)
    analysis.lead_date = lead[0] if lead else None
    for event in analysis.events:
        date_event(event, analysis.sentences[event.sentence_index], published, lead, event.trigger_offset)


STAGE = ArticleStage(
    "dates",
    reads=("sentences", "events", "article.published"),
    writes=("events.date", "events.date_precision", "events.evidence", "lead_date"),
    step=lambda analysis, _resources: run(analysis),
)
