"""The SQLite store: articles, sentences, events and refused inputs in one file.

An article's id is a hash of its text and date, so storing the same article twice adds nothing.
Each event is kept as its public JSON record, beside a few indexed columns (:data:`STORE_COLUMNS`
of :mod:`warmonitor.record`) that queries filter on.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from warmonitor.errors import BadArticle, StoreError
from warmonitor.model import Analysis, Article
from warmonitor.record import STORE_COLUMNS, flat_value
from warmonitor.store.base import EventQuery, register_store, unsupported_scheme

_URL_PREFIX = "sqlite:///"
# Every event has a type; the other indexed values may be unknown.
_NOT_NULL = frozenset({"plover_type"})
_EVENT_COLUMNS = ("id", "article_id", *STORE_COLUMNS, "record", "evidence")

_TABLES = f"""
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, title TEXT, url TEXT, source TEXT, published TEXT, origin TEXT,
    shape TEXT, text TEXT NOT NULL, ingested_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sentences (
    article_id TEXT NOT NULL REFERENCES articles(id), idx INTEGER NOT NULL, text TEXT NOT NULL,
    start INTEGER NOT NULL, end INTEGER NOT NULL, PRIMARY KEY (article_id, idx));
CREATE TABLE IF NOT EXISTS events (
    id TEXT PRIMARY KEY, article_id TEXT NOT NULL REFERENCES articles(id),
    {", ".join(f"{column} TEXT{' NOT NULL' if column in _NOT_NULL else ''}" for column in STORE_COLUMNS)},
    record TEXT NOT NULL, evidence TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rejected (
    origin TEXT NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL);
"""
# After the tables, so that a column an older database lacks is added before it is indexed.
_INDEXES = """
CREATE INDEX IF NOT EXISTS events_date ON events(date);
CREATE INDEX IF NOT EXISTS events_country ON events(country);
CREATE INDEX IF NOT EXISTS events_type ON events(plover_type);
"""
_NO_FILTER = EventQuery()
_INSERT_EVENT = (f"INSERT OR IGNORE INTO events ({', '.join(_EVENT_COLUMNS)}) "
                 f"VALUES ({', '.join('?' for _ in _EVENT_COLUMNS)})")


@register_store("sqlite")
class SqliteStore:
    """The SQLite store."""

    def __init__(self, path: Path, create: bool = True) -> None:
        self.path = path
        if not create and not path.exists():
            raise StoreError(f"no database at {path}; `warmonitor ingest` creates it")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.executescript(_TABLES)
            self._add_new_columns()
            self.db.executescript(_INDEXES)
        except (sqlite3.Error, OSError) as error:
            raise StoreError(f"cannot open database {path}: {error}") from error

    @classmethod
    def from_url(cls, url: str, create: bool = True) -> SqliteStore:
        """``sqlite:///relative/path``, ``sqlite:////absolute/path`` or a plain file path."""
        if url.startswith(_URL_PREFIX):
            return cls(Path(url[len(_URL_PREFIX):]).expanduser(), create)
        if "://" in url:
            raise unsupported_scheme(url.split("://", 1)[0])
        return cls(Path(url).expanduser(), create)

    def _add_new_columns(self) -> None:
        """A database made before a store column was added to the record gets it, filled from the records."""
        present = {row[1] for row in self.db.execute("PRAGMA table_info(events)")}
        for column, key in STORE_COLUMNS.items():
            if column not in present:
                with self.db:
                    self.db.execute(f"ALTER TABLE events ADD COLUMN {column} TEXT")
                    self.db.execute(f"UPDATE events SET {column} = json_extract(record, ?)", (f"$.{key}",))

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> SqliteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def has_article(self, article_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM articles WHERE id=?", (article_id,)).fetchone() is not None

    def add(self, analysis: Analysis) -> int:
        """Store one analysed article; returns the number of events added (0 if already stored)."""
        article = analysis.article
        try:
            return self._add(analysis, article)
        except sqlite3.Error as error:  # locked, full, read-only: the database's fault, not the article's
            raise StoreError(f"cannot write to {self.path}: {error}") from error

    def _add(self, analysis: Analysis, article: Article) -> int:
        if self.has_article(article.id):
            return 0
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.db:
            self.db.execute(
                "INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?)",
                (article.id, article.title, article.url, article.source,
                 article.published.isoformat() if article.published else None, article.origin, analysis.shape,
                 article.text, now),
            )
            self.db.executemany(
                "INSERT INTO sentences VALUES (?,?,?,?,?)",
                [(article.id, s.index, s.text, s.span.start, s.span.end) for s in analysis.sentences],
            )
            rows = []
            for event in analysis.events:
                record = event.to_dict()
                rows.append((
                    record["id"], article.id, *(flat_value(record, key) for key in STORE_COLUMNS.values()),
                    json.dumps(record, ensure_ascii=False), json.dumps([e.to_dict() for e in event.evidence], ensure_ascii=False),
                ))
            self.db.executemany(_INSERT_EVENT, rows)
        return len(rows)

    def reject(self, error: BadArticle) -> None:
        try:
            with self.db:
                self.db.execute("INSERT INTO rejected VALUES (?,?,?)",
                                (error.origin, error.reason, datetime.now(UTC).isoformat(timespec="seconds")))
        except sqlite3.Error as failure:
            raise StoreError(f"cannot write to {self.path}: {failure}") from failure

    def events(self, query: EventQuery = _NO_FILTER) -> Iterator[dict[str, Any]]:
        """Public records of the stored events that match ``query``, by date."""
        clauses: list[str] = []
        params: list[str] = []
        if query.since:
            clauses.append("date >= ?")
            params.append(query.since.isoformat())
        if query.until:
            clauses.append("date <= ?")
            params.append(query.until.isoformat())
        if query.country:
            code = query.country.upper()
            clauses.append("(country = ? OR actor1_country = ? OR actor2_country = ?)")
            params.extend([code, code, code])
        if query.actor:
            clauses.append("(actor1 LIKE ? OR actor2 LIKE ? OR record LIKE ?)")
            params.extend([f"%{query.actor}%"] * 3)
        if query.plover_type:
            clauses.append("plover_type = ?")
            params.append(query.plover_type.upper())
        sql = "SELECT record FROM events"
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        sql += " ORDER BY date, article_id, id"
        if query.limit:
            sql += f" LIMIT {int(query.limit)}"
        for (record,) in self.db.execute(sql, params):
            yield json.loads(record)

    def explain(self, event_id: str) -> dict[str, Any] | None:
        """The record of the event with this id (or unique id prefix) and its evidence; None if absent."""
        row = self.db.execute("SELECT record, evidence FROM events WHERE id = ? OR id LIKE ?",
                              (event_id, f"{event_id}%")).fetchone()
        if row is None:
            return None
        record = json.loads(row[0])
        record["evidence"] = json.loads(row[1])
        return record

    def counts(self) -> dict[str, int]:
        return {table: self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("articles", "sentences", "events", "rejected")}
