#!/usr/bin/env python3
"""Opening a project file to the first painted map, against a plain start, in the same run.

    python benchmarks/project_open.py [--repeat 7] [--platform offscreen]

Plain start: ``python -m silkmap`` as benchmarks/startup.py times it (SILKMAP_QUIT_AFTER_FIRST_PAINT
prints a stamp at the end of the map's first paint). Project: ``python -m silkmap FILE.silkmap``
with a figure as a user saves one — zoomed on the Fergana valley, a layer hidden, a country
selected, twenty annotations of the three kinds and five named views; once with the window's
home view (what the file itself costs) and once zoomed (what that view costs as well: its
first frame draws a few dozen more labels than the home view, whose frame is prebuilt). All
run with the same fresh settings folder (so none reads another's saved window or recent
list), alternate after one warm-up each; medians and the ratios (target ≤ 1.2×, issue 13). Also lists what the
project start imported before its first paint that it should not (numpy, shapely, pyproj,
matplotlib): the project file must not make the first paint load them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import startup  # noqa: E402

TARGET = 1.2
# Map metres (core/projection.py) of the Fergana valley, so writing the file needs no pyproj.
FERGANA = (-681606.0, 109822.5)


def figure(zoomed: bool = True) -> dict:
    """A project file's JSON, in the shape core/project.py writes (schema 1); ``zoomed``: its
    view on the Fergana valley, else none (the window's home view)."""
    fx, fy = FERGANA
    notes = []
    for i in range(20):
        x, y = fx + (i % 5 - 2) * 60_000.0, fy + (i // 5 - 2) * 45_000.0
        kind = ("text", "arrow", "circle")[i % 3]
        a = {"id": f"a{i + 1}", "kind": kind, "x": x, "y": y, "text": f"Note {i + 1}"}
        if kind == "arrow":
            a.update(tx=x + 80_000.0, ty=y + 50_000.0)
        if kind == "circle":
            a["radius"] = 25_000.0
        notes.append(a)
    views = [{"name": f"View {i + 1}", "cx": fx + i * 100_000.0, "cy": fy, "scale": 1 / 2000, "width": 1000,
              "height": 700} for i in range(5)]
    view = {"cx": fx, "cy": fy, "scale": 1 / 1800, "width": 1000, "height": 700} if zoomed else None
    return {"format": "silkmap-project", "schema": 1, "language": "en", "view": view,
            "layers": {"road": False}, "selection": {"kind": "country", "id": "UZB"},
            "annotations": notes, "bookmarks": views, "user_layers": []}


def measure(repeat: int, platform: str = "offscreen") -> tuple[dict[str, list[float]], list[str]]:
    with tempfile.TemporaryDirectory(prefix="silkmap-bench-") as tmp:
        zoomed, home = Path(tmp) / "fergana.silkmap", Path(tmp) / "home.silkmap"
        zoomed.write_text(json.dumps(figure(True), indent=1), encoding="utf-8")
        home.write_text(json.dumps(figure(False), indent=1), encoding="utf-8")
        env = {**os.environ, "QT_QPA_PLATFORM": platform, "SILKMAP_QUIT_AFTER_FIRST_PAINT": "1",
               "XDG_CONFIG_HOME": str(Path(tmp) / "config")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: compiled bytecode (startup.py)
        cmds = {"plain start": [sys.executable, "-m", "silkmap"],
                "project, home view": [sys.executable, "-m", "silkmap", str(home)],
                "project, zoomed": [sys.executable, "-m", "silkmap", str(zoomed)]}
        times: dict[str, list[float]] = {name: [] for name in cmds}
        for cmd in cmds.values():
            startup.once(cmd, env)  # warm the file cache
        for _ in range(repeat):
            for name, cmd in cmds.items():
                times[name].append(startup.once(cmd, env))
        heavy = sorted(set(_heavy(cmds["project, zoomed"], env) + _heavy(cmds["project, home view"], env)))
    return times, heavy


def _heavy(cmd: list[str], env: dict[str, str]) -> list[str]:
    """HEAVY modules imported before the first-paint stamp: one unbuffered stream keeps the
    stamp in order with -X importtime's lines (the project's selection loads the details
    panel's chart just after the first paint, as a click would)."""
    out = subprocess.run([cmd[0], "-X", "importtime", *cmd[1:]], env={**env, "PYTHONUNBUFFERED": "1"},
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120)
    before = out.stdout.split("first-paint", 1)[0]
    return [name for name in (line.rsplit("|", 1)[-1].strip() for line in before.splitlines())
            if name in startup.HEAVY]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--platform", default="offscreen")
    args = p.parse_args(argv)
    times, heavy = measure(args.repeat, args.platform)
    med = {name: statistics.median(t) for name, t in times.items()}
    for name, t in times.items():
        q = statistics.quantiles(t, n=20)[-1] if len(t) >= 2 else t[0]
        print(f"{name:<20} median {med[name] * 1000:6.0f} ms  p95 {q * 1000:6.0f} ms  runs: "
              + " ".join(f"{x * 1000:.0f}" for x in t))
    verdict = "PASS" if not heavy else "FAIL"
    for name in ("project, home view", "project, zoomed"):
        ratio = med[name] / med["plain start"]
        ok = ratio <= TARGET
        verdict = verdict if ok else "FAIL"
        print(f"{name} to first paint = {ratio:.2f}× a plain start (target ≤ {TARGET}×) {'PASS' if ok else 'FAIL'}")
    print("imported before the first paint: " + (", ".join(heavy) if heavy else "none of " + ", ".join(startup.HEAVY)))
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
