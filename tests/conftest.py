import os
from pathlib import Path

# Qt's offscreen screen is 800×800 unless told otherwise; the window keeps itself on its screen,
# so the tests give it a desktop's screen (3840×2160, 1920×1080 logical at QT_SCALE_FACTOR=2).
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={Path(__file__).with_name('offscreen-screen.json')}"

import pytest  # noqa: E402

# The window imports numpy on a background thread after its first paint; pytest.approx looks
# numpy up in sys.modules and fails on a half-imported one. Imported here, whole, first.
import numpy  # noqa: E402, F401


@pytest.fixture(scope="session")
def qapp(qapp):
    """pytest-qt's QApplication, with the bundled Chinese fonts and Qt's own translations,
    as ``silkmap`` sets them up at start-up."""
    from silkmap.render.fonts import register_fonts
    from silkmap.ui.qt_translations import install_qt_translations

    register_fonts()
    install_qt_translations()
    return qapp


@pytest.fixture(scope="session")
def atlas():
    from silkmap.core.atlas import load_atlas

    return load_atlas()


@pytest.fixture(autouse=True)
def english():
    from silkmap import i18n

    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.fixture
def settings(tmp_path_factory):
    from PySide6.QtCore import QSettings

    # Away from tmp_path: the window writes it (the panels' sizes), and tests list what they wrote there.
    return QSettings(str(tmp_path_factory.mktemp("config") / "silkmap.ini"), QSettings.Format.IniFormat)


def window_with_saved(qtbot, atlas, path, key: str, value):
    """A main window started on a settings file that holds ``key = value`` (as a hand-edited
    or older file may)."""
    from PySide6.QtCore import QSettings

    from silkmap.ui.main_window import MainWindow

    s = QSettings(str(path), QSettings.Format.IniFormat)
    s.setValue(key, value)
    s.sync()
    w = MainWindow(atlas, settings=QSettings(str(path), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    return w


@pytest.fixture(autouse=True)
def unsaved_changes_are_discarded(monkeypatch):
    """A window closed with unsaved annotations or layers asks first (a modal box nobody would
    answer here): by default the tests discard; those about the question set their answer."""
    from silkmap.ui.project_files import ProjectFiles

    monkeypatch.setattr(ProjectFiles, "ask_unsaved", lambda self: "discard")


@pytest.fixture
def window(qtbot, atlas, settings):
    from silkmap.ui.main_window import MainWindow

    w = MainWindow(atlas, settings=settings)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest.fixture(autouse=True)
def stop_background_work():
    """Workers that build Qt paths must finish before Qt and the interpreter go away."""
    yield
    from silkmap.ui import background

    background.stop_all()
