"""CSV with latitude/longitude columns or a WKT geometry column, in WGS84.

The delimiter (comma, semicolon, tab or bar) and the coordinate columns are detected from the
header (``detect``) and may be confirmed or chosen by the user (``options`` of the layer spec:
``lat``, ``lon`` or ``wkt``, ``delimiter``). A semicolon-separated file may write decimal
commas ("43,25"), as spreadsheets in much of Europe and Central Asia do.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path

from silkmap.core.errors import DataError, shown
from silkmap.core.user_layers.files import read_bytes, text_of
from silkmap.core.user_layers.model import Collector, Limits, Progress, Table, UserData

LAT_NAMES = ("lat", "latitude", "y", "lat_dd", "latitude_dd", "широта", "纬度", "緯度")
LON_NAMES = ("lon", "lng", "long", "longitude", "x", "lon_dd", "longitude_dd", "долгота", "经度", "經度")
WKT_NAMES = ("wkt", "geometry", "geom", "the_geom", "wkt_geom", "shape")
DELIMITERS = (",", ";", "\t", "|")
MAX_FIELD = 1 << 20  # characters of one cell (a WKT polygon may be long)


@dataclass(frozen=True)
class Columns:
    """How a CSV's rows hold their place: ``lat`` and ``lon`` column names, or ``wkt``."""

    delimiter: str
    header: tuple[str, ...]
    lat: str | None = None
    lon: str | None = None
    wkt: str | None = None

    @property
    def found(self) -> bool:
        return bool(self.wkt or (self.lat and self.lon))

    def options(self) -> dict[str, str]:
        out = {"delimiter": self.delimiter}
        if self.wkt:
            out["wkt"] = self.wkt
        else:
            out.update(lat=self.lat, lon=self.lon)
        return out


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _pick(header: tuple[str, ...], names: tuple[str, ...]) -> str | None:
    folded = {h.strip().lower(): h for h in header}
    return next((folded[n] for n in names if n in folded), None)


def _text(path: Path, limits: Limits) -> str:
    return text_of(path, read_bytes(path, limits), "CSV")


def _header(path: Path, text: str, delimiter: str | None) -> tuple[str, tuple[str, ...]]:
    first = text.split("\n", 1)[0].rstrip("\r")
    delim = delimiter or _delimiter(first)
    try:
        header = tuple(next(csv.reader([first], delimiter=delim)))
    except (csv.Error, StopIteration):
        raise DataError(path, "has no header row") from None
    if not any(h.strip() for h in header):
        raise DataError(path, "has an empty header row")
    return delim, header


def columns_of(path: Path, text: str, options: dict | None = None) -> Columns:
    options = options or {}
    delim, header = _header(path, text, options.get("delimiter"))
    for key in ("lat", "lon", "wkt"):
        if key in options and options[key] not in header:
            raise DataError(path, f"has no column {shown(options[key])} (its columns: "
                                  f"{shown(', '.join(header), 200)})")
    if "wkt" in options:
        return Columns(delim, header, wkt=options["wkt"])
    if "lat" in options or "lon" in options:
        return Columns(delim, header, lat=options.get("lat") or _pick(header, LAT_NAMES),
                       lon=options.get("lon") or _pick(header, LON_NAMES))
    lat, lon = _pick(header, LAT_NAMES), _pick(header, LON_NAMES)
    if lat and lon:
        return Columns(delim, header, lat=lat, lon=lon)
    return Columns(delim, header, wkt=_pick(header, WKT_NAMES))


def detect(path: Path, limits: Limits | None = None) -> Columns:
    """The delimiter and coordinate columns guessed from the header, for the user to confirm."""
    from silkmap.core.user_layers.model import DEFAULT_LIMITS

    return columns_of(path, _text(path, limits or DEFAULT_LIMITS))


def _number(cell: str, decimal_comma: bool) -> float:
    cell = cell.strip()
    if decimal_comma:
        cell = cell.replace(",", ".")
    value = float(cell)
    if not math.isfinite(value):
        raise ValueError(cell)
    return value


def read_csv(path: Path, limits: Limits, progress: Progress, options: dict | None = None) -> UserData:
    col = Collector(path, limits)
    text = _text(path, limits)
    cols = columns_of(path, text, options)
    if not cols.found:
        raise DataError(path, "has no coordinate columns: name them lat and lon (or latitude/"
                              f"longitude, y/x), or wkt; its columns are {shown(', '.join(cols.header), 200)}")
    csv.field_size_limit(MAX_FIELD)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=cols.delimiter)
    try:
        header = next(reader)
    except csv.Error as exc:
        raise col.error(f"has a malformed header ({exc})") from None
    width = len(header)
    total = max(1, text.count("\n"))
    rows: list[list[str]] = []
    lines: list[int] = []  # each kept row's line in the file, for messages
    try:
        for row in reader:
            if not any(row) or (not all(row) and not "".join(row).strip()):
                continue  # a blank line
            rows.append(row)
            lines.append(reader.line_num)
            if len(rows) % 10000 == 0:
                if len(rows) > limits.features:
                    raise col.error(f"has more than {limits.features:,} features, the limit for a user layer")
                progress(0.6 * reader.line_num / total)
    except csv.Error as exc:
        raise col.error(f"is not a well-formed CSV ({exc})", feature=f"row {reader.line_num}") from None
    if not rows:
        raise col.error("has no rows below its header")
    for i, row in enumerate(rows):
        if len(row) != width:
            if len(row) > width:
                raise col.error(f"has {len(row)} fields where the header has {width}", feature=f"row {lines[i]}")
            row += [""] * (width - len(row))
    progress(0.65)
    columns = list(zip(*rows))
    del rows
    idx = {h: i for i, h in reversed(list(enumerate(header)))}
    keep = [i for i, h in enumerate(header) if h not in (cols.lat, cols.lon, cols.wkt) and h.strip()]
    table = Table(tuple(header[i] for i in keep), [columns[i] for i in keep], len(lines))
    if cols.wkt:
        col.table = table
        _add_wkt([(i, w, f"row {lines[i]}") for i, w in enumerate(columns[idx[cols.wkt]])], col, progress)
    else:
        decimal_comma = cols.delimiter != ","
        lat = _numbers(path, columns[idx[cols.lat]], cols.lat, lines, decimal_comma)
        lon = _numbers(path, columns[idx[cols.lon]], cols.lon, lines, decimal_comma)
        col.bulk_points(table, lon, lat)
    progress(0.9)
    return col.finish("CSV")


def _numbers(path: Path, cells, name: str, lines: list[int], decimal_comma: bool):
    """A column of numbers as a float array, or one message naming the first bad cell."""
    import numpy as np

    if decimal_comma:
        cells = [c.replace(",", ".") for c in cells]
    try:
        values = np.array(cells, dtype=np.float64)
    except ValueError:
        values = None
    if values is not None and np.isfinite(values).all():
        return values
    for i, c in enumerate(cells):  # the slow way, only to name the bad one
        if not _is_number(c, False):
            raise DataError(path, f"{shown(c)} is not a number", feature=f"row {lines[i]}", field=name)
    raise DataError(path, "has a coordinate that is not a number", field=name)  # pragma: no cover


def _is_number(cell: str, decimal_comma: bool) -> bool:
    try:
        _number(cell, decimal_comma)
        return True
    except ValueError:
        return False


def _add_wkt(rows: list[tuple[int, str, str]], col: Collector, progress: Progress) -> None:
    import shapely

    from silkmap.core.user_layers.shapes import add_shapely

    for n, (fid, wkt, where) in enumerate(rows):
        if not wkt.strip():
            continue
        try:
            geom = shapely.from_wkt(wkt)
        except shapely.errors.GEOSException:
            raise col.error(f"has a WKT geometry that cannot be read: {shown(wkt)}", feature=where) from None
        add_shapely(geom, fid, col, where)
        if n % 2000 == 0:
            progress(0.8 + 0.1 * n / len(rows))
