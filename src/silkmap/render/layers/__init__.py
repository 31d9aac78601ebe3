"""The map's layers: one module each, one small interface, painted in stack order.

A layer is an object with

- ``name``: its id in the stack;
- ``depends_on``: what of the snapshot it reads, from ``VIEW`` (viewport, layer visibility,
  language, scale, vector flag, outline level), ``TIME`` (the year the map shows) and
  ``DYNAMIC`` (hover, selection,
  annotations). A layer whose ``depends_on`` meets ``DYNAMIC`` is repainted
  on every hover and selection change; the others are static, so the window may cache their
  image (and paint it on a worker thread) until the view or the year changes — a year step
  is a new static frame, like a zoom, shown as a preview until it lands;
- ``paint(painter, frame)``: draw itself from ``frame.snap`` into any QPainter (window image,
  PNG, SVG, PDF), leaving the painter's state as it found it;
- ``labels(frame)``: the labels and label obstacles it asks for (``labels.LabelRequest``,
  ``labels.Obstacle``); the composer places those of every layer in one pass, so labels of
  different layers never collide.

Static layers must not touch Qt objects that dynamic layers share, other than read-only ones
prepared in advance (see ``geometry_cache.prime``): they may run on a worker thread at the same
time as the dynamic layers run on the UI thread.

A new kind of content (relief, rivers, lakes, a choropleth, user layers, annotations) is one new
module here and one entry in ``renderer.STACK``.
"""

from __future__ import annotations

VIEW = frozenset({"viewport", "layers", "language", "scale", "vector", "detail"})
TIME = frozenset({"time"})
DYNAMIC = frozenset({"hover", "selection", "annotations"})


class Layer:
    name = "layer"
    depends_on: frozenset = VIEW

    def __init__(self, renderer) -> None:
        self.renderer = renderer
        self.atlas = renderer.atlas

    @property
    def dynamic(self) -> bool:
        return bool(self.depends_on & DYNAMIC)

    def paint(self, painter, frame) -> None:  # pragma: no cover - every layer overrides it
        raise NotImplementedError

    def labels(self, frame) -> list:
        return []
