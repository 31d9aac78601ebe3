"""The details panel's content as HTML: country, China/region, hub, route, project.

Every figure is followed by bracketed source ids that link to the source list at the end;
derived, approximate and unconfirmed values say so next to the number.
"""

from __future__ import annotations

from dataclasses import replace
from html import escape

from silkmap.core.geo import leg_km
from silkmap.core.timeline import LAST_YEAR
from silkmap.i18n import labels as L
from silkmap.i18n import _, current, text
from silkmap.i18n.numbers import date, km, latlon, percent, year

CHART_WIDTH = 320  # px: the trade chart fits the panel at its minimum width (no sideways scrolling)

CSS = """
body { font-size: 10pt; }
h1 { font-size: 15pt; margin: 0 0 2px 0; }
h2 { font-size: 11pt; margin: 12px 0 4px 0; border-bottom: 1px solid #ccc; }
.native { color: #555; font-size: 11pt; }
.level { font-weight: bold; }
.muted { color: #666; }
.flag { color: #8a4b00; }
td { padding: 1px 6px 1px 0; vertical-align: top; }
a { color: #0b5cad; text-decoration: none; }
.src { font-size: 9pt; }
.asof { background: #eef4f8; border-left: 3px solid #4a9bcb; padding: 3px 6px; margin: 4px 0; }
"""


class Cites:
    """Collects cited source ids in order of first use; renders [n] links."""

    def __init__(self) -> None:
        self.ids: list[str] = []

    def __call__(self, ids) -> str:
        out = []
        for sid in ids:
            if sid not in self.ids:
                self.ids.append(sid)
            out.append(f'<a href="source:{escape(sid)}">{escape(sid)}</a>')
        return f' <span class="src">[{", ".join(out)}]</span>' if out else ""


MILESTONES = ("trains_20000",)  # hub figures whose date, not their count, is the news


class Raw(str):
    """HTML that ``fill`` inserts as it is."""


def fill(template: str, **values) -> str:
    """A translated template as HTML: the template and plain values escaped, Raw values kept."""
    return escape(template).format(**{k: v if isinstance(v, Raw) else escape(str(v))
                                      for k, v in values.items()})


def fig_html(fig, cite: Cites, with_note: bool = True) -> str:
    value = escape(L.qualified(fig))
    flag = ""
    if fig.confidence == "derived":
        value = "≈" + value
        flag = f' <span class="flag">{escape(_("derived"))}</span>'
    elif fig.confidence == "approx":
        value = "≈" + value
        flag = f' <span class="flag">{escape(_("approximate"))}</span>'
    elif fig.confidence == "unconfirmed":
        flag = f' <span class="flag">{escape(_("unconfirmed"))}</span>'
    elif fig.confidence == "general":
        flag = f' <span class="flag">{escape(_("not checked against a source"))}</span>'
    out = f"{value}{flag}{cite(fig.sources)}"
    if with_note and fig.note and fig.confidence in ("derived", "unconfirmed"):
        out += f'<br><span class="muted">{escape(text(fig.note))}</span>'
    return out


def _project_list(projects, cite: Cites) -> str:
    """Projects as links that select them (and show them on the map), with status and sources."""
    items = [f'<div class="muted">{escape(_("Select a project to show it on the map."))}</div><ul>']
    for pr in projects:
        link = f'<a href="project:{escape(pr.id)}">{escape(text(pr.name))}</a>'
        item = fill(_("{name} — {status}"), name=Raw(link), status=L.label(L.PROJECT_STATUS, pr.status))
        items.append(f"<li>{item}{cite(pr.sources)}</li>")
    return "".join(items) + "</ul>"


def _sources_html(atlas, cite: Cites) -> str:
    rows = []
    for sid in cite.ids:
        s = atlas.sources[sid]
        url = f' <a href="{escape(s.url)}">{escape(s.url)}</a>' if s.url else ""
        rows.append(f'<p class="src"><a name="src-{escape(sid)}"></a><b>[{escape(sid)}]</b> '
                    f'{escape(s.publisher)} — “{escape(s.title)}”'
                    f'{(", " + escape(s.date)) if s.date else ""}.{url} '
                    f'<a href="copy:{escape(sid)}">{escape(_("Copy citation"))}</a></p>')
    return f"<h2>{escape(_('Sources'))}</h2>" + "".join(rows) if rows else ""


def _year(atlas, kind: str, ident: str, map_year: int | None, cite: Cites) -> str:
    if map_year is None:
        return ""
    from silkmap.ui.details_year import year_html

    return year_html(atlas, kind, ident, map_year, cite, fig_html)


def country_html(atlas, iso3: str, chart_url: str | None = None, map_year: int | None = None) -> tuple[str, list[str]]:
    p = atlas.profiles[iso3]
    if p.is_china:
        return region_html(atlas)
    cite = Cites()
    country = atlas.countries[iso3]
    h = [f"<h1>{escape(text(p.name))}</h1>"]
    # Under the name: in English its Chinese names; in Chinese the official name (no English).
    if current() == "en":
        others = [country.names[lang] for lang in ("zh-Hans", "zh-Hant")]
    else:
        others = [text(p.official_name)]
    others = [o for o in dict.fromkeys(others) if o and o != text(p.name)]
    if others:
        h.append(f'<div class="native">{escape(" · ".join(others))}</div>')
    cap = atlas.places[p.capital]
    h.append(f'<div class="muted">{escape(_("Capital: {name}").format(name=text(cap.name)))}</div>')
    h.append(_year(atlas, "country", iso3, map_year, cite))
    # Partnership
    h.append(f"<h2>{escape(_('Partnership with China'))}</h2>")
    if p.current_level:
        level = _("{level} ({year})").format(level=text(p.current_level), year=p.current_year)
        h.append(f'<div class="level">{escape(level)}</div>')
    if p.relations_since:
        since = _("Diplomatic relations since {date}").format(date=date(p.relations_since.date))
        h.append(f'<div>{escape(since)}{cite(p.relations_since.sources)}</div>')
    if p.partnership:
        h.append("<table>")
        for ev in p.partnership:
            label = escape(text(ev.label))
            extra = f'<br><span class="muted">{escape(text(ev.event))}</span>' if ev.event else ""
            h.append(f"<tr><td>{escape(date(ev.date))}</td><td>{label}{cite(ev.sources)}{extra}</td></tr>")
        h.append("</table>")
    # Trade
    h.append(f"<h2>{escape(_('Trade with China'))}</h2>")
    h.append(f'<div class="muted">{escape(text(p.trade_basis))}</div>')
    if chart_url:
        h.append(f'<p><img src="{chart_url}" width="{CHART_WIDTH}"></p>')
    totals = {y: atlas.region.facts.get(f"trade-{y}-total") for y in p.trade}
    h.append("<table>")
    h.append(f"<tr><td></td><td><b>{escape(_('Turnover'))}</b></td><td><b>{escape(_('Share of China–Central Asia total'))}</b></td></tr>")
    for y, fig in p.trade.items():
        total = totals.get(y)
        share = ""
        if total is not None and total.figure.value:
            pct = 100.0 * fig.value / total.figure.value
            share = ("≈" if fig.confidence != "confirmed" else "") + percent(pct)
        h.append(f"<tr><td>{escape(year(y))}</td><td>{fig_html(fig, cite)}</td><td>{escape(share)}</td></tr>")
    h.append("</table>")
    h.append(f'<div class="muted">{escape(_("Shares are calculated against the region totals, whose sources are listed below."))}</div>')
    for y, total in totals.items():
        if total is not None:
            cite(total.figure.sources)
    if p.china_rank_2022 is not None:
        rank = fill(_("In 2022 China was {country}’s trading partner no. {rank}."),
                    country=text(p.name), rank=int(p.china_rank_2022.value))
        h.append(f"<p>{rank}{cite(p.china_rank_2022.sources)}</p>")
    if p.partner_side:
        h.append(f'<p><b>{escape(_("The partner country’s own statistics"))}</b></p><table>')
        for ps in p.partner_side:
            note = f'<br><span class="muted">{escape(text(ps.note))}</span>' if ps.note else ""
            h.append(f"<tr><td>{escape(year(ps.period))}</td><td>{fig_html(ps.figure, cite)}{note}</td></tr>")
        h.append("</table>")
    from silkmap.ui.details_mirror import mirror_html

    h.append(mirror_html(atlas, iso3, map_year if map_year is not None else LAST_YEAR, cite))
    # Memberships
    h.append(f"<h2>{escape(_('Memberships'))}</h2><table>")
    for code, m in p.memberships.items():
        status = L.membership_status(m)
        flag = ""
        if m.status_confidence == "unconfirmed":
            flag = f' <span class="flag">{escape(_("unconfirmed"))}</span>'
        elif m.confidence == "unconfirmed":  # documents signed, but the year is not confirmed
            flag = f' <span class="flag">· {escape(_("year unconfirmed"))}</span>'
        h.append(f"<tr><td>{escape(L.label(L.MEMBERSHIP, code))}</td><td>{escape(status)}{flag}"
                 f"{cite(m.sources)}<br><span class='muted'>{escape(text(m.detail))}</span></td></tr>")
    h.append("</table>")
    # Projects
    if p.projects:
        h.append(f"<h2>{escape(_('Belt and Road projects'))}</h2>")
        h.append(_project_list(p.projects, cite))
    h.append(_sources_html(atlas, cite))
    return "".join(h), cite.ids


def region_html(atlas) -> tuple[str, list[str]]:
    cite = Cites()
    reg = atlas.region
    china = atlas.profiles["CHN"]
    h = [f"<h1>{escape(text(china.name))}</h1>",
         f'<div class="native">{escape(_("China and Central Asia: the region-level facts"))}</div>']
    h.append(f"<h2>{escape(_('Trade, investment and finance'))}</h2><table>")
    for fact in reg.facts.values():
        h.append(f"<tr><td>{escape(text(fact.label))}</td><td>{fig_html(fact.figure, cite)}</td></tr>")
    h.append("</table>")
    h.append(f"<h2>{escape(_('Five proposals (video summit, January 2022)'))}</h2><ol>")
    for item in reg.proposals_2022.items:
        h.append(f"<li>{escape(text(item))}</li>")
    h.append(f"</ol><div>{cite(reg.proposals_2022.sources)}</div>")
    if reg.proposals_2022.note:
        h.append(f'<div class="flag">{escape(text(reg.proposals_2022.note))}</div>')
    h.append(f"<h2>{escape(_('The summit as a strategic upgrade: five aspects'))}</h2><ol>")
    for item in reg.upgrade_aspects.items:
        h.append(f"<li>{escape(text(item))}</li>")
    h.append(f"</ol><div>{cite(reg.upgrade_aspects.sources)}</div>")
    if reg.summits:
        h.append(f"<h2>{escape(_('Summits'))}</h2>")
        for s in reg.summits:
            name = Raw(f"<b>{escape(text(s.name))}</b>")
            if s.place:
                line = fill(_("{name} — {place}, {date}"), name=name, place=text(s.place), date=date(s.dates))
            else:
                line = fill(_("{name}, {date}"), name=name, date=date(s.dates))
            h.append(f"<p>{line}{cite(s.sources)}</p><ul>")
            for pt in s.points:
                h.append(f"<li>{escape(text(pt))}</li>")
            h.append("</ul>")
    if china.projects:
        h.append(f"<h2>{escape(_('Hubs and border ports in China'))}</h2>")
        h.append(_project_list(china.projects, cite))
    h.append(_sources_html(atlas, cite))
    return "".join(h), cite.ids


def hub_html(atlas) -> tuple[str, list[str]]:
    cite = Cites()
    hub = atlas.region.hub
    h = [f"<h1>{escape(text(hub.name))}</h1>",
         f'<div class="native">{escape(_("Silk Road hub"))}</div>',
         f"<p>{escape(text(hub.summary))}{cite(hub.sources)}</p>",
         f"<h2>{escape(_('China–Europe Railway Express (Chang’an)'))}</h2><table>"]
    for key, ev in hub.dates.items():  # dated milestones: the date is the fact
        h.append(f"<tr><td>{escape(L.label(L.HUB_FIGURE, key))}</td>"
                 f"<td>{escape(date(ev.date))}{cite(ev.sources)}</td></tr>")
    for key, fig in hub.figures.items():
        label = escape(L.label(L.HUB_FIGURE, key))
        if fig.date and key in MILESTONES:  # "20,000th train": when it ran
            h.append(f"<tr><td>{label}</td><td>{escape(date(fig.date))}{cite(fig.sources)}</td></tr>")
        else:
            h.append(f"<tr><td>{label}</td><td>{fig_html(fig, cite)}</td></tr>")
    h.append("</table>")
    for s in atlas.region.summits:
        if "2023" in s.dates or "xian" in s.id:
            h.append(f"<h2>{escape(text(s.name))}</h2><ul>")
            for pt in s.points:
                h.append(f"<li>{escape(text(pt))}</li>")
            h.append(f"</ul><div>{cite(s.sources)}</div>")
    h.append(_sources_html(atlas, cite))
    return "".join(h), cite.ids


def route_html(atlas, rid: str, map_year: int | None = None) -> tuple[str, list[str]]:
    cite = Cites()
    r = atlas.routes[rid]
    h = [f"<h1>{escape(text(r.name))}</h1>",
         f'<div class="native">{escape(L.label(L.ROUTE_KIND, r.kind))} · {escape(L.label(L.ROUTE_STATUS, r.status))}</div>',
         _year(atlas, "route", rid, map_year, cite),
         f"<p>{escape(text(r.description))}{cite(r.sources)}</p><table>"]
    if r.length is None:
        h.append(f"<tr><td>{escape(_('Length'))}</td><td class='flag'>{escape(_('not sourced'))}</td></tr>")
    else:
        h.append(f"<tr><td>{escape(_('Length'))}</td><td>{fig_html(r.length, cite)}</td></tr>")
        for v in r.length.variants:
            if not v.unit:  # a variant is in its figure's unit
                v = replace(v, unit=r.length.unit)
            also = fill(_("also reported: {value}"), value=Raw(fig_html(v, cite)))
            h.append(f"<tr><td></td><td class='muted'>{also}</td></tr>")
    for key, fig in r.figures.items():
        h.append(f"<tr><td>{escape(L.label(L.PROJECT_FIGURE, key))}</td><td>{fig_html(fig, cite)}</td></tr>")
    h.append(f"<tr><td>{escape(_('Drawn length'))}</td><td>{escape(km(r.geodesic_km))}"
             f"<br><span class='muted'>{escape(_('(measured along great-circle legs between the drawn waypoints)'))}</span></td></tr>")
    h.append("</table>")
    if r.note:
        h.append(f'<p class="muted">{escape(text(r.note))}</p>')
    h.append(f"<h2>{escape(_('Waypoints'))}</h2><ol>")
    for prev, w in zip((None,) + r.waypoints, r.waypoints):
        flags = []
        if w.on_route == "inferred":
            flags.append(_("inferred"))
        if w.confidence in ("approx", "general", "unconfirmed"):
            flags.append(L.label(L.CONFIDENCE, w.confidence))
        flag = f' <span class="flag">{escape(" · ".join(flags))}</span>' if flags else ""
        leg = ""
        if w.leg_inferred:  # a guess across ground no source describes
            length = km(round(leg_km(prev, w), -1))
            leg = f'<br><span class="flag">{escape(_("inferred alignment from the previous waypoint ({length})").format(length=length))}</span>'
        h.append(f"<li>{escape(text(w.name))}{cite(w.sources)}{flag}{leg}</li>")
    h.append("</ol>")
    h.append(_sources_html(atlas, cite))
    return "".join(h), cite.ids


def project_html(atlas, pid: str, map_year: int | None = None) -> tuple[str, list[str]]:
    cite = Cites()
    pr = next(p for prof in atlas.profiles.values() for p in prof.projects if p.id == pid)
    country = atlas.profiles[pr.country]
    h = [f"<h1>{escape(text(pr.name))}</h1>",
         f'<div class="native">{escape(text(pr.type))} · {escape(L.label(L.PROJECT_STATUS, pr.status))}</div>',
         _year(atlas, "project", pid, map_year, cite),
         f"<p>{escape(text(pr.summary))}{cite(pr.sources)}</p>"]
    if pr.figures:
        h.append("<table>")
        for key, fig in pr.figures.items():
            if key == "capacity" and fig.unit == "MW":
                key = "capacity_mw"  # a power plant's capacity is its installed capacity
            h.append(f"<tr><td>{escape(L.label(L.PROJECT_FIGURE, key))}</td><td>{fig_html(fig, cite)}</td></tr>")
        h.append("</table>")
    loc = L.label(L.CONFIDENCE, pr.location_confidence)
    position = _("Map position: {position} ({confidence})").format(position=latlon(pr.lat, pr.lon),
                                                                     confidence=loc)
    note = f"<br>{escape(text(pr.location_note))}" if pr.location_note else ""
    h.append(f'<p class="muted">{escape(position)}{note}</p>')
    h.append(f'<p><a href="country:{country.iso3}">← {escape(text(country.name))}</a></p>')
    h.append(_sources_html(atlas, cite))
    return "".join(h), cite.ids
