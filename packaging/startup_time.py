#!/usr/bin/env python3
"""Start-up to the first painted map: the bundle against the installed app, in the same run.

    python3 packaging/startup_time.py                       # offscreen
    xvfb-run -a -s "-screen 0 1600x1000x24" python3 packaging/startup_time.py --platform xcb

Times the whole process (start to exit) with SILKMAP_QUIT_AFTER_FIRST_PAINT=1, which makes the
window print "first-paint …" and quit after its first paint. One warm-up run each, then the
two alternate; prints the medians and the ratio (target: bundle within 1.5× of installed).
Stdlib only.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def once(cmd: list[str], env: dict[str, str]) -> float:
    t = time.perf_counter()
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    elapsed = time.perf_counter() - t
    if out.returncode != 0 or "first-paint" not in out.stdout:
        raise SystemExit(f"{' '.join(cmd)} failed ({out.returncode}):\n{out.stdout}{out.stderr}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bundle", default=str(ROOT / "dist" / "silkmap" / "silkmap"))
    p.add_argument("--installed", default=str(ROOT / ".venv" / "bin" / "silkmap"))
    p.add_argument("--platform", default="offscreen", help="QT_QPA_PLATFORM (offscreen, or xcb under xvfb-run)")
    p.add_argument("--repeat", type=int, default=5)
    args = p.parse_args(argv)
    env = {**os.environ, "SILKMAP_QUIT_AFTER_FIRST_PAINT": "1", "QT_QPA_PLATFORM": args.platform}
    cmds = {"installed": [args.installed], "bundle": [args.bundle]}
    times: dict[str, list[float]] = {name: [] for name in cmds}
    for name, cmd in cmds.items():
        once(cmd, env)  # warm the file cache (and the bundle's matplotlib cache folder)
    for _ in range(args.repeat):
        for name, cmd in cmds.items():
            times[name].append(once(cmd, env))
    med = {name: statistics.median(t) for name, t in times.items()}
    for name, t in times.items():
        print(f"{name:<10} median {med[name] * 1000:6.0f} ms   runs: " + " ".join(f"{x * 1000:.0f}" for x in t))
    ratio = med["bundle"] / med["installed"]
    print(f"bundle / installed = {ratio:.2f}× ({args.platform}; target ≤ 1.5×) {'PASS' if ratio <= 1.5 else 'FAIL'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
