"""Relief: the hill shading over the country fills, as black and white of low alpha.

The image (``relief.png``, built from Natural Earth's shaded relief) holds only the shading,
in the map's own projection, so a frame draws the part it shows, scaled, with no warping.
Shadows and lights change only the fills' lightness a little, never their hue.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QTransform

from silkmap.render.layers import VIEW, Layer

SMOOTH = True
HALF_BELOW = 0.75  # screen pixels per image pixel under which the half-size image is drawn
# Zoomed in past the image's own detail (3 km a pixel) the shading turns to soft blobs: it
# fades, to this opacity at FADED_AT metres per pixel, from full at FULL_ABOVE.
FULL_ABOVE, FADED_AT, FADED_OPACITY = 1500.0, 300.0, 0.35


def opacity(m_per_px: float) -> float:
    if m_per_px >= FULL_ABOVE:
        return 1.0
    t = (math.log(FULL_ABOVE) - math.log(max(m_per_px, FADED_AT))) / (math.log(FULL_ABOVE) - math.log(FADED_AT))
    return 1.0 - t * (1.0 - FADED_OPACITY)


class ReliefLayer(Layer):
    name = "relief"
    depends_on = VIEW

    def paint(self, painter, frame) -> None:
        snap = frame.snap
        phys = self.renderer.physical
        if not snap.layer_on("relief") or not phys.ready_for(snap):
            return
        g, vp = phys.grid, snap.vp
        x0, y0, x1, y1 = vp.bounds()
        m = g.m_per_px
        c0, c1 = max(0, math.floor((x0 - g.left_m) / m) - 1), min(g.width, math.ceil((x1 - g.left_m) / m) + 1)
        r0, r1 = max(0, math.floor((g.top_m - y1) / m) - 1), min(g.height, math.ceil((g.top_m - y0) / m) + 1)
        if c1 <= c0 or r1 <= r0:
            return
        half = m * vp.scale < HALF_BELOW
        image, k = (phys.relief_half, 2) if half else (phys.relief, 1)
        c0, r0 = c0 // k * k, r0 // k * k
        source = QRectF(c0 / k, r0 / k, math.ceil((c1 - c0) / k), math.ceil((r1 - r0) / k))
        target = QRectF(c0, r0, source.width() * k, source.height() * k)  # in full-image pixels
        # Image pixels → map metres → the view (combined: an export may have moved the map).
        to_map = QTransform(m, 0, 0, -m, g.left_m, g.top_m)
        painter.save()
        painter.setTransform(to_map * frame.map_tf, True)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, SMOOTH)
        painter.setOpacity(painter.opacity() * opacity(vp.metres_per_pixel))
        if snap.vector:  # a file holds only the part it shows
            painter.drawImage(target, image.copy(source.toRect()))
        else:
            painter.drawImage(target, image, source)
        painter.restore()
