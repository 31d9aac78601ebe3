"""Shapely geometries (from WKT in a CSV, WKB from GDAL) into a reader's collector."""

from __future__ import annotations

from silkmap.core.user_layers.model import Collector


def add_shapely(geom, fid: int, col: Collector, where: str) -> None:
    import shapely

    if geom is None or geom.is_empty:
        return
    kind = geom.geom_type
    if kind == "Point":
        col.point(fid, float(geom.x), float(geom.y))
    elif kind == "LineString" or kind == "LinearRing":
        col.line(fid, shapely.get_coordinates(geom).tolist())
    elif kind == "Polygon":
        col.polygon(fid, [shapely.get_coordinates(r).tolist() for r in (geom.exterior, *geom.interiors)])
    elif kind.startswith("Multi") or kind == "GeometryCollection":
        for part in geom.geoms:
            add_shapely(part, fid, col, where)
    else:
        raise col.error(f"has an unsupported geometry type {kind}", feature=where)
