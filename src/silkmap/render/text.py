"""Map fonts, text measures and label images, safe to use from several threads at once.

A frame may be painted on a worker thread (the window's static layers, an export) while the
UI thread paints the dynamic ones. Qt's font objects are not meant to be shared between
threads (a QFontMetricsF fills its font's engine cache lazily), so the QFont and
QFontMetricsF objects live per thread; what is plain data (text widths) or immutable once
made (a label image) is shared between threads under a lock.

Fonts are derived from the application font *captured in the frame's snapshot* (on the UI
thread), never from ``QGuiApplication.font()`` read on a worker: the language can change the
application font while a worker paints.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPainterPath, QPen

from silkmap.core.lru import LRUCache
from silkmap.render.style import solid_brush

_local = threading.local()  # per thread: fonts and metrics
# Shared between threads (the LRU takes its own lock); bounded, because a long session meets
# many zoom levels × languages × sizes.
SPRITE_BUDGET_BYTES = 16 << 20
_WIDTHS: LRUCache = LRUCache(max_items=50_000)
_SPRITES: LRUCache = LRUCache(max_cost=SPRITE_BUDGET_BYTES, cost=lambda hit: hit[0].sizeInBytes())


@dataclass(frozen=True)
class MapFont:
    """A QFont of this thread with its key (QFont.key() is slow) and metrics."""

    font: QFont
    key: str
    metrics: QFontMetricsF

    def width(self, txt: str) -> float:
        k = (self.key, txt)
        w = _WIDTHS.get(k)
        if w is None:
            w = _WIDTHS[k] = self.metrics.horizontalAdvance(txt)
        return w

    def height(self) -> float:
        return self.metrics.height()

    def ascent(self) -> float:
        return self.metrics.ascent()


@dataclass(frozen=True)
class MapFonts:
    focus: MapFont  # the six countries' names
    neighbour: MapFont
    place: MapFont
    hub: MapFont
    land: MapFont  # deserts: spaced italic capitals
    range: MapFont  # mountain ranges, set along their line
    valley: MapFont  # valleys, corridors, passes, graticule figures
    water: MapFont  # lakes and rivers


def _map_font(font: QFont) -> MapFont:
    return MapFont(font, font.key(), QFontMetricsF(font))


def map_fonts(base: QFont, base_key: str, s: float) -> MapFonts:
    """The map's fonts at symbol scale ``s``, made from ``base`` (the snapshot's application
    font, whose key is ``base_key``), cached for this thread."""
    cache = getattr(_local, "fonts", None)
    if cache is None:
        cache = _local.fonts = {}
    key = (base_key, s)
    fonts = cache.get(key)
    if fonts is None:
        if len(cache) > 64:  # a few scales × languages
            cache.clear()
        root = QFont(base)
        root.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
        focus = QFont(root)
        focus.setPixelSize(round(15 * s))
        focus.setBold(True)
        focus.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 104)
        neighbour = QFont(root)
        neighbour.setPixelSize(round(12 * s))
        neighbour.setItalic(True)
        place = QFont(root)
        place.setPixelSize(round(11.5 * s))
        hub = QFont(root)
        hub.setPixelSize(round(14 * s))
        hub.setBold(True)
        land = _italic(root, 13 * s, 150)
        rng = _italic(root, 12 * s, 100)  # spaced glyph by glyph along the line instead
        valley = _italic(root, 10.5 * s, 104)
        water = _italic(root, 11 * s, 102)
        fonts = cache[key] = MapFonts(*(_map_font(f) for f in (focus, neighbour, place, hub, land, rng,
                                                               valley, water)))
    return fonts


def _italic(root: QFont, px: float, spacing: float) -> QFont:
    f = QFont(root)
    f.setPixelSize(max(1, round(px)))
    f.setItalic(True)
    if spacing != 100:
        f.setLetterSpacing(QFont.SpacingType.PercentageSpacing, spacing)
    return f


def text_path(txt: str, font: MapFont, x: float, top: float) -> QPainterPath:
    """The outline of ``txt`` with its box's top-left corner at (x, top)."""
    path = QPainterPath()
    path.addText(QPointF(x, top + font.ascent()), font.font, txt)
    return path


def label_sprite(txt: str, font: MapFont, colour: QColor, halo: QPen) -> tuple[QImage, int]:
    """A label with its halo, rendered once: outlining glyphs at every repaint is the slowest
    part of a frame, so raster targets reuse these images (read-only once made, so any
    thread may draw them)."""
    key = (txt, font.key, colour.rgba(), halo.widthF())
    hit = _SPRITES.get(key)
    if hit is not None:
        return hit
    fm = font.metrics
    pad = int(halo.widthF()) + 2
    w = int(fm.horizontalAdvance(txt)) + 2 * pad + 2
    h = int(fm.height()) + 2 * pad + 2
    img = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    path = QPainterPath()
    path.addText(QPointF(pad, pad + fm.ascent()), font.font, txt)
    p.strokePath(path, halo)
    p.fillPath(path, solid_brush(colour))
    p.end()
    # A painted QImage keeps its raster paint engine (~45 KB, more than the pixels); a copy does not.
    hit = _SPRITES[key] = (img.copy(), pad)
    return hit


def is_latin(txt: str) -> bool:
    return all(ord(ch) < 0x2E80 for ch in txt)
