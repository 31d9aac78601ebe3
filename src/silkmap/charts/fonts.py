"""matplotlib's font settings, applied once before the first chart."""

from __future__ import annotations

_done = False


def configure() -> None:
    global _done
    if _done:
        return
    import matplotlib

    matplotlib.rcParams["svg.fonttype"] = "none"
    matplotlib.rcParams["axes.unicode_minus"] = False
    _done = True
