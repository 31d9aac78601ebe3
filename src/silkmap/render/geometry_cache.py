"""Country outlines as QPainterPaths at the levels of detail the current scale needs.

The whole-region view starts from the 1:50m boundaries; the 1:10m ones are loaded on first
need (or in the background after the first paint) and simplified to about a pixel at a few
scales, so a repaint never draws more vertices than the screen can show. The detailed levels
are cut into tiles, so a view zoomed into one valley draws only the tiles it shows instead
of every vertex of China.

Paths are read by several threads at once (the window's worker paints the static layers while
the UI thread tints the hovered country with the same paths). QPainterPath fills a few caches
on first use (bounding rects, the vector form the paint engines draw); ``prime`` fills them on
the thread that makes the path, so afterwards every thread only reads.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPainter, QPainterPath

from silkmap.render.paths import area_path, polygon_from_array, rings_path

# Simplification tolerances in metres, coarsest first; 0 means the full 1:10m outline.
TOLERANCES = (4000.0, 2000.0, 1000.0, 500.0, 250.0, 0.0)
# Below this many metres per pixel the 1:50m outlines look coarse.
DETAIL_BELOW_M_PER_PX = 2500.0
# Levels this fine are tiled; at their scales a view shows a small part of a country.
TILED_UP_TO_TOLERANCE = 500.0
TILE_M = 300_000.0


@dataclass
class CountryPaths:
    """One country at one level: fill pieces and outline pieces, with their bounding boxes."""

    fills: list[QPainterPath]
    lines: list[QPainterPath]
    boxes: list[tuple[float, float, float, float]]  # x0, y0, x1, y1 of each piece, fills and lines alike
    bounds: QRectF = field(default_factory=QRectF)

    def visible(self, x0: float, y0: float, x1: float, y1: float) -> list[int]:
        return [i for i, (a0, b0, a1, b1) in enumerate(self.boxes) if a0 <= x1 and a1 >= x0 and b0 <= y1 and b1 >= y0]


def prime(paths) -> None:
    """Fill the lazy caches of these QPainterPaths (see the module's docstring)."""
    img = QImage(1, 1, QImage.Format.Format_ARGB32_Premultiplied)
    p = QPainter(img)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(Qt.GlobalColor.black)
    p.translate(-1e12, -1e12)  # off the image: the engine makes the vector form, then skips it
    for path in paths:
        path.boundingRect()
        path.controlPointRect()
        p.drawPath(path)
    p.end()


def whole_paths(path: QPainterPath) -> CountryPaths:
    """One country drawn as a single piece (the coarse levels)."""
    prime([path])
    r = path.boundingRect()
    return CountryPaths([path], [path], [(r.left(), r.top(), r.right(), r.bottom())], r)


def _whole(geom) -> CountryPaths:
    return whole_paths(area_path(geom))


def _line_path(geom) -> QPainterPath:
    import shapely

    path = QPainterPath()
    for part in getattr(geom, "geoms", [geom]):
        coords = shapely.get_coordinates(part)
        if len(coords) >= 2:
            path.addPolygon(polygon_from_array(coords))  # an open subpath: a piece of border
    return path


def _tiled(geom, land: dict | None = None) -> CountryPaths:
    """Cut into TILE_M cells; ``land`` collects each cell's land area over all countries."""
    import numpy as np
    import shapely

    x0, y0, x1, y1 = geom.bounds
    xs = np.arange(np.floor(x0 / TILE_M) * TILE_M, x1, TILE_M)
    ys = np.arange(np.floor(y0 / TILE_M) * TILE_M, y1, TILE_M)
    cells = [(x, y, x + TILE_M, y + TILE_M) for x in xs for y in ys]
    boxes = shapely.box(*np.array(cells).T)
    shapely.prepare(geom)
    hit = shapely.intersects(geom, boxes)
    cells = [c for c, h in zip(cells, hit) if h]
    boxes = boxes[hit]
    fills = shapely.intersection(geom, boxes)
    borders = shapely.intersection(geom.boundary, boxes)
    out_fills, out_lines, out_boxes = [], [], []
    for cell, fill, border in zip(cells, fills, borders):
        polys = [g for g in getattr(fill, "geoms", [fill]) if g.geom_type == "Polygon" and not g.is_empty]
        if not polys:
            continue
        out_fills.append(area_path(shapely.MultiPolygon(polys)))
        if land is not None:
            key = (round(cell[0] / TILE_M), round(cell[1] / TILE_M))
            land[key] = land.get(key, 0.0) + sum(g.area for g in polys)
        out_lines.append(_line_path(border) if not border.is_empty else QPainterPath())
        out_boxes.append(cell)
    whole = area_path(geom).boundingRect()
    prime(out_fills + out_lines)
    return CountryPaths(out_fills, out_lines, [tuple(map(float, b)) for b in out_boxes], whole)


class GeometryCache:
    def __init__(self, atlas) -> None:
        self.atlas = atlas
        pre = getattr(atlas, "prebuilt", None)
        if pre is not None:  # the home view made in advance: no shapely before the first paint
            self.coarse = {iso: whole_paths(rings_path(pre.country_rings(iso))) for iso in atlas.countries}
        else:
            self.coarse = {iso: _whole(c.shape) for iso, c in atlas.countries.items()}
        self._levels: dict[float, dict[str, CountryPaths]] = {}
        self._full_cells: dict[float, set] = {}  # tiled levels: cells entirely covered by land
        self._lock = threading.Lock()
        self.generation = 0  # bumped whenever a new level of detail becomes available

    def content_changed(self) -> None:
        """Something else the static layers draw became available (the names of the land):
        a new generation, so cached frames are not taken for current."""
        with self._lock:
            self.generation += 1

    @staticmethod
    def tolerance_for(m_per_px: float) -> float:
        for tol in TOLERANCES:
            if tol <= 0.9 * m_per_px:
                return tol
        return 0.0

    def detail_ready(self, tolerance: float) -> bool:
        return tolerance in self._levels

    def level(self, tolerance: float, stop=None) -> dict[str, CountryPaths] | None:
        ready = self._levels.get(tolerance)
        if ready is not None:  # made and primed: no wait for a worker building another level
            return ready
        with self._lock:
            paths = self._levels.get(tolerance)
            if paths is None:
                import shapely

                detail = self.atlas.detail()
                paths = {}
                land: dict = {}
                for iso, c in detail.items():
                    if stop is not None and stop.is_set():
                        return None
                    geom = c.shape if tolerance == 0 else shapely.simplify(c.shape, tolerance)
                    paths[iso] = _tiled(geom, land) if tolerance <= TILED_UP_TO_TOLERANCE else _whole(geom)
                self._full_cells[tolerance] = {k for k, a in land.items() if a >= TILE_M * TILE_M * 0.99999}
                self._levels[tolerance] = paths
                self.generation += 1
            return paths

    def paths_for(self, m_per_px: float, *, allow_load: bool) -> tuple[dict[str, CountryPaths], float | None]:
        """The outlines for this scale; without ``allow_load`` fall back to what is ready."""
        if m_per_px >= DETAIL_BELOW_M_PER_PX and not self._levels.get(self.tolerance_for(m_per_px)):
            return self.coarse, None
        tol = self.tolerance_for(m_per_px)
        if allow_load or self.detail_ready(tol):
            return self.level(tol), tol
        return self.coarse, None

    def all_land(self, tolerance: float | None, x0: float, y0: float, x1: float, y1: float) -> bool:
        """True when land fills the whole box at this level, so no water shows through."""
        cells = self._full_cells.get(tolerance) if tolerance is not None else None
        if not cells:
            return False
        i0, i1 = math.floor(x0 / TILE_M), math.floor(x1 / TILE_M)
        j0, j1 = math.floor(y0 / TILE_M), math.floor(y1 / TILE_M)
        return all((i, j) in cells for i in range(i0, i1 + 1) for j in range(j0, j1 + 1))

    def warm_up(self, stop=None) -> bool:
        """Prepare every level (from a worker thread); False if stopped early."""
        for tol in TOLERANCES:
            if self.level(tol, stop) is None:
                return False
        return True
