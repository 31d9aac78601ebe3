"""The search field's list of results: drawn over the map under the field (ui/search_box.py),
one row per hit with a badge for its kind, its name and what and where it is.

Built when the first search is typed: the window's first paint does not wait for it.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import (QAbstractItemView, QFrame, QGraphicsDropShadowEffect, QLabel, QListWidget,
                               QListWidgetItem, QStyle, QStyledItemDelegate, QVBoxLayout)

from silkmap.i18n import N_, _, text
from silkmap.i18n import labels as L

ROW_H = 50
MAX_ROWS = 8  # the list's height in rows; PgUp/PgDn move a page
POPUP_W = 460
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
    page = MAX_ROWS  # rows a PgUp/PgDn moves

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
