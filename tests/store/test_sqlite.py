"""SQLite store: idempotent adds, indexed columns, event queries with filters, explanations and refused inputs."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from warmonitor.errors import BadArticle, StoreError
from warmonitor.model import Actor, Analysis, Article, Event, Evidence, Location, Span
from warmonitor.record import STORE_COLUMNS, flat_value
from warmonitor.stages.text import segment
from warmonitor.store import EventQuery, SqliteStore, open_store

TEXT = (
    "Government troops shelled rebel positions near Idlib on Monday, a monitoring group said. "
    "In Nairobi, protesters marched on parliament on December 20."
)


def _analysis() -> Analysis:
    """An analysed article coded by hand: one assault in Syria, one protest in Kenya."""
    article = Article(text=TEXT, published=date(2024, 1, 2), title="Two events", url="https://example.org/a",
                      source="Example Wire", origin="hand.txt")
    analysis = Analysis(article)
    analysis.shape, analysis.sentences = segment(TEXT)
    first, second = analysis.sentences

    def span(word: str) -> Span:
        start = TEXT.index(word)
        return Span(start, start + len(word))

    assault = Event(
        article_id=article.id, sentence_index=0, sentence=first.text, span=first.span, trigger="shelled",
        trigger_span=span("shelled"), plover_type="ASSAULT", cameo_root="19",
        acled_event_type="Explosions/Remote violence", status="occurred", date=date(2024, 1, 1),
        date_precision="day",
        actor1=Actor("Government troops", "Military Forces of Syria", "SYR", "military", span("Government troops")),
        actor2=Actor("rebel", "Rebels (Syria)", "SYR", "rebel", span("rebel")),
        location=Location("Idlib", "Idlib", 169389, 35.93, 36.63, "SY", "Idlib", "near", span("Idlib")),
        attribution="a monitoring group", attribution_span=span("a monitoring group"), confidence=0.8,
        evidence=[Evidence("plover_type", "shelled", span("shelled"), "verbs.csv: shell → ASSAULT/19"),
                  Evidence("date", "on Monday", span("on Monday"), "'on Monday' against publication 2024-01-02")],
    )
    protest = Event(
        article_id=article.id, sentence_index=1, sentence=second.text, span=second.span, trigger="marched",
        trigger_span=span("marched"), plover_type="PROTEST", cameo_root="14", acled_event_type="Protests",
        status="occurred", date=date(2023, 12, 20), date_precision="day",
        actor1=Actor("protesters", "Protesters (Kenya)", "KEN", "protesters", span("protesters")),
        location=Location("Nairobi", "Nairobi", 184745, -1.28, 36.82, "KE", "Nairobi Area", "exact", span("Nairobi")),
        evidence=[Evidence("plover_type", "marched", span("marched"), "verbs.csv: march → PROTEST/14")],
    )
    analysis.events = [assault, protest]
    return analysis


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    with SqliteStore(tmp_path / "db" / "events.sqlite") as opened:
        yield opened


@pytest.fixture
def filled(store: SqliteStore) -> SqliteStore:
    assert store.add(_analysis()) == 2
    return store


def ids(records: list[dict]) -> list[str]:
    return [record["trigger"] for record in records]


def test_add_stores_article_sentences_and_events(store: SqliteStore) -> None:
    analysis = _analysis()
    assert not store.has_article(analysis.article.id)
    assert store.add(analysis) == 2
    assert store.has_article(analysis.article.id)
    assert store.counts() == {"articles": 1, "sentences": 2, "events": 2, "rejected": 0}
    row = store.db.execute("SELECT title, url, source, published, origin, shape, text FROM articles").fetchone()
    assert row == ("Two events", "https://example.org/a", "Example Wire", "2024-01-02", "hand.txt", "raw", TEXT)


def test_re_adding_the_same_article_adds_nothing(filled: SqliteStore) -> None:
    again = _analysis()
    assert filled.add(again) == 0
    assert filled.counts() == {"articles": 1, "sentences": 2, "events": 2, "rejected": 0}


def test_stored_record_is_the_public_record(filled: SqliteStore) -> None:
    analysis = _analysis()
    stored = {record["id"]: record for record in filled.events()}
    for event in analysis.events:
        assert stored[event.id] == json.loads(json.dumps(event.to_dict()))


def test_indexed_columns_are_the_store_columns_of_the_record(filled: SqliteStore) -> None:
    columns = [row[1] for row in filled.db.execute("PRAGMA table_info(events)")]
    assert set(columns) - {"id", "article_id", "record", "evidence"} == set(STORE_COLUMNS)
    for event in _analysis().events:
        record = json.loads(json.dumps(event.to_dict()))
        row = filled.db.execute(f"SELECT {', '.join(STORE_COLUMNS)} FROM events WHERE id = ?", (event.id,)).fetchone()
        assert dict(zip(STORE_COLUMNS, row, strict=True)) == {column: flat_value(record, key)
                                                             for column, key in STORE_COLUMNS.items()}
    rows = filled.db.execute("SELECT country, actor1, actor2_country FROM events ORDER BY date").fetchall()
    assert rows == [("KE", "Protesters (Kenya)", None), ("SY", "Military Forces of Syria", "SYR")]


def test_events_ordered_by_date(filled: SqliteStore) -> None:
    assert ids(list(filled.events())) == ["marched", "shelled"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (EventQuery(since=date(2023, 12, 25)), ["shelled"]),
        (EventQuery(until=date(2023, 12, 25)), ["marched"]),
        (EventQuery(since=date(2023, 12, 20), until=date(2024, 1, 1)), ["marched", "shelled"]),
        (EventQuery(since=date(2024, 1, 2)), []),
        (EventQuery(country="SY"), ["shelled"]),
        (EventQuery(country="sy"), ["shelled"]),
        (EventQuery(country="KEN"), ["marched"]),
        (EventQuery(country="FR"), []),
        (EventQuery(actor="Military Forces of Syria"), ["shelled"]),
        (EventQuery(actor="protesters"), ["marched"]),
        (EventQuery(plover_type="PROTEST"), ["marched"]),
        (EventQuery(plover_type="assault"), ["shelled"]),
        (EventQuery(plover_type="ASSAULT", country="KE"), []),
        (EventQuery(limit=1), ["marched"]),
    ],
)
def test_event_filters(filled: SqliteStore, query: EventQuery, expected: list[str]) -> None:
    assert ids(list(filled.events(query))) == expected


def test_explain_returns_the_record_with_its_evidence(filled: SqliteStore) -> None:
    assault = _analysis().events[0]
    record = filled.explain(assault.id)
    assert record is not None
    assert record["id"] == assault.id
    assert record["plover_type"] == "ASSAULT"
    assert [item["field"] for item in record["evidence"]] == ["plover_type", "date"]
    assert record["evidence"][1]["text"] == "on Monday"
    start, end = record["evidence"][1]["span"]
    assert TEXT[start:end] == "on Monday"
    assert filled.explain(assault.id[:8]) == record  # a unique prefix is enough


def test_explain_unknown_id(filled: SqliteStore) -> None:
    assert filled.explain("0000000000000000") is None


def test_reject_is_stored(store: SqliteStore) -> None:
    store.reject(BadArticle("corpus.jsonl:7", "malformed JSON (Expecting value at column 1)"))
    assert store.counts()["rejected"] == 1
    origin, reason, at = store.db.execute("SELECT origin, reason, at FROM rejected").fetchone()
    assert (origin, reason) == ("corpus.jsonl:7", "malformed JSON (Expecting value at column 1)")
    assert at


def test_store_persists_across_connections(tmp_path: Path) -> None:
    path = tmp_path / "events.sqlite"
    with open_store(f"sqlite:///{path}") as first:
        first.add(_analysis())
    with open_store(str(path)) as second:
        assert second.counts()["events"] == 2
        assert second.add(_analysis()) == 0


# The events table as releases before the record module wrote it; such databases must keep working.
_OLD_EVENTS_TABLE = """
CREATE TABLE events (
    id TEXT PRIMARY KEY, article_id TEXT NOT NULL REFERENCES articles(id), plover_type TEXT NOT NULL,
    cameo_root TEXT, acled_event_type TEXT, status TEXT, date TEXT, country TEXT, actor1 TEXT, actor2 TEXT,
    actor1_country TEXT, actor2_country TEXT, record TEXT NOT NULL, evidence TEXT NOT NULL);
"""


def test_a_database_with_the_old_column_order_still_works(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.executescript(_OLD_EVENTS_TABLE)
    db.close()
    with SqliteStore(path) as store:
        assert store.add(_analysis()) == 2
        assert ids(list(store.events(EventQuery(country="SY")))) == ["shelled"]


def test_a_store_column_missing_from_an_old_database_is_added_and_filled(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    with SqliteStore(path) as store:
        store.add(_analysis())
        store.db.execute("DROP INDEX events_country")
        store.db.execute("ALTER TABLE events DROP COLUMN country")
    with SqliteStore(path) as store:
        assert ids(list(store.events(EventQuery(country="KE")))) == ["marched"]
        assert store.db.execute("SELECT country FROM events ORDER BY date").fetchall() == [("KE",), ("SY",)]


def test_unopenable_database_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError):
        open_store(str(tmp_path))  # a folder, not a database file


def test_a_database_that_cannot_be_written_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "events.sqlite"
    SqliteStore(path).close()
    store = SqliteStore(path)
    store.db.execute("PRAGMA query_only = ON")  # stands in for a locked or read-only database
    with pytest.raises(StoreError, match="cannot write"):
        store.add(_analysis())
    with pytest.raises(StoreError, match="cannot write"):
        store.reject(BadArticle("x.txt", "empty"))
    store.close()
