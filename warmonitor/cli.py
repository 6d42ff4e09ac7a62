"""Command line: each command parses its options, calls one function of :mod:`warmonitor.api`, and
prints the result.

Exit codes: 0 success, 1 failure (a message, never a traceback), 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from warmonitor import api
from warmonitor.errors import BadArticle, QueryError, WarmonitorError
from warmonitor.export import FORMATS, RECORD_FORMATS, write_records
from warmonitor.settings import Settings

log = logging.getLogger("warmonitor")


def _date(value: str) -> date:
    from warmonitor.ingest import parse_date

    try:
        parsed = parse_date(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from error
    if parsed is None:
        raise argparse.ArgumentTypeError("a date is required (YYYY-MM-DD)")
    return parsed


N = TypeVar("N", int, float)


def _number(kind: Callable[[str], N], noun: str, fits: Callable[[N], bool], rule: str) -> Callable[[str], N]:
    """An argparse type: ``kind`` of the text, refused with ``rule`` unless it ``fits``."""

    def convert(value: str) -> N:
        try:
            number = kind(value)
        except ValueError as error:
            raise argparse.ArgumentTypeError(f"{noun} is required, got {value!r}") from error
        if not fits(number):
            raise argparse.ArgumentTypeError(f"{rule}, got {value}")
        return number

    return convert


_positive = _number(int, "a whole number", lambda number: number >= 1, "must be 1 or more")
_seconds = _number(float, "a number of seconds", lambda seconds: seconds > 0, "the interval must be more than 0 seconds")


# --- option bundles shared by several commands ------------------------------------------------------

def _options(*adders: Callable[[argparse.ArgumentParser], object]) -> argparse.ArgumentParser:
    bundle = argparse.ArgumentParser(add_help=False)
    for add in adders:
        add(bundle)
    return bundle


DATABASE = _options(lambda p: p.add_argument("--db", help="database URL (default: sqlite in the warmonitor home)"))
OUTPUT = _options(lambda p: p.add_argument("--format", choices=RECORD_FORMATS, default="jsonl", help="output format"))
PUBLISHED = _options(lambda p: p.add_argument("--published", type=_date,
                                              help="publication date (YYYY-MM-DD) for articles without one"))


def _add_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", type=_date, help="events on or after this date (YYYY-MM-DD; an undated event by its report's date)")
    parser.add_argument("--until", type=_date, help="events on or before this date")
    parser.add_argument("--country", help="the place's or an actor's country: ISO2, ISO3 or name")
    parser.add_argument("--actor", help="part of an actor's name (letters as written; no wildcards)")
    parser.add_argument("--type", dest="types", action="append", default=[], metavar="TYPE",
                        help="PLOVER type (ASSAULT), ACLED event type (Battles) or sub-event type "
                        "('Air/drone strike'); repeat for any of several")
    parser.add_argument("--status", dest="statuses", action="append", default=[], metavar="STATUS",
                        help="occurred, ongoing, planned, negated or hypothetical; repeat for any of several")
    parser.add_argument("--bbox", help="minlon,minlat,maxlon,maxlat")
    parser.add_argument("--min-confidence", type=float, help="0-1")


FILTERS = _options(_add_filters)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="warmonitor", description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("-v", "--verbose", action="store_true", help="log what each step does")
    commands = parser.add_subparsers(dest="command", required=True)

    setup_cmd = commands.add_parser("setup", help="build the gazetteer and check the spaCy pipeline")
    setup_cmd.add_argument("--rebuild", action="store_true", help="rebuild the gazetteer even if it exists")

    extract_cmd = commands.add_parser("extract", parents=[PUBLISHED, OUTPUT],
                                      help="print the events of one article (or a JSONL/CSV file)")
    extract_cmd.add_argument("source", help="file path, or - for standard input")

    geoparse_cmd = commands.add_parser("geoparse", help="print the places of one article (or a JSONL/CSV file), "
                                       "resolved, without coding events")
    geoparse_cmd.add_argument("source", help="file path, or - for standard input")
    geoparse_cmd.add_argument("--format", choices=["jsonl", "geojson"], default="jsonl",
                              help="one toponym a line, or a GeoJSON FeatureCollection of points")

    ingest_cmd = commands.add_parser("ingest", parents=[DATABASE, PUBLISHED],
                                     help="store the articles and events of files or folders")
    ingest_cmd.add_argument("paths", nargs="+", help="files or folders (.txt, .jsonl, .csv, .html)")
    ingest_cmd.add_argument("--no-progress", action="store_true", help="no progress bar")

    watch_cmd = commands.add_parser("watch", parents=[DATABASE],
                                    help="ingest article files as they appear in a folder, each once it is complete")
    watch_cmd.add_argument("folder", help="folder to watch, subfolders included")
    watch_cmd.add_argument("--interval", type=_seconds, help="seconds between two looks (default: the watch_interval setting)")
    watch_cmd.add_argument("--once", action="store_true", help="take what is complete now, then exit")

    feeds_cmd = commands.add_parser("feeds", parents=[DATABASE],
                                    help="follow RSS/Atom feeds: fetch each new item's page and store its article once")
    feeds_cmd.add_argument("file", help="list of feed URLs, one a line (blank lines and # comments allowed)")
    feeds_cmd.add_argument("--interval", type=_seconds, help="seconds between two rounds (default: the feeds_interval setting)")
    feeds_cmd.add_argument("--once", action="store_true", help="one round, then exit")

    batch_cmd = commands.add_parser("batch", parents=[PUBLISHED],
                                    help="analyse files or folders on a Dask cluster into partitioned Parquet "
                                    "(articles, events, mentions, rejected); re-running resumes")
    batch_cmd.add_argument("paths", nargs="+", help="files or folders (.txt, .jsonl, .csv, .html)")
    batch_cmd.add_argument("--out", type=Path, required=True, help="folder for the Parquet partitions")
    where = batch_cmd.add_mutually_exclusive_group()
    where.add_argument("--workers", type=_positive, help="worker processes of a local Dask cluster "
                       "(default: the setting workers)")
    where.add_argument("--scheduler", help="address of a running Dask scheduler (tcp://HOST:8786)")
    batch_cmd.add_argument("--partition-size", type=_positive, default=200, help="articles per partition (default 200)")
    batch_cmd.add_argument("--retries", type=int, default=2, help="times Dask retries a failed partition (default 2)")

    load_cmd = commands.add_parser("load", parents=[DATABASE],
                                   help="store a batch folder's articles and events in the database and cluster them")
    load_cmd.add_argument("folder", type=Path, help="the --out folder of `warmonitor batch`")

    events_cmd = commands.add_parser("events", parents=[DATABASE, OUTPUT, FILTERS],
                                     help="query stored events, newest first: one per incident, or each article's")
    events_cmd.add_argument("--limit", type=int, help="at most this many (1 or more)")
    events_cmd.add_argument("--mentions", action="store_true",
                            help="each article's own events instead of one canonical event per incident")

    export_cmd = commands.add_parser("export", parents=[DATABASE, FILTERS],
                                     help="write the canonical events to a file: ACLED CSV, GeoJSON, Parquet, "
                                     "PLOVER JSON, JSONL or CSV")
    export_cmd.add_argument("--format", dest="export_format", choices=sorted(FORMATS), required=True)
    export_cmd.add_argument("--out", help="file to write (default: standard output)")

    articles_cmd = commands.add_parser("articles", parents=[DATABASE], help="list stored articles, newest first")
    articles_cmd.add_argument("--format", dest="articles_format", choices=["jsonl", "csv"], default="jsonl")
    articles_cmd.add_argument("--since", type=_date, help="articles published on or after this date")
    articles_cmd.add_argument("--limit", type=int)

    recode_cmd = commands.add_parser("recode", parents=[DATABASE],
                                     help="code the stored articles again with the current dictionaries, gazetteer "
                                     "and models, updating events and canonical events in place")
    recode_cmd.add_argument("--since", type=_date, help="only articles published on or after this date")
    recode_cmd.add_argument("--no-progress", action="store_true", help="no progress bar")

    serve_cmd = commands.add_parser("serve", parents=[DATABASE],
                                    help="serve the HTTP API and the dashboard (map, timeline, events, provenance)")
    serve_cmd.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve_cmd.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")

    explain_cmd = commands.add_parser("explain", parents=[DATABASE], help="show why an event was coded as it was")
    explain_cmd.add_argument("event_id", help="an event's id, or at least its first 4 characters")
    explain_cmd.add_argument("--json", action="store_true", help="print the record and evidence as JSON")

    evaluate_cmd = commands.add_parser("evaluate", help="score events against a gold file (per-field precision, "
                                       "recall and F1)")
    evaluate_cmd.add_argument("gold", type=Path, help="gold JSONL (format in warmonitor/gold.py and the README)")
    evaluate_cmd.add_argument("--format", dest="report_format", choices=["table", "json"], default="table")
    evaluate_cmd.add_argument("--shape", choices=["cased", "lowercase", "both"], default="both",
                              help="score the articles as written, lowercased and tokenized, or both")

    train_cmd = commands.add_parser("train", help="train the event classifier on the project's snippets "
                                    "(or, with 'acled FILE --out DIR', on your ACLED export; "
                                    "with 'linker', the event–place linker)")
    train_cmd.add_argument("--out", type=Path, help="model folder (default: the shipped model's)")
    train_cmd.add_argument("--corpus", type=Path, help="Wikinews JSONL for snippets annotated by offsets")
    train_sources = train_cmd.add_subparsers(dest="train_source")
    acled_cmd = train_sources.add_parser("acled", help="train the typer from an ACLED export (CSV or JSONL)")
    acled_cmd.add_argument("file", type=Path, help="ACLED export with notes, event_type, sub_event_type columns")
    acled_cmd.add_argument("--out", dest="acled_out", type=Path, required=True,
                           help="folder for the model; then set WARMONITOR_EVENT_MODEL to it")
    linker_cmd = train_sources.add_parser("linker", help="train the event–place linker on Halterman's "
                                          "event–location sentences")
    linker_cmd.add_argument("--data", type=Path, help="labeled_text.jsonl (default: ../shared/datasets/event-location/)")
    linker_cmd.add_argument("--out", dest="linker_out", type=Path, help="model folder (default: the shipped linker's)")

    commands.add_parser("settings", help="list every setting with its current value")
    return parser


def format_explanation(record: dict[str, Any]) -> str:
    """An explained canonical event as lines a person reads: what was chosen, then each report's
    sentence and each coded field's words and rule."""
    lines = [f"event {record['id']}  {record['plover_type']} (CAMEO {record['cameo_root']})"
             f"  {record.get('acled_event_type') or '-'} / {record.get('acled_sub_event_type') or '-'}"
             f"  {record.get('status')}",
             f"reports: {record.get('num_articles', 1)} article(s) from {record.get('num_sources', 1)} source(s)"]
    for mention in record.get("mentions") or [{"id": record["id"], "sentence": record["sentence"],
                                                "evidence": record.get("evidence", [])}]:
        source = ", ".join(str(mention[key]) for key in ("source", "published", "url") if mention.get(key))
        lines += [f"mention {mention['id']}" + (f"  ({source})" if source else ""), f"  sentence: {mention['sentence']}",
                  "  why:"]
        for item in mention.get("evidence", []):
            words = f"'{item['text']}'" if item["text"] else "(no words)"
            where = f" at {item['span']}" if item.get("span") else ""
            lines.append(f"    {item['field']:<14} {words}{where}: {item['rule']}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = Settings.load(db=getattr(args, "db", None))
        return COMMANDS[args.command](args, settings)
    except QueryError as error:  # a value no event could match: a usage error
        print(f"warmonitor {args.command}: {error}", file=sys.stderr)
        return 2
    except WarmonitorError as error:
        print(f"warmonitor: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        # What was stored stays stored (each article is written whole or not at all); a re-run
        # goes on where this one stopped.
        print(f"warmonitor {args.command}: interrupted", file=sys.stderr)
        return 130


def _setup(args: argparse.Namespace, settings: Settings) -> int:
    for key, value in api.setup(settings, args.rebuild).items():
        print(f"{key}: {value}")
    return 0


def _skipped(bad: BadArticle) -> None:
    print(f"skipped {bad}", file=sys.stderr)


def _print_records(records: Callable[[Callable[[BadArticle], None]], Iterable[dict[str, Any]]], format_name: str) -> int:
    """Print the records ``records(on_reject)`` yields; each unreadable input is reported as it
    comes. Nothing readable at all is a failure (exit 1)."""
    rejected: list[BadArticle] = []

    def reject(bad: BadArticle) -> None:
        rejected.append(bad)
        _skipped(bad)

    count = write_records(records(reject), sys.stdout, format_name)
    return 1 if rejected and not count else 0


def _extract(args: argparse.Namespace, settings: Settings) -> int:
    return _print_records(lambda reject: (event.to_dict() for event in api.extract_file(
        args.source, settings, args.published, on_reject=reject)), args.format)


def _geoparse(args: argparse.Namespace, settings: Settings) -> int:
    return _print_records(lambda reject: api.geoparse_file(args.source, settings, on_reject=reject), args.format)


def _ingest(args: argparse.Namespace, settings: Settings) -> int:
    report = api.ingest(args.paths, settings, args.published, progress=not args.no_progress,
                        on_reject=lambda bad: print(f"skipped {bad.origin}: {bad.reason}", file=sys.stderr))
    print(f"stored {report.articles} article(s) and {report.events} event(s) in {report.seconds:.1f}s "
          f"({report.articles_per_second:.1f} articles/s); {report.duplicates} already stored; "
          f"{len(report.rejected)} rejected")
    for error in report.rejected:
        print(f"  rejected {error.origin}: {error.reason}")
    if report.passed_over:
        names = ", ".join(Path(item.origin).name for item in report.passed_over[:5])
        more = f" and {len(report.passed_over) - 5} more" if len(report.passed_over) > 5 else ""
        print(f"passed over {len(report.passed_over)} file(s) of no article format: {names}{more}")
    print(f"database: {settings.db}")
    if report.articles == 0 and report.duplicates == 0:
        # Nothing read at all (a mistyped path, a folder of refused files): a failure, not a success.
        print("warmonitor ingest: no article was read from the paths given", file=sys.stderr)
        return 1
    return 0


def _watch(args: argparse.Namespace, settings: Settings) -> int:
    def ingested(path: Path, report: api.IngestReport) -> None:
        print(f"{path}: {report.articles} article(s), {report.events} event(s), {len(report.rejected)} rejected, "
              f"{report.duplicates} already stored", flush=True)

    if not args.once:
        print(f"warmonitor watch: watching {args.folder} for {settings.db}; Ctrl-C stops", file=sys.stderr)
    report = api.watch(args.folder, settings, interval=args.interval, once=args.once, on_file=ingested,
                       on_skipped=lambda bad: print(f"passed over {bad.origin}: {bad.reason}", file=sys.stderr),
                       on_reject=lambda bad: print(f"  rejected {bad.origin}: {bad.reason}", file=sys.stderr))
    print(f"took {report.files} file(s): {report.articles} article(s) and {report.events} event(s) stored, "
          f"{report.duplicates} already stored, {report.rejected} rejected")
    return 0


def _feeds(args: argparse.Namespace, settings: Settings) -> int:
    from warmonitor.streams.feeds import FeedRound

    def summary(done: FeedRound) -> None:
        if done.error is not None:
            print(f"{done.feed}: not read: {done.error}", flush=True)
            return
        if done.not_modified:
            print(f"{done.feed}: not modified", flush=True)
            return
        print(f"{done.feed}: {done.new} new, {done.stored} stored ({done.events} event(s)), {done.duplicates} already "
              f"stored, {done.rejected} rejected, {done.errors} error(s)", flush=True)
        for problem in done.problems:
            print(f"  {problem}", file=sys.stderr)

    def bad_line(problem: str) -> None:
        print(f"skipped {problem}", file=sys.stderr)

    if not args.once:
        print(f"warmonitor feeds: following the feeds in {args.file} for {settings.db}; Ctrl-C stops", file=sys.stderr)
    report = api.feeds(args.file, settings, once=args.once, interval=args.interval, on_round=summary,
                       on_problem=bad_line,
                       on_reject=lambda bad: print(f"  rejected {bad.origin}: {bad.reason}", file=sys.stderr))
    if report.failed == len(report.feeds):  # (--once) a round in which no feed could be read: a failure
        print("warmonitor feeds: no feed could be read", file=sys.stderr)
        return 1
    return 0


def _batch(args: argparse.Namespace, settings: Settings) -> int:
    report = api.batch(args.paths, args.out, settings, args.published, workers=args.workers, scheduler=args.scheduler,
                       partition_size=args.partition_size, retries=args.retries)
    print(f"analysed {report.articles} article(s), {report.events} event(s), {report.rejected} rejected, in "
          f"{report.partitions} partition(s) on {report.workers} worker(s) in {report.seconds:.1f}s "
          f"({report.articles_per_second:.1f} articles/s); {report.resumed} partition(s) done before")
    for name, reason in report.failed.items():
        print(f"  failed {name}: {reason}")
    for bad in report.first_rejections:
        print(f"  rejected {bad.origin}: {bad.reason}")
    if report.rejected > len(report.first_rejections):
        print(f"  ... and {report.rejected - len(report.first_rejections)} more in {args.out / 'rejected'}")
    print(f"output: {args.out}")
    if report.failed:
        print(f"warmonitor batch: {len(report.failed)} partition(s) failed; run the same command again to retry them",
              file=sys.stderr)
        return 1
    if report.articles == 0 and report.resumed == 0:
        # Nothing read at all (a mistyped path, a folder of refused files), as with ingest.
        print("warmonitor batch: no article was read from the paths given", file=sys.stderr)
        return 1
    return 0


def _load(args: argparse.Namespace, settings: Settings) -> int:
    report = api.load(args.folder, settings)
    print(f"stored {report.articles} article(s) and {report.events} event(s) from {report.partitions} partition(s); "
          f"{report.duplicates} already stored; {report.rejected} rejected")
    print(f"database: {settings.db}")
    if report.missing:
        print(f"warmonitor load: partition(s) {', '.join(report.missing)} never finished; run `warmonitor batch` "
              "again with the same inputs, then load again", file=sys.stderr)
        return 1
    return 0


def _filters(args: argparse.Namespace) -> dict[str, Any]:
    return {"since": args.since, "until": args.until, "country": args.country, "actor": args.actor, "types": args.types,
            "statuses": args.statuses, "bbox": args.bbox, "min_confidence": args.min_confidence}


def _events(args: argparse.Namespace, settings: Settings) -> int:
    records = api.events(settings, **_filters(args), limit=args.limit, mentions=args.mentions)
    write_records(records, sys.stdout, args.format)
    return 0


def _export(args: argparse.Namespace, settings: Settings) -> int:
    count = api.export(args.out, args.export_format, settings, **_filters(args))
    if args.out:
        print(f"wrote {count} event(s) to {args.out} ({args.export_format})", file=sys.stderr)
    return 0


ARTICLE_COLUMNS = ("id", "title", "url", "source", "published", "shape", "origin", "events", "text")


def _articles(args: argparse.Namespace, settings: Settings) -> int:
    import csv

    listed = api.articles(settings, since=args.since, limit=args.limit)
    if args.articles_format == "jsonl":
        write_records(listed, sys.stdout, "jsonl")
        return 0
    writer = csv.DictWriter(sys.stdout, fieldnames=ARTICLE_COLUMNS)
    writer.writeheader()
    writer.writerows(listed)
    return 0


def _recode(args: argparse.Namespace, settings: Settings) -> int:
    report = api.recode(settings, since=args.since, progress=not args.no_progress,
                        on_reject=lambda bad: print(f"skipped {bad.origin}: {bad.reason}", file=sys.stderr))
    print(f"re-coded {report.articles} article(s) in {report.seconds:.1f}s: {report.removed} event(s) before, "
          f"{report.added} now; {len(report.failed)} could not be coded")
    print(f"database: {settings.db}")
    return 0


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from warmonitor.server import serve

    if not 0 < args.port < 65536:
        raise QueryError(f"--port must lie between 1 and 65535, got {args.port}")
    serve(settings, host=args.host, port=args.port, ready=lambda: print(
        f"warmonitor: serving {settings.db} on http://{args.host}:{args.port}/ (API docs at /docs); Ctrl-C stops",
        file=sys.stderr))
    return 0


def _explain(args: argparse.Namespace, settings: Settings) -> int:
    record = api.explain(args.event_id, settings)
    if record is None:
        print(f"warmonitor: no event {args.event_id!r} in {settings.db}", file=sys.stderr)
        return 1
    print(json.dumps(record, ensure_ascii=False, indent=2) if args.json else format_explanation(record))
    return 0


def _evaluate(args: argparse.Namespace, settings: Settings) -> int:
    from warmonitor.gold import SHAPES, format_table

    shapes = SHAPES if args.shape == "both" else (args.shape,)
    reports = api.evaluate(args.gold, settings, shapes)
    if args.report_format == "json":
        print(json.dumps([report.as_dict() for report in reports], indent=2))
    else:
        print(format_table(reports))
    return 0


def _train(args: argparse.Namespace, settings: Settings) -> int:
    if args.train_source == "acled":
        card = api.train_acled(args.file, args.acled_out)
        trained = card["trained_on"]
        print(f"trained an event typer on {trained['rows']} ACLED notes ({trained['rejected']} rows left out) "
              f"into {args.acled_out}")
        for line in card["rejected_rows"]:
            print(f"  left out {line}")
        print(f"use it with: WARMONITOR_EVENT_MODEL={args.acled_out} (ACLED's terms: do not redistribute it)")
        return 0
    if args.train_source == "linker":
        card = api.train_linker(settings, data=args.data, out=args.linker_out, progress=print)
        print(json.dumps(card["test_scores"], indent=2))
        return 0
    card = api.train(settings, out=args.out, corpus=args.corpus, progress=print)
    print(json.dumps(card["test_scores"], indent=2))
    return 0


def _settings(args: argparse.Namespace, settings: Settings) -> int:
    for name, help_text in Settings.documented().items():
        print(f"{name} = {getattr(settings, name)}\n    {help_text} (env WARMONITOR_{name.upper()})")
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace, Settings], int]] = {
    "setup": _setup, "extract": _extract, "ingest": _ingest, "events": _events, "explain": _explain,
    "settings": _settings, "train": _train, "evaluate": _evaluate, "geoparse": _geoparse, "export": _export,
    "articles": _articles, "recode": _recode, "serve": _serve, "watch": _watch, "feeds": _feeds,
    "batch": _batch, "load": _load,
}


if __name__ == "__main__":
    sys.exit(main())
