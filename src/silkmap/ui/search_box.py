"""The search field (Ctrl+F) at the right of the toolbar and its list of results.

Typing lists what core/search.py finds; Up/Down move, Enter (or a click) glides the map to the
result and opens what a click on it would open, Esc closes. The list (ui/search_results.py) is a
child of the window laid over the map, not a popup window, so the field keeps the keyboard while
one types.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QKeySequence, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QLineEdit

from silkmap.core.state import Selection
from silkmap.i18n import _, text

PLACE_SPAN_M = 150_000.0  # half the width of ground a town or project is framed with


def _search_icon() -> QIcon:
    pm = QPixmap(32, 32)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QPen(QColor("#6b6b6b"), 3.2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    p.drawEllipse(QPointF(13.5, 13.5), 8, 8)
    p.drawLine(QPointF(19.5, 19.5), QPointF(27, 27))
    p.end()
    return QIcon(pm)


class SearchField(QLineEdit):
    """Ctrl+F: find a country, place, route, project, event or name of the land on the map."""

    opened = Signal(object)  # the Entry a result opened (after the map set off towards it)

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window_ = window
        self.atlas = window.atlas
        self._index = None
        self.setClearButtonEnabled(True)
        self.addAction(_search_icon(), QLineEdit.ActionPosition.LeadingPosition)
        self.setMinimumWidth(240)
        self.setMaximumWidth(320)
        self._popup = None
        self.textEdited.connect(self._on_text)

    @property
    def popup(self):
        """The list of results, made on first use."""
        if self._popup is None:
            from silkmap.ui.search_results import ResultsPopup

            self._popup = ResultsPopup(self.atlas, self.window_)
            self._popup.picked.connect(self.open_hit)
            self.window_.installEventFilter(self)  # to follow the window while the list shows
            self._popup.list.setAccessibleName(_("Search results"))
        return self._popup

    def _popup_visible(self) -> bool:
        return self._popup is not None and self._popup.isVisible()

    # ------------------------------------------------------------------ index
    def index(self):
        """Built on first use (the dated facts and the names of the land are read by then)."""
        if self._index is None:
            from silkmap.core.errors import DataError
            from silkmap.core.search import build_index

            try:
                self._index = build_index(self.atlas)
            except DataError as exc:  # said once; the names of the other files are still found
                self.window_.show_data_error(str(exc), _("The other names search knows (Alma-Ata, Frunze …) could not be "
                                                       "loaded; search finds the map's own names.\n{error}"))
                self._index = build_index(self.atlas, alternates={})
        return self._index

    def retranslate(self) -> None:
        self.setPlaceholderText(_("Search places, routes, events…"))
        self.setToolTip(_("Search places, routes, events…") + " (" + QKeySequence(QKeySequence.StandardKey.Find)
                        .toString(QKeySequence.SequenceFormat.NativeText) + ")")
        self.setAccessibleName(_("Search the map"))
        if self._popup is not None:
            self._popup.list.setAccessibleName(_("Search results"))
        if self._popup_visible():
            self._on_text(self.text())

    # ------------------------------------------------------------------ typing
    def open(self) -> None:
        self.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.selectAll()
        if self.text().strip():
            self._on_text(self.text())

    def _on_text(self, query: str) -> None:
        if not query.strip():
            self.close_popup()
            return
        index = self.index()
        if index is None:
            return
        self.popup.show_hits(index.search(query), query.strip())
        self._place_popup()
        self.popup.show()
        self.popup.raise_()

    def _place_popup(self) -> None:
        win = self.window_
        from silkmap.ui.search_results import POPUP_W

        width = min(POPUP_W, win.width() - 16)
        below = self.mapTo(win, QPoint(self.width(), self.height() + 4))
        x = max(8, min(below.x() - width, win.width() - width - 8))
        self.popup.setFixedWidth(width)
        self.popup.move(x, below.y())

    def close_popup(self) -> None:
        if self._popup is not None:
            self._popup.hide()

    def eventFilter(self, obj, event) -> bool:
        if obj is self.window_ and self._popup_visible() \
                and event.type() in (QEvent.Type.Resize, QEvent.Type.LayoutRequest):
            QTimer.singleShot(0, self._place_popup)
        return False

    def keyPressEvent(self, event) -> None:
        key = event.key()
        visible = self._popup_visible()
        if key == Qt.Key.Key_Down and visible:
            self.popup.move_by(1)
        elif key == Qt.Key.Key_Up and visible:
            self.popup.move_by(-1)
        elif key == Qt.Key.Key_PageDown and visible:
            self.popup.move_by(self.popup.page)
        elif key == Qt.Key.Key_PageUp and visible:
            self.popup.move_by(-self.popup.page)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if not visible and self.text().strip():
                self._on_text(self.text())
            hit = self.popup.current() if visible else None
            if hit is not None:
                self.open_hit(hit)
        elif key == Qt.Key.Key_Escape:
            if visible:
                self.close_popup()
            else:
                self.window_.view.setFocus(Qt.FocusReason.OtherFocusReason)
        elif key == Qt.Key.Key_Down and self.text().strip():
            self._on_text(self.text())
        else:
            super().keyPressEvent(event)

    def focusOutEvent(self, event) -> None:
        # A click in the list does not take the focus (NoFocus), so this is a click elsewhere.
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.close_popup()
        super().focusOutEvent(event)

    # ------------------------------------------------------------------ going there
    def open_hit(self, hit) -> None:
        """Open the result as a click on it would, and glide there once the panel took its room."""
        self.close_popup()
        win, e = self.window_, hit.entry
        if e.kind == "event":
            win.timeline.open_event(e.event)  # what the events strip does: its year, its panel
        elif e.opens is not None:
            win.state.select(Selection(*e.opens))
        elif e.kind == "country":
            win.view.statusMessage.emit(_("{name} — neighbouring country").format(name=text(e.names)))
        win.view.setFocus(Qt.FocusReason.OtherFocusReason)
        QTimer.singleShot(0, lambda: self._glide(e))

    def _glide(self, e) -> None:
        view = self.window_.view
        kind, *arg = e.focus
        if kind == "country":
            view.zoom_to_country(arg[0])
        elif kind == "route":
            from silkmap.core.search import route_bounds

            view.zoom_to(route_bounds(self.atlas.routes[arg[0]]))
        elif kind in ("point", "project"):
            x, y = view.renderer.project_xy(arg[0]) if kind == "project" else arg
            s = PLACE_SPAN_M
            view.zoom_to((x - s, y - s, x + s, y + s))
        elif kind == "bounds":
            view.zoom_to(tuple(arg))
        elif kind == "name":  # a name at a point shows between two zooms: go to the middle of them
            x, y, lo, hi = arg
            view.set_view(x, y, 1.0 / math.sqrt(lo * hi), animate=True)
        self.opened.emit(e)
