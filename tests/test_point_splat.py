"""Point stamping: each disc in its colour with a white ring, transparent elsewhere, at the
pixel its centre rounds to, half-transparent at half opacity."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from silkmap.render.point_splat import splat


def rgba(img, x, y):
    return img.pixelColor(x, y).getRgb()  # un-premultiplied


def test_disc_ring_and_background(qapp):
    img = splat(np.array([[10.3, 9.6], [30.0, 10.0], [-20.0, 10.0]]), 41, 21, 4.0, 2.0, (214, 51, 108))
    assert rgba(img, 10, 10) == (214, 51, 108, 255)
    assert rgba(img, 10, 10 - 5)[:3] == (255, 255, 255)  # the ring, 5 px up
    assert rgba(img, 20, 10)[3] == 0 and rgba(img, 0, 0)[3] == 0
    assert rgba(img, 30, 10) == (214, 51, 108, 255)
    half = splat(np.array([[10.0, 10.0]]), 21, 21, 4.0, 1.0, (214, 51, 108), 0.5)
    r, g, b, a = rgba(half, 10, 10)
    assert abs(a - 127) <= 1 and abs(r - 214) <= 3


def test_a_point_beyond_the_edge_still_reaches_in(qapp):
    img = splat(np.array([[-2.0, 10.0]]), 21, 21, 4.0, 1.0, (0, 0, 255))
    assert rgba(img, 0, 10) == (0, 0, 255, 255)
    assert splat(np.empty((0, 2)), 5, 5, 3.0, 1.0, (0, 0, 0)).pixel(2, 2) == 0


def _alpha(img):
    bits = np.frombuffer(img.constBits(), np.uint32, img.width() * img.height())
    return (bits >> 24).reshape(img.height(), img.width())


def test_overlapping_discs_keep_the_highest_alpha_of_each_pixel(qapp):
    # Where discs overlap, each pixel is as opaque as the most opaque disc there, on the
    # anti-aliased edges too: one merged shape, never a sum and never the last disc's value.
    rng = np.random.default_rng(7)
    for radius, outline in ((4.0, 2.0), (2.5, 1.0), (6.25, 1.5)):
        xy = rng.uniform(0, 40, (12, 2))
        together = _alpha(splat(xy, 40, 40, radius, outline, (30, 90, 200)))
        alone = np.max([_alpha(splat(xy[i:i + 1], 40, 40, radius, outline, (30, 90, 200)))
                        for i in range(len(xy))], axis=0)
        assert np.array_equal(together, alone)
        assert 0 < np.count_nonzero((alone > 0) & (alone < 255))  # edges were compared too


def _reference(xy, width, height, radius, outline, rgb, opacity):
    """The stamp the slow way: each centre's disc and ring alphas, the highest kept per pixel."""
    from silkmap.render.point_splat import _kernel

    reach, spans, partial = _kernel(round(radius * 4) / 4, round(outline * 4) / 4)
    fill = np.zeros((height, width), np.int64)
    edge = np.zeros((height, width), np.int64)
    for cx, cy in {(int(np.rint(x)), int(np.rint(y))) for x, y in xy}:
        for dy, wf, we in spans:
            for img, w in ((fill, wf), (edge, we)):
                for dx in range(-w, w + 1):
                    if 0 <= cy + dy < height and 0 <= cx + dx < width:
                        img[cy + dy, cx + dx] = 255
        for dy, dx, fa, ea in partial:
            if 0 <= cy + dy < height and 0 <= cx + dx < width:
                fill[cy + dy, cx + dx] = max(fill[cy + dy, cx + dx], fa)
                edge[cy + dy, cx + dx] = max(edge[cy + dy, cx + dx], ea)
    fade = (np.arange(256) * opacity).astype(np.int64) if opacity < 1 else np.arange(256)
    ring, fill = fade[edge - fill], fade[fill]
    r, g, b = rgb
    return ((fill + ring) << 24) | ((fill * r // 255 + ring) << 16) | ((fill * g // 255 + ring) << 8) | (fill * b // 255 + ring)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 90), st.integers(1, 70), st.integers(0, 60),
       st.sampled_from([0.5, 1.5, 3.0, 6.0, 12.5]), st.sampled_from([0.0, 1.0, 2.75]),
       st.sampled_from([1.0, 0.8, 0.35]))
def test_the_stamp_is_every_disc_drawn_one_by_one(qapp, seed, width, height, n, radius, outline, opacity):
    # The fast paths (a bit per pixel for the covered spans, words looked up whole) against
    # the definition, on clouds sparse and dense, inside and across the edges.
    rng = np.random.default_rng(seed)
    xy = np.column_stack([rng.uniform(-20, width + 20, n), rng.uniform(-20, height + 20, n)])
    if n > 4:
        xy[: n // 2] = xy[0] + rng.normal(0, 2, (n // 2, 2))
    img = splat(xy, width, height, radius, outline, (214, 51, 108), opacity)
    got = np.frombuffer(img.constBits(), np.uint32, width * height).reshape(height, width)
    assert np.array_equal(got, _reference(xy, width, height, radius, outline, (214, 51, 108), opacity))
