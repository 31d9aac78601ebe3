"""Hand freed heap memory back to the system.

Zooming makes and drops thousands of small Qt paths a minute (the route strokes of each
zoom level, bounded by an LRU); glibc keeps the freed pages inside the process unless they
sit at the top of the heap, so resident memory creeps up by tens of MB in a long session
with nothing live to show for it. ``malloc_trim`` returns them. The window calls this when
it has been idle for a moment. Elsewhere (macOS, musl) it does nothing.
"""

from __future__ import annotations

import ctypes
import sys

_trim = None  # glibc's malloc_trim, False where there is none


def release_free_heap() -> bool:
    """True if memory was returned to the system."""
    global _trim
    if _trim is None:
        _trim = False
        if sys.platform.startswith("linux"):
            try:
                _trim = ctypes.CDLL("libc.so.6").malloc_trim
                _trim.argtypes, _trim.restype = [ctypes.c_size_t], ctypes.c_int
            except (OSError, AttributeError):
                _trim = False
    return bool(_trim and _trim(0))
