"""Dated facts (assets/geo/dated.json): partnership levels with their dates, treaties,
memberships and declarations, the status history of routes and projects, and China-customs
trade for the years before those the profiles carry.

Every entry cites its sources, like the figures in profiles.json. The file is read when the
timeline or ``silkmap info --json`` first needs it, not at start-up (``Atlas.dated``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from silkmap.core.errors import shown
from silkmap.core.facts import CONFIDENCE, FOCUS, Figure, SourceIndex, Text, read_figure
from silkmap.core.validate import MAX_NAME, Reader, parse_date, read_json
from silkmap.core.years import LEVEL_IDS, STATUSES

FILE = "dated.json"
EVENT_KINDS = ("treaty", "declaration", "membership", "summit")
FIRST_TRADE_YEAR, LAST_TRADE_YEAR = 1992, 2025
TRADE_UNIT = "USD bn"


@dataclass(frozen=True)
class LevelStep:
    level: str
    start: str  # the date the level was reached; it holds until the next step
    label: Text  # the relationship's own name (e.g. "Permanent comprehensive strategic partnership")
    sources: tuple[str, ...]
    confidence: str


@dataclass(frozen=True)
class StatusStep:
    status: str
    date: str
    sources: tuple[str, ...]
    note: Text | None = None


@dataclass(frozen=True)
class DatedEvent:
    id: str
    date: str
    kind: str
    countries: tuple[str, ...]
    label: Text
    sources: tuple[str, ...]
    opens: str
    note: Text | None = None


@dataclass(frozen=True)
class Dated:
    partnership: dict[str, tuple[LevelStep, ...]]
    events: tuple[DatedEvent, ...]
    routes: dict[str, tuple[StatusStep, ...]]
    projects: dict[str, tuple[StatusStep, ...]]
    trade_basis: Text
    trade: dict[str, dict[int, Figure | None]]  # None: no source found for that year (a gap)
    route_countries: dict[str, tuple[str, ...]]  # which of the five a modern route crosses
    partner: dict[str, dict[int, Figure]]  # the Central Asian side's own statistics, where sourced
    region: dict[int, Figure]  # China's trade with the five together, years region.json lacks


def date_key(date: str) -> tuple[int, int, int]:
    """Sortable (year, month, day); a date given to the year sorts before that year's days."""
    y, m, d = parse_date(date.partition("/")[0])
    return y, m or 0, d or 0


def _ordered(r: Reader, field: str, dates: list[str]) -> None:
    for i in range(1, len(dates)):
        if date_key(dates[i]) < date_key(dates[i - 1]):
            r.fail(f"{field}[{i}].date", f"{shown(dates[i])} comes before the previous step ({dates[i - 1]})")


def _status_steps(r: Reader, field: str, src: SourceIndex) -> dict[str, tuple[StatusStep, ...]]:
    out = {}
    for key, raw in r.dict(field).items():
        kr = r.child(f"{field}.{key}", {"v": raw})
        steps = []
        items = kr.list("v")
        if not items:
            kr.fail("v", "needs at least one dated status")
        for i, item in enumerate(items):
            s = r.child(f"{field}.{key}[{i}]", item)
            steps.append(StatusStep(status=s.choice("status", STATUSES), date=s.date("date"),
                                    sources=src.refs(s, "sources"), note=s.text("note", None)))
        _ordered(r, f"{field}.{key}", [s.date for s in steps])
        out[key] = tuple(steps)
    return out


def load_dated(path: Path, src: SourceIndex, data: Any = None) -> Dated:
    data = read_json(path) if data is None else data
    top = Reader(path, "dated", data)

    partnership = {}
    part = top.dict("partnership")
    for iso3 in FOCUS:
        if iso3 not in part:
            top.fail(f"partnership.{iso3}", "is missing")
    for iso3, raw in part.items():
        if iso3 not in FOCUS:
            top.fail(f"partnership.{shown(iso3)}", "is not one of the five Central Asian states")
        pr = top.child(f"partnership.{iso3}", {"v": raw})
        items = pr.list("v")
        if not items:
            pr.fail("v", "needs at least one level")
        steps = []
        for i, item in enumerate(items):
            s = Reader(path, f"partnership {iso3}", item, prefix=f"[{i}].")
            conf = s.choice("confidence", CONFIDENCE, "confirmed")
            steps.append(LevelStep(level=s.choice("level", LEVEL_IDS), start=s.date("from"),
                                   label=s.text("label"), sources=src.refs(s, "sources", confidence=conf),
                                   confidence=conf))
        _ordered(Reader(path, f"partnership {iso3}", {}), "", [s.start for s in steps])
        for i in range(1, len(steps)):
            if LEVEL_IDS.index(steps[i].level) <= LEVEL_IDS.index(steps[i - 1].level):
                Reader(path, f"partnership {iso3}", {}).fail(
                    f"[{i}].level", f"{steps[i].level} is not above {steps[i - 1].level}")
        partnership[iso3] = tuple(steps)

    events, seen = [], set()
    for i, raw in enumerate(top.list("events")):
        rid = raw.get("id") if isinstance(raw, dict) else None
        r = Reader(path, f"event {rid if isinstance(rid, str) and rid else i}", raw)
        eid = r.name("id")
        if eid in seen:
            r.fail("id", f"duplicate event id {shown(eid)}")
        seen.add(eid)
        countries = r.names("countries")
        if not countries:
            r.fail("countries", "names no country")
        for j, c in enumerate(countries):
            if c not in FOCUS:
                r.fail(f"countries[{j}]", f"{shown(c)} is not one of the five Central Asian states")
        events.append(DatedEvent(id=eid, date=r.date("date"), kind=r.choice("kind", EVENT_KINDS),
                                 countries=countries, label=r.text("label"), sources=src.refs(r, "sources"),
                                 opens=r.name("opens"), note=r.text("note", None)))

    routes = _status_steps(top, "routes", src)
    route_countries = {}
    for rid, raw in top.dict("route_countries", {}).items():
        r = top.child(f"route_countries.{rid}", raw)
        countries = r.names("countries")
        if not countries:
            r.fail("countries", "is empty: a route crosses at least one of the five states")
        for j, c in enumerate(countries):
            if c not in FOCUS:
                r.fail(f"countries[{j}]", f"{shown(c)} is not one of the five Central Asian states")
        src.refs(r, "sources")
        route_countries[rid] = countries
    projects = _status_steps(top, "projects", src)

    t = top.child("trade")
    trade: dict[str, dict[int, Figure | None]] = {}

    def year_of(r: Reader, field: str, y: str) -> int:
        year = int(y) if len(y) == 4 and y.isascii() and y.isdigit() else None
        if year is None or not FIRST_TRADE_YEAR <= year <= LAST_TRADE_YEAR:
            r.fail(f"{field}.{shown(y)}"[:MAX_NAME], f"is not a year {FIRST_TRADE_YEAR}–{LAST_TRADE_YEAR}")
        return year

    def usd_bn(r: Reader) -> Figure:
        f = read_figure(r, src, lo=0)
        if f.unit != TRADE_UNIT:
            r.fail("unit", f"{shown(f.unit)} is not {TRADE_UNIT}")
        return f

    countries = t.dict("countries")
    for iso3 in FOCUS:
        if iso3 not in countries:
            t.fail(f"countries.{iso3}", "is missing")
    for iso3, years in countries.items():
        if iso3 not in FOCUS:
            t.fail(f"countries.{shown(iso3)}", "is not one of the five Central Asian states")
        yr = t.child(f"countries.{iso3}", {"v": years})
        series: dict[int, Figure | None] = {}
        for y, fig in yr.dict("v").items():
            year = year_of(yr, "v", y)
            series[year] = None if fig is None else usd_bn(t.child(f"countries.{iso3}.{y}", fig))
        trade[iso3] = series
    partner: dict[str, dict[int, Figure]] = {}
    for iso3, years in t.dict("partner", {}).items():
        if iso3 not in FOCUS:
            t.fail(f"partner.{shown(iso3)}", "is not one of the five Central Asian states")
        pr = t.child(f"partner.{iso3}", {"v": years})
        partner[iso3] = {year_of(pr, "v", y): usd_bn(t.child(f"partner.{iso3}.{y}", fig))
                         for y, fig in pr.dict("v").items()}
    rr = t.child("region", {"v": t.dict("region", {})})
    region = {year_of(rr, "v", y): usd_bn(t.child(f"region.{y}", fig)) for y, fig in rr.dict("v").items()}
    return Dated(partnership=partnership, events=tuple(events), routes=routes, projects=projects,
                 trade_basis=t.text("basis"), trade=trade, route_countries=route_countries,
                 partner=partner, region=region)
