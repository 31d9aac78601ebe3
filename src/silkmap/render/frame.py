"""What a layer paints from: a frozen snapshot of the view, and the frame being painted.

``Snapshot`` is taken on the UI thread (``MapRenderer.snapshot``) and holds everything a layer
may read: the viewport, layer visibility, selection and hover, language, symbol scale, the
vector flag, the application font and the outline level chosen for this scale. It is
immutable, so a worker thread can paint the static layers from it while the UI thread goes
on changing the live state. ``Frame`` is one painting of a snapshot: the map transform, the
fonts of the painting thread and the label placement, made once and shared by every layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont, QPainterPath, QTransform

from silkmap.core.state import Selection
from silkmap.core.viewport import Viewport
from silkmap.render.style import in_output_units
from silkmap.render.text import MapFonts, map_fonts


@dataclass(frozen=True)
class Snapshot:
    vp: Viewport  # a private copy: never changed after the snapshot is taken
    layers: Mapping[str, bool]
    selection: Selection | None
    hover: Selection | None
    highlight_selection: bool
    language: str
    scale: float  # symbol and text size multiplier
    vector: bool  # SVG/PDF: shapes and text stay vectors, strokes in output units
    reserved: tuple[QRectF, ...]  # screen rects labels must avoid (legend, scale bar)
    font: QFont  # the application font when the snapshot was taken
    font_key: str
    paths: Mapping  # iso3 → CountryPaths at the level drawn for this scale
    tolerance: float | None  # that level (None: the 1:50m outlines)
    generation: int  # the geometry cache's generation the level came from
    year: int = 0  # the map as of this year (core/timeline.py; SILK_ROAD_ERA for the caravan era)
    dated: object = None  # timeline.YearState of ``year``: levels, route and project statuses
    annotations: tuple = ()  # core.annotations.Annotation, in drawing order
    user_layers: tuple = ()  # core.user_layers.layer.LoadedLayer, bottom to top (immutable)
    measure: str = "level"  # what the partners are coloured by (core/measures.py)
    classification: object = None  # core.classify.Classification of a measure other than the level
    classes: object = None  # core.choropleth.MapClasses of ``measure`` in ``year``; None: the levels

    def layer_on(self, name: str) -> bool:
        return self.layers.get(name, True)

    def static_key(self) -> tuple:
        """Everything the static layers depend on: equal keys paint equal static images."""
        vp = self.vp
        return (vp.cx, vp.cy, vp.scale, vp.width, vp.height, tuple(sorted(self.layers.items())),
                self.language, self.scale, self.vector, self.font_key, self.tolerance, self.generation,
                tuple((r.x(), r.y(), r.width(), r.height()) for r in self.reserved),
                tuple(ul.key for ul in self.user_layers), self.measure_key(), self.year)

    def measure_key(self) -> tuple:
        return (self.measure, self.classification.key() if self.classification is not None else None)


def freeze_layers(layers: Mapping[str, bool]) -> Mapping[str, bool]:
    return MappingProxyType(dict(layers))


def map_transform(vp: Viewport) -> QTransform:
    """Map metres → screen pixels of the view (y up on the map, down on screen)."""
    return QTransform(vp.scale, 0, 0, -vp.scale, vp.width / 2.0 - vp.cx * vp.scale,
                      vp.height / 2.0 + vp.cy * vp.scale)


@dataclass(frozen=True)
class LabelBox:
    kind: str
    id: str
    rect: QRectF
    text: str = ""  # as drawn, in the snapshot's language
    parts: tuple = ()  # a name set along a line: the QRectF of each glyph (``rect`` bounds them)


@dataclass
class RenderResult:
    tolerance: float | None = None  # None: the 1:50m outlines were drawn
    labels: list[LabelBox] = field(default_factory=list)
    hidden_labels: list[str] = field(default_factory=list)
    symbols: list = field(default_factory=list)  # labels.Symbol: what the labels kept clear of


@dataclass
class Frame:
    snap: Snapshot
    map_tf: QTransform
    fonts: MapFonts
    placement: object = None  # labels.Placement, made on first need

    @classmethod
    def of(cls, snap: Snapshot) -> "Frame":
        return cls(snap, map_transform(snap.vp), map_fonts(snap.font, snap.font_key, snap.scale))

    @property
    def vp(self) -> Viewport:
        return self.snap.vp

    def on_screen(self, px: float, py: float, pad: float = 0.0) -> bool:
        vp = self.snap.vp
        return -pad <= px <= vp.width + pad and -pad <= py <= vp.height + pad

    def view_rect(self) -> QRectF:
        x0, y0, x1, y1 = self.snap.vp.bounds()
        return QRectF(x0, y0, x1 - x0, y1 - y0)

    # Vector targets get their paths in output units and ordinary pens: SVG readers such as
    # librsvg ignore vector-effect="non-scaling-stroke", which a cosmetic pen under the map's
    # metres-to-pixels scale would need.
    def to_output(self, path: QPainterPath) -> QPainterPath:
        return self.map_tf.map(path)

    output_pen = staticmethod(in_output_units)

    def path_drawing(self, painter):
        """``(draw, pen)`` for map-metre paths: on a vector target each path mapped to output
        units with an ordinary pen, on a raster the map transform set (combined: an export may
        have moved the map) and cosmetic pens as they are. The caller saves and restores."""
        if self.snap.vector:
            return (lambda path: painter.drawPath(self.to_output(path))), self.output_pen
        painter.setTransform(self.map_tf, True)
        return painter.drawPath, (lambda pen: pen)
