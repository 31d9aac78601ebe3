"""Many point symbols at once: discs with a white outline stamped into an image with numpy.

QPainter strokes every anti-aliased round point as a path: 100,000 of them take about a
second at 1080p and four times that at 4K. Here the points are rounded to device pixels and
made unique (points closer than a pixel draw the same disc), then each pixel offset of the
disc is written for all points at once: a few dozen vectorised passes, whatever the count.
Overlapping discs merge into one shape with one outline, which reads better in a dense cloud.
"""

from __future__ import annotations

import math
import sys
from functools import lru_cache

OUTLINE_ALPHA = 0.9


@lru_cache(maxsize=32)
def _kernel(radius: float, outline: float):
    """(dy, dx, fill alpha, outline alpha) of every pixel a disc touches, alphas 0..255, the
    disc's inside first."""
    import numpy as np

    reach = math.ceil(radius + outline + 0.5)
    out = []
    for dy in range(-reach, reach + 1):
        for dx in range(-reach, reach + 1):
            d = math.hypot(dx, dy)
            fill = min(1.0, max(0.0, radius + 0.5 - d))
            edge = min(1.0, max(0.0, radius + outline + 0.5 - d))
            if edge > 0:
                out.append((dy, dx, round(fill * 255), round(edge * 255)))
    out.sort(key=lambda k: (-k[2], -k[3]))
    return reach, np.array(out, dtype=np.int64).reshape(-1, 4)


def splat(xy, width: int, height: int, radius: float, outline: float, rgb: tuple[int, int, int],
          opacity: float = 1.0):
    """An ARGB32-premultiplied QImage of ``width`` × ``height`` device pixels with a disc of
    ``radius`` (outlined ``outline`` px in white) at each (x, y) of ``xy`` (device pixels)."""
    import numpy as np
    from PySide6.QtGui import QImage

    reach, kernel = _kernel(round(radius * 4) / 4, round(outline * 4) / 4)
    wp, hp = width + 2 * reach, height + 2 * reach
    ix = np.rint(xy[:, 0]).astype(np.int64) + reach
    iy = np.rint(xy[:, 1]).astype(np.int64) + reach
    # Centres within reach of the image (so every offset lands in the padded canvas).
    ok = (ix >= reach) & (ix < wp - reach) & (iy >= reach) & (iy < hp - reach)
    ix, iy = ix[ok], iy[ok]
    img = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(0)
    if not len(ix):
        return img
    seen = np.zeros(hp * wp, bool)  # unique centres: cheaper than np.unique's sort or hash
    seen[iy * wp + ix] = True
    flat = np.flatnonzero(seen)
    del seen
    fill = np.zeros(hp * wp, np.uint8)
    edge = np.zeros(hp * wp, np.uint8)
    for dy, dx, fa, ea in kernel.tolist():
        idx = flat + (dy * wp + dx)
        if ea == 255:
            edge[idx] = 255
        else:
            edge[idx] = np.maximum(edge[idx], ea)
        if fa == 255:
            fill[idx] = 255
        elif fa:
            fill[idx] = np.maximum(fill[idx], fa)
    fill = fill.reshape(hp, wp)[reach:reach + height, reach:reach + width].astype(np.float32)
    edge = edge.reshape(hp, wp)[reach:reach + height, reach:reach + width].astype(np.float32)
    ring = np.maximum(edge - fill, 0) * OUTLINE_ALPHA
    a = (fill + ring) * opacity  # 0..255
    # ARGB32 is one native-endian 32-bit word per pixel: B, G, R, A in memory on little-endian.
    order = (2, 1, 0, 3) if sys.byteorder == "little" else (1, 2, 3, 0)
    buf = np.empty((height, width, 4), np.uint8)
    for channel, c in zip(order[:3], rgb):
        buf[:, :, channel] = ((fill * c + ring * 255) * (opacity / 255)).astype(np.uint8)
    buf[:, :, order[3]] = a.astype(np.uint8)
    out = QImage(buf.data, width, height, width * 4, QImage.Format.Format_ARGB32_Premultiplied)
    return out.copy()  # owns its pixels: buf goes away with this call
