"""The physical layers' data: lakes (with the 1960 Aral Sea), rivers and the relief grid.

Built by ``make geo`` (tools/geo_physical.py) into ``lakes.geojson``, ``rivers.geojson``,
``relief.png`` and ``physical.json``; read here after the first paint (never for it), projected
once into map metres. Qt-free: the render side turns these arrays into paths and an image.
Each lake and named river has a stable id (``lake-balkhash``, ``river-amu-darya``, …; the
list is in ``physical.json`` and SOURCES.md), by which the names layer attaches its names.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from silkmap.core.errors import DataError
from silkmap.core.resources import asset_path

LAKES_FILE = "lakes.geojson"
RIVERS_FILE = "rivers.geojson"
RELIEF_FILE = "relief.png"
MANIFEST_FILE = "physical.json"
RIVER_CLASSES = (1, 2, 3, 4)  # 1 widest


@dataclass(frozen=True)
class Water:
    id: str
    kind: str  # lakes: "lake" | "historic"; rivers: "river"
    klass: int  # rivers: width class, 1 widest; lakes: 0
    parts: tuple  # lakes: tuple of polygons, each a tuple of (n, 2) ring arrays; rivers: (n, 2) lines


@dataclass(frozen=True)
class ReliefGrid:
    left_m: float
    top_m: float
    m_per_px: float
    width: int
    height: int
    neutral: int
    gain: float


@dataclass(frozen=True)
class Physical:
    lakes: tuple[Water, ...]
    rivers: tuple[Water, ...]
    relief: ReliefGrid

    def lake(self, wid: str) -> Water:
        return next(w for w in self.lakes if w.id == wid)

    def river(self, wid: str) -> Water:
        return next(w for w in self.rivers if w.id == wid)


def _read_json(name: str):
    path = asset_path(name)
    try:
        return path, json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise DataError(path, f"cannot be read: {exc}") from None


def _project(coords, path, fid):
    import numpy as np

    from silkmap.core.projection import project_coords

    try:
        xy = np.asarray(coords, dtype=float)
    except (TypeError, ValueError):
        raise DataError(path, "coordinates are not numbers", feature=fid) from None
    if xy.ndim != 2 or xy.shape[1] < 2 or len(xy) < 2 or not np.isfinite(xy).all():
        raise DataError(path, "coordinates are not lon/lat pairs", feature=fid)
    return project_coords(xy[:, :2])


def _features(name: str, allowed: set[str]):
    path, data = _read_json(name)
    feats = data.get("features") if isinstance(data, dict) else None
    if not isinstance(feats, list):
        raise DataError(path, "is not a GeoJSON FeatureCollection")
    for f in feats:
        props = f.get("properties") if isinstance(f, dict) else None
        geom = f.get("geometry") if isinstance(f, dict) else None
        fid = props.get("id") if isinstance(props, dict) else None
        if not isinstance(fid, str) or not isinstance(geom, dict) or geom.get("type") not in allowed:
            raise DataError(path, "a feature without an id or with an unexpected geometry", feature=str(fid))
        yield path, fid, props, geom


def load_lakes() -> tuple[Water, ...]:
    out = []
    for path, fid, props, geom in _features(LAKES_FILE, {"Polygon", "MultiPolygon"}):
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        parts = tuple(tuple(_project(ring, path, fid) for ring in poly) for poly in polys)
        kind = props.get("kind")
        if kind not in ("lake", "historic"):
            raise DataError(path, f"unknown kind {kind!r}", feature=fid, field="kind")
        out.append(Water(fid, kind, 0, parts))
    return tuple(out)


def load_rivers() -> tuple[Water, ...]:
    out = []
    for path, fid, props, geom in _features(RIVERS_FILE, {"LineString", "MultiLineString"}):
        lines = geom["coordinates"] if geom["type"] == "MultiLineString" else [geom["coordinates"]]
        klass = props.get("class")
        if klass not in RIVER_CLASSES:
            raise DataError(path, f"width class {klass!r} is not one of {RIVER_CLASSES}", feature=fid, field="class")
        out.append(Water(fid, "river", klass, tuple(_project(line, path, fid) for line in lines)))
    return tuple(out)


def load_relief_grid() -> ReliefGrid:
    path, data = _read_json(MANIFEST_FILE)
    try:
        g = data["relief"]
        return ReliefGrid(float(g["left_m"]), float(g["top_m"]), float(g["m_per_px"]), int(g["width"]),
                          int(g["height"]), int(g["neutral"]), float(g["gain"]))
    except (KeyError, TypeError, ValueError):
        raise DataError(path, "has no valid relief grid", field="relief") from None


def load_physical() -> Physical:
    return Physical(load_lakes(), load_rivers(), load_relief_grid())
