"""The PyInstaller bundle (`make bundle`), when one has been built: it runs without Python.

Skipped unless dist/silkmap/silkmap exists; .ci/run runs the full check
(packaging/smoke_test.py) right after building it.
"""

import importlib.util
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXE = ROOT / "dist" / "silkmap" / "silkmap"

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not EXE.is_file(), reason="no bundle: run `make bundle` first")]


def smoke():
    spec = importlib.util.spec_from_file_location("smoke_test", ROOT / "packaging" / "smoke_test.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bundle_version():
    out = subprocess.run([str(EXE), "--version"], capture_output=True, text=True, timeout=120,
                         env=smoke().headless_env())
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("silkmap ")


def test_bundle_exports_a_png_without_a_display(tmp_path):
    st = smoke()
    png = tmp_path / "map.png"
    out = subprocess.run([str(EXE), "export", str(png), "--size", "960x540"], capture_output=True,
                         text=True, timeout=180, env=st.headless_env())
    assert out.returncode == 0, out.stderr
    assert "DISPLAY" not in st.headless_env() and "QT_QPA_PLATFORM" not in st.headless_env()
    st.check_png(png, 960, 540)
    assert os.path.getsize(png) > 20_000
