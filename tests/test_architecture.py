"""The layers: the core never imports Qt (it must load, validate and answer questions with
PySide6 absent), and imports run one way only — entry (app, cli) → ui → render → core."""

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
import silkmap.cli, silkmap.cli.main, silkmap.cli.info, silkmap.cli.export, silkmap.cli.profile_report
import silkmap.i18n.labels, silkmap.i18n.numbers, silkmap.render.limits
silkmap.cli.build_parser().parse_args(['export', 'x.png'])  # --help and value checks need no Qt
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


# What each part of the package may not import, anywhere in a module (function-level imports too).
# i18n and core may use each other's Qt-free helpers; everything else runs one way.
FORBIDDEN = {
    "core": {"charts", "render", "ui", "cli", "app"},
    "i18n": {"charts", "render", "ui", "cli", "app"},
    "charts": {"render", "ui", "cli", "app"},
    "render": {"ui", "cli", "app"},
    "ui": {"cli", "app"},
    "cli": {"app"},
}
ROOT_MODULES = {"__init__", "__main__", "app"}


def _part(module: str) -> str:
    """The part of silkmap a dotted module name belongs to: 'core', 'ui', 'cli', 'app', …"""
    return module.split(".")[1] if module.count(".") else ""


def _imports(path: Path) -> set[str]:
    """Every silkmap module ``path`` imports, as dotted names (``from silkmap import x`` → silkmap.x)."""
    import ast

    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            if node.module == "silkmap":
                names.update(f"silkmap.{a.name}" for a in node.names)
    return {n for n in names if n == "silkmap" or n.startswith("silkmap.")}


def _module_name(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def test_imports_run_one_way():
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        here = _part(_module_name(path))
        for name in _imports(path):
            if _part(name) in FORBIDDEN.get(here, ()):
                offenders.append(f"{path.relative_to(SRC)} imports {name}")
    assert offenders == []


def test_the_scan_sees_a_wrong_way_import(tmp_path):
    # The scan itself must catch the imports it is there for, also inside a function.
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from silkmap.cli import run\nfrom silkmap import ui\n", encoding="utf-8")
    assert _imports(probe) == {"silkmap", "silkmap.cli", "silkmap.ui"}


def test_no_two_modules_import_each_other():
    graph = {_module_name(p): _imports(p) for p in SRC.rglob("*.py")}
    pairs = sorted({tuple(sorted((a, b))) for a, deps in graph.items() for b in deps
                    if b != a and a in graph.get(b, ()) and "silkmap" not in (a, b)})
    assert pairs == []


def test_no_module_sits_loose_at_the_package_root():
    loose = sorted(p.stem for p in SRC.glob("*.py") if p.stem not in ROOT_MODULES)
    assert loose == [], f"put {loose} in the package of its layer (core, i18n, render, ui, cli)"
