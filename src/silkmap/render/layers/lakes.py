"""Lakes in the water colour with a fine shore, and the Aral Sea of 1960 as a dashed shore.

The Caspian is not a lake here: the countries leave it uncovered, so it shows as sea.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter

from silkmap.render import style
from silkmap.render.layers import VIEW, Layer
from silkmap.render.layers.rivers import overlaps
from silkmap.render.physical_paths import COARSE_M


class LakesLayer(Layer):
    name = "lakes"
    depends_on = VIEW

    def paint(self, painter, frame) -> None:
        snap = frame.snap
        phys = self.renderer.physical
        if not snap.layer_on("water") or not phys.ready_for(snap):
            return
        vp = snap.vp
        bounds, coarse = vp.bounds(), vp.metres_per_pixel >= COARSE_M
        # A lake under about a pixel across is left out: a speck, not a lake.
        least = 1.2 * vp.metres_per_pixel
        shown = [(w, w.coarse if coarse else w.path) for w in phys.lakes
                 if overlaps(w.box, bounds) and max(w.box[2] - w.box[0], w.box[3] - w.box[1]) >= least]
        shown = [(w, p) for w, p in shown if not p.isEmpty()]
        if not shown:
            return
        s = snap.scale
        painter.save()
        draw, pen = frame.path_drawing(painter)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(style.WATER)
        painter.setPen(pen(style.cosmetic(style.LAKE_SHORE, 0.7 * s)))
        for w, path in shown:
            if w.kind == "lake":
                draw(path)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(pen(style.historic_shore_pen(s)))
        for w, path in shown:
            if w.kind == "historic":
                draw(path)
        painter.restore()
