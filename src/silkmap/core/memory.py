"""Hand freed heap memory back to the system.

Zooming makes and drops thousands of small Qt paths a minute (the route strokes of each
zoom level, bounded by an LRU); glibc keeps the freed pages inside the process unless they
sit at the top of the heap, so resident memory creeps up by tens of MB in a long session
with nothing live to show for it. ``malloc_trim`` returns them. The window calls this when
it has been idle for a moment. Elsewhere (macOS, musl) it does nothing.

Map frames are images of 4 to 33 MB made and dropped on the render worker. glibc raises its
mmap threshold to the size of the largest block freed (up to 32 MiB), so after the first
frame every later one is carved out of a heap arena, and the holes they leave kept 15 to
45 MB of free heap resident, different in every run of the same session. A fixed threshold
(``fix_large_block_policy``) keeps every block of 1 MiB or more in its own mapping, returned
to the system the moment it is freed.
"""

from __future__ import annotations

import ctypes
import sys

_trim = None  # glibc's malloc_trim, False where there is none
M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter number
LARGE_BLOCK_BYTES = 1 << 20


def fix_large_block_policy() -> bool:
    """Blocks of ``LARGE_BLOCK_BYTES`` or more get their own mapping, always (see above).
    True where the allocator took the setting."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return mallopt(M_MMAP_THRESHOLD, LARGE_BLOCK_BYTES) == 1



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


class _MallInfo2(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in
                "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost".split()]


def heap_counts() -> dict[str, int]:
    """glibc's own count over all arenas, in bytes: ``in_use`` by live blocks (mapped ones
    included) and ``free`` held in the heap for reuse. Empty where there is no mallinfo2."""
    if not sys.platform.startswith("linux"):
        return {}
    try:
        fn = ctypes.CDLL("libc.so.6").mallinfo2
    except (OSError, AttributeError):
        return {}
    fn.restype = _MallInfo2
    m = fn()
    return {"in_use": m.uordblks + m.hblkhd, "free": m.fordblks}
