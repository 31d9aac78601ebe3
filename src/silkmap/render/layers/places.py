"""Places: capitals, Silk Road cities and border ports, Belt and Road projects, and their names."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QPen, QPolygonF

from silkmap.i18n import text
from silkmap.render import style
from silkmap.render.layers import TIME, VIEW, Layer
from silkmap.render.layers.labels import CAPITAL, PLACE, PROJECT_SYMBOL, LabelRequest, Obstacle, Symbol
from silkmap.render.year_style import GHOSTED, ghost, paint_stalled_mark, project_status

CITIES_BELOW_M_PER_PX = 6000.0
CITY_LABELS_BELOW_M_PER_PX = 2600.0
CITY_KINDS = ("city", "border_port", "heritage_site")
# Which city names win a crowded spot: towns before ruins, then the places more routes pass.
_KIND_RANK = {"city": 0, "border_port": 0, "heritage_site": 1}
CAPITAL_R, CITY_R, PROJECT_R = 4.0, 2.6, 5.0  # symbol radii at symbol scale 1
MIN_DOT_GAP = 14.0  # px at symbol scale 1 between two place symbols


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
            out += self._thinned(frame, [p for p in places if p.kind in CITY_KINDS], out)
        return out

    def _thinned(self, frame, cities, kept) -> list:
        """The cities whose dot stands clear of the capitals' and of more important cities'
        (``label_order``): a dot a few pixels from another could be named by neither."""
        vp = frame.snap.vp
        gap = MIN_DOT_GAP * frame.snap.scale
        order = self.label_order()
        taken = [vp.to_screen(p.x, p.y) for _kind, p in kept]
        out = []
        for p in sorted(cities, key=lambda c: order[c.id]):
            x, y = vp.to_screen(p.x, p.y)
            if all((x - a) ** 2 + (y - b) ** 2 >= gap * gap for a, b in taken):
                taken.append((x, y))
                out.append(("city", p))
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
                r = CAPITAL_R * s
                painter.setPen(QPen(QColor("white"), 1.6 * s))
                painter.setBrush(style.CAPITAL)
                painter.drawRect(QRectF(px - r, py - r, 2 * r, 2 * r))
            else:
                r = CITY_R * s
                painter.setPen(QPen(QColor("white"), 1.0 * s))
                painter.setBrush(style.CITY)
                painter.drawEllipse(QPointF(px, py), r, r)
        if snap.layer_on("projects"):
            r = PROJECT_R * s
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

    def label_order(self) -> dict[str, tuple]:
        """Sort keys of the places' names: capitals, then towns by the routes through them."""
        order = getattr(self, "_order", None)
        if order is None:
            through: dict[str, int] = {}
            for route in self.atlas.routes.values():
                for wp in route.waypoints:
                    if wp.place is not None:
                        through[wp.place] = through.get(wp.place, 0) + 1
            order = self._order = {p.id: (p.kind != "capital", _KIND_RANK.get(p.kind, 0), -through.get(p.id, 0), i)
                                   for i, p in enumerate(self.atlas.places.values())}
        return order

    def labels(self, frame) -> list:
        snap = frame.snap
        vp, s = snap.vp, snap.scale
        symbols = self.symbols(frame)
        out = []
        for kind, p in symbols:  # every symbol drawn keeps its area clear and counts as a rival
            px, py = vp.to_screen(p.x, p.y)
            if frame.on_screen(px, py, 5):
                r = (CAPITAL_R if kind == "capital" else CITY_R) * s + 0.8 * s
                out.append(Symbol("place", p.id, px, py, QRectF(px - r, py - r, 2 * r, 2 * r)))
        if snap.layer_on("projects"):
            r = PROJECT_R * s + 0.7 * s
            for x, y in self.renderer._project_xy.values():
                px, py = vp.to_screen(x, y)
                if frame.on_screen(px, py, 8):
                    out.append(Obstacle(PROJECT_SYMBOL, QRectF(px - r, py - r, 2 * r, 2 * r)))
        font = frame.fonts.place
        d = 5.5 * s
        order = self.label_order()
        named = [(kind, p) for kind, p in symbols
                 if kind == "capital" or vp.metres_per_pixel <= CITY_LABELS_BELOW_M_PER_PX]
        for kind, p in sorted(named, key=lambda kp: order[kp[1].id]):
            px, py = vp.to_screen(p.x, p.y)
            if not frame.on_screen(px, py, 0):
                continue
            name = text(p.name, snap.language)
            w, h = font.width(name), font.height()
            # Beside the symbol first, then closer in (a neighbour's dot near), then farther out.
            tries = tuple((dx, dy) for g in (d, 0.6 * d, 1.8 * d)
                          for dx, dy in ((g, -h / 2), (-w - g, -h / 2), (-w / 2, -h - g), (-w / 2, g),
                                         (g, -h + g / 2), (g, -g / 2), (-w - g, -h + g / 2), (-w - g, -g / 2)))
            out.append(LabelRequest(CAPITAL if kind == "capital" else PLACE, kind, p.id, name, font, px, py,
                                    style.CAPITAL if kind == "capital" else style.CITY, tries,
                                    must=kind == "capital", group="place"))
        return out
