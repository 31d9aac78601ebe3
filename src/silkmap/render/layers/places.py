"""Places: capitals, Silk Road cities and border ports, Belt and Road projects, and their names."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QPen, QPolygonF

from silkmap.i18n import text
from silkmap.render import style
from silkmap.render.layers import TIME, VIEW, Layer
from silkmap.render.layers.labels import CAPITAL_SYMBOL, PLACE, LabelRequest, Obstacle
from silkmap.render.year_style import GHOSTED, ghost, paint_stalled_mark, project_status

CITIES_BELOW_M_PER_PX = 6000.0
CITY_LABELS_BELOW_M_PER_PX = 2600.0
CITY_KINDS = ("city", "border_port", "heritage_site")


def diamond(px: float, py: float, r: float) -> QPolygonF:
    return QPolygonF([QPointF(px, py - r), QPointF(px + r, py), QPointF(px, py + r), QPointF(px - r, py)])


class PlacesLayer(Layer):
    name = "places"
    depends_on = VIEW | TIME  # projects by their status that year

    def symbols(self, frame) -> list:
        """("capital" | "city", place) in drawing order, for the layers switched on."""
        snap = frame.snap
        places = self.atlas.places.values()
        out = []
        if snap.layer_on("capitals"):
            out += [("capital", p) for p in places if p.kind == "capital"]
        if snap.layer_on("cities") and snap.vp.metres_per_pixel < CITIES_BELOW_M_PER_PX:
            out += [("city", p) for p in places if p.kind in CITY_KINDS]
        return out

    def paint(self, painter, frame) -> None:
        snap = frame.snap
        vp, s = snap.vp, snap.scale
        painter.save()
        for kind, p in self.symbols(frame):
            px, py = vp.to_screen(p.x, p.y)
            if not frame.on_screen(px, py, 5):
                continue
            if kind == "capital":
                r = 4.0 * s
                painter.setPen(QPen(QColor("white"), 1.6 * s))
                painter.setBrush(style.CAPITAL)
                painter.drawRect(QRectF(px - r, py - r, 2 * r, 2 * r))
            else:
                r = 2.6 * s
                painter.setPen(QPen(QColor("white"), 1.0 * s))
                painter.setBrush(style.CITY)
                painter.drawEllipse(QPointF(px, py), r, r)
        if snap.layer_on("projects"):
            r = 5.0 * s
            stalled = []
            for pid, (x, y) in self.renderer._project_xy.items():
                status = project_status(pid, snap.dated)
                if status is None:
                    continue  # not yet agreed that year
                px, py = vp.to_screen(x, y)
                if not frame.on_screen(px, py, 8):
                    continue
                painter.setPen(QPen(QColor("white"), 1.4 * s))
                painter.setBrush(ghost(style.PROJECT) if status in GHOSTED else style.PROJECT)
                painter.drawPolygon(diamond(px, py, r))
                if status == "stalled":
                    stalled.append((px, py))
            for px, py in stalled:
                paint_stalled_mark(painter, px + r, py - r, s * 0.8)
        painter.restore()

    def labels(self, frame) -> list:
        snap = frame.snap
        vp, s = snap.vp, snap.scale
        symbols = self.symbols(frame)
        out = []
        for kind, p in symbols:  # capitals keep their squares clear of every label
            if kind != "capital":
                continue
            px, py = vp.to_screen(p.x, p.y)
            if frame.on_screen(px, py, 5):
                r = 4.0 * s
                out.append(Obstacle(CAPITAL_SYMBOL, QRectF(px - r, py - r, 2 * r, 2 * r)))
        font = frame.fonts.place
        d = 5.5 * s
        for kind, p in symbols:  # capitals, then (zoomed in) Silk Road cities
            if kind == "city" and vp.metres_per_pixel > CITY_LABELS_BELOW_M_PER_PX:
                continue
            px, py = vp.to_screen(p.x, p.y)
            if not frame.on_screen(px, py, 0):
                continue
            name = text(p.name, snap.language)
            w, h = font.width(name), font.height()
            out.append(LabelRequest(PLACE, kind, p.id, name, font, px, py,
                                    style.CAPITAL if kind == "capital" else style.CITY,
                                    ((d, -h / 2), (-w - d, -h / 2), (-w / 2, -h - d), (-w / 2, d),
                                     (d, -h), (d, 0), (-w - d, -h), (-w - d, 0))))
        return out
