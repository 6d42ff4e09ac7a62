"""JSON lines: one event record a line, as nested as the record itself."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from warmonitor.export.base import register_format, write_each


class JsonLinesExporter:
    name = "jsonl"
    binary = False

    def write(self, records: Iterable[dict[str, Any]], output: TextIO) -> int:
        return write_each(records, lambda record: output.write(json.dumps(record, ensure_ascii=False) + "\n"))


register_format(JsonLinesExporter())
