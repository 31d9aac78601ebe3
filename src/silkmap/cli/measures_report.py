"""The map's measures of one country for ``silkmap info ISO3 --json``: every year of every
measure (gaps as null) and the mirror statistics, with the sources they cite."""

from __future__ import annotations

from silkmap.core import measures
from silkmap.i18n import _, text


def _value(v: measures.Value) -> dict:
    return {"year": v.year, "value": v.value, "sources": list(v.sources), "confidence": v.confidence,
            "note": v.note and text(v.note)}


def measures_json(atlas, iso3: str) -> dict:
    out = {}
    for m in measures.MEASURES.values():
        out[m.id] = {"title": _(m.title), "unit": _(m.unit) if m.unit else "", "kind": m.kind,
                     "diverging": m.diverging, "years": [_value(v) for v in measures.series(atlas, m.id, iso3)]}
    mirror = []
    for y in range(measures.FIRST_YEAR, measures.LAST_YEAR + 1):
        mr = measures.mirror(atlas, iso3, y)
        if mr.china.value is None and mr.partner.value is None:
            continue
        mirror.append({"year": y, "china": _value(mr.china), "partner": _value(mr.partner), "gap_pct": mr.gap_pct,
                       "comparable": mr.comparable, "note": mr.note and text(mr.note),
                       "note_sources": list(mr.note_sources)})
    return {"measures": out, "mirror": mirror}


def cited(data: dict) -> list[str]:
    """Every source id the measures block cites, in order of first mention."""
    seen: dict[str, None] = {}
    for m in data["measures"].values():
        for v in m["years"]:
            seen.update(dict.fromkeys(v["sources"]))
    for row in data["mirror"]:
        seen.update(dict.fromkeys(row["china"]["sources"] + row["partner"]["sources"] + row["note_sources"]))
    return list(seen)
