"""The map as of a year: partnership levels, route and project status, trade, and the dated
events in order. Qt-free; the window's year slider, the export's ``--year`` and
``silkmap info --json`` all ask these functions.

A year counts what happened by its end (31 December): a pipeline opened in December 2009 is
open in 2009. A fact with no date for a year is a gap (None), never filled in.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from types import MappingProxyType

from silkmap.core.dated import LevelStep, StatusStep, date_key
from silkmap.core.facts import FOCUS, Text
from silkmap.core.years import (FIRST_YEAR, LAST_YEAR, LEVEL_IDS, LEVELS, SILK_ROAD_ERA, STATUSES,  # noqa: F401
                                STOPS, YearState)
from silkmap.i18n import N_

LEVEL_TITLE = dict(LEVELS)
STATUS_TITLE = {"agreed": N_("Agreed"), "construction": N_("Construction started"),
                "open": N_("Opened"), "stalled": N_("Stalled")}
KIND_TITLE = {"treaty": N_("Treaty"), "declaration": N_("Declaration"), "membership": N_("Membership"),
              "summit": N_("Summit")}


@dataclass(frozen=True)
class Event:
    date: str  # YYYY, YYYY-MM or YYYY-MM-DD (a summit's span starts the date)
    kind: str  # relations, partnership, treaty, declaration, membership, summit, route, project
    iso3s: tuple[str, ...]
    title: str  # English msgid: show _(title), with label for the particular
    sources: tuple[str, ...]
    opens: str  # what the entry opens: an iso3, a route id or a project id
    label: Text | None = None  # the data's own words: the treaty's name, the route's name…
    status: str | None = None  # the level or status this event begins
    id: str = ""

    @property
    def year(self) -> int:
        return date_key(self.date)[0]


@dataclass(frozen=True)
class LevelSpan:
    level: str
    start: str
    end: str | None  # the date of the next level, None while it holds
    label: Text
    sources: tuple[str, ...]


def _year_of(date: str) -> int:
    return date_key(date)[0]


def _status(steps: tuple[StatusStep, ...] | None, year: int) -> str | None:
    current = None
    for s in steps or ():
        if _year_of(s.date) <= year:
            current = s.status
    return current


def _level(steps: tuple[LevelStep, ...], year: int) -> str | None:
    current = None
    for s in steps:
        if _year_of(s.start) <= year:
            current = s.level
    return current


def check_year(year: int) -> int:
    if year != SILK_ROAD_ERA and not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"year {year} is outside {FIRST_YEAR}–{LAST_YEAR}")
    return year


def _projects(atlas) -> dict[str, object]:
    return {p.id: p for prof in atlas.profiles.values() for p in prof.projects}


_states: "weakref.WeakKeyDictionary[object, dict[int, YearState]]" = weakref.WeakKeyDictionary()
_states_lock = threading.Lock()


def as_of(atlas, year: int) -> YearState:
    """Everything the map colours and draws in ``year`` (or the Silk Road era).

    Computed once per atlas and year: scrubbing the slider asks for the same years again. The
    latest year is the prebuilt home view's while the files it was made from are unchanged
    (core/prebuilt.py): the same object the first paint drew.
    """
    check_year(year)
    with _states_lock:
        cached = _states.setdefault(atlas, {}).get(year)
    if cached is not None:
        return cached
    pre = getattr(atlas, "prebuilt", None)
    state = (pre.year_state(year) if pre is not None else None) or _compute(atlas, year)
    with _states_lock:
        return _states[atlas].setdefault(year, state)


def _compute(atlas, year: int) -> YearState:
    dated = atlas.dated()
    ro = MappingProxyType
    if year == SILK_ROAD_ERA:
        return YearState(
            year=year, level=ro({iso3: None for iso3 in FOCUS}),
            route_status=ro({rid: "open" if r.era == "historical" else None for rid, r in atlas.routes.items()}),
            project_status=ro({pid: None for pid in _projects(atlas)}),
            trade=ro({iso3: (None, None) for iso3 in FOCUS}))
    trade = {}
    for iso3 in FOCUS:
        _, value, sid = trade_series(atlas, iso3)[year - FIRST_YEAR]
        trade[iso3] = (value, sid)
    return YearState(
        year=year,
        level=ro({iso3: _level(dated.partnership.get(iso3, ()), year) for iso3 in FOCUS}),
        # Historical routes belong to the caravan era; a modern year shows what was agreed or built.
        # A modern route or project with no dated history at all is left out: its dates are
        # unknown, which is not the same as "not yet agreed" (the caller draws it as today).
        route_status=ro({rid: None if r.era == "historical" else _status(dated.routes[rid], year)
                         for rid, r in atlas.routes.items() if r.era == "historical" or rid in dated.routes}),
        project_status=ro({pid: _status(dated.projects[pid], year) for pid in _projects(atlas)
                           if pid in dated.projects}),
        trade=ro(trade))


def trade_series(atlas, iso3: str) -> list[tuple[int, float | None, str | None]]:
    """(year, US$ value or None, source id or None) for every year FIRST_YEAR..LAST_YEAR.

    The years the profile carries (2022 on) come from profiles.json, the earlier ones from
    dated.json. A year without a sourced figure is a gap: (year, None, None).
    """
    return [(y, None if f is None else float(round(f.value * 1e9)), None if f is None else f.sources[0])
            for y, f in trade_figures(atlas, iso3)]


def trade_figures(atlas, iso3: str) -> list[tuple[int, object]]:
    """(year, Figure in US$ bn or None) for every year; an unsourced value counts as a gap."""
    profile = atlas.profiles[iso3]
    by_year = dict(atlas.dated().trade.get(iso3, {}))
    by_year.update({int(y): f for y, f in profile.trade.items()})
    out = []
    for y in range(FIRST_YEAR, LAST_YEAR + 1):
        f = by_year.get(y)
        out.append((y, f if f is not None and f.sources else None))
    return out


def partner_series(atlas, iso3: str) -> list[tuple[int, object]]:
    """(year, Figure in US$ bn) of the Central Asian side's own statistics, where sourced:
    they differ from China customs (transit and shuttle trade, valuation)."""
    by_year = dict(atlas.dated().partner.get(iso3, {}))
    for pt in atlas.profiles[iso3].partner_side:
        if pt.period.isdigit():
            by_year.setdefault(int(pt.period), pt.figure)
    return sorted(by_year.items())


def regional_totals(atlas) -> dict[int, object]:
    """Published totals of China's trade with the five (Figure in US$ bn) by year."""
    from silkmap.core.facts import Figure

    out = dict(atlas.dated().region)
    for fact in atlas.region.facts.values():
        y = fact.id.removeprefix("trade-").removesuffix("-total")
        if fact.id.startswith("trade-") and y.isdigit() and fact.id.endswith("-total"):
            f = fact.figure
            out[int(y)] = f if f.unit == "USD bn" else Figure(f.value / 1000, "USD bn", f.sources, f.confidence,
                                                               f.note, date=f.date, qualifier=f.qualifier)
    y1992 = atlas.region.facts.get("trade-1992")
    if y1992 is not None and y1992.figure.unit == "USD m":
        f = y1992.figure
        out.setdefault(1992, Figure(f.value / 1000, "USD bn", f.sources, f.confidence, f.note))
    return dict(sorted(out.items()))


def levels(atlas, iso3: str) -> list[LevelSpan]:
    """The country's partnership levels with from/to dates, lowest (earliest) first."""
    steps = atlas.dated().partnership.get(iso3, ())
    return [LevelSpan(s.level, s.start, steps[i + 1].start if i + 1 < len(steps) else None, s.label, s.sources)
            for i, s in enumerate(steps)]


def events(atlas) -> list[Event]:
    """Every dated event, sorted by date (then kind and what it opens, so the order is stable)."""
    dated = atlas.dated()
    out: list[Event] = []
    for iso3, steps in dated.partnership.items():
        for s in steps:
            out.append(Event(date=s.start, kind="relations" if s.level == "relations" else "partnership",
                             iso3s=(iso3,), title=LEVEL_TITLE[s.level], sources=s.sources, opens=iso3,
                             label=s.label, status=s.level, id=f"{iso3}:{s.level}"))
    for e in dated.events:
        out.append(Event(date=e.date, kind=e.kind, iso3s=e.countries, title=KIND_TITLE[e.kind],
                         sources=e.sources, opens=e.opens, label=e.label, id=e.id))
    for s in atlas.region.summits:
        out.append(Event(date=s.dates.partition("/")[0], kind="summit", iso3s=("CHN",) + FOCUS, title=KIND_TITLE["summit"],
                         sources=s.sources, opens=_summit_opens(atlas, s), label=s.name, id=s.id))
    for rid, steps in dated.routes.items():
        route = atlas.routes[rid]
        for s in steps:
            out.append(Event(date=s.date, kind="route", iso3s=_route_countries(atlas, route),
                             title=STATUS_TITLE[s.status], sources=s.sources, opens=rid, label=route.name,
                             status=s.status, id=f"{rid}:{s.status}"))
    projects = _projects(atlas)
    for pid, steps in dated.projects.items():
        p = projects[pid]
        for s in steps:
            out.append(Event(date=s.date, kind="project", iso3s=(p.country,), title=STATUS_TITLE[s.status],
                             sources=s.sources, opens=pid, label=p.name, status=s.status, id=f"{pid}:{s.status}"))
    out.sort(key=lambda e: (date_key(e.date), e.kind, e.opens, e.id))
    return out


def _summit_opens(atlas, summit) -> str:
    """A summit opens the host country's panel."""
    text = summit.place.get("en", "") if summit.place else ""
    for iso3 in FOCUS:
        if atlas.profiles[iso3].name["en"] in text:
            return iso3
    return "CHN"


def _route_countries(atlas, route) -> tuple[str, ...]:
    """The five it crosses as dated.json names them, else the countries of its named places."""
    named = atlas.dated().route_countries.get(route.id)
    if named:
        return named
    seen: dict[str, None] = {}
    for w in route.waypoints:
        if w.place is not None and w.place in atlas.places:
            c = atlas.places[w.place].country
            if c in FOCUS:
                seen.setdefault(c)
    return tuple(seen)


__all__ = ["FIRST_YEAR", "LAST_YEAR", "SILK_ROAD_ERA", "LEVELS", "STATUSES", "YearState", "Event",
           "LevelSpan", "as_of", "events", "trade_series", "trade_figures", "partner_series",
           "regional_totals", "levels", "check_year"]
