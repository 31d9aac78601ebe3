"""Many point symbols at once: discs with a white outline stamped into an image with numpy.

QPainter strokes every anti-aliased round point as a path: 100,000 of them take about a
second at 1080p and four times that at 4K. Here the points are rounded to device pixels and
made unique (points closer than a pixel draw the same disc); the discs' fully covered spans
are found on a canvas of one bit per pixel (shifts and ORs of a 1 MB array at 4K), their
anti-aliased edge pixels written for all points at once, and each pixel's ARGB word looked
up from its fill and outline alphas: a few dozen vectorised passes, whatever the count.
Overlapping discs merge into one shape with one outline, which reads better in a dense cloud.
"""

from __future__ import annotations

import math
from functools import lru_cache

from silkmap.render import yield_to_ui

WORD_ROWS = 16


@lru_cache(maxsize=32)
def _kernel(radius: float, outline: float):
    """The disc of ``radius`` with its outline ring, as (reach, spans, partial): per row dy the
    half-widths of the fully covered fill and outline spans (-1: none), and the (dy, dx, fill
    alpha, outline alpha) of the anti-aliased pixels in between (alphas 0..254 where partial)."""
    reach = math.ceil(radius + outline + 0.5)
    spans, partial = [], []
    for dy in range(-reach, reach + 1):
        wf = we = -1
        for dx in range(-reach, reach + 1):
            d = math.hypot(dx, dy)
            fill = round(min(1.0, max(0.0, radius + 0.5 - d)) * 255)
            edge = round(min(1.0, max(0.0, radius + outline + 0.5 - d)) * 255)
            if fill == 255:
                wf = max(wf, abs(dx))
            if edge == 255:
                we = max(we, abs(dx))
            if (0 < fill < 255) or (0 < edge < 255):
                partial.append((dy, dx, fill if fill < 255 else 0, edge if edge < 255 else 0))
        spans.append((dy, wf, we))
    return reach, tuple(spans), tuple(partial)


def _or_shifted(acc, words, bits: int) -> None:
    """OR into ``acc`` the bit string ``words`` (bit i of the image at bit i % 64 of word
    i // 64) moved by ``bits`` towards the end (back where negative); what moves past either
    end is dropped."""
    import numpy as np

    n = len(words)
    q, r = divmod(bits, 64)
    lo, hi = max(0, -q), min(n, n - q)  # words k that land in acc[k + q]
    if lo < hi:
        acc[lo + q:hi + q] |= words[lo:hi] << np.uint64(r) if r else words[lo:hi]
    if r:
        lo, hi = max(0, -q - 1), min(n, n - q - 1)  # their high bits, carried into acc[k + q + 1]
        if lo < hi:
            acc[lo + q + 1:hi + q + 1] |= words[lo:hi] >> np.uint64(64 - r)


def _coverage(seen, size: int, wp: int, spans_sets):
    """For each list of row spans (dy, half-width), 255 wherever a centre's span covers a
    pixel. The canvas is handled as one bit per pixel, 64 to a word: each span a shift and an
    OR of a 1 MB array at 4K, instead of a scatter over the centres and a sum of 8 million."""
    import numpy as np

    yield_to_ui.wait()
    packed = np.packbits(seen, bitorder="little")
    words = np.zeros((len(packed) + 15) // 8, np.uint64)
    words.view(np.uint8)[:len(packed)] = packed
    del packed
    widths = {w for spans in spans_sets for _dy, w in spans if w >= 0}
    grown = {0: words}  # the centres widened by w pixels to each side, for each w needed
    for w in range(1, max(widths, default=0) + 1):
        yield_to_ui.wait()
        g = grown[w - 1]
        grown[w] = wider = g.copy()
        _or_shifted(wider, g, 1)
        _or_shifted(wider, g, -1)
        if w - 1 not in widths and w - 1 != 0:
            del grown[w - 1]
    out = []
    for spans in spans_sets:
        acc = np.zeros_like(words)
        for dy, w in spans:
            if w >= 0:
                yield_to_ui.wait()
                _or_shifted(acc, grown[w], dy * wp)
        yield_to_ui.wait()
        bits = np.unpackbits(acc.view(np.uint8), count=size, bitorder="little")
        out.append(np.multiply(bits, np.uint8(255), out=bits))
    return out


def _partial(flat, size: int, wp: int, pixels, covered):
    """``covered`` raised to each anti-aliased edge pixel's alpha where a disc has one: the
    offsets written in rising alpha, so where discs overlap the highest stays — one write per
    offset instead of a read, a maximum and a write."""
    import numpy as np

    yield_to_ui.wait()
    edge = np.zeros(size, np.uint8)
    for dy, dx, alpha in sorted(pixels, key=lambda p: p[2]):
        if alpha:
            edge[flat + (dy * wp + dx)] = alpha
    return np.maximum(covered, edge, out=covered)


@lru_cache(maxsize=16)
def _words(rgb: tuple[int, int, int], opacity: float):
    """The ARGB32-premultiplied word of a pixel for each fill alpha f (high byte of the index)
    and outline alpha e (low byte): the colour at f plus the white ring e − f (premultiplied
    white is its alpha in every channel), both faded by the opacity. Every disc's outline alpha
    is at least its fill alpha, so e ≥ f; no channel overflows: colour·f/255 + (e − f) ≤ 255."""
    import numpy as np

    f = np.arange(256, dtype=np.uint32)[:, None]
    e = np.arange(256, dtype=np.uint32)[None, :]
    fade = (np.arange(256) * opacity).astype(np.uint32)
    ring = fade[np.maximum(e, f) - f]
    fill = fade[f]
    r, g, b = rgb
    word = ((fill * r // 255) << 16) | ((fill * g // 255) << 8) | (fill * b // 255)
    word = word + ring * np.uint32(0x010101)
    word |= (fill + ring) << np.uint32(24)
    return word.reshape(-1)


def splat(xy, width: int, height: int, radius: float, outline: float, rgb: tuple[int, int, int],
          opacity: float = 1.0):
    """An ARGB32-premultiplied QImage of ``width`` × ``height`` device pixels with a disc of
    ``radius`` (outlined ``outline`` px in white) at each (x, y) of ``xy`` (device pixels)."""
    import numpy as np
    from PySide6.QtGui import QImage

    reach, spans, partial = _kernel(round(radius * 4) / 4, round(outline * 4) / 4)
    # A centre up to ``reach`` outside the image still reaches in; the canvas is padded by
    # twice that, so every offset of every kept centre lands inside it.
    pad = 2 * reach
    wp, hp = width + 2 * pad, height + 2 * pad
    ix = np.rint(xy[:, 0]).astype(np.int64) + pad
    iy = np.rint(xy[:, 1]).astype(np.int64) + pad
    ok = (ix >= reach) & (ix < wp - reach) & (iy >= reach) & (iy < hp - reach)
    ix, iy = ix[ok], iy[ok]
    if not len(ix):
        img = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
        img.fill(0)
        return img
    seen = np.zeros(hp * wp, bool)  # unique centres: cheaper than np.unique's sort or hash
    seen[iy * wp + ix] = True
    fill, edge = _coverage(seen, hp * wp, wp, ([(dy, wf) for dy, wf, _we in spans],
                                                [(dy, we) for dy, _wf, we in spans]))
    flat = np.flatnonzero(seen)
    del seen
    fill = _partial(flat, hp * wp, wp, [(dy, dx, fa) for dy, dx, fa, _ea in partial], fill)
    edge = _partial(flat, hp * wp, wp, [(dy, dx, ea) for dy, dx, _fa, ea in partial], edge)
    fill = fill.reshape(hp, wp)[pad:pad + height, pad:pad + width]
    edge = edge.reshape(hp, wp)[pad:pad + height, pad:pad + width]
    # Each pixel's word looked up whole from its (fill, edge) alphas: one gather instead of a
    # dozen passes over 8 million pixels at 4K, a few rows at a time so that the index stays
    # in the cache (twice as fast as one gather of the whole image).
    words = _words(tuple(int(v) for v in rgb), float(opacity))
    # Written straight into the image's pixels (32-bit rows are never padded): no second
    # 33 MB copy at 4K, whose page faults, with the GIL held, once stalled the window 100 ms.
    out = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    word = np.frombuffer(out.bits(), np.uint32, count=width * height).reshape(height, width)
    for r0 in range(0, height, WORD_ROWS):
        if r0 % (WORD_ROWS * 16) == 0:
            yield_to_ui.wait()
        index = fill[r0:r0 + WORD_ROWS].astype(np.uint16)
        index <<= np.uint16(8)
        index |= edge[r0:r0 + WORD_ROWS]
        np.take(words, index, out=word[r0:r0 + WORD_ROWS])
    del word
    return out
