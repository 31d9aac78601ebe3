"""Help → About: version, data sources and licences."""

from __future__ import annotations

from html import escape

from silkmap.i18n import _
from silkmap.ui.details_html import Raw, fill


def _row(label: str, value: str) -> str:
    return "<p>" + fill(_("{label}: {value}"), label=Raw(f"<b>{escape(label)}</b>"), value=value) + "</p>"


def about_html(atlas, version: str) -> str:
    ne = atlas.sources["NE"] if "NE" in atlas.sources else None
    parts = [f"<h3>silkmap {escape(version)}</h3>",
             f"<p>{escape(_('China–Central Asia relations on a map: real boundaries, Silk Road routes and sourced facts.'))}</p>",
             _row(_("Boundaries"), _("Natural Earth 4.1.0 (public domain), via the npm package world-atlas 2.0.2 "
                                     "(ISC licence).")),
             _row(_("Facts and figures"),
                  _("{n} cited sources; each figure in the details panel names its own.").format(
                      n=len(atlas.sources.sources))),
             _row(_("Trade"), _("China customs (GACC) statistics; partner-side statistics differ.")),
             _row(_("Projection"), _("Albers equal-area conic, standard parallels 30°N and 50°N, central meridian 80°E.")),
             f"<p>{escape(_('Software licence: MIT. Qt for Python (LGPL), matplotlib, shapely, pyproj.'))}</p>"]
    if ne is not None:
        parts.append(f'<p><a href="{escape(ne.url)}">{escape(ne.url)}</a></p>')
    return "".join(parts)
