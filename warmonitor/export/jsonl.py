"""JSON lines: one event record a line, as nested as the record itself."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from warmonitor.export.base import register_format


class JsonLinesExporter:
    name = "jsonl"

    def write(self, records: Iterable[dict[str, Any]], output: TextIO) -> int:
        count = 0
        for record in records:
            output.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
        return count


register_format(JsonLinesExporter())
