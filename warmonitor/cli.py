"""Command line: each command parses its options and calls an importable function.

Exit codes: 0 success, 1 failure (a message, never a traceback), 2 usage error.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TextIO

from warmonitor.errors import BadArticle, WarmonitorError
from warmonitor.settings import Settings

log = logging.getLogger("warmonitor")


def flatten(record: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested event record → flat columns ("actor1.name", "location.lat")."""
    flat: dict[str, Any] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{name}."))
        elif isinstance(value, list):
            flat[name] = json.dumps(value)
        else:
            flat[name] = value
    return flat


_ACTOR = {"name": None, "canonical": None, "country": None, "type": None, "span": None}
_LOCATION = {"name": None, "canonical": None, "geonames_id": None, "lat": None, "lon": None, "country": None,
             "admin1": None, "precision": None, "span": None}
CSV_COLUMNS = list(flatten({
    "id": None, "article_id": None, "sentence": None, "span": None, "trigger": None, "plover_type": None,
    "cameo_root": None, "acled_event_type": None, "acled_sub_event_type": None, "status": None, "date": None,
    "date_precision": None, "actor1": _ACTOR, "actor2": _ACTOR, "location": _LOCATION, "attribution": None,
    "fatalities": None, "confidence": None,
}))


def write_records(records: Iterable[dict[str, Any]], output: TextIO, layout: str) -> int:
    """Records as JSON lines, or as CSV with one fixed column per (flattened) field."""
    count = 0
    if layout == "csv":
        writer = csv.DictWriter(output, fieldnames=CSV_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for record in records:
            writer.writerow(flatten(record))
            count += 1
        return count
    for record in records:
        output.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


# --- commands as functions ------------------------------------------------------------------------

def setup(settings: Settings, rebuild: bool = False) -> dict[str, str]:
    """Build the gazetteer (if missing or asked) and check the spaCy pipeline loads."""
    from warmonitor.gazetteer import build
    from warmonitor.resources import Resources

    if rebuild or not settings.gazetteer.exists():
        build(settings.gazetteer, settings.gazetteer_overrides)
    nlp = Resources.load(settings).nlp
    return {"gazetteer": str(settings.gazetteer), "spacy_model": f"{nlp.meta['lang']}_{nlp.meta['name']} {nlp.meta['version']}",
            "database": settings.db}


def extract_file(source: str, settings: Settings, published: date | None = None,
                 rejected: list[BadArticle] | None = None) -> Iterable[dict[str, Any]]:
    """Event records of the article(s) in a file (or '-' for standard input); articles that
    cannot be read are reported on stderr and appended to ``rejected``."""
    from warmonitor import ingest
    from warmonitor.pipeline import Pipeline

    pipeline = Pipeline.default(settings)
    for item in pipeline.analyze_many(ingest.read([source], published)):
        if isinstance(item, BadArticle):
            print(f"skipped {item}", file=sys.stderr)
            if rejected is not None:
                rejected.append(item)
            continue
        yield from item.as_records()


@dataclass
class IngestReport:
    articles: int = 0
    duplicates: int = 0
    events: int = 0
    rejected: list[BadArticle] = field(default_factory=list)
    seconds: float = 0.0
    words: int = 0


def ingest_paths(paths: Sequence[str], settings: Settings, published: date | None = None,
                 progress: bool = True) -> IngestReport:
    """Read, analyse and store every article under ``paths``; bad ones are reported, not fatal."""
    from tqdm import tqdm

    from warmonitor import ingest
    from warmonitor.pipeline import Pipeline
    from warmonitor.store import open_store

    report = IngestReport()
    started = time.perf_counter()
    with open_store(settings.db) as store:
        pipeline = Pipeline.default(settings)

        def fresh() -> Iterable[Any]:
            for record in ingest.read(paths, published):
                if not isinstance(record, BadArticle) and store.has_article(record.id):
                    report.duplicates += 1
                    continue
                yield record

        bar = tqdm(desc="ingest", unit=" articles", disable=not progress, file=sys.stderr)
        for item in pipeline.analyze_many(fresh()):
            if isinstance(item, BadArticle):
                report.rejected.append(item)
                store.reject(item)
                bar.write(f"skipped {item.origin}: {item.reason}")
            else:
                report.events += store.add(item)
                report.articles += 1
                report.words += len(item.article.text.split())
            bar.update(1)
        bar.close()
    report.seconds = time.perf_counter() - started
    return report


def query_events(settings: Settings, **filters: Any) -> Iterable[dict[str, Any]]:
    from warmonitor.store import EventQuery, open_store

    store = open_store(settings.db, create=False)
    try:
        yield from store.events(EventQuery(**filters))
    finally:
        store.close()


def explain_event(settings: Settings, event_id: str) -> dict[str, Any] | None:
    from warmonitor.store import open_store

    with open_store(settings.db, create=False) as store:
        return store.explain(event_id)


def format_explanation(record: dict[str, Any]) -> str:
    lines = [f"event {record['id']}  {record['plover_type']} (CAMEO {record['cameo_root']})"
             f"  {record.get('acled_event_type') or '-'} / {record.get('acled_sub_event_type') or '-'}",
             f"sentence: {record['sentence']}", f"span: {record['span']}", "why:"]
    for item in record["evidence"]:
        words = f"'{item['text']}'" if item["text"] else "(no words)"
        where = f" at {item['span']}" if item.get("span") else ""
        lines.append(f"  {item['field']:<14} {words}{where}: {item['rule']}")
    return "\n".join(lines)


# --- argument parsing -----------------------------------------------------------------------------

def _date(value: str) -> date:
    from warmonitor.ingest import parse_date

    try:
        parsed = parse_date(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from error
    if parsed is None:
        raise argparse.ArgumentTypeError("a date is required (YYYY-MM-DD)")
    return parsed


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="warmonitor", description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("-v", "--verbose", action="store_true", help="log what each step does")
    commands = parser.add_subparsers(dest="command", required=True)

    setup_cmd = commands.add_parser("setup", help="build the gazetteer and check the spaCy pipeline")
    setup_cmd.add_argument("--rebuild", action="store_true", help="rebuild the gazetteer even if it exists")

    extract_cmd = commands.add_parser("extract", help="print the events of one article (or a JSONL/CSV file)")
    extract_cmd.add_argument("source", help="file path, or - for standard input")
    extract_cmd.add_argument("--published", type=_date, help="publication date, YYYY-MM-DD")
    extract_cmd.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")

    ingest_cmd = commands.add_parser("ingest", help="store the articles and events of files or folders")
    ingest_cmd.add_argument("paths", nargs="+", help="files or folders (.txt, .jsonl, .csv, .html)")
    ingest_cmd.add_argument("--db", help="database URL (default: sqlite in the warmonitor home)")
    ingest_cmd.add_argument("--published", type=_date, help="publication date for files without one")
    ingest_cmd.add_argument("--no-progress", action="store_true", help="no progress bar")

    events_cmd = commands.add_parser("events", help="query stored events")
    events_cmd.add_argument("--db", help="database URL")
    events_cmd.add_argument("--since", type=_date)
    events_cmd.add_argument("--until", type=_date)
    events_cmd.add_argument("--country", help="ISO2 of the place or ISO3 of an actor")
    events_cmd.add_argument("--actor", help="part of an actor's name")
    events_cmd.add_argument("--type", dest="plover_type", help="PLOVER type, e.g. ASSAULT")
    events_cmd.add_argument("--limit", type=int)
    events_cmd.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")

    explain_cmd = commands.add_parser("explain", help="show why an event was coded as it was")
    explain_cmd.add_argument("event_id")
    explain_cmd.add_argument("--db", help="database URL")
    explain_cmd.add_argument("--json", action="store_true", help="print the record and evidence as JSON")

    commands.add_parser("settings", help="list every setting with its current value")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = Settings.load(db=getattr(args, "db", None))
        return _dispatch(args, settings)
    except WarmonitorError as error:
        print(f"warmonitor: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "setup":
        for key, value in setup(settings, args.rebuild).items():
            print(f"{key}: {value}")
        return 0
    if args.command == "extract":
        rejected: list[BadArticle] = []
        count = write_records(extract_file(args.source, settings, args.published, rejected), sys.stdout, args.format)
        return 1 if rejected and not count else 0  # nothing readable at all is a failure
    if args.command == "ingest":
        report = ingest_paths(args.paths, settings, args.published, progress=not args.no_progress)
        rate = report.articles / report.seconds if report.seconds else 0.0
        print(f"stored {report.articles} article(s) and {report.events} event(s) in {report.seconds:.1f}s "
              f"({rate:.1f} articles/s); {report.duplicates} already stored; {len(report.rejected)} rejected")
        for error in report.rejected:
            print(f"  rejected {error.origin}: {error.reason}")
        print(f"database: {settings.db}")
        return 0
    if args.command == "events":
        filters = {k: getattr(args, k) for k in ("since", "until", "country", "actor", "plover_type", "limit")}
        write_records(query_events(settings, **filters), sys.stdout, args.format)
        return 0
    if args.command == "explain":
        record = explain_event(settings, args.event_id)
        if record is None:
            print(f"warmonitor: no event {args.event_id!r} in {settings.db}", file=sys.stderr)
            return 1
        print(json.dumps(record, ensure_ascii=False, indent=2) if args.json else format_explanation(record))
        return 0
    if args.command == "settings":
        for name, help_text in Settings.documented().items():
            print(f"{name} = {getattr(settings, name)}\n    {help_text} (env WARMONITOR_{name.upper()})")
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
