"""CSV corpora: one article a row, columns as for JSON (text/title/date/url/source and their aliases)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date

from warmonitor.errors import BadArticle
from warmonitor.ingest.base import MAX_ARTICLE_CHARS, Record, from_mapping, register_reader


@register_reader(".csv", records=True)
def read_csv(text: str, origin: str, published: date | None = None) -> Iterator[Record]:
    """Rows read strictly: a row the CSV rules cannot read (an unterminated quote, a stray quote)
    is one BadArticle, and reading starts again on the line after it, so that one bad quote never
    swallows the rest of the file into one field. A refused row that ran over several lines,
    some of which are whole rows on their own, was a stray quote too: it costs its first line
    only, and reading starts again on the next."""
    csv.field_size_limit(MAX_ARTICLE_CHARS * 4)
    # Lines as the CSV reader counts them (split at "\n" only, not at every Unicode line break).
    lines = [line + "\n" for line in text.split("\n")]
    lines[-1] = lines[-1][:-1]
    if not lines[-1]:
        lines.pop()
    header: list[str] | None = None
    start = 0  # lines of the file before the part being read
    while start < len(lines):
        reader = csv.DictReader(io.StringIO("".join(lines[start:])), fieldnames=header, strict=True)
        done = 0  # lines of this part read into good rows (and the header)
        restart: int | None = None
        try:
            if header is None:
                header = list(reader.fieldnames or [])
                done = reader.line_num
            for row in reader:
                first, done = start + done + 1, reader.line_num
                number = start + done
                try:
                    yield from_mapping({k: v for k, v in row.items() if k is not None}, f"{origin}:{number}", published)
                except BadArticle as error:
                    if number > first and _holds_whole_rows(lines[first:number], header, published):
                        yield BadArticle(f"{origin}:{first}", f"{error.reason} (a stray quote ran it over the rows after it)")
                        restart = first
                        break
                    yield error
            if restart is None:
                return
            start = restart
        except csv.Error as error:
            bad = start + done + 1
            yield BadArticle(f"{origin}:{bad}", f"malformed CSV row: {error}")
            if header is None or not header:
                return
            start = bad  # the line after the bad row's first line


def _holds_whole_rows(lines: list[str], header: list[str], published: date | None) -> bool:
    """Whether any of these lines is, on its own, a row that reads as an article."""
    for line in lines:
        try:
            values = next(csv.reader([line], strict=True))
        except (csv.Error, StopIteration):
            continue
        if len(values) != len(header):
            continue
        try:
            from_mapping(dict(zip(header, values, strict=True)), "", published)
            return True
        except BadArticle:
            continue
    return False
