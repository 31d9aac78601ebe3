"""Water: the sea and lake colour under the land, skipped where land covers the whole view."""

from __future__ import annotations

from PySide6.QtCore import QRectF

from silkmap.render import style
from silkmap.render.layers import VIEW, Layer


class WaterLayer(Layer):
    name = "water"
    depends_on = VIEW

    def paint(self, painter, frame) -> None:
        snap = frame.snap
        vp = snap.vp
        if self.renderer.cache.all_land(snap.tolerance, *vp.bounds()):  # zoomed into land
            return
        painter.fillRect(QRectF(0, 0, vp.width, vp.height), style.WATER)
