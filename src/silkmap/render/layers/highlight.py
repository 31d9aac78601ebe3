"""Highlight: the hovered and the selected country tinted over the plain fills."""

from __future__ import annotations

from PySide6.QtCore import Qt

from silkmap.render import style
from silkmap.render.layers import DYNAMIC, TIME, VIEW, Layer
from silkmap.render.year_style import colours_by_level, selected_fill


class HighlightLayer(Layer):
    name = "highlight"
    depends_on = VIEW | DYNAMIC | TIME

    def paint(self, painter, frame) -> None:
        snap = frame.snap
        sel = snap.selection.id if snap.selection and snap.selection.kind == "country" else None
        hov = snap.hover.id if snap.hover and snap.hover.kind == "country" else None
        if not (sel and snap.highlight_selection) and not hov:
            return
        paths, bounds, s = snap.paths, snap.vp.bounds(), snap.scale
        painter.save()
        draw, pen = frame.path_drawing(painter)
        if hov and hov != sel and hov in paths:
            country = self.atlas.countries.get(hov)
            if country is not None and (country.is_focus or snap.layer_on("neighbours")):
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(style.hover_tint(hov if country.is_focus else None))
                cp = paths[hov]
                for i in cp.visible(*bounds):
                    draw(cp.fills[i])
        if sel and snap.highlight_selection and sel in paths:
            cp = paths[sel]
            tiles = cp.visible(*bounds)
            painter.setPen(Qt.PenStyle.NoPen)
            deeper = selected_fill(sel, snap.dated, colours_by_level(snap.dated, snap.layer_on), snap.classes)
            painter.setBrush(deeper if deeper is not None else style.selected_tint(sel))
            for i in tiles:
                draw(cp.fills[i])
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(pen(style.cosmetic(style.SELECTED_EDGE, 2.6 * s)))
            for i in tiles:
                draw(cp.lines[i])
        painter.restore()
