"""The main window: map in the centre, details on the right, layers and legend on the left."""

from __future__ import annotations

import json
import re

import shiboken6
from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QDockWidget, QFrame, QMainWindow, QScrollArea, QSizePolicy, QWidget

from silkmap import __version__, i18n
from silkmap.core.memory import release_free_heap
from silkmap.core.state import MapState, Selection
from silkmap.i18n import LANGUAGE_NAMES, LANGUAGES, _
from silkmap.ui import background
from silkmap.ui.map_view import MapView
from silkmap.ui.search_box import SearchField
from silkmap.ui.saved_window import (MAX_GEOMETRY_BYTES, MAX_STATE_BYTES, PanelSizes, keep_on_screen,
                                     save_panel_sizes, saved_layers, saved_panel_sizes, saved_year)
from silkmap.ui.settings_store import open_settings
from silkmap.ui.window_title import untitled_title


def _toolbar_text(menu_text: str) -> str:
    """A menu text as a toolbar button: no accelerator ("&Reset", "放大(&I)") and no ellipsis."""
    return re.sub(r"\s*\(&[^)]\)", "", menu_text).replace("&", "").rstrip("…").rstrip(".")


def _built_by(build: str, attr: str) -> property:
    """A part of the window that ``build`` makes when it is first asked for (they are made
    after the first paint; a click, a project or a test may want one sooner)."""
    return property(lambda self: (getattr(self, build)(), getattr(self, attr))[1])


IDLE_MS = 2000  # no repaint for this long: the user has paused


class MainWindow(QMainWindow):
    languageChanged = Signal(str)
    idle = Signal()  # after IDLE_MS without a repaint, once the freed heap went back

    def __init__(self, atlas, state: MapState | None = None, settings: QSettings | None = None,
                 parent=None, *, defer_panels: bool = False) -> None:
        """``defer_panels``: build the panels (layers, timeline, details) and the project menus
        once the map has painted, in docks already of their size (what a plain start does). Only
        when their sizes are known from an earlier start in this language, font and resolution:
        otherwise, and by default, everything is built now."""
        super().__init__(parent)
        self.atlas = atlas
        self.state = state or MapState()
        self.settings = settings if settings is not None else open_settings()
        self._layers = self._timeline = self._details = self._projects = self._user_loader = None
        self.view = MapView(atlas, self.state, parent=self)
        self.setCentralWidget(self.view)
        self.details_dock = QDockWidget(self)
        self.details_dock.setObjectName("details")
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.details_dock)
        self.details_dock.hide()
        self.layers_dock = QDockWidget(self)
        self.layers_dock.setObjectName("layers")
        # Scrolls when the window is short: the toggles and the key are taller than a small screen.
        self._layers_scroll = QScrollArea(self)
        self._layers_scroll.setWidgetResizable(True)
        self._layers_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._layers_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.layers_dock.setWidget(self._layers_scroll)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.layers_dock)
        self.timeline_dock = QDockWidget(self)
        self.timeline_dock.setObjectName("timeline")
        self.timeline_dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                                       | QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.timeline_dock)
        from silkmap.ui.data_dock import DataDock

        self.data_dock = DataDock(atlas, self.state, self)  # its table is built when first shown
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.data_dock)
        # Under the timeline, the map's width: twelve columns need it more than height.
        self.splitDockWidget(self.timeline_dock, self.data_dock, Qt.Orientation.Vertical)
        self.data_dock.hide()
        # The timeline runs under the map alone; the side panels keep the window's full height.
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.setAcceptDrops(True)  # map data files dropped anywhere on the window
        self._build_actions()
        self.view.statusMessage.connect(lambda msg: self.statusBar().showMessage(msg, 6000))
        self.view.detailFailed.connect(self.show_data_error)
        self.view.namesFailed.connect(self.show_names_error)
        self.state.selection_changed.connect(self._on_selection_changed)
        self.state.layers_changed.connect(lambda *_a: self._save_layers())
        self.state.year_changed.connect(lambda year: self.settings.setValue("year", year))
        self.state.measure_changed.connect(lambda *_a: self._save_measure())
        i18n.language_changed.connect(self._on_language_changed)
        sizes = saved_panel_sizes(self.settings, i18n.current(), self.font(), self.logicalDpiX()) if defer_panels else None
        if sizes is None:
            self._build_panels()
        else:  # the panels' own sizes, as measured last time
            self._layers_scroll.setMinimumWidth(sizes.layers_width)
            stand_in = QWidget(self.timeline_dock)
            stand_in.setFixedHeight(sizes.timeline_height)
            self.timeline_dock.setWidget(stand_in)
        self.resize(1280, 800)
        self._restore_settings()
        self.retranslate()
        self.view.painted.connect(self._after_first_paint)
        self._idle_timer = QTimer(self, singleShot=True, interval=IDLE_MS)
        self._idle_timer.timeout.connect(self._on_idle)
        self.view.painted.connect(self._idle_timer.start)

    # ------------------------------------------------------------------ panels
    def _build_panels(self) -> None:
        """Whatever of the window is not built yet: the layers panel and the timeline, the
        details panel, the project menus and the user layers' loader."""
        self._build_projects()
        self._build_details()
        self._build_side_panels()

    @property
    def _panels_built(self) -> bool:
        return None not in (self._projects, self._details, self._layers)

    def _build_side_panels(self) -> None:
        if self._layers is not None:
            return
        from silkmap.ui.layers_panel import LayersPanel
        from silkmap.ui.timeline_bar import TimelineBar

        self._layers = LayersPanel(self.atlas, self.state, self)
        self._layers_scroll.setWidget(self._layers)
        width = self._layers.sizeHint().width()
        self._layers_scroll.setMinimumWidth(width)
        stand_in = self.timeline_dock.widget()
        self._timeline = TimelineBar(self.atlas, self.state, self)
        self.timeline_dock.setWidget(self._timeline)
        if stand_in is not None:
            stand_in.deleteLater()
        save_panel_sizes(self.settings, i18n.current(), self.font(), self.logicalDpiX(),
                         PanelSizes(width, self._timeline.sizeHint().height()))
        self._layers.user.addRequested.connect(lambda: self.user_loader.choose_files())
        self._layers.measure.failed.connect(lambda error: self.show_data_error(error, _(
            "The measures could not be loaded; the map keeps the partnership colours.\n{error}")))

    def _build_details(self) -> None:
        if self._details is not None:
            return
        from silkmap.ui.details_panel import DetailsPanel

        self._details = DetailsPanel(self.atlas, self.state, self)
        self.details_dock.setWidget(self._details)
        self.data_dock.sourceRequested.connect(self._details.show_source)
        self._details.citationCopied.connect(
            lambda sid: self.statusBar().showMessage(_("Citation copied to the clipboard"), 4000))
        if self.state.selection is not None:  # chosen before the panel was there
            self._details.show_selection(self.state.selection)

    def _build_projects(self) -> None:
        """File's project entries, the named views and the user layers' loader (a project
        opened from the command line needs them before the first paint, the panels not)."""
        if self._projects is not None:
            return
        from silkmap.ui.project_files import ProjectFiles
        from silkmap.ui.user_layer_loader import UserLayerLoader

        self._user_loader = UserLayerLoader(self, self.state)
        self._projects = ProjectFiles(self)
        self._projects.fill_file_menu(self.menu_file, self.act_export)
        self._projects.fill_views_menu(self.menu_view, before=self.menu_lang.menuAction())
        self._projects.retranslate()  # the submenus it just made have no titles yet

    layers = _built_by("_build_side_panels", "_layers")
    timeline = _built_by("_build_side_panels", "_timeline")
    details = _built_by("_build_details", "_details")
    projects = _built_by("_build_projects", "_projects")
    user_loader = _built_by("_build_projects", "_user_loader")

    # ------------------------------------------------------------------ actions and menus
    def _build_actions(self) -> None:
        self.act_add_layer = QAction(self, shortcut=QKeySequence("Ctrl+Shift+O"))
        self.act_add_layer.triggered.connect(lambda: self.user_loader.choose_files())
        self.act_export = QAction(self, shortcut=QKeySequence("Ctrl+E"))
        self.act_export.triggered.connect(self.open_export_dialog)
        self.act_quit = QAction(self, shortcut=QKeySequence.StandardKey.Quit)
        self.act_quit.triggered.connect(self.close)
        self.act_zoom_in = QAction(self, shortcut=QKeySequence.StandardKey.ZoomIn)
        self.act_zoom_in.triggered.connect(lambda: self.view.zoom(1.4))
        self.act_zoom_out = QAction(self, shortcut=QKeySequence.StandardKey.ZoomOut)
        self.act_zoom_out.triggered.connect(lambda: self.view.zoom(1 / 1.4))
        self.act_reset = QAction(self, shortcut=QKeySequence("Ctrl+0"))
        self.act_reset.triggered.connect(self.view.reset_view)
        self.act_layers = self.layers_dock.toggleViewAction()
        self.act_details = self.details_dock.toggleViewAction()
        self.act_timeline = self.timeline_dock.toggleViewAction()
        self.act_data_table = self.data_dock.toggleViewAction()
        self.act_data_table.setShortcut(QKeySequence("Ctrl+T"))
        self.act_export_data = QAction(self)
        self.act_export_data.triggered.connect(self.export_data)
        self.act_prev_year = QAction(self, shortcut=QKeySequence("["))
        self.act_prev_year.triggered.connect(lambda: self.timeline.step(-1))
        self.act_next_year = QAction(self, shortcut=QKeySequence("]"))
        self.act_next_year.triggered.connect(lambda: self.timeline.step(1))
        self.act_about = QAction(self)
        self.act_about.triggered.connect(self.show_about)
        self.lang_group = QActionGroup(self)
        self.lang_actions: dict[str, QAction] = {}
        for lang in LANGUAGES:
            act = QAction(LANGUAGE_NAMES[lang], self, checkable=True)
            act.setData(lang)
            act.triggered.connect(lambda _c=False, lang=lang: i18n.set_language(lang))
            self.lang_group.addAction(act)
            self.lang_actions[lang] = act
        mb = self.menuBar()
        self.menu_file = mb.addMenu("")
        self.menu_file.addAction(self.act_add_layer)
        self.menu_file.addAction(self.act_export)
        self.menu_file.addAction(self.act_export_data)
        self.menu_file.addSeparator()
        self.menu_file.addAction(self.act_quit)
        notes = self.view.annotation_tool.actions
        self.menu_edit = mb.addMenu("")
        self.search = SearchField(self)
        self.act_find = QAction(self, shortcut=QKeySequence.StandardKey.Find)
        self.act_find.triggered.connect(self.search.open)
        self.menu_edit.addAction(self.act_find)
        self.menu_edit.addSeparator()
        for key in ("undo", "redo", None, "text", "arrow", "circle", None, "edit", "delete"):
            if key is None:
                self.menu_edit.addSeparator()
            else:
                self.menu_edit.addAction(notes[key])
        self.menu_view = mb.addMenu("")
        for act in (self.act_zoom_in, self.act_zoom_out, self.act_reset):
            self.menu_view.addAction(act)
        self.menu_view.addSeparator()
        self.menu_view.addAction(self.act_layers)
        self.menu_view.addAction(self.act_details)
        self.menu_view.addAction(self.act_timeline)
        self.menu_view.addAction(self.act_data_table)
        self.menu_view.addAction(self.act_prev_year)
        self.menu_view.addAction(self.act_next_year)
        self.menu_lang = self.menu_view.addMenu("")
        for act in self.lang_actions.values():
            self.menu_lang.addAction(act)
        self.menu_help = mb.addMenu("")
        self.menu_help.addAction(self.act_about)
        self.toolbar = self.addToolBar("main")
        self.toolbar.setObjectName("toolbar")
        for act in (self.act_zoom_in, self.act_zoom_out, self.act_reset):
            self.toolbar.addAction(act)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.act_export)
        self.toolbar.addSeparator()
        for key in ("text", "arrow", "circle"):
            self.toolbar.addAction(notes[key])
        spacer = QWidget(self.toolbar)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.toolbar.addWidget(spacer)
        self.toolbar.addWidget(self.search)

    def retranslate(self) -> None:
        self.view.annotation_tool.retranslate()
        self.menu_file.setTitle(_("&File"))
        self.menu_edit.setTitle(_("&Edit"))
        self.menu_view.setTitle(_("&View"))
        self.menu_help.setTitle(_("&Help"))
        self.menu_lang.setTitle(_("&Language"))
        self.act_add_layer.setText(_("&Add layer…"))
        self.act_export.setText(_("&Export map…"))
        self.act_quit.setText(_("&Quit"))
        self.act_zoom_in.setText(_("Zoom &in"))
        self.act_zoom_out.setText(_("Zoom &out"))
        self.act_reset.setText(_("&Reset view"))
        self.act_about.setText(_("&About silkmap and data sources"))
        self.act_find.setText(_("&Find…"))
        self.search.retranslate()
        self.layers_dock.setWindowTitle(_("Layers and legend"))
        self.details_dock.setWindowTitle(_("Details"))
        self.toolbar.setWindowTitle(_("Toolbar"))
        self.act_layers.setText(_("Layers and legend"))
        self.act_details.setText(_("Details"))
        self.timeline_dock.setWindowTitle(_("Timeline"))
        self.act_timeline.setText(_("Timeline"))
        self.act_prev_year.setText(_("Previous year"))
        self.act_next_year.setText(_("Next year"))
        self.act_data_table.setText(_("Data table"))
        self.act_export_data.setText(_("Export &data…"))
        self.data_dock.retranslate()
        self.view.setAccessibleName(_("Map"))
        notes = self.view.annotation_tool.actions
        for act in (self.act_zoom_in, self.act_zoom_out, self.act_reset, self.act_export,
                    *(notes[k] for k in ("text", "arrow", "circle"))):
            act.setIconText(_toolbar_text(act.text()))
        self.lang_actions[i18n.current()].setChecked(True)
        if self._projects is not None:
            self._projects.retranslate()
        else:
            self.setWindowTitle(untitled_title())  # ProjectFiles keeps it once it is there
        for panel in (self._layers, self._details, self._timeline):
            if panel is not None:
                panel.retranslate()
        self.view.update()

    def _on_language_changed(self, lang: str) -> None:
        if not shiboken6.isValid(self):  # closed and deleted: the Qt-free signal outlives windows
            i18n.language_changed.disconnect(self._on_language_changed)
            return
        self.settings.setValue("language", lang)
        self.retranslate()
        self.languageChanged.emit(lang)

    # ------------------------------------------------------------------ selection
    def _on_selection_changed(self, sel: Selection | None) -> None:
        if sel is None:
            self.details_dock.hide()
            return
        self._build_details()  # chosen before it was built (a click, a project): needed now
        self.details_dock.show()
        self.details_dock.raise_()
        if sel.kind == "project":
            x, y = self.view.renderer.project_xy(sel.id)
            b = self.view.viewport.bounds()
            if not (b[0] < x < b[2] and b[1] < y < b[3]):
                self.view.centre_on(x, y)

    # ------------------------------------------------------------------ dialogs
    def open_export_dialog(self) -> None:
        from silkmap.ui.export_dialog import ExportDialog

        dlg = getattr(self, "_export_dialog", None)
        if dlg is not None and shiboken6.isValid(dlg) and dlg.isVisible():
            dlg.raise_()  # one export dialog at a time; it deletes itself when closed
            return
        dlg = ExportDialog(self, self.view, self.atlas, self.state)
        dlg.open()
        self._export_dialog = dlg

    def export_data(self) -> None:
        from silkmap.ui.data_export import export_data

        export_data(self)

    def _dropped_files(self, event) -> list[str]:
        from silkmap.ui.user_layer_loader import droppable

        mime = event.mimeData()
        return droppable(u.toLocalFile() for u in mime.urls() if u.isLocalFile()) if mime.hasUrls() else []

    def dragEnterEvent(self, event) -> None:
        if self._dropped_files(event):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dropEvent(self, event) -> None:
        files = self._dropped_files(event)
        if files:
            event.acceptProposedAction()
            self.user_loader.add_files(files)
        else:
            super().dropEvent(event)

    def show_names_error(self, error: str) -> None:
        self.show_data_error(error, _("The names of deserts, mountains, lakes and rivers could not be "
                                      "loaded; the map shows without them.\n{error}"))

    def show_data_error(self, error: str, message: str | None = None) -> None:
        """A broken data file found after start-up: say so, and keep the map running."""
        import sys

        from PySide6.QtWidgets import QMessageBox

        if sys.stderr is not None:
            print(f"silkmap: data error: {error}", file=sys.stderr)
        message = message or _("The detailed country outlines could not be loaded; the map keeps "
                               "showing the coarser ones.\n{error}")
        box = QMessageBox(QMessageBox.Icon.Warning, "silkmap", message.format(error=error), parent=self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def show_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from silkmap.ui.about import about_html

        QMessageBox.about(self, _("About silkmap"), about_html(self.atlas, __version__))

    # ------------------------------------------------------------------ settings
    def _restore_settings(self) -> None:
        """Apply what the settings file holds, each value checked: the file may be old,
        hand-edited or garbage, and the window must still start, on a screen."""
        s = self.settings
        # A saved geometry, good or bad, is applied only within a screen (now, and once the
        # window's frame is known on its first show); without one Qt places the window.
        self._placed = s.value("geometry") is None
        try:
            geo = s.value("geometry")
            if isinstance(geo, (QByteArray, bytes)) and len(geo) <= MAX_GEOMETRY_BYTES:
                if not self.restoreGeometry(QByteArray(geo)):
                    self.resize(1280, 800)
            layout = s.value("windowState")
            if isinstance(layout, (QByteArray, bytes)) and len(layout) <= MAX_STATE_BYTES:
                self.restoreState(QByteArray(layout))
            self.state.set_layers(saved_layers(s.value("layers")))
            year = saved_year(s.value("year"))
            if year is not None:
                self.state.set_year(year)
            lang = s.value("language")
            if isinstance(lang, str) and lang in LANGUAGES:
                i18n.set_language(lang)
        except (ValueError, TypeError, OverflowError):
            pass  # unreadable settings: keep the defaults
        if not self._placed:
            keep_on_screen(self)
        self.details_dock.hide()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._placed:
            self._placed = True
            keep_on_screen(self)

    def _save_measure(self) -> None:
        from silkmap.ui.measure_panel import save_measure

        save_measure(self.settings, self.state)

    def _save_layers(self) -> None:
        self.settings.setValue("layers", json.dumps(self.state.layers))

    def open_project(self, path, explicit_language: str | None = None) -> bool:
        """Show the saved project at ``path`` (File → Open, or the command line's)."""
        return self.projects.open(path, explicit_language)

    def closeEvent(self, event) -> None:
        if self._projects is not None and not self._projects.may_discard():
            event.ignore()
            return
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("windowState", self.saveState())
        self._save_layers()
        self.settings.sync()
        background.stop_all()
        super().closeEvent(event)

    # ------------------------------------------------------------------ background
    def _after_first_paint(self) -> None:
        self.view.painted.disconnect(self._after_first_paint)
        QTimer.singleShot(0, self._build_panels)  # the map is on screen: now the rest of the window
        # The saved measure after the first paint: its data and classes are not start-up's.
        QTimer.singleShot(0, self._restore_measure)
        QTimer.singleShot(250, self._warm_up)

    def _restore_measure(self) -> None:
        from silkmap.ui.measure_panel import restore_measure

        restore_measure(self.settings, self.state)

    def _load_events(self) -> None:
        from silkmap.core.errors import DataError

        try:
            self.timeline.load_events()
        except DataError as exc:  # the map stays, drawn as of today without its timeline
            self.timeline.setEnabled(False)
            self.show_data_error(str(exc), _("The dated facts could not be loaded; the map shows "
                                             "today's state without its timeline.\n{error}"))

    def _on_idle(self) -> None:
        release_free_heap()
        self.idle.emit()

    def _warm_up(self) -> None:
        """Once the map is up: the outlines for picking (the first paint used the prebuilt home
        view, without shapely), and charts, so a hover or click answers at once."""
        background.start("silkmap-picking", self.view.hits.warm_up)
        self.data_dock.ready()
        self._load_events()
        background.start("silkmap-names", self.view.load_physical_names)
        background.start("silkmap-charts", self.details.charts.warm_up, i18n.current(), self.details._chart_year())
        from silkmap.ui.measure_panel import warm_up as warm_measures

        background.start("silkmap-measures", warm_measures, self.atlas)
