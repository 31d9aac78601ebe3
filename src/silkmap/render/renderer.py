"""Paint the map: water, countries, routes, places and labels, in map order.

The window and every export call ``MapRenderer.paint`` with a viewport; nothing else
draws the map, so an exported file is what the user saw.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QImage, QPainter, QPainterPath, QPen, QPolygonF, QTransform

from silkmap.core.labels import label_anchor
from silkmap.core.lru import LRUCache
from silkmap.core.state import Selection
from silkmap.core.viewport import Viewport
from silkmap.i18n import text
from silkmap.render import style
from silkmap.render.geometry_cache import GeometryCache
from silkmap.render.paths import line_path

CITY_LABELS_BELOW_M_PER_PX = 2600.0
# Budgets of the caches a long session fills (zoom levels × languages × sizes).
SPRITE_BUDGET_BYTES = 16 << 20
STROKE_BUDGET_BYTES = 8 << 20


@dataclass
class RenderOptions:
    layers: dict[str, bool]
    selection: Selection | None = None
    hover: Selection | None = None
    highlight_selection: bool = True
    scale: float = 1.0  # symbol and text size multiplier (exports at print dpi use > 1)
    allow_detail_load: bool = True
    vector: bool = False  # painting into SVG/PDF: keep text and shapes as vectors
    reserved: list = field(default_factory=list)  # screen rects labels must avoid (legend…)


@dataclass
class LabelBox:
    kind: str
    id: str
    rect: QRectF
    text: str = ""  # as drawn, in the current language


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
        self._font_cache: dict = {}
        self._strokes = LRUCache(max_cost=STROKE_BUDGET_BYTES, cost=_strokes_bytes)
        from silkmap.core.projection import project

        self._project_xy = {pid: tuple(map(float, project(pr.lon, pr.lat)))
                            for pid, pr in self.project_points.items()}

    @staticmethod
    def _label_sprite(txt, font, colour, halo):
        return _label_sprite_impl(txt, font, colour, halo)

    def project_xy(self, pid: str) -> tuple[float, float]:
        return self._project_xy[pid]

    # ------------------------------------------------------------------ painting
    # A frame is four layers. The window caches the two static ones (base, overlay) per
    # viewport, so hover and selection repaint only the two cheap ones; an export paints all
    # four directly. Both go through these methods, so the pixels agree.
    def paint(self, painter: QPainter, vp: Viewport, opts: RenderOptions) -> RenderResult:
        result = RenderResult()
        result.tolerance = self.paint_base(painter, vp, opts)
        self.paint_highlight(painter, vp, opts)
        self.paint_overlay(painter, vp, opts, result)
        self.paint_focus(painter, vp, opts)
        return result

    def _begin(self, painter: QPainter, vp: Viewport) -> QTransform:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        map_tf = QTransform(vp.scale, 0, 0, -vp.scale, vp.width / 2.0 - vp.cx * vp.scale,
                            vp.height / 2.0 + vp.cy * vp.scale)
        return map_tf

    def paint_base(self, painter: QPainter, vp: Viewport, opts: RenderOptions) -> float | None:
        """Water and every country in its plain fill, with outlines. Returns the detail level."""
        map_tf = self._begin(painter, vp)
        paths, tolerance = self.cache.paths_for(vp.metres_per_pixel, allow_load=opts.allow_detail_load)
        if not self.cache.all_land(tolerance, *vp.bounds()):  # zoomed into land: no sea to paint
            painter.fillRect(QRectF(0, 0, vp.width, vp.height), style.WATER)
        painter.setTransform(map_tf, True)  # combine: an export may have moved the map below its title
        self._paint_countries(painter, paths, vp, opts)
        painter.restore()
        return tolerance

    def paint_highlight(self, painter: QPainter, vp: Viewport, opts: RenderOptions) -> None:
        """Tint the hovered and the selected country over the base layer."""
        sel = opts.selection.id if opts.selection and opts.selection.kind == "country" else None
        hov = opts.hover.id if opts.hover and opts.hover.kind == "country" else None
        if not (sel and opts.highlight_selection) and not hov:
            return
        map_tf = self._begin(painter, vp)
        paths, _tol = self.cache.paths_for(vp.metres_per_pixel, allow_load=opts.allow_detail_load)
        painter.setTransform(map_tf, True)
        x0, y0, x1, y1 = vp.bounds()
        if hov and hov != sel and hov in paths:
            country = self.atlas.countries.get(hov)
            if country is not None and (country.is_focus or opts.layers.get("neighbours", True)):
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(style.hover_tint(hov if country.is_focus else None))
                cp = paths[hov]
                for i in cp.visible(x0, y0, x1, y1):
                    painter.drawPath(cp.fills[i])
        if sel and opts.highlight_selection and sel in paths:
            cp = paths[sel]
            tiles = cp.visible(x0, y0, x1, y1)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(style.selected_tint(sel))
            for i in tiles:
                painter.drawPath(cp.fills[i])
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(style.cosmetic(style.SELECTED_EDGE, 2.6 * opts.scale))
            for i in tiles:
                painter.drawPath(cp.lines[i])
        painter.restore()

    def paint_overlay(self, painter: QPainter, vp: Viewport, opts: RenderOptions,
                      result: RenderResult | None = None) -> RenderResult:
        """Routes, symbols and labels: everything above the country fills."""
        result = result or RenderResult()
        self._begin(painter, vp)
        self._paint_routes(painter, vp, opts)
        self._paint_places_and_labels(painter, vp, opts, result)
        painter.restore()
        return result

    def paint_focus(self, painter: QPainter, vp: Viewport, opts: RenderOptions) -> None:
        """The hovered or selected route and the selected project, drawn on top."""
        map_tf = self._begin(painter, vp)
        base = painter.transform()
        painter.setTransform(map_tf, True)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        view_rect = QRectF(*self._view_rect(vp))
        for sel in (opts.hover, opts.selection):
            if sel and sel.kind == "route" and sel.id in self.atlas.routes:
                r = self.atlas.routes[sel.id]
                path = self._route_paths[r.id]
                if path.boundingRect().intersects(view_rect):
                    painter.setPen(style.casing_pen(r.kind, opts.scale, True))
                    painter.drawPath(path)
                    painter.setPen(style.route_pen(r.kind, r.status, opts.scale, True))
                    painter.drawPath(path)
        painter.setTransform(base)
        sel = opts.selection
        for item in (opts.hover, sel):
            if item and item.kind == "hub":  # a ring around the star: the hub is the focus
                hx, hy = vp.to_screen(self.atlas.hub.x, self.atlas.hub.y)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.setPen(QPen(style.HUB, (2.4 if item is sel else 1.4) * opts.scale))
                painter.drawEllipse(QPointF(hx, hy), 17 * opts.scale, 17 * opts.scale)
        if sel and sel.kind == "project" and sel.id in self._project_xy:
            px, py = vp.to_screen(*self._project_xy[sel.id])
            r = 8.0 * opts.scale
            painter.setPen(QPen(QColor("#1d1d1d"), 1.6 * opts.scale))
            painter.setBrush(QColor("#ffb000"))
            painter.drawPolygon(QPolygonF([QPointF(px, py - r), QPointF(px + r, py),
                                           QPointF(px, py + r), QPointF(px - r, py)]))
        painter.restore()

    @staticmethod
    def _view_rect(vp: Viewport):
        x0, y0, x1, y1 = vp.bounds()
        return x0, y0, x1 - x0, y1 - y0

    def _paint_countries(self, painter: QPainter, paths, vp: Viewport, opts: RenderOptions) -> None:
        show_neighbours = opts.layers.get("neighbours", True)
        x0, y0, x1, y1 = vp.bounds()
        focus, others = [], []
        for iso, cp in paths.items():
            country = self.atlas.countries.get(iso)
            if country is None:
                continue
            tiles = cp.visible(x0, y0, x1, y1)
            if len(tiles):
                (focus if country.is_focus else others).append((iso, cp, tiles))
        # Fills without anti-aliasing, outlines with it: the 1 px outline covers the fill's
        # stair-steps, and anti-aliased filling of 1:10m coastlines is most of a frame's cost.
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(style.NEIGHBOUR_FILL if show_neighbours else style.NEIGHBOUR_HIDDEN)
        for _iso, cp, tiles in others:
            for i in tiles:
                painter.drawPath(cp.fills[i])
        for iso, cp, tiles in focus:
            painter.setBrush(style.FOCUS_FILL[iso])
            for i in tiles:
                painter.drawPath(cp.fills[i])
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(style.cosmetic(style.NEIGHBOUR_EDGE, 0.9 * opts.scale))
        for _iso, cp, tiles in others:
            for i in tiles:
                painter.drawPath(cp.lines[i])
        painter.setPen(style.cosmetic(style.FOCUS_EDGE, 1.0 * opts.scale))
        for _iso, cp, tiles in focus:
            for i in tiles:
                painter.drawPath(cp.lines[i])

    def route_visible(self, route, layers: dict[str, bool]) -> bool:
        return layers.get(style.ROUTE_LAYER[route.kind], True)

    def _paint_routes(self, painter: QPainter, vp: Viewport, opts: RenderOptions) -> None:
        view_rect = QRectF(*self._view_rect(vp))
        visible = [r for r in self.atlas.routes.values() if self.route_visible(r, opts.layers)]
        # Historical routes underneath modern corridors.
        visible.sort(key=lambda r: r.era == "modern")
        if opts.vector:  # SVG/PDF: real stroked lines, not filled outlines
            base = painter.transform()
            painter.setTransform(QTransform(vp.scale, 0, 0, -vp.scale, vp.width / 2.0 - vp.cx * vp.scale,
                                            vp.height / 2.0 + vp.cy * vp.scale), True)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for r in visible:
                path = self._route_paths[r.id]
                if path.boundingRect().intersects(view_rect):
                    painter.setPen(style.casing_pen(r.kind, opts.scale))
                    painter.drawPath(path)
                    painter.setPen(style.route_pen(r.kind, r.status, opts.scale))
                    painter.drawPath(path)
            painter.setTransform(base)
            return
        # Raster targets fill outlines stroked once per zoom level: panning reuses them,
        # and stroking dashed, round-joined lines is the costliest step of a frame.
        painter.save()
        painter.translate(vp.width / 2.0 - vp.cx * vp.scale, vp.height / 2.0 + vp.cy * vp.scale)
        painter.setPen(Qt.PenStyle.NoPen)
        for r in visible:
            if not self._route_paths[r.id].boundingRect().intersects(view_rect):
                continue
            pieces, boxes = self._route_strokes(r, vp.scale, opts.scale)
            # Only the pieces on screen: zoomed in, a route runs far beyond the view.
            ox, oy = vp.width / 2.0 - vp.cx * vp.scale, vp.height / 2.0 + vp.cy * vp.scale
            shown = np.nonzero((boxes[:, 0] + ox <= vp.width) & (boxes[:, 2] + ox >= 0)
                               & (boxes[:, 1] + oy <= vp.height) & (boxes[:, 3] + oy >= 0))[0]
            colour = style.casing_pen(r.kind, opts.scale).color()
            for i in shown:
                painter.fillPath(pieces[i][0], colour)
            colour = style.ROUTE_COLOUR[r.kind]
            for i in shown:
                painter.fillPath(pieces[i][1], colour)
        painter.restore()

    def _route_strokes(self, route, scale: float, s: float):
        """The route's casing and line outlines in device pixels, in short pieces.

        Qt's anti-aliased fill scans the whole bounding box of a path, so one long diagonal
        route costs as much as a filled rectangle; pieces of about 120 px keep the boxes small
        and halve the cost of drawing the routes at 4K. The dash offset runs on across pieces.
        """
        key = (route.id, scale, s)
        hit = self._strokes.get(key)
        if hit is not None:
            return hit
        import shapely
        from PySide6.QtGui import QPainterPathStroker

        from silkmap.render.paths import polygon_from_array

        line = shapely.simplify(shapely.LineString(route.xy), 0.5 / scale)
        xy = shapely.get_coordinates(shapely.segmentize(line, 60.0 / scale)) * (scale, -scale)
        casing_pen = style.casing_pen(route.kind, s)
        line_pen = style.route_pen(route.kind, route.status, s)
        casing, body = QPainterPathStroker(casing_pen), QPainterPathStroker(line_pen)
        pieces = []
        travelled = 0.0
        for i in range(0, len(xy) - 1, 2):
            chunk = xy[i:i + 3]
            path = QPainterPath()
            path.addPolygon(polygon_from_array(chunk))
            body.setDashOffset(travelled / max(line_pen.widthF(), 1e-6))
            pieces.append((casing.createStroke(path), body.createStroke(path)))
            travelled += float(np.hypot(*np.diff(chunk, axis=0).T).sum())
        boxes = np.array([[b.left(), b.top(), b.right(), b.bottom()]
                          for b in (c.boundingRect() for c, _l in pieces)]).reshape(-1, 4)
        self._strokes[key] = hit = (pieces, boxes)
        return hit

    def _fonts(self, s: float):
        from PySide6.QtGui import QGuiApplication

        key = (s, QGuiApplication.font().key())
        fonts = self._font_cache.get(key)
        if fonts is None:
            fonts = self._font_cache[key] = self._make_fonts(s)
            for f in fonts:
                _FONT_KEYS[id(f)] = f.key()
        return fonts

    def _make_fonts(self, s: float):
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
        placed = _Occupancy()
        for rect in opts.reserved:
            placed.append(rect)
        labels: list[tuple[str, QFont, QRectF, QColor]] = []
        layers = opts.layers
        atlas = self.atlas

        def on_screen(px, py, pad=0.0):
            return -pad <= px <= vp.width + pad and -pad <= py <= vp.height + pad

        def free(rect: QRectF) -> bool:
            return placed.free(rect)

        def text_path(txt: str, font: QFont, x: float, y: float) -> QPainterPath:
            p = QPainterPath()
            p.addText(QPointF(x, y), font, txt)
            return p

        def place_label(kind, ident, txt, font, px, py, colour, candidates, must=False,
                        leader_from=None) -> bool:
            w, h = _w(font, txt), _h(font)
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
                    labels.append((txt, font, rect, colour))
                    result.labels.append(LabelBox(kind, ident, rect, txt))
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
            for pid, (x, y) in self._project_xy.items():
                px, py = vp.to_screen(x, y)
                if not on_screen(px, py, 8):
                    continue
                r = 5.0 * s
                painter.setPen(QPen(QColor("white"), 1.4 * s))
                painter.setBrush(style.PROJECT)
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
                    w, h = _w(neighbour_font, name), _h(neighbour_font)
                    # Nudged a little (not far: it must stay over its country) when crowded or
                    # when the view's edge cuts it.
                    nudges = [(-w / 2 + dx * w * 0.6, -h / 2 + dy * h * 1.2)
                              for dx, dy in ((0, 0), (0, -1), (0, 1), (-1, 0), (1, 0),
                                             (-1, -1), (1, -1), (-1, 1), (1, 1))]
                    place_label("country", iso, name, neighbour_font, px, py, style.LABEL_NEIGHBOUR, nudges)

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
        for txt, font, rect, colour in labels:
            if opts.vector:  # SVG and PDF keep text as outlines, not pixels
                path = text_path(txt, font, rect.left(), rect.top() + QFontMetricsF(font).ascent())
                painter.strokePath(path, halo)
                painter.fillPath(path, QBrush(colour))
            else:
                sprite, pad = self._label_sprite(txt, font, colour, halo)
                painter.drawImage(QPointF(rect.left() - pad, rect.top() - pad), sprite)


_SPRITES = LRUCache(max_cost=SPRITE_BUDGET_BYTES, cost=lambda hit: hit[0].sizeInBytes())


def _label_sprite_impl(txt: str, font: QFont, colour: QColor, halo: QPen):
    """A label with its halo, rendered once: outlining glyphs at every repaint is the slowest
    part of a frame, so raster targets reuse these images."""
    key = (txt, _font_key(font), colour.rgba(), halo.widthF())
    hit = _SPRITES.get(key)
    if hit is not None:
        return hit
    fm = QFontMetricsF(font)
    pad = int(halo.widthF()) + 2
    w = int(fm.horizontalAdvance(txt)) + 2 * pad + 2
    h = int(fm.height()) + 2 * pad + 2
    img = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    path = QPainterPath()
    path.addText(QPointF(pad, pad + fm.ascent()), font, txt)
    p.strokePath(path, halo)
    p.fillPath(path, QBrush(colour))
    p.end()
    # A painted QImage keeps its raster paint engine (~45 KB, more than the pixels); a copy does not.
    _SPRITES[key] = (img.copy(), pad)
    return img, pad


_METRICS = LRUCache(max_items=512)
_WIDTHS = LRUCache(max_items=50_000)
_FONT_KEYS: dict = {}  # id of a renderer's cached QFont → its key (QFont.key() is slow)


def _strokes_bytes(hit) -> int:
    """A route's stroked pieces as measured in resident memory: about 40 bytes a path element
    and 300 a path (Qt's and Python's share), plus the boxes."""
    pieces, boxes = hit
    return sum(c.elementCount() + b.elementCount() for c, b in pieces) * 40 + len(pieces) * 600 + boxes.nbytes


def _font_key(font: QFont) -> str:
    key = _FONT_KEYS.get(id(font))
    return key if key is not None else font.key()


def _fm(font: QFont) -> QFontMetricsF:
    key = _font_key(font)
    fm = _METRICS.get(key)
    if fm is None:
        fm = _METRICS[key] = QFontMetricsF(font)
    return fm


def _w(font: QFont, txt: str) -> float:
    key = (_font_key(font), txt)
    w = _WIDTHS.get(key)
    if w is None:
        w = _WIDTHS[key] = _fm(font).horizontalAdvance(txt)
    return w


def _h(font: QFont) -> float:
    return _fm(font).height()


class _Occupancy:
    """Rectangles already taken by labels and symbols, bucketed on a grid for quick tests."""

    CELL = 64.0

    def __init__(self) -> None:
        self._cells: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}

    def _span(self, x0, y0, x1, y1):
        c = self.CELL
        for i in range(int(x0 // c), int(x1 // c) + 1):
            for j in range(int(y0 // c), int(y1 // c) + 1):
                yield i, j

    def append(self, rect: QRectF) -> None:
        r = (rect.left(), rect.top(), rect.right(), rect.bottom())
        for cell in self._span(*r):
            self._cells.setdefault(cell, []).append(r)

    def free(self, rect: QRectF) -> bool:
        x0, y0, x1, y1 = rect.left(), rect.top(), rect.right(), rect.bottom()
        for cell in self._span(x0, y0, x1, y1):
            for a0, b0, a1, b1 in self._cells.get(cell, ()):
                if x0 < a1 and a0 < x1 and y0 < b1 and b0 < y1:
                    return False
        return True


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
