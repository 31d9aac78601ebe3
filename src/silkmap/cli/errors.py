"""Exit statuses and the one-line error every bad command line ends in."""

from __future__ import annotations

EXIT_OK = 0
EXIT_USAGE = 2  # bad option or value
EXIT_DATA = 3  # an asset file is broken
EXIT_WRITE = 4  # the output cannot be written


class CliError(Exception):
    """A bad command-line value: one line on stderr, exit status 2 (or ``status``)."""

    def __init__(self, message: str, status: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.status = status
