"""The timeline's targets (issue 11): scrubbing the year slider at 4K, and an animated GIF.

Scrubbing runs in its own process (``benchmarks/run.py`` starts it) at QT_SCALE_FACTOR=2:
1920×1080 logical, 3840×2160 device pixels. The real TimelineBar steps the year every
``STEP_MS`` through 1992 → 2025 and back, on the event loop, for the worker path
(``MapView()``: a step shows the previous year's frame until the new one lands) and the
former synchronous path (``MapView(sync=True)``: a step renders the whole 4K frame on the UI
thread). What is measured is the UI thread's busy time of every event-loop iteration that
painted the map (interaction.py's heartbeat probe), and the busy time of the iteration that
took each step (the step's own work and, where Qt merges them, its paint).

The GIF: ``silkmap export OUT.gif --years 2000-2025`` at 1280×720, end to end (process start
to file written), and its time per frame against one static PNG export of the same size in
the same process.

With ``--measure ID`` the map is coloured by that measure (natural breaks, the same classes
every year) instead of the partnership levels: each step then also classifies the year.

    QT_SCALE_FACTOR=2 python benchmarks/timeline.py [--json] [--quick] [--measure ID]
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

SIZE = (1920, 1080)
STEP_MS = 60  # a brisk scrub: about 16 years a second (2025 → 1992 → 2024)
TARGET_STEP_MS = 16.0
TARGET_GIF_S = 6.0
GIF_YEARS = (2000, 2025)
GIF_SIZE = (1280, 720)


def scrub_path(sync: bool, atlas, quick: bool, measure: str | None = None) -> dict:
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    sys.path.insert(0, str(Path(__file__).parent))
    from interaction import Probe

    class StepProbe(Probe):
        """Also the UI thread's busy time from each year step to the paint it brings (on the
        worker path the step paints nothing until the new year's frame lands: then its busy
        time is the step's own iteration)."""

        def __init__(self, view) -> None:
            super().__init__(view)
            self.stepped = False
            self.pending = None  # busy ms since the step, waiting for its paint
            self.steps: list[float] = []

        def _tick(self):
            now = time.perf_counter()
            if self._last is not None:
                busy = max(0.0, (now - self._last) * 1000 - self.INTERVAL_MS)
                if self.stepped:
                    if self.pending is not None:  # the previous step never painted
                        self.steps.append(self.pending)
                    self.pending, self.stepped = busy, False
                    if self._painted or not sync:
                        self.steps.append(self.pending)
                        self.pending = None
                elif self.pending is not None:
                    self.pending += busy
                    if self._painted:
                        self.steps.append(self.pending)
                        self.pending = None
            super()._tick()

    from silkmap.core import timeline
    from silkmap.core.state import MapState
    from silkmap.ui.map_view import MapView
    from silkmap.ui.timeline_bar import TimelineBar

    app = QApplication.instance()
    state = MapState()
    if measure is not None:
        from silkmap.core.classify import Classification

        state.set_measure(measure, Classification("natural", 5))
    view = MapView(atlas, state, sync=sync)
    bar = TimelineBar(atlas, state)
    view.renderer.cache.warm_up()
    for year in range(timeline.FIRST_YEAR, timeline.LAST_YEAR + 1):
        view.renderer.year_state(year)  # as after the first steps: the dated facts are read once
    view.resize(*SIZE)
    view.show()
    app.processEvents()
    if sync:
        view.repaint()
    else:
        view.settle()
    assert view.devicePixelRatioF() == 2.0, "run with QT_SCALE_FACTOR=2"
    probe = StepProbe(view)
    probe.phase = "scrub"
    span = timeline.LAST_YEAR - timeline.FIRST_YEAR
    # Down to 1992 and back up to 2024: the last step needs a frame of its own.
    steps = [-1] * span + [1] * (span - 1)
    if quick:
        steps = [-1] * 12 + [1] * 11
    settled: list[float] = []
    view.viewSettled.connect(lambda: settled.append(time.perf_counter()))

    loop = QEventLoop()
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(STEP_MS)
    todo = iter(steps)
    last = {"t": 0.0}

    def step():
        try:
            by = next(todo)
        except StopIteration:
            timer.stop()
            wait_for_last_frame(time.perf_counter() + 15.0)
            return
        t = time.perf_counter()
        bar.step(by)  # its paint, if any, follows before the probe's next beat
        probe.stepped = True
        last["t"] = t

    def wait_for_last_frame(deadline):
        if (settled and settled[-1] >= last["t"]) or time.perf_counter() > deadline:
            loop.quit()
        else:
            QTimer.singleShot(20, lambda: wait_for_last_frame(deadline))

    probe.start()
    timer.timeout.connect(step)
    timer.start()
    loop.exec()
    probe.stop()
    latency = (settled[-1] - last["t"]) * 1000 if settled and settled[-1] >= last["t"] else float("nan")
    frames = list(probe.frames.get("scrub", []))
    view.close()
    if view._worker is not None:
        view._worker.close()
    return {"frames": frames, "steps": list(probe.steps), "dropped_jobs": getattr(view, "dropped_jobs", 0), "stall_ms": max(probe.lateness, default=float("nan")),
            "last_step_to_frame_ms": latency}


def pct(values, q):
    from interaction import pct as _pct

    return _pct(values, q)


def bench_scrub(record, quick: bool = False) -> None:
    """Run in a child process at QT_SCALE_FACTOR=2 and ``record`` each result (run.py)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": "2"}
    cmd = [sys.executable, __file__, "--json"] + (["--quick"] if quick else [])
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900)
    if out.returncode != 0:
        raise SystemExit(f"timeline benchmark failed:\n{out.stderr}")
    res = json.loads(out.stdout.strip().splitlines()[-1])
    sys.path.insert(0, str(Path(__file__).parent))
    w, s = res["worker"], res["sync"]
    # The iteration that took each step (its state change and paint), and every iteration that
    # painted (a step, or a new year's frame landing from the worker).
    p95w, p95s = pct(w["steps"], 0.95), pct(s["steps"], 0.95)
    record("4K year scrub: UI time per step, median / p95",
           f"{statistics.median(w['steps']):.1f} / {p95w:.1f} ms",
           f"{statistics.median(s['steps']):.1f} / {p95s:.1f} ms",
           f"p95 {p95s / p95w:.1f}× lower (target ≤ {TARGET_STEP_MS:g} ms) {'PASS' if p95w <= TARGET_STEP_MS else 'FAIL'}")
    fw, fs = pct(w["frames"], 0.95), pct(s["frames"], 0.95)
    record("4K year scrub: UI time per painted frame, p95", f"{fw:.1f} ms", f"{fs:.1f} ms",
           f"target ≤ {TARGET_STEP_MS:g} ms {'PASS' if fw <= TARGET_STEP_MS else 'FAIL'}")
    record("4K year scrub: longest UI stall", f"{w['stall_ms']:.1f} ms", f"{s['stall_ms']:.1f} ms", "—")
    record("4K year scrub: last step → its full frame", f"{w['last_step_to_frame_ms']:.0f} ms",
           f"{s['last_step_to_frame_ms']:.0f} ms", "—")


def bench_gif(record, repeat: int) -> None:
    """The 26-year GIF end to end (the command line), and per frame against a static export."""
    from dataclasses import replace

    from PySide6.QtWidgets import QApplication

    from silkmap.core.atlas import home_bounds, load_atlas
    from silkmap.render.animation import export_animation
    from silkmap.render.export import ExportSpec, MapExporter

    tmp = Path(tempfile.mkdtemp())
    years = list(range(GIF_YEARS[0], GIF_YEARS[1] + 1))
    cmd = [sys.executable, "-m", "silkmap", "export", str(tmp / "cli.gif"), "--years", f"{GIF_YEARS[0]}-{GIF_YEARS[1]}",
           "--size", f"{GIF_SIZE[0]}x{GIF_SIZE[1]}", "--overwrite"]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("QT_SCALE_FACTOR", None)

    def cli():
        out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
        if out.returncode != 0:
            raise SystemExit(f"gif export failed:\n{out.stderr}")

    cli()  # warm the file cache
    times = []
    for _ in range(max(1, repeat // 2)):
        t = time.perf_counter()
        cli()
        times.append(time.perf_counter() - t)
    t_cli = statistics.median(times)
    record(f"GIF {len(years)} years {GIF_SIZE[0]}×{GIF_SIZE[1]}, command line", f"{t_cli:.2f} s", "—",
           f"target ≤ {TARGET_GIF_S:g} s {'PASS' if t_cli <= TARGET_GIF_S else 'FAIL'}")

    app = QApplication.instance() or QApplication([])  # noqa: F841
    atlas = load_atlas()
    exporter = MapExporter(atlas)
    extent = home_bounds(atlas)
    spec = ExportSpec(width=GIF_SIZE[0], height=GIF_SIZE[1])
    exporter.export(replace(spec, year=GIF_YEARS[1]), extent, tmp / "warm.png")

    def one_gif():
        export_animation(exporter, spec, extent, years, tmp / "in.gif", "gif")

    def one_static():
        exporter.export(replace(spec, year=GIF_YEARS[1]), extent, tmp / "static.png")

    t_gif = min(time_of(one_gif) for _ in range(max(1, repeat // 2)))
    t_static = statistics.median(time_of(one_static) for _ in range(repeat))
    per = t_gif / len(years)
    record("GIF: time per frame / one static PNG export", f"{per * 1000:.0f} ms", f"{t_static * 1000:.0f} ms",
           f"{per / t_static:.2f}× a static export (whole GIF {t_gif:.2f} s in-process)")


def time_of(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main() -> int:
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    quick = "--quick" in sys.argv
    app = QApplication.instance() or QApplication([])  # noqa: F841
    qInstallMessageHandler(lambda mode, ctx, msg: None if "does not support" in msg else sys.stderr.write(msg + "\n"))
    from silkmap.core.atlas import load_atlas
    from silkmap.render.fonts import register_fonts

    register_fonts()
    atlas = load_atlas()
    measure = sys.argv[sys.argv.index("--measure") + 1] if "--measure" in sys.argv else None
    out = {"sync": scrub_path(True, atlas, quick, measure), "worker": scrub_path(False, atlas, quick, measure)}
    if "--json" in sys.argv:
        print(json.dumps(out))
    else:
        sys.path.insert(0, str(Path(__file__).parent))
        for path in ("worker", "sync"):
            r = out[path]
            st, fr = r["steps"], r["frames"]
            print(f"{path:7} steps {len(st)}: median {statistics.median(st):6.1f} p95 {pct(st, 0.95):6.1f} "
                  f"max {max(st):6.1f} ms | paints {len(fr)}: p95 {pct(fr, 0.95):6.1f} ms | "
                  f"stall {r['stall_ms']:.1f} ms | last step → frame {r['last_step_to_frame_ms']:.0f} ms | dropped {r['dropped_jobs']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
