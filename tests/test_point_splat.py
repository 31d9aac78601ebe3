"""Point stamping: each disc in its colour with a white ring, transparent elsewhere, at the
pixel its centre rounds to, half-transparent at half opacity."""

import numpy as np

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
