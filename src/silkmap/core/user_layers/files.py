"""Reading a user's file: a regular file under the size limit, as bytes or as UTF-8 text."""

from __future__ import annotations

import os
from pathlib import Path

from silkmap.core.errors import DataError
from silkmap.core.resources import kind_problem, path_problem
from silkmap.core.user_layers.model import Limits


def check_path(path: Path, limits: Limits) -> int:
    """The file's size; a missing file, a folder, a FIFO or one over the limit is refused."""
    problem = path_problem(path)
    if problem:
        raise DataError(path, "file not found" if "missing" in problem else problem)
    size = os.stat(path).st_size
    if size > limits.file_bytes:
        raise DataError(path, f"is {size / 1e6:,.1f} MB, over the {limits.file_bytes / 1e6:,.0f} MB "
                              "limit for a user layer")
    return size


def read_bytes(path: Path, limits: Limits) -> bytes:
    check_path(path, limits)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise DataError(path, f"cannot be read ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as fh:
        problem = kind_problem(os.fstat(fh.fileno()).st_mode)  # swapped since the check
        if problem:
            raise DataError(path, problem)
        try:
            data = fh.read(limits.file_bytes + 1)
        except OSError as exc:
            raise DataError(path, f"cannot be read ({exc.strerror})") from None
    if len(data) > limits.file_bytes:
        raise DataError(path, "grew over the size limit for a user layer while being read")
    return data


def text_of(path: Path, data: bytes, what: str) -> str:
    """``data`` as UTF-8 text (a byte-order mark allowed); binary data or another encoding is
    one message naming the byte."""
    if not data.strip():
        raise DataError(path, "is empty")
    nul = data.find(b"\x00", 0, 1 << 16)
    if nul >= 0:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise DataError(path, f"is UTF-16 text; save it as UTF-8 {what}")
        raise DataError(path, f"is binary data, not {what} (a NUL byte at byte {nul})")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(path, f"is not UTF-8 text ({exc.reason} at byte {exc.start}); "
                              f"save it as UTF-8 {what}") from None
