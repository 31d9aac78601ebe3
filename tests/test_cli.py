"""The command line: --version, info, and one-line errors with the right exit status."""

import json
import subprocess
import sys

import pytest

from silkmap import __version__
from silkmap.cli import run


def silkmap(*args, **kw):
    return subprocess.run([sys.executable, "-m", "silkmap", *args], capture_output=True, text=True,
                          timeout=180, **kw)


def test_version():
    out = silkmap("--version")
    assert out.returncode == 0
    assert out.stdout.strip() == f"silkmap {__version__}"


def test_info_prints_profile_with_sources(capsys):
    assert run(["info", "KAZ"]) == 0
    out = capsys.readouterr().out
    assert "Kazakhstan (KAZ)" in out
    assert "Astana" in out
    assert "US$31.2 billion [S39]" in out
    assert "permanent comprehensive strategic partnership" in out.lower()
    assert "[S39] News Central Asia" in out


def test_info_json_for_scripts(capsys):
    assert run(["info", "uzb", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["iso3"] == "UZB"
    assert data["trade"]["usd_bn"]["2023"]["value"] == 14.0
    assert data["trade"]["usd_bn"]["2022"]["confidence"] == "derived"
    for fig in data["trade"]["usd_bn"].values():
        assert fig["sources"] and all(s in data["sources"] for s in fig["sources"])


def test_info_in_chinese(capsys):
    assert run(["info", "KGZ", "--lang", "zh-Hans"]) == 0
    assert "吉尔吉斯斯坦" in capsys.readouterr().out


def test_unknown_code_is_one_line_exit_2():
    out = silkmap("info", "XYZ")
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "unknown country code 'XYZ'" in lines[0] and "KAZ" in lines[0]
    assert "Traceback" not in out.stderr


def test_bad_option_is_one_line_exit_2(capsys):
    assert run(["info"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "ISO3" in err[0]


def test_corrupt_data_file_is_one_line_exit_3(tmp_path):
    import shutil

    from silkmap.core.resources import asset_dir

    for f in asset_dir().iterdir():
        shutil.copy(f, tmp_path / f.name)
    (tmp_path / "profiles.json").write_text('{"countries": {"KAZ": ', encoding="utf-8")
    import os

    out = silkmap("info", "KAZ", env={**os.environ, "SILKMAP_ASSETS": str(tmp_path)})
    assert out.returncode == 3
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "profiles.json" in lines[0] and "not valid JSON" in lines[0]


@pytest.mark.parametrize("env,expect", [({"DISPLAY": ""}, "no display found")])
def test_window_without_display_says_so(env, expect):
    import os

    e = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "DISPLAY")}
    out = silkmap(env=e)
    assert out.returncode == 1
    assert expect in out.stderr and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_missing_xcb_library_names_the_package(monkeypatch):
    import ctypes.util

    from silkmap import app

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("DISPLAY", ":99")
    real = ctypes.util.find_library
    monkeypatch.setattr(ctypes.util, "find_library", lambda n: None if n == "xcb-cursor" else real(n) or "lib")
    monkeypatch.setattr(app, "_loadable", lambda soname: soname != "libxcb-cursor.so.0")
    assert "apt-get install libxcb-cursor0" in app._xcb_problem()


def test_xcb_library_found_by_the_loader_counts(monkeypatch):
    # A PyInstaller bundle carries some xcb libraries itself: the system's ldconfig cache
    # (find_library) does not list them, the dynamic loader finds them.
    import ctypes.util

    from silkmap import app

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("DISPLAY", ":99")
    monkeypatch.setattr(ctypes.util, "find_library", lambda n: None)
    monkeypatch.setattr(app, "_loadable", lambda soname: True)
    monkeypatch.setattr(app, "_x_display_reachable", lambda: True)
    assert app._xcb_problem() is None
    assert set(app.XCB_SONAMES) == {lib for lib, _pkg in app.XCB_LIBRARIES}
