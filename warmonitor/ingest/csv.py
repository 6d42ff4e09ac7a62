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
