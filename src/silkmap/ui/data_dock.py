"""The data table's dock under the timeline, made empty with the window; the table itself
(ui/data_table.py) is built when the dock is first shown once the map has painted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDockWidget

from silkmap.core.state import MapState
from silkmap.i18n import _

if TYPE_CHECKING:
    from silkmap.ui.data_table import DataTable


class DataDock(QDockWidget):
    """The dock, made empty; its table is built when it is first shown after ``ready()``."""

    sourceRequested = Signal(str)

    def __init__(self, atlas, state: MapState, parent=None) -> None:
        super().__init__(parent)
        self.atlas = atlas
        self.state = state
        self.setObjectName("data-dock")
        self.table: DataTable | None = None
        self._ready = False
        self.visibilityChanged.connect(lambda on: on and self._build())

    def ready(self) -> None:
        """The first paint is done: the table may be built (now, if the dock is open)."""
        self._ready = True
        if self.isVisible():
            self._build()

    def _build(self) -> DataTable | None:
        if self.table is None and self._ready:
            from silkmap.ui.data_table import DataTable

            self.table = DataTable(self.atlas, self.state, self)
            self.table.sourceRequested.connect(self.sourceRequested)
            self.setWidget(self.table)
            window = self.parentWidget()
            if hasattr(window, "resizeDocks") and not self.isFloating():
                # Room for the five countries' rows: a dock restored from the layout keeps its own size.
                window.resizeDocks([self], [self.table.sizeHint().height()], Qt.Orientation.Vertical)
        return self.table

    def open_table(self) -> DataTable:
        """Show the dock with its table (the View menu's action, and tests)."""
        self._ready = True
        self.show()
        self.raise_()
        return self._build()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Data table"))
        if self.table is not None:
            self.table.retranslate()
