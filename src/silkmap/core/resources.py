"""Find the app's data files the same way in a checkout, an installed wheel and a bundle.

The wheel and the PyInstaller bundle both place the data at ``silkmap/assets/geo`` next to
the package; a source checkout keeps it at the repository's top-level ``assets/geo``.
``SILKMAP_ASSETS`` overrides both (tests use it to feed broken files).
"""

from __future__ import annotations

import errno
import os
import stat
from functools import cache
from pathlib import Path

from silkmap.core.errors import DataError

_PACKAGE_DIR = Path(__file__).resolve().parent.parent
MISSING = "data file is missing (the installation is incomplete)"


def _candidates() -> list[Path]:
    override = os.environ.get("SILKMAP_ASSETS")
    if override:
        return [Path(override)]
    return [_PACKAGE_DIR / "assets" / "geo", _PACKAGE_DIR.parent.parent / "assets" / "geo"]


@cache
def _asset_dir_for(candidates: tuple[Path, ...]) -> Path:
    for path in candidates:
        if path.is_dir():
            return path
    raise DataError(candidates[0], "data folder not found (the installation is incomplete)")


def asset_dir() -> Path:
    return _asset_dir_for(tuple(_candidates()))


def kind_problem(mode: int) -> str | None:
    """Why a file of this ``st_mode`` cannot be a data file, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a folder, not a data file"
    if stat.S_ISFIFO(mode):
        return "is a named pipe (FIFO), not a data file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a data file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a data file"
    return "is not a regular file"


def path_problem(path: Path) -> str | None:
    """What is wrong with ``path`` as a data file (missing, a folder, a FIFO, a link loop…)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return "is a broken symbolic link" if os.path.islink(path) else MISSING
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "is a symbolic link loop"
        return f"cannot be read ({exc.strerror})"
    except ValueError:  # a NUL byte in the name
        return "has an invalid name"
    return kind_problem(st.st_mode)


def asset_path(name: str) -> Path:
    path = asset_dir() / name
    problem = path_problem(path)
    if problem:
        raise DataError(path, problem)
    return path
