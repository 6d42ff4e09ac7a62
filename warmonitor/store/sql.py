"""The SQL store: one SQLAlchemy Core implementation for SQLite and PostgreSQL.

An article's id is a hash of its text and date, so storing the same article twice adds nothing,
whichever process gets there first. Writes run one at a time per database (SQLite's
``BEGIN IMMEDIATE``, a PostgreSQL advisory lock), are retried while the database is busy, and
each stores one article, its events and the re-clustered canonical events together or not at
all. The schema is :mod:`warmonitor.store.schema`, brought up to date by Alembic on opening.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError

from warmonitor.cluster import DATE_WINDOW_DAYS, Mention, block_digest, canonical_record, cluster, cluster_id
from warmonitor.errors import BadArticle, QueryError, StoreError
from warmonitor.model import Analysis, Article, CodedArticle
from warmonitor.record import flat_value
from warmonitor.store.base import register_store, unsupported_scheme, url_scheme
from warmonitor.store.query import ALL_EVENTS, EventQuery
from warmonitor.store.schema import articles, clusters, events, feed_items, rejected, sentences
from warmonitor.store.text import search_text

log = logging.getLogger(__name__)
T = TypeVar("T")

MIGRATIONS = Path(__file__).parent / "migrations"
HEAD_REVISION = "0004"
# Any fixed number: every warmonitor writer of one PostgreSQL database takes this advisory lock.
_PG_WRITE_LOCK = 0x5741524D
_BUSY_RETRIES = 12
_FACTS_AND_PLANS = ("occurred", "ongoing", "planned")
# Reports dated no finer than this far apart are still looked at as one incident's.
_COARSE_WINDOW_DAYS = DATE_WINDOW_DAYS["month"]
_IN_CHUNK = 500  # ids per IN (...) list
_FEW_ENOUGH_TO_SORT = 2000  # matching rows a page may be sorted from rather than read off an index


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _actor_names(records: Iterable[dict[str, Any]]) -> str:
    """Every actor's name and canonical name in lower case, one a line, for --actor."""
    names: set[str] = set()
    for record in records:
        actors = [record.get("actor1"), record.get("actor2"), *(record.get("actor1_associates") or [])]
        for actor in actors:
            if isinstance(actor, dict):
                names.update(str(actor[key]).lower() for key in ("name", "canonical") if actor.get(key))
    return "\n".join(sorted(names))


def _filter_values(record: dict[str, Any], published: str | None) -> dict[str, Any]:
    """The filter columns of one record (an article's event or a canonical event)."""
    return {
        "date": record.get("date"), "date_precision": record.get("date_precision"),
        "when_date": record.get("date") or published, "published": published,
        "country": flat_value(record, "location.country"), "actor1": flat_value(record, "actor1.canonical"),
        "actor1_country": flat_value(record, "actor1.country"), "actor2": flat_value(record, "actor2.canonical"),
        "actor2_country": flat_value(record, "actor2.country"), "plover_type": record["plover_type"],
        "cameo_root": record.get("cameo_root"), "acled_event_type": record.get("acled_event_type"),
        "acled_sub_event_type": record.get("acled_sub_event_type"), "status": record.get("status"),
        "place_precision": flat_value(record, "location.precision"), "lat": flat_value(record, "location.lat"),
        "lon": flat_value(record, "location.lon"), "confidence": record.get("confidence"),
        "admin1": flat_value(record, "location.admin1"), "search_text": search_text(record),
        "sort_key": record.get("date") or published or "",
    }


@contextmanager
def _sqlite_file_lock(database: Path) -> Iterator[None]:
    """An exclusive lock on a file beside a SQLite database, for the one-off set-up steps."""
    import fcntl

    with open(f"{database}.migrate-lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _use_write_ahead_log(database: Path, patience_s: float = 30.0) -> None:
    """Put a SQLite file in WAL mode once; the mode is kept in the file.

    Switching needs the database to itself, and SQLite answers "locked" at once rather than wait
    when another process is writing, so the switch runs under the set-up lock and is retried. A
    database already in WAL mode, or one we cannot write, is left for opening to report on.
    """
    import sqlite3

    if database.exists() and database.stat().st_size >= 20 and _in_wal_mode(database):
        return
    deadline = time.monotonic() + patience_s
    with ExitStack() as stack:
        try:
            stack.enter_context(_sqlite_file_lock(database))
            connection = sqlite3.connect(database, timeout=patience_s)
        except (OSError, sqlite3.Error):
            return
        stack.callback(connection.close)
        while True:
            try:
                connection.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) and "busy" not in str(error):
                    return  # read-only, or not a database
                if time.monotonic() > deadline:
                    raise StoreError(f"cannot open database {database}: it stayed locked") from error
            time.sleep(0.05 + 0.1 * random.random())


def _writable(path: Path) -> bool:
    """Whether this process may write the database file and make its journal files beside it."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


def _in_wal_mode(path: Path) -> bool:
    with open(path, "rb") as header:
        return header.read(20)[18:20] == b"\x02\x02"  # header bytes 18-19 are 2 in WAL mode


def _sqlite_read_only(path: Path, options: str) -> Any:
    import sqlite3
    from urllib.parse import quote

    return sqlite3.connect(f"file:{quote(str(path))}?{options}", uri=True, timeout=30, check_same_thread=False)


def _transient(error: DBAPIError) -> bool:
    """A busy or locked database, a serialisation failure: worth trying again."""
    text = str(error.orig).lower()
    return any(words in text for words in ("database is locked", "database is busy", "deadlock detected",
                                           "could not serialize", "database table is locked"))


@register_store("sqlite", "postgresql", "postgres", "postgresql+psycopg")
class SqlStore:
    """The store on SQLite (the embedded default) or PostgreSQL."""

    def __init__(self, url: URL, create: bool = True) -> None:
        self.url = url.render_as_string(hide_password=True)
        self.sqlite = url.get_backend_name() == "sqlite"
        self.read_only = False  # set by _engine for a SQLite file this process may not write
        self.engine = self._engine(url, create)
        self._insert = _dialect_insert(self.sqlite)
        try:
            self._migrate(create)
        except SQLAlchemyError as error:
            self.engine.dispose()
            raise StoreError(f"cannot open database {self.url}: {error.__class__.__name__}: {_reason(error)}") from error

    # --- opening ------------------------------------------------------------------------------

    @classmethod
    def from_url(cls, url: str, create: bool = True) -> SqlStore:
        """``sqlite:///relative/path``, ``sqlite:////absolute/path``, a plain file path, or
        ``postgresql[+psycopg]://user:password@host:port/database``."""
        scheme = url_scheme(url)
        if scheme in {"postgresql", "postgres"}:
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
        elif scheme != "postgresql+psycopg" and scheme != "sqlite":
            raise unsupported_scheme(scheme)
        if "://" not in url:
            url = "sqlite:///" + str(Path(url).expanduser())
        try:
            parsed = make_url(url)
        except sa.exc.ArgumentError as error:
            raise StoreError(f"cannot read database URL {url!r}: {error}") from error
        return cls(parsed, create)

    def _engine(self, url: URL, create: bool) -> Engine:
        if not self.sqlite:
            return sa.create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})
        path = Path(url.database or "")
        if not url.database or url.database == ":memory:":
            raise StoreError("an in-memory SQLite database is gone when the command ends; give a file path")
        if not create and not path.exists():
            raise StoreError(f"no database at {path}; `warmonitor ingest` creates it")
        self.read_only = not create and not _writable(path)
        if self.read_only:
            # A database we may only read (an archive, a colleague's copy) is opened read-only; a WAL
            # database whose shared-memory file cannot be made beside it is read as immutable.
            options = "mode=ro" if Path(f"{path}-shm").exists() or not _in_wal_mode(path) else "immutable=1"
            engine = sa.create_engine("sqlite://", creator=lambda: _sqlite_read_only(path, options))
        else:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StoreError(f"cannot open database {path}: {error}") from error
            _use_write_ahead_log(path)
            engine = sa.create_engine(url, connect_args={"timeout": 30})

        @sa_event.listens_for(engine, "connect")
        def _connect(connection: Any, _record: Any) -> None:
            connection.isolation_level = None  # transactions are begun below, not by the driver
            cursor = connection.cursor()
            cursor.execute("PRAGMA busy_timeout = 30000")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.close()

        @sa_event.listens_for(engine, "begin")
        def _begin(connection: Connection) -> None:
            # A writer takes the write lock at once, so two writers queue instead of deadlocking.
            writing = connection.get_execution_options().get("writing")
            connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

        return engine

    def _migrate(self, create: bool) -> None:
        with self.engine.connect() as connection:
            revision = self._revision(connection)
        if revision == HEAD_REVISION:
            return
        if self.sqlite and self.read_only:
            raise StoreError(f"{self.url} is read-only and its tables are "
                             f"{'missing' if revision is None else 'from an older warmonitor'}; open it once "
                             "with write access (any warmonitor command upgrades it)")
        if not create:
            with self.engine.connect() as connection:
                if "articles" not in sa.inspect(connection).get_table_names():
                    raise StoreError(f"no warmonitor tables in {self.url}; `warmonitor ingest` creates them")
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self._migration_lock(), self.engine.connect() as connection:
            if self._revision(connection) != HEAD_REVISION:
                connection.commit()
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                connection.commit()
        self._cluster_pending()

    @contextmanager
    def _migration_lock(self) -> Iterator[None]:
        """One process at a time migrates a database: a lock file beside a SQLite database, a
        session advisory lock on PostgreSQL."""
        if self.sqlite:
            with _sqlite_file_lock(Path(self.engine.url.database or "")):
                yield
            return
        with self.engine.connect() as connection:
            connection.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": _PG_WRITE_LOCK + 1})
            connection.commit()
            try:
                yield
            finally:
                connection.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": _PG_WRITE_LOCK + 1})
                connection.commit()

    @staticmethod
    def _revision(connection: Connection) -> str | None:
        try:
            return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
        except (OperationalError, sa.exc.ProgrammingError):
            connection.rollback()
            return None

    # --- writing, one writer at a time ----------------------------------------------------------

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        """A write transaction holding the database's write lock."""
        with self.engine.execution_options(writing=True).begin() as connection:
            if not self.sqlite:
                connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_WRITE_LOCK})
            yield connection

    def _write(self, work: Callable[[Connection], T]) -> T:
        """Run ``work`` in a write transaction, again while the database is busy."""
        for attempt in range(_BUSY_RETRIES):
            try:
                with self._writing() as connection:
                    return work(connection)
            except DBAPIError as error:
                if not _transient(error) or attempt == _BUSY_RETRIES - 1:
                    raise StoreError(f"cannot write to {self.url}: {_reason(error)}") from error
                time.sleep(min(2.0, 0.05 * 2**attempt) * (0.5 + random.random()))
        raise AssertionError("unreachable")

    def has_article(self, article_id: str) -> bool:
        with self.engine.connect() as connection:
            found = connection.execute(sa.select(articles.c.id).where(articles.c.id == article_id)).first()
        return found is not None

    def add(self, analysis: Analysis | CodedArticle) -> int | None:
        """Store one analysed article and cluster its events; the number of events added, or None
        when the article was already stored (by an earlier run or another writer)."""
        coded = CodedArticle.of(analysis)
        return self._write(lambda connection: self._add(connection, coded))

    def _add(self, connection: Connection, analysis: CodedArticle) -> int | None:
        article = analysis.article
        now = _now()
        inserted = connection.execute(self._insert(articles).values(
            id=article.id, title=article.title, url=article.url, source=article.source,
            published=_iso(article.published), origin=article.origin, shape=analysis.shape, text=article.text,
            ingested_at=now, coded_at=now,
        ).on_conflict_do_nothing(index_elements=["id"]).returning(articles.c.id)).first()
        if inserted is None:
            return None  # another writer (or an earlier run) stored it
        mentions = self._insert_coding(connection, analysis)
        self._recluster(connection, mentions, set())
        return len(mentions)

    def _insert_coding(self, connection: Connection, analysis: CodedArticle) -> list[Mention]:
        """Store an article's sentences and events; its events as mentions to cluster."""
        article = analysis.article
        if analysis.sentences:
            connection.execute(sa.insert(sentences), [
                {"article_id": article.id, "idx": s.index, "text": s.text, "start": s.start, "end": s.end}
                for s in analysis.sentences])
        rows = []
        mentions = []
        for record, evidence in zip(analysis.records, analysis.evidence, strict=True):
            mentions.append(Mention(record["id"], article.id, record, article.source, article.url, article.published))
            rows.append({"id": record["id"], "article_id": article.id, "cluster_id": None,
                         **_filter_values(record, _iso(article.published)), "actor_names": _actor_names([record]),
                         "record": json.dumps(record, ensure_ascii=False),
                         "evidence": json.dumps(evidence, ensure_ascii=False)})
        if rows:
            connection.execute(self._insert(events).on_conflict_do_nothing(index_elements=["id"]), rows)
        return mentions

    def recode(self, analysis: Analysis | CodedArticle) -> tuple[int, int]:
        """Replace a stored article's events by ``analysis``'s and re-cluster what they touched."""
        coded = CodedArticle.of(analysis)
        return self._write(lambda connection: self._recode(connection, coded))

    def _recode(self, connection: Connection, analysis: CodedArticle) -> tuple[int, int]:
        article_id = analysis.article.id
        old = connection.execute(sa.select(events.c.id, events.c.cluster_id).where(events.c.article_id == article_id)).all()
        touched = {cluster for _, cluster in old if cluster}
        connection.execute(sa.delete(events).where(events.c.article_id == article_id))
        connection.execute(sa.delete(sentences).where(sentences.c.article_id == article_id))
        connection.execute(sa.update(articles).where(articles.c.id == article_id).values(
            coded_at=_now(), shape=analysis.shape))
        mentions = self._insert_coding(connection, analysis)
        self._recluster(connection, mentions, touched)
        return len(old), len(mentions)

    def reject(self, error: BadArticle) -> None:
        self._write(lambda connection: connection.execute(
            sa.insert(rejected).values(origin=error.origin, reason=error.reason, at=_now())))

    # --- feed items ---------------------------------------------------------------------------

    def seen_items(self, feed: str, keys: Iterable[str]) -> set[str]:
        """The item ``keys`` of ``feed`` remembered by :meth:`remember_item`."""
        wanted = {_item_id(feed, key): key for key in keys}
        ids = sorted(wanted)
        found: set[str] = set()
        with self.engine.connect() as connection:
            for start in range(0, len(ids), _IN_CHUNK):
                found.update(row[0] for row in connection.execute(
                    sa.select(feed_items.c.id).where(feed_items.c.id.in_(ids[start:start + _IN_CHUNK]))))
        return {wanted[identifier] for identifier in found}

    def remember_item(self, feed: str, key: str, article_id: str | None, reason: str | None = None) -> None:
        """Remember one feed item: the article it gave, or why it gave none; the first entry stays."""
        values = {"id": _item_id(feed, key), "feed": feed, "item_key": key, "article_id": article_id,
                  "status": "stored" if article_id else "rejected", "reason": None if article_id else reason,
                  "first_seen": _now()}
        self._write(lambda connection: connection.execute(
            self._insert(feed_items).values(**values).on_conflict_do_nothing(index_elements=["id"])))

    # --- clustering ---------------------------------------------------------------------------

    def _recluster(self, connection: Connection, new: Sequence[Mention], touched: set[str]) -> None:
        """Group ``new`` mentions with the stored ones they may report the same incident as, and
        rewrite the canonical events of every cluster that changed."""
        touched = set(touched)
        for mention in new:
            touched.update(self._candidate_clusters(connection, mention))
        block = {m.id: m for m in self._cluster_members(connection, touched)}
        block.update({m.id: m for m in new})
        groups = cluster(block.values())
        kept: set[str] = set()
        existing = dict(connection.execute(
            sa.select(clusters.c.id, clusters.c.members).where(clusters.c.id.in_(sorted(touched)))).all()) if touched else {}
        now = _now()
        new_ids = {mention.id for mention in new}
        for group in groups:
            identifier = cluster_id(group)
            kept.add(identifier)
            digest = block_digest(group)
            if existing.get(identifier) == digest:
                # The same reports as before: after a recode, whose events were stored again
                # without their cluster, only those need linking back.
                self._link(connection, sorted(m.id for m in group if m.id in new_ids), identifier)
                continue
            record = canonical_record(group)
            values = {**_filter_values(record, record.get("published")),
                      "actor_names": _actor_names(m.record for m in group), "fatalities": record.get("fatalities"),
                      "num_articles": record["num_articles"], "num_sources": record["num_sources"], "members": digest,
                      "record": json.dumps(record, ensure_ascii=False), "updated_at": now}
            if identifier in existing:
                connection.execute(sa.update(clusters).where(clusters.c.id == identifier).values(**values))
            else:
                connection.execute(self._insert(clusters).values(id=identifier, **values).on_conflict_do_update(
                    index_elements=["id"], set_=values))
            self._link(connection, sorted(m.id for m in group), identifier)
        gone = sorted(touched - kept)
        for start in range(0, len(gone), _IN_CHUNK):
            connection.execute(sa.delete(clusters).where(clusters.c.id.in_(gone[start:start + _IN_CHUNK])))

    @staticmethod
    def _link(connection: Connection, event_ids: list[str], identifier: str) -> None:
        for start in range(0, len(event_ids), _IN_CHUNK):
            connection.execute(sa.update(events).where(events.c.id.in_(event_ids[start:start + _IN_CHUNK]))
                               .values(cluster_id=identifier))

    def _candidate_clusters(self, connection: Connection, mention: Mention) -> set[str]:
        """Clusters holding a stored mention that ``mention`` might report the same incident as:
        a compatible type and status, near in time, in the same country and, for a mention with a
        place, within the widest radius any pair is allowed."""
        when = mention.when
        if when is None or mention.status not in _FACTS_AND_PLANS:
            return set()
        near = max(DATE_WINDOW_DAYS[mention.date_precision], 3)
        far = max(near, _COARSE_WINDOW_DAYS)
        types = ("ASSAULT", "COERCE") if mention.plover_type in {"ASSAULT", "COERCE"} else (mention.plover_type,)
        query = sa.select(events.c.cluster_id).distinct().where(
            events.c.plover_type.in_(types), events.c.cluster_id.is_not(None), events.c.article_id != mention.article_id,
            events.c.status.in_(_FACTS_AND_PLANS),
            sa.or_(events.c.when_date.between(_iso(when - timedelta(days=near)), _iso(when + timedelta(days=near))),
                   sa.and_(events.c.date_precision != "day",
                           events.c.when_date.between(_iso(when - timedelta(days=far)), _iso(when + timedelta(days=far))))))
        location = mention.location or {}
        if location.get("country"):
            query = query.where(sa.or_(events.c.country == location["country"], events.c.country.is_(None)))
        lat, lon = location.get("lat"), location.get("lon")
        if lat is not None and lon is not None and location.get("precision") != "country":
            reach = 2.5  # degrees: wider than the widest radius any two places may be apart
            query = query.where(sa.or_(events.c.lat.is_(None), events.c.place_precision == "country",
                                       sa.and_(events.c.lat.between(lat - reach, lat + reach),
                                               events.c.lon.between(lon - reach * 2, lon + reach * 2))))
        return {row[0] for row in connection.execute(query)}

    def _cluster_members(self, connection: Connection, cluster_ids: set[str]) -> list[Mention]:
        ids = sorted(cluster_ids)
        found: list[Mention] = []
        for start in range(0, len(ids), _IN_CHUNK):
            found.extend(_mentions(connection, events.c.cluster_id.in_(ids[start:start + _IN_CHUNK])))
        return found

    def _cluster_pending(self) -> None:
        """Cluster events stored before clustering existed (a database the first release made)."""
        with self.engine.connect() as connection:
            pending = [row[0] for row in connection.execute(
                sa.select(events.c.article_id).where(events.c.cluster_id.is_(None)).distinct().order_by(events.c.article_id))]
        for article_id in pending:
            def work(connection: Connection, article_id: str = article_id) -> None:
                pending = _mentions(connection, events.c.article_id == article_id, events.c.cluster_id.is_(None))
                self._recluster(connection, pending, set())
            self._write(work)

    # --- reading ------------------------------------------------------------------------------

    def _where(self, query: EventQuery) -> tuple[sa.Table, list[Any]]:
        table = events if query.mentions else clusters
        c = table.c
        clauses: list[Any] = []
        # Dates filter on the event's date, else its report's (sort_key): the newest-first index
        # then serves the range too. "" (no date known) is before every date and never in a range.
        if query.since:
            clauses.append(c.sort_key >= query.since.isoformat())
        if query.until:
            clauses.append(c.sort_key.between("0", query.until.isoformat()))
        if query.country_iso2 or query.country_iso3:
            country = [c.country == query.country_iso2]
            if query.country_iso3:
                country += [c.actor1_country == query.country_iso3, c.actor2_country == query.country_iso3]
            clauses.append(sa.or_(*country))
        if query.actor:
            clauses.append(c.actor_names.contains(query.actor, autoescape=True))
        if query.types:
            clauses.append(sa.or_(*(c[t.column] == t.value for t in query.types)))
        if query.statuses:
            clauses.append(c.status.in_(query.statuses))
        if query.bbox:
            min_lon, min_lat, max_lon, max_lat = query.bbox
            clauses.append(c.lat.between(min_lat, max_lat))
            if min_lon <= max_lon:
                clauses.append(c.lon.between(min_lon, max_lon))
            else:  # across the antimeridian
                clauses.append(sa.or_(c.lon >= min_lon, c.lon <= max_lon))
        if query.min_confidence is not None:
            clauses.append(c.confidence >= query.min_confidence)
        if query.text:
            clauses.append(c.search_text.contains(query.text, autoescape=True))
        return table, clauses

    def events(self, query: EventQuery = ALL_EVENTS) -> Iterator[dict[str, Any]]:
        """Records of the canonical events (or per-article events) matching ``query``, newest first."""
        if not query.mentions:
            yield from (json.loads(text) for text in self.events_json(query))
            return
        statement = sa.select(events.c.record, events.c.cluster_id, articles.c.source, articles.c.url,
                              articles.c.published).join(articles, articles.c.id == events.c.article_id)
        for row in self._page(statement, query):
            record = json.loads(row[0])
            record.update(canonical_id=row[1], source=row[2], url=row[3], published=row[4])
            yield record

    def events_json(self, query: EventQuery = ALL_EVENTS) -> Iterator[str]:
        """The canonical events matching ``query``, newest first, as the JSON text they are stored
        as: a server passes them on without decoding and encoding each one again."""
        if query.mentions:
            yield from (json.dumps(record, ensure_ascii=False) for record in self.events(query))
            return
        yield from (row[0] for row in self._page(sa.select(clusters.c.record), query))

    def _page(self, statement: Any, query: EventQuery) -> Iterator[Any]:
        """``statement``'s rows that match ``query``: filtered, newest first, one page. The page's
        ids are chosen first, from the indexes alone; only then are their (large) records read,
        so sorting thousands of matches never drags their records along."""
        table, clauses = self._where(query)
        page = sa.select(table.c.id).where(*clauses).order_by(*self._newest_first(table, query, clauses))
        if query.limit is not None:
            page = page.limit(query.limit)
        if query.offset:
            page = page.offset(query.offset)
        statement = statement.where(table.c.id.in_(page)).order_by(table.c.sort_key.desc(), table.c.id.desc())
        with self.engine.connect() as connection:
            yield from connection.execution_options(yield_per=1000).execute(statement)

    def _newest_first(self, table: sa.Table, query: EventQuery, clauses: list[Any]) -> list[Any]:
        """ORDER BY for newest first. Read off the (filter, sort_key, id) indexes, a page costs a
        few rows; but a confidence floor few events reach would scan the whole index for them, so
        then the rows are found by confidence and sorted ("|| ''" keeps the planner off the index)."""
        key = table.c.sort_key
        if query.min_confidence is not None and not (query.types or query.statuses or query.country_iso2):
            with self.engine.connect() as connection:
                reaching = connection.execute(sa.select(sa.func.count()).select_from(
                    sa.select(table.c.id).where(*clauses).limit(_FEW_ENOUGH_TO_SORT).subquery())).scalar_one()
            if reaching < _FEW_ENOUGH_TO_SORT:
                return [key.concat("").desc(), table.c.id.desc()]
        return [key.desc(), table.c.id.desc()]

    def count(self, query: EventQuery = ALL_EVENTS) -> int:
        table, clauses = self._where(query)
        with self.engine.connect() as connection:
            return int(connection.execute(sa.select(sa.func.count()).select_from(table).where(*clauses)).scalar() or 0)

    def aggregates(self, query: EventQuery, by: str) -> list[dict[str, Any]]:
        """Counts and summed (reconciled) fatalities of the canonical events matching ``query``,
        by ``by``: day, week or month of the event (its report's when undated), country, admin1
        (with its country) or type (ACLED event type, else PLOVER type). Oldest first for
        periods, largest first otherwise."""
        table, clauses = self._where(query)
        c = table.c
        when = c.sort_key
        keys: list[Any]
        if by == "day":
            keys = [when]
        elif by == "month":
            keys = [sa.func.substr(when, 1, 7)]
        elif by == "week":
            keys = [when]  # grouped by day here, folded into ISO weeks below: one portable query
        elif by == "country":
            keys = [c.country]
        elif by == "admin1":
            keys = [c.country, c.admin1]
        elif by == "type":
            keys = [sa.func.coalesce(c.acled_event_type, c.plover_type)]
        else:
            raise QueryError(f"by {by!r} is not one of day, week, month, country, admin1, type")
        statement = (sa.select(*keys, sa.func.count().label("events"),
                               sa.func.coalesce(sa.func.sum(c.fatalities if table is clusters else sa.null()), 0))
                     .where(*clauses).group_by(*keys))
        with self.engine.connect() as connection:
            rows = connection.execute(statement).all()
        buckets: dict[tuple[Any, ...], list[int]] = {}
        for row in rows:
            *values, count, fatalities = row
            values = [None if value == "" else value for value in values]  # "": no date known
            if by == "week" and values[0]:
                day = date.fromisoformat(values[0])
                values = [(day - timedelta(days=day.weekday())).isoformat()]
            bucket = buckets.setdefault(tuple(values), [0, 0])
            bucket[0] += int(count)
            bucket[1] += int(fatalities or 0)
        out = []
        for key, (count, fatalities) in buckets.items():
            item: dict[str, Any] = {"key": key[-1], "events": count, "fatalities": fatalities}
            if by == "admin1":
                item["country"] = key[0]
            out.append(item)
        if by in {"day", "week", "month"}:
            return sorted(out, key=lambda item: (item["key"] is None, item["key"] or ""))
        return sorted(out, key=lambda item: (-item["events"], str(item["key"])))

    def article(self, article_id: str) -> dict[str, Any] | None:
        """One stored article with its sentences and the ids of its events; None if absent."""
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(
                articles.c.id, articles.c.title, articles.c.url, articles.c.source, articles.c.published,
                articles.c.shape, articles.c.origin, articles.c.text, articles.c.ingested_at, articles.c.coded_at,
            ).where(articles.c.id == article_id.strip().lower())).first()
            if row is None:
                return None
            found = dict(row._mapping)
            found["sentences"] = [dict(r._mapping) for r in connection.execute(
                sa.select(sentences.c.idx.label("index"), sentences.c.text, sentences.c.start, sentences.c.end)
                .where(sentences.c.article_id == found["id"]).order_by(sentences.c.idx))]
            found["events"] = [{"id": r[0], "canonical_id": r[1]} for r in connection.execute(
                sa.select(events.c.id, events.c.cluster_id).where(events.c.article_id == found["id"]).order_by(events.c.id))]
        return found

    def explain(self, event_id: str) -> dict[str, Any] | None:
        """The canonical event holding the event with this id or unambiguous prefix, its mentions
        each with its evidence; None if absent."""
        if len(event_id.strip()) < 4:
            raise QueryError("an event id (or at least its first 4 characters) is required")
        prefix = event_id.strip().lower()
        with self.engine.connect() as connection:
            matches = [row[0] for row in connection.execute(
                sa.select(clusters.c.id).where(clusters.c.id.startswith(prefix, autoescape=True)).limit(3))]
            if len(matches) != 1:
                matches = sorted({row[0] for row in connection.execute(
                    sa.select(events.c.cluster_id).where(events.c.id.startswith(prefix, autoescape=True)).limit(3))}
                    | set(matches))
            if not matches:
                return None
            if len(matches) > 1 and prefix not in matches:
                raise QueryError(f"id prefix {event_id!r} is ambiguous ({', '.join(matches[:3])}…): give more of it")
            chosen = prefix if prefix in matches else matches[0]
            record = json.loads(connection.execute(sa.select(clusters.c.record).where(clusters.c.id == chosen)).scalar_one())
            evidence = dict(connection.execute(
                sa.select(events.c.id, events.c.evidence).where(events.c.cluster_id == chosen)).all())
        for mention in record.get("mentions", []):
            mention["evidence"] = json.loads(evidence.get(mention["id"], "[]"))
        record["evidence"] = record["mentions"][0]["evidence"] if record.get("mentions") else []
        return record

    def articles(self, since: date | None = None, limit: int | None = None) -> Iterator[dict[str, Any]]:
        """Stored articles, newest first, each with the number of its events."""
        counted = (sa.select(events.c.article_id, sa.func.count().label("events"))
                   .group_by(events.c.article_id).subquery())
        statement = (sa.select(articles.c.id, articles.c.title, articles.c.url, articles.c.source, articles.c.published,
                               articles.c.shape, articles.c.origin, articles.c.text,
                               sa.func.coalesce(counted.c.events, 0).label("events"))
                     .outerjoin(counted, counted.c.article_id == articles.c.id)
                     .order_by(articles.c.published.desc().nulls_last(), articles.c.id))
        if since:
            statement = statement.where(articles.c.published >= since.isoformat())
        if limit is not None:
            statement = statement.limit(limit)
        with self.engine.connect() as connection:
            for row in connection.execution_options(yield_per=500).execute(statement):
                yield dict(row._mapping)

    def stored_articles(self, since: date | None = None) -> Iterator[Article]:
        statement = (sa.select(articles.c.text, articles.c.published, articles.c.title, articles.c.url,
                               articles.c.source, articles.c.origin).order_by(articles.c.published, articles.c.id))
        if since:
            statement = statement.where(articles.c.published >= since.isoformat())
        with self.engine.connect() as connection:
            rows = connection.execute(statement).all()  # read first: re-coding writes while we go
        for text, published, title, url, source, origin in rows:
            yield Article(text=text, published=date.fromisoformat(published) if published else None, title=title,
                          url=url, source=source, origin=origin)

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as connection:
            return {table.name: int(connection.execute(sa.select(sa.func.count()).select_from(table)).scalar() or 0)
                    for table in (articles, sentences, events, clusters, rejected)}

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> SqlStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _mentions(connection: Connection, *where: Any) -> list[Mention]:
    """The stored events matching ``where`` as mentions, with their articles' metadata."""
    rows = connection.execute(
        sa.select(events.c.id, events.c.article_id, events.c.record, articles.c.source, articles.c.url,
                  articles.c.published).join(articles, articles.c.id == events.c.article_id).where(*where))
    return [Mention(event_id, article_id, json.loads(record), source, url,
                    date.fromisoformat(published) if published else None)
            for event_id, article_id, record, source, url, published in rows]


def _item_id(feed: str, key: str) -> str:
    """A feed item's row id: a digest of its feed and key, whatever their length."""
    return hashlib.sha1(f"{feed}\n{key}".encode("utf-8", "surrogatepass")).hexdigest()


def _reason(error: SQLAlchemyError) -> str:
    orig = getattr(error, "orig", None)
    return str(orig if orig is not None else error).strip().splitlines()[0]


def _dialect_insert(sqlite: bool) -> Callable[[sa.Table], Any]:
    if sqlite:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert
    from sqlalchemy.dialects.postgresql import insert as postgresql_insert

    return postgresql_insert
