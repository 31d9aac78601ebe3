"""Names of the land and its waters (assets/geo/physical-names.json): deserts, ranges, valleys,
passes, lakes and rivers, each with the point or line its name is set at and the zooms where
it shows.

The lines are the names' own anchors, drawn by hand along each feature: the names never need
the lake and river geometry, which another layer draws and may be absent. Zooms are in metres
per *symbol* pixel (metres per pixel × the symbol scale), so an A4 print at 300 dpi, whose
text is three times larger, shows the names a screen of the same text size would.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from silkmap.core.errors import DataError, shown
from silkmap.core.facts import CONFIDENCE, SourceIndex, Text
from silkmap.core.validate import MAX_NAME, Reader, read_json

FILE = "physical-names.json"
KINDS = ("desert", "range", "valley", "pass", "lake", "historic_lake", "river")
WATER_KINDS = ("lake", "historic_lake", "river")
MAX_LINE_POINTS = 64
MAX_M_PER_PX = 1e6  # far beyond the whole world on one screen


@dataclass(frozen=True)
class PhysicalName:
    id: str
    kind: str
    name: Text
    lonlat: tuple[tuple[float, float], ...]  # one point, or a line of two or more
    xy: tuple[tuple[float, float], ...]  # the same in map metres
    min_m_per_px: float
    max_m_per_px: float
    confidence: str
    sources: tuple[str, ...]
    place: str | None  # the places.json point that already names it, if any (a pass's crossing)
    note: Text | None

    @property
    def is_line(self) -> bool:
        return len(self.xy) > 1

    def shows_at(self, m_per_symbol_px: float) -> bool:
        return self.min_m_per_px <= m_per_symbol_px <= self.max_m_per_px


def _point(r: Reader, field: str, value: Any, project) -> tuple[tuple[float, float], tuple[float, float]]:
    if isinstance(value, list):  # [lon, lat]
        if len(value) != 2:
            r.fail(field, f"expected [lon, lat], got {len(value)} numbers")
        value = {"lon": value[0], "lat": value[1]}
    p = r.child(field, value)
    lon, lat = p.number("lon", lo=-180, hi=180), p.number("lat", lo=-90, hi=90)
    x, y = (float(v) for v in project(lon, lat))
    if not (math.isfinite(x) and math.isfinite(y)):
        r.fail(field, f"position {lon:g}, {lat:g} cannot be projected onto the map")
    return (lon, lat), (x, y)


def load_physical_names(path: Path, src: SourceIndex, data: Any = None, project=None) -> dict[str, PhysicalName]:
    if project is None:
        from silkmap.core.projection import project
    data = read_json(path) if data is None else data
    top = Reader(path, "names", data)
    out: dict[str, PhysicalName] = {}
    for i, raw in enumerate(top.list("names")):
        rid = raw.get("id") if isinstance(raw, dict) else None
        r = Reader(path, f"name {rid if isinstance(rid, str) and rid else i}", raw)
        nid = r.name("id")
        if nid in out:
            r.fail("id", f"duplicate name id {shown(nid)}")
        if r.has("at") == r.has("line"):
            r.fail("at", "give either 'at' (a point) or 'line' (a line), not both or neither")
        if r.has("at"):
            pts = [_point(r, "at", r.raw("at"), project)]
        else:
            line = r.list("line")
            if not 2 <= len(line) <= MAX_LINE_POINTS:
                r.fail("line", f"has {len(line)} points (2 to {MAX_LINE_POINTS})")
            pts = [_point(r, f"line[{j}]", p, project) for j, p in enumerate(line)]
        lo = r.number("min_m_per_px", lo=0, hi=MAX_M_PER_PX)
        hi = r.number("max_m_per_px", lo=0, hi=MAX_M_PER_PX)
        if not lo < hi:
            r.fail("max_m_per_px", f"{hi:g} is not above min_m_per_px ({lo:g})")
        confidence = r.choice("confidence", CONFIDENCE)
        out[nid] = PhysicalName(
            id=nid, kind=r.choice("kind", KINDS), name=r.text("name", limit=MAX_NAME),
            lonlat=tuple(p[0] for p in pts), xy=tuple(p[1] for p in pts),
            min_m_per_px=lo, max_m_per_px=hi, confidence=confidence,
            sources=src.refs(r, "sources", confidence=confidence),
            place=r.name("place", None), note=r.text("note", None))
    if not out:
        raise DataError(path, "lists no names", field="names")
    return out


def check_places(path: Path, names: dict[str, PhysicalName], places) -> None:
    """Every place a name points to exists."""
    for n in names.values():
        if n.place is not None and n.place not in places:
            raise DataError(path, f"place {shown(n.place)} is not in places.json", feature=f"name {n.id}",
                            field="place")
