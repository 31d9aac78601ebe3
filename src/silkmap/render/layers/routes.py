"""Routes: the historical Silk Road under the modern corridors, each with a white casing."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainterPath, QPainterPathStroker

from silkmap.core.lru import LRUCache
from silkmap.render import style
from silkmap.render.geometry_cache import prime
from silkmap.render.layers import TIME, VIEW, Layer
from silkmap.render.paths import polygon_from_xy
from silkmap.render.year_style import dash_status, paint_stalled_mark, route_colour, route_status

STROKE_BUDGET_BYTES = 12 << 20  # a few zoom levels of every route
PIECE_PX = 60.0  # vertices every this many pixels at most; a piece spans two of them


def simplify(xy: list[tuple[float, float]], tol: float) -> list[tuple[float, float]]:
    """Douglas–Peucker: the fewest vertices within ``tol`` of the line."""
    if len(xy) < 3:
        return list(xy)
    keep = [False] * len(xy)
    keep[0] = keep[-1] = True
    stack = [(0, len(xy) - 1)]
    while stack:
        a, b = stack.pop()
        (ax, ay), (bx, by) = xy[a], xy[b]
        dx, dy = bx - ax, by - ay
        norm = math.hypot(dx, dy)
        best, far = -1.0, -1
        for i in range(a + 1, b):
            px, py = xy[i]
            d = abs(dy * (px - ax) - dx * (py - ay)) / norm if norm else math.hypot(px - ax, py - ay)
            if d > best:
                best, far = d, i
        if far >= 0 and best > tol:
            keep[far] = True
            stack += [(a, far), (far, b)]
    return [p for p, k in zip(xy, keep) if k]


def segmentize(xy: list[tuple[float, float]], step: float) -> list[tuple[float, float]]:
    """Extra vertices so no segment is longer than ``step``."""
    out = [xy[0]]
    for (ax, ay), (bx, by) in zip(xy, xy[1:]):
        n = max(1, math.ceil(math.hypot(bx - ax, by - ay) / step))
        out += [(ax + (bx - ax) * k / n, ay + (by - ay) * k / n) for k in range(1, n)]
        out.append((bx, by))
    return out


class RoutesLayer(Layer):
    name = "routes"
    depends_on = VIEW | TIME  # drawn by their status that year: hidden, ghosted, stalled

    def __init__(self, renderer) -> None:
        super().__init__(renderer)
        self._strokes = LRUCache(max_cost=STROKE_BUDGET_BYTES, cost=_strokes_bytes)

    def visible_routes(self, frame) -> list:
        rect = frame.view_rect()
        shown = [r for r in self.atlas.routes.values() if self.renderer.route_shown(r, frame.snap)]
        shown.sort(key=lambda r: r.era == "modern")  # historical routes under modern corridors
        return [r for r in shown if self.renderer.route_bounds[r.id].intersects(rect)]

    def paint(self, painter, frame) -> None:
        snap = frame.snap
        vp, s = snap.vp, snap.scale
        routes = self.visible_routes(frame)
        painter.save()
        if snap.vector:  # SVG/PDF: real stroked lines, in output units
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for r in routes:
                status = route_status(r, snap.dated)
                path = frame.to_output(self.renderer.route_path(r.id))
                painter.setPen(frame.output_pen(style.casing_pen(r.kind, s)))
                painter.drawPath(path)
                pen = style.route_pen(r.kind, dash_status(r, status), s)
                pen.setColor(route_colour(r, status))
                painter.setPen(frame.output_pen(pen))
                painter.drawPath(path)
            painter.restore()
            self._paint_stalled(painter, frame, routes)
            return
        # Raster targets fill outlines stroked once per zoom level: panning reuses them,
        # and stroking dashed, round-joined lines is the costliest step of a frame.
        ox, oy = vp.width / 2.0 - vp.cx * vp.scale, vp.height / 2.0 + vp.cy * vp.scale
        painter.translate(ox, oy)
        painter.setPen(Qt.PenStyle.NoPen)
        w, h = vp.width, vp.height
        for r in routes:
            status = route_status(r, snap.dated)
            pieces = self.strokes(r, vp.scale, s, dash_status(r, status))
            # Only the pieces on screen: zoomed in, a route runs far beyond the view.
            shown = [p for p in pieces if p[2] + ox <= w and p[4] + ox >= 0 and p[3] + oy <= h and p[5] + oy >= 0]
            colour = style.casing_pen(r.kind, s).color()
            for casing, _line, *_box in shown:
                painter.fillPath(casing, colour)
            colour = route_colour(r, status)
            for _casing, line, *_box in shown:
                painter.fillPath(line, colour)
        painter.restore()
        self._paint_stalled(painter, frame, routes)

    def _paint_stalled(self, painter, frame, routes) -> None:
        """A cross on each stalled route, at the vertex halfway along it."""
        snap = frame.snap
        for r in routes:
            if route_status(r, snap.dated) != "stalled":
                continue
            pts = self.renderer.route_points(r.id)
            x, y = pts[len(pts) // 2]
            px, py = snap.vp.to_screen(x, y)
            if frame.on_screen(px, py, 8):
                paint_stalled_mark(painter, px, py, snap.scale)

    def strokes(self, route, scale: float, s: float, status: str | None = None) -> list:
        """The route's casing and line outlines in device pixels, in short pieces, each
        ``(casing, line, x0, y0, x1, y1)``.

        Qt's anti-aliased fill scans the whole bounding box of a path, so one long diagonal
        route costs as much as a filled rectangle; pieces of about 120 px keep the boxes small
        and halve the cost of drawing the routes at 4K. The dash offset runs on across pieces.
        Made once per zoom level on whichever thread first needs them; read-only afterwards.
        """
        status = status or route.status
        key = (route.id, scale, s, status)
        hit = self._strokes.get(key)
        if hit is not None:
            return hit
        pts = self.renderer.route_points(route.id)
        xy = segmentize(simplify(pts, 0.5 / scale), PIECE_PX / scale)
        xy = [(x * scale, -y * scale) for x, y in xy]
        line_pen = style.route_pen(route.kind, status, s)
        casing, body = QPainterPathStroker(style.casing_pen(route.kind, s)), QPainterPathStroker(line_pen)
        pieces = []
        travelled = 0.0
        for i in range(0, len(xy) - 1, 2):
            chunk = xy[i:i + 3]
            path = QPainterPath()
            path.addPolygon(polygon_from_xy([c for p in chunk for c in p]))
            body.setDashOffset(travelled / max(line_pen.widthF(), 1e-6))
            outline = casing.createStroke(path)
            b = outline.boundingRect()
            pieces.append((outline, body.createStroke(path), b.left(), b.top(), b.right(), b.bottom()))
            travelled += sum(math.hypot(x1 - x0, y1 - y0) for (x0, y0), (x1, y1) in zip(chunk, chunk[1:]))
        prime([path for piece in pieces for path in piece[:2]])  # another thread may draw them too
        self._strokes[key] = pieces
        return pieces


def _strokes_bytes(pieces) -> int:
    """A route's stroked pieces as measured in the heap (glibc's count of bytes in use before
    and after stroking every route at twelve zoom levels): about 160 bytes a path element —
    the element itself, the vector copy ``prime`` makes so any thread may draw it, and the
    stroker's slack — and 2.5 kB a piece (two paths, a box, Python's share)."""
    return sum(c.elementCount() + b.elementCount() for c, b, *_box in pieces) * 160 + len(pieces) * 2500
