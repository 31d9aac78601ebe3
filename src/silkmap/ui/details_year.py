"""The details panel's note of the year on the map: what the selected country, route or
project was in that year, with its sources (core/timeline.py)."""

from __future__ import annotations

from html import escape

from silkmap.core import timeline
from silkmap.core.dated import STATUSES, date_key
from silkmap.core.facts import FOCUS
from silkmap.i18n import _, text


def _last_step(atlas, ident: str, year: int):
    """The latest dated status change of the route or project by ``year`` (its status then)."""
    found = None
    for ev in timeline.events(atlas):  # in date order
        if ev.opens == ident and ev.status in STATUSES and ev.year <= year:
            found = ev
    return found


def year_html(atlas, kind: str, ident: str, year: int, cite, fig_html) -> str:
    """A short block under the panel's heading, or "" (the Silk Road era, a hub)."""
    if year == timeline.SILK_ROAD_ERA or kind not in ("country", "route", "project"):
        return ""
    head = f"<b>{escape(_('As of {year}').format(year=year))}</b>"
    if kind == "country":
        if ident not in FOCUS:
            return ""
        span = None
        for s in timeline.levels(atlas, ident):
            if date_key(s.start)[0] <= year:
                span = s
        level = (f"{escape(text(span.label))} <span class='muted'>({escape(span.start)})</span>{cite(span.sources)}"
                 if span is not None else escape(_("not yet agreed")))
        fig = dict(timeline.trade_figures(atlas, ident)).get(year)
        trade = fig_html(fig, cite) if fig is not None else f"<span class='muted'>{escape(_('no sourced figure'))}</span>"
        return (f'<div class="asof">{head}<br>{level}<br>{escape(_("Trade with China"))}: {trade}</div>')
    if kind == "route" and atlas.routes[ident].era == "historical":
        return ""
    ev = _last_step(atlas, ident, year)
    if ev is None:
        return f'<div class="asof">{head}: {escape(_("not yet agreed"))}</div>'
    when = f" <span class='muted'>({escape(ev.date)})</span>{cite(ev.sources)}"
    return f'<div class="asof">{head}: {escape(_(timeline.STATUS_TITLE[ev.status]))}{when}</div>'
