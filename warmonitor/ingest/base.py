"""What every reader shares: the record type, the checks an article must pass, and the reader registry.

A reader turns the decoded text of one file into records; it is registered for the file suffixes it
reads with :func:`register_reader`. :func:`read` walks files and folders and hands each file to the
reader of its suffix, falling back to plain text.
"""

from __future__ import annotations

import json
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Protocol

from warmonitor.errors import BadArticle, PassedOver
from warmonitor.model import Article

MAX_ARTICLE_CHARS = 500_000
MIN_ARTICLE_WORDS = 3
_TEXT_KEYS = ("text", "content", "body", "article", "full_text", "doc_text", "notes")
_DATE_KEYS = ("date", "published", "publish_date", "pub_date", "publication_date", "event_date", "dltime")
# A file whose suffix no reader claims is read as one plain-text article.
_FALLBACK_SUFFIX = ".txt"

Record = Article | BadArticle


class Reader(Protocol):
    """Records of one file's decoded text; a record that cannot be read is yielded as a BadArticle."""

    def __call__(self, text: str, origin: str, published: date | None) -> Iterator[Record]: ...


# Lowercase suffix (".jsonl") → reader; filled as the format modules are imported.
READERS: dict[str, Reader] = {}
# Suffixes of corpus files, many records a file: a byte that is not UTF-8 costs its record, not the
# file, and no single-article size bound applies to the file.
RECORD_SUFFIXES: set[str] = set()


class LineReader(Protocol):
    """Records of a file's numbered lines, one record a line (JSON lines): such files are streamed."""

    def __call__(self, lines: Iterable[tuple[int, str]], origin: str, published: date | None) -> Iterator[Record]: ...


# Suffixes whose files are read a line at a time, so a corpus of any size takes little memory.
LINE_READERS: dict[str, LineReader] = {}
MAX_LINE_BYTES = 16 * MAX_ARTICLE_CHARS  # a line holding one article, escapes and metadata included
# Other corpus files are read whole; past this size they are refused, with the way out.
MAX_WHOLE_FILE_BYTES = 1 << 30


def _suffix_keys(suffixes: tuple[str, ...]) -> tuple[str, ...]:
    """Registry keys of a reader's suffixes (lower case); a suffix without its dot is a mistake."""
    for suffix in suffixes:
        if not suffix.startswith("."):
            raise ValueError(f"a reader's suffix starts with a dot: {suffix!r}")
    return tuple(suffix.lower() for suffix in suffixes)


def register_line_reader(*suffixes: str) -> Callable[[LineReader], LineReader]:
    """Decorator: stream files ending in ``suffixes`` line by line through the decorated reader."""

    keys = _suffix_keys(suffixes)

    def register(reader: LineReader) -> LineReader:
        for key in keys:
            LINE_READERS[key] = reader
        return reader

    return register


def _numbered_lines(handle: Any, origin: str) -> Iterator[tuple[int, str] | BadArticle]:
    """A binary file's lines, decoded one by one (a byte that is not UTF-8 costs only its line's
    record); a line past MAX_LINE_BYTES is skipped to its end and refused."""
    number = 0
    while raw := handle.readline(MAX_LINE_BYTES + 1):
        number += 1
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while (rest := handle.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield BadArticle(f"{origin}:{number}", f"a line of more than {MAX_LINE_BYTES:,} bytes is not one article")
            continue
        line = raw.decode("utf-8", errors="surrogateescape")
        yield number, line.removeprefix("\ufeff") if number == 1 else line


def _stream_lines(path: Path, suffix: str, published: date | None) -> Iterator[Record]:
    origin = str(path)
    produced = False
    refusals: list[BadArticle] = []

    def good_lines(handle: Any) -> Iterator[tuple[int, str]]:
        for item in _numbered_lines(handle, origin):
            if isinstance(item, BadArticle):
                refusals.append(item)
            else:
                yield item

    with open(path, "rb") as handle:
        for record in LINE_READERS[suffix](good_lines(handle), origin, published):
            while refusals:
                produced = True
                yield refusals.pop(0)
            produced = True
            yield record
    if refusals:
        yield from refusals
    elif not produced:
        yield BadArticle(origin, "empty file")


def register_reader(*suffixes: str, records: bool = False) -> Callable[[Reader], Reader]:
    """Decorator: read files ending in ``suffixes`` (".md", ...) with the decorated reader;
    ``records``: the files hold many records each (a corpus), not one article."""
    keys = _suffix_keys(suffixes)

    def register(reader: Reader) -> Reader:
        for key in keys:
            READERS[key] = reader
            if records:
                RECORD_SUFFIXES.add(key)
            else:
                RECORD_SUFFIXES.discard(key)
        return reader

    return register


def reader_for(suffix: str) -> Reader:
    """The reader registered for ``suffix`` (lowercase), else the plain-text reader."""
    reader = READERS.get(suffix)
    return reader if reader is not None else READERS[_FALLBACK_SUFFIX]


# Publication dates outside these years are a typo or a placeholder ("0001-01-01"), not a date.
EARLIEST_YEAR = 1800
_NAMED_LAYOUTS = ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y", "%d %B, %Y", "%Y/%m/%d",
                  "%Y.%m.%d", "%Y%m%d")
_NUMERIC = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def parse_date(value: Any) -> date | None:
    """A publication date from metadata; raises ValueError, saying why, for one that is not a
    date, is out of range, or is ambiguous ("03/12/2024": March 12 or 3 December?)."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return _in_range(value.date(), str(value))
    if isinstance(value, date):
        return _in_range(value, str(value))
    text = " ".join(str(value).split())
    match = re.match(r"^(\d{4})-(\d{2})-(\d{2})", text)
    if match:
        return _in_range(_made(int(match[1]), int(match[2]), int(match[3]), text), text)
    numeric = _NUMERIC.match(text)
    if numeric:
        first, second, year = int(numeric[1]), int(numeric[2]), int(numeric[3])
        if first > 12 >= second:
            return _in_range(_made(year, second, first, text), text)
        if second > 12 >= first:
            return _in_range(_made(year, first, second, text), text)
        if first != second:
            raise ValueError(f"ambiguous date {text!r}: day and month could be either way round; use YYYY-MM-DD")
        return _in_range(_made(year, first, second, text), text)
    for layout in _NAMED_LAYOUTS:
        try:
            return _in_range(datetime.strptime(text, layout).date(), text)
        except ValueError:
            continue
    try:  # e-mail and RSS dates: "Tue, 12 Mar 2024 10:00:00 GMT"
        return _in_range(parsedate_to_datetime(text).date(), text)
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    raise ValueError(f"unreadable date {text[:60]!r}; use YYYY-MM-DD")


def _made(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"no such date {text[:60]!r}") from None


def _in_range(found: date, text: str) -> date:
    latest = date.today().year + 1
    if not EARLIEST_YEAR <= found.year <= latest:
        raise ValueError(f"date {text[:60]!r} is out of range ({EARLIEST_YEAR}–{latest})")
    return found


def check_text(text: object, origin: str) -> str:
    """Refuse what is not text a pipeline can read (not a string, binary, broken Unicode, too
    long), with a reason; short texts pass (the geoparser takes a single place name)."""
    if not isinstance(text, str):
        raise BadArticle(origin, f"text must be a string, not {type(text).__name__}")
    if "\x00" in text:
        raise BadArticle(origin, "binary content (NUL bytes)")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise BadArticle(origin, f"invalid Unicode (lone surrogate at character {error.start})") from error
    if len(text) > MAX_ARTICLE_CHARS:
        raise BadArticle(origin, f"{len(text):,} characters; more than {MAX_ARTICLE_CHARS:,} is not an article")
    return text


def check(article: Article) -> Article:
    """Refuse what is not an article, with a reason."""
    origin = article.origin or "<input>"
    check_text(article.text, origin)
    if len(article.text.split()) < MIN_ARTICLE_WORDS:
        raise BadArticle(origin, "empty or fewer than 3 words")
    letters = sum(ch.isalpha() for ch in article.text[:5000])
    if letters < 0.4 * len(article.text[:5000].replace(" ", "").replace("\n", "")):
        raise BadArticle(origin, "mostly non-letters; not prose")
    return article


def from_mapping(row: dict[str, Any], origin: str, default_published: date | None = None) -> Article:
    """An article from one corpus row (JSON object or CSV row); raises BadArticle with the reason."""
    broken = next((str(key) for key, value in row.items() if has_undecodable_bytes(value)), None)
    if broken is not None:
        raise BadArticle(origin, f"not UTF-8 text (an invalid byte in {broken!r})")
    text = next((row[key] for key in _TEXT_KEYS if isinstance(row.get(key), str) and row[key].strip()), None)
    if text is None:
        raise BadArticle(origin, f"no text field (looked for {', '.join(_TEXT_KEYS)})")
    raw_date = next((row[key] for key in _DATE_KEYS if row.get(key)), None)
    try:
        published = parse_date(raw_date) or default_published
    except ValueError as error:
        raise BadArticle(origin, str(error)) from error
    return check(Article(text=text, published=published, title=_text(row.get("title")), url=_text(row.get("url")),
                         source=_text(row.get("source")), origin=origin))


def _text(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def _decode(data: bytes, origin: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadArticle(origin, f"not UTF-8 text (byte {error.start})") from error


def has_undecodable_bytes(value: Any) -> bool:
    """True for text holding bytes that were not UTF-8 (kept as lone surrogates on decoding)."""
    return isinstance(value, str) and any("\udc80" <= character <= "\udcff" for character in value)


def read_bytes(data: bytes, origin: str, suffix: str, published: date | None = None) -> Iterator[Record]:
    """Records of one file's bytes, read by the reader of ``suffix`` (lowercase)."""
    try:
        text = _decode(data, origin)
    except BadArticle as error:
        if suffix not in RECORD_SUFFIXES:
            yield error
            return
        # Each record with a bad byte is refused on its own; a file that gives no record at all
        # is refused as a whole, for the first bad byte.
        produced = False
        for record in reader_for(suffix)(data.decode("utf-8-sig", errors="surrogateescape"), origin, published):
            produced = True
            yield record
        if not produced:
            yield error
        return
    if not text.strip():
        yield BadArticle(origin, "empty file")
    else:
        yield from reader_for(suffix)(text, origin, published)


def read_file(path: Path, published: date | None = None) -> Iterator[Record]:
    """Records of one file; a file that cannot be read at all is one BadArticle."""
    origin = str(path)
    if not path.exists():
        yield BadArticle(origin, "no such file or folder")
        return
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            # A FIFO would block, a device (/dev/zero) never end: only regular files are read.
            yield BadArticle(origin, "not a regular file (a pipe, device or socket); give a file or '-'")
            return
        suffix = path.suffix.lower()
        if suffix not in RECORD_SUFFIXES and status.st_size > 4 * MAX_ARTICLE_CHARS:
            yield BadArticle(origin, f"{status.st_size:,} bytes; one article is at most {MAX_ARTICLE_CHARS:,} characters")
            return
        if suffix in LINE_READERS:
            yield from _stream_lines(path, suffix, published)
            return
        if status.st_size > MAX_WHOLE_FILE_BYTES:
            yield BadArticle(origin, f"{status.st_size:,} bytes is more than a {suffix or 'text'} file is read whole "
                             f"({MAX_WHOLE_FILE_BYTES:,}); split it, or make it JSON lines (.jsonl), which are streamed")
            return
        data = path.read_bytes()
    except OSError as error:
        yield BadArticle(origin, f"cannot read: {error.strerror}")
        return
    yield from read_bytes(data, origin, suffix, published)


def entries(paths: Iterable[str | Path]) -> Iterator[Path | BadArticle]:
    """Files under the given paths, folders walked in name order, '-' for standard input; and,
    as BadArticles with the reason, what a walk passes over: a file of a format no reader takes,
    a broken link, a folder that cannot be read. Hidden files and folders are left out quietly.
    A file named directly is always taken."""
    for raw in paths:
        path = Path(raw)
        if str(raw) == "-":
            yield path
        elif path.is_dir():
            # Name order across the whole tree ("a.csv" < "b/1.jsonl" < "c.html"), as a listing shows.
            yield from sorted(_walk(path), key=lambda entry: Path(entry.origin if isinstance(entry, BadArticle) else entry).parts)
        else:
            yield path  # a missing path is reported by read() as a bad record; the others go on


def _walk(folder: Path) -> Iterator[Path | BadArticle]:
    unreadable: list[OSError] = []
    for root, folders, files in os.walk(folder, onerror=unreadable.append):
        while unreadable:
            error = unreadable.pop()
            yield BadArticle(str(error.filename or root), f"cannot read the folder: {error.strerror}")
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            child = Path(root) / name
            if child.is_symlink() and not child.exists():
                yield BadArticle(str(child), "a broken link")
            elif child.suffix.lower() not in READERS:
                yield PassedOver(str(child), f"not a format warmonitor reads ({child.suffix or 'no suffix'}); "
                                             f"known: {', '.join(sorted(READERS))}")
            else:
                yield child
    while unreadable:
        error = unreadable.pop()
        yield BadArticle(str(error.filename or folder), f"cannot read the folder: {error.strerror}")


def discover(paths: Iterable[str | Path]) -> Iterator[Path]:
    """The files :func:`entries` finds, without what it passes over."""
    return (entry for entry in entries(paths) if isinstance(entry, Path))


def sniff_suffix(data: bytes) -> str:
    """The reader for bytes with no file name (standard input): JSON lines when the first line is
    a JSON object, a JSON array when the input starts with one, else one article of text."""
    body = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if body[:1] not in {b"[", b"{"}:
        return _FALLBACK_SUFFIX
    for candidate, suffix in ((body.split(b"\n", 1)[0], ".jsonl"), (body, ".json")):
        try:
            if isinstance(json.loads(candidate), dict | list):
                return ".jsonl" if suffix == ".jsonl" and body[:1] == b"{" else ".json"
        except (ValueError, RecursionError):
            continue
    return _FALLBACK_SUFFIX  # "{braces} in prose"


def read(paths: Iterable[str | Path], published: date | None = None) -> Iterator[Record]:
    """Every record under ``paths``, good or bad, in order."""
    for path in entries(paths):
        if isinstance(path, BadArticle):
            yield path
        elif str(path) == "-":
            data = sys.stdin.buffer.read()
            yield from read_bytes(data, "<stdin>", sniff_suffix(data), published)
        else:
            yield from read_file(path, published)
