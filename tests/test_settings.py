"""The settings file is untrusted: whatever it is or holds, the window starts, on a screen.

Reproducers from the fuzzing (issue 14, item 6) and a Hypothesis fuzz over the file's
contents (item 7). Symlinks "to a device" point at a FIFO here: if a regression wrote
through them, a FIFO in tmp_path is what gets replaced, never a real device.
"""

import json
import os
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QGuiApplication

from silkmap import i18n
from silkmap.core.state import LAYERS, default_layers
from silkmap.ui.saved_window import saved_layers
from silkmap.ui.settings_store import open_settings, path_problem

INT32 = (-(2 ** 31), 2 ** 31 - 1)


def geometry_blob(frame, normal=None, geometry=None, screen_width=800, maximized=0, fullscreen=0) -> bytes:
    """QWidget::saveGeometry()'s format 3.0: magic, version, frame, normal geometry, screen
    number, maximized, full screen, screen width, geometry; rects as left, top, right, bottom."""
    normal = normal or frame
    geometry = geometry or normal

    def rect(r):
        return struct.pack(">iiii", *r)

    return (struct.pack(">IHH", 0x1D9D0CB, 3, 0) + rect(frame) + rect(normal) + struct.pack(">i", 0)
            + struct.pack(">BB", maximized, fullscreen) + struct.pack(">i", screen_width) + rect(geometry))


def make_window(qtbot, atlas, settings):
    from silkmap.ui.main_window import MainWindow

    w = MainWindow(atlas, settings=settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def assert_sane(w) -> None:
    """On a screen (all of it, frame included, where a geometry was saved; without one Qt
    places the window), known layers, a known language."""
    g = w.geometry()
    areas = [s.availableGeometry() for s in QGuiApplication.screens()]
    assert any(a.intersects(g) for a in areas), (g, areas)
    if w.settings.value("geometry") is not None:
        assert any(a.contains(w.frameGeometry()) for a in areas), (w.frameGeometry(), areas)
    assert 0 < g.width() and 0 < g.height()
    assert set(w.state.layers) == set(LAYERS) and all(isinstance(v, bool) for v in w.state.layers.values())
    assert i18n.current() in i18n.LANGUAGES


def ini(tmp_path, **values) -> Path:
    path = tmp_path / "silkmap.conf"
    qs = QSettings(str(path), QSettings.Format.IniFormat)
    for k, v in values.items():
        qs.setValue(k, v)
    qs.sync()
    return path


# ---------------------------------------------------------------------- reproducers
def test_deeply_nested_layers_start_with_the_defaults(qtbot, atlas, tmp_path):
    path = ini(tmp_path, layers="[" * 100_000 + "]" * 100_000)
    w = make_window(qtbot, atlas, open_settings(path))
    assert w.state.layers == default_layers()  # the graticule starts off
    assert_sane(w)
    assert saved_layers('{"rail": ' * 5000 + "true" + "}" * 5000) == {}


def test_saved_layers_keep_only_known_names_with_true_or_false():
    assert saved_layers(json.dumps({"rail": False, "road": "false", "bogus": False, "cities": 0,
                                    "projects": True})) == {"rail": False, "projects": True}
    for bad in (None, 5, b"{}", "[]", "null", "{not json", '{"rail": false}' + " " * 2000, ["rail"]):
        assert saved_layers(bad) == {}


def test_layers_with_wrong_value_types_keep_those_layers_on(qtbot, atlas, tmp_path):
    path = ini(tmp_path, layers=json.dumps({"rail": "false", "road": 0, "pipeline": False, "zzz": False}))
    w = make_window(qtbot, atlas, open_settings(path))
    assert w.state.layers["rail"] and w.state.layers["road"] and not w.state.layers["pipeline"]
    assert_sane(w)


@pytest.mark.parametrize("frame", [
    (INT32[1] - 100, INT32[1] - 100, INT32[1], INT32[1]),    # the far corner of int32 space
    (INT32[0], INT32[0], INT32[0] + 900, INT32[0] + 700),    # the near one
    (INT32[0], INT32[0], INT32[1], INT32[1]),                # all of it
    (400, 300, -5000, -4000),                                # negative size
    (5000, 5000, 6280, 5800),                                # right size, off every screen
])
def test_saved_geometry_off_screen_is_brought_back(qtbot, atlas, tmp_path, frame):
    path = ini(tmp_path, geometry=QByteArray(geometry_blob(frame)))
    w = make_window(qtbot, atlas, open_settings(path))
    assert_sane(w)
    assert w.width() >= w.minimumWidth() and w.height() >= w.minimumHeight()


def test_a_sane_saved_geometry_is_kept(qtbot, atlas, tmp_path):
    width = QGuiApplication.primaryScreen().geometry().width()
    path = ini(tmp_path, geometry=QByteArray(geometry_blob((20, 30, 719, 679), screen_width=width)))
    w = make_window(qtbot, atlas, open_settings(path))
    g = w.geometry()
    assert (g.x(), g.y(), g.width(), g.height()) == (20, 30, 700, 650)


def test_a_fifo_as_the_settings_file_is_not_opened(tmp_path, capfd):
    fifo = tmp_path / "silkmap.conf"
    os.mkfifo(fifo)
    store = open_settings(fifo)  # would block for ever in QSettings' constructor
    assert store.value("language") is None and not store.persistent
    store.setValue("language", "zh-Hans")
    store.sync()
    err = capfd.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "is a FIFO" in err[0] and str(fifo) in err[0]
    assert fifo.is_fifo()


def test_a_symlink_to_something_not_a_file_is_never_written(tmp_path, capfd):
    target = tmp_path / "pipe"
    os.mkfifo(target)
    link = tmp_path / "silkmap.conf"
    link.symlink_to(target)
    store = open_settings(link)
    store.setValue("geometry", QByteArray(b"x" * 66))
    store.sync()
    assert link.is_symlink() and target.is_fifo()
    err = capfd.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "symbolic link to a FIFO" in err[0]


def test_a_path_that_turns_bad_during_the_session_is_not_saved(tmp_path, capfd):
    path = ini(tmp_path, language="en")
    store = open_settings(path)
    assert store.persistent and store.value("language") == "en"
    path.unlink()
    os.mkfifo(tmp_path / "pipe")
    path.symlink_to(tmp_path / "pipe")
    store.setValue("language", "zh-Hant")
    store.sync()
    store.sync()
    assert path.is_symlink() and (tmp_path / "pipe").is_fifo()
    assert len(capfd.readouterr().err.strip().splitlines()) == 1  # said once


def test_symlinks_to_regular_files_are_written_through(tmp_path):
    real = ini(tmp_path, language="en").rename(tmp_path / "real.conf")
    link = tmp_path / "silkmap.conf"
    link.symlink_to(real)
    store = open_settings(link)
    store.setValue("language", "zh-Hant")
    store.sync()
    assert link.is_symlink()
    assert QSettings(str(real), QSettings.Format.IniFormat).value("language") == "zh-Hant"


def test_path_problems_name_what_the_path_is(tmp_path):
    assert path_problem(tmp_path / "missing.conf") is None
    assert path_problem(ini(tmp_path, language="en")) is None
    assert path_problem(tmp_path) == "is a directory"
    assert path_problem(Path("/dev/null")) == "is a character device"  # looked at, never opened
    (tmp_path / "dev").symlink_to("/dev/null")
    assert path_problem(tmp_path / "dev") == "is a symbolic link to a character device"
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    assert path_problem(tmp_path / "loop").startswith("is a symbolic link that cannot be followed")
    (tmp_path / "dangling").symlink_to(tmp_path / "nothing")
    assert path_problem(tmp_path / "dangling") == "is a symbolic link to a missing file"
    big = tmp_path / "big.conf"
    big.write_bytes(b"[General]\n" + b"x" * (2 << 20))
    assert path_problem(big) == "is larger than 1024 KiB"


def test_the_app_starts_with_a_fifo_for_its_settings_and_leaves_it(tmp_path):
    """The whole start-up, as a user runs it: QStandardPaths finds the file via XDG_CONFIG_HOME."""
    (tmp_path / "silkmap").mkdir()
    fifo = tmp_path / "silkmap" / "silkmap.conf"
    os.mkfifo(fifo)
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen",
           "SILKMAP_QUIT_AFTER_FIRST_PAINT": "1"}
    out = subprocess.run([sys.executable, "-m", "silkmap", "--lang", "zh-Hans"], capture_output=True,
                         text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "first-paint" in out.stdout
    lines = [line for line in out.stderr.splitlines() if "settings" in line]
    assert len(lines) == 1 and lines[0].startswith("silkmap: settings file") and "FIFO" in lines[0], out.stderr
    assert "Traceback" not in out.stderr and fifo.is_fifo()


def test_a_normal_settings_file_still_round_trips(qtbot, atlas, tmp_path):
    path = tmp_path / "silkmap.conf"
    w = make_window(qtbot, atlas, open_settings(path))
    w.layers.boxes["rail"].click()
    w.setGeometry(40, 50, 700, 650)
    w.close()
    again = make_window(qtbot, atlas, open_settings(path))
    assert not again.state.layers["rail"] and again.state.layers["road"]
    g = again.geometry()
    assert (g.x(), g.y(), g.width(), g.height()) == (40, 50, 700, 650)


# ---------------------------------------------------------------------- fuzz
int32 = st.integers(*INT32)
rects = st.tuples(int32, int32, int32, int32) | st.tuples(
    st.integers(-3000, 3000), st.integers(-3000, 3000), st.integers(-3000, 5000), st.integers(-3000, 5000))
geometries = st.builds(geometry_blob, rects, rects | st.none(), rects | st.none(),
                       st.integers(-5, 10 ** 6), st.integers(0, 255), st.integers(0, 255))
nested = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
                      lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=8), kids, max_size=3),
                      max_leaves=12)
layer_texts = (st.builds(json.dumps, st.dictionaries(st.sampled_from(LAYERS) | st.text(max_size=6), nested, max_size=12))
               | st.integers(1, 2000).map(lambda n: "[" * n + "]" * n)
               | st.integers(1, 2000).map(lambda n: '{"rail":' * n + "false" + "}" * n)
               | st.text(max_size=40))


def value_text(kind, v) -> bytes:
    if kind == "bytes":
        return b"@ByteArray(" + v + b")"
    return v.encode("utf-8", "surrogatepass") if isinstance(v, str) else str(v).encode()


values = (st.tuples(st.just("bytes"), geometries | st.binary(max_size=80))
          | st.tuples(st.just("text"), layer_texts | st.sampled_from(i18n.LANGUAGES) | st.text(max_size=20))
          | st.tuples(st.just("int"), st.integers(-(2 ** 70), 2 ** 70)))
keys = st.sampled_from(("geometry", "windowState", "layers", "language")) | st.text(
    st.characters(min_codepoint=33, max_codepoint=126, exclude_characters="=[]\\"), min_size=1, max_size=10)
contents = (st.binary(max_size=400)  # garbage
            | st.lists(st.tuples(keys, values), max_size=6).map(
                lambda kv: b"[General]\n" + b"".join(k.encode() + b"=" + value_text(*v) + b"\n" for k, v in kv)))


@hsettings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=contents)
def test_fuzzed_settings_start_the_window_on_screen(qtbot, atlas, data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "silkmap.conf"
        path.write_bytes(data)
        from silkmap.ui.main_window import MainWindow

        w = MainWindow(atlas, settings=open_settings(path))
        try:
            w.show()
            assert_sane(w)
        finally:
            w.close()
            w.deleteLater()
            i18n.set_language("en")
