"""Boundaries, places and routes: loaded, validated and projected once."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from silkmap.core.errors import DataError
from silkmap.core.facts import CONFIDENCE, Figure, SourceIndex, Text, read_figure
from silkmap.core.projection import project, project_coords
from silkmap.core.validate import Reader, read_json

ROLES = ("focus", "neighbour", "disputed")
PLACE_KINDS = ("capital", "hub", "city", "border_port", "heritage_site")
ROUTE_ERAS = ("historical", "modern")
ROUTE_KINDS = ("caravan", "rail", "road", "pipeline_gas", "pipeline_oil")
ROUTE_STATUS = ("historical", "operating", "under_construction", "planned")


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
    confidence: str


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


def _check_ring_coords(r: Reader, coords, where: str) -> None:
    if not isinstance(coords, list) or len(coords) < 4:
        r.fail(where, "a polygon ring needs at least 4 positions")
    for pos in coords[:1] + coords[-1:]:
        if (not isinstance(pos, list) or len(pos) < 2
                or not all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in pos[:2])):
            r.fail(where, f"bad position {pos!r}")


def load_countries(path: Path) -> dict[str, Country]:
    import shapely
    from shapely.geometry import shape

    data = read_json(path)
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
        iso3 = p.str("iso3")
        if len(iso3) != 3 or not iso3.isalpha() or not iso3.isupper():
            p.fail("iso3", f"{iso3!r} is not an ISO 3166 alpha-3 code")
        names = {"en": p.str("name_en"), "zh-Hans": p.str("name_zh_hans"),
                 "zh-Hant": p.str("name_zh_hant")}
        role = p.choice("role", ROLES)
        g = r.child("geometry")
        gtype = g.choice("type", ("Polygon", "MultiPolygon"))
        coords = g.list("coordinates")
        polys = [coords] if gtype == "Polygon" else coords
        for j, poly in enumerate(polys):
            if not isinstance(poly, list) or not poly:
                g.fail(f"coordinates[{j}]", "empty polygon")
            for k, ring in enumerate(poly):
                _check_ring_coords(g, ring, f"coordinates[{j}][{k}]")
        try:
            lonlat = shape(feat["geometry"])
        except Exception as exc:  # shapely reports malformed nesting in many ways
            g.fail("coordinates", f"not a valid {gtype}: {exc}")
        if lonlat.is_empty or not shapely.is_valid(lonlat):
            g.fail("coordinates", f"invalid geometry ({shapely.is_valid_reason(lonlat)})")
        if iso3 in countries:
            p.fail("iso3", f"duplicate country {iso3}")
        countries[iso3] = Country(iso3, p.raw("iso_n3", None), names, role, lonlat,
                                  shapely.transform(lonlat, project_coords))
    missing = {"CHN", "KAZ", "KGZ", "TJK", "TKM", "UZB"} - set(countries)
    if missing:
        raise DataError(path, f"the focus countries {', '.join(sorted(missing))} are missing")
    return countries


def _records(path: Path, key: str, kind: str):
    """A Reader for each record of the file's list ``key``, named by its id for messages."""
    data = read_json(path)
    for i, raw in enumerate(Reader(path, key, data).list(key)):
        rid = raw.get("id") if isinstance(raw, dict) else None
        yield Reader(path, f"{kind} {rid or i}", raw)


def load_places(path: Path, src: SourceIndex, project=project) -> dict[str, Place]:
    places: dict[str, Place] = {}
    for r in _records(path, "places", "place"):
        lon, lat = r.number("lon", lo=-180, hi=180), r.number("lat", lo=-90, hi=90)
        x, y = project(lon, lat)
        confidence = r.choice("confidence", CONFIDENCE)
        # A position from general knowledge has no source to cite; it is shown as approximate.
        unsourced_ok = confidence in ("approx", "general", "unconfirmed")
        place = Place(id=r.str("id"), kind=r.choice("kind", PLACE_KINDS), name=r.text("name"),
                      country=r.str("country"), lon=lon, lat=lat, x=float(x), y=float(y),
                      confidence=confidence, sources=src.refs(r, "sources", required=not unsourced_ok),
                      note=r.text("note", None))
        if place.id in places:
            r.fail("id", f"duplicate place id {place.id!r}")
        places[place.id] = place
    return places


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


def _route_line(wps) -> tuple[object, float]:
    """The drawn line (great-circle legs in map metres) and the length along the waypoints."""
    import numpy as np

    dlon, dlat, km = _densify(np.array([w.lon for w in wps]), np.array([w.lat for w in wps]))
    x, y = project(dlon, dlat)
    return np.column_stack([x, y]), km


def load_routes(path: Path, src: SourceIndex, line=None) -> dict[str, Route]:
    """``line(id, waypoints)`` may give a route's (xy, km) computed in advance (or None)."""
    routes: dict[str, Route] = {}
    for r in _records(path, "routes", "route"):
        wps = []
        for j, w in enumerate(r.list("waypoints")):
            wr = r.child(f"waypoints[{j}]", w)
            wps.append(Waypoint(name=wr.text("name"), lon=wr.number("lon", lo=-180, hi=180),
                                lat=wr.number("lat", lo=-90, hi=90), place=wr.raw("place", None),
                                confidence=wr.choice("confidence", CONFIDENCE)))
        if len(wps) < 2:
            r.fail("waypoints", "a route needs at least two waypoints")
        known = line(r.str("id"), [(w.lon, w.lat) for w in wps]) if line else None
        xy, km = known or _route_line(wps)
        route = Route(id=r.str("id"), name=r.text("name"), era=r.choice("era", ROUTE_ERAS),
                      kind=r.choice("kind", ROUTE_KINDS), status=r.choice("status", ROUTE_STATUS),
                      length=read_figure(r.child("length"), src) if r.has("length") else None,
                      description=r.text("description"), sources=src.refs(r, "sources"),
                      waypoints=tuple(wps), note=r.text("note", None),
                      figures={k: read_figure(r.child(f"figures.{k}", v), src)
                               for k, v in (r.raw("figures", {}) or {}).items()},
                      xy=xy, geodesic_km=km)
        if route.id in routes:
            r.fail("id", f"duplicate route id {route.id!r}")
        routes[route.id] = route
    return routes
