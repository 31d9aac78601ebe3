"""File → Export map…: presets, options, and a worker so large exports never freeze the window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QLabel, QLineEdit, QMessageBox, QProgressBar, QPushButton,
                               QSpinBox, QVBoxLayout)

from silkmap.core.errors import DataError
from silkmap.i18n import N_, _
from silkmap.render.export import ExportError, ExportSpec, MapExporter
from silkmap.render.limits import MAX_DPI, MAX_PIXELS, PRESETS
from silkmap.ui import background

PRESET_LABELS = {"current": N_("Current view ({w}×{h})"), "slide": N_("Slide, 1920×1080"),
                 "a4": N_("A4 landscape, 300 dpi (3508×2480)"), "square": N_("Square, 1080×1080"),
                 "custom": N_("Custom size")}


class ExportDialog(QDialog):
    exported = Signal(str)
    failed = Signal(str)
    _done = Signal(str, str)  # worker → UI thread: (path, error)
    _stage = Signal(str)

    def __init__(self, parent, view, atlas, state) -> None:
        super().__init__(parent)
        # Closed is gone: every File → Export makes a new dialog, and a dialog kept by its
        # parent holds its widgets and exporter for the rest of the session.
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._closing_result: int | None = None
        self.view = view
        self.atlas = atlas
        self.state = state
        self.exporter = MapExporter(atlas, view.renderer)
        self.setWindowTitle(_("Export map"))
        self.preset = QComboBox(self)
        vw, vh = view.width(), view.height()
        for key, label in PRESET_LABELS.items():
            self.preset.addItem(_(label).format(w=vw, h=vh), key)
        self.preset.setCurrentIndex(1)
        self.width_box = QSpinBox(self, minimum=1, maximum=MAX_PIXELS, value=1920)
        self.height_box = QSpinBox(self, minimum=1, maximum=MAX_PIXELS, value=1080)
        self.dpi_box = QSpinBox(self, minimum=24, maximum=MAX_DPI, value=96)
        size_row = QHBoxLayout()
        for w in (self.width_box, QLabel("×"), self.height_box, QLabel(_("px at")), self.dpi_box,
                  QLabel(_("dpi"))):
            size_row.addWidget(w)
        self.title_edit = QLineEdit(self)
        self.title_edit.setPlaceholderText(_("optional"))
        self.legend_box = QCheckBox(_("Legend"), self, checked=True)
        self.scale_box = QCheckBox(_("Scale bar"), self, checked=True)
        self.footer_box = QCheckBox(_("Source footer"), self, checked=True)
        self.highlight_box = QCheckBox(_("Highlight the selected country"), self,
                                       checked=state.selection is not None)
        self.path_edit = QLineEdit(self)
        pictures = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation) or str(Path.home())
        self.path_edit.setText(str(Path(pictures) / "silkmap.png"))
        browse = QPushButton(_("Browse…"), self)
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        form = QFormLayout()
        form.addRow(_("Size"), self.preset)
        form.addRow("", size_row)
        form.addRow(_("Title"), self.title_edit)
        for box in (self.legend_box, self.scale_box, self.footer_box, self.highlight_box):
            form.addRow("", box)
        form.addRow(_("File"), path_row)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.hide()
        self.status = QLabel(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.export_button = self.buttons.addButton(_("Export"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.preset.currentIndexChanged.connect(self._on_preset)
        self._done.connect(self._on_done, Qt.ConnectionType.QueuedConnection)
        self._stage.connect(self.status.setText, Qt.ConnectionType.QueuedConnection)
        self._worker = None  # the running export's stop event
        self._on_preset()

    def done(self, result: int) -> None:
        if self._worker is not None:
            # The export still writes from its thread and reports back here: hide now and
            # close (and so delete) once it has finished.
            self._closing_result = result
            self.hide()
            return
        super().done(result)

    def _on_preset(self) -> None:
        key = self.preset.currentData()
        custom = key == "custom"
        for box in (self.width_box, self.height_box, self.dpi_box):
            box.setEnabled(custom)
        if key == "current":
            self.width_box.setValue(self.view.width())
            self.height_box.setValue(self.view.height())
            self.dpi_box.setValue(96)
        elif key in PRESETS:
            w, h, dpi = PRESETS[key]
            self.width_box.setValue(w)
            self.height_box.setValue(h)
            self.dpi_box.setValue(dpi)

    def _browse(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export map"), self.path_edit.text(), _("PNG image (*.png);;SVG vector (*.svg);;PDF (*.pdf)"))
        if path:
            self.path_edit.setText(path)

    def spec(self) -> ExportSpec:
        return ExportSpec(width=self.width_box.value(), height=self.height_box.value(), dpi=self.dpi_box.value(),
                          title=self.title_edit.text().strip(), legend=self.legend_box.isChecked(),
                          scale_bar=self.scale_box.isChecked(), footer=self.footer_box.isChecked(),
                          highlight=self.highlight_box.isChecked(),
                          selection=self.state.selection if self.highlight_box.isChecked() else None,
                          layers=dict(self.state.layers), year=self._year(),
                          user_layers=self.state.user_layers.layers, annotations=self.state.annotations.items)

    def _year(self) -> int | None:
        """The year shown; None for the latest (today's map, as ``silkmap export`` draws it)."""
        from silkmap.core.timeline import LAST_YEAR

        return None if self.state.year == LAST_YEAR else self.state.year

    def start(self) -> None:
        if self._worker is not None:
            return
        path = Path(self.path_edit.text().strip()).expanduser()
        spec = self.spec()
        extent = self.view.export_extent()
        if path.exists() and not self._confirm_overwrite(path):
            return
        self.progress.show()
        self.export_button.setEnabled(False)
        self.status.setText(_("Exporting…"))

        def tell(signal: str, *args):
            try:
                getattr(self, signal).emit(*args)
            except RuntimeError:
                pass  # the window closed and took the dialog with it: nobody left to tell

        def work(stop):  # an export runs to its end; stop_all only waits for it
            try:
                self.exporter.export(spec, extent, path, progress=lambda msg: tell("_stage", msg))
                tell("_done", str(path), "")
            except (ExportError, DataError) as exc:
                tell("_done", str(path), str(exc))
            except OSError as exc:
                tell("_done", str(path), _("cannot write '{path}': {reason}").format(path=path, reason=exc.strerror))

        # A background worker, so closing the window waits for the file instead of ending the
        # interpreter under a thread that is still painting.
        self._worker = background.start("silkmap-export", work)

    def _confirm_overwrite(self, path: Path) -> bool:
        if getattr(self, "assume_overwrite", False):
            return True
        answer = QMessageBox.question(self, _("Export map"), _("{name} exists. Replace it?").format(name=path.name))
        return answer == QMessageBox.StandardButton.Yes

    def _on_done(self, path: str, error: str) -> None:
        self._worker = None
        self.progress.hide()
        self.export_button.setEnabled(True)
        closing = self._closing_result is not None  # cancelled while exporting: report, then go
        owner = self.parentWidget() if closing and self.parentWidget() is not None else self
        if error:
            self.status.setText(error)
            self.failed.emit(error)
            if not getattr(self, "quiet", False):
                QMessageBox.warning(owner, _("Export failed"), error)
        else:
            self.status.setText(_("Saved {path}").format(path=path))
            self.exported.emit(path)
            parent = self.parent()
            if parent is not None and hasattr(parent, "statusBar"):
                parent.statusBar().showMessage(_("Map exported to {path}").format(path=path), 8000)
        if closing:
            super().done(self._closing_result)
        elif not error:
            self.accept()
