"""What a country can be coloured by in a year: trade with China, its two directions, China's
share of the partner's trade, trade per person, the balance, the projects, the partnership
level. Qt-free; the choropleth, the data table, the data export and ``silkmap info --json``
all ask these functions.

Every value is computed from sourced inputs only and carries the ids of all of them
(numerator and denominator). A missing input makes the value a gap (None), never an estimate.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass

from silkmap.core.dated import LEVEL_IDS
from silkmap.core.errors import DataError, shown
from silkmap.core.facts import FOCUS, Figure
from silkmap.core.timeline import FIRST_YEAR, LAST_YEAR, SILK_ROAD_ERA, check_year
from silkmap.i18n import N_


@dataclass(frozen=True)
class Measure:
    id: str
    title: str  # English msgid
    unit: str  # English msgid of the display unit, "" for the level
    kind: str  # "continuous" | "count" | "ordinal"
    diverging: bool  # the sign matters (the balance)


MEASURES: dict[str, Measure] = {m.id: m for m in (
    Measure("trade", N_("Trade with China"), N_("US$ bn"), "continuous", False),
    Measure("exports", N_("China's exports to it"), N_("US$ bn"), "continuous", False),
    Measure("imports", N_("China's imports from it"), N_("US$ bn"), "continuous", False),
    Measure("share", N_("China's share of its foreign trade"), N_("%"), "continuous", False),
    Measure("per_person", N_("Trade with China per person"), N_("US$ per person"), "continuous", False),
    Measure("balance", N_("China's trade balance with it"), N_("US$ bn"), "continuous", True),
    Measure("bri_projects", N_("Projects with China"), N_("projects"), "count", False),
    Measure("level", N_("Partnership level"), "", "ordinal", False),
)}
DEFAULT = "level"
# A figure read from its source; "derived", "approx", … are shown but flagged.
_CONFIRMED = ("confirmed", "data")


@dataclass(frozen=True)
class Value:
    iso3: str
    year: int
    measure: str
    value: float | None  # in the measure's display unit; None = no data (a gap)
    sources: tuple[str, ...]  # every source behind it (numerator and denominator)
    confidence: str  # "confirmed" | "unconfirmed"
    note: dict | None  # {"en", "zh-Hans", "zh-Hant"} or None


@dataclass(frozen=True)
class Mirror:
    iso3: str
    year: int
    china: Value  # China customs, trade in US$ bn
    partner: Value  # the partner's own statistics, trade in US$ bn
    gap_pct: float | None  # (china - partner) / partner * 100; None when either is missing
    comparable: bool
    note: dict | None  # why the two are not comparable (period, basis, transit re-exports…)
    note_sources: tuple[str, ...] = ()  # the sources of the note


def check_measure(measure_id: str) -> Measure:
    m = MEASURES.get(measure_id)
    if m is None:
        raise ValueError(f"unknown measure {shown(measure_id)} (choose from {', '.join(MEASURES)})")
    return m


def _check_iso3(iso3: str) -> str:
    if iso3 not in FOCUS:
        raise ValueError(f"{shown(iso3)} is not one of {', '.join(FOCUS)}")
    return iso3


# -- the inputs, read once per atlas -------------------------------------------------------

@dataclass(frozen=True)
class _Inputs:
    trade: dict[str, dict[int, Figure]]  # China customs, US$ bn (sourced years only)
    partner: dict[str, dict[int, Figure]]  # partner statistics of trade with China, US$ bn
    data: object  # measures_data.MeasureData


_inputs: "weakref.WeakKeyDictionary[object, _Inputs | DataError]" = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def inputs(atlas) -> _Inputs:
    """The sourced inputs of every measure; a broken measures.json (or dated.json) raises the
    same one-line DataError on every call without reading the file again."""
    with _lock:
        got = _inputs.get(atlas)
        if got is None:
            try:
                got = _read(atlas)
            except DataError as exc:
                got = exc
            _inputs[atlas] = got
    if isinstance(got, DataError):
        raise got
    return got


def _read(atlas) -> _Inputs:
    from silkmap.core import measures_data as md_mod
    from silkmap.core import timeline
    from silkmap.core.resources import asset_path

    path = asset_path(md_mod.FILE)
    md = md_mod.load_measure_data(path, atlas.sources)
    trade = {iso3: {y: f for y, f in timeline.trade_figures(atlas, iso3) if f is not None} for iso3 in FOCUS}
    md_mod.check_against_trade(path, md, trade.__getitem__)
    partner = {}
    for iso3 in FOCUS:
        known = dict(timeline.partner_series(atlas, iso3))
        for y in md.partner_china[iso3]:
            if y in known:
                raise DataError(path, f"the partner's trade with China of {y} is given already "
                                "(dated.json or profiles.json)", field=f"partner_china.{iso3}.{y}")
        known.update(md.partner_china[iso3])
        partner[iso3] = {y: f for y, f in sorted(known.items()) if f.sources}
    md_mod.check_against_partner(path, md, partner)
    return _Inputs(trade=trade, partner=partner, data=md)


# -- the values -------------------------------------------------------------------------

def _confidence(*figures: Figure) -> str:
    return "confirmed" if all(f.confidence in _CONFIRMED for f in figures) else "unconfirmed"


def _sources(*figures: Figure) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for f in figures:
        for sid in f.sources:
            seen.setdefault(sid)
    return tuple(seen)


def _gap(iso3: str, year: int, measure: str) -> Value:
    return Value(iso3, year, measure, None, (), "unconfirmed", None)


def _from(iso3: str, year: int, measure: str, value: float, *figures: Figure, note=None) -> Value:
    if note is None and len(figures) == 1:
        note = figures[0].note
    return Value(iso3, year, measure, value, _sources(*figures), _confidence(*figures), note)


def _computed(ins: _Inputs, iso3: str, year: int, measure: str, value: float, *figures: Figure) -> Value:
    """A value computed from several figures; says so where one is only a bound or a round number."""
    note = ins.data.bounded_inputs if any(f.qualifier for f in figures) else None
    return Value(iso3, year, measure, value, _sources(*figures), _confidence(*figures), note)


def _value(atlas, measure: str, iso3: str, year: int) -> Value:
    if year == SILK_ROAD_ERA:
        return _gap(iso3, year, measure)
    if measure == "level":
        return _level(atlas, iso3, year)
    if measure == "bri_projects":
        return _projects(atlas, iso3, year)
    ins = inputs(atlas)
    md = ins.data
    trade = ins.trade[iso3].get(year)
    if measure == "trade":
        return _gap(iso3, year, measure) if trade is None else _from(iso3, year, measure, trade.value, trade)
    if measure in ("exports", "imports"):
        f = getattr(md, measure)[iso3].get(year)
        return _gap(iso3, year, measure) if f is None else _from(iso3, year, measure, f.value, f)
    if measure == "balance":
        exp, imp = md.exports[iso3].get(year), md.imports[iso3].get(year)
        if exp is None or imp is None:
            return _gap(iso3, year, measure)
        return _computed(ins, iso3, year, measure, round(exp.value - imp.value, 6), exp, imp)
    if measure == "share":
        # Both from the partner's own statistics: China customs counts the same trade differently.
        china, total = ins.partner[iso3].get(year), md.total_trade[iso3].get(year)
        if china is None or total is None or total.value <= 0:
            return _gap(iso3, year, measure)
        return _computed(ins, iso3, year, measure, china.value / total.value * 100, china, total)
    if measure == "per_person":
        pop = md.population[iso3].get(year)
        if trade is None or pop is None or pop.value <= 0:
            return _gap(iso3, year, measure)
        return _computed(ins, iso3, year, measure, trade.value * 1e9 / pop.value, trade, pop)
    raise AssertionError(measure)


def _level(atlas, iso3: str, year: int) -> Value:
    current = None
    for s in atlas.dated().partnership.get(iso3, ()):
        if int(s.start[:4]) <= year:
            current = s
    if current is None:
        return _gap(iso3, year, "level")
    return Value(iso3, year, "level", float(LEVEL_IDS.index(current.level)), current.sources,
                 "confirmed" if current.confidence in _CONFIRMED else "unconfirmed", current.label)


def _projects(atlas, iso3: str, year: int) -> Value:
    """The country's projects on the map with a dated status (agreed or later) by the year's end.

    A project whose dates are unknown cannot be placed in a year: the count leaves it out and
    says so (unconfirmed), rather than guessing.
    """
    dated = atlas.dated().projects
    count, sources = 0, {}
    undated = []
    for p in atlas.profiles[iso3].projects:
        steps = dated.get(p.id)
        if steps is None:
            undated.append(p)
            continue
        reached = [s for s in steps if int(s.date[:4]) <= year]
        if reached:
            count += 1
            for sid in reached[-1].sources:
                sources.setdefault(sid)
    note = None
    if undated:
        names = {lang: ", ".join(p.name[lang] for p in undated) for lang in ("en", "zh-Hans", "zh-Hant")}
        template = inputs(atlas).data.undated_projects
        note = {lang: template[lang].replace("{names}", names[lang]) for lang in names}
    return Value(iso3, year, "bri_projects", float(count), tuple(sources),
                 "unconfirmed" if undated else "confirmed", note)


def values(atlas, measure_id: str, year: int) -> dict[str, Value]:
    """The measure for each of the five partners (not China) in ``year``."""
    check_measure(measure_id)
    check_year(year)
    return {iso3: _value(atlas, measure_id, iso3, year) for iso3 in FOCUS}


def series(atlas, measure_id: str, iso3: str) -> list[Value]:
    """The measure for one partner, every year FIRST_YEAR..LAST_YEAR (gaps included)."""
    check_measure(measure_id)
    _check_iso3(iso3)
    return [_value(atlas, measure_id, iso3, y) for y in range(FIRST_YEAR, LAST_YEAR + 1)]


def all_values(atlas, measure_id: str) -> list[Value]:
    """Every country-year of the measure, by year then country (fixed breaks span them all)."""
    check_measure(measure_id)
    return [_value(atlas, measure_id, iso3, y) for y in range(FIRST_YEAR, LAST_YEAR + 1) for iso3 in FOCUS]


def mirror(atlas, iso3: str, year: int) -> Mirror:
    """China customs' and the partner's own count of their trade in ``year``, side by side."""
    _check_iso3(iso3)
    check_year(year)
    china = _value(atlas, "trade", iso3, year)
    partner = _gap(iso3, year, "trade")
    if year != SILK_ROAD_ERA:
        f = inputs(atlas).partner[iso3].get(year)
        if f is not None:
            partner = _from(iso3, year, "trade", f.value, f)
    gap = None
    if china.value is not None and partner.value is not None and partner.value > 0:
        gap = (china.value - partner.value) / partner.value * 100
    found = None
    for mn in inputs(atlas).data.mirror.get(iso3, ()) if year != SILK_ROAD_ERA else ():
        if mn.years is None or year in mn.years:
            found = mn
            break
    return Mirror(iso3=iso3, year=year, china=china, partner=partner, gap_pct=gap,
                  comparable=gap is not None and found is None, note=found and found.note,
                  note_sources=found.sources if found else ())


__all__ = ["Measure", "MEASURES", "DEFAULT", "Value", "Mirror", "check_measure", "values", "series",
           "all_values", "mirror", "inputs"]
