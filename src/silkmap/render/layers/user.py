"""The user's own layers (GeoJSON, CSV, KML…): polygons, lines and points in each layer's
style, bottom to top in the order the layers dock lists them, and their labels.

Points are many (a 100,000-row CSV is an ordinary file): the visible ones are found and
moved to screen pixels with numpy in one step and stamped as discs into one image
(``point_splat``); vector targets get real circles.
"""

from __future__ import annotations

import math
import threading

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen

from silkmap.render.layers import VIEW, Layer
from silkmap.render.layers.labels import PLACE, LabelRequest
from silkmap.render.paths import polygon_from_array
from silkmap.render import gil_free_painter
from silkmap.render.point_splat import splat

USER_LABEL = PLACE + 1  # after every built-in label: the map's own names keep their places
MAX_LABELS = 400  # label candidates per layer and frame; the rest would not fit anyway
OUTLINE = QColor(255, 255, 255, 230)


def style_colour(style: dict, alpha: float = 1.0) -> QColor:
    c = QColor(style["colour"])
    c.setAlphaF(c.alphaF() * alpha)
    return c


def visible_points(data, vp, pad: float):
    """(screen xy array, indices into data.points) of the points within ``pad`` px of the view."""
    import numpy as np

    pts = data.points
    if not len(pts):
        return np.empty((0, 2)), np.empty(0, dtype=np.int64)
    sx = (pts[:, 0] - vp.cx) * vp.scale + vp.width / 2.0
    sy = vp.height / 2.0 - (pts[:, 1] - vp.cy) * vp.scale
    keep = np.flatnonzero((sx >= -pad) & (sx <= vp.width + pad) & (sy >= -pad) & (sy <= vp.height + pad))
    return np.column_stack([sx[keep], sy[keep]]), keep


def _intersects(part, x0, y0, x1, y1) -> bool:
    return not (part[:, 0].max() < x0 or part[:, 0].min() > x1 or part[:, 1].max() < y0
                or part[:, 1].min() > y1)


class UserLayersLayer(Layer):
    name = "user"
    depends_on = VIEW

    def __init__(self, renderer) -> None:
        super().__init__(renderer)
        self._local = threading.local()

    def paint(self, painter, frame) -> None:
        snap = frame.snap
        layers = [ul for ul in snap.user_layers if ul.visible]
        cache = getattr(self._local, "images", None)
        if cache:  # let go of the images of layers removed or hidden
            for lid in set(cache) - {ul.id for ul in layers}:
                del cache[lid]
        if not layers:
            return
        painter.save()
        for ul in layers:
            self._paint_one(painter, frame, ul)
        painter.restore()

    def _paint_one(self, painter, frame, ul) -> None:
        snap, vp, s = frame.snap, frame.snap.vp, frame.snap.scale
        st, data = ul.spec.style, ul.data
        x0, y0, x1, y1 = vp.bounds()
        pen = QPen(style_colour(st), st["line_width"] * s)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        if data.polygons or data.lines:
            painter.save()
            pen.setCosmetic(True)
            draw, in_units = frame.path_drawing(painter)
            pen = in_units(pen)
            if data.polygons:
                path = QPainterPath()
                path.setFillRule(Qt.FillRule.OddEvenFill)
                for _fid, rings in data.polygons:
                    if not _intersects(rings[0], x0, y0, x1, y1):
                        continue
                    for r in rings:
                        path.addPolygon(polygon_from_array(r))
                        path.closeSubpath()
                painter.setPen(pen)
                painter.setBrush(style_colour(st, st["fill_opacity"]))
                draw(path)
            if data.lines:
                path = QPainterPath()
                for _fid, c in data.lines:
                    if _intersects(c, x0, y0, x1, y1):
                        path.addPolygon(polygon_from_array(c))
                painter.setPen(pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                draw(path)
            painter.restore()
        if len(data.points):
            size = st["size"] * s
            xy, _keep = visible_points(data, vp, size)
            if not len(xy):
                return
            if snap.vector:
                path = QPainterPath()
                r = size / 2.0
                for px, py in xy.tolist():
                    path.addEllipse(QPointF(px, py), r, r)
                painter.setPen(QPen(OUTLINE, 1.0 * s))
                painter.setBrush(style_colour(st))
                painter.drawPath(path)
            else:
                # Stamped at device resolution (render/point_splat.py): the window's HiDPI
                # image and an export's pixels alike.
                t = painter.deviceTransform()
                k = math.hypot(t.m11(), t.m12()) or 1.0
                img = self._points_image(ul, vp, xy, k, size, s)
                painter.drawImage(QPointF(0, 0), img)

    def _points_image(self, ul, vp, xy, k: float, size: float, s: float):
        """The layer's points stamped for this view. After a pan at the same scale the last
        image is moved by whole device pixels and only the strips it uncovers are stamped:
        dragging a 100,000-point layer costs a sliver of a frame, not a frame. One image per
        layer and thread (the window's worker and an export never share one)."""
        st = ul.spec.style
        c = style_colour(st)
        rgb, alpha = (c.red(), c.green(), c.blue()), c.alphaF()
        w, h = math.ceil(vp.width * k), math.ceil(vp.height * k)
        key = (ul.key, vp.scale, k, s, w, h)
        x0, y1 = vp.to_map(0, 0)
        cache = getattr(self._local, "images", None)
        if cache is None:
            cache = self._local.images = {}
        old = cache.get(ul.id)

        def stamp(left: int, top: int, width: int, height: int):
            return splat(xy * k - (left, top), width, height, size * k / 2, 1.0 * s * k, rgb, alpha)

        img = None
        if old is not None and old[0] == key:
            # Where the old image's top-left corner lands now, in device pixels.
            dx = (old[1] - x0) * vp.scale * k
            dy = (y1 - old[2]) * vp.scale * k
            ix, iy = round(dx), round(dy)
            if abs(dx - ix) < 1e-3 and abs(dy - iy) < 1e-3 and ix == iy == 0:
                return old[3]  # the same view (a hover restyles the frame): the same points
            if abs(dx - ix) < 1e-3 and abs(dy - iy) < 1e-3 and abs(ix) < w and abs(iy) < h:
                # No fill first: the old image and the strips it uncovers, each copied over
                # what is under it, cover every pixel.
                img = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
                p = QPainter(img)
                p.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
                gp = gil_free_painter.wrap(p, yield_to_ui=True)  # a 4K copy: not with the GIL held
                gp.drawImage(QRectF(ix, iy, w, h), old[3], QRectF(0, 0, w, h))  # in device pixels
                strips = []
                if ix > 0:
                    strips.append((0, 0, ix, h))
                elif ix < 0:
                    strips.append((w + ix, 0, -ix, h))
                if iy > 0:
                    strips.append((0, 0, w, iy))
                elif iy < 0:
                    strips.append((0, h + iy, w, -iy))
                for left, top, sw, sh in strips:
                    gp.drawImage(QRectF(left, top, sw, sh), stamp(left, top, sw, sh), QRectF(0, 0, sw, sh))
                p.end()
        if img is None:
            img = stamp(0, 0, w, h)
        # Set while the image is its only handle: on a shared one Qt would copy the 33 MB.
        img.setDevicePixelRatio(k)
        cache[ul.id] = (key, x0, y1, img)  # only the newest image of each layer
        if old is not None:
            gil_free_painter.release(old[3])  # its 33 MB unmapped without the GIL
        return img  # implicitly shared: the cached pixels are never painted on again

    def labels(self, frame) -> list:
        snap = frame.snap
        out = []
        font = frame.fonts.place
        h = font.height()
        for ul in snap.user_layers:
            field = ul.spec.style["label_field"]
            if not ul.visible or not field:
                continue
            d = ul.spec.style["size"] * snap.scale / 2 + 3 * snap.scale
            colour = style_colour(ul.spec.style).darker(130)
            for px, py, fid in self._anchors(ul, snap.vp)[:MAX_LABELS]:
                name = ul.data.attrs[fid].get(field, "")
                if not name:
                    continue
                w = font.width(name)
                out.append(LabelRequest(USER_LABEL, "user", f"{ul.id}:{fid}", name, font, px, py, colour,
                                        ((d, -h / 2), (-w - d, -h / 2), (-w / 2, -h - d), (-w / 2, d))))
        return out

    @staticmethod
    def _anchors(ul, vp) -> list[tuple[float, float, int]]:
        """Screen anchors of a layer's labels: each point, and the first vertex-centre of lines
        and polygons on screen."""
        xy, keep = visible_points(ul.data, vp, 0)
        owners = ul.data.point_owner[keep]
        out = [(float(x), float(y), int(f)) for (x, y), f in zip(xy[:MAX_LABELS].tolist(), owners[:MAX_LABELS].tolist())]
        for fid, part in [*ul.data.lines, *((f, rs[0]) for f, rs in ul.data.polygons)]:
            if len(out) >= MAX_LABELS:
                break
            cx, cy = part[:, 0].mean(), part[:, 1].mean()
            px, py = vp.to_screen(cx, cy)
            if 0 <= px <= vp.width and 0 <= py <= vp.height:
                out.append((px, py, int(fid)))
        return out


def legend_symbol(painter, rect: QRectF, ul, s: float = 1.0) -> None:
    """A user layer's legend symbol: its main geometry kind in its style."""
    st = ul.spec.style
    kinds = ul.geometry_kinds or ("point",)
    c = rect.center()
    painter.save()
    if kinds[0] == "polygon":
        painter.setPen(QPen(style_colour(st), max(1.0, st["line_width"]) * s))
        painter.setBrush(style_colour(st, st["fill_opacity"]))
        painter.drawRect(rect.adjusted(2 * s, 3 * s, -2 * s, -3 * s))
    elif kinds[0] == "line":
        pen = QPen(style_colour(st), st["line_width"] * s)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.drawLine(QPointF(rect.left() + 2 * s, c.y()), QPointF(rect.right() - 2 * s, c.y()))
    else:
        r = min(st["size"], 14.0) * s / 2
        painter.setPen(QPen(OUTLINE, 1.0 * s))
        painter.setBrush(style_colour(st))
        painter.drawEllipse(c, r, r)
    painter.restore()
