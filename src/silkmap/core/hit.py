"""Hit-testing in map metres: which country or route is under a point."""

from __future__ import annotations

import threading

from silkmap.core import heavy_imports


class HitIndex:
    """Built on first use (or by ``warm_up`` from a worker): the window's first paint needs
    neither shapely nor the countries' geometry."""

    def __init__(self, countries: dict, routes: dict) -> None:
        self._countries, self._routes_in = countries, routes
        self._lock = threading.Lock()
        self._built = False

    def warm_up(self, stop=None) -> None:
        with self._lock:
            if self._built:
                return
            heavy_imports.ensure("numpy", "shapely")  # on the UI thread too, if a click comes first
            import shapely
            from shapely import STRtree

            self._codes = list(self._countries)
            shapes = [self._countries[c].shape for c in self._codes]
            for s in shapes:
                shapely.prepare(s)
            self._tree = STRtree(shapes)
            self._route_ids = list(self._routes_in)
            self._routes = STRtree([shapely.LineString(self._routes_in[r].xy) for r in self._route_ids])
            self._built = True

    def country_at(self, x: float, y: float) -> str | None:
        self.warm_up()
        import shapely

        pt = shapely.Point(x, y)
        for i in self._tree.query(pt, predicate="intersects"):
            return self._codes[int(i)]
        return None

    def route_at(self, x: float, y: float, tolerance: float, allowed=None, rank=None) -> str | None:
        """The route within ``tolerance``; where lines overlap, the one drawn on top
        (lowest ``rank``) wins, so a click picks what the user sees."""
        self.warm_up()
        import shapely

        pt = shapely.Point(x, y)
        best, best_key = None, None
        for i in self._routes.query(pt.buffer(tolerance)):
            rid = self._route_ids[int(i)]
            if allowed is not None and not allowed(rid):
                continue
            d = self._routes.geometries[int(i)].distance(pt)
            if d > tolerance:
                continue
            key = (rank(rid) if rank else 0, d)
            if best_key is None or key < best_key:
                best, best_key = rid, key
        return best
