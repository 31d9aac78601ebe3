"""The map projection: Albers equal-area conic centred on Central Asia.

Standard parallels 30°N and 50°N bracket the region from the Pamirs to northern Kazakhstan,
so areas are true and shapes stay close to true across all six countries. Everything is
projected once, at load time; the UI works in these metres.
"""

from __future__ import annotations

from functools import cache

PROJ4 = "+proj=aea +lat_0=40 +lon_0=80 +lat_1=30 +lat_2=50 +ellps=WGS84 +units=m +no_defs"
NAME = "Albers equal-area conic (lat1 30°N, lat2 50°N, lon0 80°E, WGS84)"
_GEOGRAPHIC = "+proj=longlat +ellps=WGS84 +no_defs"


@cache
def _forward():
    from pyproj import Transformer

    return Transformer.from_crs(_GEOGRAPHIC, PROJ4, always_xy=True)


@cache
def _inverse():
    from pyproj import Transformer

    return Transformer.from_crs(PROJ4, _GEOGRAPHIC, always_xy=True)


def project(lon, lat):
    """Project longitude/latitude (degrees, scalars or arrays) to map metres."""
    return _forward().transform(lon, lat)


def unproject(x, y):
    return _inverse().transform(x, y)


def project_coords(coords):
    import numpy as np

    x, y = _forward().transform(coords[:, 0], coords[:, 1])
    return np.column_stack([x, y])

