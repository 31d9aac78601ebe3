"""The denominators and trade directions the measures need (assets/geo/measures.json).

Population by year, each partner's total foreign trade and its own count of trade with China
(national statistics), and China's exports to and imports from each of the five (China
customs). Every figure cites its sources like those of profiles.json; a year without a
sourced figure is simply absent (a gap), never filled in. Read when a measure is first asked
for, never at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from silkmap.core.errors import DataError, shown
from silkmap.core.facts import FOCUS, Figure, SourceIndex, Text, read_figure
from silkmap.core.validate import MAX_NAME, Reader, read_json

FILE = "measures.json"
FIRST_YEAR, LAST_YEAR = 1992, 2025
# table name → the unit its figures must carry
TABLES = {"population": "count", "total_trade": "USD bn", "partner_china": "USD bn",
          "exports": "USD bn", "imports": "USD bn"}
# Exports plus imports may differ from the published total only by the rounding of the three.
SUM_TOLERANCE = 0.03


@dataclass(frozen=True)
class MirrorNote:
    """Why China's and the partner's counts of their trade cannot be compared as they are."""

    years: tuple[int, ...] | None  # None: every year
    note: Text
    sources: tuple[str, ...]


@dataclass(frozen=True)
class MeasureData:
    population: dict[str, dict[int, Figure]]  # persons, the figure's date says when counted
    total_trade: dict[str, dict[int, Figure]]  # the partner's foreign trade with the world, its statistics
    partner_china: dict[str, dict[int, Figure]]  # the partner's statistics of its trade with China
    exports: dict[str, dict[int, Figure]]  # China customs: China's exports to the partner
    imports: dict[str, dict[int, Figure]]  # China customs: China's imports from the partner
    mirror: dict[str, tuple[MirrorNote, ...]]
    undated_projects: Text  # the count's note naming projects without dates, "{names}" filled in
    bounded_inputs: Text  # the note of a value computed from an "about" or "more than" figure


def _year(r: Reader, field: str, y: str) -> int:
    year = int(y) if len(y) == 4 and y.isascii() and y.isdigit() else None
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        r.fail(f"{field}.{shown(y)}"[:MAX_NAME], f"is not a year {FIRST_YEAR}–{LAST_YEAR}")
    return year


def _table(top: Reader, name: str, unit: str, src: SourceIndex) -> dict[str, dict[int, Figure]]:
    table = top.dict(name)
    out: dict[str, dict[int, Figure]] = {}
    for iso3 in FOCUS:
        if iso3 not in table:
            top.fail(f"{name}.{iso3}", "is missing (use {} for no figures)")
    for iso3, years in table.items():
        if iso3 not in FOCUS:
            top.fail(f"{name}.{shown(iso3)}"[:MAX_NAME], "is not one of the five Central Asian states")
        yr = top.child(f"{name}.{iso3}", {"v": years})
        series: dict[int, Figure] = {}
        for y, raw in yr.dict("v").items():
            year = _year(yr, "v", y)
            fr = top.child(f"{name}.{iso3}.{y}", raw)
            f = read_figure(fr, src, lo=0)
            if f.unit != unit:
                fr.fail("unit", f"{shown(f.unit)} is not {unit}")
            if not f.sources:
                fr.fail("sources", "a figure used in a measure needs a source (leave the year out for a gap)")
            series[year] = f
        out[iso3] = dict(sorted(series.items()))
    return out


def load_measure_data(path: Path, src: SourceIndex, data: Any = None) -> MeasureData:
    data = read_json(path) if data is None else data
    top = Reader(path, "measures", data)
    tables = {name: _table(top, name, unit, src) for name, unit in TABLES.items()}
    mirror: dict[str, tuple[MirrorNote, ...]] = {}
    for iso3, items in top.dict("mirror", {}).items():
        if iso3 not in FOCUS:
            top.fail(f"mirror.{shown(iso3)}"[:MAX_NAME], "is not one of the five Central Asian states")
        mr = top.child(f"mirror.{iso3}", {"v": items})
        notes = []
        for i, raw in enumerate(mr.list("v")):
            r = top.child(f"mirror.{iso3}[{i}]", raw)
            years = None
            if r.has("years"):
                yl = r.list("years")
                for j, y in enumerate(yl):
                    if isinstance(y, bool) or not isinstance(y, int) or not FIRST_YEAR <= y <= LAST_YEAR:
                        r.fail(f"years[{j}]", f"{shown(y)} is not a year {FIRST_YEAR}–{LAST_YEAR}")
                years = tuple(yl)
            notes.append(MirrorNote(years=years, note=r.text("note"), sources=src.refs(r, "sources")))
        mirror[iso3] = tuple(notes)
    undated = top.text("undated_projects")
    for lang, t in undated.items():
        if "{names}" not in t:
            top.fail(f"undated_projects.{lang}", "needs the place holder {names}")
    return MeasureData(mirror=mirror, undated_projects=undated, bounded_inputs=top.text("bounded_inputs"),
                       **tables)


def check_against_partner(path: Path, md: MeasureData, partner: dict[str, dict[int, Figure]]) -> None:
    """The partner's trade with China (wherever it is given) is part of its total foreign trade."""
    for iso3 in FOCUS:
        for year, total in md.total_trade[iso3].items():
            china = partner[iso3].get(year)
            if china is not None and china.value > total.value:
                raise DataError(path, f"{total.value:g} is less than the trade with China alone, {china.value:g} "
                                f"(sources {', '.join(china.sources)})", field=f"total_trade.{iso3}.{year}.value")


def check_against_trade(path: Path, md: MeasureData, trade_of) -> None:
    """China's exports and imports of a year add up to the trade the map shows for it, and
    neither alone exceeds it (beyond the rounding of the figures).

    ``trade_of(iso3)`` gives {year: Figure in US$ bn} of China-customs trade.
    """
    for iso3 in FOCUS:
        trade = trade_of(iso3)
        for name in ("exports", "imports"):
            for year, f in getattr(md, name)[iso3].items():
                total = trade.get(year)
                if total is not None and f.value > total.value * (1 + SUM_TOLERANCE) + 0.01:
                    raise DataError(path, f"{f.value:g} is more than the trade of {total.value:g} "
                                    f"(sources {', '.join(total.sources)})", field=f"{name}.{iso3}.{year}")
        for year, exp in md.exports[iso3].items():
            total, imp = trade.get(year), md.imports[iso3].get(year)
            if total is None or imp is None:
                continue
            both = exp.value + imp.value
            if abs(both - total.value) > SUM_TOLERANCE * total.value + 0.01:
                raise DataError(path, f"exports {exp.value:g} + imports {imp.value:g} "
                                f"= {both:g}, not the trade of {total.value:g} (sources {', '.join(total.sources)})",
                                field=f"exports.{iso3}.{year}")
