"""The physical layers made ready to paint: lake and river paths, the relief image.

Loaded once, off the first paint: the window's loader thread calls ``load`` after its first
frame, an export calls it before painting (``MapRenderer.snapshot`` with detail loading). All
paths are primed and the image converted on the loading thread, so painters on any thread
only read them. A snapshot paints them only if they were ready when it was taken
(``ready_for``): ``load`` bumps the geometry cache's generation, so the window's frames,
keyed by it, are rendered again with them.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainterPath

from silkmap.core.errors import DataError
from silkmap.render.geometry_cache import prime
from silkmap.render.paths import polygon_from_array

# The shade's strength: the darkest shadow and the brightest light as an alpha of black or
# white over the fills. Kept low so the fills keep their hue and neighbours stay apart.
SHADOW_MAX, LIGHT_MAX = 0.34, 0.26
SHADOW_GAIN, LIGHT_GAIN = 1.0, 0.9


# Views coarser than this many metres a pixel draw the lakes from rings thinned to it: the
# 1:10m shores have ten times the vertices such a view can show.
COARSE_M = 1500.0


@dataclass
class Piece:
    id: str
    kind: str
    klass: int
    path: QPainterPath
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 in map metres
    coarse: QPainterPath | None = None  # lakes: thinned to COARSE_M; empty when it vanishes


def thinned(ring, step: float):
    """The ring's vertices snapped to a ``step`` grid, repeats dropped (None if under 4 left)."""
    import numpy as np

    q = np.round(ring / step)
    keep = np.concatenate([[True], np.any(np.diff(q, axis=0) != 0, axis=1)])
    out = q[keep] * step
    return out if len(out) >= 4 else None


def _box(path: QPainterPath) -> tuple[float, float, float, float]:
    r = path.boundingRect()
    return (r.left(), r.top(), r.right(), r.bottom())


def shade_table(neutral: int, gain: float) -> list[int]:
    """Colour table for the relief's palette image: each stored value → premultiplied ARGB."""
    table = []
    for v in range(256):
        d = (v - neutral) / gain  # shade − 1
        if d < 0:
            a = min(SHADOW_MAX, -d * SHADOW_GAIN)
            table.append(QColor(0, 0, 0, round(a * 255)).rgba())
        else:
            a = min(LIGHT_MAX, d * LIGHT_GAIN)
            table.append(QColor(255, 255, 255, round(a * 255)).rgba())
    return table


def prime_strokes(paths) -> None:
    """Stroke each path once off-image: Qt keeps what its first stroke computes."""
    from PySide6.QtGui import QPainter, QPen

    img = QImage(1, 1, QImage.Format.Format_ARGB32_Premultiplied)
    p = QPainter(img)
    pen = QPen(QColor(0, 0, 0), 1.0)
    pen.setCosmetic(True)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    p.translate(-1e12, -1e12)
    for path in paths:
        p.drawPath(path)
    p.end()


class PhysicalPaths:
    def __init__(self, cache) -> None:
        self.cache = cache  # the geometry cache, whose generation keys the window's frames
        self.lakes: list[Piece] = []
        self.rivers: list[Piece] = []
        self.relief: QImage | None = None
        self.relief_half: QImage | None = None
        self.grid = None
        self.ready_generation: int | None = None
        self.error: str | None = None
        self._lock = threading.Lock()

    def ready_for(self, snap) -> bool:
        return self.ready_generation is not None and self.ready_generation <= snap.generation

    def load(self) -> bool:
        """Read and prepare everything (any thread; once). False if the data is broken."""
        if self.ready_generation is not None or self.error is not None:
            return self.error is None
        with self._lock:
            if self.ready_generation is not None or self.error is not None:
                return self.error is None
            from silkmap.core.physical import load_physical
            from silkmap.core.resources import asset_path

            try:
                data = load_physical()
                image = QImage(str(asset_path("relief.png")))
                g = data.relief
                if image.isNull() or image.format() != QImage.Format.Format_Indexed8 \
                        or (image.width(), image.height()) != (g.width, g.height):
                    raise DataError(asset_path("relief.png"), "is not the relief image physical.json describes")
            except DataError as exc:
                self.error = str(exc)
                return False
            image.setColorTable(shade_table(g.neutral, g.gain))
            self.relief = image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
            self.relief_half = self.relief.scaled(g.width // 2, g.height // 2, Qt.AspectRatioMode.IgnoreAspectRatio,
                                                  Qt.TransformationMode.SmoothTransformation)
            self.grid = g
            self.lakes = [self._lake(w) for w in data.lakes]
            self.rivers = [self._river(w) for w in data.rivers]
            prime([p.path for p in self.lakes + self.rivers] + [p.coarse for p in self.lakes])
            prime_strokes([p.path for p in self.rivers] + [p.path for p in self.lakes] + [p.coarse for p in self.lakes])
            for p in self.lakes + self.rivers:
                p.box = _box(p.path)
            with self.cache._lock:  # the detail levels bump it too
                self.cache.generation += 1
                self.ready_generation = self.cache.generation
            return True

    @staticmethod
    def _lake(w) -> Piece:
        path, coarse = QPainterPath(), QPainterPath()
        for p in (path, coarse):
            p.setFillRule(Qt.FillRule.OddEvenFill)
        for poly in w.parts:
            for ring in poly:
                path.addPolygon(polygon_from_array(ring))
                path.closeSubpath()
                few = thinned(ring, COARSE_M)
                if few is not None:
                    coarse.addPolygon(polygon_from_array(few))
                    coarse.closeSubpath()
        return Piece(w.id, w.kind, w.klass, path, (0, 0, 0, 0), coarse)

    @staticmethod
    def _river(w) -> Piece:
        path = QPainterPath()
        for line in w.parts:
            path.addPolygon(polygon_from_array(line))  # open: a line, not a ring
        return Piece(w.id, w.kind, w.klass, path, (0, 0, 0, 0))
