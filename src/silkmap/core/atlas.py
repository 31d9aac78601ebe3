"""Everything the app shows, loaded and validated from assets/geo in one place."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from silkmap.core.errors import DataError, shown
from silkmap.core.facts import Profile, Region, SourceIndex, load_profiles, load_region, load_sources
from silkmap.core.geo import Country, Place, Route, load_countries, load_places, load_routes
from silkmap.core.resources import asset_dir, asset_path
from silkmap.core.validate import read_json

HOME_MARGIN = 0.02  # of the home extent: a little sea and land around the edges
FOCUS_ORDER = ("KAZ", "KGZ", "TJK", "TKM", "UZB", "CHN")
COARSE, DETAIL = "countries-50m.geojson", "countries-10m.geojson"
# Read at start-up; the 1:10m outlines only when first needed.
FILES = ("sources.json", COARSE, "places.json", "routes.json", "profiles.json", "region.json")


@dataclass(eq=False)
class Atlas:
    countries: dict[str, Country]  # 1:50m, enough for the whole-region view
    places: dict[str, Place]
    routes: dict[str, Route]
    profiles: dict[str, Profile]
    region: Region
    sources: SourceIndex
    prebuilt: object = field(default=None, repr=False)  # prebuilt.Prebuilt: the home view made in advance
    _detail: dict[str, Country] | None = field(default=None, repr=False)
    _detail_error: DataError | None = field(default=None, repr=False)
    _detail_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _dated: object = field(default=None, repr=False)  # dated.Dated, read on first use
    _dated_error: DataError | None = field(default=None, repr=False)
    _dated_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _names: dict | None = field(default=None, repr=False)
    _names_error: DataError | None = field(default=None, repr=False)

    @property
    def focus(self) -> list[Country]:
        return [self.countries[c] for c in FOCUS_ORDER]

    @property
    def hub(self) -> Place:
        return self.places[self.region.hub.id]

    def detail(self) -> dict[str, Country]:
        """The 1:10m boundaries for deep zoom and print; loaded on first use.

        A broken file raises the same DataError on every call without reading it again, so
        the window can keep drawing the 1:50m outlines.
        """
        with self._detail_lock:
            if self._detail_error is not None:
                raise self._detail_error
            if self._detail is None:
                try:
                    path = asset_path(DETAIL)
                    detail = load_countries(path)
                    _check_detail(path, detail, self.countries)
                except DataError as exc:
                    self._detail_error = exc
                    raise
                self._detail = detail
            return self._detail

    def dated(self):
        """The dated facts (core/dated.py), read and cross-checked on first use; a broken
        file raises the same DataError on every call, and the map without a timeline stays."""
        with self._dated_lock:
            if self._dated_error is not None:
                raise self._dated_error
            if self._dated is None:
                from silkmap.core.dated import FILE, load_dated

                try:
                    path = asset_path(FILE)
                    dated = load_dated(path, self.sources)
                    _check_dated(path, dated, self)
                except DataError as exc:
                    self._dated_error = exc
                    raise
                self._dated = dated
            return self._dated

    def physical_names(self) -> dict:
        """The names of deserts, ranges, passes, lakes and rivers (core/physical_names.py),
        read on first use, after the first paint; a broken file raises the same DataError on
        every call without reading it again."""
        with self._detail_lock:
            if self._names_error is not None:
                raise self._names_error
            if self._names is None:
                from silkmap.core import physical_names as pn

                try:
                    path = asset_path(pn.FILE)
                    names = pn.load_physical_names(path, self.sources, project=self._project)
                    pn.check_places(path, names, self.places)
                except DataError as exc:
                    self._names_error = exc
                    raise
                self._names = names
            return self._names

    def _project(self, lon: float, lat: float):
        known = self.prebuilt.project(lon, lat) if self.prebuilt is not None else None
        if known:
            return known
        from silkmap.core.projection import project

        return project(lon, lat)

    def capital_of(self, iso3: str) -> Place:
        return self.places[self.profiles[iso3].capital]

    def all_sources_of(self, obj) -> tuple[str, ...]:
        """Source ids cited anywhere inside a profile, project, route or fact (in order, unique)."""
        seen: dict[str, None] = {}

        def walk(o):
            if isinstance(o, tuple) and o and all(isinstance(s, str) for s in o):
                for s in o:
                    if s in self.sources:
                        seen.setdefault(s)
                return
            if hasattr(o, "__dataclass_fields__"):
                for name in o.__dataclass_fields__:
                    walk(getattr(o, name))
            elif isinstance(o, dict):
                for v in o.values():
                    walk(v)
            elif isinstance(o, (list, tuple)):
                for v in o:
                    walk(v)

        walk(obj)
        return tuple(seen)


def load_atlas() -> Atlas:
    """Everything, with the home view's geometry from ``home-view.bin`` where it matches its
    sources (no numpy, shapely or pyproj until an outline is needed; see core/prebuilt.py)."""
    from silkmap.core import prebuilt

    return _load(prebuilt.load(asset_dir()))


def load_atlas_from_sources() -> Atlas:
    """Everything computed from the source files (what ``home-view.bin`` is made from)."""
    return _load(None)


def _load(pre) -> Atlas:
    # Every file present and well-formed before any is interpreted: an incomplete installation
    # or a truncated file is reported at once, whichever file it is. With the prebuilt home
    # view the outlines' file matched the hash it was built from, so it is parsed only when
    # an outline is first needed.
    paths = {name: asset_path(name) for name in FILES}
    docs = {name: read_json(path) for name, path in paths.items() if not (pre is not None and name == COARSE)}
    sources = load_sources(paths["sources.json"], docs["sources.json"])
    if pre is not None:
        from silkmap.core.prebuilt import countries as prebuilt_countries
        from silkmap.core.projection import project

        countries = prebuilt_countries(pre, paths[COARSE])
        places = load_places(paths["places.json"], sources, docs["places.json"],
                             project=lambda lon, lat: pre.project(lon, lat) or project(lon, lat))
        routes = load_routes(paths["routes.json"], sources, docs["routes.json"], line=pre.route_line)
    else:
        countries = load_countries(paths[COARSE], docs[COARSE])
        places = load_places(paths["places.json"], sources, docs["places.json"])
        routes = load_routes(paths["routes.json"], sources, docs["routes.json"])
    atlas = Atlas(
        countries=countries,
        places=places,
        routes=routes,
        profiles=load_profiles(paths["profiles.json"], sources, docs["profiles.json"]),
        region=load_region(paths["region.json"], sources, docs["region.json"]),
        sources=sources,
        prebuilt=pre,
    )
    _cross_check(atlas)
    return atlas


def _cross_check(atlas: Atlas) -> None:
    """References between files: every id one file names must exist in the other."""
    path = asset_path("profiles.json")
    for iso3, prof in atlas.profiles.items():
        if iso3 not in atlas.countries:
            raise DataError(path, f"{shown(iso3)} is not a country in {COARSE}", feature=f"country {iso3}")
        capital = atlas.places.get(prof.capital)
        if capital is None:
            raise DataError(path, f"capital {shown(prof.capital)} is not in places.json",
                            feature=f"country {iso3}", field="capital")
        if capital.country != iso3:
            raise DataError(path, f"capital {shown(prof.capital)} lies in {capital.country}, not {iso3}",
                            feature=f"country {iso3}", field="capital")
    if atlas.region.hub.id not in atlas.places:
        raise DataError(asset_path("region.json"), f"hub place {shown(atlas.region.hub.id)} is not in places.json",
                        feature="hub", field="id")
    places = asset_path("places.json")
    for place in atlas.places.values():
        if place.country not in atlas.countries:
            raise DataError(places, f"{place.country} is not a country in {COARSE}",
                            feature=f"place {place.id}", field="country")
    for route in atlas.routes.values():
        for j, wp in enumerate(route.waypoints):
            if wp.place is not None and wp.place not in atlas.places:
                raise DataError(asset_path("routes.json"), f"place {shown(wp.place)} is not in places.json",
                                feature=f"route {route.id}", field=f"waypoints[{j}].place")


def _check_dated(path, dated, atlas: Atlas) -> None:
    """dated.json names routes and projects of the other files, and gives the trade of the
    years the profiles do not (each figure lives in one place)."""
    projects = {p.id: p for prof in atlas.profiles.values() for p in prof.projects}
    for field_name, known in (("routes", atlas.routes), ("projects", projects)):
        for key in getattr(dated, field_name):
            if key not in known:
                other = "routes.json" if field_name == "routes" else "profiles.json"
                raise DataError(path, f"{shown(key)} is not in {other}", field=f"{field_name}.{key}")
    for rid in dated.route_countries:
        if rid not in atlas.routes:
            raise DataError(path, f"{shown(rid)} is not in routes.json", field=f"route_countries.{rid}")
    for rid in dated.routes:
        if atlas.routes[rid].era == "historical":
            raise DataError(path, "a historical route has no modern status history", field=f"routes.{rid}")
    for e in dated.events:
        if e.opens not in atlas.profiles and e.opens not in atlas.routes and e.opens not in projects:
            raise DataError(path, f"opens {shown(e.opens)}, which is no country, route or project",
                            feature=f"event {e.id}", field="opens")
    for iso3, years in dated.trade.items():
        for y in years:
            if str(y) in atlas.profiles[iso3].trade:
                raise DataError(path, f"trade of {y} is given in profiles.json already",
                                field=f"trade.countries.{iso3}.{y}")


def _check_detail(path, detail: dict[str, Country], coarse: dict[str, Country]) -> None:
    """The 1:10m file replaces the 1:50m one when zoomed in: the same countries, the same roles."""
    missing = sorted(set(coarse) - set(detail))
    if missing:
        raise DataError(path, f"countries of {COARSE} are missing: {', '.join(missing)}")
    for iso3, c in detail.items():
        if iso3 in coarse and c.role != coarse[iso3].role:
            raise DataError(path, f"role {c.role!r} differs from {COARSE} ({coarse[iso3].role!r})",
                            feature=f"country {iso3}", field="properties.role")


def home_bounds(atlas) -> tuple[float, float, float, float]:
    """The five Central Asian states and China as far east as the Xi'an hub.

    Framing the whole of China would leave Central Asia, the subject, a small corner of the map.
    """
    boxes = [c.bounds for c in atlas.focus if c.iso3 != "CHN"]  # the union's bounds
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    hub = atlas.hub
    pad = 250_000.0  # room east of Xi'an for its label
    x0, y0, x1, y1 = min(x0, hub.x), min(y0, hub.y - pad), max(x1, hub.x + pad * 1.6), max(y1, hub.y)
    # A little sea and land around the edges, as in the window, so nothing touches the frame.
    m = HOME_MARGIN * max(x1 - x0, y1 - y0)
    return x0 - m, y0 - m, x1 + m, y1 + m
