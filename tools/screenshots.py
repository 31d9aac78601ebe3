#!/usr/bin/env python3
"""The screenshots in docs/screenshots/ (README, AppStream metainfo): the real window, grabbed.

    xvfb-run -s '-screen 0 1600x1000x24' .venv/bin/python tools/screenshots.py

Starts silkmap's window as `silkmap` does (fonts, Qt translations, icon), on a throw-away
settings file so nothing of the user's is read or changed, and saves

    home.png     the home view, English
    country.png  Kazakhstan selected: the details panel scrolled to its trade chart
    zh-Hans.png  the same window in Simplified Chinese (the panel at its top)

each grabbed from the window once it has painted, then shrunk losslessly with optipng and, when
installed, pngquant (256 colours: the window's flat colours survive it). Needs a display (Xvfb,
apt-get install xvfb; the xcb plugin needs libxcb-cursor0).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZE = (1280, 800)


def settle(app, ms: int = 600) -> None:
    """Let queued paints, background charts and the render worker finish."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    app.processEvents()


def wait_painted(app, view, timeout_ms: int = 20000) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    view.painted.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    view.update()
    loop.exec()
    view.painted.disconnect(loop.quit)
    settle(app)


def scroll_to(browser, heading: str) -> None:
    """Scroll the details panel so ``heading`` is at its top (without selecting it)."""
    cursor = browser.document().find(heading)
    if cursor.isNull():
        raise SystemExit(f"screenshots: {heading!r} is not in the details panel")
    bar = browser.verticalScrollBar()
    bar.setValue(bar.value() + browser.cursorRect(cursor).top() - 12)


def optimise(path: Path) -> None:
    if shutil.which("pngquant"):
        subprocess.run(["pngquant", "--force", "--skip-if-larger", "--strip", "--quality", "85-100",
                        "--output", str(path), str(path)], check=False)
    if shutil.which("optipng"):
        subprocess.run(["optipng", "-quiet", "-strip", "all", "-o5", str(path)], check=False)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = p.parse_args(argv)

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from silkmap import i18n
    from silkmap.core.atlas import load_atlas
    from silkmap.core.state import Selection
    from silkmap.i18n import _
    from silkmap.render.fonts import register_fonts
    from silkmap.ui.application import app_icon
    from silkmap.ui.main_window import MainWindow
    from silkmap.ui.qt_translations import install_qt_translations

    app = QApplication(["silkmap"])
    app.setApplicationName("silkmap")
    app.setDesktopFileName("silkmap")
    i18n.set_language("en")
    register_fonts()
    install_qt_translations()
    app.setWindowIcon(app_icon())
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(str(Path(tmp) / "silkmap.ini"), QSettings.Format.IniFormat)
        window = MainWindow(load_atlas(), settings=settings)
        window.resize(*SIZE)
        window.move(0, 0)
        window.show()
        wait_painted(app, window.view)

        def shot(name: str) -> None:
            window.view.settle()  # the map renders on a worker: its full frame for this view
            wait_painted(app, window.view)
            path = args.out / name
            if not window.grab().save(str(path)):
                raise SystemExit(f"screenshots: cannot write {path}")
            optimise(path)
            print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: "
                  f"{path.stat().st_size // 1024} KiB")

        shot("home.png")
        window.state.select(Selection("country", "KAZ"))
        scroll_to(window.details.browser, _("Trade with China"))  # the chart, below the partnership
        shot("country.png")
        i18n.set_language("zh-Hans")
        shot("zh-Hans.png")
        window.close()
    from silkmap.ui import background

    background.stop_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
