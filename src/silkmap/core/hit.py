"""Hit-testing in map metres: which country or route is under a point."""

from __future__ import annotations


class HitIndex:
    def __init__(self, countries: dict, routes: dict) -> None:
        import shapely
        from shapely import STRtree

        self._codes = list(countries)
        shapes = [countries[c].shape for c in self._codes]
        for s in shapes:
            shapely.prepare(s)
        self._tree = STRtree(shapes)
        self._route_ids = list(routes)
        self._routes = STRtree([shapely.LineString(routes[r].xy) for r in self._route_ids])

    def country_at(self, x: float, y: float) -> str | None:
        import shapely

        pt = shapely.Point(x, y)
        for i in self._tree.query(pt, predicate="intersects"):
            return self._codes[int(i)]
        return None

    def route_at(self, x: float, y: float, tolerance: float, allowed=None, rank=None) -> str | None:
        """The route within ``tolerance``; where lines overlap, the one drawn on top
        (lowest ``rank``) wins, so a click picks what the user sees."""
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
