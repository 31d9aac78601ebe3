"""Where a country's name goes: the pole of inaccessibility of its largest part."""

from __future__ import annotations

from functools import cache

# Hand-placed anchors (lon, lat) where the automatic one sits badly for reading:
# China's falls far east of the region the map is about; Russia's and India's are clipped.
ANCHOR_OVERRIDES = {
    "CHN": (96.0, 35.0),
    "RUS": (72.0, 55.0),
    "IND": (78.5, 22.0),
    "MNG": (103.0, 46.5),
    "IRN": (55.0, 32.5),
    "AFG": (65.5, 33.8),
    "PAK": (69.5, 29.0),
    "KAZ": (68.0, 48.3),
    "TKM": (59.0, 39.8),
    "UZB": (63.3, 41.9),
    "KGZ": (74.5, 41.6),
    "TJK": (71.0, 38.7),
}


@cache
def _anchor_for(iso3: str, geom_wkb: bytes) -> tuple[float, float]:
    import shapely
    from shapely.ops import polylabel

    geom = shapely.from_wkb(geom_wkb)
    parts = list(getattr(geom, "geoms", [geom]))
    largest = max(parts, key=lambda p: p.area)
    pt = polylabel(largest, tolerance=max(largest.length / 2000.0, 1000.0))
    return pt.x, pt.y


def label_anchor(country, prebuilt=None) -> tuple[float, float]:
    """Map-metre position for the label of ``country`` (from ``prebuilt`` where it has it)."""
    if country.iso3 in ANCHOR_OVERRIDES:
        known = prebuilt.project(*ANCHOR_OVERRIDES[country.iso3]) if prebuilt else None
        if known:
            return known
        from silkmap.core.projection import project

        x, y = project(*ANCHOR_OVERRIDES[country.iso3])
        return float(x), float(y)
    known = getattr(country, "prebuilt_anchor", None)
    return known if known else _anchor_for(country.iso3, country.shape.wkb)


# ---------------------------------------------------------------------- which symbol a label names
def box_distance(box: tuple[float, float, float, float], x: float, y: float) -> float:
    """Distance from the point (x, y) to the nearest point of the box (x0, y0, x1, y1)."""
    x0, y0, x1, y1 = box
    dx = max(x0 - x, 0.0, x - x1)
    dy = max(y0 - y, 0.0, y - y1)
    return (dx * dx + dy * dy) ** 0.5


def reads_as_own(box, own: tuple[float, float], rivals, clearance: float) -> bool:
    """True if a reader takes the label in ``box`` for the symbol at ``own``: every rival symbol
    of its kind (an iterable of (x, y)) lies farther from the box by a clear margin, at least
    30 % farther and ``clearance`` more than its own symbol."""
    d_own = box_distance(box, *own)
    need = max(d_own * 1.3, d_own + clearance)
    return all(box_distance(box, x, y) >= need for x, y in rivals)
