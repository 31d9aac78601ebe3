"""File → Export data…: the data behind the map into a folder the user picks
(core/export_data.py), written on a worker; a dialog says what went wrong, if anything."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox

from silkmap.i18n import _
from silkmap.ui import background


class DataExporter(QObject):
    done = Signal(str, str)  # the folder, and "" or the one-line error

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.last_error = ""
        self.done.connect(self._report)

    def ask_folder(self) -> str | None:
        title = _("Export &data…").replace("&", "").rstrip("…")
        return QFileDialog.getExistingDirectory(self.window, title) or None

    def ask_replace(self, folder: Path, names: list[str]) -> bool:
        answer = QMessageBox.question(self.window, "silkmap", _("Replace {files} in '{folder}'?").format(
            files=", ".join(names), folder=folder))
        return answer == QMessageBox.StandardButton.Yes

    def run(self) -> None:
        from silkmap.core.export_data import FILES

        folder = self.ask_folder()
        if folder is None:
            return
        folder = Path(folder)
        existing = [n for n in FILES if (folder / n).exists()]
        if existing and not self.ask_replace(folder, existing):
            return
        self.start(folder)

    def start(self, folder: Path) -> None:
        """Write the files into ``folder`` (an existing one keeps its other files)."""
        atlas = self.window.atlas

        def work(stop) -> None:
            from silkmap.core.errors import DataError
            from silkmap.core.export_data import ExportDataError, write_data

            try:
                write_data(atlas, folder, overwrite=True)
            except (ExportDataError, DataError, OSError, ValueError) as exc:
                self.done.emit(str(folder), str(exc))
                return
            self.done.emit(str(folder), "")

        background.start("silkmap-export-data", work)

    def _report(self, folder: str, error: str) -> None:
        self.last_error = error
        if not error:
            self.window.statusBar().showMessage(_("Data written to {folder}").format(folder=folder), 6000)
            return
        if sys.stderr is not None:
            print(f"silkmap: {error}", file=sys.stderr)
        box = QMessageBox(QMessageBox.Icon.Warning, "silkmap",
                          _("The data could not be exported:\n{error}").format(error=error), parent=self.window)
        box.setObjectName("export-data-error")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()


def export_data(window) -> None:
    exporter = getattr(window, "data_exporter", None)
    if exporter is None:
        exporter = window.data_exporter = DataExporter(window)
    exporter.run()
