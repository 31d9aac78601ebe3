"""Meridians and parallels (off by default), their degrees written where they meet the frame.

Lines every 10° at the whole-region view, every 5° zoomed in; each is projected once (Albers:
meridians straight, parallels curved) and kept in map metres. The degree figures go through
the label pass like every other label, so they give way to names, the legend and the scale bar.
"""

from __future__ import annotations

import threading

from PySide6.QtGui import QColor, QPainterPath

from silkmap.render import style
from silkmap.render.layers import VIEW, Layer
from silkmap.render.layers.labels import GRATICULE, LabelRequest

LAYER = "graticule"
LINE = QColor(80, 96, 120, 110)
FIGURES = QColor("#4f5f73")
LON_RANGE = (20, 160)
LAT_RANGE = (10, 70)
FINE_BELOW = 2500.0  # metres per symbol pixel: 5° lines below it, 10° above


def step_for(m_per_symbol_px: float) -> int:
    """Degrees between the lines at this scale: 5° zoomed in, 10° further out."""
    return 5 if m_per_symbol_px < FINE_BELOW else 10


def degrees(value: int, axis: str) -> str:
    if axis == "lon":
        return f"{abs(value)}°{'E' if value >= 0 else 'W'}" if value else "0°"
    return f"{abs(value)}°{'N' if value >= 0 else 'S'}" if value else "0°"


class GraticuleLayer(Layer):
    name = "graticule"
    depends_on = VIEW

    def __init__(self, renderer) -> None:
        super().__init__(renderer)
        self._lines: dict[int, list] = {}
        self._paths: dict[int, QPainterPath] = {}  # in map metres, primed: read-only, any thread
        self._lock = threading.Lock()

    def lines(self, step: int) -> list[tuple[str, int, list[tuple[float, float]]]]:
        """("lon" | "lat", degrees, points in map metres) of every line at ``step`` degrees."""
        with self._lock:
            got = self._lines.get(step)
            if got is None:
                from silkmap.core.projection import project

                got = []
                lons = [float(lon) for lon in range(LON_RANGE[0], LON_RANGE[1] + 1)]  # parallels: 1° chords
                for lon in range(LON_RANGE[0], LON_RANGE[1] + 1, step):
                    # meridians are straight in the Albers projection: their ends will do
                    xs, ys = project([lon, lon], [LAT_RANGE[0], LAT_RANGE[1]])
                    got.append(("lon", lon, list(zip(map(float, xs), map(float, ys)))))
                for lat in range(LAT_RANGE[0], LAT_RANGE[1] + 1, step):
                    xs, ys = project(lons, [lat] * len(lons))
                    got.append(("lat", lat, list(zip(map(float, xs), map(float, ys)))))
                self._lines[step] = got
            return got

    def path(self, step: int) -> QPainterPath:
        lines = self.lines(step)
        with self._lock:
            got = self._paths.get(step)
            if got is None:
                from silkmap.render.geometry_cache import prime

                got = QPainterPath()
                for _axis, _deg, pts in lines:
                    got.moveTo(*pts[0])
                    for x, y in pts[1:]:
                        got.lineTo(x, y)
                prime([got])
                self._paths[step] = got
            return got

    def _step(self, frame) -> int:
        snap = frame.snap
        return step_for(snap.vp.metres_per_pixel * snap.scale)

    def paint(self, painter, frame) -> None:
        if not frame.snap.layer_on(LAYER):
            return
        path = self.path(self._step(frame))
        pen = style.cosmetic(LINE, 0.8 * frame.snap.scale)
        painter.save()
        draw, in_units = frame.path_drawing(painter)
        painter.setPen(in_units(pen))
        draw(path)
        painter.restore()

    def labels(self, frame) -> list:
        snap = frame.snap
        if not snap.layer_on(LAYER):
            return []
        vp, s = snap.vp, snap.scale
        font = frame.fonts.valley
        h = font.height()
        inset = 3.0 * s
        out = []
        for axis, deg, pts in self.lines(self._step(frame)):
            scr = [vp.to_screen(x, y) for x, y in pts]
            at = _meets_edge(scr, vp.width, vp.height, axis)
            if at is None:
                continue
            txt = degrees(deg, axis)
            w = font.width(txt)
            ex, ey = at
            if axis == "lon":  # at the bottom edge, centred on the meridian
                cand = ((-w / 2, -h - inset),)
            else:  # at the left edge, centred on the parallel
                cand = ((inset, -h / 2),)
            out.append(LabelRequest(GRATICULE, "graticule", f"{axis}{deg}", txt, font, ex, ey, FIGURES, cand))
        return out


def _meets_edge(pts, width: float, height: float, axis: str):
    """Where a meridian crosses the bottom edge, or a parallel the left edge, of the frame."""
    for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
        if axis == "lon":
            if (y0 - height) * (y1 - height) <= 0 and y0 != y1:
                t = (height - y0) / (y1 - y0)
                x = x0 + (x1 - x0) * t
                if 0 <= x <= width:
                    return x, height
        else:
            if x0 * x1 <= 0 and x0 != x1:
                t = -x0 / (x1 - x0)
                y = y0 + (y1 - y0) * t
                if 0 <= y <= height:
                    return 0.0, y
    return None
