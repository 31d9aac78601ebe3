"""One error type for every problem with the app's data files."""

from __future__ import annotations

import re
from pathlib import Path

# Control characters (newlines above all) would split the one-line message.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: object, limit: int = 160) -> str:
    """``text`` on one line and at most ``limit`` characters, cut in the middle."""
    s = _CONTROL.sub(lambda m: repr(m.group())[1:-1], str(text))
    if len(s) > limit:
        half = (limit - 1) // 2
        s = f"{s[:half]}…{s[-half:]}"
    return s


def shown(value: object, limit: int = 60) -> str:
    """A data value as quoted in a message: its repr, cut short."""
    try:
        text = repr(value)
    except (RecursionError, ValueError):  # nested too deeply, or an int too long to print
        text = f"<{type(value).__name__}>"
    return one_line(text, limit)


class DataError(Exception):
    """A data file is missing, unreadable or fails validation.

    The message is one line naming the file, and where known the feature and field,
    so a user (or a maintainer editing assets) can go straight to the problem.
    """

    def __init__(self, file: str | Path, message: str, *, feature: str | None = None,
                 field: str | None = None) -> None:
        self.file = Path(file)
        self.feature = feature
        self.field = field
        self.message = message
        where = one_line(self.file, 300)
        if feature:
            where += f": {one_line(feature, 80)}"
        if field:
            where += f", field '{one_line(field, 120)}'"
        super().__init__(f"{where}: {one_line(message, 300)}")
