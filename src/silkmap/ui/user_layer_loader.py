"""File → Add layer… and files dropped on the window: each file read on a worker thread with
a progress dialog and Cancel, a CSV's coordinate columns confirmed first, every problem shown
in a dialog; the map is untouched until a file has loaded completely."""

from __future__ import annotations

import shiboken6
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog

from silkmap.core.errors import DataError, one_line
from silkmap.core.user_layers.layer import make_layer
from silkmap.core.user_layers.load import PATTERNS, SUFFIXES
from silkmap.core.user_layers.model import Cancelled, Progress
from silkmap.core.user_layers.spec import UserLayerSpec, default_colour
from silkmap.i18n import _
from silkmap.ui import background

PROGRESS_AFTER_MS = 300  # a file read faster than this never flashes a progress dialog


def droppable(paths) -> list[str]:
    """The local files among ``paths`` of a type a user layer can be."""
    return [str(p) for p in paths if p and Path(p).suffix.lower() in SUFFIXES]


class UserLayerLoader(QObject):
    loaded = Signal(str)  # the new layer's id
    failed = Signal(str)  # the one-line message shown
    cancelled = Signal(str)  # the path whose load was cancelled
    _progress = Signal(float)
    _done = Signal(object, object, str)  # worker → UI thread: (job, data or None, error)

    def __init__(self, window, state) -> None:
        super().__init__(window)
        self.window = window
        self.state = state
        self.queue: list[str] = []
        self.saved_specs: dict[str, UserLayerSpec] = {}  # path → the style a project saved for it
        self.job = None  # (path, options, stop event) of the load under way
        self.progress_dialog: QProgressDialog | None = None
        self.columns_dialog = None
        self.error_box: QMessageBox | None = None
        self._progress.connect(self._on_progress)
        self._done.connect(self._on_done)
        state.user_layers.changed.connect(self._on_layers_changed)

    # ------------------------------------------------------------------ entry points
    def choose_files(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(
            self.window, _("Add layer"), "",
            _("Map data") + f" ({' '.join(PATTERNS)});;" + _("All files") + " (*)")
        self.add_files(paths)

    def add_files(self, paths) -> None:
        self.queue.extend(str(p) for p in paths if p)
        self._next()

    def add_specs(self, specs) -> None:
        """Load layers a project saved, each with its saved style, name, visibility and options."""
        for spec in specs:
            self.saved_specs[str(spec.path)] = spec
            self.queue.append(str(spec.path))
        self._next()

    @property
    def busy(self) -> bool:
        return self.job is not None or self.columns_dialog is not None

    # ------------------------------------------------------------------ one file after another
    def _next(self) -> None:
        if self.busy or not self.queue:
            return
        path = self.queue.pop(0)
        if path in self.saved_specs:  # its columns were confirmed when it was first added
            self._start(path, self.saved_specs[path].options)
        elif Path(path).suffix.lower() in (".csv", ".tsv", ".txt"):
            self._confirm_columns(path)
        else:
            self._start(path, {})

    def _confirm_columns(self, path: str) -> None:
        from silkmap.core.user_layers.csv_table import detect
        from silkmap.ui.user_layer_dialogs import CsvColumnsDialog

        try:
            cols = detect(Path(path))
        except DataError as exc:
            self._show_error(str(exc))
            QTimer.singleShot(0, self._next)
            return
        dlg = CsvColumnsDialog(self.window, path, cols)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.columns_dialog = dlg

        def finished(result: int) -> None:
            self.columns_dialog = None
            if result == CsvColumnsDialog.DialogCode.Accepted:
                self._start(path, dlg.options())
            else:
                self.cancelled.emit(path)
                self._next()

        dlg.finished.connect(finished)
        dlg.open()

    def _start(self, path: str, options: dict) -> None:
        import threading

        stop = threading.Event()
        job = (path, options, stop)
        self.job = job
        dlg = QProgressDialog(_("Reading {path}…").format(path=one_line(Path(path).name, 80)),
                              _("Cancel"), 0, 100, self.window)
        dlg.setWindowTitle(_("Add layer"))
        dlg.setMinimumDuration(PROGRESS_AFTER_MS)
        dlg.setAutoClose(False)
        dlg.setAutoReset(False)
        dlg.setWindowModality(Qt.WindowModality.WindowModal)
        dlg.canceled.connect(stop.set)
        dlg.setValue(0)
        self.progress_dialog = dlg

        def work(stop) -> None:
            from silkmap.core.user_layers.load import load

            try:
                data = load(path, options, progress=Progress(self._report, stop.is_set))
                result = (data, "")
            except Cancelled:
                result = (None, "")
            except DataError as exc:
                result = (None, str(exc))
            except MemoryError:
                result = (None, f"{one_line(path)}: is too large to load in the memory available")
            except Exception as exc:  # noqa: BLE001 - a worker must never end in a traceback
                result = (None, f"{one_line(path)}: cannot be read ({one_line(type(exc).__name__)}: {one_line(exc, 200)})")
            try:
                self._done.emit(job, *result)
            except RuntimeError:  # the window is gone
                pass

        background.start("silkmap-user-layer", work, stop_event=stop)

    def _report(self, fraction: float) -> None:  # worker thread
        try:
            self._progress.emit(fraction)
        except RuntimeError:
            pass

    def cancel(self) -> None:
        if self.job is not None:
            self.job[2].set()

    # ------------------------------------------------------------------ results (UI thread)
    def _on_progress(self, fraction: float) -> None:
        if self.progress_dialog is not None and not self.progress_dialog.wasCanceled():
            self.progress_dialog.setValue(int(fraction * 99))

    def _on_done(self, job, data, error: str) -> None:
        if job is not self.job or not shiboken6.isValid(self.window):
            return
        path, options, stop = job
        self.job = None
        cancelled = stop.is_set()
        if self.progress_dialog is not None:
            self.progress_dialog.canceled.disconnect()  # closing it emits canceled
            self.progress_dialog.close()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None
        if error:
            self._show_error(error)
        elif data is None or cancelled:
            self.cancelled.emit(path)
        else:
            spec = self.saved_specs.pop(path, None) or UserLayerSpec(
                path, {"colour": default_colour(len(self.state.user_layers))}, True, "", options)
            layer = make_layer(spec, data)
            self.state.user_layers.add(layer)
            message = _("Added {name}: {n} features").format(name=spec.title, n=data.feature_count)
            if data.notes:
                message += " (" + "; ".join(data.notes) + ")"
            self.window.statusBar().showMessage(message, 8000)
            self.loaded.emit(layer.id)
        QTimer.singleShot(0, self._next)

    def _show_error(self, message: str) -> None:
        import sys

        if sys.stderr is not None:
            print(f"silkmap: {message}", file=sys.stderr)
        box = QMessageBox(QMessageBox.Icon.Warning, _("Add layer"),
                          _("The file could not be added as a layer; the map is unchanged.") + "\n" + message,
                          parent=self.window)
        box.setTextFormat(Qt.TextFormat.PlainText)  # a file name or value is never markup
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.error_box = box
        self.failed.emit(message)

    def _on_layers_changed(self) -> None:
        if not shiboken6.isValid(self):
            self.state.user_layers.changed.disconnect(self._on_layers_changed)
            return
        sel = self.state.selection
        if sel is not None and sel.kind == "user" and self.state.user_layers.feature(sel.id) is None:
            self.state.select(None)  # its layer was removed
