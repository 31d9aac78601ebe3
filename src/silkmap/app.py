"""Entry point: the command line, or the window when no command is given."""

from __future__ import annotations

import os
import sys


def _xcb_problem() -> str | None:
    """Why Qt's xcb plugin cannot start here, as one line naming the missing package."""
    if sys.platform != "linux":
        return None
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith("xcb"):
        return None
    if not platform and os.environ.get("WAYLAND_DISPLAY"):
        return None
    if not os.environ.get("DISPLAY"):
        return ("no display found (DISPLAY is not set): run silkmap in a desktop session, "
                "under xvfb-run, or use 'silkmap export' for files without a window")
    import ctypes.util

    for lib, package in (("xcb-cursor", "libxcb-cursor0"), ("xkbcommon-x11", "libxkbcommon-x11-0"),
                         ("xcb-icccm", "libxcb-icccm4"), ("xcb-keysyms", "libxcb-keysyms1"),
                         ("EGL", "libegl1"), ("GL", "libgl1")):
        if ctypes.util.find_library(lib) is None:
            return (f"Qt's xcb platform plugin needs the system library lib{lib}; "
                    f"install it with: sudo apt-get install {package}")
    return None


def _fail(message: str) -> int:
    if sys.stderr is not None:
        print(f"silkmap: {message}", file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    from silkmap.cli import run

    argv = sys.argv[1:] if argv is None else argv
    status = run(argv)
    if status is not None:
        return status
    problem = _xcb_problem()
    if problem:
        return _fail(problem)
    from silkmap.ui.application import run_window

    return run_window(argv)


if __name__ == "__main__":
    raise SystemExit(main())
