"""Load a user file as a layer: the format from its suffix (or, failing that, its first bytes),
read under the limits, projected. Every problem is one ``DataError`` naming the file."""

from __future__ import annotations

from pathlib import Path

from silkmap.core.errors import DataError
from silkmap.core.user_layers.model import DEFAULT_LIMITS, Limits, Progress, UserData
from silkmap.core.user_layers.ogr import FORMATS as OGR_FORMATS

SUFFIXES = {".geojson": "geojson", ".json": "geojson", ".csv": "csv", ".tsv": "csv",
            ".txt": "csv", ".kml": "kml", ".kmz": "kmz", ".gpkg": "ogr", ".shp": "ogr"}
# For the file dialog's filter.
PATTERNS = tuple(f"*{s}" for s in SUFFIXES)


def format_of(path: Path) -> str:
    kind = SUFFIXES.get(path.suffix.lower())
    if kind:
        return kind
    raise DataError(path, f"has a file type silkmap does not read ({path.suffix or 'no suffix'}); "
                          "user layers are GeoJSON, CSV, KML, KMZ, GeoPackage or Shapefile")


def _read_kmz(path: Path, limits: Limits, progress: Progress) -> UserData:
    import zipfile

    from silkmap.core.user_layers.files import check_path
    from silkmap.core.user_layers.kml import parse_kml

    check_path(path, limits)
    try:
        with zipfile.ZipFile(path) as zf:
            entries = [i for i in zf.infolist() if i.filename.lower().endswith(".kml") and not i.is_dir()]
            if not entries:
                raise DataError(path, "is a KMZ without a .kml document inside")
            entry = next((i for i in entries if i.filename.lower() == "doc.kml"), entries[0])
            with zf.open(entry) as fh:
                data = fh.read(limits.file_bytes + 1)  # a zip bomb stops at the limit
    except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError) as exc:
        raise DataError(path, f"is not a readable KMZ (zip) file ({exc})") from None
    if len(data) > limits.file_bytes:
        raise DataError(path, "holds a KML document over the size limit for a user layer")
    return parse_kml(path, data, limits, progress)


def load(path: str | Path, options: dict | None = None, limits: Limits = DEFAULT_LIMITS,
         progress: Progress | None = None) -> UserData:
    """The file at ``path`` read and projected; raises ``DataError`` (one line) or
    ``model.Cancelled`` when ``progress`` says the user cancelled."""
    path = Path(path)
    progress = progress or Progress()
    kind = format_of(path)
    progress(0.0)
    if kind == "geojson":
        from silkmap.core.user_layers.geojson import read_geojson

        data = read_geojson(path, limits, progress)
    elif kind == "csv":
        from silkmap.core.user_layers.csv_table import read_csv

        data = read_csv(path, limits, progress, options)
    elif kind == "kml":
        from silkmap.core.user_layers.kml import read_kml

        data = read_kml(path, limits, progress)
    elif kind == "kmz":
        data = _read_kmz(path, limits, progress)
    else:
        from silkmap.core.user_layers.ogr import read_ogr

        data = read_ogr(path, limits, progress, options)
    progress(1.0)
    return data


__all__ = ["load", "format_of", "SUFFIXES", "PATTERNS", "OGR_FORMATS"]
