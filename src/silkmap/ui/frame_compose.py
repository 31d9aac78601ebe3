"""Composing the screen from rendered frames: each placed by the viewport it was made for.

One function for the widget's paint and for the glide compositor (``ui/glide_compositor.py``),
so a glide step composed ahead on a thread holds the pixels the paint would have drawn.
Anything with ``flat`` (the image), ``vp`` (its viewport) and ``dpr`` is a frame here.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from PySide6.QtCore import QRect, QRectF
from PySide6.QtGui import QImage, QPainter, QRegion

from silkmap.core.viewport import Viewport
from silkmap.render import style


class Still(NamedTuple):
    """A frame's pixels and placement, without the rest of what the view keeps of it."""

    flat: QImage
    vp: Viewport
    dpr: float


def still(frame) -> Still | None:
    """A handle of the frame's own (sharing its pixels) for another thread to read."""
    return None if frame is None else Still(QImage(frame.flat), frame.vp.copy(), frame.dpr)


def inner_rect(r: QRectF) -> QRect:
    """The whole pixels inside ``r``: a scaled frame leaves its partly covered edge pixels
    unpainted, so they count as bare (and get the overview) rather than keep a stale frame."""
    x0, y0, x1, y1 = math.ceil(r.left()), math.ceil(r.top()), math.floor(r.right()), math.floor(r.bottom())
    return QRect(x0, y0, max(0, x1 - x0), max(0, y1 - y0))


def target(vp: Viewport, frame) -> QRectF:
    """Where the frame goes on screen in view ``vp``, in logical pixels."""
    fv = frame.vp
    k = vp.scale / fv.scale
    ox = (fv.cx - vp.cx) * vp.scale + vp.width / 2.0 - k * fv.width / 2.0
    oy = (vp.cy - fv.cy) * vp.scale + vp.height / 2.0 - k * fv.height / 2.0
    return QRectF(ox, oy, k * fv.width, k * fv.height)


def covers(vp: Viewport, frame, rect: QRect) -> bool:
    return inner_rect(target(vp, frame)).contains(rect)


def draw_frame(painter, vp: Viewport, dpr: float, frame, clip: QRect) -> None:
    where = target(vp, frame)
    img = frame.flat
    part = where.intersected(QRectF(clip))
    if part.isEmpty():
        return
    if frame.vp.scale == vp.scale and frame.dpr == dpr:
        # Same scale (a drag, a hover): a plain copy of device pixels, Qt's fastest path. A
        # target of size -1 is the source's own size (what drawImage(point, image, source) does).
        d = frame.dpr
        ox, oy = round(where.left() * d) / d, round(where.top() * d) / d
        src = QRectF((part.left() - ox) * d, (part.top() - oy) * d, part.width() * d, part.height() * d)
        painter.drawImage(QRectF(part.left(), part.top(), -1, -1), img, src)
        return
    sx = img.width() / where.width()
    sy = img.height() / where.height()
    src = QRectF((part.left() - where.left()) * sx, (part.top() - where.top()) * sy,
                 part.width() * sx, part.height() * sy)
    painter.drawImage(part, img, src)


def compose(painter, vp: Viewport, dpr: float, frame, behind, clip: QRect) -> None:
    """Paint ``clip`` of view ``vp``: the frame, and where it does not reach (a drag's edge, a
    zoom out) the frames ``behind`` it in order (the frame before, the overview), then water.
    Each pixel is painted once: at 4K every layer painted under another costs a blit."""
    mode = painter.compositionMode()
    # Every frame is opaque: copied, not blended (a quarter less time at 4K).
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
    if not covers(vp, frame, clip):
        bare = QRegion(clip).subtracted(QRegion(inner_rect(target(vp, frame))))
        for other in behind:
            if other is None or bare.isEmpty():
                continue
            reach = QRegion(inner_rect(target(vp, other)))
            for rect in bare.intersected(reach):  # rect by rect: an L-shaped edge's bounding box is the screen
                draw_frame(painter, vp, dpr, other, rect)
            bare = bare.subtracted(reach)
        for rect in bare:
            painter.fillRect(QRectF(rect), style.WATER)
    draw_frame(painter, vp, dpr, frame, clip)
    painter.setCompositionMode(mode)
