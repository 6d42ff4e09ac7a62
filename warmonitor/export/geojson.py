"""GeoJSON: a FeatureCollection of Points, one feature a record, for QGIS, Leaflet and geopandas.

A record's point is its own ``lat``/``lon`` (a toponym) or its ``location``'s (an event); the
whole record is the feature's properties, so a feature reads back as the record it came from. A
record without a point is kept, with a null geometry, as GeoJSON allows: an export never loses a
record.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TextIO

from warmonitor.export.base import register_format, write_json_array


def feature(record: dict[str, Any]) -> dict[str, Any]:
    """The GeoJSON Feature of one record."""
    holder = record if "lat" in record else record.get("location") or {}
    lat, lon = holder.get("lat"), holder.get("lon")
    geometry = {"type": "Point", "coordinates": [lon, lat]} if lat is not None and lon is not None else None
    return {"type": "Feature", "geometry": geometry, "properties": record}


class GeoJsonExporter:
    name = "geojson"
    binary = False

    def write(self, records: Iterable[dict[str, Any]], output: TextIO) -> int:
        return write_json_array((feature(record) for record in records), output,
                                '{"type": "FeatureCollection", "features": [', "]}")


register_format(GeoJsonExporter())
