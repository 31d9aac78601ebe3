"""Paint the map: water, countries, routes, places and labels, in map order.

The window and every export call ``MapRenderer.paint`` with a viewport; nothing else
draws the map, so an exported file is what the user saw.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF, QTransform

from silkmap.core.labels import label_anchor
from silkmap.core.state import Selection
from silkmap.core.viewport import Viewport
from silkmap.i18n import text
from silkmap.render import style
from silkmap.render.geometry_cache import GeometryCache
from silkmap.render.paths import line_path

CITY_LABELS_BELOW_M_PER_PX = 2600.0


@dataclass
class RenderOptions:
    layers: dict[str, bool]
    selection: Selection | None = None
    hover: Selection | None = None
    highlight_selection: bool = True
    scale: float = 1.0  # symbol and text size multiplier (exports at print dpi use > 1)
    allow_detail_load: bool = True


@dataclass
class LabelBox:
    kind: str
    id: str
    rect: QRectF


@dataclass
class RenderResult:
    tolerance: float | None = None  # None: the 1:50m outlines were drawn
    labels: list[LabelBox] = field(default_factory=list)
    hidden_labels: list[str] = field(default_factory=list)


class MapRenderer:
    def __init__(self, atlas, cache: GeometryCache | None = None) -> None:
        self.atlas = atlas
        self.cache = cache or GeometryCache(atlas)
        self._route_paths = {rid: line_path(r.xy) for rid, r in atlas.routes.items()}
        self._anchors = {iso: label_anchor(c) for iso, c in atlas.countries.items()}
        self.project_points = {pr.id: pr for p in atlas.profiles.values() for pr in p.projects}
        from silkmap.core.projection import project

        self._project_xy = {pid: tuple(map(float, project(pr.lon, pr.lat)))
                            for pid, pr in self.project_points.items()}

    def project_xy(self, pid: str) -> tuple[float, float]:
        return self._project_xy[pid]

    # ------------------------------------------------------------------ painting
    def paint(self, painter: QPainter, vp: Viewport, opts: RenderOptions) -> RenderResult:
        result = RenderResult()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        painter.fillRect(QRectF(0, 0, vp.width, vp.height), style.WATER)
        paths, result.tolerance = self.cache.paths_for(vp.metres_per_pixel, allow_load=opts.allow_detail_load)

        map_tf = QTransform(vp.scale, 0, 0, -vp.scale, vp.width / 2.0 - vp.cx * vp.scale,
                            vp.height / 2.0 + vp.cy * vp.scale)
        view_rect = QRectF(*self._view_rect(vp))
        base = painter.transform()  # an export may have moved the map below its title
        painter.setTransform(map_tf, True)
        self._paint_countries(painter, paths, view_rect, opts)
        self._paint_routes(painter, view_rect, opts)
        painter.setTransform(base)
        self._paint_places_and_labels(painter, vp, opts, result)
        painter.restore()
        return result

    @staticmethod
    def _view_rect(vp: Viewport):
        x0, y0, x1, y1 = vp.bounds()
        return x0, y0, x1 - x0, y1 - y0

    def _paint_countries(self, painter: QPainter, paths, view_rect: QRectF, opts: RenderOptions) -> None:
        sel = opts.selection.id if opts.selection and opts.selection.kind == "country" else None
        hov = opts.hover.id if opts.hover and opts.hover.kind == "country" else None
        show_neighbours = opts.layers.get("neighbours", True)
        painter.setPen(style.cosmetic(style.NEIGHBOUR_EDGE, 0.8 * opts.scale))
        # Neighbours first, then the six, so the focus outlines sit on top.
        for iso, path in paths.items():
            country = self.atlas.countries.get(iso)
            if country is None or country.is_focus or not path.boundingRect().intersects(view_rect):
                continue
            fill = style.NEIGHBOUR_HOVER if iso == hov else style.NEIGHBOUR_FILL
            painter.setBrush(fill if show_neighbours else style.WATER.lighter(104))
            painter.drawPath(path)
        for iso in ("CHN", "KAZ", "KGZ", "TJK", "TKM", "UZB"):
            path = paths[iso]
            if not path.boundingRect().intersects(view_rect):
                continue
            if iso == sel and opts.highlight_selection:
                fill = style.FOCUS_SELECTED[iso]
            elif iso == hov:
                fill = style.FOCUS_HOVER[iso]
            else:
                fill = style.FOCUS_FILL[iso]
            painter.setBrush(fill)
            painter.setPen(style.cosmetic(style.FOCUS_EDGE, 1.0 * opts.scale))
            painter.drawPath(path)
        if sel and opts.highlight_selection and sel in paths:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(style.cosmetic(style.SELECTED_EDGE, 2.6 * opts.scale))
            painter.drawPath(paths[sel])

    def route_visible(self, route, layers: dict[str, bool]) -> bool:
        return layers.get(style.ROUTE_LAYER[route.kind], True)

    def _paint_routes(self, painter: QPainter, view_rect: QRectF, opts: RenderOptions) -> None:
        painter.setBrush(Qt.BrushStyle.NoBrush)
        sel = opts.selection.id if opts.selection and opts.selection.kind == "route" else None
        hov = opts.hover.id if opts.hover and opts.hover.kind == "route" else None
        visible = [r for r in self.atlas.routes.values()
                   if self.route_visible(r, opts.layers) or r.id == sel]
        # Historical routes underneath modern corridors; the selected route on top.
        visible.sort(key=lambda r: (r.id == sel, r.era == "modern"))
        for r in visible:
            path = self._route_paths[r.id]
            if not path.boundingRect().intersects(view_rect):
                continue
            hl = r.id in (sel, hov)
            painter.setPen(style.casing_pen(r.kind, opts.scale, hl))
            painter.drawPath(path)
            painter.setPen(style.route_pen(r.kind, r.status, opts.scale, hl))
            painter.drawPath(path)

    # ------------------------------------------------------------------ symbols and labels
    def _fonts(self, s: float):
        base = QFont()
        base.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
        focus = QFont(base)
        focus.setPixelSize(round(15 * s))
        focus.setBold(True)
        focus.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 104)
        neighbour = QFont(base)
        neighbour.setPixelSize(round(12 * s))
        neighbour.setItalic(True)
        place = QFont(base)
        place.setPixelSize(round(11.5 * s))
        hub = QFont(base)
        hub.setPixelSize(round(14 * s))
        hub.setBold(True)
        return focus, neighbour, place, hub

    def _paint_places_and_labels(self, painter: QPainter, vp: Viewport, opts: RenderOptions,
                                 result: RenderResult) -> None:
        s = opts.scale
        focus_font, neighbour_font, place_font, hub_font = self._fonts(s)
        placed: list[QRectF] = []
        labels: list[tuple[QPainterPath, QColor]] = []
        layers = opts.layers
        atlas = self.atlas

        def on_screen(px, py, pad=0.0):
            return -pad <= px <= vp.width + pad and -pad <= py <= vp.height + pad

        def free(rect: QRectF) -> bool:
            return all(not rect.intersects(o) for o in placed)

        def text_path(txt: str, font: QFont, x: float, y: float) -> QPainterPath:
            p = QPainterPath()
            p.addText(QPointF(x, y), font, txt)
            return p

        def place_label(kind, ident, txt, font, px, py, colour, candidates, must=False,
                        leader_from=None) -> bool:
            fm = QFontMetricsF(font)
            w, h = fm.horizontalAdvance(txt), fm.height()
            tries = list(candidates)
            if must:  # widen the search in rings so a focus label is moved, never dropped
                for ring in (1.6, 2.4, 3.4, 4.6):
                    for dx, dy in ((0, -1), (0, 1), (1, 0), (-1, 0), (1, -1), (-1, -1), (1, 1), (-1, 1)):
                        tries.append((-w / 2 + dx * w * 0.5 * ring, -h / 2 + dy * h * ring))
            for dx, dy in tries:
                rect = QRectF(px + dx, py + dy, w, h)
                if not (0 <= rect.left() and rect.right() <= vp.width and 0 <= rect.top()
                        and rect.bottom() <= vp.height):
                    continue
                if free(rect):
                    placed.append(rect)
                    labels.append((text_path(txt, font, rect.left(), rect.top() + fm.ascent()), colour))
                    result.labels.append(LabelBox(kind, ident, rect))
                    moved = abs(dx + w / 2) > w * 0.6 or abs(dy + h / 2) > h * 1.2
                    if leader_from is not None and moved:
                        lx, ly = leader_from
                        c = rect.center()
                        pen = QPen(QColor(60, 60, 60, 170), 1.0 * s)
                        painter.setPen(pen)
                        painter.drawLine(QPointF(lx, ly), QPointF(c.x(), rect.bottom() if ly > c.y() else rect.top()))
                    return True
            result.hidden_labels.append(f"{kind}:{ident}")
            return False

        # 1. The hub always wins: its label is placed first, its star drawn over everything.
        hub = atlas.hub
        hx, hy = vp.to_screen(hub.x, hub.y)
        hub_r = 8.5 * s
        hub_visible = on_screen(hx, hy, 20)
        if hub_visible:
            placed.append(QRectF(hx - hub_r * 1.5, hy - hub_r * 1.5, hub_r * 3, hub_r * 3))
            fm = QFontMetricsF(hub_font)
            name = text(hub.name)
            w, h = fm.horizontalAdvance(name), fm.height()
            r = hub_r
            place_label("hub", hub.id, name, hub_font, hx, hy, style.HUB,
                        [(r * 1.6, -h / 2), (-w - r * 1.6, -h / 2), (-w / 2, r * 1.6), (-w / 2, -h - r * 1.6)])

        # 2. Symbols of capitals, cities and projects (drawn before labels, labels avoid them).
        symbols = []
        if layers.get("capitals", True):
            for p in atlas.places.values():
                if p.kind == "capital":
                    symbols.append(("capital", p))
        if layers.get("cities", True) and vp.metres_per_pixel < 6000:
            for p in atlas.places.values():
                if p.kind in ("city", "border_port", "heritage_site"):
                    symbols.append(("city", p))
        for kind, p in symbols:
            px, py = vp.to_screen(p.x, p.y)
            if not on_screen(px, py, 5):
                continue
            if kind == "capital":
                r = 4.0 * s
                painter.setPen(QPen(QColor("white"), 1.6 * s))
                painter.setBrush(style.CAPITAL)
                painter.drawRect(QRectF(px - r, py - r, 2 * r, 2 * r))
                placed.append(QRectF(px - r, py - r, 2 * r, 2 * r))
            else:
                r = 2.6 * s
                painter.setPen(QPen(QColor("white"), 1.0 * s))
                painter.setBrush(style.CITY)
                painter.drawEllipse(QPointF(px, py), r, r)
        if layers.get("projects", True):
            sel_pid = opts.selection.id if opts.selection and opts.selection.kind == "project" else None
            for pid, (x, y) in self._project_xy.items():
                px, py = vp.to_screen(x, y)
                if not on_screen(px, py, 8):
                    continue
                r = (7.5 if pid == sel_pid else 5.0) * s
                painter.setPen(QPen(QColor("white"), 1.4 * s))
                painter.setBrush(QColor("#e8a200") if pid == sel_pid else style.PROJECT)
                painter.drawPolygon(QPolygonF([QPointF(px, py - r), QPointF(px + r, py),
                                               QPointF(px, py + r), QPointF(px - r, py)]))

        # 3. Country labels: the six first (moved if they must be, never dropped), then neighbours.
        if layers.get("labels", True):
            for iso in ("KAZ", "CHN", "UZB", "TKM", "KGZ", "TJK"):
                x, y = self._anchors[iso]
                px, py = vp.to_screen(x, y)
                if not on_screen(px, py, -4):
                    continue
                name = text(atlas.countries[iso].names)
                place_label("country", iso, name.upper() if _is_latin(name) else name, focus_font,
                            px, py, style.LABEL, [(-_w(focus_font, name) / 2, -_h(focus_font) / 2)],
                            must=True, leader_from=(px, py))
            if layers.get("neighbours", True):
                for iso, c in atlas.countries.items():
                    if c.is_focus or c.role != "neighbour":
                        continue
                    x, y = self._anchors[iso]
                    px, py = vp.to_screen(x, y)
                    if not on_screen(px, py, -10):
                        continue
                    if c.shape.area * vp.scale * vp.scale < 2500:  # too small to carry a name here
                        continue
                    name = text(c.names)
                    place_label("country", iso, name, neighbour_font, px, py, style.LABEL_NEIGHBOUR,
                                [(-_w(neighbour_font, name) / 2, -_h(neighbour_font) / 2)])

        # 4. Place labels: capitals, then (zoomed in) Silk Road cities.
        for kind, p in symbols:
            if kind == "city" and vp.metres_per_pixel > CITY_LABELS_BELOW_M_PER_PX:
                continue
            px, py = vp.to_screen(p.x, p.y)
            if not on_screen(px, py, 0):
                continue
            name = text(p.name)
            w, h = _w(place_font, name), _h(place_font)
            d = 5.5 * s
            place_label(kind, p.id, name, place_font, px, py,
                        style.CAPITAL if kind == "capital" else style.CITY,
                        [(d, -h / 2), (-w - d, -h / 2), (-w / 2, -h - d), (-w / 2, d),
                         (d, -h), (d, 0), (-w - d, -h), (-w - d, 0)])

        if hub_visible:
            painter.setPen(QPen(QColor("white"), 2.2 * s))
            painter.setBrush(style.HUB)
            painter.drawPolygon(_star(hx, hy, hub_r * 1.45, hub_r * 0.62))
        halo = QPen(style.HALO, 3.2 * s)
        halo.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        for path, colour in labels:
            painter.strokePath(path, halo)
            painter.fillPath(path, QBrush(colour))


def _w(font: QFont, txt: str) -> float:
    return QFontMetricsF(font).horizontalAdvance(txt)


def _h(font: QFont) -> float:
    return QFontMetricsF(font).height()


def _is_latin(txt: str) -> bool:
    return all(ord(ch) < 0x2E80 for ch in txt)


def _star(cx: float, cy: float, outer: float, inner: float) -> QPolygonF:
    import math

    pts = []
    for i in range(10):
        r = outer if i % 2 == 0 else inner
        a = -math.pi / 2 + i * math.pi / 5
        pts.append(QPointF(cx + r * math.cos(a), cy + r * math.sin(a)))
    return QPolygonF(pts)
