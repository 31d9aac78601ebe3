"""Annotations: the user's text, arrows (callouts) and circles, on top of everything.

Drawn as a news graphic's callouts: dark bold text with a white halo, a thin dark leader line
ending in a small solid arrowhead, and a red ring. Positions come from the map (metres), sizes
from the symbol scale, so the window and an export at any dpi draw the same figure.

The layer reads ``snap.annotations``; the window passes none to its worker and paints the
same items with ``paint_annotations`` over its frame at the current view, so a moved
annotation follows the pointer at once. ``geometry`` and ``hit`` serve the window's editing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QImage, QPainter, QPainterPath, QPen, QPolygonF

from silkmap.core.lru import LRUCache
from silkmap.render.layers import DYNAMIC, VIEW, Layer
from silkmap.render.text_outline import is_vector

INK = QColor("#1b1b1b")
RING = QColor("#c62828")
HALO = QColor(255, 255, 255, 235)
TEXT_PX = 15.0
LINE_PX = 1.6
RING_PX = 2.4
HEAD_PX = 9.0  # the arrowhead's length
GAP_PX = 5.0  # between a callout's end and its text
PLACEHOLDER = "…"  # an annotation without text still shows where its text goes


def annotation_font(base: QFont, s: float) -> QFont:
    font = QFont(base)
    font.setPixelSize(max(1, round(TEXT_PX * s)))
    font.setBold(True)
    font.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
    return font


@dataclass
class Geometry:
    """Where an annotation's parts are on screen."""

    anchor: QPointF  # text: centre of the text; arrow: the head; circle: the centre
    text_rect: QRectF | None
    tail: QPointF | None = None  # arrow
    radius: float = 0.0  # circle, pixels

    def bounds(self) -> QRectF:
        r = QRectF(self.anchor, self.anchor)
        if self.text_rect is not None:
            r = r.united(self.text_rect)
        if self.tail is not None:
            r = r.united(QRectF(self.tail, self.tail))
        if self.radius:
            r = r.united(QRectF(self.anchor.x() - self.radius, self.anchor.y() - self.radius,
                                2 * self.radius, 2 * self.radius))
        return r


def _lines(a) -> list[str]:
    return (a.text or PLACEHOLDER).split("\n")


def _text_size(a, fm: QFontMetricsF) -> tuple[float, float]:
    lines = _lines(a)
    return max(fm.horizontalAdvance(line) for line in lines), fm.height() * len(lines)


def geometry(a, vp, s: float, fm: QFontMetricsF) -> Geometry:
    ax, ay = vp.to_screen(a.x, a.y)
    anchor = QPointF(ax, ay)
    w, h = _text_size(a, fm)
    if a.kind == "text":
        return Geometry(anchor, QRectF(ax - w / 2, ay - h / 2, w, h))
    if a.kind == "arrow":
        tx, ty = vp.to_screen(a.tx, a.ty)
        gap = GAP_PX * s
        # The text sits beyond the tail, on the side away from the head.
        left = tx - w - gap if tx < ax else tx + gap
        rect = QRectF(left, ty - h / 2, w, h) if a.text else None
        return Geometry(anchor, rect, tail=QPointF(tx, ty))
    r = a.radius * vp.scale
    rect = None
    if a.text:
        d = r / math.sqrt(2) + GAP_PX * s
        rect = QRectF(ax + d, ay - d - h, w, h)
    return Geometry(anchor, rect, radius=r)


def hit(items, vp, s: float, fm: QFontMetricsF, x: float, y: float, slop: float = 6.0):
    """The topmost annotation under (x, y) and the part hit: "tail" (an arrow's end), "edge"
    (a circle's ring), "body" (anything else); or None."""
    p = QPointF(x, y)
    for a in reversed(items):
        g = geometry(a, vp, s, fm)
        if g.tail is not None and math.dist((x, y), (g.tail.x(), g.tail.y())) <= slop + 2:
            return a, "tail"
        if g.radius and abs(math.dist((x, y), (g.anchor.x(), g.anchor.y())) - g.radius) <= slop:
            return a, "edge"
        if g.text_rect is not None and g.text_rect.adjusted(-slop, -slop, slop, slop).contains(p):
            return a, "body"
        if g.tail is not None and _near_segment(p, g.anchor, g.tail, slop):
            return a, "body"
        if g.radius and math.dist((x, y), (g.anchor.x(), g.anchor.y())) < g.radius:
            continue  # inside a ring: the map below, not the ring
    return None


def _near_segment(p: QPointF, a: QPointF, b: QPointF, slop: float) -> bool:
    dx, dy = b.x() - a.x(), b.y() - a.y()
    n = dx * dx + dy * dy
    t = 0.0 if n == 0 else max(0.0, min(1.0, ((p.x() - a.x()) * dx + (p.y() - a.y()) * dy) / n))
    return math.dist((p.x(), p.y()), (a.x() + t * dx, a.y() + t * dy)) <= slop


def _line_x(a, rect: QRectF, w: float, align_right: bool) -> float:
    if a.kind == "text":
        return rect.left() + (rect.width() - w) / 2
    return rect.right() - w if align_right else rect.left()


def _ink(a) -> QColor:
    return INK if a.text else QColor(INK.red(), INK.green(), INK.blue(), 110)


def _text(painter, a, rect: QRectF, font: QFont, fm: QFontMetricsF, s: float, align_right: bool) -> None:
    if is_vector(painter):  # outlines: any SVG or PDF reader draws them, font or not
        path = QPainterPath()
        for i, line in enumerate(_lines(a)):
            x = _line_x(a, rect, fm.horizontalAdvance(line), align_right)
            path.addText(QPointF(x, rect.top() + i * fm.height() + fm.ascent()), font, line)
        halo = QPen(HALO, 3.2 * s)
        halo.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.strokePath(path, halo)
        painter.fillPath(path, QBrush(_ink(a)))
        return
    device = painter.device()
    dpr = device.devicePixelRatioF() if device is not None else 1.0
    img, pad = _sprite(a, font, fm, s, dpr, align_right, rect.width())
    painter.drawImage(QPointF(rect.left() - pad, rect.top() - pad), img)


# Stroking glyph outlines for the halo costs ~6 ms a line, at every repaint of the window: on
# raster targets the halo is the text drawn in a ring of offsets instead, into an image made
# once per text, font and scale.
_SPRITES: LRUCache = LRUCache(max_cost=8 << 20, cost=lambda hit: hit[0].sizeInBytes())
_RING = tuple((math.cos(2 * math.pi * k / 16), math.sin(2 * math.pi * k / 16)) for k in range(16))


def _sprite(a, font: QFont, fm: QFontMetricsF, s: float, dpr: float, align_right: bool, width: float):
    key = (a.text, a.kind, font.key(), s, dpr, align_right)
    hit = _SPRITES.get(key)
    if hit is not None:
        return hit
    r = 1.6 * s
    pad = math.ceil(r) + 2
    lines = _lines(a)
    h = fm.height() * len(lines)
    img = QImage(max(1, math.ceil((width + 2 * pad) * dpr)), max(1, math.ceil((h + 2 * pad) * dpr)),
                 QImage.Format.Format_ARGB32_Premultiplied)
    img.setDevicePixelRatio(dpr)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    p.setFont(font)
    frame = QRectF(pad, pad, width, h)
    spots = []
    for i, line in enumerate(lines):
        spots.append((QPointF(_line_x(a, frame, fm.horizontalAdvance(line), align_right),
                              pad + i * fm.height() + fm.ascent()), line))
    p.setPen(HALO)
    for dx, dy in _RING:
        for at, line in spots:
            p.drawText(at + QPointF(dx * r, dy * r), line)
    p.setPen(_ink(a))
    for at, line in spots:
        p.drawText(at, line)
    p.end()
    hit = _SPRITES[key] = (img.copy(), pad)  # a copy drops the painted image's paint engine
    return hit


def _arrow(painter, head: QPointF, tail: QPointF, s: float) -> None:
    dx, dy = head.x() - tail.x(), head.y() - tail.y()
    length = math.hypot(dx, dy)
    if length < 1e-6:
        return
    ux, uy = dx / length, dy / length
    hl = min(HEAD_PX * s, length * 0.6)
    base = QPointF(head.x() - ux * hl, head.y() - uy * hl)
    wing = hl * 0.45
    tip = QPolygonF([head, QPointF(base.x() - uy * wing, base.y() + ux * wing),
                     QPointF(base.x() + uy * wing, base.y() - ux * wing)])
    line = QPainterPath(tail)
    line.lineTo(base)
    casing = QPen(HALO, (LINE_PX + 2.4) * s, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    painter.strokePath(line, casing)
    outline = QPainterPath()
    outline.addPolygon(tip)
    outline.closeSubpath()
    painter.strokePath(outline, QPen(HALO, 2.0 * s, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                                     Qt.PenJoinStyle.RoundJoin))
    painter.strokePath(line, QPen(INK, LINE_PX * s, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    painter.fillPath(outline, QBrush(INK))


def paint_annotations(painter, vp, items, s: float, base_font: QFont) -> None:
    """Every annotation in ``items`` over the map of ``vp`` at symbol scale ``s``."""
    if not items:
        return
    font = annotation_font(base_font, s)
    fm = QFontMetricsF(font)
    view = QRectF(0, 0, vp.width, vp.height)
    painter.save()
    painter.setRenderHint(painter.RenderHint.Antialiasing, True)
    for a in items:
        g = geometry(a, vp, s, fm)
        if not g.bounds().adjusted(-20 * s, -20 * s, 20 * s, 20 * s).intersects(view):
            continue
        if a.kind == "circle" and g.radius > 0:
            ring = QPainterPath()
            ring.addEllipse(g.anchor, g.radius, g.radius)
            painter.strokePath(ring, QPen(HALO, (RING_PX + 2.4) * s))
            painter.strokePath(ring, QPen(RING, RING_PX * s))
        elif a.kind == "arrow" and g.tail is not None:
            _arrow(painter, g.anchor, g.tail, s)
        if g.text_rect is not None:
            _text(painter, a, g.text_rect, font, fm, s, align_right=g.tail is not None and g.tail.x() < g.anchor.x())
    painter.restore()


class AnnotationsLayer(Layer):
    name = "annotations"
    depends_on = VIEW | DYNAMIC

    def paint(self, painter, frame) -> None:
        snap = frame.snap
        if snap.annotations and snap.layer_on("annotations"):
            paint_annotations(painter, snap.vp, snap.annotations, snap.scale, snap.font)
