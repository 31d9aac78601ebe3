"""Placing and editing annotations on the map: the map view hands its mouse and keys here first.

Add text / arrow / circle arms a one-shot placement: a click places it (an arrow drawn by
dragging from the point it shows to where its text goes, a circle by dragging out its radius),
Enter places it at the centre of the view, Esc disarms. A click on an annotation selects it;
dragging moves it (an arrow's end or a circle's ring changes just that part); arrow keys nudge
it (Shift: ten times as far), Enter or F2 or a double-click edits its text, Delete removes it.
Every change is one undo step (``core.annotations.Annotations``).

Annotations are painted here over the window's frame with the renderer's annotations layer,
at the current view (they follow a glide or a drag at once); exports draw them in the stack.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFontMetricsF, QGuiApplication, QKeySequence, QPen

from silkmap.core.annotations import MAX_TEXT, Annotation
from silkmap.i18n import _
from silkmap.render.layers.annotations import annotation_font, geometry, hit, paint_annotations

ARROW_OFFSET = (70.0, -55.0)  # pixels from the point to the callout's end, when not dragged
CIRCLE_R_PX = 36.0
MIN_CIRCLE_PX = 6.0
SLOP_PX = 4.0
HANDLE = QColor("#1565c0")


class AnnotationTool(QObject):
    selectionChanged = Signal(object)  # the selected annotation's id, or None
    placingChanged = Signal(object)  # the kind being placed, or None

    def __init__(self, view) -> None:
        super().__init__(view)
        self.view = view
        self.items = view.state.annotations
        self.placing: str | None = None
        self.selected: str | None = None
        self._drag = None  # (id, part, press position, annotation at the press)
        self._moved = False
        self.items.changed.connect(self._on_items_changed)
        self.actions = self._make_actions(view)

    # ------------------------------------------------------------------ actions
    def _make_actions(self, parent) -> dict[str, QAction]:
        acts = {}
        for kind, key in (("text", "T"), ("arrow", "A"), ("circle", "C")):
            act = QAction(parent, checkable=True, shortcut=QKeySequence(key))
            act.triggered.connect(lambda on, k=kind: self.arm(k if on else None))
            acts[kind] = act
        acts["edit"] = QAction(parent, shortcut=QKeySequence("F2"))
        acts["edit"].triggered.connect(lambda: self.selected and self.edit_text(self.selected))
        acts["delete"] = QAction(parent, shortcut=QKeySequence.StandardKey.Delete)
        acts["delete"].triggered.connect(self.delete_selected)
        acts["undo"] = QAction(parent, shortcut=QKeySequence.StandardKey.Undo)
        acts["undo"].triggered.connect(self.items.undo)
        acts["redo"] = QAction(parent, shortcut=QKeySequence.StandardKey.Redo)
        acts["redo"].triggered.connect(self.items.redo)
        self.placingChanged.connect(self._sync_checks)
        self.selectionChanged.connect(lambda *_a: self._sync_enabled())
        self._sync_enabled()
        return acts

    def retranslate(self) -> None:
        a = self.actions
        a["text"].setText(_("Add &text"))
        a["arrow"].setText(_("Add &arrow"))
        a["circle"].setText(_("Add &circle"))
        a["edit"].setText(_("&Edit text…"))
        a["delete"].setText(_("&Delete annotation"))
        a["undo"].setText(_("&Undo"))
        a["redo"].setText(_("&Redo"))
        for key in ("text", "arrow", "circle"):
            a[key].setToolTip(a[key].text().replace("&", "") + f" ({a[key].shortcut().toString()})")

    def _sync_checks(self, kind) -> None:
        for key in ("text", "arrow", "circle"):
            self.actions[key].setChecked(kind == key)

    def _sync_enabled(self) -> None:
        acts = getattr(self, "actions", None)
        if acts is None:
            return
        acts["edit"].setEnabled(self.selected is not None)
        acts["delete"].setEnabled(self.selected is not None)
        acts["undo"].setEnabled(self.items.can_undo())
        acts["redo"].setEnabled(self.items.can_redo())

    # ------------------------------------------------------------------ state
    def arm(self, kind: str | None) -> None:
        """Place an annotation of ``kind`` with the next click (None: stop placing)."""
        self.placing = kind
        self.placingChanged.emit(kind)
        if kind is not None:
            self.view.setFocus()
            self.view.setCursor(Qt.CursorShape.CrossCursor)
            self.view.statusMessage.emit(_("Click the map to place it (Enter: at the centre, Esc: cancel)"))
        else:
            self.view.unsetCursor()

    def select(self, ident: str | None) -> None:
        if ident != self.selected:
            self.selected = ident
            self.selectionChanged.emit(ident)
            self.view.update()

    def _on_items_changed(self, items) -> None:
        if self.selected is not None and self.items.get(self.selected) is None:
            self.select(None)
        self._sync_enabled()
        self.view.update()

    def delete_selected(self) -> None:
        if self.selected is not None:
            self.items.remove(self.selected)

    def ask_text(self, current: str) -> str | None:
        """The annotation's text from the user, or None when cancelled (tests replace this)."""
        from PySide6.QtWidgets import QInputDialog

        txt, ok = QInputDialog.getMultiLineText(self.view.window(), _("Annotation text"), _("Text:"), current)
        return txt[:MAX_TEXT] if ok else None

    def edit_text(self, ident: str) -> None:
        a = self.items.get(ident)
        if a is None:
            return
        txt = self.ask_text(a.text)
        if txt is not None:
            self.items.update(a.with_text(txt))

    # ------------------------------------------------------------------ geometry
    def _metrics(self) -> QFontMetricsF:
        return QFontMetricsF(annotation_font(QGuiApplication.font(), 1.0))

    def hit(self, pos: QPointF):
        return hit(self.items.items, self.view.viewport, 1.0, self._metrics(), pos.x(), pos.y())

    def place(self, kind: str, pos: QPointF, to: QPointF | None = None, text: str | None = None):
        """Add an annotation of ``kind`` at screen ``pos`` (``to``: where the drag ended) and
        select it; asks for the text of a text or arrow unless ``text`` is given."""
        vp = self.view.viewport
        x, y = vp.to_map(pos.x(), pos.y())
        dragged = to is not None and math.dist((pos.x(), pos.y()), (to.x(), to.y())) > SLOP_PX
        if kind == "arrow":
            end = to if dragged else QPointF(pos.x() + ARROW_OFFSET[0], pos.y() + ARROW_OFFSET[1])
            tx, ty = vp.to_map(end.x(), end.y())
            new = Annotation("", "arrow", x, y, "", tx, ty)
        elif kind == "circle":
            r = max(math.dist((pos.x(), pos.y()), (to.x(), to.y())), MIN_CIRCLE_PX) if dragged else CIRCLE_R_PX
            new = Annotation("", "circle", x, y, radius=r / vp.scale)
        else:
            new = Annotation("", "text", x, y)
        if text is None and kind != "circle":
            text = self.ask_text("")
            if text is None:
                return None
        try:
            new = self.items.add(new.with_text(text or ""))
        except ValueError as exc:  # the map holds MAX_ANNOTATIONS already
            self.view.statusMessage.emit(str(exc))
            return None
        self.select(new.id)
        return new

    # ------------------------------------------------------------------ input (True: handled)
    def mouse_press(self, event) -> bool:
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        pos = event.position()
        if self.placing is not None:
            self._drag = (None, self.placing, pos, None)
            return True
        found = self.hit(pos)
        if found is None:
            self.select(None)
            return False
        a, part = found
        self.select(a.id)
        self._drag = (a.id, part, pos, a)
        self._moved = False
        return True

    def mouse_move(self, event) -> bool:
        if self._drag is None:
            if self.placing is None and not event.buttons() and self.items.items and self.hit(event.position()):
                self.view.setCursor(Qt.CursorShape.SizeAllCursor)  # an annotation: it can be dragged
                self.view.state.set_hover(None)  # over it, not over the map below
                return True
            return False
        ident, part, start, orig = self._drag
        if ident is None:
            return True  # placing: the release decides
        pos = event.position()
        if not self._moved and (pos - start).manhattanLength() <= SLOP_PX:
            return True
        if not self._moved:
            self.items.checkpoint()  # the whole drag is one undo step
            self._moved = True
        vp = self.view.viewport
        x, y = vp.to_map(pos.x(), pos.y())
        sx, sy = vp.to_map(start.x(), start.y())
        if part == "tail":
            new = Annotation(orig.id, orig.kind, orig.x, orig.y, orig.text, x, y, orig.radius)
        elif part == "edge":
            r = max(math.dist((x, y), (orig.x, orig.y)), MIN_CIRCLE_PX / vp.scale)
            new = Annotation(orig.id, orig.kind, orig.x, orig.y, orig.text, orig.tx, orig.ty, r)
        else:
            new = orig.moved(x - sx, y - sy)
        self.items.update(new, record=False)
        return True

    def mouse_release(self, event) -> bool:
        if self._drag is None or event.button() != Qt.MouseButton.LeftButton:
            return False
        ident, part, start, _orig = self._drag
        self._drag = None
        if ident is None:
            kind = part
            self.arm(None)
            self.place(kind, start, event.position())
        self._sync_enabled()
        return True

    def double_click(self, event) -> bool:
        found = self.hit(event.position())
        if found is None:
            return False
        self.select(found[0].id)
        self.edit_text(found[0].id)
        return True

    def key_press(self, event) -> bool:
        key, mods = event.key(), event.modifiers()
        if key == Qt.Key.Key_Escape and (self.placing or self.selected):
            if self.placing:
                self.arm(None)
            else:
                self.select(None)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.placing:
                kind = self.placing
                self.arm(None)
                self.place(kind, QPointF(self.view.width() / 2, self.view.height() / 2))
                return True
            if self.selected:
                self.edit_text(self.selected)
                return True
        if self.selected is None:
            return False
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.delete_selected()
            return True
        step = {Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0), Qt.Key.Key_Up: (0, 1),
                Qt.Key.Key_Down: (0, -1)}.get(key)
        if step is not None:
            a = self.items.get(self.selected)
            k = (10.0 if mods & Qt.KeyboardModifier.ShiftModifier else 1.0) / self.view.viewport.scale
            self.items.update(a.moved(step[0] * k, step[1] * k))
            return True
        return False

    # ------------------------------------------------------------------ painting
    def paint(self, painter) -> None:
        """The annotations over the window's frame, and the selected one's handles."""
        state = self.view.state
        if not state.layers.get("annotations", True) or not self.items.items:
            return
        vp = self.view.viewport
        paint_annotations(painter, vp, self.items.items, 1.0, QGuiApplication.font())
        a = self.items.get(self.selected) if self.selected else None
        if a is None:
            return
        g = geometry(a, vp, 1.0, self._metrics())
        painter.save()
        painter.setRenderHint(painter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(HANDLE, 1, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(g.bounds().adjusted(-4, -4, 4, 4))
        painter.setPen(QPen(QColor("white"), 1.5))
        painter.setBrush(HANDLE)
        handles = [g.anchor]
        if g.tail is not None:
            handles.append(g.tail)
        if g.radius:
            handles.append(QPointF(g.anchor.x() + g.radius, g.anchor.y()))
        for h in handles:
            painter.drawRect(QRectF(h.x() - 3.5, h.y() - 3.5, 7, 7))
        painter.restore()
