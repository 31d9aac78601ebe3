"""Countries: every country in its plain fill with its outline, and the countries' names. The
five partners are filled by their partnership level that year, or by their class of the measure
shown (render/choropleth.py), a partner without data hatched."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter

from silkmap.i18n import text
from silkmap.render import style
from silkmap.render.layers import TIME, VIEW, Layer
from silkmap.render.layers.labels import FOCUS_COUNTRY, NEIGHBOUR, LabelRequest
from silkmap.render.text import is_latin
from silkmap.render.year_style import colours_by_level, country_fill

FOCUS_LABEL_ORDER = ("KAZ", "CHN", "UZB", "TKM", "KGZ", "TJK")
MIN_LABELLED_AREA_PX = 2500  # a neighbour smaller than this on screen carries no name


def visible_tiles(paths, countries, bounds):
    """(focus, others): the (iso3, paths, visible piece indices) of each country on screen."""
    focus, others = [], []
    for iso, cp in paths.items():
        country = countries.get(iso)
        if country is None:
            continue
        tiles = cp.visible(*bounds)
        if len(tiles):
            (focus if country.is_focus else others).append((iso, cp, tiles))
    return focus, others


class CountriesLayer(Layer):
    name = "countries"
    depends_on = VIEW | TIME  # the five are filled by their partnership level that year

    def paint(self, painter, frame) -> None:
        snap = frame.snap
        focus, others = visible_tiles(snap.paths, self.atlas.countries, snap.vp.bounds())
        s = snap.scale
        painter.save()
        draw, pen = frame.path_drawing(painter)
        # Fills without anti-aliasing, outlines with it: the 1 px outline covers the fill's
        # stair-steps, and anti-aliased filling of 1:10m coastlines is most of a frame's cost.
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(style.NEIGHBOUR_FILL if snap.layer_on("neighbours") else style.NEIGHBOUR_HIDDEN)
        for _iso, cp, tiles in others:
            for i in tiles:
                draw(cp.fills[i])
        by_level = colours_by_level(snap.dated, snap.layer_on)
        classes = snap.classes if by_level else None
        for iso, cp, tiles in focus:
            painter.setBrush(country_fill(iso, snap.dated, by_level, classes))
            for i in tiles:
                draw(cp.fills[i])
        gaps = [(cp, tiles) for iso, cp, tiles in focus if classes is not None and iso in classes.gaps()]
        if gaps:
            from silkmap.render.choropleth import no_data_brush

            # Raster: the painter draws in metres, so the hatch is sized back to pixels.
            painter.setBrush(no_data_brush(None if snap.vector else frame.map_tf, s))
            for cp, tiles in gaps:
                for i in tiles:
                    draw(cp.fills[i])
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(pen(style.cosmetic(style.NEIGHBOUR_EDGE, 0.9 * s)))
        for _iso, cp, tiles in others:
            for i in tiles:
                draw(cp.lines[i])
        painter.setPen(pen(style.cosmetic(style.FOCUS_EDGE, 1.0 * s)))
        for _iso, cp, tiles in focus:
            for i in tiles:
                draw(cp.lines[i])
        painter.restore()

    def labels(self, frame) -> list:
        """The six first (moved if they must be, never dropped), then the neighbours."""
        snap = frame.snap
        if not snap.layer_on("labels"):
            return []
        vp, lang = snap.vp, snap.language
        countries, anchors = self.atlas.countries, self.renderer._anchors
        font = frame.fonts.focus
        out = []
        for iso in FOCUS_LABEL_ORDER:
            px, py = vp.to_screen(*anchors[iso])
            if not frame.on_screen(px, py, -4):
                continue
            name = text(countries[iso].names, lang)
            shown = name.upper() if is_latin(name) else name
            out.append(LabelRequest(FOCUS_COUNTRY, "country", iso, shown, font, px, py, style.LABEL,
                                    ((-font.width(name) / 2, -font.height() / 2),),
                                    must=True, leader_from=(px, py)))
        if not snap.layer_on("neighbours"):
            return out
        font = frame.fonts.neighbour
        for iso, c in countries.items():
            if c.is_focus or c.role != "neighbour":
                continue
            px, py = vp.to_screen(*anchors[iso])
            if not frame.on_screen(px, py, -10):
                continue
            if self.renderer.country_area(iso) * vp.scale * vp.scale < MIN_LABELLED_AREA_PX:
                continue
            name = text(c.names, lang)
            w, h = font.width(name), font.height()
            # Nudged a little (not far: it must stay over its country) when crowded or when
            # the view's edge cuts it.
            nudges = tuple((-w / 2 + dx * w * 0.6, -h / 2 + dy * h * 1.2)
                           for dx, dy in ((0, 0), (0, -1), (0, 1), (-1, 0), (1, 0),
                                          (-1, -1), (1, -1), (-1, 1), (1, 1)))
            out.append(LabelRequest(NEIGHBOUR, "country", iso, name, font, px, py,
                                    style.LABEL_NEIGHBOUR, nudges))
        return out
