"""Create the QApplication, load the data, show the main window."""

from __future__ import annotations

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
    window.show()
    return app.exec()
