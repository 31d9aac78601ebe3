"""What a reader hands over (features in the file's own coordinates) and what a layer draws
(the same features projected to map metres), with the limits every reader keeps to.

Readers collect parts as plain coordinate lists into :class:`Collector`, which counts features
and vertices as they come, so a file over a limit stops at the limit instead of filling memory.
``Collector.finish`` checks and projects every coordinate in one vectorised call.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from silkmap.core.errors import DataError

WGS84 = "EPSG:4326"
MAX_ATTRIBUTES = 200  # fields per feature
MAX_VALUE_CHARS = 2000  # an attribute's text as kept for the panel


@dataclass(frozen=True)
class Limits:
    """What one user file may hold; beyond it the file is refused with the limit named."""

    file_bytes: int = 256 * 1024 * 1024
    features: int = 1_000_000
    vertices: int = 10_000_000


DEFAULT_LIMITS = Limits()


class Cancelled(Exception):
    """The user cancelled a load; nothing was added."""


class Progress:
    """Reports the fraction read and asks whether to stop; both optional."""

    def __init__(self, report: Callable[[float], None] | None = None,
                 cancelled: Callable[[], bool] | None = None) -> None:
        self._report = report
        self._cancelled = cancelled

    def __call__(self, fraction: float) -> None:
        if self._cancelled is not None and self._cancelled():
            raise Cancelled()
        if self._report is not None:
            self._report(min(1.0, max(0.0, fraction)))


def attribute_text(value: Any) -> str:
    """An attribute as the panel shows it: plain text, cut short. Never markup: the panel
    escapes it, and nothing in a user file is ever interpreted."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        text = str(int(value))
    elif isinstance(value, (dict, list)):
        import json

        text = json.dumps(value, ensure_ascii=False)
    else:
        text = str(value)
    return text if len(text) <= MAX_VALUE_CHARS else text[:MAX_VALUE_CHARS - 1] + "…"


class Table:
    """Attributes kept by column (a CSV's): a feature's dict is made when it is asked for, so
    100,000 rows cost 100,000 strings per column, not 100,000 dicts."""

    def __init__(self, fields: tuple[str, ...], columns: list, rows: int) -> None:
        self.fields = fields
        self.columns = columns
        self.rows = rows

    def __len__(self) -> int:
        return self.rows

    def __getitem__(self, fid: int) -> dict[str, str]:
        if not 0 <= fid < len(self):
            raise IndexError(fid)
        return {f: attribute_text(c[fid]) for f, c in zip(self.fields, self.columns)}

    def __iter__(self):
        return (self[i] for i in range(len(self)))


class Collector:
    """Features as a reader finds them, in the file's coordinates (x, y = lon, lat for WGS84)."""

    def __init__(self, path: Path, limits: Limits = DEFAULT_LIMITS) -> None:
        self.path = path
        self.limits = limits
        self.attrs: list[dict[str, str]] = []
        self.points: list[tuple[int, float, float]] = []  # (feature, x, y)
        self.lines: list[tuple[int, list]] = []  # (feature, [(x, y), …])
        self.polygons: list[tuple[int, list[list]]] = []  # (feature, [ring, …])
        self.vertices = 0
        self.table: Table | None = None  # attributes by column (bulk_points), instead of attrs
        self.bulk = None  # (owners, lon/lat array) from bulk_points
        self.notes: list[str] = []  # things skipped on purpose, told to the user

    def error(self, message: str, feature: str | None = None) -> DataError:
        return DataError(self.path, message, feature=feature)

    def feature(self, attrs: dict[str, Any]) -> int:
        if len(self.attrs) >= self.limits.features:
            raise self.error(f"has more than {self.limits.features:,} features, the limit for a user layer")
        if len(attrs) > MAX_ATTRIBUTES:
            raise self.error(f"has a feature with {len(attrs)} attributes (at most {MAX_ATTRIBUTES})",
                             feature=f"feature {len(self.attrs) + 1}")
        self.attrs.append({str(k)[:200]: attribute_text(v) for k, v in attrs.items()})
        return len(self.attrs) - 1

    def drop_last(self) -> None:
        """Forget the last feature (it turned out to have no geometry)."""
        self.attrs.pop()

    def _count(self, n: int) -> None:
        self.vertices += n
        if self.vertices > self.limits.vertices:
            raise self.error(f"has more than {self.limits.vertices:,} vertices, the limit for a user layer")

    def bulk_points(self, table: Table, x, y) -> None:
        """One point feature per row of ``table``, at arrays ``x``, ``y`` (a CSV's columns)."""
        import numpy as np

        n = len(x)
        if n > self.limits.features:
            raise self.error(f"has more than {self.limits.features:,} features, the limit for a user layer")
        self._count(n)
        self.table = table
        self.bulk = (np.arange(n, dtype=np.int64), np.column_stack([x, y]))

    def point(self, fid: int, x: float, y: float) -> None:
        self._count(1)
        self.points.append((fid, x, y))

    def line(self, fid: int, coords: list) -> None:
        if len(coords) < 2:
            raise self.error("has a line with fewer than 2 positions", feature=f"feature {fid + 1}")
        self._count(len(coords))
        self.lines.append((fid, coords))

    def polygon(self, fid: int, rings: list[list]) -> None:
        for ring in rings:
            if len(ring) < 3:
                raise self.error("has a polygon ring with fewer than 3 positions",
                                 feature=f"feature {fid + 1}")
            self._count(len(ring))
        if rings:
            self.polygons.append((fid, rings))

    def finish(self, fmt: str, crs: Any = WGS84) -> UserData:
        """Every coordinate checked and projected to map metres at once."""
        import numpy as np

        if not self.attrs and self.table is None:
            raise self.error("has no features with a geometry")
        if self.bulk is not None:
            owners, point_xy = self.bulk
        else:
            point_xy = np.asarray([(x, y) for _f, x, y in self.points], dtype=float).reshape(-1, 2)
            owners = np.asarray([f for f, _x, _y in self.points], dtype=np.int64)
        chunks = [point_xy]
        chunks += [np.asarray(c, dtype=float).reshape(-1, 2) for _f, c in self.lines]
        chunks += [np.asarray(r, dtype=float).reshape(-1, 2) for _f, rings in self.polygons for r in rings]
        xy = np.concatenate(chunks) if len(chunks) > 1 else chunks[0]
        if not np.isfinite(xy).all():
            raise self.error("has a coordinate that is not a finite number")
        geographic = crs == WGS84
        if geographic:
            lon_bad = np.abs(xy[:, 0]) > 180
            lat_bad = np.abs(xy[:, 1]) > 90
            if lon_bad.any() or lat_bad.any():
                i = int(np.argmax(lon_bad | lat_bad))
                raise self.error(f"has a position ({xy[i, 0]:g}, {xy[i, 1]:g}) outside longitude "
                                 "-180..180 / latitude -90..90: the coordinates are not WGS84 "
                                 "degrees (or longitude and latitude are swapped)")
        out = _project(xy, crs, self)
        if not np.isfinite(out).all():
            raise self.error("has positions that cannot be projected onto the map")
        # Split the projected array back the way it was joined.
        n = len(point_xy)
        points = out[:n]
        at = n
        lines = []
        for fid, c in self.lines:
            lines.append((fid, out[at:at + len(c)]))
            at += len(c)
        polygons = []
        for fid, rings in self.polygons:
            parts = []
            for r in rings:
                parts.append(out[at:at + len(r)])
                at += len(r)
            polygons.append((fid, tuple(parts)))
        if self.table is not None:
            attrs, fields = self.table, tuple(self.table.fields)
        else:
            names: dict[str, None] = {}
            for a in self.attrs:
                names.update(dict.fromkeys(a))
            attrs, fields = tuple(self.attrs), tuple(names)
        return UserData(path=self.path, format=fmt, attrs=attrs, fields=fields,
                        points=points, point_owner=owners, lines=tuple(lines),
                        polygons=tuple(polygons), notes=tuple(self.notes))


def _project(xy, crs, collector: Collector):
    import numpy as np

    from silkmap.core.projection import PROJ4, project

    if crs == WGS84:
        x, y = project(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])
    from pyproj import CRS, Transformer
    from pyproj.exceptions import CRSError

    try:
        source = CRS.from_user_input(crs)
    except (CRSError, TypeError, ValueError):
        raise collector.error(f"has an unknown coordinate reference system {str(crs)[:80]!r}") from None
    x, y = Transformer.from_crs(source, PROJ4, always_xy=True).transform(xy[:, 0], xy[:, 1])
    return np.column_stack([np.asarray(x, float), np.asarray(y, float)])


@dataclass(frozen=True, eq=False)
class UserData:
    """A loaded user file, projected: read-only once made (painted from worker threads)."""

    path: Path
    format: str
    attrs: Any  # per feature: {field: text} (a tuple, or a Table)
    fields: tuple  # every attribute name, in first-seen order
    points: Any  # (n, 2) float array, map metres
    point_owner: Any  # (n,) feature index of each point
    lines: tuple  # (feature, (n, 2) array)
    polygons: tuple  # (feature, (ring arrays…))
    notes: tuple = ()
    _bounds: list = field(default_factory=list, repr=False)
    _box_cache: list = field(default_factory=list, repr=False)

    @property
    def feature_count(self) -> int:
        return len(self.attrs)

    def bounds(self) -> tuple[float, float, float, float]:
        if not self._bounds:
            import numpy as np

            parts = [self.points] + [c for _f, c in self.lines] + [r for _f, rs in self.polygons for r in rs]
            xy = np.concatenate([p for p in parts if len(p)])
            self._bounds.append((float(xy[:, 0].min()), float(xy[:, 1].min()),
                                 float(xy[:, 0].max()), float(xy[:, 1].max())))
        return self._bounds[0]

    def feature_at(self, x: float, y: float, tolerance: float, polygons: bool = True) -> int | None:
        """The feature under map point (x, y), within ``tolerance`` metres: the nearest point,
        else the nearest line, else (with ``polygons``) the top polygon containing it."""
        import numpy as np

        if len(self.points):
            d2 = (self.points[:, 0] - x) ** 2 + (self.points[:, 1] - y) ** 2
            i = int(np.argmin(d2))
            if d2[i] <= tolerance * tolerance:
                return int(self.point_owner[i])
        best, best_d = None, tolerance
        line_boxes, poly_boxes = self._boxes()
        near = np.flatnonzero((line_boxes[:, 0] - tolerance <= x) & (x <= line_boxes[:, 2] + tolerance)
                              & (line_boxes[:, 1] - tolerance <= y) & (y <= line_boxes[:, 3] + tolerance))
        for i in near.tolist():
            fid, c = self.lines[i]
            d = _segment_distance(c, x, y)
            if d <= best_d:
                best, best_d = fid, d
        if best is not None or not polygons:
            return best
        around = np.flatnonzero((poly_boxes[:, 0] <= x) & (x <= poly_boxes[:, 2])
                                & (poly_boxes[:, 1] <= y) & (y <= poly_boxes[:, 3]))
        for i in reversed(around.tolist()):  # the top one first
            fid, rings = self.polygons[i]
            if _inside(rings, x, y):
                return fid
        return None

    def _boxes(self):
        """(x0, y0, x1, y1) of every line and of every polygon's outer ring, made once: a
        hover tests only the few whose box holds the pointer."""
        if not self._box_cache:
            import numpy as np

            def boxes(parts):
                return np.array([(p[:, 0].min(), p[:, 1].min(), p[:, 0].max(), p[:, 1].max())
                                 for p in parts], dtype=float).reshape(-1, 4)

            self._box_cache.append((boxes(c for _f, c in self.lines),
                                    boxes(rs[0] for _f, rs in self.polygons)))
        return self._box_cache[0]

def _segment_distance(c, x: float, y: float) -> float:
    import numpy as np

    a, b = c[:-1], c[1:]
    ab = b - a
    ap = np.column_stack([x - a[:, 0], y - a[:, 1]])
    denom = (ab ** 2).sum(axis=1)
    t = np.clip(np.where(denom > 0, (ap * ab).sum(axis=1) / np.where(denom > 0, denom, 1), 0), 0, 1)
    near = a + ab * t[:, None]
    return float(np.sqrt(((near - (x, y)) ** 2).sum(axis=1)).min()) if len(a) else math.inf


def _inside(rings, x: float, y: float) -> bool:
    """Even-odd rule over every ring: holes cut out, as the layer fills them."""
    import numpy as np

    inside = False
    for r in rings:
        xs, ys = r[:, 0], r[:, 1]
        xj, yj = np.roll(xs, 1), np.roll(ys, 1)
        cross = ((ys > y) != (yj > y)) & (x < (xj - xs) * (y - ys) / np.where(yj != ys, yj - ys, 1) + xs)
        inside ^= bool(cross.sum() % 2)
    return inside
