"""Names of the land and its waters, styled as on a printed atlas and placed by the label pass.

Deserts and valleys in spaced italic capitals; ranges and the Hexi Corridor in spaced italic
capitals set letter by letter along their line; passes in small italic beside their mark; lakes and rivers in blue italic, a river's name
bent along its course just above it. Every name goes through the one label placement, after
the country and place names and clear of every symbol, so none covers another label or a
symbol; a name that finds no free spot is left out at that zoom.

The names come from ``atlas.physical_names()``: in the window they are read on a worker after
the first paint (``names_ready`` below says whether they are in); exports read them first.
A pass whose crossing is already a named place on the map is not named twice.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QPainterPath, QPen

from silkmap.i18n import text
from silkmap.render.layers import VIEW, Layer
from silkmap.render.layers.labels import PHYSICAL, PHYSICAL_MINOR, Glyph, LabelRequest, PathLabelRequest, Symbol
from silkmap.render.text import is_latin

LAYER = "physical"
LAND = QColor("#7a5a3a")  # deserts, valleys, passes
RANGE = QColor("#5e4b3c")
WATER = QColor("#1f5f99")
HISTORIC_WATER = QColor("#55799a")
PASS_R = 3.4  # the pass mark's half-size at symbol scale 1
# Where along its line a name is tried first: the middle, then a little either side.
_ALONG = (0.5, 0.38, 0.62, 0.27, 0.73, 0.15, 0.85)
_MAJOR = ("desert", "range", "lake")
# An area's name may move about its point (fractions of its width and height), nearest first.
_NUDGES = tuple(sorted(((dx, dy) for dx in (0, -0.3, 0.3, -0.6, 0.6) for dy in (0, -1, 1, -2, 2)),
                       key=lambda d: abs(d[0]) * 2 + abs(d[1])))


def names_ready(atlas) -> dict | None:
    """The names if they have been read (never reads them: that is the caller's choice)."""
    return getattr(atlas, "_names", None)


def _polyline_at(pts, s: float, seg_lens=None):
    """Point and unit direction at arc length ``s`` along ``pts`` (extended past its ends)."""
    if seg_lens is None:
        seg_lens = [math.dist(pts[i], pts[i + 1]) for i in range(len(pts) - 1)]
    i, acc = 0, 0.0
    while i < len(seg_lens) - 1 and acc + seg_lens[i] < s:
        acc += seg_lens[i]
        i += 1
    (x0, y0), (x1, y1) = pts[i], pts[i + 1]
    L = seg_lens[i] or 1e-9
    t = (s - acc) / L
    return (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t), ((x1 - x0) / L, (y1 - y0) / L)


def layout_along(txt: str, font, pts, centre: float, offset: float, spacing: float, pad: float,
                 upright: bool = False):
    """Glyphs of ``txt`` centred at arc length ``centre`` of the screen polyline ``pts``, each
    turned to the line's local direction (or kept ``upright``, as Chinese maps set characters
    along a line) and lifted ``offset`` px off it (negative: above)."""
    fm = font.metrics
    advances = [font.width(ch) for ch in txt]  # cached across frames
    total = sum(advances) + spacing * (len(txt) - 1)
    asc, desc = fm.ascent(), fm.descent()
    s = centre - total / 2
    glyphs = []
    lens = [math.dist(pts[i], pts[i + 1]) for i in range(len(pts) - 1)]
    for ch, a in zip(txt, advances):
        if not ch.strip():
            s += a + spacing
            continue
        # the chord over the glyph's own width: its direction turns the glyph smoothly at a bend
        (ax, ay), _ = _polyline_at(pts, s, lens)
        (bx, by), _ = _polyline_at(pts, s + a, lens)
        px, py = (ax + bx) / 2, (ay + by) / 2
        ang = math.atan2(by - ay, bx - ax)
        c, si = math.cos(ang), math.sin(ang)
        # glyph centre: on the line, moved along the normal (pointing down the text)
        cx, cy = px - si * offset, py + c * offset
        if upright:
            ang, c, si = 0.0, 1.0, 0.0
        # baseline start: half the advance back, and down to the baseline from the middle
        mid = (asc - desc) / 2
        bx0, by0 = cx - c * a / 2 - si * mid, cy - si * a / 2 + c * mid
        # the turned glyph box's bounds
        hw = abs(c) * a / 2 + abs(si) * (asc + desc) / 2 + pad
        hh = abs(si) * a / 2 + abs(c) * (asc + desc) / 2 + pad
        glyphs.append(Glyph(ch, bx0, by0, math.degrees(ang), (cx - hw, cy - hh, cx + hw, cy + hh)))
        s += a + spacing
    return tuple(glyphs)


def shown_text(name) -> str:
    return name.upper() if is_latin(name) else name


class PhysicalNamesLayer(Layer):
    name = "physical"
    depends_on = VIEW

    def _visible(self, frame):
        snap = frame.snap
        if not snap.layer_on(LAYER):
            return []
        names = names_ready(self.atlas)
        if not names:
            return []
        zoom = snap.vp.metres_per_pixel * snap.scale
        return [n for n in names.values() if n.shows_at(zoom) and not self._named_by_place(frame, n)]

    def _named_by_place(self, frame, n) -> bool:
        """A pass at a crossing whose place name the map shows already."""
        if n.place is None:
            return False
        from silkmap.render.layers.places import CITY_LABELS_BELOW_M_PER_PX

        snap = frame.snap
        return snap.layer_on("cities") and snap.vp.metres_per_pixel <= CITY_LABELS_BELOW_M_PER_PX

    def paint(self, painter, frame) -> None:
        passes = [n for n in self._visible(frame) if n.kind == "pass"]
        if not passes:
            return
        s = frame.snap.scale
        painter.save()
        painter.setPen(QPen(LAND, 1.3 * s))
        for n in passes:
            px, py = frame.snap.vp.to_screen(*n.xy[0])
            if frame.on_screen(px, py, 6):
                painter.drawPath(pass_mark(px, py, PASS_R * s))
        painter.restore()

    def labels(self, frame) -> list:
        snap = frame.snap
        vp, s, lang = snap.vp, snap.scale, snap.language
        fonts = frame.fonts
        out = []
        for n in self._visible(frame):
            name = text(n.name, lang)
            pts = [vp.to_screen(x, y) for x, y in n.xy]
            if not any(frame.on_screen(x, y, 200 * s) for x, y in pts):
                continue
            major = n.kind in _MAJOR or (n.kind == "river" and n.max_m_per_px > 10000)
            prio = PHYSICAL if major else PHYSICAL_MINOR
            if n.kind == "pass":
                px, py = pts[0]
                r = PASS_R * s + 1.0 * s
                out.append(Symbol("pass", n.id, px, py, QRectF(px - r, py - r, 2 * r, 2 * r)))
                font = fonts.valley
                w, h = font.width(name), font.height()
                d = (PASS_R + 2.5) * s
                out.append(LabelRequest(prio, "pass", n.id, name, font, px, py, LAND,
                                        ((d, -h / 2), (-w - d, -h / 2), (-w / 2, -h - d), (-w / 2, d)),
                                        group="pass"))
            elif n.is_line:
                out.append(self._path_request(n, name, pts, prio, s, fonts))
            else:
                font, colour, label = self._point_style(n, name, fonts)
                px, py = pts[0]
                w, h = font.width(label), font.height()
                nudges = tuple((-w / 2 + dx * w, -h / 2 + dy * h) for dx, dy in _NUDGES)
                out.append(LabelRequest(prio, n.kind, n.id, label, font, px, py, colour, nudges))
        return out

    @staticmethod
    def _point_style(n, name, fonts):
        if n.kind == "desert":
            return fonts.land, LAND, shown_text(name)
        if n.kind == "range":
            return fonts.land, RANGE, shown_text(name)
        if n.kind == "valley":
            return fonts.land, LAND, shown_text(name)
        if n.kind == "lake":
            return fonts.water, WATER, name
        if n.kind == "historic_lake":
            return fonts.valley, HISTORIC_WATER, name
        return fonts.valley, LAND, name

    def _path_request(self, n, name, pts, prio, s, fonts) -> PathLabelRequest:
        (x0, y0), (x1, y1) = pts[0], pts[-1]
        if not is_latin(name) and abs(y1 - y0) > abs(x1 - x0):
            if y1 < y0:  # upright characters down a steep line read top to bottom
                pts = pts[::-1]
        elif x1 < x0:  # read left to right
            pts = pts[::-1]
        length = sum(math.dist(pts[i], pts[i + 1]) for i in range(len(pts) - 1))
        if n.kind == "range":
            font, colour, label = fonts.range, RANGE, shown_text(name)
            spacing, offset = font.height() * (0.4 if is_latin(name) else 0.7), 0.0
        elif n.kind == "river":
            font, colour, label = fonts.water, WATER, name
            spacing, offset = 0.6 * s, -(font.height() * 0.55 + 1.5 * s)
        else:  # a corridor along its line, spaced like a range
            font, colour, label = fonts.range, LAND, shown_text(name)
            spacing, offset = font.height() * (0.3 if is_latin(name) else 0.7), 0.0
        # along the line, then (a river's name) on its other side
        h = font.height()
        sides = (offset, -offset) if offset else (0.0, -0.9 * h, 0.9 * h)
        upright = not is_latin(label)
        if upright:  # upright characters need room between them where the line is steep
            spacing = max(spacing, 0.45 * h)
        # Laid out one by one as the placement asks: the first free one ends the search.
        layouts = _Lazy(lambda off, f: layout_along(label, font, pts, length * f, off, spacing, 1.0 * s, upright),
                        [(off, f) for off in sides for f in _ALONG])
        return PathLabelRequest(prio, n.kind, n.id, label, font, colour, layouts)


class _Lazy:
    """A sequence of layouts made on first iteration to each, then kept."""

    def __init__(self, make, args) -> None:
        self._make, self._args, self._done = make, args, []

    def __iter__(self):
        for i, a in enumerate(self._args):
            if i == len(self._done):
                self._done.append(self._make(*a))
            yield self._done[i]

    def __len__(self) -> int:
        return len(self._args)


def pass_mark(px: float, py: float, r: float) -> QPainterPath:
    """The atlas sign for a pass: two arcs back to back, ")(".""" 
    path = QPainterPath()
    for side in (-1, 1):
        x = px + side * r * 0.45
        path.moveTo(QPointF(x - side * r * 0.5, py - r))
        path.quadTo(QPointF(x + side * r * 0.2, py), QPointF(x - side * r * 0.5, py + r))
    return path
