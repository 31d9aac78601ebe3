"""A country's profile as plain text (for `silkmap info`) and as JSON (for scripts)."""

from __future__ import annotations

from silkmap.i18n import labels
from silkmap.core.facts import Figure
from silkmap.i18n import _, current, text
from silkmap.i18n.numbers import date, year


def figure_text(fig: Figure) -> str:
    s = labels.qualified(fig)
    if fig.confidence == "derived":
        s = _("{value} (derived)").format(value="≈" + s)
    elif fig.confidence == "unconfirmed":
        s = _("{value} (unconfirmed)").format(value=s)
    elif fig.confidence == "approx":
        s = "≈" + s
    return s


def refs(ids) -> str:
    if not ids:  # an unconfirmed figure no source could be found for
        return "[" + _("no source found") + "]"
    return "[" + ", ".join(ids) + "]"


def profile_text(atlas, iso3: str) -> str:
    p = atlas.profiles[iso3]
    lines = [_("{name} ({code})").format(name=text(p.name), code=iso3), "=" * 40]
    cap = atlas.places[p.capital]
    lines.append(_("Capital: {name}").format(name=text(cap.name)))
    lines.append(f"{_('Area: {value}').format(value=figure_text(p.area_km2))} {refs(p.area_km2.sources)}")
    if p.population:
        lines.append(f"{_('Population: {value}').format(value=figure_text(p.population))} "
                     f"{refs(p.population.sources)}")
    if p.relations_since:
        lines.append(f"{_('Diplomatic relations with China since {date}').format(date=date(p.relations_since.date))} "
                     f"{refs(p.relations_since.sources)}")
    if p.current_level:
        level = _("{level} ({year})").format(level=text(p.current_level), year=p.current_year)
        lines += ["", _("Partnership with China"), "  " + _("Current level: {level}").format(level=level)]
        for ev in p.partnership:
            lines.append(f"  {_('{label}: {value}').format(label=date(ev.date), value=text(ev.label))} {refs(ev.sources)}")
    if p.trade:
        lines += ["", _("Trade with China — {basis}").format(basis=text(p.trade_basis))]
        for y, fig in p.trade.items():
            lines.append(f"  {_('{label}: {value}').format(label=year(y), value=figure_text(fig))} {refs(fig.sources)}")
            if fig.confidence == "derived" and fig.note:
                lines.append(f"        {text(fig.note)}")
    if p.memberships:
        lines += ["", _("Memberships")]
        for code, m in p.memberships.items():
            entry = _("{label}: {value}").format(label=labels.label(labels.MEMBERSHIP_SHORT, code),
                                                 value=labels.membership_status(m))
            lines.append(f"  {entry} {refs(m.sources)}")
    if p.projects:
        lines += ["", _("Belt and Road projects")]
        for pr in p.projects:
            entry = _("{name} — {status}").format(name=text(pr.name),
                                                   status=labels.label(labels.PROJECT_STATUS, pr.status))
            lines.append(f"  {entry} {refs(pr.sources)}")
    lines += ["", _("Sources")]
    for sid in atlas.all_sources_of(p):
        lines.append(f"  [{sid}] {atlas.sources[sid].citation()}")
    return "\n".join(lines) + "\n"


def _fig(fig: Figure | None):
    if fig is None:
        return None
    out = {"value": fig.value, "unit": fig.unit, "confidence": fig.confidence,
           "sources": list(fig.sources)}
    if fig.note:
        out["note"] = text(fig.note)
    if fig.variants:
        out["variants"] = [_fig(v) for v in fig.variants]
    return out


def dated_json(atlas, iso3: str) -> dict:
    """The country's dated series: levels with from/to, trade every year (gaps as null),
    partner-side trade, and the events and status changes that concern it, in date order."""
    from silkmap.core import timeline

    p = atlas.profiles[iso3]
    projects = {pr.id for pr in p.projects}
    trade = None
    if not p.is_china:
        figures = dict(timeline.trade_figures(atlas, iso3))
        trade = {"basis": text(atlas.dated().trade_basis), "unit": "USD",
                 "years": [{"year": y, "value": v, "source": sid,
                            "sources": list(figures[y].sources) if figures[y] else [],
                            "confidence": figures[y].confidence if figures[y] else None}
                           for y, v, sid in timeline.trade_series(atlas, iso3)],
                 # the Central Asian side's own statistics: a different count, never mixed in
                 "partner_side": [{"year": y, "value": float(round(f.value * 1e9)), "sources": list(f.sources),
                                   "note": f.note and text(f.note)}
                                  for y, f in timeline.partner_series(atlas, iso3)]}
    events = [{"date": e.date, "kind": e.kind, "title": _(e.title), "label": e.label and text(e.label),
               "countries": list(e.iso3s), "status": e.status, "opens": e.opens, "sources": list(e.sources)}
              for e in timeline.events(atlas)
              if iso3 in e.iso3s or e.opens == iso3 or e.opens in projects]
    return {
        "first_year": timeline.FIRST_YEAR, "last_year": timeline.LAST_YEAR,
        "levels": [{"level": s.level, "name": _(timeline.LEVEL_TITLE[s.level]), "label": text(s.label),
                    "from": s.start, "to": s.end, "sources": list(s.sources)}
                   for s in timeline.levels(atlas, iso3)],
        "trade": trade,
        "events": events,
    }


def _cited(data) -> list[str]:
    """Source ids under any "sources" / "source" key, in order of first mention."""
    seen: dict[str, None] = {}

    def walk(o, key=None):
        if isinstance(o, dict):
            for k, v in o.items():
                walk(v, k)
        elif isinstance(o, list):
            for v in o:
                walk(v, key)
        elif key in ("sources", "source") and isinstance(o, str):
            seen.setdefault(o)

    walk(data)
    return list(seen)


def profile_json(atlas, iso3: str) -> dict:
    out = _profile_json(atlas, iso3)
    out["dated"] = dated = dated_json(atlas, iso3)
    for sid in _cited(dated):
        if sid not in out["sources"]:
            s = atlas.sources[sid]
            out["sources"][sid] = {"publisher": s.publisher, "title": s.title, "date": s.date, "url": s.url}
    return out


def _profile_json(atlas, iso3: str) -> dict:
    p = atlas.profiles[iso3]
    return {
        "iso3": iso3, "language": current(), "name": p.name, "capital": text(atlas.places[p.capital].name),
        "area_km2": _fig(p.area_km2), "population": _fig(p.population),
        "diplomatic_relations": p.relations_since and {"date": p.relations_since.date,
                                                       "sources": list(p.relations_since.sources)},
        "partnership": p.current_level and {
            "current": {"label": text(p.current_level), "year": p.current_year},
            "history": [{"date": e.date, "label": text(e.label), "sources": list(e.sources),
                         "confidence": e.confidence} for e in p.partnership]},
        "trade": p.trade and {"basis": text(p.trade_basis),
                              "usd_bn": {y: _fig(f) for y, f in p.trade.items()}},
        "memberships": {k: {"status": m.status, "since": m.since, "sources": list(m.sources),
                            "confidence": m.confidence} for k, m in p.memberships.items()},
        "projects": [{"id": pr.id, "name": text(pr.name), "status": pr.status, "lon": pr.lon,
                      "lat": pr.lat, "sources": list(pr.sources)} for pr in p.projects],
        "sources": {sid: {"publisher": s.publisher, "title": s.title, "date": s.date, "url": s.url}
                    for sid in atlas.all_sources_of(p) for s in [atlas.sources[sid]]},
    }
