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
