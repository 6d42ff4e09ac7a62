"""Ingest stage: files and folders in, :class:`Article` records (or reasons for refusal) out.

Formats, by extension: ``.txt`` (one article a file, raw prose or the lowercased tokenized shape),
``.jsonl``/``.ndjson`` and ``.csv`` corpora (columns text/title/date/url/source; ``content``,
``body``, ``published`` and ``publish_date`` are read too), ``.html``/``.htm`` pages (paragraph text).
A record that cannot be read becomes a :class:`BadArticle` with its reason and the batch goes on.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from warmonitor.errors import BadArticle
from warmonitor.model import Article

MAX_ARTICLE_CHARS = 500_000
MIN_ARTICLE_WORDS = 3
_TEXT_KEYS = ("text", "content", "body", "article", "full_text", "doc_text", "notes")
_DATE_KEYS = ("date", "published", "publish_date", "pub_date", "publication_date", "event_date", "dltime")
_EXTENSIONS = {".txt", ".text", ".jsonl", ".ndjson", ".json", ".csv", ".html", ".htm"}

Record = Article | BadArticle


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


def check(article: Article) -> Article:
    """Refuse what is not an article, with a reason."""
    origin = article.origin or "<input>"
    if "\x00" in article.text:
        raise BadArticle(origin, "binary content (NUL bytes)")
    try:
        article.text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise BadArticle(origin, f"invalid Unicode (lone surrogate at character {error.start})") from error
    if len(article.text) > MAX_ARTICLE_CHARS:
        raise BadArticle(origin, f"{len(article.text):,} characters; more than {MAX_ARTICLE_CHARS:,} is not an article")
    if len(article.text.split()) < MIN_ARTICLE_WORDS:
        raise BadArticle(origin, "empty or fewer than 3 words")
    letters = sum(ch.isalpha() for ch in article.text[:5000])
    if letters < 0.4 * len(article.text[:5000].replace(" ", "").replace("\n", "")):
        raise BadArticle(origin, "mostly non-letters; not prose")
    return article


def from_mapping(row: dict[str, Any], origin: str, default_published: date | None = None) -> Article:
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


def read_jsonl(text: str, origin: str, published: date | None = None) -> Iterator[Record]:
    for number, line in enumerate(text.split("\n"), start=1):  # not splitlines: U+2028 is legal inside JSON
        if not line.strip():
            continue
        where = f"{origin}:{number}"
        try:
            row = json.loads(line)
            if not isinstance(row, dict):
                raise BadArticle(where, "a JSON line must be an object")
            yield from_mapping(row, where, published)
        except json.JSONDecodeError as error:
            yield BadArticle(where, f"malformed JSON ({error.msg} at column {error.colno})")
        except RecursionError:
            yield BadArticle(where, "JSON nested too deeply")
        except BadArticle as error:
            yield error


def read_csv(text: str, origin: str, published: date | None = None) -> Iterator[Record]:
    csv.field_size_limit(MAX_ARTICLE_CHARS * 4)
    reader = csv.DictReader(io.StringIO(text))
    number = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:  # one broken row; the rows after it are still read
            number = reader.line_num
            yield BadArticle(f"{origin}:{number}", f"malformed CSV row: {error}")
            continue
        number = reader.line_num
        try:
            yield from_mapping({k: v for k, v in row.items() if k is not None}, f"{origin}:{number}", published)
        except BadArticle as error:
            yield error


_VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}


class _Paragraphs(HTMLParser):
    """Paragraph text (<p>, <h2>, <h3>, list items, quotes) and the title (<title>, else <h1>);
    scripts, styles and navigation dropped. The headline stays out of the body: it is metadata,
    and a verbless headline ("Clashes near Aleppo") would be coded as a second event."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: str | None = None
        self.published: str | None = None
        self.headline: str | None = None
        self._stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID_TAGS:  # <meta>, <br> never close: keep them off the stack
            self._stack.append(tag)
        values = dict(attrs)
        if tag == "meta" and (values.get("property") or values.get("name") or "") in {
                "article:published_time", "date", "pubdate", "og:published_time"}:
            self.published = values.get("content")
        if tag in {"p", "h1", "h2", "h3", "br", "div", "li", "blockquote"}:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        while self._stack and self._stack.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if any(tag in {"script", "style", "nav", "footer", "header", "aside", "noscript"} for tag in self._stack):
            return
        if self._stack and self._stack[-1] == "title":
            self.title = (self.title or "") + data.strip()
            return
        if "h1" in self._stack:
            self.headline = (self.headline or "") + data.strip()
            return
        if any(tag in {"p", "h2", "h3", "li", "blockquote"} for tag in self._stack):
            self.parts.append(data)


def read_html(text: str, origin: str, published: date | None = None) -> Iterator[Record]:
    parser = _Paragraphs()
    try:
        parser.feed(text)
    except (AssertionError, ValueError) as error:
        yield BadArticle(origin, f"unreadable HTML: {error}")
        return
    # Blank lines between blocks: a headline or paragraph never runs into the next one.
    body = "\n\n".join(" ".join(p.split()) for p in "".join(parser.parts).split("\n") if p.strip())
    try:
        when = parse_date(parser.published) if parser.published else published
        yield check(Article(text=body, published=when, title=parser.title or parser.headline, origin=origin))
    except (BadArticle, ValueError) as error:
        yield error if isinstance(error, BadArticle) else BadArticle(origin, str(error))


def read_text(text: str, origin: str, published: date | None = None) -> Iterator[Record]:
    try:
        yield check(Article(text=text, published=published, origin=origin))
    except BadArticle as error:
        yield error


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


def read_bytes(data: bytes, origin: str, suffix: str, published: date | None = None) -> Iterator[Record]:
    try:
        text = _decode(data, origin)
    except BadArticle as error:
        yield error
        return
    if not text.strip():
        yield BadArticle(origin, "empty file")
    elif suffix in {".jsonl", ".ndjson"}:
        yield from read_jsonl(text, origin, published)
    elif suffix == ".json":
        yield from _read_json(text, origin, published)
    elif suffix == ".csv":
        yield from read_csv(text, origin, published)
    elif suffix in {".html", ".htm"}:
        yield from read_html(text, origin, published)
    else:
        yield from read_text(text, origin, published)


def _read_json(text: str, origin: str, published: date | None) -> Iterator[Record]:
    try:
        value = json.loads(text)
    except RecursionError:
        yield BadArticle(origin, "JSON nested too deeply")
        return
    except json.JSONDecodeError:
        yield from read_jsonl(text, origin, published)  # many ".json" corpora are JSON lines
        return
    rows = value if isinstance(value, list) else [value]
    for number, row in enumerate(rows, start=1):
        try:
            if not isinstance(row, dict):
                raise BadArticle(f"{origin}[{number}]", "a JSON article must be an object")
            yield from_mapping(row, f"{origin}[{number}]", published)
        except BadArticle as error:
            yield error


def discover(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files under the given paths, folders walked in name order; '-' is standard input."""
    for raw in paths:
        path = Path(raw)
        if str(raw) == "-":
            yield path
        elif path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in _EXTENSIONS and not child.name.startswith("."):
                    yield child
        else:
            yield path  # a missing path is reported by read() as a bad record; the others go on


def read(paths: Iterable[str | Path], published: date | None = None) -> Iterator[Record]:
    """Every record under ``paths``, good or bad, in order."""
    for path in discover(paths):
        if str(path) == "-":
            yield from read_bytes(sys.stdin.buffer.read(), "<stdin>", ".txt", published)
        else:
            yield from read_file(path, published)
