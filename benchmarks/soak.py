"""A long session in one process: seeded random interactions with the real MainWindow.

    python benchmarks/soak.py                      # 3,000 mixed actions after a warm-up
    python benchmarks/soak.py --only export --actions 1500
    python benchmarks/soak.py --per-type --actions 1500

Clicks, wheel zooms, drags, keys, layer toggles, language switches, window resizes and
File → Export opened and cancelled, driven through Qt events (QTest and sent QMouseEvents)
on the offscreen platform. Resident memory comes from /proc/self/status: VmRSS after the
warm-up and after the run (growth), VmHWM for the peak. Targets (issue 14, item 5):
growth ≤ 25 MB over 3,000 actions after warm-up, peak ≤ 400 MB.

Run it in its own process (benchmarks/run.py does): the peak is the whole process's.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

KINDS = ("click", "zoom", "drag", "key", "layer", "language", "resize", "export")
GROWTH_LIMIT_MB = 25.0
PEAK_LIMIT_MB = 400.0


def memory_mb() -> tuple[float, float]:
    """(VmRSS, VmHWM) of this process in MiB."""
    rss = hwm = 0.0
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) / 1024.0
            elif line.startswith("VmHWM:"):
                hwm = int(line.split()[1]) / 1024.0
    return rss, hwm


def heap_mb() -> dict:
    """Bytes in live heap blocks and free heap held, in MiB: resident memory that grows while
    ``in_use`` stays flat is freed heap not handed back."""
    from silkmap.core.memory import heap_counts

    return {k: round(v / 2 ** 20, 1) for k, v in heap_counts().items()}


def _quiet_offscreen_plugin() -> None:
    """The offscreen platform warns on every window raise and size-hint change; drop just those."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(_mode, _context, message):
        if not message.startswith("This plugin does not support"):
            sys.stderr.write(message + "\n")

    qInstallMessageHandler(handler)


class Session:
    """One MainWindow and a seeded stream of the actions a user takes."""

    def __init__(self, seed: int) -> None:
        from PySide6.QtCore import QSettings
        from PySide6.QtWidgets import QApplication

        from silkmap.core.atlas import load_atlas
        from silkmap.render.fonts import register_fonts
        from silkmap.ui.main_window import MainWindow

        from silkmap.core.memory import fix_large_block_policy

        fix_large_block_policy()  # as the application does at start
        self.app = QApplication.instance() or QApplication([sys.argv[0]])
        _quiet_offscreen_plugin()
        register_fonts()
        self.rng = random.Random(seed)
        self._tmp = tempfile.TemporaryDirectory(prefix="silkmap-soak-")
        settings = QSettings(os.path.join(self._tmp.name, "soak.ini"), QSettings.Format.IniFormat)
        self.win = MainWindow(load_atlas(), settings=settings)
        self.win.resize(1280, 800)
        self.win.show()
        self.pump()
        # What the window does in the background after its first paint, done here at once
        # so no worker is still building while memory is measured.
        self.win.view.renderer.cache.warm_up()
        from silkmap.i18n import LANGUAGES

        for lang in LANGUAGES:
            self.win.details.charts.warm_up(lang)
        self.pump()

    def pump(self) -> None:
        """What returning to the event loop does: posted events, paints, deferred deletes."""
        from PySide6.QtCore import QCoreApplication, QEvent

        self.app.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        self.app.processEvents()

    def _point(self):
        from PySide6.QtCore import QPoint

        v = self.win.view
        return QPoint(self.rng.randrange(2, max(v.width() - 2, 3)), self.rng.randrange(2, max(v.height() - 2, 3)))

    def _mouse(self, kind, pos, button, buttons) -> None:
        from PySide6.QtCore import QPointF, Qt
        from PySide6.QtGui import QMouseEvent

        v = self.win.view
        local = QPointF(pos)
        ev = QMouseEvent(kind, local, QPointF(v.mapToGlobal(pos)), button, buttons,
                         Qt.KeyboardModifier.NoModifier)
        self.app.sendEvent(v, ev)

    # ------------------------------------------------------------------ actions
    def click(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        v = self.win.view
        pos = self._point()
        QTest.mouseMove(v, pos)  # hover first, as a pointer does
        QTest.mouseClick(v, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos)

    def zoom(self) -> None:
        from PySide6.QtCore import QPoint, QPointF, Qt
        from PySide6.QtGui import QWheelEvent

        v = self.win.view
        pos = self._point()
        steps = self.rng.choice((-2, -1, -1, 1, 1, 2))
        ev = QWheelEvent(QPointF(pos), QPointF(v.mapToGlobal(pos)), QPoint(0, 0), QPoint(0, 120 * steps),
                         Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
                         False)
        self.app.sendEvent(v, ev)

    def drag(self) -> None:
        from PySide6.QtCore import QEvent, QPoint, Qt

        left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
        start = self._point()
        dx, dy = self.rng.randint(-300, 300), self.rng.randint(-200, 200)
        self._mouse(QEvent.Type.MouseButtonPress, start, left, left)
        for i in range(1, 6):
            self._mouse(QEvent.Type.MouseMove, start + QPoint(dx * i // 5, dy * i // 5), none, left)
            self.pump()
        self._mouse(QEvent.Type.MouseButtonRelease, start + QPoint(dx, dy), left, none)

    def key(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        K = Qt.Key
        key = self.rng.choice((K.Key_Right, K.Key_Left, K.Key_Down, K.Key_Up, K.Key_Return, K.Key_Escape,
                               K.Key_Plus, K.Key_Minus, K.Key_Home, K.Key_Tab))
        self.win.view.setFocus()
        QTest.keyClick(self.win.view, key)

    def layer(self) -> None:
        box = self.rng.choice(list(self.win.layers.boxes.values()))
        box.click()

    def language(self) -> None:
        from silkmap import i18n

        lang = self.rng.choice([lang for lang in i18n.LANGUAGES if lang != i18n.current()])
        self.win.lang_actions[lang].trigger()

    def resize(self) -> None:
        self.win.resize(self.rng.randint(800, 1920), self.rng.randint(600, 1200))

    def export(self) -> None:
        from PySide6.QtWidgets import QDialog

        self.win.act_export.trigger()
        self.pump()
        dialogs = [d for d in self.win.findChildren(QDialog) if d.isVisible()]
        if not dialogs:
            raise SystemExit("soak: File → Export opened no dialog")
        for d in dialogs:
            d.reject()

    def act(self, kind: str) -> None:
        getattr(self, kind)()
        self.pump()

    def run(self, n: int, kinds) -> None:
        for _ in range(n):
            self.act(self.rng.choice(kinds))

    def settle(self) -> None:
        """The same window state before every reading (size, view, language, no selection),
        so a reading differs from the last by what was kept, not by what is on screen (a
        1920×1200 window holds 27 MiB more of layer images and backing store than 1280×800),
        read after a pause."""
        from silkmap import i18n

        self.win.state.select(None)
        self.win.resize(1280, 800)
        if i18n.current() != "en":
            self.win.lang_actions["en"].trigger()
        self.pump()
        self.win.view.reset_view()
        self.pump()
        self.pause()

    def pause(self) -> None:
        """The user stops for a moment: the window's idle work runs (it hands freed heap
        back), as it does between a person's bursts of zooming and clicking."""
        from PySide6.QtCore import QEventLoop, QTimer

        if not hasattr(self.win, "idle"):  # a build without idle work (the baseline): nothing to wait for
            return
        loop = QEventLoop()
        self.win.idle.connect(loop.quit)
        QTimer.singleShot(30_000, loop.quit)
        loop.exec()
        self.win.idle.disconnect(loop.quit)

    def caches(self) -> dict:
        from silkmap.render import text as R

        def mb(cache):  # a baseline build keeps plain dicts: no cost to report
            return round(cache.total_cost / 2 ** 20, 1) if hasattr(cache, "total_cost") else None

        strokes = self.win.view.renderer.layer("routes")._strokes
        return {"route_strokes_mb": mb(strokes), "route_strokes": len(strokes),
                "sprites_mb": mb(R._SPRITES), "sprites": len(R._SPRITES), "text_widths": len(R._WIDTHS)}

    def close(self) -> None:
        from silkmap.ui import background

        self.win.close()
        self.pump()
        background.stop_all()
        self._tmp.cleanup()


def soak(actions: int, kinds=KINDS, seed: int = 14, warm_up: int = 300, samples: int = 10) -> dict:
    """Run ``warm_up`` then ``actions`` random actions of ``kinds``; memory figures in MiB."""
    s = Session(seed)
    s.settle()
    gc.collect()
    opened, _hwm = memory_mb()
    t0 = time.perf_counter()
    s.run(warm_up, kinds)
    s.settle()
    gc.collect()
    start, _hwm = memory_mb()
    curve = [round(start, 1)]
    heap = [heap_mb()]
    for i in range(samples):
        s.run(actions // samples + (1 if i < actions % samples else 0), kinds)
        s.settle()
        gc.collect()
        curve.append(round(memory_mb()[0], 1))
        heap.append(heap_mb())
    end, peak = memory_mb()
    elapsed = time.perf_counter() - t0
    dialogs = len(s.win.findChildren(__import__("PySide6.QtWidgets", fromlist=["QDialog"]).QDialog))
    caches = s.caches()
    s.close()
    return {"caches": caches, "kinds": list(kinds), "actions": actions, "warm_up": warm_up, "seed": seed,
            "rss_before_warm_up_mb": round(opened, 1), "rss_after_warm_up_mb": round(start, 1), "rss_end_mb": round(end, 1),
            "growth_mb": round(end - start, 1), "peak_mb": round(peak, 1), "rss_curve_mb": curve, "heap_curve_mb": heap,
            "dialogs_alive": dialogs, "seconds": round(elapsed, 1)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--actions", type=int, default=3000)
    ap.add_argument("--warm-up", type=int, default=300)
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--only", choices=KINDS, help="one interaction type")
    ap.add_argument("--without", choices=KINDS, action="append", default=[],
                    help="leave an interaction type out (to find which one a growth needs)")
    ap.add_argument("--per-type", action="store_true", help="one process per interaction type")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON line")
    args = ap.parse_args()
    if args.per_type:  # each type in a fresh process, so one type's peak is not another's
        import subprocess

        for kind in KINDS:
            out = subprocess.run([sys.executable, __file__, "--only", kind, "--actions", str(args.actions),
                                  "--warm-up", str(min(args.warm_up, 50)), "--seed", str(args.seed)],
                                 capture_output=True, text=True)
            sys.stdout.write(out.stdout)
            sys.stderr.write(out.stderr)
        return 0
    kinds = (args.only,) if args.only else tuple(k for k in KINDS if k not in args.without)
    r = soak(args.actions, kinds, args.seed, args.warm_up)
    ok = r["growth_mb"] <= GROWTH_LIMIT_MB and r["peak_mb"] <= PEAK_LIMIT_MB
    if args.json:
        print(json.dumps(r), flush=True)
    else:
        print(f"{'+'.join(r['kinds']) if args.only or args.without else 'mixed'}: {r['actions']} actions in {r['seconds']} s; "
              f"RSS {r['rss_before_warm_up_mb']} → {r['rss_after_warm_up_mb']} (warm-up) → {r['rss_end_mb']} MiB "
              f"(growth after warm-up {r['growth_mb']:+.1f}), "
              f"peak {r['peak_mb']} MiB, dialogs alive {r['dialogs_alive']}; curve {r['rss_curve_mb']}; "
              f"caches {r['caches']}; heap {r['heap_curve_mb']}",
              flush=True)
    return 0 if ok or args.only else 1


if __name__ == "__main__":
    raise SystemExit(main())
