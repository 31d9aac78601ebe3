"""Country outlines as QPainterPaths at the levels of detail the current scale needs.

The whole-region view starts from the 1:50m boundaries; the 1:10m ones are loaded on first
need (or in the background after the first paint) and simplified to about half a pixel
at a few scales, so a repaint never draws more vertices than the screen can show.
"""

from __future__ import annotations

import threading

from PySide6.QtGui import QPainterPath

from silkmap.render.paths import area_path

# Simplification tolerances in metres, coarsest first; 0 means the full 1:10m outline.
TOLERANCES = (4000.0, 2000.0, 1000.0, 500.0, 250.0, 0.0)
# Below this many metres per pixel the 1:50m outlines look coarse.
DETAIL_BELOW_M_PER_PX = 2500.0


class GeometryCache:
    def __init__(self, atlas) -> None:
        self.atlas = atlas
        self.coarse: dict[str, QPainterPath] = {iso: area_path(c.shape)
                                                for iso, c in atlas.countries.items()}
        self._levels: dict[float, dict[str, QPainterPath]] = {}
        self._lock = threading.Lock()
        self.generation = 0  # bumped whenever a new level of detail becomes available

    @staticmethod
    def tolerance_for(m_per_px: float) -> float:
        for tol in TOLERANCES:
            if tol <= 0.9 * m_per_px:
                return tol
        return 0.0

    def detail_ready(self, tolerance: float) -> bool:
        return tolerance in self._levels

    def level(self, tolerance: float, stop=None) -> dict[str, QPainterPath] | None:
        with self._lock:
            paths = self._levels.get(tolerance)
            if paths is None:
                import shapely

                detail = self.atlas.detail()
                paths = {}
                for iso, c in detail.items():
                    if stop is not None and stop.is_set():
                        return None
                    geom = c.shape if tolerance == 0 else shapely.simplify(c.shape, tolerance)
                    paths[iso] = area_path(geom)
                self._levels[tolerance] = paths
                self.generation += 1
            return paths

    def paths_for(self, m_per_px: float, *, allow_load: bool) -> tuple[dict[str, QPainterPath], float | None]:
        """The outlines for this scale; without ``allow_load`` fall back to what is ready."""
        if m_per_px >= DETAIL_BELOW_M_PER_PX and not self._levels.get(self.tolerance_for(m_per_px)):
            return self.coarse, None
        tol = self.tolerance_for(m_per_px)
        if allow_load or self.detail_ready(tol):
            return self.level(tol), tol
        return self.coarse, None

    def warm_up(self, stop=None) -> bool:
        """Prepare every level (from a worker thread); False if stopped early."""
        for tol in TOLERANCES:
            if self.level(tol, stop) is None:
                return False
        return True
