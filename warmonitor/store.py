"""Store stage: articles, sentences, events and refused inputs in a database.

SQLite is the default and the only engine in this release; :func:`open_store` reads the URL so a
PostgreSQL store can be added behind the same :class:`Store` methods. An article's id is a hash of
its text and date, so storing the same article twice adds nothing.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from warmonitor.errors import BadArticle, StoreError
from warmonitor.model import Analysis, Article

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, title TEXT, url TEXT, source TEXT, published TEXT, origin TEXT,
    shape TEXT, text TEXT NOT NULL, ingested_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sentences (
    article_id TEXT NOT NULL REFERENCES articles(id), idx INTEGER NOT NULL, text TEXT NOT NULL,
    start INTEGER NOT NULL, end INTEGER NOT NULL, PRIMARY KEY (article_id, idx));
CREATE TABLE IF NOT EXISTS events (
    id TEXT PRIMARY KEY, article_id TEXT NOT NULL REFERENCES articles(id), plover_type TEXT NOT NULL,
    cameo_root TEXT, acled_event_type TEXT, status TEXT, date TEXT, country TEXT, actor1 TEXT, actor2 TEXT,
    actor1_country TEXT, actor2_country TEXT, record TEXT NOT NULL, evidence TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS events_date ON events(date);
CREATE INDEX IF NOT EXISTS events_country ON events(country);
CREATE INDEX IF NOT EXISTS events_type ON events(plover_type);
CREATE TABLE IF NOT EXISTS rejected (
    origin TEXT NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL);
"""


@dataclass(frozen=True, slots=True)
class EventQuery:
    since: date | None = None
    until: date | None = None
    country: str | None = None  # ISO2 of the place, or ISO3 of either actor
    actor: str | None = None  # substring of either actor's canonical name or name
    plover_type: str | None = None
    limit: int | None = None


class Store:
    """The SQLite store."""

    def __init__(self, path: Path, create: bool = True) -> None:
        self.path = path
        if not create and not path.exists():
            raise StoreError(f"no database at {path}; `warmonitor ingest` creates it")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.executescript(_SCHEMA)
        except (sqlite3.Error, OSError) as error:
            raise StoreError(f"cannot open database {path}: {error}") from error

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
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
                    record["id"], article.id, event.plover_type, event.cameo_root, event.acled_event_type, event.status,
                    record["date"], event.location.country if event.location else None,
                    event.actor1.canonical if event.actor1 else None, event.actor2.canonical if event.actor2 else None,
                    event.actor1.country if event.actor1 else None, event.actor2.country if event.actor2 else None,
                    json.dumps(record, ensure_ascii=False), json.dumps([e.to_dict() for e in event.evidence], ensure_ascii=False),
                ))
            self.db.executemany("INSERT OR IGNORE INTO events VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
        return len(rows)

    def reject(self, error: BadArticle) -> None:
        try:
            with self.db:
                self.db.execute("INSERT INTO rejected VALUES (?,?,?)",
                                (error.origin, error.reason, datetime.now(UTC).isoformat(timespec="seconds")))
        except sqlite3.Error as failure:
            raise StoreError(f"cannot write to {self.path}: {failure}") from failure

    def events(self, query: EventQuery = EventQuery()) -> Iterator[dict[str, Any]]:
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


def open_store(url: str, create: bool = True) -> Store:
    """A store for a database URL: ``sqlite:///path/to/file.sqlite`` (or a plain file path).
    With ``create=False`` (queries) a missing database is an error, not a new empty file."""
    if url.startswith("sqlite:///"):
        return Store(Path(url[len("sqlite:///"):]).expanduser(), create)
    if "://" not in url:
        return Store(Path(url).expanduser(), create)
    scheme = url.split("://", 1)[0]
    raise StoreError(f"database scheme {scheme!r} is not supported yet; use sqlite:///PATH")
