"""Dates stage: time expressions resolved against the publication date, and per-event dating."""

from __future__ import annotations

from datetime import date

import pytest

from warmonitor.model import Analysis, Article, Event, Sentence, Span, Status
from warmonitor.stages import dates
from warmonitor.stages.dates import date_event, expressions
from warmonitor.stages.text import segment

TUESDAY = date(2017, 9, 5)  # a Tuesday


def only(text: str, published: date = TUESDAY) -> tuple[str, date, str]:
    found = expressions(text, published)
    assert len(found) == 1, found
    start, end, words, (when, precision) = found[0]
    assert text[start:end] == words
    return words, when, precision


@pytest.mark.parametrize(
    ("text", "words", "when", "precision"),
    [
        ("Rebels attacked the town on Tuesday.", "on Tuesday", date(2017, 9, 5), "day"),
        ("Rebels attacked the town on Sunday.", "on Sunday", date(2017, 9, 3), "day"),
        ("Rebels attacked the town last Tuesday.", "last Tuesday", date(2017, 8, 29), "day"),
        ("Rebels attacked the town yesterday.", "yesterday", date(2017, 9, 4), "day"),
        ("Rebels attacked the town overnight.", "overnight", date(2017, 9, 4), "day"),
        ("Rebels attacked the town earlier this year.", "earlier this year", date(2017, 1, 1), "year"),
        ("Rebels attacked the town in August.", "in August", date(2017, 8, 1), "month"),
        ("Rebels attacked the town last week.", "last week", date(2017, 8, 29), "week"),
        ("Rebels have held the town since 2014.", "since 2014", date(2014, 1, 1), "year"),
        ("Rebels attacked the town on 3 September.", "on 3 September", date(2017, 9, 3), "day"),
        ("Rebels attacked the town on Sept. 3, 2017.", "Sept. 3, 2017", date(2017, 9, 3), "day"),
        ("Rebels attacked the town last month.", "last month", date(2017, 8, 1), "month"),
        ("Rebels attacked the town in December.", "in December", date(2016, 12, 1), "month"),
        ("Rebels attacked the town the previous day.", "the previous day", date(2017, 9, 4), "day"),
        ("Rebels attacked the town at the weekend.", "at the weekend", date(2017, 9, 2), "week"),
    ],
)
def test_expressions_against_a_tuesday(text: str, words: str, when: date, precision: str) -> None:
    found_words, found_when, found_precision = only(text)
    assert found_words.lower().endswith(words.lower().removeprefix("on "))
    assert (found_when, found_precision) == (when, precision)


def test_month_after_publication_is_last_year() -> None:
    _, when, precision = only("Rebels took the town in March.", published=date(2017, 2, 10))
    assert (when, precision) == (date(2016, 3, 1), "month")


def test_calendar_date_after_publication_is_last_year() -> None:
    _, when, precision = only("Rebels took the town on 30 September.")
    assert (when, precision) == (date(2016, 9, 30), "day")


def test_weekday_on_publication_day_is_that_day() -> None:
    assert only("Talks resumed on Tuesday morning.")[1:] == (TUESDAY, "day")


def test_no_expression() -> None:
    assert expressions("Rebels attacked the town, the army said.", TUESDAY) == []


def test_several_expressions_in_order() -> None:
    found = expressions("Rebels have held the town since 2014 and repelled an attack on Monday.", TUESDAY)
    assert [(words, resolved) for _, _, words, resolved in found] == [
        ("since 2014", (date(2014, 1, 1), "year")),
        ("on Monday", (date(2017, 9, 4), "day")),
    ]


def test_modal_may_is_not_a_month() -> None:
    assert expressions("Rebels may attack the town.", TUESDAY) == []


# --- date_event ----------------------------------------------------------------------------------------

def _event(sentence: Sentence, trigger: str, status: Status = Status.OCCURRED) -> tuple[Event, int]:
    start = sentence.text.index(trigger)
    event = Event(
        article_id="a1",
        sentence_index=sentence.index,
        sentence=sentence.text,
        span=sentence.span,
        trigger=trigger,
        trigger_span=sentence.original_span(start, start + len(trigger)),
        trigger_offset=start,
        plover_type="ASSAULT",
        cameo_root="18",
        status=status,  # type: ignore[arg-type]
    )
    return event, start


def _sentence(text: str) -> Sentence:
    _, sentences = segment(text)
    assert len(sentences) == 1
    return sentences[0]


def test_date_event_uses_the_sentence_expression_with_evidence() -> None:
    sentence = _sentence("Rebels attacked the town on Sunday, the army said.")
    event, trigger = _event(sentence, "attacked")
    date_event(event, sentence, TUESDAY, None, trigger)
    assert (event.date, event.date_precision) == (date(2017, 9, 3), "day")
    evidence = [item for item in event.evidence if item.field == "date"]
    assert len(evidence) == 1
    assert evidence[0].text == "on Sunday"
    assert evidence[0].span is not None
    assert sentence.text[evidence[0].span.start : evidence[0].span.end] == "on Sunday"


def test_date_event_picks_the_expression_nearest_the_trigger() -> None:
    sentence = _sentence("Rebels who had held the town since 2014 withdrew on Monday.")
    event, trigger = _event(sentence, "withdrew")
    date_event(event, sentence, TUESDAY, None, trigger)
    assert (event.date, event.date_precision) == (date(2017, 9, 4), "day")


def test_a_time_before_a_verb_of_response_dates_the_response_not_the_deed_it_reports() -> None:
    sentence = _sentence("The government on Monday pledged to find the gunmen who killed nine villagers.")
    killed, trigger = _event(sentence, "killed")
    date_event(killed, sentence, TUESDAY, None, trigger)
    assert (killed.date, killed.date_precision) == (date(2017, 9, 4), "week")  # then or in the week before
    pledged, trigger = _event(sentence, "pledged")
    date_event(pledged, sentence, TUESDAY, None, trigger)
    assert (pledged.date, pledged.date_precision) == (date(2017, 9, 4), "day")  # the pledge's own time


def test_planned_event_has_no_date() -> None:
    sentence = _sentence("Rebels will attack the town on Sunday.")
    event, trigger = _event(sentence, "attack", status=Status.PLANNED)
    date_event(event, sentence, TUESDAY, ((date(2017, 9, 4), "day"), "on Monday"), trigger)
    assert event.date is None
    assert event.date_precision == "unknown"
    assert any(item.field == "date" and "planned" in item.rule for item in event.evidence)


def test_no_expression_takes_the_lead_date() -> None:
    sentence = _sentence("Rebels attacked the town, the army said.")
    event, trigger = _event(sentence, "attacked")
    date_event(event, sentence, TUESDAY, ((date(2017, 9, 4), "day"), "on Monday"), trigger)
    assert (event.date, event.date_precision) == (date(2017, 9, 4), "day")
    assert any(item.field == "date" and "lead" in item.rule for item in event.evidence)


def test_no_expression_and_no_lead_is_the_publication_week() -> None:
    sentence = _sentence("Rebels attacked the town, the army said.")
    event, trigger = _event(sentence, "attacked")
    date_event(event, sentence, TUESDAY, None, trigger)
    assert (event.date, event.date_precision) == (TUESDAY, "week")


# --- the stage over an article -------------------------------------------------------------------------

def _analysis(text: str, published: date | None) -> Analysis:
    analysis = Analysis(Article(text=text, published=published))
    analysis.shape, analysis.sentences = segment(text)
    for sentence in analysis.sentences:
        trigger = "attacked" if "attacked" in sentence.text else None
        if trigger:
            event, _ = _event(sentence, trigger)
            analysis.events.append(event)
    return analysis


def test_run_dates_later_sentences_from_the_lead() -> None:
    analysis = _analysis("Rebels attacked the town on Sunday. Later, militants attacked a checkpoint.", TUESDAY)
    dates.run(analysis)
    assert analysis.lead_date == (date(2017, 9, 3), "day")
    assert [(e.date, e.date_precision) for e in analysis.events] == [(date(2017, 9, 3), "day")] * 2


def test_run_without_publication_date_leaves_events_undated() -> None:
    analysis = _analysis("Rebels attacked the town on Sunday.", None)
    dates.run(analysis)
    assert [(e.date, e.date_precision) for e in analysis.events] == [(None, "unknown")]


def test_tokenized_lowercase_expressions() -> None:
    text = "rebels attacked the town on sunday .\n"
    analysis = _analysis(text, TUESDAY)
    assert analysis.shape == "tokenized-lowercase"
    dates.run(analysis)
    assert (analysis.events[0].date, analysis.events[0].date_precision) == (date(2017, 9, 3), "day")


def test_trigger_offset_is_used_to_find_the_nearest_expression() -> None:
    # Two events in one sentence, each nearer its own time expression.
    analysis = Analysis(Article(text="x", published=TUESDAY))
    analysis.shape, analysis.sentences = segment(
        "In August rebels attacked the town, and on Sunday they attacked it again."
    )
    sentence = analysis.sentences[0]
    first = sentence.text.index("attacked")
    second = sentence.text.index("attacked", first + 1)
    for start in (first, second):
        analysis.events.append(Event("a1", 0, sentence.text, sentence.span, "attacked",
                                     Span(start, start + len("attacked")), "ASSAULT", "18", trigger_offset=start))
    dates.run(analysis)
    assert [(e.date, e.date_precision) for e in analysis.events] == [
        (date(2017, 8, 1), "month"),
        (date(2017, 9, 3), "day"),
    ]


def test_the_previous_day_is_the_day_before_the_day_named_before_it() -> None:
    found = expressions("The militia said on Sunday that its men had taken the bridge the day before.", TUESDAY)
    assert [(words, when) for _, _, words, (when, _) in found] == [
        ("on Sunday", date(2017, 9, 3)), ("the day before", date(2017, 9, 2))]


def test_days_counted_back_from_the_day_the_sentence_names_or_the_articles_day() -> None:
    # TUESDAY is 5 September 2017: "on Saturday" is the 2nd, two days earlier the 31st of August
    said = expressions("The group said on Saturday that its men had raided the camp two days earlier.", TUESDAY)
    assert said[-1][2:] == ("two days earlier", (date(2017, 8, 31), "day"))
    # no day named: "came a day after" counts back from the day the article is about
    came = expressions("The raid came a day after four guards were killed.", TUESDAY, date(2017, 9, 4))
    assert came[0][2:] == ("came a day after", (date(2017, 9, 3), "day"))
    ago = expressions("Three men were arrested two days ago.", TUESDAY, date(2017, 9, 4))
    assert ago[0][3] == (date(2017, 9, 3), "day")
