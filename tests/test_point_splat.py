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
