"""Boundaries, places and routes: loaded, validated and projected once."""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from silkmap.core.errors import DataError, shown
from silkmap.core.facts import CONFIDENCE, Figure, SourceIndex, Text, read_figure, read_figures
from silkmap.core.projection import project, project_coords
from silkmap.core.validate import MAX_NAME, Reader, read_json

ROLES = ("focus", "neighbour", "disputed")
PLACE_KINDS = ("capital", "hub", "city", "border_port", "heritage_site")
ROUTE_ERAS = ("historical", "modern")
ROUTE_KINDS = ("caravan", "rail", "road", "pipeline_gas", "pipeline_oil")
ROUTE_STATUS = ("historical", "operating", "under_construction", "planned", "stalled")
# Whether a source names the town on the route, or it was placed along the known corridor.
WAYPOINT_BASIS = ("named", "inferred")
# Farther apart than this, two waypoints leave the ground between them unknown: such a leg
# must say it is an inferred alignment ("leg": "inferred"), and the panel says so.
MAX_LEG_KM = 300.0
EARTH_RADIUS_KM = 6371.0088  # mean radius: legs are checked on the sphere, without pyproj
FOCUS_COUNTRIES = ("CHN", "KAZ", "KGZ", "TJK", "TKM", "UZB")
ISO3 = re.compile(r"[A-Z]{3}")


@dataclass(eq=False)
class Country:
    iso3: str
    iso_n3: str | None
    names: Text
    role: str
    lonlat: object  # shapely (Multi)Polygon in degrees
    shape: object  # the same, projected to map metres

    @property
    def is_focus(self) -> bool:
        return self.role == "focus"

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        return self.shape.bounds


@dataclass(frozen=True)
class Place:
    id: str
    kind: str
    name: Text
    country: str
    lon: float
    lat: float
    x: float
    y: float
    confidence: str
    sources: tuple[str, ...]
    note: Text | None = None


@dataclass(frozen=True)
class Waypoint:
    name: Text
    lon: float
    lat: float
    place: str | None
    confidence: str  # of the position
    on_route: str = "named"  # WAYPOINT_BASIS: does a source name the town on the route?
    sources: tuple[str, ...] = ()  # those naming it on the route (none when inferred)
    leg_inferred: bool = False  # the leg from the previous waypoint is a guessed alignment
    geonames_id: int | None = None


def leg_km(a: Waypoint, b: Waypoint) -> float:
    """Great-circle distance between two waypoints on the mean sphere (within 0.5 % of the
    ellipsoid: enough to judge a leg's length, and free of pyproj at start-up)."""
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b.lon - a.lon) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


@dataclass(eq=False)
class Route:
    id: str
    name: Text
    era: str
    kind: str
    status: str
    length: Figure | None
    description: Text
    sources: tuple[str, ...]
    waypoints: tuple[Waypoint, ...]
    note: Text | None
    figures: dict[str, Figure]  # capacity and the like, each sourced
    xy: object = field(repr=False)  # densified great-circle polyline in map metres: (n, 2) x, y pairs
    geodesic_km: float = 0.0  # length along the drawn waypoints

    def legs(self) -> list[tuple[Waypoint, Waypoint, float]]:
        """Each leg as (from, to, km)."""
        w = self.waypoints
        return [(a, b, leg_km(a, b)) for a, b in zip(w, w[1:])]

    @property
    def inferred_km(self) -> float:
        """How much of the drawn line is a guessed alignment."""
        return sum(km for _a, b, km in self.legs() if b.leg_inferred)


def _ring(g: Reader, ring, where: str) -> np.ndarray:
    """One ring as an (n, 2) array of lon/lat, every position checked (GeoJSON allows a third
    value, the height, which the map ignores)."""
    import numpy as np

    if not isinstance(ring, list):
        g.fail(where, f"expected a list of positions, got {shown(ring)}")
    if len(ring) < 4:
        bad = next((i for i, pos in enumerate(ring) if not _is_position(pos)), None)
        g.fail(where if bad is None else f"{where}[{bad}]", "a polygon ring needs at least 4 positions"
               if bad is None else f"bad position {shown(ring[bad])}")
    try:
        kinds = set(map(type, itertools.chain.from_iterable(ring)))
        arr = np.array(ring, dtype=float) if kinds <= {int, float} else None
    except (TypeError, ValueError, OverflowError):
        arr = None
    if arr is None or arr.ndim != 2 or arr.shape[1] not in (2, 3):
        bad = next((i for i, pos in enumerate(ring) if not _is_position(pos)), None)
        if bad is None:
            g.fail(where, "positions differ in length")
        g.fail(f"{where}[{bad}]", f"bad position {shown(ring[bad])}")
    arr = arr[:, :2]
    if not np.isfinite(arr).all():
        i = int(np.nonzero(~np.isfinite(arr).all(axis=1))[0][0])
        g.fail(f"{where}[{i}]", f"position {shown(ring[i])} is not a pair of finite numbers")
    lon, lat = arr[:, 0], arr[:, 1]
    outside = (np.abs(lon) > 180) | (np.abs(lat) > 90)
    if outside.any():
        i = int(np.nonzero(outside)[0][0])
        g.fail(f"{where}[{i}]", f"position {lon[i]:g}, {lat[i]:g} is outside longitude -180..180 "
               "or latitude -90..90")
    return arr


def _is_position(pos) -> bool:
    return (isinstance(pos, list) and len(pos) in (2, 3)
            and all(type(c) in (int, float) for c in pos))


def _geometry(g: Reader):
    """The feature's (Multi)Polygon in degrees, built from checked rings."""
    import shapely

    gtype = g.choice("type", ("Polygon", "MultiPolygon"))
    coords = g.list("coordinates")
    polys = [coords] if gtype == "Polygon" else coords
    if not polys:
        g.fail("coordinates", "no polygons")
    built = []
    for j, poly in enumerate(polys):
        where = "coordinates" if gtype == "Polygon" else f"coordinates[{j}]"
        if not isinstance(poly, list) or not poly:
            g.fail(where, "empty polygon")
        rings = [_ring(g, ring, f"{where}[{k}]") for k, ring in enumerate(poly)]
        built.append(shapely.polygons(shapely.linearrings(rings[0]),
                                      holes=[shapely.linearrings(r) for r in rings[1:]] or None))
    geom = built[0] if gtype == "Polygon" else shapely.MultiPolygon(built)
    if geom.is_empty or not shapely.is_valid(geom):
        g.fail("coordinates", f"invalid geometry ({shapely.is_valid_reason(geom)})")
    return geom


def load_countries(path: Path, data: Any = None) -> dict[str, Country]:
    import numpy as np
    import shapely

    data = read_json(path) if data is None else data
    top = Reader(path, "countries", data)
    if top.str("type") != "FeatureCollection":
        top.fail("type", "expected a GeoJSON FeatureCollection")
    countries: dict[str, Country] = {}
    for i, feat in enumerate(top.list("features")):
        props = feat.get("properties") if isinstance(feat, dict) else None
        label = f"feature {i}"
        if isinstance(props, dict) and isinstance(props.get("iso3"), str):
            label = f"feature {i} ({props['iso3']})"
        r = Reader(path, label, feat)
        p = r.child("properties")
        iso3 = p.name("iso3")
        if not ISO3.fullmatch(iso3):
            p.fail("iso3", f"{shown(iso3)} is not an ISO 3166 alpha-3 code")
        names = {"en": p.name("name_en"), "zh-Hans": p.name("name_zh_hans"),
                 "zh-Hant": p.name("name_zh_hant")}
        role = p.choice("role", ROLES)
        if (role == "focus") != (iso3 in FOCUS_COUNTRIES):  # the map styles exactly these six
            p.fail("role", f"{iso3} must {'' if iso3 in FOCUS_COUNTRIES else 'not '}have the role 'focus'")
        iso_n3 = p.name("iso_n3", None)
        lonlat = _geometry(r.child("geometry"))
        if iso3 in countries:
            p.fail("iso3", f"duplicate country {iso3}")
        shape = shapely.transform(lonlat, project_coords)
        if not np.isfinite(shape.bounds).all():
            r.fail("geometry.coordinates", "cannot be projected onto the map")
        countries[iso3] = Country(iso3, iso_n3, names, role, lonlat, shape)
    missing = set(FOCUS_COUNTRIES) - set(countries)
    if missing:
        raise DataError(path, f"the focus countries {', '.join(sorted(missing))} are missing")
    return countries


def _records(path: Path, key: str, kind: str, data: Any = None):
    """A Reader for each record of the file's list ``key``, named by its id for messages."""
    data = read_json(path) if data is None else data
    for i, raw in enumerate(Reader(path, key, data).list(key)):
        rid = raw.get("id") if isinstance(raw, dict) else None
        yield Reader(path, f"{kind} {rid if isinstance(rid, str) and rid else i}", raw)


def load_places(path: Path, src: SourceIndex, data: Any = None, project=project) -> dict[str, Place]:
    places: dict[str, Place] = {}
    for r in _records(path, "places", "place", data):
        lon, lat = r.number("lon", lo=-180, hi=180), r.number("lat", lo=-90, hi=90)
        x, y = _project_point(r, lon, lat, project)
        confidence = r.choice("confidence", CONFIDENCE)
        # A position from general knowledge has no source to cite; it is shown as approximate.
        unsourced_ok = confidence in ("approx", "general", "unconfirmed")
        country = r.name("country")
        if not ISO3.fullmatch(country):
            r.fail("country", f"{shown(country)} is not an ISO 3166 alpha-3 code")
        place = Place(id=r.name("id"), kind=r.choice("kind", PLACE_KINDS), name=r.text("name", limit=MAX_NAME),
                      country=country, lon=lon, lat=lat, x=x, y=y,
                      confidence=confidence, sources=src.refs(r, "sources", required=not unsourced_ok),
                      note=r.text("note", None))
        if place.id in places:
            r.fail("id", f"duplicate place id {place.id!r}")
        places[place.id] = place
    if not places:  # the hub, the capitals and the routes' waypoints all name places
        raise DataError(path, "lists no places", field="places")
    return places


def _project_point(r: Reader, lon: float, lat: float, project=project) -> tuple[float, float]:
    x, y = (float(v) for v in project(lon, lat))
    if not (math.isfinite(x) and math.isfinite(y)):
        r.fail("lon", f"position {lon:g}, {lat:g} cannot be projected onto the map")
    return x, y


def _densify(lons: np.ndarray, lats: np.ndarray, step_km: float = 25.0):
    """Great-circle points between waypoints, so long legs curve as on the globe."""
    import numpy as np
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    out_lon, out_lat = [lons[0]], [lats[0]]
    total = 0.0
    for a in range(len(lons) - 1):
        _, _, dist = geod.inv(lons[a], lats[a], lons[a + 1], lats[a + 1])
        total += dist
        n = int(dist / (step_km * 1000))
        if n > 0:
            pts = geod.npts(lons[a], lats[a], lons[a + 1], lats[a + 1], n)
            out_lon.extend(p[0] for p in pts)
            out_lat.extend(p[1] for p in pts)
        out_lon.append(lons[a + 1])
        out_lat.append(lats[a + 1])
    return np.array(out_lon), np.array(out_lat), total / 1000.0


def _route_line(r: Reader, wps) -> tuple[object, float]:
    """The drawn line (great-circle legs in map metres) and the length along the waypoints."""
    import numpy as np

    dlon, dlat, km = _densify(np.array([w.lon for w in wps]), np.array([w.lat for w in wps]))
    x, y = project(dlon, dlat)
    if not (np.isfinite(x).all() and np.isfinite(y).all() and math.isfinite(km)):
        r.fail("waypoints", "cannot be projected onto the map")
    return np.column_stack([x, y]), km


def _waypoint(wr: Reader, j: int, src: SourceIndex) -> Waypoint:
    basis = wr.choice("on_route", WAYPOINT_BASIS)
    if basis == "named":
        sources = src.refs(wr, "sources", required=False)
        if not sources:
            wr.fail("sources", "a waypoint named by a source must cite it (or say \"on_route\": \"inferred\")")
    else:
        sources = ()
        if wr.list("sources", []):
            wr.fail("sources", "an inferred waypoint cites no source (a town a source names is \"named\")")
    leg = wr.choice("leg", ("inferred",), None)
    if leg is not None and j == 0:
        wr.fail("leg", "the first waypoint has no leg before it")
    return Waypoint(name=wr.text("name", limit=MAX_NAME), lon=wr.number("lon", lo=-180, hi=180),
                    lat=wr.number("lat", lo=-90, hi=90), place=wr.name("place", None),
                    confidence=wr.choice("confidence", CONFIDENCE), on_route=basis, sources=sources,
                    leg_inferred=leg is not None, geonames_id=wr.integer("geonames_id", None, lo=1))


def _check_legs(r: Reader, wps: list[Waypoint]) -> None:
    """A long leg is a straight guess across unknown ground: it must say so."""
    for j, (a, b) in enumerate(zip(wps, wps[1:]), start=1):
        km = leg_km(a, b)
        if km > MAX_LEG_KM and not b.leg_inferred:
            r.fail(f"waypoints[{j}].leg", f"the leg from {shown(a.name['en'])} to {shown(b.name['en'])} is {km:.0f} km long: "
                   f"a leg over {MAX_LEG_KM:.0f} km must be marked \"leg\": \"inferred\"")


def load_routes(path: Path, src: SourceIndex, data: Any = None, line=None) -> dict[str, Route]:
    """``line(id, waypoints)`` may give a route's (xy, km) computed in advance (or None)."""
    routes: dict[str, Route] = {}
    for r in _records(path, "routes", "route", data):
        wps = [_waypoint(r.child(f"waypoints[{j}]", w), j, src) for j, w in enumerate(r.list("waypoints"))]
        if len(wps) < 2:
            r.fail("waypoints", "a route needs at least two waypoints")
        _check_legs(r, wps)
        known = line(r.name("id"), [(w.lon, w.lat) for w in wps]) if line else None
        xy, km = known or _route_line(r, wps)
        route = Route(id=r.name("id"), name=r.text("name", limit=MAX_NAME), era=r.choice("era", ROUTE_ERAS),
                      kind=r.choice("kind", ROUTE_KINDS), status=r.choice("status", ROUTE_STATUS),
                      length=read_figure(r.child("length"), src) if r.has("length") else None,
                      description=r.text("description"), sources=src.refs(r, "sources"),
                      waypoints=tuple(wps), note=r.text("note", None),
                      figures=read_figures(r, "figures", src),
                      xy=xy, geodesic_km=km)
        if route.id in routes:
            r.fail("id", f"duplicate route id {route.id!r}")
        routes[route.id] = route
    return routes
