"""A plain start paints the map first and builds the panels right after, in docks already of
their size; the heavy libraries' first import is one thread's at a time."""

import os
import subprocess
import sys
import threading

import pytest
from hypothesis import given, settings as hsettings, strategies as st
from PySide6.QtCore import QSettings

from silkmap import i18n
from silkmap.ui.saved_window import PanelSizes, save_panel_sizes, saved_panel_sizes

PANEL_MODULES = ("silkmap.ui.layers_panel", "silkmap.ui.details_panel", "silkmap.ui.timeline_bar",
                 "silkmap.ui.project_files", "silkmap.ui.search_results", "silkmap.ui.data_table")
# Not needed for the first map either: the dated facts (the latest year is the prebuilt home
# view's), the catalogue reader (English), the glide's compositor, the measures' classes, the
# user layers' loaders, OpenSSL's hashes (the prebuilt file's fingerprints are zlib's CRC-32).
LATER_MODULES = ("silkmap.core.dated", "silkmap.core.timeline", "silkmap.i18n.po",
                 "silkmap.ui.glide_compositor", "silkmap.core.choropleth", "silkmap.core.user_layers.layer",
                 "hashlib")


def _layout(w):
    return (w.view.geometry(), w.layers_dock.geometry(), w.timeline_dock.geometry(), w.toolbar.geometry())


def _start(qtbot, atlas, path, **kw):
    from silkmap.ui.main_window import MainWindow

    w = MainWindow(atlas, settings=QSettings(str(path), QSettings.Format.IniFormat), **kw)
    qtbot.addWidget(w)
    seen = {}
    w.view.painted.connect(lambda: seen.setdefault("first", (_layout(w), w._panels_built)))
    with qtbot.waitSignal(w.view.painted, timeout=20000):
        w.show()
    return w, seen


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_the_panels_come_after_the_first_paint_without_moving_the_map(qtbot, atlas, tmp_path, lang):
    i18n.set_language(lang)
    path = tmp_path / "silkmap.ini"
    first, seen = _start(qtbot, atlas, path, defer_panels=True)
    assert seen["first"][1], "no sizes known yet: the first start builds its panels before painting"
    first.close()
    w, seen = _start(qtbot, atlas, path, defer_panels=True)
    layout_at_paint, built = seen["first"]
    assert not built
    qtbot.waitUntil(lambda: w._panels_built, timeout=10000)
    assert w.layers_dock.widget().widget() is w.layers
    w.layout().activate()
    assert _layout(w) == layout_at_paint  # the map, the docks and the toolbar stay where they were
    assert w.timeline_dock.widget() is w.timeline and w.timeline.isVisible()
    # The whole window is there: the project entries in File, the named views before Language.
    assert w.projects.act_open in w.menu_file.actions()
    view_menu = w.menu_view.actions()
    assert view_menu.index(w.projects.menu_views.menuAction()) < view_menu.index(w.menu_lang.menuAction())
    assert w.layers.boxes["relief"].text() == i18n._("Relief")
    assert w.projects.menu_views.title() == i18n._("Named &views")  # in the window's language too


def test_a_window_asked_for_a_panel_before_its_first_paint_builds_them_then(qtbot, atlas, tmp_path):
    from PySide6.QtWidgets import QWidget

    from silkmap.ui.main_window import MainWindow

    path = tmp_path / "silkmap.ini"
    probe = QWidget()
    save_panel_sizes(QSettings(str(path), QSettings.Format.IniFormat), "en", probe.font(), probe.logicalDpiX(),
                     PanelSizes(300, 90))
    w = MainWindow(atlas, settings=QSettings(str(path), QSettings.Format.IniFormat), defer_panels=True)
    qtbot.addWidget(w)
    assert not w._panels_built and w.timeline_dock.widget().height() == 90
    w.state.set_year(2005)
    assert w.timeline.year() == 2005  # built on the spot, from the state as it is now
    assert w._layers is not None and w.timeline_dock.widget() is w.timeline
    assert w._details is None and w._projects is None  # each part when it is needed


def test_the_first_paint_imports_none_of_the_panels(tmp_path):
    """A second start (the sizes known from the first) paints before importing the panels, the
    dated facts and the rest of LATER_MODULES."""
    probe = ("import sys, silkmap.ui.application as a\n"
             "quit = a._report_and_quit\n"
             f"a._report_and_quit = lambda app: (print('panels', [m for m in {PANEL_MODULES!r} if m in sys.modules]),"
             f" print('later', [m for m in {LATER_MODULES!r} if m in sys.modules]),"
             " print('scan answered', getattr(sys.modules['shibokensupport.feature']._mod_uses_pyside,"
             " 'known_answers', False)), quit(app))\n"
             "from silkmap.app import main\n"
             "sys.argv = ['silkmap']\n"
             "raise SystemExit(main())\n")
    env = {**os.environ, "SILKMAP_QUIT_AFTER_FIRST_PAINT": "1", "HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path)}
    runs = [subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120)
            for _ in range(2)]
    for out in runs:
        assert out.returncode == 0 and "first-paint" in out.stdout, out.stderr[-2000:]
    assert "panels []" not in runs[0].stdout  # the first start ever: no sizes to lay out by
    assert "panels []" in runs[1].stdout
    assert "later []" in runs[1].stdout, runs[1].stdout
    # PySide read none of silkmap's sources on the way (ui/import_scan.py).
    assert all("scan answered True" in out.stdout for out in runs), runs[1].stdout


@hsettings(max_examples=200, deadline=None)
@given(st.one_of(st.none(), st.integers(-2**63, 2**63 - 1), st.binary(max_size=40), st.text(max_size=80),
                 st.builds(lambda a, b, k: f"{a} {b} {k}", st.integers(-5, 5000), st.integers(-5, 5000),
                           st.text(max_size=20))))
def test_saved_panel_sizes_take_only_their_own_well_formed_values(qapp, tmp_path_factory, value):
    from PySide6.QtGui import QFont

    s = QSettings(str(tmp_path_factory.mktemp("s") / "s.ini"), QSettings.Format.IniFormat)
    s.setValue("panelSizes/en", value)
    got = saved_panel_sizes(s, "en", QFont(), 96)
    assert got is None or (isinstance(got, PanelSizes) and all(0 < n <= 2000 for n in got))


def test_saved_panel_sizes_are_for_one_language_font_and_resolution(qapp, tmp_path):
    from PySide6.QtGui import QFont

    s = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    save_panel_sizes(s, "en", QFont(), 96, PanelSizes(363, 99))
    assert saved_panel_sizes(s, "en", QFont(), 96) == PanelSizes(363, 99)
    assert saved_panel_sizes(s, "zh-Hans", QFont(), 96) is None
    assert saved_panel_sizes(s, "en", QFont(), 192) is None
    bigger = QFont()
    bigger.setPointSizeF(bigger.pointSizeF() + 3)
    assert saved_panel_sizes(s, "en", bigger, 96) is None


def test_background_workers_import_numpy_first_and_the_render_threads_do_not(monkeypatch):
    from silkmap.core import heavy_imports
    from silkmap.ui import background

    calls = []
    monkeypatch.setattr(heavy_imports, "ensure", lambda *names: calls.append(("ensure", names)))
    done = threading.Event()
    background.start("test-worker", lambda stop: (calls.append(("work",)), done.set()))
    assert done.wait(10)
    assert calls == [("ensure", ("numpy",)), ("work",)]
    calls.clear()
    done.clear()
    background.start("test-render", lambda stop: (calls.append(("work",)), done.set()), imports=())
    assert done.wait(10)
    assert calls == [("work",)]
    background.stop_all()


def test_the_first_import_of_a_heavy_library_is_one_threads_at_a_time(tmp_path, monkeypatch):
    """While one thread is inside a library's first import, another thread's first import of a
    different one waits for it: two first imports never interleave (numpy's own modules can
    then be found half made)."""
    import builtins

    from silkmap.core import heavy_imports

    (tmp_path / "slow_lib.py").write_text(
        "import builtins\nbuiltins._heavy_test['slow_in'].set()\nbuiltins._heavy_test['release'].wait(30)\n")
    (tmp_path / "other_lib.py").write_text("import builtins\nbuiltins._heavy_test['other_in'].set()\n")
    events = {k: threading.Event() for k in ("slow_in", "release", "other_in")}
    monkeypatch.setattr(builtins, "_heavy_test", events, raising=False)
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("slow_lib", "other_lib"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    first = threading.Thread(target=heavy_imports.ensure, args=("slow_lib",))
    first.start()
    assert events["slow_in"].wait(10)
    second = threading.Thread(target=heavy_imports.ensure, args=("other_lib",))
    second.start()
    # Without the lock the second import runs at once (Python locks each module on its own).
    assert not events["other_in"].wait(0.5)
    events["release"].set()
    assert events["other_in"].wait(10)
    first.join(10)
    second.join(10)
    assert "slow_lib" in sys.modules and "other_lib" in sys.modules
    for name in ("slow_lib", "other_lib"):
        sys.modules.pop(name, None)
