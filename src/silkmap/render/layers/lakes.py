"""Lakes in the water colour with a fine shore, and the Aral Sea of 1960 as a dashed shore.

The Caspian is not a lake here: the countries leave it uncovered, so it shows as sea.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter

from silkmap.render import style
from silkmap.render.layers import VIEW, Layer
from silkmap.render.layers.rivers import overlaps


class LakesLayer(Layer):
    name = "lakes"
    depends_on = VIEW

    def paint(self, painter, frame) -> None:
        snap = frame.snap
        phys = self.renderer.physical
        if not snap.layer_on("water") or not phys.ready_for(snap):
            return
        bounds = snap.vp.bounds()
        shown = [w for w in phys.lakes if overlaps(w.box, bounds)]
        if not shown:
            return
        s = snap.scale
        painter.save()
        if snap.vector:
            draw = lambda p: painter.drawPath(frame.to_output(p))  # noqa: E731
            pen = frame.output_pen
        else:
            painter.setTransform(frame.map_tf, True)
            draw, pen = painter.drawPath, (lambda p: p)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(style.WATER)
        painter.setPen(pen(style.cosmetic(style.LAKE_SHORE, 0.7 * s)))
        for w in shown:
            if w.kind == "lake":
                draw(w.path)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(pen(style.historic_shore_pen(s)))
        for w in shown:
            if w.kind == "historic":
                draw(w.path)
        painter.restore()
