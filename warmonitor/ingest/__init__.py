"""Ingest stage: files and folders in, :class:`Article` records (or reasons for refusal) out.

Formats, by suffix: ``.txt`` (one article a file, raw prose or the lowercased tokenized shape),
``.jsonl``/``.ndjson``/``.json`` and ``.csv`` corpora (columns text/title/date/url/source; ``content``,
``body``, ``published`` and ``publish_date`` are read too), ``.html``/``.htm`` pages (paragraph text).
Each format is a reader registered for its suffixes; :func:`register_reader` adds another.
A record that cannot be read becomes a :class:`BadArticle` with its reason and the batch goes on.
"""

from warmonitor.ingest.base import (
    EARLIEST_YEAR,
    MAX_ARTICLE_CHARS,
    READERS,
    RECORD_SUFFIXES,
    Reader,
    Record,
    check,
    discover,
    from_mapping,
    parse_date,
    read,
    read_bytes,
    read_file,
    reader_for,
    register_reader,
    sniff_suffix,
)

# Importing a format module registers its reader.
from warmonitor.ingest.csv import read_csv
from warmonitor.ingest.html import read_html
from warmonitor.ingest.jsonl import read_json, read_jsonl
from warmonitor.ingest.text import read_text

__all__ = [
    "EARLIEST_YEAR",
    "MAX_ARTICLE_CHARS",
    "READERS",
    "RECORD_SUFFIXES",
    "Reader",
    "Record",
    "check",
    "discover",
    "from_mapping",
    "parse_date",
    "read",
    "read_bytes",
    "read_csv",
    "read_file",
    "read_html",
    "read_json",
    "read_jsonl",
    "read_text",
    "reader_for",
    "register_reader",
    "sniff_suffix",
]
