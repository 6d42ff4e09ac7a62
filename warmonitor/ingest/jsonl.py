"""JSON corpora: one object a line (``.jsonl``, ``.ndjson``), or a ``.json`` object or array of objects.

Each object is read with :func:`~warmonitor.ingest.base.from_mapping`; a broken line or object is
one BadArticle and the rest of the file is still read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date

from warmonitor.errors import BadArticle
from warmonitor.ingest.base import Record, from_mapping, register_line_reader, register_reader

_MAX_INTEGER_DIGITS = 40


@register_reader(".jsonl", ".ndjson", records=True)
def read_jsonl(text: str, origin: str, published: date | None = None) -> Iterator[Record]:
    # Split on "\n" only, not splitlines: U+2028 is legal inside JSON.
    return read_json_lines(enumerate(text.split("\n"), start=1), origin, published)


@register_line_reader(".jsonl", ".ndjson")
def read_json_lines(lines: Iterable[tuple[int, str]], origin: str, published: date | None = None) -> Iterator[Record]:
    """Records of numbered JSON lines: a file's text split, or a large file streamed line by line."""
    for number, line in lines:
        if not line.strip():
            continue
        where = f"{origin}:{number}"
        try:
            row = _loads(line)
            if not isinstance(row, dict):
                raise BadArticle(where, "a JSON line must be an object")
            yield from_mapping(row, where, published)
        except json.JSONDecodeError as error:
            yield BadArticle(where, f"malformed JSON ({error.msg.removesuffix(' at')} at column {error.colno})")
        except RecursionError:
            yield BadArticle(where, "JSON nested too deeply")
        except BadArticle as error:
            yield error


def _number(digits: str) -> int | str:
    """A JSON integer; one too long for a number anyone means stays its digits (Python refuses
    to convert more than a few thousand, and no article field needs them)."""
    return int(digits) if len(digits) <= _MAX_INTEGER_DIGITS else digits


def _loads(text: str) -> object:
    return json.loads(text, parse_int=_number)


@register_reader(".json", records=True)
def read_json(text: str, origin: str, published: date | None = None) -> Iterator[Record]:
    try:
        value = _loads(text)
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
