"""Rivers: drawn by width class (1 widest), the smaller classes only where they read well.

Classes come from the build (tools/geo_physical.py): the named rivers by their drawn length,
then the rivers Natural Earth keeps at 1:50m, then the rest of GSHHG's rivers.
"""

from __future__ import annotations

import math

from PySide6.QtGui import QPainter, QTransform

from silkmap.render import style
from silkmap.render.layers import VIEW, Layer

# Metres per pixel under which a class is drawn: the major rivers always, the minor ones
# zoomed in, where they no longer tangle into a mesh.
SHOWN_BELOW_M_PER_PX = {1: math.inf, 2: math.inf, 3: 2600.0, 4: 1200.0}
WIDTH_PX = {1: 1.5, 2: 1.05, 3: 0.75, 4: 0.55}


def zoom_width(m_per_px: float) -> float:
    """Rivers thicken a little as the view zooms in (×1 at the home view, up to ×1.8)."""
    return 1.0 + min(0.8, max(0.0, 0.25 * math.log2(3000.0 / m_per_px)))


def overlaps(box, bounds) -> bool:
    a0, b0, a1, b1 = box
    x0, y0, x1, y1 = bounds
    return a0 <= x1 and a1 >= x0 and b0 <= y1 and b1 >= y0


def shown(rivers, m_per_px: float, bounds) -> list:
    """The rivers drawn at this scale within these bounds."""
    return [r for r in rivers if m_per_px < SHOWN_BELOW_M_PER_PX[r.klass] and overlaps(r.box, bounds)]


class RiversLayer(Layer):
    name = "rivers"
    depends_on = VIEW

    def paint(self, painter, frame) -> None:
        snap = frame.snap
        phys = self.renderer.physical
        if not snap.layer_on("water") or not phys.ready_for(snap):
            return
        mpp, bounds = snap.vp.metres_per_pixel, snap.vp.bounds()
        drawn = shown(phys.rivers, mpp, bounds)
        if not drawn:
            return
        grow = zoom_width(mpp) * snap.scale
        painter.save()
        base = painter.transform()  # an export may have moved the map
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(style.NO_BRUSH)
        for klass in sorted(WIDTH_PX, reverse=True):  # the small ones first, the big over them
            paths = [r.path for r in drawn if r.klass == klass]
            if not paths:
                continue
            width = WIDTH_PX[klass] * grow
            if snap.vector:
                painter.setPen(frame.output_pen(style.river_pen(width)))
                for path in paths:
                    painter.drawPath(frame.to_output(path))
                continue
            # Qt strokes a line wider than a pixel tens of times slower than a hairline: a wide
            # river is hairlines side by side, each shifted a fraction of a pixel.
            painter.setPen(style.river_pen(min(width, 1.0)))
            for dx, dy in hairline_offsets(width):
                painter.setTransform(frame.map_tf * QTransform.fromTranslate(dx, dy) * base)
                for path in paths:
                    painter.drawPath(path)
        painter.restore()


def hairline_offsets(width: float) -> list[tuple[float, float]]:
    """Screen offsets of the hairlines that together draw a line ``width`` pixels wide: the
    line itself, then steps of at most 0.6 px across and down (any direction widens)."""
    extra = max(0.0, width - 1.0)
    n = math.ceil(extra / 0.6)
    out = [(0.0, 0.0)]
    for k in range(1, n + 1):
        d = extra * k / n
        out += [(d, 0.0), (0.0, d)]
    return out
