"""What the commands print: results on stdout, one-line messages on stderr.

Neither may end in a traceback: stdout may be closed (``>&-``), full (``>/dev/full``), a pipe
whose reader has gone (``| head -1``) or in an encoding without the text's characters
(``PYTHONIOENCODING=ascii``); stderr may be any of those too.
"""

from __future__ import annotations

import errno
import os
import sys

from silkmap.cli.errors import EXIT_WRITE, CliError
from silkmap.core.oneline import one_line
from silkmap.i18n import _


def say(message: str) -> None:
    """``silkmap: message`` as one line on stderr, or nothing if stderr cannot take it."""
    err = sys.stderr
    if err is None:
        return
    try:
        line = "silkmap: " + one_line(message) + "\n"
        encoding = getattr(err, "encoding", None) or "utf-8"
        err.write(line.encode(encoding, "backslashreplace").decode(encoding, "replace"))
        err.flush()
    except (OSError, ValueError):
        pass


def encodes(text: str) -> bool:
    """Whether stdout's encoding has every character of ``text``."""
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def write_stdout(text: str) -> None:
    """Write ``text`` to stdout and flush it; a CliError (exit 4) if stdout cannot take it.
    Characters the encoding lacks are written as backslash escapes."""
    out = sys.stdout
    if out is None:
        raise _stdout_error(OSError(errno.EBADF, os.strerror(errno.EBADF)))
    try:
        if not encodes(text):
            encoding = out.encoding or "utf-8"
            text = text.encode(encoding, "backslashreplace").decode(encoding)
        out.write(text)
        out.flush()
    except OSError as exc:
        raise _stdout_error(exc) from None


def flush_stdout() -> None:
    """Flush what argparse (--help, --version) or a command left in stdout's buffer."""
    if sys.stdout is None:
        return
    try:
        sys.stdout.flush()
    except OSError as exc:
        raise _stdout_error(exc) from None
    except ValueError:  # closed file object
        pass


def _stdout_error(exc: OSError) -> CliError:
    _drop_stdout()
    return CliError(_("cannot write to standard output: {reason}").format(reason=exc.strerror or exc),
                    status=EXIT_WRITE)


def _drop_stdout() -> None:
    """Point fd 1 at /dev/null: the interpreter flushes stdout once more at exit, and what is
    left in the buffer must not fail a second time (``Exception ignored … BrokenPipeError``)."""
    try:
        if sys.stdout is not None and sys.stdout.fileno() == 1:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass
    except Exception:  # a test's capture object without a real descriptor
        pass
