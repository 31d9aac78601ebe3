"""Find the app's data files the same way in a checkout, an installed wheel and a bundle.

The wheel and the PyInstaller bundle both place the data at ``silkmap/assets/geo`` next to
the package; a source checkout keeps it at the repository's top-level ``assets/geo``.
``SILKMAP_ASSETS`` overrides both (tests use it to feed broken files).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from silkmap.core.errors import DataError

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


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


def asset_path(name: str) -> Path:
    path = asset_dir() / name
    if not path.is_file():
        raise DataError(path, "data file is missing (the installation is incomplete)")
    return path
