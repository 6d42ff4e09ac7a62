"""Output formats for records (events, toponyms), by name: ``jsonl``, ``csv``, ``geojson``,
``acled-csv``, ``plover-json`` and ``parquet``.

Each format is an :class:`Exporter` registered with :func:`register_format`; :func:`write_records`
writes records to a stream in the format named, :func:`export_records` to a file or stdout.
"""

from warmonitor.export.acled import AcledCsvExporter
from warmonitor.export.base import FORMATS, Exporter, export_records, get_format, register_format, write_records

# Importing a format module registers its exporter.
from warmonitor.export.csv import CsvExporter
from warmonitor.export.geojson import GeoJsonExporter
from warmonitor.export.jsonl import JsonLinesExporter
from warmonitor.export.parquet import ParquetExporter
from warmonitor.export.plover import PloverJsonExporter

# Formats that write one record per line or row, for commands that print events (events, extract).
RECORD_FORMATS = ("csv", "geojson", "jsonl")

__all__ = ["FORMATS", "RECORD_FORMATS", "AcledCsvExporter", "CsvExporter", "Exporter", "GeoJsonExporter",
           "JsonLinesExporter", "ParquetExporter", "PloverJsonExporter", "export_records", "get_format",
           "register_format", "write_records"]
