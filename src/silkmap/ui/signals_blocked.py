from __future__ import annotations

from contextlib import contextmanager


@contextmanager
def signals_blocked(obj):
    """Update a widget programmatically without echoing the change back to the model."""
    previous = obj.blockSignals(True)
    try:
        yield
    finally:
        obj.blockSignals(previous)
