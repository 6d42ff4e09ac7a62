"""Plain-text files: the whole file is one article (raw prose or the lowercased tokenized shape)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from warmonitor.errors import BadArticle
from warmonitor.ingest.base import Record, check, register_reader
from warmonitor.model import Article


@register_reader(".txt", ".text")
def read_text(text: str, origin: str, published: date | None = None) -> Iterator[Record]:
    try:
        yield check(Article(text=text, published=published, origin=origin))
    except BadArticle as error:
        yield error
