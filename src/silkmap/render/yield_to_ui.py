"""Background rendering steps aside while the window paints.

At 4K the window's paint is a few large blits that Qt spreads over every core; a worker
filling paths or sweeping numpy arrays at the same moment takes a core and memory bandwidth
from them and doubles the frame's time. The UI thread says when it paints; a worker calls
``wait()`` before each costly step, which returns at once unless a paint is under way (and
after ``MAX_WAIT_S`` at most, so a worker is never starved).
"""

from __future__ import annotations

import threading

MAX_WAIT_S = 0.012
_MAIN = threading.main_thread().ident
_idle = threading.Event()
_idle.set()


def painting(active: bool) -> None:
    """The UI thread starts (True) or ends (False) a paint of the window."""
    if active:
        _idle.clear()
    else:
        _idle.set()


def wait() -> None:
    if threading.get_ident() != _MAIN:
        _idle.wait(MAX_WAIT_S)
