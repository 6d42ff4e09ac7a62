"""CSV: one row an event, one fixed column per flattened field of the record (``actor1.name``, ...)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, TextIO

from warmonitor.export.base import register_format, write_each
from warmonitor.record import FLAT_COLUMNS, flatten


class CsvExporter:
    name = "csv"
    binary = False

    def write(self, records: Iterable[dict[str, Any]], output: TextIO) -> int:
        # A fixed header: the columns do not depend on which fields the first record happens to fill.
        writer = csv.DictWriter(output, fieldnames=FLAT_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        return write_each(records, lambda record: writer.writerow(flatten(record)))


register_format(CsvExporter())
