"""Focus: the hovered or selected route, the hub's ring and the selected project, on top."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPen

from silkmap.render import style
from silkmap.render.layers import DYNAMIC, VIEW, Layer
from silkmap.render.layers.places import diamond
from silkmap.render.year_style import dash_status, route_colour, route_status

HUB_RING_R = 17.0


class FocusLayer(Layer):
    name = "focus"
    depends_on = VIEW | DYNAMIC

    def paint(self, painter, frame) -> None:
        snap = frame.snap
        vp, s = snap.vp, snap.scale
        painter.save()
        painter.setBrush(Qt.BrushStyle.NoBrush)
        rect = frame.view_rect()
        for item in (snap.hover, snap.selection):
            if item and item.kind == "route" and item.id in self.atlas.routes:
                r = self.atlas.routes[item.id]
                status = route_status(r, snap.dated)
                if status is None or not self.renderer.route_bounds[r.id].intersects(rect):
                    continue  # not yet agreed in the year shown
                path = self.renderer.focus_route_path(r.id)
                casing, line = style.casing_pen(r.kind, s, True), style.route_pen(r.kind, dash_status(r, status), s, True)
                line.setColor(route_colour(r, status))
                if snap.vector:
                    path = frame.to_output(path)
                    casing, line = frame.output_pen(casing), frame.output_pen(line)
                else:
                    painter.save()
                    painter.setTransform(frame.map_tf, True)
                painter.setPen(casing)
                painter.drawPath(path)
                painter.setPen(line)
                painter.drawPath(path)
                if not snap.vector:
                    painter.restore()
        sel = snap.selection
        for item in (snap.hover, sel):
            if item and item.kind == "hub":  # a ring around the star: the hub is the focus
                hub = self.atlas.hub
                hx, hy = vp.to_screen(hub.x, hub.y)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.setPen(QPen(style.HUB, (2.4 if item is sel else 1.4) * s))
                painter.drawEllipse(QPointF(hx, hy), HUB_RING_R * s, HUB_RING_R * s)
        if (sel and sel.kind == "project" and sel.id in self.renderer._project_xy
                and self.renderer.project_shown(sel.id, snap)):
            px, py = vp.to_screen(*self.renderer._project_xy[sel.id])
            painter.setPen(QPen(QColor("#1d1d1d"), 1.6 * s))
            painter.setBrush(QColor("#ffb000"))
            painter.drawPolygon(diamond(px, py, 8.0 * s))
        painter.restore()
