"""What every reader shares: the record type, the checks an article must pass, and the reader registry.

A reader turns the decoded text of one file into records; it is registered for the file suffixes it
reads with :func:`register_reader`. :func:`read` walks files and folders and hands each file to the
reader of its suffix, falling back to plain text.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from warmonitor.errors import BadArticle
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


def register_reader(*suffixes: str) -> Callable[[Reader], Reader]:
    """Decorator: read files ending in ``suffixes`` (".md", ...) with the decorated reader."""
    for suffix in suffixes:
        if not suffix.startswith("."):
            raise ValueError(f"a reader's suffix starts with a dot: {suffix!r}")

    def register(reader: Reader) -> Reader:
        for suffix in suffixes:
            READERS[suffix.lower()] = reader
        return reader

    return register


def reader_for(suffix: str) -> Reader:
    """The reader registered for ``suffix`` (lowercase), else the plain-text reader."""
    reader = READERS.get(suffix)
    return reader if reader is not None else READERS[_FALLBACK_SUFFIX]


def parse_date(value: Any) -> date | None:
    """A publication date from metadata; raises ValueError for one that is not a date."""
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    text = str(value).strip()
    match = re.match(r"^(\d{4})-(\d{2})-(\d{2})", text)
    if match:
        return date(int(match[1]), int(match[2]), int(match[3]))
    for layout in ("%d %B %Y", "%B %d, %Y", "%d/%m/%Y", "%Y%m%d", "%a, %d %b %Y %H:%M:%S %z"):
        try:
            return datetime.strptime(text, layout).date()
        except ValueError:
            continue
    raise ValueError(f"unreadable date {text!r}; use YYYY-MM-DD")


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


def read_bytes(data: bytes, origin: str, suffix: str, published: date | None = None) -> Iterator[Record]:
    """Records of one file's bytes, read by the reader of ``suffix`` (lowercase)."""
    try:
        text = _decode(data, origin)
    except BadArticle as error:
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
        data = path.read_bytes()
    except OSError as error:
        yield BadArticle(origin, f"cannot read: {error.strerror}")
        return
    yield from read_bytes(data, origin, path.suffix.lower(), published)


def discover(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files under the given paths, folders walked in name order; '-' is standard input.

    In a folder only files with a registered suffix are taken; a file named directly is always taken."""
    for raw in paths:
        path = Path(raw)
        if str(raw) == "-":
            yield path
        elif path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in READERS and not child.name.startswith("."):
                    yield child
        else:
            yield path  # a missing path is reported by read() as a bad record; the others go on


def read(paths: Iterable[str | Path], published: date | None = None) -> Iterator[Record]:
    """Every record under ``paths``, good or bad, in order."""
    for path in discover(paths):
        if str(path) == "-":
            yield from read_bytes(sys.stdin.buffer.read(), "<stdin>", _FALLBACK_SUFFIX, published)
        else:
            yield from read_file(path, published)
