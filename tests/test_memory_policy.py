"""The heap stays what the caches say it is: large blocks go back at once, and the route
strokes cost what their budget counts."""

from __future__ import annotations

import gc
import sys

import pytest
from PySide6.QtGui import QImage, QPainter

from silkmap.core.atlas import home_bounds
from silkmap.core.memory import fix_large_block_policy, heap_counts
from silkmap.core.viewport import Viewport
from silkmap.render.renderer import MapRenderer, RenderOptions

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux") or not heap_counts(),
                                reason="glibc's allocator only")


def test_freed_frames_leave_no_free_heap_behind(qapp):
    assert fix_large_block_policy()
    # Without the fixed threshold, freeing a big block (the overview) raises glibc's mmap
    # threshold to its size, and every smaller frame after it comes from the heap, where it
    # stays resident once freed.
    for _ in range(2):
        img = QImage(2400, 1600, QImage.Format.Format_ARGB32_Premultiplied)
        img.fill(0)
        del img
    before = heap_counts()
    frames, pins = [], []
    for _ in range(6):  # each frame followed by a small block that outlives it, as in a session
        frames.append(QImage(1280, 800, QImage.Format.Format_ARGB32_Premultiplied))
        frames[-1].fill(0)
        pins.append(bytearray(4096))
    during = heap_counts()
    del frames
    gc.collect()
    after = heap_counts()
    assert during["in_use"] - before["in_use"] >= 6 * 1280 * 800 * 4
    assert after["free"] - before["free"] < 1280 * 800 * 4  # nothing frame-sized kept as free heap
    assert after["in_use"] - before["in_use"] < 1280 * 800 * 4


def _render_zooms(renderer, atlas) -> None:
    for z in range(12):
        vp = Viewport(width=1280, height=800)
        vp.fit(home_bounds(atlas), margin=0.0)
        vp.zoom_at(1.25 ** z, 640, 400)
        img = QImage(2400, 1600, QImage.Format.Format_ARGB32_Premultiplied)
        p = QPainter(img)
        renderer.paint(p, vp, RenderOptions(layers={}))
        p.end()


def test_route_strokes_cost_what_their_budget_counts(qapp, atlas):
    renderer = MapRenderer(atlas)
    _render_zooms(renderer, atlas)  # every other cache warm: only the strokes are made again
    strokes = renderer.layer("routes")._strokes
    strokes.clear()
    gc.collect()
    before = heap_counts()["in_use"]
    _render_zooms(renderer, atlas)
    gc.collect()
    grown = heap_counts()["in_use"] - before
    counted = strokes.total_cost
    assert counted > 1 << 20
    assert 0.6 < grown / counted < 1.5, (grown, counted)
    assert counted <= strokes.max_cost
