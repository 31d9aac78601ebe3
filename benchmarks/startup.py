#!/usr/bin/env python3
"""Start-up to the first painted map against an empty Qt window, measured in the same run.

    python benchmarks/startup.py [--repeat 7] [--platform offscreen]

Ours: ``python -m silkmap`` with SILKMAP_QUIT_AFTER_FIRST_PAINT=1, which prints a time stamp
at the end of the map's first paint. Baseline: ``python -c`` creating a QApplication and
showing a QWidget that prints a time stamp at the end of its first paint. Both from the
launch of the process to that stamp; runs alternate after one warm-up each; medians and the
ratio (target ≤ 2.5×, issue 9). Also lists what the app imported before its first paint
that it should not (numpy, shapely, pyproj, matplotlib).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

TARGET = 2.5
EMPTY_WINDOW = """
import time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

class W(QWidget):
    def paintEvent(self, event):
        print("first-paint", f"{time.time():.6f}", flush=True)
        QTimer.singleShot(0, app.quit)

app = QApplication([])
w = W()
w.resize(1280, 800)
w.show()
app.exec()
"""
HEAVY = ("numpy", "shapely", "pyproj", "matplotlib")


def once(cmd: list[str], env: dict[str, str]) -> float:
    t = time.time()
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    if out.returncode != 0 or "first-paint" not in out.stdout:
        raise SystemExit(f"{' '.join(cmd)} failed ({out.returncode}):\n{out.stdout}{out.stderr}")
    return float(out.stdout.split("first-paint", 1)[1].split()[0]) - t


def heavy_imports(env: dict[str, str]) -> list[str]:
    """Modules of HEAVY imported before the first paint (python -X importtime)."""
    out = subprocess.run([sys.executable, "-X", "importtime", "-m", "silkmap"], env=env,
                         capture_output=True, text=True, timeout=120)
    found = []
    for line in out.stderr.splitlines():
        name = line.rsplit("|", 1)[-1].strip()
        if name in HEAVY:
            found.append(name)
    return found


def measure(repeat: int, platform: str = "offscreen") -> tuple[dict[str, list[float]], list[str]]:
    """Seconds from launch to first paint, per command; and the heavy modules imported first."""
    env = {**os.environ, "QT_QPA_PLATFORM": platform}
    # As installed: a wheel or the bundle ships compiled bytecode, so let the warm-up runs
    # write it rather than compile every module from source at each start.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    ours_env = {**env, "SILKMAP_QUIT_AFTER_FIRST_PAINT": "1"}
    cmds = {"empty Qt window": ([sys.executable, "-c", EMPTY_WINDOW], env),
            "silkmap first map": ([sys.executable, "-m", "silkmap"], ours_env)}
    times: dict[str, list[float]] = {name: [] for name in cmds}
    for cmd, e in cmds.values():
        once(cmd, e)  # warm the file cache
    for _ in range(repeat):
        for name, (cmd, e) in cmds.items():
            times[name].append(once(cmd, e))
    return times, heavy_imports(ours_env)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--platform", default="offscreen", help="QT_QPA_PLATFORM (offscreen, or xcb under xvfb-run)")
    args = p.parse_args(argv)
    times, heavy = measure(args.repeat, args.platform)
    med = {name: statistics.median(t) for name, t in times.items()}
    for name, t in times.items():
        print(f"{name:<18} median {med[name] * 1000:6.0f} ms   runs: " + " ".join(f"{x * 1000:.0f}" for x in t))
    ratio = med["silkmap first map"] / med["empty Qt window"]
    verdict = "PASS" if ratio <= TARGET else "FAIL"
    print(f"start-up to first painted map = {ratio:.2f}× an empty Qt window (target ≤ {TARGET}×) {verdict}")
    print("imported before the first paint: " + (", ".join(heavy) if heavy else "none of " + ", ".join(HEAVY)))
    return 0 if verdict == "PASS" and not heavy else 1


if __name__ == "__main__":
    sys.exit(main())
