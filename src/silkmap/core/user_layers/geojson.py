"""GeoJSON (RFC 7946): a FeatureCollection, a Feature or a bare geometry, in WGS84.

The obsolete ``crs`` member of 2008 GeoJSON is honoured when it names a CRS pyproj knows (a
file exported in a national grid still lands in the right place); an unknown one is an error,
never a guess.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from silkmap.core.errors import shown
from silkmap.core.user_layers.files import read_bytes, text_of
from silkmap.core.user_layers.model import WGS84, Collector, Limits, Progress, UserData

_WGS84_NAMES = {"urn:ogc:def:crs:ogc:1.3:crs84", "urn:ogc:def:crs:epsg::4326", "epsg:4326",
                "crs84", "ogc:crs84", "wgs84"}
MAX_DEPTH = 8  # geometry collections inside collections


def _crs(doc: dict, col: Collector):
    crs = doc.get("crs")
    if crs is None:
        return WGS84
    name = crs.get("properties", {}).get("name") if isinstance(crs, dict) and isinstance(crs.get("properties"), dict) else None
    if not isinstance(name, str):
        raise col.error(f"has a 'crs' member that names no coordinate reference system: {shown(crs)}")
    if name.strip().lower() in _WGS84_NAMES:
        return WGS84
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    try:
        CRS.from_user_input(name)
    except (CRSError, TypeError, ValueError):
        raise col.error(f"has an unknown coordinate reference system {shown(name)}") from None
    return name


def _position(value, col: Collector, where: str) -> tuple[float, float]:
    if (not isinstance(value, list) or not 2 <= len(value) <= 4
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)):
        raise col.error(f"has a position that is not [longitude, latitude]: {shown(value)}", feature=where)
    x, y = float(value[0]), float(value[1])
    if not (math.isfinite(x) and math.isfinite(y)):
        raise col.error(f"has a position that is not a finite number: {shown(value)}", feature=where)
    return x, y


def _positions(value, col: Collector, where: str) -> list:
    if not isinstance(value, list):
        raise col.error(f"has coordinates that are not a list: {shown(value)}", feature=where)
    return [_position(p, col, where) for p in value]


def _rings(value, col: Collector, where: str) -> list:
    if not isinstance(value, list) or not value:
        raise col.error(f"has a polygon that is not a list of rings: {shown(value)}", feature=where)
    return [_positions(r, col, where) for r in value]


def _list(value, col: Collector, where: str) -> list:
    if not isinstance(value, list):
        raise col.error(f"has coordinates that are not a list: {shown(value)}", feature=where)
    return value


def geometry(geom, fid: int, col: Collector, where: str, depth: int = 0) -> None:
    """Add ``geom``'s parts to feature ``fid``."""
    if not isinstance(geom, dict):
        raise col.error(f"has a geometry that is not an object: {shown(geom)}", feature=where)
    kind = geom.get("type")
    if kind == "GeometryCollection":
        if depth >= MAX_DEPTH:
            raise col.error("has geometry collections nested too deeply", feature=where)
        for g in _list(geom.get("geometries"), col, where):
            geometry(g, fid, col, where, depth + 1)
        return
    coords = geom.get("coordinates")
    if kind == "Point":
        col.point(fid, *_position(coords, col, where))
    elif kind == "MultiPoint":
        for p in _positions(coords, col, where):
            col.point(fid, *p)
    elif kind == "LineString":
        col.line(fid, _positions(coords, col, where))
    elif kind == "MultiLineString":
        for line in _list(coords, col, where):
            col.line(fid, _positions(line, col, where))
    elif kind == "Polygon":
        col.polygon(fid, _rings(coords, col, where))
    elif kind == "MultiPolygon":
        for poly in _list(coords, col, where):
            col.polygon(fid, _rings(poly, col, where))
    else:
        raise col.error(f"has an unknown geometry type {shown(kind)}", feature=where)


def read_geojson(path: Path, limits: Limits, progress: Progress) -> UserData:
    col = Collector(path, limits)
    text = text_of(path, read_bytes(path, limits), "GeoJSON")
    progress(0.2)
    try:
        doc = json.loads(text, parse_constant=lambda c: math.nan)  # NaN/Infinity: caught below
    except json.JSONDecodeError as exc:
        raise col.error(f"is not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
    except RecursionError:
        raise col.error("is not valid JSON (nested too deeply)") from None
    progress(0.5)
    if not isinstance(doc, dict):
        raise col.error(f"is not a GeoJSON object (the top level is {type(doc).__name__})")
    kind = doc.get("type")
    crs = _crs(doc, col)
    if kind == "FeatureCollection":
        features = doc.get("features")
        if not isinstance(features, list):
            raise col.error("is a FeatureCollection without a 'features' list")
    elif kind == "Feature":
        features = [doc]
    elif isinstance(kind, str) and kind in _GEOMETRIES:
        features = [{"type": "Feature", "geometry": doc, "properties": {}}]
    else:
        raise col.error(f"is not GeoJSON (its 'type' is {shown(kind)}, not FeatureCollection, "
                        "Feature or a geometry)")
    step = max(1, len(features) // 20)
    for i, f in enumerate(features):
        where = f"feature {i + 1}"
        if not isinstance(f, dict) or f.get("type") != "Feature":
            raise col.error("is not a GeoJSON Feature", feature=where)
        props = f.get("properties")
        if props is None:
            props = {}
        if not isinstance(props, dict):
            raise col.error(f"has 'properties' that are not an object: {shown(props)}", feature=where)
        if f.get("geometry") is None:  # allowed by the standard: a feature with no place
            continue
        fid = col.feature(props)
        geometry(f["geometry"], fid, col, where)
        if i % step == 0:
            progress(0.5 + 0.4 * i / len(features))
    return col.finish("GeoJSON", crs)


_GEOMETRIES = {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon",
               "GeometryCollection"}
