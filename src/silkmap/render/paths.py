"""shapely geometries → QPainterPath, fast.

Building QPolygonF point by point from Python costs seconds for the 1:10m boundaries;
QDataStream reads the same polygon from one bytes buffer (Qt's serialisation of QPolygonF:
a big-endian uint32 count followed by big-endian double x, y pairs).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QByteArray, QDataStream, QIODevice, Qt
from PySide6.QtGui import QPainterPath, QPolygonF


def polygon_from_array(xy: np.ndarray) -> QPolygonF:
    xy = np.ascontiguousarray(xy[:, :2], dtype=">f8")
    buf = np.array([len(xy)], dtype=">u4").tobytes() + xy.tobytes()
    poly = QPolygonF()
    data = QByteArray(buf)  # the stream reads from it: it must outlive the stream
    stream = QDataStream(data, QIODevice.OpenModeFlag.ReadOnly)
    stream >> poly
    if poly.size() != len(xy):
        raise ValueError(f"polygon decode failed: {poly.size()} of {len(xy)} points")
    return poly


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


def line_path(xy: np.ndarray) -> QPainterPath:
    path = QPainterPath()
    path.addPolygon(polygon_from_array(xy))
    return path
