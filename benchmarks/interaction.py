"""Interaction at 4K: the map view's UI thread while the hand drags, wheels and hovers.

Runs in its own process (``benchmarks/run.py`` starts it) because the device pixel ratio is
fixed when the QApplication is made: 1920×1080 logical at QT_SCALE_FACTOR=2, 3840×2160 device
pixels, as on a HiDPI laptop. The same scripted input, in real time on the event loop, drives
the worker path (``MapView()``) and the former synchronous path (``MapView(sync=True)``), in
the same process, each with the 1:10m outlines already prepared.

What is measured, on the UI thread:
- time per frame: the busy time of every event-loop iteration that painted the map, from the
  loop waking to it going back to wait (input handling, a frame landing, composing);
- last input → full-detail frame: from the last input of a gesture to the end of the paint
  that shows the frame of the view it left (``viewSettled``); for a wheel burst this includes
  the ~200 ms glide, so it is also given from the end of the glide;
- longest stall: the largest lateness of a 2 ms heartbeat timer during a 10 s scripted mix of
  the three gestures (a stall the event loop itself cannot see, such as waiting for the GIL
  held by the worker, shows here).

    QT_SCALE_FACTOR=2 python benchmarks/interaction.py [--json]
"""

from __future__ import annotations

import json
import math
import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_SCALE_FACTOR", "2")

SIZE = (1920, 1080)
STEP_MS = 8  # input every 8 ms: a 120 Hz pointer
TARGET_FRAME_P95_MS = 8.0
TARGET_LATENCY_MS = 100.0
TARGET_STALL_MS = 16.0


def pct(values, q):
    v = sorted(values)
    if not v:
        return float("nan")
    return v[min(len(v) - 1, max(0, math.ceil(q * len(v)) - 1))]


class Probe:
    """A 1 ms heartbeat on the UI thread. The loop runs it whenever it is free, so the gap
    between two beats, less the interval, is how long the thread was busy: handling input,
    landing a frame, composing, or waiting for the GIL. A gap that holds a paint of the map
    is that frame's UI time; the largest gap is the longest stall."""

    INTERVAL_MS = 1.0

    def __init__(self, view) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.phase = None
        self.frames: dict[str, list[float]] = {}
        self.lateness: list[float] = []
        self._painted = False
        view.painted.connect(self._paint)
        self.beat = QTimer()
        self.beat.setTimerType(Qt.TimerType.PreciseTimer)
        self.beat.setInterval(int(self.INTERVAL_MS))
        self.beat.timeout.connect(self._tick)
        self._last = None

    def _paint(self):
        self._painted = True

    def _tick(self):
        now = time.perf_counter()
        if self._last is not None:
            busy = max(0.0, (now - self._last) * 1000 - self.INTERVAL_MS)
            self.lateness.append(busy)
            if self._painted and self.phase:
                self.frames.setdefault(self.phase, []).append(busy)
        self._painted = False
        self._last = now

    def start(self):
        self._last = None
        self.lateness.clear()
        self.beat.start()

    def stop(self):
        self.beat.stop()


def run_path(sync: bool, atlas, quick: bool, user_layer=None) -> dict:
    from PySide6.QtCore import QEvent, QEventLoop, QPoint, QPointF, Qt, QTimer
    from PySide6.QtGui import QMouseEvent, QWheelEvent
    from PySide6.QtWidgets import QApplication

    from silkmap.core.state import MapState
    from silkmap.ui.map_view import MapView

    app = QApplication.instance()
    state = MapState()
    if user_layer is not None:  # benchmarks/user_layers.py: the same gestures with a layer shown
        state.user_layers.add(user_layer)
    view = MapView(atlas, state, sync=sync)
    view.renderer.cache.warm_up()  # as after start-up's background warm-up
    view.renderer.physical.load()  # relief, rivers and lakes, as after their background load
    view.hits.warm_up()  # the picking index, as the window builds it in the background
    view.resize(*SIZE)
    view.show()
    app.processEvents()
    if sync:
        view.repaint()
    else:
        view.settle()
    assert view.devicePixelRatioF() == 2.0, "run with QT_SCALE_FACTOR=2"
    probe = Probe(view)
    settled_at: list[float] = []
    view.viewSettled.connect(lambda: settled_at.append(time.perf_counter()))
    cx, cy = SIZE[0] // 2, SIZE[1] // 2
    latency = {"drag": [], "wheel": [], "wheel after glide": []}
    clock = {"due": 0.0}

    def send_move(pos, buttons):
        ev = QMouseEvent(QEvent.Type.MouseMove, QPointF(pos), QPointF(view.mapToGlobal(pos)),
                         Qt.MouseButton.NoButton, buttons, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(view, ev)

    def send_button(kind, pos):
        held = Qt.MouseButton.LeftButton if kind == QEvent.Type.MouseButtonPress else Qt.MouseButton.NoButton
        ev = QMouseEvent(kind, QPointF(pos), QPointF(view.mapToGlobal(pos)), Qt.MouseButton.LeftButton,
                         held, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(view, ev)

    def send_wheel(pos, delta):
        ev = QWheelEvent(QPointF(pos), QPointF(view.mapToGlobal(pos)), QPoint(0, 0), QPoint(0, delta),
                         Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                         Qt.ScrollPhase.NoScrollPhase, False)
        QApplication.sendEvent(view, ev)

    def settle(kind, since):
        """Steps until the full frame of the view is on screen; records the latency."""
        for _ in range(400):
            done = settled_at and settled_at[-1] >= since and not view.animating() and (
                sync or view._final(view._frame))
            if done:
                latency[kind].append((settled_at[-1] - since) * 1000)
                if kind == "wheel":
                    glide_end = since + (0 if sync else view._anim.duration() / 1000)
                    latency["wheel after glide"].append(max(0.0, settled_at[-1] - glide_end) * 1000)
                return
            yield

    def drag(n, radius=260):
        probe.phase = "drag"
        start = QPoint(cx + radius, cy)
        send_move(start, Qt.MouseButton.NoButton)
        yield
        send_button(QEvent.Type.MouseButtonPress, start)
        yield
        pos = start
        for i in range(1, n + 1):
            pos = QPoint(round(cx + radius * math.cos(i / 30)), round(cy + radius * 0.6 * math.sin(i / 30)))
            last = time.perf_counter()
            send_move(pos, Qt.MouseButton.LeftButton)
            yield
        send_button(QEvent.Type.MouseButtonRelease, pos)
        yield from settle("drag", last)

    def wheel(bursts):
        probe.phase = "wheel"
        for b in range(bursts):
            pos = QPoint(cx + (b % 3 - 1) * 300, cy + (b % 2) * 150 - 75)
            delta = 120 if b % 2 == 0 else -120
            for _ in range(3):  # three notches, as a flick of the wheel gives
                last = time.perf_counter()
                send_wheel(pos, delta)
                yield
            yield from settle("wheel", last)

    def hover(n):
        probe.phase = "hover"
        for i in range(n):
            send_move(QPoint(round(cx - 800 + 1600 * i / n), round(cy + 380 * math.sin(i / 7))),
                      Qt.MouseButton.NoButton)
            yield

    def drive(script):
        loop = QEventLoop()
        timer = QTimer()
        timer.setTimerType(Qt.TimerType.PreciseTimer)
        timer.setInterval(STEP_MS)
        t0 = time.perf_counter()
        ticks = [0]

        def step():
            ticks[0] += 1
            clock["due"] = t0 + ticks[0] * STEP_MS / 1000
            try:
                next(script)
            except StopIteration:
                timer.stop()
                loop.quit()

        timer.timeout.connect(step)
        timer.start()
        loop.exec()

    def gestures():
        yield from drag(60 if quick else 120)
        yield from drag(60 if quick else 120, radius=120)
        yield from wheel(4 if quick else 8)
        yield from hover(150 if quick else 300)

    probe.start()
    drive(gestures())
    probe.stop()
    frames = {k: list(v) for k, v in probe.frames.items()}

    def mix(seconds):
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            yield from drag(90)
            yield from wheel(2)
            yield from hover(120)

    probe.start()
    drive(mix(4 if quick else 10))
    probe.stop()
    probe.phase = None
    view.close()
    if view._worker is not None:
        view._worker.close()
    return {"frames": frames, "latency": latency, "stall_ms": max(probe.lateness, default=float("nan")),
            "dropped_jobs": getattr(view, "dropped_jobs", 0)}


def bench(record, quick: bool = False) -> None:
    """Run in a child process at QT_SCALE_FACTOR=2 and ``record`` each result (run.py)."""
    import subprocess

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": "2"}
    cmd = [sys.executable, __file__, "--json"] + (["--quick"] if quick else [])
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900)
    if out.returncode != 0:
        raise SystemExit(f"interaction benchmark failed:\n{out.stderr}")
    res = json.loads(out.stdout.strip().splitlines()[-1])
    w, s = res["worker"], res["sync"]
    for name in ("drag", "wheel", "hover"):
        fw, fs = w["frames"].get(name, []), s["frames"].get(name, [])
        p95w, p95s = pct(fw, 0.95), pct(fs, 0.95)
        record(f"4K {name}: UI time per frame, median / p95",
               f"{statistics.median(fw):.1f} / {p95w:.1f} ms", f"{statistics.median(fs):.1f} / {p95s:.1f} ms",
               f"p95 {p95s / p95w:.1f}× lower (target p95 ≤ {TARGET_FRAME_P95_MS:g} ms) "
               f"{'PASS' if p95w <= TARGET_FRAME_P95_MS else 'FAIL'}")
    for name in ("drag", "wheel", "wheel after glide"):
        lw, ls = w["latency"].get(name, []), s["latency"].get(name, [])
        if not lw or not ls:
            continue
        mw = statistics.median(lw)
        verdict = (f"target median ≤ {TARGET_LATENCY_MS:g} ms {'PASS' if mw <= TARGET_LATENCY_MS else 'FAIL'}"
                   if name != "wheel" else "includes the 200 ms glide (see after glide)")
        record(f"4K {name}: last input → full frame, median", f"{mw:.0f} ms",
               f"{statistics.median(ls):.0f} ms", verdict)
    record("4K 10 s scripted mix: longest UI stall", f"{w['stall_ms']:.1f} ms", f"{s['stall_ms']:.1f} ms",
           f"target ≤ {TARGET_STALL_MS:g} ms {'PASS' if w['stall_ms'] <= TARGET_STALL_MS else 'FAIL'}")


def main() -> int:
    from PySide6.QtWidgets import QApplication

    from PySide6.QtCore import qInstallMessageHandler

    quick = "--quick" in sys.argv
    app = QApplication.instance() or QApplication([])  # noqa: F841
    # Offscreen has no window manager: the tooltips' raise() warns at every hover.
    qInstallMessageHandler(lambda mode, ctx, msg: None if "does not support" in msg else sys.stderr.write(msg + "\n"))
    from silkmap.core.atlas import load_atlas
    from silkmap.render.fonts import register_fonts

    register_fonts()
    atlas = load_atlas()
    if "--user-layer" in sys.argv:  # worker path without and with that file shown
        from silkmap.core.user_layers.layer import make_layer
        from silkmap.core.user_layers.load import load
        from silkmap.core.user_layers.spec import UserLayerSpec

        path = sys.argv[sys.argv.index("--user-layer") + 1]
        layer = make_layer(UserLayerSpec(path), load(path))
        print(json.dumps({"without": run_path(False, atlas, quick), "with": run_path(False, atlas, quick, layer)}))
        return 0
    out = {"sync": run_path(True, atlas, quick), "worker": run_path(False, atlas, quick)}
    if "--json" in sys.argv:
        print(json.dumps(out))
    else:
        for name in ("drag", "wheel", "hover"):
            for path in ("worker", "sync"):
                f = out[path]["frames"].get(name, [])
                print(f"{name:6} {path:7} frames {len(f):4}  median {statistics.median(f):6.1f} ms  "
                      f"p95 {pct(f, 0.95):6.1f} ms  max {max(f):6.1f} ms")
        for path in ("worker", "sync"):
            lat = out[path]["latency"]
            print(path, {k: round(statistics.median(v), 1) for k, v in lat.items() if v},
                  "stall", round(out[path]["stall_ms"], 1), "dropped", out[path]["dropped_jobs"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
