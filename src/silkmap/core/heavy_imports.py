"""numpy and the libraries built on it, imported by one thread at a time.

After the first paint several workers start at once (picking imports shapely, the charts
matplotlib, relief and lakes numpy). Two threads inside numpy's first import can leave one of
them with a partially initialised ``numpy._core._multiarray_umath`` ("cannot import name
'__cpu_features__'"), and numpy then refuses to load again for the rest of the process: the
map loses its relief, picking and charts. So the first import of each goes through one lock;
once a library is in ``sys.modules`` whole, ``ensure`` costs a dictionary look-up.
"""

from __future__ import annotations

import importlib
import sys
import threading

_lock = threading.RLock()  # re-entrant: shapely's import may come back here for numpy


def _loaded(name: str) -> bool:
    module = sys.modules.get(name)
    spec = getattr(module, "__spec__", None)
    return module is not None and not getattr(spec, "_initializing", False)


def ensure(*names: str) -> None:
    """Import ``names`` (default: numpy) unless they are already whole; one thread at a time.

    An ImportError is left to the code that uses the library, which says what is missing.
    """
    names = names or ("numpy",)
    if all(_loaded(n) for n in names):
        return
    with _lock:
        for name in names:
            if not _loaded(name):
                try:
                    importlib.import_module(name)
                except ImportError:
                    pass
