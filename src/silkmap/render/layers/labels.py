"""Labels of every layer, placed in one pass so they never collide, then drawn with a halo.

Layers ask for labels and keep-clear areas (``LabelRequest``, ``Obstacle``) with a priority;
``place`` takes them in priority order (a layer's own order within a priority) and gives each
label the first candidate position that is inside the view and free. Focus labels (``must``)
search wider rings, so they are moved, never dropped; a label moved far from its anchor gets a
leader line. Placement depends only on the view, so it belongs to the static part of a frame.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QTransform

from silkmap.core.labels import reads_as_own
from silkmap.render import style
from silkmap.render.frame import LabelBox
from silkmap.render.layers import VIEW, Layer
from silkmap.render.text import MapFont, label_sprite, text_path

# Who wins a contested spot: lower first.
HUB_SYMBOL, HUB, CAPITAL, FOCUS_COUNTRY, NEIGHBOUR, PLACE, PROJECT_SYMBOL, PHYSICAL, PHYSICAL_MINOR, GRATICULE = range(10)
# A capital's name is tied to its square; a country's name may move (rings), so it comes after.
# Place names may cover a project's diamond (a town's name matters more); the names of the
# land, placed after PROJECT_SYMBOL, keep clear of it too.
LEADER = QColor(60, 60, 60, 170)
_RINGS = (0.35, 0.7, 1.1, 1.6, 2.4, 3.4, 4.6)
_DIRECTIONS = ((0, -1), (0, 1), (1, 0), (-1, 0), (1, -1), (-1, -1), (1, 1), (-1, 1))


@dataclass(frozen=True)
class Obstacle:
    priority: int
    rect: QRectF


@dataclass(frozen=True)
class Symbol:
    """A drawn symbol: its box is kept clear of labels; ``group`` and ``id`` say whose it is."""

    group: str
    id: str
    x: float
    y: float
    rect: QRectF


@dataclass(frozen=True)
class LabelRequest:
    priority: int
    kind: str
    id: str
    text: str
    font: MapFont
    x: float  # the anchor on screen
    y: float
    colour: QColor
    candidates: tuple  # (dx, dy) of the label box's top-left corner from the anchor
    must: bool = False
    leader_from: tuple[float, float] | None = None
    group: str | None = None  # the symbol group this label names (its symbol has the same id)


@dataclass(frozen=True)
class Glyph:
    char: str
    x: float  # the glyph's baseline start on screen
    y: float
    angle: float  # degrees, clockwise on screen
    box: tuple[float, float, float, float]  # its screen bounds (x0, y0, x1, y1)


@dataclass(frozen=True)
class PathLabelRequest:
    """A name set along a line: each candidate is one layout, a tuple of ``Glyph``."""

    priority: int
    kind: str
    id: str
    text: str
    font: MapFont
    colour: QColor
    candidates: tuple


@dataclass
class Placed:
    request: LabelRequest | PathLabelRequest
    rect: QRectF
    leader: tuple[QPointF, QPointF] | None = None
    glyphs: tuple = ()  # a path label's layout


@dataclass
class Placement:
    placed: list[Placed] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)
    symbols: list[Symbol] = field(default_factory=list)

    def boxes(self) -> list[LabelBox]:
        return [LabelBox(p.request.kind, p.request.id, p.rect, p.request.text,
                         tuple(QRectF(g.box[0], g.box[1], g.box[2] - g.box[0], g.box[3] - g.box[1])
                               for g in p.glyphs))
                for p in self.placed]


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


def _inside(vp, x0, y0, x1, y1) -> bool:
    return 0 <= x0 and x1 <= vp.width and 0 <= y0 and y1 <= vp.height


def _place_path(item: PathLabelRequest, vp, taken: _Occupancy) -> Placed | None:
    for layout in item.candidates:
        rects = [QRectF(g.box[0], g.box[1], g.box[2] - g.box[0], g.box[3] - g.box[1]) for g in layout]
        if all(_inside(vp, *g.box) for g in layout) and all(taken.free(r) for r in rects):
            for r in rects:
                taken.append(r)
            x0 = min(g.box[0] for g in layout)
            y0 = min(g.box[1] for g in layout)
            x1 = max(g.box[2] for g in layout)
            y1 = max(g.box[3] for g in layout)
            return Placed(item, QRectF(x0, y0, x1 - x0, y1 - y0), glyphs=tuple(layout))
    return None


def place(frame, items) -> Placement:
    vp = frame.snap.vp
    s = frame.snap.scale
    taken = _Occupancy()
    for rect in frame.snap.reserved:
        taken.append(rect)
    groups: dict[str, list[Symbol]] = {}
    for item in items:  # symbols first: no label may cover one, whatever its priority
        if isinstance(item, Symbol):
            taken.append(item.rect)
            groups.setdefault(item.group, []).append(item)
    out = Placement(symbols=[sym for group in groups.values() for sym in group])
    for item in sorted(items, key=lambda it: getattr(it, "priority", -1)):  # stable: a layer's order is kept
        if isinstance(item, Symbol):
            continue
        if isinstance(item, Obstacle):
            taken.append(item.rect)
            continue
        if isinstance(item, PathLabelRequest):
            placed = _place_path(item, vp, taken)
            if placed is None:
                out.hidden.append(f"{item.kind}:{item.id}")
            else:
                out.placed.append(placed)
            continue
        font = item.font
        w, h = font.width(item.text), font.height()
        rivals = ()
        if item.group is not None:  # only symbols near enough to be mistaken for this one
            reach = 2.0 * (w + h) + 10.0 * s
            rivals = [(sym.x, sym.y) for sym in groups.get(item.group, ())
                      if sym.id != item.id and abs(sym.x - item.x) < reach and abs(sym.y - item.y) < reach]
        tries = list(item.candidates)
        if item.must:  # widen the search in rings so a focus label is moved, never dropped
            for ring in _RINGS:
                for dx, dy in _DIRECTIONS:
                    tries.append((-w / 2 + dx * w * 0.5 * ring, -h / 2 + dy * h * ring))
        for dx, dy in tries:
            rect = QRectF(item.x + dx, item.y + dy, w, h)
            if not (0 <= rect.left() and rect.right() <= vp.width and 0 <= rect.top()
                    and rect.bottom() <= vp.height):
                continue
            if rivals and not reads_as_own((rect.left(), rect.top(), rect.right(), rect.bottom()),
                                           (item.x, item.y), rivals, 2.0 * s):
                continue
            if taken.free(rect):
                taken.append(rect)
                leader = None
                moved = abs(dx + w / 2) > w * 0.6 or abs(dy + h / 2) > h * 1.2
                if item.leader_from is not None and moved:
                    lx, ly = item.leader_from
                    c = rect.center()
                    leader = (QPointF(lx, ly), QPointF(c.x(), rect.bottom() if ly > c.y() else rect.top()))
                out.placed.append(Placed(item, rect, leader))
                break
        else:
            out.hidden.append(f"{item.kind}:{item.id}")
    return out


class LeadersLayer(Layer):
    """Lines from a focus country's anchor to its name where the name had to move."""

    name = "leaders"
    depends_on = VIEW

    def paint(self, painter, frame) -> None:
        pen = QPen(LEADER, 1.0 * frame.snap.scale)
        painter.save()
        painter.setPen(pen)
        for p in frame.placement.placed:
            if p.leader is not None:
                painter.drawLine(*p.leader)
        painter.restore()


class LabelsLayer(Layer):
    """The placed labels' text: cached images on raster targets, outlines in SVG and PDF."""

    name = "labels"
    depends_on = VIEW

    def paint(self, painter, frame) -> None:
        halo = QPen(style.HALO, 3.2 * frame.snap.scale)
        halo.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        vector = frame.snap.vector
        painter.save()
        for p in frame.placement.placed:
            req, rect = p.request, p.rect
            if p.glyphs:
                _paint_glyphs(painter, p, halo, vector)
                continue
            if vector:
                path = text_path(req.text, req.font, rect.left(), rect.top())
                painter.strokePath(path, halo)
                painter.fillPath(path, style.solid_brush(req.colour))
            else:
                sprite, pad = label_sprite(req.text, req.font, req.colour, halo)
                painter.drawImage(QPointF(rect.left() - pad, rect.top() - pad), sprite)
        painter.restore()


def _paint_glyphs(painter, placed: Placed, halo: QPen, vector: bool) -> None:
    """A path label letter by letter, each turned to the line's direction: each letter's
    cached image on raster targets, its outline in SVG and PDF."""
    req = placed.request
    if not vector:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        base = painter.transform()
        for g in placed.glyphs:
            sprite, pad = label_sprite(g.char, req.font, req.colour, halo)
            tf = QTransform(base)
            tf.translate(g.x, g.y)
            tf.rotate(g.angle)
            painter.setTransform(tf)
            painter.drawImage(QPointF(-pad, -pad - req.font.ascent()), sprite)
        painter.restore()
        return
    brush = style.solid_brush(req.colour)
    for g in placed.glyphs:
        path = QPainterPath()
        path.addText(QPointF(0, 0), req.font.font, g.char)
        tf = QTransform()
        tf.translate(g.x, g.y)
        tf.rotate(g.angle)
        path = tf.map(path)
        painter.strokePath(path, halo)
        painter.fillPath(path, brush)
