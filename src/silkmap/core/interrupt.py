"""Ctrl+C, SIGTERM and SIGHUP end silkmap cleanly: no traceback, no half-written file.

Python's own SIGINT handling raises KeyboardInterrupt wherever the interpreter happens to be:
inside an import (a traceback, or a fatal error when it lands in shiboken's start-up code)
or while a QPainter is active on an image (destroying the device being painted crashes).
SIGTERM and SIGHUP kill the process outright, leaving the temporary file of an export
behind. So :func:`install` (called first thing by ``silkmap.app``) replaces all three with a
handler that only records the signal; the work checks for it at safe points
(:func:`check`: between start-up, painting, encoding and each chunk written) and unwinds
with :class:`Interrupted`, removing its temporary file on the way out. Exit status 128 + the
signal's number (130, 143, 129), as shells report.

Waiting on a worker (:func:`wait`) keeps the check responsive while C++ code runs for seconds.
A second signal while the first is still being handled means "now": the handler removes the
temporary files it knows of and ends the process at once.
"""

from __future__ import annotations

import os
import signal
import threading

SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))

_pending: int | None = None
_temp_files: set[bytes] = set()
_installed = False


class Interrupted(BaseException):
    """The user or the system asked silkmap to stop (a BaseException, as KeyboardInterrupt is:
    ``except Exception`` must not swallow it)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def status(self) -> int:
        return 128 + self.signum

    @property
    def name(self) -> str:
        try:
            return signal.Signals(self.signum).name
        except ValueError:
            return f"signal {self.signum}"


def install() -> None:
    """Record SIGINT, SIGTERM and SIGHUP instead of dying on them (main thread only).

    A signal already ignored (``nohup`` ignores SIGHUP) stays ignored.
    """
    global _installed
    if threading.current_thread() is not threading.main_thread():
        return
    for sig in SIGNALS:
        if signal.getsignal(sig) is signal.SIG_IGN:
            continue
        signal.signal(sig, _record)
    _installed = True


def ignore() -> None:
    """Ignore the three signals from now on (the work is done; only the exit is left)."""
    if not _installed or threading.current_thread() is not threading.main_thread():
        return
    for sig in SIGNALS:
        if signal.getsignal(sig) is _record:
            signal.signal(sig, signal.SIG_IGN)


def _record(signum: int, frame) -> None:
    global _pending
    if _pending is None:
        _pending = signum
        return
    # Asked twice: leave nothing behind and go without waiting for a safe point.
    remove_temp_files()
    try:
        os.write(2, f"silkmap: stopped by {Interrupted(_pending).name}\n".encode())
    except OSError:
        pass
    os._exit(128 + _pending)


def pending() -> int | None:
    """The signal received and not yet acted on, or None."""
    return _pending


def check() -> None:
    """Raise :class:`Interrupted` if a signal came in; call it only where unwinding is safe
    (no QPainter active). Worker threads never raise: the main thread stops for them."""
    if _pending is not None and threading.current_thread() is threading.main_thread():
        raise Interrupted(_pending)


def wait(thread: threading.Thread, step: float = 0.05) -> None:
    """Join ``thread``, checking for a signal every ``step`` seconds meanwhile."""
    while thread.is_alive():
        thread.join(step)
        check()


class temp_file:  # noqa: N801 — used as a context manager, like open()
    """``with temp_file(path):`` registers ``path`` as a temporary file to remove if silkmap
    is stopped while it exists. (No contextlib: this module loads before anything else.)"""

    def __init__(self, path: bytes) -> None:
        self.path = path

    def __enter__(self) -> bytes:
        _temp_files.add(self.path)
        return self.path

    def __exit__(self, *exc) -> None:
        _temp_files.discard(self.path)


def remove_temp_files() -> None:
    for path in list(_temp_files):
        try:
            os.unlink(path)
        except OSError:
            pass


def reset() -> None:
    """Forget a recorded signal (tests, and a window that handled it)."""
    global _pending
    _pending = None
