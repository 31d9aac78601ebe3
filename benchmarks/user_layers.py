"""User layers: a 100,000-point CSV added to the window, and the interaction with it shown.

- load + draw: from reading the file to the window showing the full frame with the points
  (``viewSettled``), the load on this thread as the add-layer worker does it; target ≤ 2 s.
  Baseline: the same window redrawing its full frame after a layer toggle, without the points.
- interaction: benchmarks/interaction.py's gestures at 4K on the worker path, without and with
  the layer shown, in one child process; medians, p95 and their ratios.

The CSV is made here (seeded): 100,000 points spread over China and Central Asia, with a name
and a value column, written as a spreadsheet would.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
N_POINTS = 100_000
TARGET_S = 2.0


def make_csv(path: Path, n: int = N_POINTS, seed: int = 13) -> Path:
    import numpy as np

    rng = np.random.default_rng(seed)
    lon, lat = rng.uniform(48, 122, n), rng.uniform(28, 55, n)
    value = rng.integers(0, 10_000, n)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("name,latitude,longitude,value\n")
        fh.writelines(f"site {i},{a:.5f},{b:.5f},{v}\n" for i, (a, b, v) in enumerate(zip(lat, lon, value)))
    return path


def measure_load_and_draw(path: Path, repeat: int) -> dict:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from silkmap.core.atlas import load_atlas
    from silkmap.core.user_layers.layer import make_layer
    from silkmap.core.user_layers.load import load
    from silkmap.core.user_layers.spec import UserLayerSpec
    from silkmap.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    atlas = load_atlas()
    tmp = tempfile.mkdtemp()
    win = MainWindow(atlas, settings=QSettings(os.path.join(tmp, "s.ini"), QSettings.Format.IniFormat))
    win.resize(1600, 1000)
    win.show()
    view = win.view
    view.renderer.cache.warm_up()
    view.settle()

    def wait_settled(since: float) -> float:
        done = []
        view.viewSettled.connect(lambda: done.append(time.perf_counter()))
        deadline = time.perf_counter() + 30
        while not (done and view._final(view._frame)) and time.perf_counter() < deadline:
            app.processEvents()
            time.sleep(0.001)
        view.viewSettled.disconnect()
        return (done[-1] if done else float("nan")) - since

    loads, totals, bases = [], [], []
    for _ in range(repeat):
        win.state.user_layers.clear()
        view.settle()
        # Baseline: the full frame after a layer toggle, no user layer.
        t = time.perf_counter()
        win.state.set_layer("projects", not win.state.layers["projects"])
        bases.append(wait_settled(t))
        t = time.perf_counter()
        data = load(path)
        loads.append(time.perf_counter() - t)
        win.state.user_layers.add(make_layer(UserLayerSpec(str(path)), data))
        totals.append(wait_settled(t))
    win.projects.set_modified(False)  # the window would ask whether to save the added layer
    win.close()
    return {"load_s": loads, "total_s": totals, "base_s": bases, "features": data.feature_count}


def run_interaction(path: Path, quick: bool) -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": "2"}
    cmd = [sys.executable, str(Path(__file__).with_name("interaction.py")), "--user-layer", str(path)]
    out = subprocess.run(cmd + (["--quick"] if quick else []), capture_output=True, text=True, env=env,
                         timeout=900)
    if out.returncode != 0:
        raise SystemExit(f"interaction with a user layer failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench(record, repeat: int = 3, quick: bool = False) -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    from interaction import TARGET_FRAME_P95_MS, TARGET_LATENCY_MS, pct

    path = make_csv(Path(tempfile.mkdtemp()) / "points-100k.csv")
    r = measure_load_and_draw(path, max(1, repeat))
    load_m, total_m, base_m = (statistics.median(r[k]) for k in ("load_s", "total_s", "base_s"))
    record(f"add {r['features']:,}-point CSV: load", f"{load_m * 1000:.0f} ms", "—", "")
    record(f"add {r['features']:,}-point CSV: load + drawn", f"{total_m * 1000:.0f} ms",
           f"{base_m * 1000:.0f} ms", f"redraw without it as baseline; target ≤ {TARGET_S:g} s "
           f"{'PASS' if total_m <= TARGET_S else 'FAIL'}")
    res = run_interaction(path, quick)
    w, wo = res["with"], res["without"]
    for name in ("drag", "wheel", "hover"):
        fw, fo = w["frames"].get(name, []), wo["frames"].get(name, [])
        if not fw or not fo:
            continue
        p95w, p95o = pct(fw, 0.95), pct(fo, 0.95)
        record(f"4K {name} with 100k points: UI per frame", f"{statistics.median(fw):.1f} / {p95w:.1f} ms",
               f"{statistics.median(fo):.1f} / {p95o:.1f} ms",
               f"median / p95 vs without; p95 ×{p95w / p95o:.2f} (target ≤ {TARGET_FRAME_P95_MS:g} ms) "
               f"{'PASS' if p95w <= TARGET_FRAME_P95_MS else 'FAIL'}")
    for name in ("drag", "wheel after glide"):
        lw, lo = w["latency"].get(name, []), wo["latency"].get(name, [])
        if lw and lo:
            mw, mo = statistics.median(lw), statistics.median(lo)
            record(f"4K {name} with 100k points: → full frame", f"{mw:.0f} ms", f"{mo:.0f} ms",
                   f"×{mw / mo:.2f} vs without (target median ≤ {TARGET_LATENCY_MS:g} ms) "
                   f"{'PASS' if mw <= TARGET_LATENCY_MS else 'FAIL'}")
    record("4K mix with 100k points: longest UI stall", f"{w['stall_ms']:.1f} ms", f"{wo['stall_ms']:.1f} ms",
           "vs without")


if __name__ == "__main__":
    def show(name, ours, base, verdict):
        print(f"{name:<48} {ours:>16} {base:>16}  {verdict}", flush=True)

    bench(show, repeat=3, quick="--quick" in sys.argv)
