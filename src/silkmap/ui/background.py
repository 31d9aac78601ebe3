"""Background work that stops cleanly when the window closes.

Interpreter shutdown while a worker still builds Qt paths aborts the process, so every
worker checks a stop flag between small steps and the window joins them on close.
"""

from __future__ import annotations

import atexit
import threading

from silkmap.core import heavy_imports

_workers: list[tuple[threading.Thread, threading.Event]] = []


def start(name: str, fn, *args, stop_event: threading.Event | None = None,
          imports: tuple[str, ...] = ("numpy",)) -> threading.Event:
    """Run ``fn(*args, stop=event)`` in a thread; ``stop_all`` sets the event and waits.
    ``stop_event``: the caller's own flag (one that also wakes a waiting worker, say).
    ``imports``: libraries the thread imports first, one thread at a time (core/heavy_imports.py);
    () for a thread that starts before the first paint and must not pay for them."""
    stop = stop_event if stop_event is not None else threading.Event()
    thread = threading.Thread(target=_run, args=(fn, args, stop, imports), name=name, daemon=True)
    _workers.append((thread, stop))
    thread.start()
    return stop


def _run(fn, args, stop: threading.Event, imports: tuple[str, ...]) -> None:
    # Workers start together after the first paint, and most of them need numpy: its first
    # import is made by one of them while the others wait.
    if imports:
        heavy_imports.ensure(*imports)
    fn(*args, stop=stop)


class WakingEvent(threading.Event):
    """A stop flag that also wakes a worker waiting on ``cv`` for its next piece of work."""

    def __init__(self, cv: threading.Condition) -> None:
        super().__init__()
        self._wake = cv

    def set(self) -> None:
        super().set()
        with self._wake:
            self._wake.notify_all()


def stop_all(timeout: float = 10.0) -> None:
    for _thread, stop in _workers:
        stop.set()
    for thread, _stop in _workers:
        thread.join(timeout)
    _workers.clear()


# A paint during shutdown can start a worker after the window's own stop_all; the
# interpreter must still not exit under it.
atexit.register(stop_all)
