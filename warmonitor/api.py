"""The application functions: what the CLI, the HTTP server, the batch runner and notebooks all call.

Each function takes plain values and a :class:`~warmonitor.settings.Settings` (default: from the
environment), returns typed results, and never prints: presenting results is the caller's job.
Heavy modules (spaCy, pandas, the store) load inside the functions, so importing this is cheap.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from warmonitor.errors import BadArticle, PassedOver
from warmonitor.model import Article, Event, events_to_frame
from warmonitor.settings import Settings

if TYPE_CHECKING:
    from warmonitor.batch import BatchReport, LoadReport
    from warmonitor.geo.parser import Geoparser
    from warmonitor.model import Toponym
    from warmonitor.pipeline import Pipeline
    from warmonitor.store import Store
    from warmonitor.streams.feeds import FeedRound
    from warmonitor.streams.fetch import Clock
    from warmonitor.workers import Analyzer

RejectHandler = Callable[[BadArticle], None]
T = TypeVar("T")


@lru_cache(maxsize=4)
def _pipeline(settings: Settings) -> Pipeline:
    from warmonitor.pipeline import Pipeline

    return Pipeline.default(settings)


def build_pipeline(settings: Settings | None = None, cached: bool = True) -> Analyzer:
    """What ``ingest`` analyses with: the pipeline in this process when ``workers`` comes to 1 (the
    one built before for these settings, unless not ``cached``), else a
    :class:`~warmonitor.workers.PipelinePool` of that many processes. Close it when done."""
    from warmonitor.pipeline import Pipeline
    from warmonitor.workers import PipelinePool

    settings = settings or Settings.load()
    if settings.worker_count <= 1:
        return _pipeline(settings) if cached else Pipeline.default(settings)
    return PipelinePool(settings, settings.worker_count)


def setup(settings: Settings | None = None, rebuild: bool = False) -> dict[str, str]:
    """Build the gazetteer (if missing, or when ``rebuild``), train the event model if this
    checkout lacks it, and check the spaCy pipeline loads. Returns what is in place: gazetteer,
    spaCy model and version, event model, database URL."""
    from warmonitor.classify import is_model_folder
    from warmonitor.classify.model import SHIPPED
    from warmonitor.gazetteer import build
    from warmonitor.resources import Resources

    settings = settings or Settings.load()
    if rebuild or not settings.gazetteer.exists():
        build(settings.gazetteer, settings.gazetteer_overrides)
    if not (is_model_folder(SHIPPED / "detector") and is_model_folder(SHIPPED / "typer")):
        train(settings)  # a checkout without the committed model: rebuild it from the project's snippets
    resources = Resources.load(settings)
    nlp = resources.nlp
    typer = resources.classifier.typer
    return {"gazetteer": str(settings.gazetteer), "spacy_model": f"{nlp.meta['lang']}_{nlp.meta['name']} {nlp.meta['version']}",
            "event_model": f"{settings.event_model or SHIPPED} ({typer.card.get('name', 'event model')})",
            "database": settings.db}


def evaluate(gold: Path, settings: Settings | None = None, shapes: Sequence[str] = ("cased", "lowercase")) -> list[Any]:
    """Score the pipeline on a gold file (format: :mod:`warmonitor.gold`): one
    :class:`~warmonitor.gold.GoldReport` per shape, with per-field precision, recall and F1."""
    from warmonitor.gold import evaluate as score
    from warmonitor.gold import read_gold

    settings = settings or Settings.load()
    articles = read_gold(gold)
    pipeline = _pipeline(settings)
    return [score(pipeline, articles, shape) for shape in shapes]


def _shared(*parts: str) -> Path:
    """A path in ``../shared`` beside the project's folder (the third-party data of a clone)."""
    return Path(__file__).resolve().parents[2].joinpath("shared", *parts)


def train(settings: Settings | None = None, out: Path | None = None, corpus: Path | None = None,
          progress: Callable[[str], None] = lambda _message: None) -> dict[str, Any]:
    """Train the event detector and typer on the project's annotated snippets (deterministic) and
    write it to ``out`` (default: the shipped model's folder). ``corpus`` is the Wikinews JSONL
    whose sentences some snippets annotate by offsets (default ``../shared/corpora/wikinews``
    beside the project, when present). Returns the model card, with its held-out scores."""
    from warmonitor.classify.model import SHIPPED
    from warmonitor.classify.train import train_shipped

    if corpus is None:
        beside = _shared("corpora", "wikinews", "wikinews-en.jsonl")
        corpus = beside if beside.exists() else None
    return train_shipped(out or SHIPPED, corpus=corpus, progress=progress)


def train_linker(settings: Settings | None = None, data: Path | None = None, out: Path | None = None,
                 progress: Callable[[str], None] = lambda _message: None) -> dict[str, Any]:
    """Train the event–place linker on Halterman's event–location sentences (``data``, default
    ``../shared/datasets/event-location/labeled_text.jsonl`` beside the project) and write it to
    ``out`` (default: the shipped linker's folder). Every sentence is parsed. Returns the card,
    with its scores on the adjudicated records it was not trained on."""
    from dataclasses import replace

    from warmonitor.classify.linker import SHIPPED_LINKER
    from warmonitor.classify.train_linker import train_linker as fit_linker
    from warmonitor.pipeline import Pipeline
    from warmonitor.resources import Resources

    if data is None:
        data = _shared("datasets", "event-location", "labeled_text.jsonl")
    pipeline = Pipeline(Resources.load(replace(settings or Settings.load(), parse_gate=0.0)))
    return fit_linker(pipeline, data, out or SHIPPED_LINKER, progress=progress)


def train_acled(path: Path, out: Path) -> dict[str, Any]:
    """Train an event detector and typer from an ACLED export (CSV or JSONL with ``notes`` and
    ``sub_event_type``; the project's non-event snippets are its "none") into ``out``; set
    ``event_model`` to ``out`` to use it. Rows without notes or
    with an unknown sub-event type are left out and counted in the card (``trained_on.rejected``)."""
    from warmonitor.classify.train import read_acled
    from warmonitor.classify.train import train_acled as fit_acled

    rows = read_acled(path)
    card = fit_acled(rows, out, source=path.name)
    card["rejected_rows"] = [f"{where}: {why}" for where, why in rows.rejected[:20]]
    return card


def extract(text: str, published: date | str | None = None, settings: Settings | None = None,
            **metadata: Any) -> list[Event]:
    """Coded events of one article. ``published`` (a date or YYYY-MM-DD) anchors relative dates.

    ``metadata`` may carry title, url and source. Events convert with ``event.to_dict()``, or all at
    once with :func:`events_frame`. An input that is not an article raises :class:`BadArticle`.
    """
    from warmonitor.ingest import check, parse_date

    article = check(Article(text=text, published=parse_date(published), origin=metadata.pop("origin", "<text>"),
                            **metadata))
    return _pipeline(settings or Settings.load()).analyze(article).events


@lru_cache(maxsize=4)
def _geoparser(settings: Settings) -> Geoparser:
    from warmonitor.resources import Resources

    return Resources.load(settings).geoparser


def geoparse(text: str, published: date | str | None = None, spans: Sequence[tuple[int, int]] | None = None,
             settings: Settings | None = None) -> list[Toponym] | list[Toponym | None]:
    """The toponyms of a text, resolved, without the neural parse (convert with ``to_dict()``).

    With ``spans`` ([start, end) character offsets from a caller's own recogniser) it resolves
    exactly those: one result per span, in order, None where the words name no known place.
    ``published`` is checked like an article's date and kept for symmetry with :func:`extract`;
    where a place is does not depend on it. A text that is not a string, binary or longer than an
    article can be raises :class:`BadArticle`.
    """
    from warmonitor.ingest import parse_date
    from warmonitor.ingest.base import check_text

    check_text(text, "<geoparse>")
    parse_date(published)
    geoparser = _geoparser(settings or Settings.load())
    if spans is not None:
        return geoparser.resolve_spans(text, [(int(start), int(end)) for start, end in spans])
    return geoparser.parse(text)


def geoparse_file(source: str, settings: Settings | None = None,
                  on_reject: RejectHandler | None = None) -> Iterator[dict[str, Any]]:
    """The toponyms of the article(s) in a file (or '-' for standard input), as records: each
    toponym's fields plus its ``article_id`` and ``origin``. Records that cannot be read go to
    ``on_reject`` with their reason; the rest go on."""
    from warmonitor import ingest

    geoparser = _geoparser(settings or Settings.load())
    for article in _readable(ingest.read([source]), on_reject):
        for toponym in geoparser.parse(article.text):
            yield {"article_id": article.id, "origin": article.origin, **toponym.to_dict()}


def extract_file(source: str, settings: Settings | None = None, published: date | None = None,
                 on_reject: RejectHandler | None = None) -> Iterator[Event]:
    """Coded events of the article(s) in a file (or '-' for standard input), article by article.
    Records that cannot be read go to ``on_reject`` with their reason; the rest go on."""
    from warmonitor import ingest
    from warmonitor.pipeline import Pipeline

    pipeline = Pipeline.default(settings or Settings.load())
    for analysis in _readable(pipeline.analyze_many(ingest.read([source], published)), on_reject):
        yield from analysis.events


def _readable(items: Iterable[T | BadArticle], on_reject: RejectHandler | None) -> Iterator[T]:
    """The items that are not refusals; each refusal goes to ``on_reject``."""
    for item in items:
        if isinstance(item, BadArticle):
            if on_reject is not None:
                on_reject(item)
        else:
            yield item


@dataclass
class IngestReport:
    """What one ingest run did."""

    articles: int = 0  # stored now
    duplicates: int = 0  # already in the database: skipped before analysis
    events: int = 0
    rejected: list[BadArticle] = field(default_factory=list)
    passed_over: list[BadArticle] = field(default_factory=list)  # files of no article format
    seconds: float = 0.0
    words: int = 0

    @property
    def articles_per_second(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0


def ingest(paths: Sequence[str], settings: Settings | None = None, published: date | None = None,
           progress: bool = False, on_reject: RejectHandler | None = None) -> IngestReport:
    """Read, analyse and store every article under ``paths`` (files or folders); bad records are
    stored in the database's ``rejected`` table, passed to ``on_reject`` and counted, never fatal.
    ``progress`` shows a bar with articles/s on standard error."""
    from warmonitor import ingest as readers
    from warmonitor.store import open_store

    settings = settings or Settings.load()
    with open_store(settings.db) as store:
        return ingest_records(readers.read(paths, published), settings, store=store, progress=progress,
                              on_reject=on_reject)


def ingest_records(records: Iterable[Article | BadArticle], settings: Settings | None = None,
                   store: Store | None = None, pipeline: Analyzer | None = None, progress: bool = False,
                   on_reject: RejectHandler | None = None) -> IngestReport:
    """Analyse and store articles already read (a reader's records: an Article, or a BadArticle
    saying why one could not be read), as :func:`ingest` does; the HTTP API's POST /api/ingest.
    ``store`` and ``pipeline`` are kept open by a long-lived caller, else opened here."""
    from tqdm import tqdm

    from warmonitor.store import open_store

    settings = settings or Settings.load()
    report = IngestReport()
    started = time.perf_counter()
    with ExitStack() as stack:
        if store is None:
            store = stack.enter_context(open_store(settings.db))
        if pipeline is None:
            pipeline = _built(settings, stack)
        kept: Store = store

        def fresh() -> Iterable[Article | BadArticle]:
            for record in records:
                if not isinstance(record, BadArticle) and kept.has_article(record.id):
                    report.duplicates += 1
                    continue
                yield record

        bar = tqdm(desc="ingest", unit=" articles", disable=not progress)
        for item in pipeline.analyze_many(fresh()):
            if isinstance(item, PassedOver):
                report.passed_over.append(item)
            elif isinstance(item, BadArticle):
                report.rejected.append(item)
                kept.reject(item)
                if on_reject is not None:
                    on_reject(item)
            else:
                added = kept.add(item)
                if added is None:  # another ingest stored it after this one looked
                    report.duplicates += 1
                else:
                    report.events += added
                    report.articles += 1
                    report.words += len(item.article.text.split())
            bar.update(1)
        bar.close()
    report.seconds = time.perf_counter() - started
    return report


def _built(settings: Settings, stack: ExitStack, cached: bool = True) -> Analyzer:
    """:func:`build_pipeline`'s analyser, closed when ``stack`` closes: a stream builds it once
    and reuses it for every file and every round."""
    analyzer = build_pipeline(settings, cached)
    stack.callback(analyzer.close)
    return analyzer


@dataclass
class WatchReport:
    """What one watch run did, in all."""

    files: int = 0  # files taken (read and ingested)
    articles: int = 0
    events: int = 0
    duplicates: int = 0
    rejected: int = 0  # bad records, broken links and unreadable folders
    passed_over: int = 0  # files of no article format


def watch(folder: str | Path, settings: Settings | None = None, interval: float | None = None, once: bool = False,
          on_file: Callable[[Path, IngestReport], None] | None = None, on_skipped: RejectHandler | None = None,
          on_reject: RejectHandler | None = None, sleep: Callable[[float], None] = time.sleep,
          pipeline: Analyzer | None = None) -> WatchReport:
    """Ingest the article files that appear under ``folder``, each once it is complete (see
    :mod:`warmonitor.streams.watch`) and again only if it changes; a look every ``interval``
    seconds (default: the ``watch_interval`` setting) until interrupted, or with ``once`` two
    looks and what is complete then. ``on_file`` hears of each file ingested, ``on_skipped`` of
    each file passed over (no article format) or unreadable, once; bad records are stored as
    rejected and passed to ``on_reject``. The analyser (the ``workers`` setting's) is built once
    for the whole watch. A missing folder is a StreamError."""
    from warmonitor.ingest import read_file
    from warmonitor.store import open_store
    from warmonitor.streams.watch import FolderWatcher, Look, follow

    settings = settings or Settings.load()
    watcher = FolderWatcher(Path(folder))  # before the database: a typo in the folder creates nothing
    report = WatchReport()
    with ExitStack() as stack:
        store = stack.enter_context(open_store(settings.db))
        analyse = pipeline or _built(settings, stack)

        def take(path: Path) -> None:
            done = ingest_records(read_file(path), settings, store=store, pipeline=analyse, on_reject=on_reject)
            report.files += 1
            report.articles += done.articles
            report.events += done.events
            report.duplicates += done.duplicates
            report.rejected += len(done.rejected)
            if on_file is not None:
                on_file(path, done)

        def heard(look: Look) -> None:
            report.passed_over += len(look.passed_over)
            report.rejected += len(look.unreadable)
            for bad in look.unreadable:
                store.reject(bad)
            for bad in [*look.passed_over, *look.unreadable]:
                if on_skipped is not None:
                    on_skipped(bad)

        follow(watcher, take, interval or settings.watch_interval, once, heard, sleep)
    return report


@dataclass
class FeedsReport:
    """What one feeds run did, in all (a feed's round counts once per round)."""

    new: int = 0
    stored: int = 0
    events: int = 0
    duplicates: int = 0
    rejected: int = 0
    failed: int = 0  # feed rounds whose feed could not be read
    feeds: list[str] = field(default_factory=list)  # the feeds followed


def feeds(feed_list: str | Path, settings: Settings | None = None, once: bool = False, interval: float | None = None,
          on_round: Callable[[FeedRound], None] | None = None, on_problem: Callable[[str], None] | None = None,
          on_reject: RejectHandler | None = None, clock: Clock | None = None,
          pipeline: Analyzer | None = None) -> FeedsReport:
    """Follow the RSS and Atom feeds listed in ``feed_list`` (one URL a line; see
    :mod:`warmonitor.streams.feeds`): each new item's page is fetched politely (the ``fetch_*``
    settings), its main text analysed and stored once, and every item remembered in the database,
    so neither a later round nor a restart fetches it again. One round with ``once``, else a
    round every ``interval`` seconds (default: the ``feeds_interval`` setting) until interrupted.
    ``on_round`` hears of each feed's round, ``on_problem`` of each line of the list that is no
    feed URL, ``on_reject`` of each new item that gives no article (stored as rejected). A missing
    list, or one without a feed, is a StreamError. ``clock`` (time and sleep) is for tests."""
    from warmonitor.errors import StreamError
    from warmonitor.store import open_store
    from warmonitor.streams.feeds import FeedFollower, follow, read_feed_list
    from warmonitor.streams.fetch import Clock, Fetcher, FetchPolicy

    settings = settings or Settings.load()
    listed = read_feed_list(Path(feed_list))
    for problem in listed.problems:
        if on_problem is not None:
            on_problem(problem)
    if not listed.urls:
        raise StreamError(f"no feed URL in {feed_list}")
    clock = clock or Clock()
    report = FeedsReport(feeds=listed.urls)
    with ExitStack() as stack:
        store = stack.enter_context(open_store(settings.db))
        analyse = pipeline or _built(settings, stack)
        follower = FeedFollower(store, Fetcher(FetchPolicy.from_settings(settings), clock),
                                lambda records: ingest_records(records, settings, store=store, pipeline=analyse,
                                                               on_reject=on_reject))

        def heard(done: FeedRound) -> None:
            report.new += done.new
            report.stored += done.stored
            report.events += done.events
            report.duplicates += done.duplicates
            report.rejected += done.rejected
            report.failed += done.error is not None
            if on_round is not None:
                on_round(done)

        follow(follower, listed.urls, interval or settings.feeds_interval, once, heard, clock.monotonic, clock.sleep)
    return report


def _query(since: date | None = None, until: date | None = None, country: str | None = None, actor: str | None = None,
           types: Sequence[str] = (), statuses: Sequence[str] = (), bbox: str | Sequence[float] | None = None,
           min_confidence: float | None = None, limit: int | None = None, offset: int = 0,
           mentions: bool = False, text: str | None = None) -> Any:
    from warmonitor.store import make_query

    return make_query(since=since, until=until, country=country, actor=actor, types=types, statuses=statuses, bbox=bbox,
                      min_confidence=min_confidence, limit=limit, offset=offset, mentions=mentions, text=text)


@contextmanager
def _store(settings: Settings | None, store: Store | None) -> Iterator[Store]:
    """``store`` when the caller keeps one open (the HTTP server), else the settings' database,
    opened for this call (a missing database is a StoreError, not a new file)."""
    if store is not None:
        yield store
        return
    from warmonitor.store import open_store

    with open_store((settings or Settings.load()).db, create=False) as opened:
        yield opened


def events(settings: Settings | None = None, since: date | None = None, until: date | None = None,
           country: str | None = None, actor: str | None = None, types: Sequence[str] = (),
           statuses: Sequence[str] = (), bbox: str | Sequence[float] | None = None, min_confidence: float | None = None,
           limit: int | None = None, offset: int = 0, mentions: bool = False, text: str | None = None,
           store: Store | None = None) -> Iterator[dict[str, Any]]:
    """Stored events matching every filter given, newest first: canonical events (one per incident,
    with ``mentions``), or with ``mentions=True`` each article's own events.

    ``country``: ISO2, ISO3 or a name, of the place or of either actor; ``actor``: part of an
    actor's name (no wildcards); ``types``: PLOVER types or ACLED event or sub-event types, any of;
    ``statuses``: any of occurred, ongoing, planned, negated, hypothetical; ``bbox``: minlon,minlat,
    maxlon,maxlat; ``text``: words its sentences, actors or place hold. A filter no event could
    match raises QueryError; a missing database is a StoreError, not a new file."""
    query = _query(since, until, country, actor, types, statuses, bbox, min_confidence, limit, offset, mentions, text)
    if store is not None:
        return store.events(query)
    from warmonitor.store import open_store

    opened = open_store((settings or Settings.load()).db, create=False)
    return _closing(opened, opened.events(query))


def events_json(store: Store, limit: int | None = None, offset: int = 0, mentions: bool = False,
                **filters: Any) -> Iterator[str]:
    """The events of :func:`events` as JSON texts, from a store the caller keeps open (the HTTP
    server, which passes the stored JSON on without decoding it)."""
    return store.events_json(_query(limit=limit, offset=offset, mentions=mentions, **filters))


def _closing(store: Any, records: Iterator[T]) -> Iterator[T]:
    """``records``, then the store closed (also when the caller stops early)."""
    try:
        yield from records
    finally:
        store.close()


def count_events(settings: Settings | None = None, store: Store | None = None, **filters: Any) -> int:
    """How many stored events match the filters of :func:`events` (without limit and offset)."""
    with _store(settings, store) as opened:
        return opened.count(_query(**filters))


def aggregates(by: str, settings: Settings | None = None, store: Store | None = None,
               **filters: Any) -> list[dict[str, Any]]:
    """Canonical events matching the filters of :func:`events`, counted with their fatalities by
    ``by``: day, week, month (oldest first), country, admin1 or type (largest first)."""
    query = _query(**filters)
    with _store(settings, store) as opened:
        return opened.aggregates(query, by)


def explain(event_id: str, settings: Settings | None = None, store: Store | None = None) -> dict[str, Any] | None:
    """The canonical event holding the event with this id (or an unambiguous prefix of at least 4
    characters), every mention with its ``evidence``; None if absent."""
    with _store(settings, store) as opened:
        return opened.explain(event_id)


def article(article_id: str, settings: Settings | None = None, store: Store | None = None) -> dict[str, Any] | None:
    """One stored article: its metadata, text, sentences and events' ids; None if absent."""
    with _store(settings, store) as opened:
        return opened.article(article_id)


def articles(settings: Settings | None = None, since: date | None = None,
             limit: int | None = None) -> Iterator[dict[str, Any]]:
    """Stored articles, newest first: id, title, url, source, published, shape, origin, text and
    ``events`` (how many events were coded from it)."""
    from warmonitor.errors import QueryError
    from warmonitor.store import open_store

    if limit is not None and limit < 1:
        raise QueryError(f"--limit must be 1 or more, got {limit}")
    store = open_store((settings or Settings.load()).db, create=False)
    return _closing(store, store.articles(since=since, limit=limit))


@dataclass
class RecodeReport:
    """What one recode run did."""

    articles: int = 0
    removed: int = 0  # events of the earlier coding
    added: int = 0
    failed: list[BadArticle] = field(default_factory=list)
    seconds: float = 0.0


def recode(settings: Settings | None = None, since: date | None = None, progress: bool = False,
           on_reject: RejectHandler | None = None) -> RecodeReport:
    """Run the current pipeline again over the stored articles (published on or after ``since``)
    after a dictionary, gazetteer or model change: each article's events are replaced and the
    canonical events they touch re-clustered. Idempotent: a second run changes nothing."""
    from tqdm import tqdm

    from warmonitor.store import open_store

    settings = settings or Settings.load()
    report = RecodeReport()
    started = time.perf_counter()
    with open_store(settings.db, create=False) as store, ExitStack() as stack:
        # A new pipeline, not the cached one: recoding is what one does after the dictionaries,
        # gazetteer or models changed on disk.
        pipeline = _built(settings, stack, cached=False)
        bar = tqdm(desc="recode", unit=" articles", disable=not progress)
        for item in pipeline.analyze_many(store.stored_articles(since)):
            if isinstance(item, BadArticle):
                report.failed.append(item)
                if on_reject is not None:
                    on_reject(item)
            else:
                removed, added = store.recode(item)
                report.articles += 1
                report.removed += removed
                report.added += added
            bar.update(1)
        bar.close()
    report.seconds = time.perf_counter() - started
    return report


def export(output: Any, format_name: str, settings: Settings | None = None, **filters: Any) -> int:
    """Write the canonical events matching ``filters`` (those of :func:`events`) to ``output`` (a
    path, or an open text or binary stream as the format needs) in ``format_name`` (acled-csv,
    csv, geojson, jsonl, parquet, plover-json), streamed; returns how many were written."""
    from warmonitor.export import export_records

    return export_records(events(settings, **filters), output, format_name)


def batch(paths: Sequence[str], out: Path, settings: Settings | None = None, published: date | None = None,
          workers: int | None = None, scheduler: str | None = None, partition_size: int = 200,
          retries: int = 2) -> BatchReport:
    """Analyse every article under ``paths`` on a Dask cluster (a local one of ``workers``
    processes, or the scheduler at ``scheduler``) into partitioned Parquet under ``out``;
    re-running resumes. :func:`load` stores the result."""
    from warmonitor import batch as batches
    from warmonitor import ingest as readers

    settings = settings or Settings.load()
    return batches.run(readers.read(paths, published), out, settings, workers=workers, scheduler=scheduler,
                       partition_size=partition_size, retries=retries)


def load(folder: Path, settings: Settings | None = None) -> LoadReport:
    """Store a :func:`batch` folder's articles and events in the settings' database and cluster
    them, as ingest of the same inputs would."""
    from warmonitor import batch as batches

    return batches.load(folder, settings or Settings.load())


def events_frame(events: list[Event]) -> Any:
    """A pandas DataFrame of events, nested objects flattened (``actor1.name``, ``location.lat``…)."""
    return events_to_frame(events)
