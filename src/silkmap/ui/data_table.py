"""The data table: the five countries × the measures in the map's year, or one country
across the years, with the mirror statistics (core/data_rows.py).

It is also the accessible alternative to the map: every cell speaks its row, column, value,
unit and sources; the keyboard moves between cells (arrows), sorts by the current column
(Ctrl+↑ ascending, Ctrl+↓ descending, or the context menu), copies the selection as
tab-separated text (Ctrl+C) and opens the row's country (Enter), in the country view also
its year on the map. The columns of the map's measure and the row of the map's year are bold.

The dock is made at start-up (so the window's saved layout can show it) but its table only
when it is first shown after the first paint: the measures are read then, not before.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QFont, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel,
                               QTableView, QVBoxLayout, QWidget)

from silkmap.core.facts import FOCUS
from silkmap.core.state import MapState, Selection
from silkmap.i18n import _, text
from silkmap.ui.signals_blocked import signals_blocked

MUTED = QColor("#6b6b6b")
MAX_COLUMN = 220  # px
COPY_ROLE = Qt.ItemDataRole.UserRole + 1


def map_measure(state: MapState) -> str:
    """The measure the map is coloured by (the choropleth's ``MapState.measure``; the
    partnership level where the state has none)."""
    return getattr(state, "measure", None) or "level"


class DataModel(QAbstractTableModel):
    """A core/data_rows Table in a row order; sorting keeps the gaps last."""

    def __init__(self, atlas, parent=None) -> None:
        super().__init__(parent)
        self.atlas = atlas
        self.table = None
        self.order: list[int] = []
        self.sort_column: int | None = None
        self.descending = False
        self.marked_column: int | None = None  # the map's measure
        self.marked_key = None  # the map's year (one country's table)

    def set_table(self, table, marked_measure: str, marked_key=None) -> None:
        self.beginResetModel()
        self.table = table
        ids = [c.id for c in table.columns]
        self.marked_column = ids.index(marked_measure) if marked_measure in ids else None
        self.marked_key = marked_key
        self.order = self._ordered()
        self.endResetModel()

    def set_marks(self, marked_measure: str, marked_key=None) -> None:
        ids = [c.id for c in self.table.columns] if self.table else []
        self.marked_column = ids.index(marked_measure) if marked_measure in ids else None
        self.marked_key = marked_key
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(0, self.columnCount() - 1))
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))

    def _ordered(self) -> list[int]:
        from silkmap.core.data_rows import sorted_order

        rows = self.table.rows if self.table else ()
        if self.sort_column is None or self.sort_column >= len(self.table.columns):
            return list(range(len(rows)))
        return sorted_order(rows, self.sort_column, self.descending)

    # -- the model
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() or self.table is None else len(self.order)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() or self.table is None else len(self.table.columns)

    def cell(self, index: QModelIndex):
        return self.table.rows[self.order[index.row()]][index.column()]

    def key(self, row: int):
        return self.table.keys[self.order[row]]

    def row_of(self, key) -> int | None:
        for r in range(len(self.order)):
            if self.key(r) == key:
                return r
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.table is None:
            return None
        c = self.cell(index)
        col = self.table.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return c.text
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return c.speech
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(c)
        if role == COPY_ROLE:
            return c.copy
        if role == Qt.ItemDataRole.TextAlignmentRole:
            align = Qt.AlignmentFlag.AlignRight if col.numeric else Qt.AlignmentFlag.AlignLeft
            return int(align | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole:
            bold = index.column() == self.marked_column or self.key(index.row()) == self.marked_key
            if bold or c.unconfirmed:
                font = QFont()
                font.setBold(bold)
                font.setItalic(c.unconfirmed)
                return font
        if role == Qt.ItemDataRole.ForegroundRole and c.key is None:
            return QBrush(MUTED)
        return None

    def _tooltip(self, c) -> str:
        lines = [c.speech.split("; ")[0]]
        if c.unconfirmed:
            lines.append(_("unconfirmed"))
        if c.note:
            lines.append(c.note)
        lines += [f"[{sid}] {self.atlas.sources[sid].citation()}" for sid in c.sources if sid in self.atlas.sources]
        return "\n".join(lines)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if self.table is None or orientation != Qt.Orientation.Horizontal:
            return None
        from silkmap.core.data_rows import heading

        col = self.table.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:  # two lines, title over unit: narrower columns
            return heading(col).replace(" (", "\n(", 1) if col.unit else heading(col)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return heading(col)
        if role == Qt.ItemDataRole.ToolTipRole:
            if section == self.marked_column:
                return heading(col) + "\n" + _("Shown on the map")
            return heading(col)
        if role == Qt.ItemDataRole.FontRole and section == self.marked_column:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        old = {self.order[r]: r for r in range(len(self.order))}
        persistent = self.persistentIndexList()
        self.sort_column = column
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.order = self._ordered()
        new = {src: r for r, src in enumerate(self.order)}
        for idx in persistent:  # the current cell and the selection follow their rows
            src = next(s for s, r in old.items() if r == idx.row())
            self.changePersistentIndex(idx, self.index(new[src], idx.column()))
        self.layoutChanged.emit()

    def copy_text(self, indexes, place=lambda column: column) -> str:
        """The selected cells as tab-separated text with their column headings: the bounding
        rectangle of the selection, a cell outside it left empty; columns in the order
        ``place(column)`` gives (the view's, where a column was moved)."""
        from silkmap.core.data_rows import heading, tsv

        if not indexes:
            return ""
        rows = sorted({i.row() for i in indexes})
        cols = sorted({i.column() for i in indexes}, key=place)
        chosen = {(i.row(), i.column()) for i in indexes}
        header = [heading(self.table.columns[c]) for c in cols]
        body = [[self.data(self.index(r, c), COPY_ROLE) if (r, c) in chosen else "" for c in cols] for r in rows]
        return tsv(header, body)


class DataView(QTableView):
    """The table with its keys: Ctrl+C copies, Ctrl+↑/↓ sorts, Enter opens the row."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("data-table")
        self.setSortingEnabled(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)  # Tab leaves the table for the next control
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().setHighlightSections(False)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.act_copy = self._action(QKeySequence.StandardKey.Copy, self.copy)
        self.act_sort_up = self._action(QKeySequence("Ctrl+Up"), lambda: self.sort_current(False))
        self.act_sort_down = self._action(QKeySequence("Ctrl+Down"), lambda: self.sort_current(True))
        self.act_citations = self._action(None, self.copy_citations)

    def _action(self, keys, slot) -> QAction:
        act = QAction(self)
        if keys is not None:
            act.setShortcut(keys)
            act.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        act.triggered.connect(slot)
        self.addAction(act)
        return act

    def retranslate(self) -> None:
        self.act_copy.setText(_("Copy"))
        self.act_sort_up.setText(_("Sort by this column, ascending"))
        self.act_sort_down.setText(_("Sort by this column, descending"))
        self.act_citations.setText(_("Copy citations"))

    def copy(self) -> None:
        model = self.model()
        indexes = self.selectionModel().selectedIndexes() or ([self.currentIndex()] if self.currentIndex().isValid() else [])
        text_ = model.copy_text(indexes, self.horizontalHeader().visualIndex)
        if text_:
            QGuiApplication.clipboard().setText(text_)

    def copy_citations(self) -> None:
        model = self.model()
        indexes = self.selectionModel().selectedIndexes() or [self.currentIndex()]
        ids = dict.fromkeys(s for i in indexes if i.isValid() for s in model.cell(i).sources)
        atlas = model.atlas
        if ids:
            QGuiApplication.clipboard().setText("\n".join(f"[{s}] {atlas.sources[s].citation()}" for s in ids))

    def sort_current(self, descending: bool) -> None:
        idx = self.currentIndex()
        column = idx.column() if idx.isValid() else 0
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        self.sortByColumn(column, order)  # the header shows the order, the model keeps gaps last
        self.scrollTo(self.currentIndex())

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activated.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class DataTable(QWidget):
    """The dock's content: what to show, the table, and the key to its marks."""

    sourceRequested = Signal(str)  # a source id to show in the details panel

    def __init__(self, atlas, state: MapState, parent=None) -> None:
        super().__init__(parent)
        self.atlas = atlas
        self.state = state
        self._stale = False
        self.mode = QComboBox(self)
        self.mode.setObjectName("data-mode")
        self.country = QComboBox(self)
        self.country.setObjectName("data-country")
        for iso3 in FOCUS:
            self.country.addItem("", iso3)
        self.caption = QLabel(self)
        self.caption.setWordWrap(True)
        self.view = DataView(self)
        self.model = DataModel(atlas, self)
        self.view.setModel(self.model)
        self.key_label = QLabel(self)
        self.key_label.setWordWrap(True)
        self.key_label.setStyleSheet("color: #555;")
        top = QHBoxLayout()
        top.addWidget(self.mode)
        top.addWidget(self.country)
        top.addWidget(self.caption, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.key_label)
        self.mode.currentIndexChanged.connect(lambda _i: self.refresh())
        self.country.currentIndexChanged.connect(lambda _i: self.refresh())
        self.view.activated.connect(self._open)
        state.year_changed.connect(self._on_year)
        state.selection_changed.connect(self._on_selection)
        changed = getattr(state, "measure_changed", None)
        if changed is not None:
            changed.connect(lambda *_a: self._remark())
        self.retranslate()

    def sizeHint(self) -> QSize:
        rows = len(FOCUS) + 1  # and the heading
        view = rows * self.view.verticalHeader().defaultSectionSize() + self.view.horizontalScrollBar().sizeHint().height()
        extra = self.mode.sizeHint().height() + self.key_label.sizeHint().height() + 24
        return QSize(super().sizeHint().width(), view + extra)

    # -- what is shown
    @property
    def by_country(self) -> bool:
        return self.mode.currentIndex() == 1

    def show_country(self, iso3: str) -> None:
        """One country across the years."""
        self.country.setCurrentIndex(FOCUS.index(iso3))
        self.mode.setCurrentIndex(1)

    def show_year(self) -> None:
        self.mode.setCurrentIndex(0)

    def refresh(self) -> None:
        from silkmap.core import data_rows

        if not self.isVisible() and self.model.table is not None:
            self._stale = True
            return
        self._stale = False
        current = self.view.currentIndex()
        keep = (self.model.key(current.row()), current.column()) if current.isValid() else None
        self.country.setEnabled(self.by_country)
        if self.by_country:
            table = data_rows.country_table(self.atlas, self.country.currentData())
            self.model.set_table(table, map_measure(self.state), self.state.year)
        else:
            table = data_rows.year_table(self.atlas, self.state.year)
            self.model.set_table(table, map_measure(self.state))
        self.view.horizontalHeader().setSortIndicatorShown(self.model.sort_column is not None)
        if keep is not None:
            row = self.model.row_of(keep[0])
            if row is not None:
                self.view.setCurrentIndex(self.model.index(row, keep[1]))
        self._place_marked()
        self.view.resizeColumnsToContents()
        for c in range(self.model.columnCount()):  # a long level name or source list is elided, its tooltip whole
            self.view.setColumnWidth(c, min(self.view.columnWidth(c), MAX_COLUMN))
        self._caption()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _caption(self) -> None:
        from silkmap.core.timeline import SILK_ROAD_ERA
        from silkmap.render.year_style import year_text

        if self.by_country:
            self.caption.setText(text(self.atlas.profiles[self.country.currentData()].name))
        elif self.state.year == SILK_ROAD_ERA:
            self.caption.setText(_("{year}: no figures").format(year=year_text(self.state.year)))
        else:
            self.caption.setText(year_text(self.state.year))
        self.view.setAccessibleDescription(f"{self.caption.text()}. {self.view.toolTip()}")

    def _remark(self) -> None:
        if self.model.table is not None:
            self.model.set_marks(map_measure(self.state), self.state.year if self.by_country else None)
            self._place_marked()

    def _place_marked(self) -> None:
        """The map's measure as the column next to the row's name, which stays in sight."""
        header = self.view.horizontalHeader()
        for logical in range(self.model.columnCount()):  # the table's own order first
            if header.visualIndex(logical) != logical:
                header.moveSection(header.visualIndex(logical), logical)
        col = self.model.marked_column
        if col is not None and col > 1:
            header.moveSection(header.visualIndex(col), 1)
        self.view.horizontalScrollBar().setValue(0)

    def _on_year(self, _year) -> None:
        if self.by_country:
            self._remark()
        else:
            self.refresh()

    def _on_selection(self, sel) -> None:
        if self.by_country and sel is not None and sel.kind == "country" and sel.id in FOCUS:
            self.country.setCurrentIndex(FOCUS.index(sel.id))

    def _open(self, index: QModelIndex) -> None:
        """Enter or a double click: the row's country in the details panel (in the country view
        also its year on the map), scrolled to the cell's first source."""
        if not index.isValid():
            return
        if self.by_country:
            iso3 = self.country.currentData()
            self.state.set_year(self.model.key(index.row()))
        else:
            iso3 = self.model.key(index.row())
        self.state.select(Selection("country", iso3))
        cell = self.model.cell(index)
        if cell.sources:
            self.sourceRequested.emit(cell.sources[0])

    def retranslate(self) -> None:
        with signals_blocked(self.mode):
            i = self.mode.currentIndex()
            self.mode.clear()
            self.mode.addItems([_("All five in the map's year"), _("One country, every year")])
            self.mode.setCurrentIndex(max(0, i))
        with signals_blocked(self.country):
            for i, iso3 in enumerate(FOCUS):
                self.country.setItemText(i, text(self.atlas.profiles[iso3].name))
        self.mode.setAccessibleName(_("Show"))
        self.country.setAccessibleName(_("Country"))
        self.view.setAccessibleName(_("Data table"))
        self.view.retranslate()
        self.key_label.setText(_("Trade: China customs' count, as on the map; beside it the partner's own "
                                 "count and the gap. Italic: unconfirmed. —: no data. †: not comparable."))
        keys = _("Ctrl+C copies, Ctrl+↑/↓ sorts by the current column, Enter opens the country.")
        self.view.setToolTip(keys)
        self.view.setWhatsThis(keys)
        self.refresh()
