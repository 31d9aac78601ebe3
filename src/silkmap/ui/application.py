"""Create the QApplication, load the data, show the main window."""

from __future__ import annotations

import os
import sys


def run_window(argv: list[str]) -> int:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from silkmap import __version__
    from silkmap.core.errors import DataError

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "silkmap"])
    app.setApplicationName("silkmap")
    app.setOrganizationName("silkmap")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("silkmap")
    try:
        from silkmap.core.atlas import load_atlas

        atlas = load_atlas()
    except DataError as exc:
        if sys.stderr is not None:
            print(f"silkmap: data error: {exc}", file=sys.stderr)
        QMessageBox.critical(None, "silkmap", f"The map data could not be loaded:\n{exc}")
        return 3
    from silkmap.ui.main_window import MainWindow

    window = MainWindow(atlas)
    if os.environ.get("SILKMAP_QUIT_AFTER_FIRST_PAINT"):
        # Used by benchmarks/run.py to time start-up to the first painted map.
        window.view.painted.connect(lambda: _report_and_quit(app))
    window.show()
    from silkmap.ui import background

    app.aboutToQuit.connect(background.stop_all)
    return app.exec()


def _report_and_quit(app) -> None:
    import time

    rss_kb = 0
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    rss_kb = int(line.split()[1])
    except OSError:
        pass
    print(f"first-paint {time.perf_counter():.6f} rss_kb {rss_kb}", flush=True)
    app.quit()
