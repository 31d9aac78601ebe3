"""Help → About: version, data sources and licences."""

from __future__ import annotations

from html import escape

from silkmap.i18n import _


def about_html(atlas, version: str) -> str:
    ne = atlas.sources["NE"] if "NE" in atlas.sources else None
    parts = [f"<h3>silkmap {escape(version)}</h3>",
             f"<p>{escape(_('China–Central Asia relations on a map: real boundaries, Silk Road routes and sourced facts.'))}</p>",
             f"<p><b>{escape(_('Boundaries'))}</b>: Natural Earth 4.1.0 "
             f"({escape(_('public domain'))}), {escape(_('via the npm package world-atlas 2.0.2 (ISC licence)'))}.</p>",
             f"<p><b>{escape(_('Facts and figures'))}</b>: "
             f"{escape(_('{n} cited sources; each figure in the details panel names its own.').format(n=len(atlas.sources.sources)))}</p>",
             f"<p><b>{escape(_('Trade'))}</b>: {escape(_('China customs (GACC) statistics; partner-side statistics differ.'))}</p>",
             f"<p><b>{escape(_('Projection'))}</b>: {escape(_('Albers equal-area conic, standard parallels 30°N and 50°N, central meridian 80°E.'))}</p>",
             f"<p>{escape(_('Software licence: MIT. Qt for Python (LGPL), matplotlib, shapely, pyproj.'))}</p>"]
    if ne is not None:
        parts.append(f'<p><a href="{escape(ne.url)}">{escape(ne.url)}</a></p>')
    return "".join(parts)
