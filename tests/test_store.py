"""Store: idempotent adds, event queries with filters, explanations and refused inputs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from warmonitor.errors import BadArticle, StoreError
from warmonitor.model import Actor, Analysis, Article, Event, Evidence, Location, Span
from warmonitor.store import EventQuery, Store, open_store
from warmonitor.text import segment

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
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "db" / "events.sqlite") as opened:
        yield opened


@pytest.fixture
def filled(store: Store) -> Store:
    assert store.add(_analysis()) == 2
    return store


def ids(records: list[dict]) -> list[str]:
    return [record["trigger"] for record in records]


def test_add_stores_article_sentences_and_events(store: Store) -> None:
    analysis = _analysis()
    assert not store.has_article(analysis.article.id)
    assert store.add(analysis) == 2
    assert store.has_article(analysis.article.id)
    assert store.counts() == {"articles": 1, "sentences": 2, "events": 2, "rejected": 0}
    row = store.db.execute("SELECT title, url, source, published, origin, shape, text FROM articles").fetchone()
    assert row == ("Two events", "https://example.org/a", "Example Wire", "2024-01-02", "hand.txt", "raw", TEXT)


def test_re_adding_the_same_article_adds_nothing(filled: Store) -> None:
    again = _analysis()
    assert filled.add(again) == 0
    assert filled.counts() == {"articles": 1, "sentences": 2, "events": 2, "rejected": 0}


def test_stored_record_is_the_public_record(filled: Store) -> None:
    analysis = _analysis()
    stored = {record["id"]: record for record in filled.events()}
    for event in analysis.events:
        assert stored[event.id] == json.loads(json.dumps(event.to_dict()))


def test_events_ordered_by_date(filled: Store) -> None:
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
def test_event_filters(filled: Store, query: EventQuery, expected: list[str]) -> None:
    assert ids(list(filled.events(query))) == expected


def test_explain_returns_the_record_with_its_evidence(filled: Store) -> None:
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


def test_explain_unknown_id(filled: Store) -> None:
    assert filled.explain("0000000000000000") is None


def test_reject_is_stored(store: Store) -> None:
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


def test_open_store_with_sqlite_url(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "events.sqlite"
    with open_store(f"sqlite:///{path}") as store:
        assert store.path == path
    assert path.exists()


def test_open_store_with_plain_path(tmp_path: Path) -> None:
    path = tmp_path / "plain.sqlite"
    with open_store(str(path)) as store:
        assert store.path == path
        assert store.counts()["articles"] == 0
    assert path.exists()


@pytest.mark.parametrize("url", ["postgresql://user@localhost/warmonitor", "mysql://localhost/db"])
def test_unsupported_scheme(url: str) -> None:
    with pytest.raises(StoreError, match="not supported"):
        open_store(url)


def test_unopenable_database_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError):
        open_store(str(tmp_path))  # a folder, not a database file


def test_a_database_that_cannot_be_written_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "events.sqlite"
    Store(path).close()
    store = Store(path)
    store.db.execute("PRAGMA query_only = ON")  # stands in for a locked or read-only database
    with pytest.raises(StoreError, match="cannot write"):
        store.add(_analysis())
    with pytest.raises(StoreError, match="cannot write"):
        store.reject(BadArticle("x.txt", "empty"))
    store.close()
