"""Create the QApplication, load the data, show the main window."""

from __future__ import annotations

import os
import sys


def choose_language(wanted: str | None, settings=None) -> str:
    """The window's language: ``wanted`` (the command line's --lang), else the one chosen
    last time, else the system's.

    An explicit --lang is also remembered, as a choice in View → Language is.
    """
    from silkmap import i18n
    from silkmap.ui.settings_store import open_settings

    settings = settings if settings is not None else open_settings()
    saved = settings.value("language")
    if wanted:
        settings.setValue("language", wanted)
        lang = wanted
    elif isinstance(saved, str) and saved in i18n.LANGUAGES:
        lang = saved
    else:
        lang = i18n.system_language()
    i18n.set_language(lang)
    return lang


def run_window(lang: str | None = None, project: str | None = None) -> int:
    """Open the window in ``lang`` (None: the saved or the system language), with the saved
    ``project`` if one is given; the exit status."""
    from PySide6.QtCore import Qt

    from silkmap.ui.import_scan import skip_source_scan

    skip_source_scan()  # before the window's modules are imported
    from PySide6.QtWidgets import QApplication

    from silkmap import __version__
    from silkmap.core.errors import DataError
    from silkmap.i18n import _

    from silkmap.core.memory import fix_large_block_policy

    fix_large_block_policy()  # before the first frame is made
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "silkmap"])
    app.setApplicationName("silkmap")
    app.setOrganizationName("silkmap")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("silkmap")
    from silkmap.ui.quit_on_signal import quit_on_signal
    from silkmap.ui.settings_store import open_settings

    quit_on_signal(app)
    settings = open_settings()  # one look at the file, one line if it is not safe to use
    choose_language(lang, settings)
    from silkmap.render.fonts import register_fonts
    from silkmap.ui.qt_translations import install_qt_translations

    register_fonts()
    install_qt_translations()
    try:
        from silkmap.core.atlas import load_atlas

        atlas = load_atlas()
    except DataError as exc:
        if sys.stderr is not None:
            print(f"silkmap: data error: {exc}", file=sys.stderr)
        from PySide6.QtWidgets import QMessageBox

        app.setWindowIcon(app_icon())
        QMessageBox.critical(None, "silkmap", _("The map data could not be loaded:\n{error}").format(error=exc))
        return 3
    from silkmap.ui.main_window import MainWindow

    window = MainWindow(atlas, settings=settings, defer_panels=True)
    if project:
        window.open_project(project, explicit_language=lang)
    if os.environ.get("SILKMAP_QUIT_AFTER_FIRST_PAINT"):
        # Used by benchmarks/run.py to time start-up to the first painted map.
        window.view.painted.connect(lambda: _report_and_quit(app), Qt.ConnectionType.SingleShotConnection)
    # The icon once the map is up (the window manager takes it then): its files are not the map's.
    window.view.painted.connect(lambda: app.setWindowIcon(app_icon()), Qt.ConnectionType.SingleShotConnection)
    window.show()
    from silkmap.ui import background

    app.aboutToQuit.connect(background.stop_all)
    app.aboutToQuit.connect(settings.sync)  # a quit without closing the window saves too
    return app.exec()


def app_icon():
    """The window icon, from the PNGs beside this module (ui/icons/, rendered from
    packaging/icons/silkmap.svg by tools/render_icons.py): the same in a checkout, a wheel
    and the bundle, and no SVG plugin needed. An empty icon if the files are missing."""
    from pathlib import Path

    from PySide6.QtCore import QSize
    from PySide6.QtGui import QIcon

    icon = QIcon()
    for png in sorted((Path(__file__).resolve().parent / "icons").glob("silkmap-*.png")):
        size = int(png.stem.rsplit("-", 1)[1])
        icon.addFile(str(png), QSize(size, size))
    return icon


def _report_and_quit(app) -> None:
    import time

    from PySide6.QtCore import QTimer

    rss_kb = 0
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    rss_kb = int(line.split()[1])
    except OSError:
        pass
    print(f"first-paint {time.time():.6f} rss_kb {rss_kb}", flush=True)
    # Quit from the event loop, not inside the paint event: the backing store is still flushing.
    QTimer.singleShot(0, app.quit)
