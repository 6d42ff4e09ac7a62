"""CSV corpora: one article a row, columns as for JSON (text/title/date/url/source and their aliases)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date

from warmonitor.errors import BadArticle
from warmonitor.ingest.base import MAX_ARTICLE_CHARS, Record, from_mapping, register_reader


@register_reader(".csv")
def read_csv(text: str, origin: str, published: date | None = None) -> Iterator[Record]:
    """Rows read strictly: a row the CSV rules cannot read (an unterminated quote, a stray quote)
    is one BadArticle, and reading starts again on the line after it, so that one bad quote never
    swallows the rest of the file into one field."""
    csv.field_size_limit(MAX_ARTICLE_CHARS * 4)
    lines = text.splitlines(keepends=True)
    header: list[str] | None = None
    start = 0  # lines of the file before the part being read
    while start < len(lines):
        reader = csv.DictReader(io.StringIO("".join(lines[start:])), fieldnames=header, strict=True)
        done = 0  # lines of this part read into good rows (and the header)
        try:
            if header is None:
                header = list(reader.fieldnames or [])
                done = reader.line_num
            for row in reader:
                number = start + reader.line_num
                done = reader.line_num
                try:
                    yield from_mapping({k: v for k, v in row.items() if k is not None}, f"{origin}:{number}", published)
                except BadArticle as error:
                    yield error
            return
        except csv.Error as error:
            bad = start + done + 1
            yield BadArticle(f"{origin}:{bad}", f"malformed CSV row: {error}")
            if header is None or not header:
                return
            start = bad  # the line after the bad row's first line
