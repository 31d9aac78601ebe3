"""Ctrl+C, SIGTERM and SIGHUP close the window as File → Quit would, exit status 128 + N.

The signal itself is only recorded (core/interrupt.py); Qt's event loop runs in C++ and
would not give Python's handler a chance to run, so a timer wakes the interpreter a few
times a second to look.
"""

from __future__ import annotations

from silkmap.core import interrupt

POLL_MS = 200


def quit_on_signal(app):
    """Poll for a recorded signal while ``app`` runs; on one, close the windows and exit."""
    from PySide6.QtCore import QTimer

    timer = QTimer(app)
    timer.setInterval(POLL_MS)

    def poll() -> None:
        signum = interrupt.pending()
        if signum is None:
            return
        timer.stop()
        close_all = getattr(app, "closeAllWindows", None)
        if close_all is not None:
            close_all()  # the windows save their state as on any close
        app.exit(128 + signum)

    timer.timeout.connect(poll)
    timer.start()
    return timer
