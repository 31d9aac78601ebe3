"""File → Open, Save, Save As, Open Recent, and the named views, for the main window.

The window's figure (view, language, layers, selection, year, annotations, named views, user
layers) is gathered into a ``core.project.Project`` and saved; opening a project applies one
only once the whole file has been read and checked, so a bad file leaves the map as it was
and says what is wrong in a dialog. The title shows the project's name and ``*`` while it has
unsaved changes; closing or opening another asks before discarding them.

Annotations and named views always count as changes; layers and selection count once the
figure is a project (opened or saved). Where the view is does not count (it is saved all the
same): panning never asks to save.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from silkmap import i18n
from silkmap.core import project as pj
from silkmap.core.oneline import shown
from silkmap.i18n import _
from silkmap.ui.window_title import untitled_title

MAX_RECENT = 8
RECENT_KEY = "recentProjects"
BOOKMARK_KEYS = 9  # Ctrl+1 … Ctrl+9 go to the first named views


class ProjectFiles(QObject):
    opened = Signal(str)  # the project's path
    saved = Signal(str)
    modifiedChanged = Signal(bool)

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.path: Path | None = None
        self.modified = False
        self.bookmarks: list[pj.Bookmark] = []
        self._applying = False
        self._make_actions()
        state = window.state
        state.annotations.changed.connect(lambda *_a: self.set_modified(True))
        self._saved_layers: list = []  # the user layers as last opened or saved
        state.user_layers.changed.connect(self._on_user_layers_changed)
        # Not the view: a resize or the window settling its docks moves it too, and a project
        # opened must not ask to be saved before the user has done anything.
        for signal in (state.layers_changed, state.selection_changed, getattr(state, "year_changed", None),
                       getattr(state, "measure_changed", None)):
            if signal is not None:  # the year: where the timeline exists
                signal.connect(self._on_figure_changed)

    # ------------------------------------------------------------------ actions
    def _make_actions(self) -> None:
        w = self.window
        self.act_open = QAction(w, shortcut=QKeySequence.StandardKey.Open)
        self.act_open.triggered.connect(lambda: self.open_dialog())
        self.act_save = QAction(w, shortcut=QKeySequence.StandardKey.Save)
        self.act_save.triggered.connect(lambda: self.save())
        self.act_save_as = QAction(w, shortcut=QKeySequence.StandardKey.SaveAs)
        self.act_save_as.triggered.connect(lambda: self.save_as())
        self.act_add_view = QAction(w, shortcut=QKeySequence("Ctrl+B"))
        self.act_add_view.triggered.connect(lambda: self.add_bookmark())

    def fill_file_menu(self, menu, before) -> None:
        """Open, Open Recent, Save, Save As at the top of the File menu, above ``before``."""
        menu.insertAction(before, self.act_open)
        self.menu_recent = menu.addMenu("")
        menu.insertMenu(before, self.menu_recent)
        self.menu_recent.aboutToShow.connect(self._fill_recent)
        menu.insertAction(before, self.act_save)
        menu.insertAction(before, self.act_save_as)
        menu.insertSeparator(before)

    def fill_views_menu(self, menu, before=None) -> None:
        """The named views' submenu: above the action ``before``, or last."""
        self.menu_views = menu.addMenu("")
        if before is not None:
            menu.insertMenu(before, self.menu_views)
        self.menu_views.aboutToShow.connect(self._fill_views)
        self._fill_views()

    def retranslate(self) -> None:
        self.act_open.setText(_("&Open project…"))
        self.act_save.setText(_("&Save project"))
        self.act_save_as.setText(_("Save project &as…"))
        self.act_add_view.setText(_("&Add named view…"))
        if hasattr(self, "menu_recent"):
            self.menu_recent.setTitle(_("Open &recent"))
        if hasattr(self, "menu_views"):
            self.menu_views.setTitle(_("Named &views"))
        self.update_title()

    # ------------------------------------------------------------------ title and changes
    def title(self) -> str:
        if self.path is None:
            return untitled_title()
        return f"{pj.display_name(self.path)}[*] — silkmap"

    def update_title(self) -> None:
        self.window.setWindowTitle(self.title())
        self.window.setWindowModified(self.modified)

    def set_modified(self, on: bool) -> None:
        if self._applying or on == self.modified:
            return
        self.modified = on
        self.window.setWindowModified(on)
        self.modifiedChanged.emit(on)

    def _on_user_layers_changed(self) -> None:
        now = self.window.state.user_layers.specs()
        if self.window.user_loader.saved_specs and now == [s for s in self._saved_layers if s in now]:
            return  # a project's layers still arriving from the loader
        if now != self._saved_layers:
            self.set_modified(True)

    def _on_figure_changed(self, *_a) -> None:
        if self.path is not None:
            self.set_modified(True)

    # ------------------------------------------------------------------ the figure
    def current(self) -> pj.Project:
        """The window's figure as a project."""
        w = self.window
        state = w.state
        return pj.Project(view=self._view_now(), language=i18n.current(), layers=dict(state.layers),
                          selection=state.selection, annotations=state.annotations.items,
                          bookmarks=list(self.bookmarks), user_layers=self._user_layers_now(),
                          measure=state.measure, classification=state.classification)

    def _view_now(self) -> pj.View:
        vp = self.window.view.goal()
        year = getattr(self.window.state, "year", None)
        return pj.View(vp.cx, vp.cy, vp.scale, vp.width, vp.height, year if isinstance(year, int) else None)

    def _user_layers_now(self) -> list:
        return self.window.state.user_layers.specs()

    def apply(self, project: pj.Project, explicit_language: str | None = None) -> list[str]:
        """Show ``project`` in the window; the lines to tell the user (missing user layers)."""
        w = self.window
        state = w.state
        self._applying = True
        try:
            if project.language and not explicit_language:
                i18n.set_language(project.language)
            if project.layers:
                state.set_layers(project.layers)
            if project.measure is not None:
                state.set_measure(project.measure, project.classification)
            self._select_when_shown(pj.known_selection(w.atlas, project.selection))
            state.annotations.replace_all(project.annotations)
            w.view.annotation_tool.select(None)
            self.bookmarks = list(project.bookmarks)
            self._fill_views()
            if project.view is not None:
                self.go_to(project.view)
            present, problems = pj.resolve_user_layers(project)
            state.user_layers.clear()
            self._saved_layers = list(present)
            if present:  # read on the loader's worker, with its progress and Cancel
                w.user_loader.add_specs(present)
        finally:
            self._applying = False
        return problems

    def _select_when_shown(self, sel) -> None:
        """Select now, or after the first paint when the project opens with the window: the
        details panel's chart would load matplotlib before the map is up."""
        w = self.window
        if w.view._homed or sel is None:
            w.state.select(sel)
            return
        w.state.select(None)

        def painted() -> None:
            w.view.painted.disconnect(painted)
            QTimer.singleShot(0, later)  # once the first frame is on screen

        def later() -> None:
            if w.state.selection is None:  # the user has not chosen meanwhile
                self._applying = True
                try:
                    w.state.select(sel)
                finally:
                    self._applying = False

        w.view.painted.connect(painted)

    def go_to(self, view: pj.View) -> None:
        self.window.view.set_view(view.cx, view.cy, view.scale, animate=self.window.isVisible())
        set_year = getattr(self.window.state, "set_year", None)
        if view.year is not None and callable(set_year):
            try:
                set_year(view.year)
            except ValueError:  # a year this build's timeline does not cover: the latest stays
                pass

    # ------------------------------------------------------------------ open
    def ask_unsaved(self) -> str:
        """"save", "discard" or "cancel" for unsaved changes (tests replace this)."""
        box = QMessageBox(QMessageBox.Icon.Question, "silkmap", _("The map has unsaved changes. Save them?"),
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self.window)
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        return {QMessageBox.StandardButton.Save: "save",
                QMessageBox.StandardButton.Discard: "discard"}.get(QMessageBox.StandardButton(answer), "cancel")

    def may_discard(self) -> bool:
        """True when there is nothing unsaved, or the user saved or chose to discard it."""
        if not self.modified:
            return True
        from silkmap.core import interrupt

        if interrupt.pending() is not None:  # stopped by a signal: a question would never be answered
            return True
        answer = self.ask_unsaved()
        if answer == "save":
            return self.save()
        return answer == "discard"

    def ask_open_path(self) -> str | None:
        start = str(self.path.parent) if self.path else ""
        path, _f = QFileDialog.getOpenFileName(self.window, _("&Open project…").replace("&", "").rstrip("…"),
                                               start, self._filter())
        return path or None

    def ask_save_path(self) -> str | None:
        start = str(self.path) if self.path else "map" + pj.SUFFIX
        path, _f = QFileDialog.getSaveFileName(self.window, _("Save project &as…").replace("&", "").rstrip("…"),
                                               start, self._filter())
        return path or None

    @staticmethod
    def _filter() -> str:
        return _("silkmap project") + f" (*{pj.SUFFIX})"

    def open_dialog(self) -> bool:
        if not self.may_discard():
            return False
        path = self.ask_open_path()
        return bool(path) and self.open(path)

    def open(self, path, explicit_language: str | None = None) -> bool:
        """Open the project at ``path``; False (with a dialog, the map untouched) if it is bad."""
        try:
            project = pj.load(path)
        except pj.ProjectError as exc:
            self._error(_("The project could not be opened:\n{error}").format(error=exc), exc)
            return False
        problems = self.apply(project, explicit_language)
        self.path = Path(path).absolute()
        self._remember(self.path)
        self.modified = False
        self.update_title()
        self.opened.emit(str(self.path))
        if problems:
            self._error("\n".join(problems), None)
        return True

    # ------------------------------------------------------------------ save
    def save(self) -> bool:
        if self.path is None:
            return self.save_as()
        return self._write(self.path)

    def save_as(self) -> bool:
        path = self.ask_save_path()
        if not path:
            return False
        path = Path(path)
        if not path.name.lower().endswith(pj.SUFFIX):
            path = path.with_name(path.name + pj.SUFFIX)
        return self._write(path)

    def _write(self, path: Path) -> bool:
        try:
            project = self.current()
            pj.save(project, path)
        except OSError as exc:
            err = f"'{shown(path)}': {exc.strerror or exc}"
            self._error(_("The project could not be saved:\n{error}").format(error=err), err)
            return False
        self.path = Path(path).absolute()
        self._saved_layers = list(project.user_layers)
        self._remember(self.path)
        self.modified = False
        self.update_title()
        self.saved.emit(str(self.path))
        return True

    def _error(self, message: str, detail) -> None:
        if detail is not None and sys.stderr is not None:
            print(f"silkmap: {detail}", file=sys.stderr)
        box = QMessageBox(QMessageBox.Icon.Warning, "silkmap", message, parent=self.window)
        box.setObjectName("project-error")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.last_error = message

    # ------------------------------------------------------------------ recent files
    def recent(self) -> list[str]:
        raw = self.window.settings.value(RECENT_KEY)
        try:
            items = json.loads(raw) if isinstance(raw, str) else []
        except ValueError:
            return []
        return [p for p in items if isinstance(p, str)][:MAX_RECENT] if isinstance(items, list) else []

    def _remember(self, path: Path) -> None:
        items = [str(path)] + [p for p in self.recent() if p != str(path)]
        self.window.settings.setValue(RECENT_KEY, json.dumps(items[:MAX_RECENT]))

    def _fill_recent(self) -> None:
        menu = self.menu_recent
        menu.clear()
        for i, p in enumerate(self.recent()):
            act = menu.addAction(f"&{i + 1} {pj.display_name(p)}")
            act.setToolTip(p)
            act.setStatusTip(p)
            act.triggered.connect(lambda _c=False, p=p: self.may_discard() and self.open(p))
        menu.setEnabled(True)
        if menu.isEmpty():
            menu.addAction(_("(none)")).setEnabled(False)

    # ------------------------------------------------------------------ named views
    def ask_bookmark_name(self) -> str | None:
        name, ok = QInputDialog.getText(self.window, _("&Add named view…").replace("&", "").rstrip("…"),
                                        _("Name of the view:"), text=_("View {n}").format(n=len(self.bookmarks) + 1))
        return name.strip()[:pj.MAX_NAME] if ok and name.strip() else None

    def add_bookmark(self, name: str | None = None) -> pj.Bookmark | None:
        name = name or self.ask_bookmark_name()
        if not name or len(self.bookmarks) >= pj.MAX_BOOKMARKS:
            return None
        bm = pj.Bookmark(name, self._view_now())
        self.bookmarks = [b for b in self.bookmarks if b.name != name] + [bm]
        self.set_modified(True)
        self._fill_views()
        return bm

    def remove_bookmark(self, name: str) -> None:
        self.bookmarks = [b for b in self.bookmarks if b.name != name]
        self.set_modified(True)
        self._fill_views()

    def _fill_views(self) -> None:
        menu = self.menu_views
        menu.clear()
        menu.addAction(self.act_add_view)
        if self.bookmarks:
            menu.addSeparator()
        for i, bm in enumerate(self.bookmarks):
            act = menu.addAction(bm.name)
            if i < BOOKMARK_KEYS:
                act.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            act.triggered.connect(lambda _c=False, bm=bm: self.go_to(bm.view))
        if self.bookmarks:
            remove = menu.addMenu(_("Remove named view"))
            for bm in self.bookmarks:
                remove.addAction(bm.name).triggered.connect(lambda _c=False, n=bm.name: self.remove_bookmark(n))

