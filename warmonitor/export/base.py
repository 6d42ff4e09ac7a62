"""What every output format shares: the :class:`Exporter` protocol and the format registry."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any, Protocol, TextIO

from warmonitor.errors import ExportError


class Exporter(Protocol):
    """Writes records in one format under one ``name`` ("jsonl", "acled-csv"); a ``binary``
    format (Parquet) writes bytes, the others text."""

    name: str
    binary: bool

    def write(self, records: Iterable[dict[str, Any]], output: Any) -> int:
        """Write ``records`` to ``output``; returns how many were written."""
        ...


# Format name → exporter; filled as the format modules are imported.
FORMATS: dict[str, Exporter] = {}


def register_format(exporter: Exporter) -> Exporter:
    """Make ``exporter`` available under its name (replacing any format of that name)."""
    FORMATS[exporter.name] = exporter
    return exporter


def get_format(name: str) -> Exporter:
    """The exporter called ``name``; raises ValueError naming the known formats."""
    try:
        return FORMATS[name]
    except KeyError:
        raise ValueError(f"unknown output format {name!r}; known formats: {', '.join(sorted(FORMATS))}") from None


def write_each(records: Iterable[dict[str, Any]], write: Callable[[dict[str, Any]], object]) -> int:
    """Call ``write`` on each record; returns how many there were."""
    count = 0
    for record in records:
        write(record)
        count += 1
    return count


def write_json_array(items: Iterable[Any], output: TextIO, opening: str = "[", closing: str = "]") -> int:
    """A JSON array written item by item between ``opening`` and ``closing``, so that a large
    export never sits in memory whole; returns how many items were written."""
    output.write(opening + "\n")
    count = 0
    for item in items:
        output.write((",\n" if count else "") + json.dumps(item, ensure_ascii=False))
        count += 1
    output.write("\n" + closing + "\n")
    return count


def write_records(records: Iterable[dict[str, Any]], output: IO[Any], format_name: str) -> int:
    """Write records to an open stream in the named format; returns how many were written."""
    return get_format(format_name).write(records, output)


def export_records(records: Iterable[dict[str, Any]], output: str | Path | IO[Any] | None, format_name: str) -> int:
    """Write records to a file path (written whole or not at all: a temporary file renamed at the
    end), an open stream, or standard output (None or "-")."""
    exporter = get_format(format_name)
    if output is None or str(output) == "-":
        standard: IO[Any] = sys.stdout.buffer if exporter.binary else sys.stdout
        count = exporter.write(records, standard)
        standard.flush()
        return count
    if not isinstance(output, str | Path):
        return exporter.write(records, output)
    path = Path(output)
    partial = path.with_name(f".{path.name}.partial")
    try:
        with (partial.open("wb") if exporter.binary else partial.open("w", encoding="utf-8", newline="")) as stream:
            count = exporter.write(records, stream)
        partial.replace(path)
    except OSError as error:
        raise ExportError(f"cannot write {path}: {error.strerror or error}") from error
    finally:
        partial.unlink(missing_ok=True)
    return count
