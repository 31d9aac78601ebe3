"""The core never imports Qt: it must load, validate and answer questions with PySide6 absent."""

import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "silkmap"

BLOCK_QT = r"""
import importlib.abc, sys
class BlockQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == "PySide6" or name.startswith("PySide6."):
            raise ImportError("PySide6 is blocked for the core")
sys.meta_path.insert(0, BlockQt())
import pkgutil, importlib
import silkmap.core, silkmap.charts, silkmap.i18n
for pkg in (silkmap.core, silkmap.charts):
    for mod in pkgutil.iter_modules(pkg.__path__):
        importlib.import_module(f"{pkg.__name__}.{mod.name}")
import silkmap.cli, silkmap.profile_report, silkmap.labels, silkmap.export_cli, silkmap.i18n.numbers
from silkmap.core.atlas import load_atlas
atlas = load_atlas()
atlas.detail()
from silkmap.core.hit import HitIndex
h = HitIndex(atlas.countries, atlas.routes)
c = atlas.capital_of("KAZ")
assert h.country_at(c.x, c.y) == "KAZ"
from silkmap.charts.trade import trade_chart, figure_png
assert figure_png(trade_chart(atlas.profiles["KAZ"]))[:4] == b"\x89PNG"
assert not any(m.startswith("PySide6") for m in sys.modules)
print("core-ok")
"""


def test_core_runs_with_qt_blocked():
    out = subprocess.run([sys.executable, "-c", BLOCK_QT], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "core-ok" in out.stdout


def test_core_sources_do_not_mention_qt():
    import re

    pattern = re.compile(r"^\s*(from|import)\s+PySide6", re.M)
    offenders = [p for folder in ("core", "charts", "i18n") for p in (SRC / folder).rglob("*.py")
                 if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
