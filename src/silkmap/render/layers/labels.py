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
from PySide6.QtGui import QBrush, QColor, QPen

from silkmap.render import style
from silkmap.render.frame import LabelBox
from silkmap.render.layers import VIEW, Layer
from silkmap.render.text import MapFont, label_sprite, text_path

# Who wins a contested spot: lower first.
HUB_SYMBOL, HUB, CAPITAL_SYMBOL, FOCUS_COUNTRY, NEIGHBOUR, PLACE = range(6)
LEADER = QColor(60, 60, 60, 170)
_RINGS = (1.6, 2.4, 3.4, 4.6)
_DIRECTIONS = ((0, -1), (0, 1), (1, 0), (-1, 0), (1, -1), (-1, -1), (1, 1), (-1, 1))


@dataclass(frozen=True)
class Obstacle:
    priority: int
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


@dataclass
class Placed:
    request: LabelRequest
    rect: QRectF
    leader: tuple[QPointF, QPointF] | None = None


@dataclass
class Placement:
    placed: list[Placed] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)

    def boxes(self) -> list[LabelBox]:
        return [LabelBox(p.request.kind, p.request.id, p.rect, p.request.text) for p in self.placed]


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


def place(frame, items) -> Placement:
    vp = frame.snap.vp
    taken = _Occupancy()
    for rect in frame.snap.reserved:
        taken.append(rect)
    out = Placement()
    for item in sorted(items, key=lambda it: it.priority):  # stable: a layer's order is kept
        if isinstance(item, Obstacle):
            taken.append(item.rect)
            continue
        font = item.font
        w, h = font.width(item.text), font.height()
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
            if vector:
                path = text_path(req.text, req.font, rect.left(), rect.top())
                painter.strokePath(path, halo)
                painter.fillPath(path, QBrush(req.colour))
            else:
                sprite, pad = label_sprite(req.text, req.font, req.colour, halo)
                painter.drawImage(QPointF(rect.left() - pad, rect.top() - pad), sprite)
        painter.restore()
