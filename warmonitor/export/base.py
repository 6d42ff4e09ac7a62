"""What every output format shares: the :class:`Exporter` protocol and the format registry."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol, TextIO


class Exporter(Protocol):
    """Writes event records in one format under one ``name`` ("jsonl", "csv")."""

    name: str

    def write(self, records: Iterable[dict[str, Any]], output: TextIO) -> int:
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


def write_records(records: Iterable[dict[str, Any]], output: TextIO, format_name: str) -> int:
    """Write event records to ``output`` in the named format; returns how many were written."""
    return get_format(format_name).write(records, output)
