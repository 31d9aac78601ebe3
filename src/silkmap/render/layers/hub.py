"""The Xi'an hub: a star drawn over every other symbol, its label placed before all others."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QPen, QPolygonF

from silkmap.i18n import text
from silkmap.render import style
from silkmap.render.layers import VIEW, Layer
from silkmap.render.layers.labels import HUB, HUB_SYMBOL, LabelRequest, Obstacle

HUB_R = 8.5  # the star's size at symbol scale 1


def star(cx: float, cy: float, outer: float, inner: float) -> QPolygonF:
    pts = []
    for i in range(10):
        r = outer if i % 2 == 0 else inner
        a = -math.pi / 2 + i * math.pi / 5
        pts.append(QPointF(cx + r * math.cos(a), cy + r * math.sin(a)))
    return QPolygonF(pts)


class HubLayer(Layer):
    name = "hub"
    depends_on = VIEW

    def _where(self, frame):
        hub = self.atlas.hub
        hx, hy = frame.snap.vp.to_screen(hub.x, hub.y)
        return (hx, hy) if frame.on_screen(hx, hy, 20) else None

    def paint(self, painter, frame) -> None:
        at = self._where(frame)
        if at is None:
            return
        r = HUB_R * frame.snap.scale
        painter.save()
        painter.setPen(QPen(QColor("white"), 2.2 * frame.snap.scale))
        painter.setBrush(style.HUB)
        painter.drawPolygon(star(at[0], at[1], r * 1.45, r * 0.62))
        painter.restore()

    def labels(self, frame) -> list:
        at = self._where(frame)
        if at is None:
            return []
        hx, hy = at
        r = HUB_R * frame.snap.scale
        font = frame.fonts.hub
        name = text(self.atlas.hub.name, frame.snap.language)
        w, h = font.width(name), font.height()
        return [Obstacle(HUB_SYMBOL, QRectF(hx - r * 1.5, hy - r * 1.5, r * 3, r * 3)),
                LabelRequest(HUB, "hub", self.atlas.hub.id, name, font, hx, hy, style.HUB,
                             ((r * 1.6, -h / 2), (-w - r * 1.6, -h / 2), (-w / 2, r * 1.6),
                              (-w / 2, -h - r * 1.6)))]
