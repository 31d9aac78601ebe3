"""Map furniture drawn over the map in the window and in exports: scale bar, attribution."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen

from silkmap.i18n import _
from silkmap.i18n.numbers import km
from silkmap.render.text_outline import draw_text


def attribution_text() -> str:
    return _("Boundaries: Natural Earth (public domain) · Figures: cited sources · Projection: Albers equal-area")


def nice_length_km(max_km: float) -> float:
    if max_km <= 0:
        return 1.0
    exp = 10 ** math.floor(math.log10(max_km))
    for m in (5, 2, 1):
        if m * exp <= max_km:
            return m * exp
    return exp


def paint_scale_bar(painter: QPainter, vp, x: float, y: float, s: float = 1.0) -> QRectF:
    """A scale bar whose left end is at (x, y) (baseline). Valid at the view's centre."""
    max_px = 150 * s
    length_km = nice_length_km(max_px / vp.scale / 1000.0)
    px = length_km * 1000.0 * vp.scale
    font = QFont()
    font.setPixelSize(round(11 * s))
    fm = QFontMetricsF(font)
    label = km(length_km)
    box = QRectF(x - 6 * s, y - 8 * s - fm.height(), px + 12 * s + fm.horizontalAdvance(label) * 0, fm.height() + 14 * s)
    box.setWidth(max(px, fm.horizontalAdvance(label)) + 12 * s)
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(255, 255, 255, 200))
    painter.drawRoundedRect(box, 3 * s, 3 * s)
    pen = QPen(QColor("#222222"), 1.6 * s)
    painter.setPen(pen)
    painter.drawLine(QPointF(x, y), QPointF(x + px, y))
    painter.drawLine(QPointF(x, y - 4 * s), QPointF(x, y + 1 * s))
    painter.drawLine(QPointF(x + px, y - 4 * s), QPointF(x + px, y + 1 * s))
    painter.setFont(font)
    draw_text(painter, QPointF(x, y - 5 * s), label)
    painter.restore()
    return box


def paint_attribution(painter: QPainter, vp, s: float = 1.0, line: str | None = None) -> QRectF:
    font = QFont()
    font.setPixelSize(round(10.5 * s))
    fm = QFontMetricsF(font)
    txt = line or attribution_text()
    w = fm.horizontalAdvance(txt) + 10 * s
    h = fm.height() + 4 * s
    box = QRectF(vp.width - w - 4 * s, vp.height - h - 4 * s, w, h)
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(255, 255, 255, 190))
    painter.drawRect(box)
    painter.setPen(QColor("#333333"))
    painter.setFont(font)
    draw_text(painter, box, txt, Qt.AlignmentFlag.AlignCenter)
    painter.restore()
    return box


def paint_overlay(painter: QPainter, vp, atlas, scale: float = 1.0, attribution: bool = True) -> None:
    paint_scale_bar(painter, vp, 14 * scale, vp.height - 14 * scale, scale)
    if attribution:
        paint_attribution(painter, vp, scale)
