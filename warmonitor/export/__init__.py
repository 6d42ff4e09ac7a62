"""Output formats for records (events, toponyms), by name: ``jsonl``, ``csv`` and ``geojson``.

Each format is an :class:`Exporter` registered with :func:`register_format`; :func:`write_records`
writes records in the format named.
"""

from warmonitor.export.base import FORMATS, Exporter, get_format, register_format, write_records

# Importing a format module registers its exporter.
from warmonitor.export.csv import CsvExporter
from warmonitor.export.geojson import GeoJsonExporter
from warmonitor.export.jsonl import JsonLinesExporter

__all__ = ["FORMATS", "CsvExporter", "Exporter", "GeoJsonExporter", "JsonLinesExporter", "get_format", "register_format",
           "write_records"]
