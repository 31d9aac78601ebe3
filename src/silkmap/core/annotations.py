"""Annotations the user places on the map: text, arrow (a callout) and circle.

Positions are in map metres (core/projection.py), so an annotation stays on its place at any
zoom and lands on the same spot in every export. Sizes of text and lines are in pixels at
symbol scale 1 (they grow with an export's dpi as the map's own symbols do); a circle's radius
is in metres, so it keeps surrounding the same ground.

``Annotations`` holds the map's list, announces changes and keeps an undo history. It is
plain Python: the window edits it, the project file saves it, the renderer draws it.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, replace

from silkmap.core.signals import Signal

KINDS = ("text", "arrow", "circle")
MAX_TEXT = 500  # characters of one annotation's text
MAX_ANNOTATIONS = 2000
UNDO_DEPTH = 200
# Beyond this the map is meaningless (the projection's metres span a few thousand km here).
MAX_COORD = 4.0e7


@dataclass(frozen=True)
class Annotation:
    id: str
    kind: str  # one of KINDS
    x: float  # text: its anchor; arrow: the point it points at; circle: the centre
    y: float
    text: str = ""
    tx: float = 0.0  # arrow: the callout's end, where its text sits
    ty: float = 0.0
    radius: float = 0.0  # circle, in metres

    def moved(self, dx: float, dy: float) -> "Annotation":
        return replace(self, x=self.x + dx, y=self.y + dy, tx=self.tx + dx, ty=self.ty + dy)

    def with_text(self, text: str) -> "Annotation":
        return replace(self, text=text[:MAX_TEXT])

    def to_json(self) -> dict:
        out = {"id": self.id, "kind": self.kind, "x": self.x, "y": self.y}
        if self.text:
            out["text"] = self.text
        if self.kind == "arrow":
            out["tx"], out["ty"] = self.tx, self.ty
        if self.kind == "circle":
            out["radius"] = self.radius
        return out


def _number(raw: dict, key: str, where: str, default: float | None = None) -> float:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{where}: '{key}' must be a number")
    value = float(value)
    if not math.isfinite(value) or abs(value) > MAX_COORD:
        raise ValueError(f"{where}: '{key}' is out of range")
    return value


def from_json(raw: object, where: str) -> Annotation:
    """One annotation from a project file; ``ValueError`` with a short reason naming ``where``."""
    if not isinstance(raw, dict):
        raise ValueError(f"{where} must be an object")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise ValueError(f"{where}: 'kind' must be one of {', '.join(KINDS)}")
    ident = raw.get("id", "")
    if not isinstance(ident, str) or len(ident) > 64:
        raise ValueError(f"{where}: 'id' must be a short string")
    text = raw.get("text", "")
    if not isinstance(text, str):
        raise ValueError(f"{where}: 'text' must be a string")
    if len(text) > MAX_TEXT:
        raise ValueError(f"{where}: 'text' is longer than {MAX_TEXT} characters")
    x, y = _number(raw, "x", where), _number(raw, "y", where)
    tx = _number(raw, "tx", where) if kind == "arrow" else 0.0
    ty = _number(raw, "ty", where) if kind == "arrow" else 0.0
    radius = _number(raw, "radius", where) if kind == "circle" else 0.0
    if kind == "circle" and radius <= 0:
        raise ValueError(f"{where}: 'radius' must be above 0")
    return Annotation(ident, kind, x, y, text, tx, ty, radius)


class Annotations:
    """The map's annotations in drawing order, with undo and redo of every recorded change."""

    def __init__(self, items=()) -> None:
        self.items: tuple[Annotation, ...] = tuple(items)
        self._undo: list[tuple[Annotation, ...]] = []
        self._redo: list[tuple[Annotation, ...]] = []
        self._ids = itertools.count(1)
        self.changed = Signal()  # (items)

    def __len__(self) -> int:
        return len(self.items)

    def get(self, ident: str) -> Annotation | None:
        return next((a for a in self.items if a.id == ident), None)

    def new_id(self) -> str:
        taken = {a.id for a in self.items}
        while True:
            ident = f"a{next(self._ids)}"
            if ident not in taken:
                return ident

    def _set(self, items, record: bool) -> None:
        items = tuple(items)
        if items == self.items:
            return
        if record:
            self.checkpoint()
        self.items = items
        self.changed.emit(items)

    def checkpoint(self) -> None:
        """Remember the current list as one undo step (before a drag's unrecorded moves)."""
        self._undo.append(self.items)
        del self._undo[:-UNDO_DEPTH]
        self._redo.clear()

    def add(self, annotation: Annotation) -> Annotation:
        if len(self.items) >= MAX_ANNOTATIONS:
            raise ValueError(f"a map holds at most {MAX_ANNOTATIONS} annotations")
        if not annotation.id or self.get(annotation.id) is not None:
            annotation = replace(annotation, id=self.new_id())
        self._set(self.items + (annotation,), True)
        return annotation

    def update(self, annotation: Annotation, record: bool = True) -> None:
        self._set((annotation if a.id == annotation.id else a for a in self.items), record)

    def remove(self, ident: str) -> None:
        self._set((a for a in self.items if a.id != ident), True)

    def replace_all(self, items) -> None:
        """A new list (a project opened): the history starts again."""
        self._undo.clear()
        self._redo.clear()
        self._set(items, False)

    def can_undo(self) -> bool:
        return bool(self._undo)

    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo(self) -> None:
        if self._undo:
            self._redo.append(self.items)
            self.items = self._undo.pop()
            self.changed.emit(self.items)

    def redo(self) -> None:
        if self._redo:
            self._undo.append(self.items)
            self.items = self._redo.pop()
            self.changed.emit(self.items)
