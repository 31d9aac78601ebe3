"""GeoPackage and Shapefile through pyogrio (GDAL), when it is installed.

pyogrio is optional: a source install has it (geopandas brings it), the bundle leaves GDAL
out for its size. Without it these formats are refused with a message saying so. The file's
own CRS is used; a file without one (a Shapefile missing its .prj) or with one pyproj does not
know is refused, never guessed.
"""

from __future__ import annotations

import math
from pathlib import Path

from silkmap.core.errors import DataError
from silkmap.core.user_layers.files import check_path
from silkmap.core.user_layers.model import Collector, Limits, Progress, UserData

FORMATS = {".gpkg": "GeoPackage", ".shp": "Shapefile"}


def available() -> bool:
    try:
        import pyogrio  # noqa: F401
    except ImportError:
        return False
    return True


def read_ogr(path: Path, limits: Limits, progress: Progress, options: dict | None = None) -> UserData:
    fmt = FORMATS[path.suffix.lower()]
    check_path(path, limits)
    if fmt == "Shapefile":
        for part in (".shx", ".dbf"):
            if not path.with_suffix(part).exists() and not path.with_suffix(part.upper()).exists():
                raise DataError(path, f"is a Shapefile without its {part} file next to it")
    try:
        import pyogrio
        import shapely
    except ImportError:
        raise DataError(path, f"is a {fmt}, which this installation of silkmap cannot read "
                              "(it needs pyogrio and GDAL: pip install pyogrio)") from None
    layer = (options or {}).get("layer")
    col = Collector(path, limits)
    try:
        # Only local files: a /vsicurl/ or URL path never reaches GDAL (the path is checked to
        # be a regular file above, and is passed as a plain path).
        info = pyogrio.read_info(str(path), layer=layer)
    except Exception as exc:  # noqa: BLE001 - GDAL's errors come in many classes
        raise DataError(path, f"cannot be read as a {fmt} ({_gdal_message(exc)})") from None
    count = info.get("features") or 0
    if count > limits.features:
        raise col.error(f"has {count:,} features, more than the {limits.features:,} allowed in a user layer")
    crs = info.get("crs")
    if not crs:
        raise col.error("has no coordinate reference system (a Shapefile needs its .prj file)")
    progress(0.1)
    try:
        _meta, _fids, wkb, field_data = pyogrio.raw.read(str(path), layer=layer,
                                                         max_features=limits.features + 1)
    except Exception as exc:  # noqa: BLE001
        raise DataError(path, f"cannot be read as a {fmt} ({_gdal_message(exc)})") from None
    progress(0.6)
    names = list(_meta.get("fields", []))
    geoms = shapely.from_wkb(wkb, on_invalid="ignore") if wkb is not None else []
    from silkmap.core.user_layers.shapes import add_shapely

    for i, geom in enumerate(geoms):
        attrs = {n: _plain(col_values[i]) for n, col_values in zip(names, field_data)}
        fid = col.feature(attrs)
        add_shapely(geom, fid, col, f"feature {i + 1}")
    progress(0.8)
    return col.finish(fmt, crs)


def _plain(value):
    """numpy scalars and dates as plain values for the panel."""
    if value is None:
        return None
    item = getattr(value, "item", None)
    value = item() if callable(item) else value
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _gdal_message(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:160] if text else type(exc).__name__
