"""Write a file so that it is either complete or not there at all.

The bytes go to a temporary file beside the target, are flushed to the disk and renamed over
the target only when all of them are written: a full disk, an I/O error or a signal leaves the
target as it was (absent, or the previous version) and no temporary file behind. Every short
or failed write is an error (``OSError``), never a silently truncated file.
"""

from __future__ import annotations

import errno
import os
import secrets
from pathlib import Path

from silkmap.core import interrupt

NAME_MAX = 255  # bytes in one path component on Linux, macOS and Windows file systems
CHUNK = 1 << 20
_TOKEN_HEX = 8
_SUFFIX = b".part"


def temp_name(name: bytes) -> bytes:
    """``.NAME.XXXXXXXX.part``, with NAME cut so the whole stays a legal file name: the target's
    own name may be as long as the file system allows."""
    room = NAME_MAX - len(b"..") - _TOKEN_HEX - len(_SUFFIX)
    return b"." + name[:room] + b"." + secrets.token_hex(_TOKEN_HEX // 2).encode() + _SUFFIX


def write_atomically(path: Path | str, data: bytes | bytearray | memoryview) -> None:
    """Write ``data`` to ``path`` atomically, with the permissions a new file gets from the
    umask (or those of the file it replaces). Checks for a signal between chunks."""
    target = os.fsencode(path)
    folder, name = os.path.split(target)
    tmp = os.path.join(folder, temp_name(name))
    try:
        mode = os.stat(target).st_mode & 0o7777
    except FileNotFoundError:
        mode = None
    view = memoryview(data).cast("B")
    with interrupt.temp_file(tmp):
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
        try:
            try:
                if mode is not None:
                    os.fchmod(fd, mode)
                written = 0
                while written < len(view):
                    interrupt.check()
                    n = os.write(fd, view[written:written + CHUNK])
                    if n <= 0:
                        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                    written += n
                try:
                    os.fsync(fd)
                except OSError as exc:
                    if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EROFS):
                        raise
            finally:
                os.close(fd)
            interrupt.check()
            os.replace(tmp, target)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
