"""One error type for every problem with the app's data files."""

from __future__ import annotations

from pathlib import Path


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
        where = str(self.file)
        if feature:
            where += f": {feature}"
        if field:
            where += f", field '{field}'"
        super().__init__(f"{where}: {message}")
