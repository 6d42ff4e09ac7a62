"""Parquet (pyarrow): one row per record, nested fields flattened to ``actor1.name``-style
columns, lists as JSON text; written in row groups so a large export never sits in memory whole.

The columns are the record's flat columns (:data:`warmonitor.record.FLAT_COLUMNS`) plus those the
first batch adds (a canonical event's ``num_sources`` …), each typed from the values seen.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any, BinaryIO

from warmonitor.export.base import register_format
from warmonitor.record import FLAT_COLUMNS, flatten

_ROWS_PER_GROUP = 10_000
_FLOATS = frozenset({"confidence", "location.lat", "location.lon"})
_INTEGERS = frozenset({"fatalities", "location.geonames_id", "num_articles", "num_sources"})


def _batches(records: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(records)
    while batch := [flatten(record) for record in islice(iterator, _ROWS_PER_GROUP)]:
        yield batch


class ParquetExporter:
    name = "parquet"
    binary = True

    def write(self, records: Iterable[dict[str, Any]], output: BinaryIO) -> int:
        import pyarrow as pa
        import pyarrow.parquet as pq

        writer = None
        count = 0
        schema = None
        for batch in _batches(records):
            if schema is None:
                names = list(dict.fromkeys([*FLAT_COLUMNS, *(key for row in batch for key in row)]))
                schema = pa.schema([(name, pa.float64() if name in _FLOATS else pa.int64() if name in _INTEGERS
                                     else pa.string()) for name in names])
                writer = pq.ParquetWriter(output, schema, compression="zstd")
            columns = {field.name: [_cell(row.get(field.name), field.type) for row in batch] for field in schema}
            assert writer is not None
            writer.write_table(pa.table(columns, schema=schema))
            count += len(batch)
        if writer is None:  # nothing matched: still a readable file, with the record's columns
            schema = pa.schema([(name, pa.string()) for name in FLAT_COLUMNS])
            writer = pq.ParquetWriter(output, schema)
        writer.close()
        return count


def _cell(value: Any, kind: Any) -> Any:
    import pyarrow as pa

    if value is None:
        return None
    if kind == pa.string():
        return value if isinstance(value, str) else str(value)
    return value


register_format(ParquetExporter())
