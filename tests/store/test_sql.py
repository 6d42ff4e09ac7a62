"""The SQL store on both engines: idempotent adds, canonical events across articles, queries that
do what they say, explanations, re-coding, migrations of a first-release database, and two
writers at once."""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from warmonitor.errors import BadArticle, QueryError, StoreError
from warmonitor.store import SqlStore, make_query, open_store

from .factory import MONDAY, Spec, article, incident_reports, two_event_article


@pytest.fixture
def store(database_url: str):
    with open_store(database_url) as opened:
        yield opened


@pytest.fixture
def filled(store: SqlStore) -> SqlStore:
    assert store.add(two_event_article()) == 2
    return store


def triggers(records: list[dict]) -> list[str]:
    return [record["trigger"] for record in records]


# --- storing --------------------------------------------------------------------------------------


def test_add_stores_the_article_its_events_and_their_canonical_events(store: SqlStore) -> None:
    analysis = two_event_article()
    assert not store.has_article(analysis.article.id)
    assert store.add(analysis) == 2
    assert store.has_article(analysis.article.id)
    assert store.counts() == {"articles": 1, "sentences": 2, "events": 2, "clusters": 2, "rejected": 0}
    assert store.add(two_event_article()) is None  # the same article again adds nothing
    assert store.counts()["events"] == 2


def test_a_canonical_event_is_the_record_plus_its_reports(filled: SqlStore) -> None:
    analysis = two_event_article()
    records = {record["trigger"]: record for record in filled.events()}
    shelled = records["shelled"]
    public = json.loads(json.dumps(analysis.events[0].to_dict()))
    assert {key: shelled[key] for key in public} == {**public, "confidence": shelled["confidence"]}
    assert shelled["num_articles"] == shelled["num_sources"] == 1
    assert shelled["source"] == "Example Wire" and shelled["published"] == "2024-01-02"
    assert shelled["url"] == analysis.article.url
    assert [m["id"] for m in shelled["mentions"]] == [analysis.events[0].id]
    assert shelled["mentions"][0]["sentence"].startswith("Government troops shelled")


def test_reports_of_one_incident_become_one_canonical_event(store: SqlStore) -> None:
    for report in incident_reports():
        store.add(report)
    canonical = list(store.events())
    assert len(list(store.events(make_query(mentions=True)))) == 6
    maiduguri = [r for r in canonical if r["num_articles"] > 1]
    assert len(maiduguri) == 1, [(r["location"], r["num_articles"]) for r in canonical]
    event = maiduguri[0]
    # three outlets' reports and the Bama article's passing mention; not the Bama attack itself
    assert event["num_articles"] == 4 and event["num_sources"] == 3
    assert event["location"]["canonical"] == "Maiduguri"  # the lowercased report named no place
    assert event["fatalities"] == 15  # reconciled (the latest reports say 15), never summed
    assert event["fatalities_reported"] == [12, 15]
    assert event["published"] == "2024-03-05" and event["source"] == "Wire A"  # the first report
    assert event["confidence"] > 0.8  # corroborated
    places = sorted((r["location"] or {}).get("canonical") or "-" for r in canonical)
    assert places == ["Bama", "Damboa", "Maiduguri"]  # the look-alike 90 km away a day later stays apart


def test_clusters_do_not_depend_on_the_order_articles_arrive_in(tmp_path: Path) -> None:
    def clusters(order: list) -> set[frozenset[str]]:
        with open_store(str(tmp_path / f"{len(list(tmp_path.iterdir()))}.sqlite")) as store:
            for report in order:
                store.add(report)
            return {frozenset(m["id"] for m in record["mentions"]) for record in store.events()}

    reports = incident_reports()
    assert clusters(reports) == clusters(list(reversed(reports))) == clusters(reports[2:] + reports[:2])


def test_the_same_corpus_gives_the_same_events_on_both_engines(tmp_path: Path, postgres_url: str) -> None:
    def stored(url: str) -> list[dict]:
        with open_store(url) as store:
            for report in [*incident_reports(), two_event_article()]:
                store.add(report)
            return [{k: v for k, v in r.items() if k != "updated_at"} for r in store.events()]

    assert stored(f"sqlite:///{tmp_path / 'a.sqlite'}") == stored(postgres_url)


def test_recode_replaces_an_articles_events_and_re_clusters(store: SqlStore) -> None:
    reports = incident_reports()
    for report in reports:
        store.add(report)
    before = store.counts()
    # A dictionary change: the second report is now coded as an armed clash in Damboa.
    recoded = article(reports[1].article.text, reports[1].article.published,
                      [Spec("attacked", acled_event_type="Battles", acled_sub_event_type="Armed clash",
                            place=None, when=MONDAY)], source="Sahel Post")
    assert store.recode(recoded) == (1, 1)
    assert store.counts()["articles"] == before["articles"]
    maiduguri = [r for r in store.events() if (r["location"] or {}).get("canonical") == "Maiduguri"]
    assert maiduguri[0]["num_articles"] == 3
    assert store.recode(recoded) == (1, 1)  # idempotent
    assert store.counts() == {**before, "clusters": store.counts()["clusters"]}


def test_recoding_an_article_unchanged_keeps_every_event_in_its_canonical_event(store: SqlStore) -> None:
    reports = incident_reports()
    for report in reports:
        store.add(report)
    before = [(record["id"], record["canonical_id"]) for record in store.events(make_query(mentions=True))]
    for _ in range(2):  # the second pass once found every event of the first pass unlinked
        for report in reports:
            assert store.recode(report) == (len(report.events), len(report.events))
        assert [(record["id"], record["canonical_id"]) for record in store.events(make_query(mentions=True))] == before
        assert all(canonical for _, canonical in before)


def test_reject_is_stored(store: SqlStore) -> None:
    store.reject(BadArticle("corpus.jsonl:7", "malformed JSON (Expecting value at column 1)"))
    assert store.counts()["rejected"] == 1


def test_feed_items_are_remembered_once_per_feed_whatever_their_length(store: SqlStore) -> None:
    from warmonitor.store.schema import feed_items

    feed = "https://example.org/world.rss"
    long_key = "https://example.org/story?" + "x" * 5000  # longer than an index entry may be on PostgreSQL
    assert store.seen_items(feed, ["wire-1", long_key]) == set()
    store.remember_item(feed, "wire-1", "0123456789abcdef")
    store.remember_item(feed, long_key, None, "HTTP 404 Not Found")
    store.remember_item(feed, "wire-1", None, "a later failure")  # the first entry stays
    assert store.seen_items(feed, ["wire-1", long_key, "wire-2"]) == {"wire-1", long_key}
    assert store.seen_items("https://example.org/other.rss", ["wire-1"]) == set()
    with store.engine.connect() as connection:
        rows = {row.item_key: row for row in connection.execute(sa.select(feed_items))}
    assert (rows["wire-1"].article_id, rows["wire-1"].status, rows["wire-1"].reason) == ("0123456789abcdef", "stored", None)
    assert (rows[long_key].article_id, rows[long_key].status, rows[long_key].reason) == (None, "rejected", "HTTP 404 Not Found")


def test_articles_are_listed_newest_first_with_their_event_counts(store: SqlStore) -> None:
    for report in incident_reports():
        store.add(report)
    listed = list(store.articles())
    assert [a["published"] for a in listed] == sorted((a["published"] for a in listed), reverse=True)
    assert {a["events"] for a in listed} == {1, 2}
    assert set(listed[0]) >= {"id", "title", "url", "source", "published", "shape", "text", "events"}
    assert len(list(store.articles(limit=2))) == 2


# --- queries -----------------------------------------------------------------------------------------


def test_events_come_newest_first(filled: SqlStore) -> None:
    assert triggers(list(filled.events())) == ["shelled", "marched"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"since": date(2023, 12, 25)}, ["shelled"]),
        ({"until": date(2023, 12, 25)}, ["marched"]),
        ({"country": "SY"}, ["shelled"]),
        ({"country": "syr"}, ["shelled"]),
        ({"country": "Syria"}, ["shelled"]),
        ({"country": "KEN"}, ["marched"]),
        ({"country": "France"}, []),
        ({"actor": "Military Forces of Syria"}, ["shelled"]),
        ({"actor": "PROTESTERS"}, ["marched"]),
        ({"actor": "Idlib"}, []),  # a word of the sentence, not an actor
        ({"actor": "%"}, []),  # no wildcard leaks into the query
        ({"actor": "_"}, []),
        ({"types": ["PROTEST"]}, ["marched"]),
        ({"types": ["assault"]}, ["shelled"]),
        ({"types": ["Explosions/Remote violence"]}, ["shelled"]),
        ({"types": ["peaceful protest", "Battles"]}, ["marched"]),
        ({"types": ["ASSAULT"], "country": "KE"}, []),
        ({"statuses": ["occurred"]}, ["shelled", "marched"]),
        ({"statuses": ["planned"]}, []),
        ({"bbox": "30,30,40,40"}, ["shelled"]),
        ({"bbox": [30, -5, 40, 5]}, ["marched"]),
        ({"min_confidence": 0.7}, ["shelled"]),
        ({"limit": 1}, ["shelled"]),
        ({"limit": 1, "offset": 1}, ["marched"]),
    ],
)
def test_event_filters(filled: SqlStore, filters: dict, expected: list[str]) -> None:
    query = make_query(**filters)
    assert triggers(list(filled.events(query))) == expected
    assert filled.count(make_query(**{k: v for k, v in filters.items() if k not in {"limit", "offset"}})) >= len(expected)


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"types": ["BOMBING"]}, "neither a PLOVER type"),
        ({"types": ["air strike"]}, "neither a PLOVER type"),
        ({"country": "Sudann"}, "not an ISO 3166"),
        ({"limit": 0}, "1 or more"),
        ({"limit": -5}, "1 or more"),
        ({"statuses": ["happened"]}, "not one of"),
        ({"bbox": "1,2,3"}, "four numbers"),
        ({"bbox": "0,80,10,20"}, "minlat <= maxlat"),
        ({"min_confidence": 2.0}, "between 0 and 1"),
        ({"actor": "  "}, "some letters"),
    ],
)
def test_filters_no_event_could_match_are_refused(filters: dict, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        make_query(**filters)


def test_explain_gives_the_canonical_event_with_each_reports_evidence(filled: SqlStore) -> None:
    assault = two_event_article().events[0]
    record = filled.explain(assault.id)
    assert record is not None and record["id"] == assault.id
    assert [item["field"] for item in record["mentions"][0]["evidence"]] == ["plover_type"]
    assert filled.explain(assault.id[:6]) == record  # an unambiguous prefix is enough
    assert filled.explain("0000000000000000") is None
    for too_short in ("", "  ", "ab"):
        with pytest.raises(QueryError, match="first 4 characters"):
            filled.explain(too_short)


# --- the database itself ---------------------------------------------------------------------------


def test_store_persists_across_connections(database_url: str) -> None:
    with open_store(database_url) as first:
        first.add(two_event_article())
    with open_store(database_url, create=False) as second:
        assert second.counts()["events"] == 2
        assert second.add(two_event_article()) is None


# The tables the first release created, with no migration table: such a database must keep working.
_FIRST_RELEASE = """
CREATE TABLE articles (id TEXT PRIMARY KEY, title TEXT, url TEXT, source TEXT, published TEXT, origin TEXT,
    shape TEXT, text TEXT NOT NULL, ingested_at TEXT NOT NULL);
CREATE TABLE sentences (article_id TEXT NOT NULL REFERENCES articles(id), idx INTEGER NOT NULL, text TEXT NOT NULL,
    start INTEGER NOT NULL, end INTEGER NOT NULL, PRIMARY KEY (article_id, idx));
CREATE TABLE events (id TEXT PRIMARY KEY, article_id TEXT NOT NULL REFERENCES articles(id), country TEXT,
    actor1 TEXT, actor1_country TEXT, actor2 TEXT, actor2_country TEXT, plover_type TEXT NOT NULL, cameo_root TEXT,
    acled_event_type TEXT, status TEXT, date TEXT, record TEXT NOT NULL, evidence TEXT NOT NULL);
CREATE TABLE rejected (origin TEXT NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL);
"""


def test_a_first_release_database_is_migrated_and_its_events_clustered(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    analysis = two_event_article()
    db = sqlite3.connect(path)
    db.executescript(_FIRST_RELEASE)
    art = analysis.article
    db.execute("INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?)", (art.id, art.title, art.url, art.source,
                                                                 art.published.isoformat(), "x", "raw", art.text, "now"))
    for event in analysis.events:
        record = event.to_dict()
        db.execute("INSERT INTO events (id, article_id, plover_type, country, date, record, evidence) VALUES (?,?,?,?,?,?,?)",
                   (event.id, art.id, event.plover_type, record["location"]["country"], record["date"],
                    json.dumps(record), "[]"))
    db.commit()
    db.close()
    with open_store(str(path), create=False) as store:
        assert triggers(list(store.events(make_query(country="SY")))) == ["shelled"]
        assert store.counts()["clusters"] == 2
        assert store.add(analysis) is None


def test_a_missing_database_is_refused_without_create(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no database at"):
        open_store(str(tmp_path / "missing.sqlite"), create=False)
    assert not (tmp_path / "missing.sqlite").exists()


def test_a_database_that_cannot_be_written_is_a_store_error(tmp_path: Path) -> None:
    store = SqlStore.from_url(str(tmp_path / "events.sqlite"))
    sa.event.listen(store.engine, "connect", lambda connection, _record: connection.execute("PRAGMA query_only = ON"))
    store.engine.dispose()
    with pytest.raises(StoreError, match="cannot write"):
        store.add(two_event_article())
    with pytest.raises(StoreError, match="cannot write"):
        store.reject(BadArticle("x.txt", "empty"))
    store.close()


def test_a_database_this_process_may_not_write_is_opened_read_only_and_can_be_queried(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "archive.sqlite"
    with open_store(str(path)) as writer:
        writer.add(two_event_article())
    for leftover in tmp_path.glob("archive.sqlite-*"):  # as a copied archive arrives: no -wal, no -shm
        leftover.unlink()
    # Root may write anything, so the permission check is what the test turns off.
    monkeypatch.setattr("warmonitor.store.sql._writable", lambda _path: False)
    with open_store(str(path), create=False) as reader:
        assert reader.read_only
        assert triggers(list(reader.events(make_query(country="SY")))) == ["shelled"]
        assert reader.count(make_query()) == 2
        with pytest.raises(StoreError, match="cannot write"):
            reader.add(two_event_article())
    assert not list(tmp_path.glob("archive.sqlite-*"))  # reading left no journal files behind


def _add_all(url: str, reports: list, done: multiprocessing.Queue) -> None:
    with open_store(url) as store:
        added = [store.add(report) for report in reports]
        done.put((sum(n for n in added if n is not None), sum(n is not None for n in added)))


def test_two_writers_with_overlapping_inputs_both_succeed_and_store_each_article_once(database_url: str) -> None:
    reports = [*incident_reports(), two_event_article()]
    context = multiprocessing.get_context("spawn")
    done: multiprocessing.Queue = context.Queue()
    writers = [context.Process(target=_add_all, args=(database_url, reports, done)),
               context.Process(target=_add_all, args=(database_url, list(reversed(reports)), done))]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(120)
    assert [writer.exitcode for writer in writers] == [0, 0]
    added = [done.get(timeout=5), done.get(timeout=5)]
    with open_store(database_url) as store:
        counts = store.counts()
    # each article and each event stored by exactly one of the two, and each writer says which
    assert sum(articles for _, articles in added) == counts["articles"] == len(reports)
    assert sum(events for events, _ in added) == counts["events"] == 8
    assert counts["clusters"] == 5
