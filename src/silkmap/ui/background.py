"""Background work that stops cleanly when the window closes.

Interpreter shutdown while a worker still builds Qt paths aborts the process, so every
worker checks a stop flag between small steps and the window joins them on close.
"""

from __future__ import annotations

import atexit
import threading

_workers: list[tuple[threading.Thread, threading.Event]] = []


def start(name: str, fn, *args, stop_event: threading.Event | None = None) -> threading.Event:
    """Run ``fn(*args, stop=event)`` in a thread; ``stop_all`` sets the event and waits.
    ``stop_event``: the caller's own flag (one that also wakes a waiting worker, say)."""
    stop = stop_event if stop_event is not None else threading.Event()
    thread = threading.Thread(target=fn, args=args, kwargs={"stop": stop}, name=name, daemon=True)
    _workers.append((thread, stop))
    thread.start()
    return stop


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
