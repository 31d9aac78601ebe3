"""The home view's geometry, projected in advance, so the first paint needs no numpy, shapely
or pyproj and no GeoJSON parsing.

``assets/geo/home-view.bin`` is made by ``make geo`` (``tools/build_geo.py``, which calls
``build`` with ``atlas.load_atlas_from_sources()``) from the 1:50m boundaries, the places, the routes and the projects, with silkmap's
own loaders, and holds what they compute: the country outlines in map metres, their bounds,
areas and label anchors, the places' and projects' positions, the routes' great-circle
lines, and the latest year's map (``timeline.as_of``: the partnership levels, the routes' and
projects' status and the trade the home view shows), so the first paint reads no dated facts. Its outlines are accepted only while the 1:50m file's fingerprint matches the one recorded
(``load``); a place, project or route is used only where its coordinates or waypoints are
still those it was computed from; the latest year's map only while the files it is made of
(``LATEST_SOURCES``) match their recorded fingerprints. Anything else is computed by the loaders as before, so the
file can never show data other than the sources' (a test checks that it is up to date).

Format (all little-endian)::

    8 bytes   magic b"SILKMAPH"
    uint32    format version (2)
    uint32    n: length of the header
    n bytes   header: UTF-8 JSON (keys below)
    rest      float64 array: every coordinate, x and y interleaved, in map metres

Header: ``sources`` {"countries-50m.geojson": fingerprint}, ``coordinates`` (number of x, y
points in the array), ``projection`` (PROJ string), ``countries``
[{iso3, iso_n3, names, role, bounds [x0, y0, x1, y1], area, anchor [x, y], rings [[offset, n],
…]}], ``points`` [[lon, lat, x, y], …] (places, projects, label anchors), ``routes`` [{id,
waypoints [[lon, lat], …], km, line [offset, n]}], ``latest`` {year, sources {name: fingerprint},
level, route_status, project_status {id: value or null}, trade {iso3: [US$ or null, source id
or null]}}, ``payload`` (the fingerprint of the float64 array). A fingerprint is
``"<length>:<CRC-32 in hex>"`` (``fingerprint``). Offsets and counts are in points of the
float64 array. Floats in the header are exact (JSON keeps a float's shortest repr).
"""

from __future__ import annotations

import json
import struct
import sys
import threading
from array import array
from pathlib import Path

from silkmap.core.geo import Country

MAGIC = b"SILKMAPH"
VERSION = 2  # 2: fingerprints instead of SHA-256 digests
FILE = "home-view.bin"
SOURCES = ("countries-50m.geojson",)  # what the outlines are made from
LATEST_SOURCES = ("dated.json", "profiles.json", "routes.json")  # what the latest year's map is made from


def fingerprint(data: bytes) -> str:
    """Length and CRC-32: what tells a changed or damaged file from the one the prebuilt file
    was made from. An edit that changes the length always shows; one that keeps it shows for
    certain when its changed bits lie within 32 bits of each other (a flipped bit, two swapped
    bytes), otherwise but for one chance in 2³². Not a defence against a crafted file, which
    could as well replace the sources themselves; zlib is loaded already, where hashlib would
    load OpenSSL (≈3 ms of the start-up)."""
    import zlib

    return f"{len(data)}:{zlib.crc32(data):08x}"


def _fingerprint(path: Path) -> str:
    """The fingerprint of a regular data file; "" for anything else (missing, a FIFO, a device,
    too large), which matches none recorded — never a wait on a pipe or an endless read."""
    from silkmap.core.errors import DataError
    from silkmap.core.validate import read_data_bytes

    try:
        return fingerprint(read_data_bytes(path))
    except DataError:
        return ""


class Prebuilt:
    """The decoded file: plain Python data, no numpy."""

    def __init__(self, header: dict, coords: array) -> None:
        self.header = header
        self.coords = coords
        self._points = {(lon, lat): (x, y) for lon, lat, x, y in header["points"]}
        self._routes = {r["id"]: r for r in header["routes"]}
        self._country = {c["iso3"]: c for c in header["countries"]}
        self._latest = None

    def year_state(self, year: int):
        """The map of ``year`` (a core.years.YearState) if it is the latest year's, recorded
        from sources that still match; else None (``timeline.as_of`` computes it)."""
        latest = self.header.get("latest")
        if not latest or latest["year"] != year:
            return None
        if self._latest is None:
            from types import MappingProxyType as ro

            from silkmap.core.years import YearState

            self._latest = YearState(
                year=year, level=ro(dict(latest["level"])), route_status=ro(dict(latest["route_status"])),
                project_status=ro(dict(latest["project_status"])),
                trade=ro({iso3: (None if v is None else float(v), sid) for iso3, (v, sid) in latest["trade"].items()}))
        return self._latest

    def _slice(self, offset: int, n: int) -> array:
        return self.coords[2 * offset:2 * (offset + n)]

    def country_rings(self, iso3: str) -> list[array]:
        """The rings of a country's outline (exteriors and holes), flat x, y in map metres."""
        c = self._country[iso3]
        return [self._slice(o, n) for o, n in c["rings"]]

    def project(self, lon: float, lat: float) -> tuple[float, float] | None:
        return self._points.get((lon, lat))

    def route_line(self, rid: str, waypoints) -> tuple[list[tuple[float, float]], float] | None:
        """The drawn line and geodesic length of a route whose waypoints are unchanged."""
        r = self._routes.get(rid)
        if r is None or [list(w) for w in waypoints] != r["waypoints"]:
            return None
        flat = self._slice(*r["line"])
        return list(zip(flat[0::2], flat[1::2])), r["km"]


def load(asset_dir: Path) -> Prebuilt | None:
    """The prebuilt home view, or None if it is missing, unreadable or older than its sources."""
    try:
        raw = (asset_dir / FILE).read_bytes()
        if raw[:8] != MAGIC or struct.unpack_from("<I", raw, 8)[0] != VERSION:
            return None
        n = struct.unpack_from("<I", raw, 12)[0]
        header = json.loads(raw[16:16 + n].decode("utf-8"))
        for name, digest in header["sources"].items():
            if _fingerprint(asset_dir / name) != digest:
                return None
        header["latest"] = _current(asset_dir, header.get("latest"))
        payload = raw[16 + n:]
        if fingerprint(payload) != header["payload"]:
            return None  # damaged coordinates: never drawn as outlines
        coords = array("d")
        coords.frombytes(payload)
        if len(coords) != 2 * header["coordinates"]:
            return None  # truncated or padded
        if sys.byteorder != "little":
            coords.byteswap()
        return Prebuilt(header, coords)
    except (OSError, ValueError, KeyError, TypeError, struct.error):
        return None  # the loaders compute everything instead


def _current(asset_dir: Path, latest) -> dict | None:
    """The latest year's map if the files it was made from are unchanged (and readable) and
    every value is one the map knows; else None."""
    from silkmap.core.years import LEVEL_IDS, STATUSES

    def mapping(value, allowed) -> bool:
        return isinstance(value, dict) and all(isinstance(k, str) and (v is None or v in allowed)
                                               for k, v in value.items())

    def trade(pair) -> bool:
        return (isinstance(pair, list) and len(pair) == 2
                and (pair[0] is None or (isinstance(pair[0], (int, float)) and not isinstance(pair[0], bool)))
                and (pair[1] is None or isinstance(pair[1], str)))

    try:
        if not (isinstance(latest, dict) and isinstance(latest.get("sources"), dict) and latest["sources"]
                and type(latest.get("year")) is int and mapping(latest.get("level"), LEVEL_IDS)
                and mapping(latest.get("route_status"), STATUSES) and mapping(latest.get("project_status"), STATUSES)
                and isinstance(latest.get("trade"), dict) and all(trade(p) for p in latest["trade"].values())):
            return None
        for name, digest in latest["sources"].items():
            if name not in LATEST_SOURCES or _fingerprint(asset_dir / name) != digest:
                return None
    except (OSError, TypeError, ValueError):
        return None
    return latest


class PrebuiltCountry(Country):
    """A country whose outline, bounds, area and label anchor come from the prebuilt file; its
    shapely geometry (for picking and the detailed levels) is loaded on first use."""

    def __init__(self, record: dict, shapes) -> None:  # noqa: D107 - the dataclass __init__ is not used
        self.iso3 = record["iso3"]
        self.iso_n3 = record["iso_n3"]
        self.names = record["names"]
        self.role = record["role"]
        self.prebuilt_bounds = tuple(record["bounds"])
        self.prebuilt_area = record["area"]
        self.prebuilt_anchor = tuple(record["anchor"])
        self._shapes = shapes

    @property
    def shape(self):
        return self._shapes()[self.iso3].shape

    @property
    def lonlat(self):
        return self._shapes()[self.iso3].lonlat

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        return self.prebuilt_bounds

    def __repr__(self) -> str:
        return f"PrebuiltCountry({self.iso3})"


class LazyShapes:
    """The 1:50m countries as the loader makes them, loaded (and validated) once, on first use."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._countries = None

    def __call__(self) -> dict:
        with self._lock:
            if self._countries is None:
                from silkmap.core.geo import load_countries

                self._countries = load_countries(self.path)
            return self._countries


def countries(pre: Prebuilt, path: Path) -> dict[str, Country]:
    shapes = LazyShapes(path)
    return {rec["iso3"]: PrebuiltCountry(rec, shapes) for rec in pre.header["countries"]}


# ---------------------------------------------------------------------------- building
def build(atlas, asset_dir: Path) -> bytes:
    """The file's bytes, from ``atlas`` as the loaders compute it from the sources in
    ``asset_dir`` (``atlas.load_atlas_from_sources()``)."""
    import shapely

    from silkmap.core.labels import label_anchor
    from silkmap.core.projection import PROJ4

    if atlas.prebuilt is not None:
        raise ValueError("build the prebuilt file from the sources, not from itself")
    coords: list[float] = []

    def put(xy) -> list[int]:
        offset = len(coords) // 2
        for x, y in xy:
            coords.extend((float(x), float(y)))
        return [offset, len(coords) // 2 - offset]

    countries_out = []
    points: dict[tuple[float, float], tuple[float, float]] = {}
    for iso, c in sorted(atlas.countries.items()):
        rings = []
        for poly in getattr(c.shape, "geoms", [c.shape]):  # as paths.area_path draws them
            if poly.is_empty:
                continue
            for ring in [poly.exterior, *poly.interiors]:
                xy = shapely.get_coordinates(ring)
                if len(xy) >= 3:
                    rings.append(put(xy))
        ax, ay = label_anchor(c)
        countries_out.append({"iso3": iso, "iso_n3": c.iso_n3, "names": c.names, "role": c.role,
                              "bounds": [float(v) for v in c.shape.bounds], "area": float(c.shape.area),
                              "anchor": [float(ax), float(ay)], "rings": rings})
    from silkmap.core.labels import ANCHOR_OVERRIDES
    from silkmap.core.projection import project

    lonlats = [(p.lon, p.lat) for p in atlas.places.values()]
    lonlats += [(pr.lon, pr.lat) for prof in atlas.profiles.values() for pr in prof.projects]
    lonlats += list(ANCHOR_OVERRIDES.values())
    for lon, lat in lonlats:
        x, y = project(lon, lat)
        points[(float(lon), float(lat))] = (float(x), float(y))
    routes = [{"id": r.id, "waypoints": [[w.lon, w.lat] for w in r.waypoints], "km": float(r.geodesic_km),
               "line": put(r.xy)} for r in atlas.routes.values()]
    from silkmap.core import timeline

    state = timeline.as_of(atlas, timeline.LAST_YEAR)
    latest = {"year": state.year, "sources": {name: _fingerprint(asset_dir / name) for name in LATEST_SOURCES},
              "level": dict(state.level), "route_status": dict(state.route_status),
              "project_status": dict(state.project_status),
              "trade": {iso3: [value, sid] for iso3, (value, sid) in state.trade.items()}}
    body = array("d", coords)
    if sys.byteorder != "little":
        body.byteswap()
    header = {"sources": {name: _fingerprint(asset_dir / name) for name in SOURCES}, "projection": PROJ4,
              "coordinates": len(coords) // 2, "payload": fingerprint(body.tobytes()),
              "countries": countries_out, "points": [[lon, lat, x, y] for (lon, lat), (x, y) in points.items()],
              "routes": routes, "latest": latest}
    head = json.dumps(header, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False).encode()
    return MAGIC + struct.pack("<II", VERSION, len(head)) + head + body.tobytes()
