"""Values as they may appear in a one-line message.

A bad value is echoed so the user sees what was wrong, but a newline in it must not split
the message, a terminal escape must not act, undecodable bytes of a file name must not
raise, and a 100,000-character argument must not fill the screen.
"""

from __future__ import annotations

LIMIT = 120  # characters of a value kept in a message
MESSAGE_LIMIT = 1000  # characters of a whole message


def _escaped(text: str) -> str:
    try:
        # Undecodable bytes of a file name (surrogateescape) as \xff, as Python shows bytes.
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    # Keep both ends: a path's folder and its file name, a number's first and last digits.
    tail = limit // 3
    return f"{text[:limit - tail - 1]}…{text[-tail:]}"


def shown(value, limit: int = LIMIT) -> str:
    """``value`` escaped (control characters, undecodable bytes) and cut to ``limit`` characters
    in the middle, with an ellipsis."""
    return _cut(_escaped(str(value)), limit)


def one_line(message: str, limit: int = MESSAGE_LIMIT) -> str:
    """A whole message made safe to print as one line; any over-long word is cut as ``shown`` cuts."""
    words = [_cut(w, LIMIT) for w in _escaped(str(message)).split(" ")]
    return _cut(" ".join(words), limit)
