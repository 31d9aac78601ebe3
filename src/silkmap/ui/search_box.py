"""The search field (Ctrl+F) at the right of the toolbar and its list of results.

Typing lists what core/search.py finds; Up/Down move, Enter (or a click) glides the map to the
result and opens what a click on it would open, Esc closes. The list is a child of the window
laid over the map, not a popup window, so the field keeps the keyboard while one types.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QKeySequence, QPainter, QPainterPath, QPen, QPixmap, QIcon, QPolygonF
from PySide6.QtWidgets import (QAbstractItemView, QFrame, QGraphicsDropShadowEffect, QLabel, QLineEdit,
                               QListWidget, QListWidgetItem, QStyle, QStyledItemDelegate, QVBoxLayout)

from silkmap.core.state import Selection
from silkmap.i18n import N_, _, text
from silkmap.i18n import labels as L

ROW_H = 50
MAX_ROWS = 8
POPUP_W = 460
PLACE_SPAN_M = 150_000.0  # half the width of ground a town or project is framed with
HIT_ROLE = Qt.ItemDataRole.UserRole

PLACE_KIND = {"capital": N_("Capital"), "hub": N_("Silk Road hub"), "city": N_("City"),
              "border_port": N_("Border port"), "heritage_site": N_("Heritage site")}
PHYSICAL_KIND = {"desert": N_("Desert"), "range": N_("Mountain range"), "valley": N_("Valley"),
                 "pass": N_("Pass"), "lake": N_("Lake"), "historic_lake": N_("Former shoreline"),
                 "river": N_("River")}
# The badge colour of each kind of result (hue by kind, muted so the map stays the subject).
KIND_COLOUR = {"country": "#3b6ea8", "place": "#b5523b", "town": "#a0714f", "route": "#7a5aa6",
               "project": "#2f8a6b", "physical": "#6b8e3d", "event": "#b08a1e"}


def subtitle(atlas, hit) -> str:
    """What a result is and where: "City · Kazakhstan", "railway", "2009-12 · Opened"."""
    e = hit.entry
    country = atlas.profiles[e.country].name if e.country in atlas.profiles else None
    if e.kind == "country":
        parts = [_("Country") if e.opens else _("Neighbouring country")]
    elif e.kind == "place":
        parts = [L.label(PLACE_KIND, e.sub)] + ([text(country)] if country and e.sub != "hub" else [])
    elif e.kind == "town":
        parts = [_("on {route}").format(route=text(e.context))]
    elif e.kind == "route":
        parts = [L.label(L.ROUTE_KIND, e.sub)]
    elif e.kind == "project":
        parts = [_("Project")] + ([text(country)] if country else [])
    elif e.kind == "physical":
        parts = [L.label(PHYSICAL_KIND, e.sub)]
    else:
        parts = [e.event.date, text(e.context)]
    shown_name = text(e.names)
    from silkmap.core.search import fold

    matched = fold(hit.matched)  # an alternate or another script: say which name matched
    if e.kind != "event" and matched not in fold(shown_name) and matched not in fold(e.names["en"]):
        parts.insert(0, _("“{name}”").format(name=hit.matched))
    return " · ".join(p for p in parts if p)


def _glyph(painter: QPainter, kind: str, r: QRectF) -> None:
    """A small white figure for the kind inside its badge."""
    c = r.center()
    s = r.width() * 0.22
    painter.setPen(QPen(QColor("white"), 1.6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                        Qt.PenJoinStyle.RoundJoin))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    if kind == "country":
        p = QPainterPath()
        p.addRoundedRect(QRectF(c.x() - s * 1.2, c.y() - s, s * 2.4, s * 2), 2, 2)
        painter.drawPath(p)
        painter.drawLine(QPointF(c.x() - s * 0.3, c.y() - s), QPointF(c.x() - s * 0.3, c.y() + s))
    elif kind in ("place", "town"):
        painter.setBrush(QColor("white"))
        painter.drawEllipse(c, s * 0.55, s * 0.55)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if kind == "place":
            painter.drawEllipse(c, s * 1.15, s * 1.15)
    elif kind == "route":
        painter.drawPolyline(QPolygonF([QPointF(c.x() - s * 1.3, c.y() + s * 0.8), QPointF(c.x() - s * 0.3, c.y() - s * 0.6),
                                        QPointF(c.x() + s * 0.4, c.y() + s * 0.4), QPointF(c.x() + s * 1.3, c.y() - s * 0.8)]))
    elif kind == "project":
        painter.drawPolygon(QPolygonF([QPointF(c.x(), c.y() - s * 1.2), QPointF(c.x() + s * 1.2, c.y()),
                                       QPointF(c.x(), c.y() + s * 1.2), QPointF(c.x() - s * 1.2, c.y())]))
    elif kind == "physical":
        painter.drawPolyline(QPolygonF([QPointF(c.x() - s * 1.4, c.y() + s), QPointF(c.x() - s * 0.3, c.y() - s * 0.9),
                                        QPointF(c.x() + s * 0.3, c.y()), QPointF(c.x() + s * 0.7, c.y() - s * 0.4),
                                        QPointF(c.x() + s * 1.4, c.y() + s)]))
    else:  # event: a calendar leaf
        painter.drawRoundedRect(QRectF(c.x() - s * 1.1, c.y() - s * 0.9, s * 2.2, s * 2), 1.5, 1.5)
        painter.drawLine(QPointF(c.x() - s * 1.1, c.y() - s * 0.2), QPointF(c.x() + s * 1.1, c.y() - s * 0.2))


class ResultDelegate(QStyledItemDelegate):
    def __init__(self, atlas, parent=None) -> None:
        super().__init__(parent)
        self.atlas = atlas

    def sizeHint(self, option, index) -> QSize:
        return QSize(POPUP_W - 16, ROW_H)

    def paint(self, painter: QPainter, option, index) -> None:
        hit = index.data(HIT_ROLE)
        if hit is None:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = option.palette
        r = QRectF(option.rect).adjusted(4, 2, -4, -2)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
        if selected or hovered:
            fill = QColor(pal.highlight().color())
            if not selected:
                fill.setAlpha(40)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRoundedRect(r, 6, 6)
        badge = QRectF(r.left() + 8, r.center().y() - 13, 26, 26)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(KIND_COLOUR.get(hit.entry.kind, "#777")))
        painter.drawRoundedRect(badge, 7, 7)
        _glyph(painter, hit.entry.kind, badge)
        fg = pal.highlightedText().color() if selected else pal.text().color()
        dim = QColor(fg)
        dim.setAlpha(170 if selected else 140)
        left = badge.right() + 12
        title_font = QFont(option.font)
        title_font.setWeight(QFont.Weight.DemiBold)
        painter.setFont(title_font)
        painter.setPen(fg)
        width = int(r.right() - left - 8)
        title = painter.fontMetrics().elidedText(text(hit.entry.names), Qt.TextElideMode.ElideRight, width)
        painter.drawText(QRectF(left, r.top(), width, r.height() / 2 - 1), Qt.AlignmentFlag.AlignLeft
                         | Qt.AlignmentFlag.AlignBottom, title)
        small = QFont(option.font)
        small.setPointSizeF(max(7.0, option.font.pointSizeF() * 0.88))
        painter.setFont(small)
        painter.setPen(dim)
        sub = painter.fontMetrics().elidedText(subtitle(self.atlas, hit), Qt.TextElideMode.ElideRight, width)
        painter.drawText(QRectF(left, r.center().y() + 2, width, r.height() / 2 - 2),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, sub)
        painter.restore()


class ResultsPopup(QFrame):
    """The results under the field, drawn over the map (a child of the window)."""

    picked = Signal(object)  # the Hit clicked

    def __init__(self, atlas, parent) -> None:
        super().__init__(parent)
        self.setObjectName("searchResults")
        self.setStyleSheet("#searchResults { background: palette(base); border: 1px solid palette(mid);"
                           " border-radius: 8px; }")
        shadow = QGraphicsDropShadowEffect(self)
        shadow.setBlurRadius(24)
        shadow.setOffset(0, 4)
        shadow.setColor(QColor(0, 0, 0, 70))
        self.setGraphicsEffect(shadow)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.setSpacing(0)
        self.list = QListWidget(self)
        self.list.setFrameShape(QFrame.Shape.NoFrame)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the field keeps the keyboard
        self.list.setMouseTracking(True)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setStyleSheet("QListWidget { background: transparent; }")
        self.list.setItemDelegate(ResultDelegate(atlas, self.list))
        self.list.itemClicked.connect(lambda item: self.picked.emit(item.data(HIT_ROLE)))
        lay.addWidget(self.list)
        self.empty = QLabel(self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: palette(mid); padding: 14px;")
        self.empty.setWordWrap(True)
        lay.addWidget(self.empty)
        self.hide()

    def show_hits(self, hits, query: str) -> None:
        self.list.clear()
        for h in hits:
            item = QListWidgetItem()
            item.setData(HIT_ROLE, h)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{text(h.entry.names)}, {subtitle(self.list.itemDelegate().atlas, h)}")
            self.list.addItem(item)
        self.list.setVisible(bool(hits))
        self.empty.setVisible(not hits)
        self.empty.setText(_("No matches for “{query}”").format(query=query))
        if hits:
            self.list.setCurrentRow(0)
        rows = min(len(hits), MAX_ROWS)
        self.setFixedHeight(rows * ROW_H + 14 if hits else self.empty.sizeHint().height() + 14)

    def move_by(self, step: int) -> None:
        n = self.list.count()
        if n:
            self.list.setCurrentRow(max(0, min(n - 1, self.list.currentRow() + step)))

    def current(self):
        item = self.list.currentItem()
        return item.data(HIT_ROLE) if item is not None else None


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
        self.popup = ResultsPopup(self.atlas, window)
        self.popup.picked.connect(self.open_hit)
        self.textEdited.connect(self._on_text)
        window.installEventFilter(self)

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
        self.popup.list.setAccessibleName(_("Search results"))
        if self.popup.isVisible():
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
        width = min(POPUP_W, win.width() - 16)
        below = self.mapTo(win, QPoint(self.width(), self.height() + 4))
        x = max(8, min(below.x() - width, win.width() - width - 8))
        self.popup.setFixedWidth(width)
        self.popup.move(x, below.y())

    def close_popup(self) -> None:
        self.popup.hide()

    def eventFilter(self, obj, event) -> bool:
        if obj is self.window_ and event.type() in (QEvent.Type.Resize, QEvent.Type.LayoutRequest) \
                and self.popup.isVisible():
            QTimer.singleShot(0, self._place_popup)
        return False

    def keyPressEvent(self, event) -> None:
        key = event.key()
        visible = self.popup.isVisible()
        if key == Qt.Key.Key_Down and visible:
            self.popup.move_by(1)
        elif key == Qt.Key.Key_Up and visible:
            self.popup.move_by(-1)
        elif key == Qt.Key.Key_PageDown and visible:
            self.popup.move_by(MAX_ROWS)
        elif key == Qt.Key.Key_PageUp and visible:
            self.popup.move_by(-MAX_ROWS)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if not visible and self.text().strip():
                self._on_text(self.text())
            hit = self.popup.current()
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
