"""The details panel's mirror statistics: China customs' and the partner's own count of their
trade in the map's year side by side, the gap between them and why they may not compare."""

from __future__ import annotations

from html import escape

from silkmap.i18n import _, text
from silkmap.i18n.numbers import usd_bn


def mirror_html(atlas, iso3: str, year: int, cite) -> str:
    """A small table, or "" where neither side has a figure for the year (or the data of the
    measures cannot be read: the rest of the panel stays)."""
    from silkmap.core import measures
    from silkmap.core.data_rows import number
    from silkmap.core.errors import DataError
    from silkmap.core.timeline import SILK_ROAD_ERA

    if year == SILK_ROAD_ERA:
        return ""
    try:
        m = measures.mirror(atlas, iso3, year)
    except (DataError, ValueError):
        return ""
    if m.china.value is None and m.partner.value is None:
        return ""

    def side(v) -> str:
        if v.value is None:
            return f"<span class='muted'>{escape(_('no sourced figure'))}</span>"
        flag = f' <span class="flag">{escape(_("unconfirmed"))}</span>' if v.confidence != "confirmed" else ""
        return escape(usd_bn(v.value)) + flag + cite(v.sources)

    rows = [(_("China customs (shown on the map)"), side(m.china)),
            (_("The partner country’s own statistics"), side(m.partner))]
    if m.gap_pct is not None:
        rows.append((_("Mirror gap"), escape(number("gap", m.gap_pct) + " %")))
    h = [f'<p><b>{escape(_("Mirror statistics, {year}").format(year=year))}</b></p><table>']
    h += [f"<tr><td>{escape(label)}</td><td>{value}</td></tr>" for label, value in rows]
    h.append("</table>")
    if m.gap_pct is not None and not m.comparable:
        why = text(m.note) if m.note else ""
        note = _("not comparable: {why}").format(why=why) if why else _("not comparable")
        h.append(f'<div class="muted">{escape(note)}</div>')
    return "".join(h)
