"""Coordinates → QPainterPath, fast.

Building QPolygonF point by point from Python costs seconds for the 1:10m boundaries;
QDataStream reads the same polygon from one bytes buffer (Qt's serialisation of QPolygonF:
a big-endian uint32 count followed by big-endian double x, y pairs).
"""

from __future__ import annotations

import struct
import sys
from array import array

from PySide6.QtCore import QByteArray, QDataStream, QIODevice, Qt
from PySide6.QtGui import QPainterPath, QPolygonF


def _decode(n: int, be_doubles: bytes) -> QPolygonF:
    poly = QPolygonF()
    data = QByteArray(struct.pack(">I", n) + be_doubles)  # the stream reads from it: it must outlive the stream
    stream = QDataStream(data, QIODevice.OpenModeFlag.ReadOnly)
    stream >> poly
    if poly.size() != n:
        raise ValueError(f"polygon decode failed: {poly.size()} of {n} points")
    return poly


def polygon_from_xy(flat) -> QPolygonF:
    """A polygon from x0, y0, x1, y1, … (any sequence of numbers, e.g. an ``array``)."""
    xy = flat if isinstance(flat, array) and flat.typecode == "d" else array("d", flat)
    if sys.byteorder == "little":
        xy = array("d", xy)
        xy.byteswap()
    return _decode(len(xy) // 2, xy.tobytes())


def polygon_from_array(xy) -> QPolygonF:
    """A polygon from an (n, 2+) numpy array."""
    import numpy as np

    xy = np.ascontiguousarray(xy[:, :2], dtype=">f8")
    return _decode(len(xy), xy.tobytes())


def area_path(geom) -> QPainterPath:
    """A (Multi)Polygon as one path; holes cut out by the odd-even rule."""
    import shapely

    path = QPainterPath()
    path.setFillRule(Qt.FillRule.OddEvenFill)
    for poly in getattr(geom, "geoms", [geom]):
        if poly.is_empty:
            continue
        for ring in [poly.exterior, *poly.interiors]:
            coords = shapely.get_coordinates(ring)
            if len(coords) >= 3:
                path.addPolygon(polygon_from_array(coords))
                path.closeSubpath()
    return path


def rings_path(rings) -> QPainterPath:
    """Closed rings (flat x, y sequences) as one path, holes cut out by the odd-even rule:
    the same path ``area_path`` makes from the polygon those rings came from."""
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.OddEvenFill)
    for ring in rings:
        path.addPolygon(polygon_from_xy(ring))
        path.closeSubpath()
    return path


def line_path(flat) -> QPainterPath:
    """An open path through x0, y0, x1, y1, …"""
    path = QPainterPath()
    path.addPolygon(polygon_from_xy(flat))
    return path
