"""The map view's worker path: frames rendered off the UI thread, previews while they are made,
partial repaints, gliding zooms. Offscreen, driven through qtbot, no sleeps."""

import threading

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QPainter

from silkmap.core.state import Selection
from silkmap.render import style
from silkmap.render.overlay import paint_overlay


def reference(view) -> QImage:
    """The current view painted directly by the renderer, as an export paints it."""
    vp, dpr = view.viewport, view.devicePixelRatioF()
    img = QImage(round(vp.width * dpr), round(vp.height * dpr), QImage.Format.Format_ARGB32_Premultiplied)
    img.setDevicePixelRatio(dpr)
    img.fill(style.WATER)
    opts = view.render_options()
    p = QPainter(img)
    r = view.renderer
    r.paint_base(p, vp, opts)
    r.paint_highlight(p, vp, opts)
    r.paint_overlay(p, vp, opts)
    r.paint_focus(p, vp, opts)
    paint_overlay(p, vp, view.atlas, scale=1.0, attribution=True)
    p.end()
    return img


def grab(view) -> QImage:
    return view.grab().toImage().convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)


class Gate:
    """Holds the worker inside its next ``paint_base`` until released."""

    def __init__(self, monkeypatch, view) -> None:
        self.started, self.release = threading.Event(), threading.Event()
        original = view.renderer.paint_base

        def paint_base(*a, **kw):
            if threading.current_thread() is not threading.main_thread() and not self.started.is_set():
                self.started.set()
                self.release.wait(30)
            return original(*a, **kw)

        monkeypatch.setattr(view.renderer, "paint_base", paint_base)


def settled(qtbot, view):
    """The current view's full frame is on screen and the worker has nothing left to do."""
    qtbot.waitUntil(lambda: view._final(view._frame) and view._settled_for == view._frame.generation
                    and not view._worker.busy(), timeout=10000)


def drag(qtbot, view, start: QPoint, moves):
    qtbot.mouseMove(view, start)
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=start)
    pos = start
    for d in moves:
        pos = pos + d
        qtbot.mouseMove(view, pos)
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=pos)


def test_settled_drag_equals_a_synchronous_render(qtbot, window):
    view = window.view
    settled(qtbot, view)
    first = view._frame.generation
    window.state.select(Selection("country", "KGZ"))  # the tint and outline are in the frame too
    drag(qtbot, view, QPoint(500, 400), [QPoint(30, 10)] * 5 + [QPoint(-12, 25)] * 3)
    settled(qtbot, view)
    assert view._frame.generation > first  # delivered by the worker, not the first frame
    assert view.viewport.cx != pytest.approx(view._home[0])  # the drag did move the map
    assert grab(view) == reference(view)


def test_drag_moves_the_last_frame_and_shows_the_overview_where_it_ends(qtbot, window, monkeypatch):
    view = window.view
    settled(qtbot, view)
    qtbot.waitUntil(lambda: view._overview is not None, timeout=10000)
    qtbot.mouseMove(view, QPoint(400, 300))  # hovers a country: its tint is in the frame
    settled(qtbot, view)
    before = grab(view)
    gate = Gate(monkeypatch, view)
    drag(qtbot, view, QPoint(400, 300), [QPoint(60, 20), QPoint(60, 20), QPoint(40, 0)])
    qtbot.waitUntil(gate.started.is_set, timeout=5000)
    during = grab(view)
    gate.release.set()
    # The frame on screen moved with the pointer, pixel for pixel (away from the scale bar and
    # attribution, which stay put) ...
    dx, dy = 160, 40
    w, h = view.width(), view.height()
    inner = before.copy(100, 100, w - dx - 300, h - dy - 200)
    assert during.copy(100 + dx, 100 + dy, w - dx - 300, h - dy - 200) == inner
    # ... and the strip it uncovered shows the coarse overview, not bare water.
    strip = during.copy(0, 0, dx, h - 60)
    water = style.WATER.rgb()
    land = sum(strip.pixel(x, y) != water for x in range(0, dx, 8) for y in range(0, h - 60, 8))
    assert land > 0.2 * (dx // 8) * ((h - 60) // 8)
    settled(qtbot, view)
    assert grab(view) == reference(view)


def test_a_job_started_before_a_zoom_never_lands_after_it(qtbot, window, monkeypatch):
    view = window.view
    settled(qtbot, view)
    gate = Gate(monkeypatch, view)
    landed = []
    view.frameReady.connect(lambda gen: landed.append((gen, view._frame.vp.scale)))
    view.centre_on(view.viewport.cx + 50_000, view.viewport.cy, animate=False)
    view.repaint()  # asks the worker for the panned view
    qtbot.waitUntil(gate.started.is_set, timeout=5000)
    stale = view._generation
    view.zoom(2.0)
    target = view.goal().scale
    gate.release.set()
    with qtbot.waitSignal(view.viewSettled, timeout=10000):
        pass
    assert view.viewport.scale == target
    assert landed and all(gen > stale for gen, _s in landed)
    assert all(scale == target for _g, scale in landed)


def test_closing_during_a_render_leaves_no_thread_running(qtbot, window, monkeypatch, qtlog):
    view = window.view
    settled(qtbot, view)
    gate = Gate(monkeypatch, view)
    landed = []
    view.frameReady.connect(landed.append)
    view.zoom(1.5, animate=False)
    view.repaint()
    qtbot.waitUntil(gate.started.is_set, timeout=5000)
    gate.release.set()  # the worker is painting as the window closes
    window.close()
    assert not [t for t in threading.enumerate() if t.name.startswith("silkmap-render")]
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()  # a frame queued before the close would be delivered here
    assert landed == []
    assert not [r for r in qtlog.records if r.type != 0 and "propagateSizeHints" not in r.message]


def test_hover_repaints_only_the_region_that_changed(qtbot, window):
    view = window.view
    settled(qtbot, view)
    rects = []

    class Paints(QObject):
        def eventFilter(self, obj, event):
            if obj is view and event.type() == QEvent.Type.Paint:
                rects.append(event.rect())
            return False

    spy = Paints()
    # The window's work after its first paint (picking, names, events) repaints the whole map
    # when it lands: wait until it has and the window is idle, then watch the hover alone.
    with qtbot.waitSignal(window.idle, timeout=30000):
        pass
    qtbot.waitUntil(lambda: view._overview is not None, timeout=10000)
    settled(qtbot, view)
    view.installEventFilter(spy)
    sx, sy = view.viewport.to_screen(*window.atlas.countries["TJK"].shape.representative_point().coords[0])
    window.state.set_hover(Selection("country", "TJK"))
    settled(qtbot, view)
    view.removeEventFilter(spy)
    assert rects and all(r.width() * r.height() < 0.25 * view.width() * view.height() for r in rects)
    assert any(r.contains(round(sx), round(sy)) for r in rects)
    assert grab(view) == reference(view)


def test_zoom_glides_around_the_cursor_and_lands_exactly(qtbot, window):
    view = window.view
    settled(qtbot, view)
    pos = QPointF(420, 330)
    fixed = view.viewport.to_map(pos.x(), pos.y())
    start = view.viewport.scale
    steps = []
    view.viewChanged.connect(lambda: steps.append((view.viewport.scale, view.viewport.to_map(pos.x(), pos.y()))))
    view.zoom(2.0, pos)
    assert view.viewport.scale == start  # nothing jumps
    with qtbot.waitSignal(view.viewSettled, timeout=10000):
        pass
    scales = [s for s, _m in steps]
    assert len(scales) >= 3  # in steps, growing
    assert all(b >= a * (1 - 1e-12) for a, b in zip(scales, scales[1:]))
    assert scales[-1] == pytest.approx(start * 2.0)
    for _s, m in steps:
        assert m == pytest.approx(fixed, abs=view.viewport.metres_per_pixel)
    assert grab(view) == reference(view)


def test_a_wheel_burst_adds_up_on_the_running_glide(qtbot, window):
    view = window.view
    settled(qtbot, view)
    start = view.viewport.scale
    pos = QPointF(500, 300)
    for _ in range(3):
        view.wheelEvent(_Wheel(pos, 120))
    assert view.animating()
    assert view.goal().scale == pytest.approx(start * 1.25 ** 3)
    view.finish_animation()
    assert view.viewport.scale == pytest.approx(start * 1.25 ** 3)


def test_home_key_glides_back_home(qtbot, window):
    view = window.view
    settled(qtbot, view)
    home = view.viewport.copy()
    view.zoom(3.0, animate=False)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert view.animating()
    with qtbot.waitSignal(view.viewSettled, timeout=10000):
        pass
    assert (view.viewport.cx, view.viewport.cy, view.viewport.scale) == pytest.approx((home.cx, home.cy, home.scale))


class _Wheel:
    """The parts of a QWheelEvent that MapView.wheelEvent reads."""

    def __init__(self, pos, delta):
        self._pos, self._delta = pos, delta

    def angleDelta(self):
        return QPoint(0, self._delta)

    def position(self):
        return self._pos


def test_the_gil_free_painter_paints_what_qpainter_paints(qapp):
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QBrush, QColor, QPainterPath, QPen

    from silkmap.render import gil_free_painter

    assert gil_free_painter.available()  # Linux, PySide6's Qt: the calls are found
    path = QPainterPath()
    path.addEllipse(QRectF(12.3, 8.7, 150.2, 90.9))
    path.addRect(QRectF(40, 30, 60, 120))
    sprite = QImage(40, 30, QImage.Format.Format_ARGB32_Premultiplied)
    sprite.fill(QColor(200, 30, 60, 128))

    def scene(p):
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.fillRect(QRectF(0, 0, 200, 160), QColor("#cfe0ec"))
        p.setPen(QPen(QColor("#333333"), 1.5))
        p.setBrush(QColor(120, 200, 80, 180))
        p.drawPath(path)
        p.fillPath(path.translated(20, 10), QColor(10, 20, 200, 90))
        p.fillPath(path.translated(-15, 5), QBrush(QColor(250, 120, 0, 60)))
        p.drawImage(QPointF(70.5, 40.25), sprite)

    def paint(wrap):
        img = QImage(200, 160, QImage.Format.Format_RGB32)
        if wrap:
            gil_free_painter.fill(img, QColor("white"))
        else:
            img.fill(QColor("white"))
        p = QPainter(img)
        scene(gil_free_painter.wrap(p) if wrap else p)
        p.end()
        return img

    plain, free = paint(False), paint(True)
    assert free == plain
    assert len({plain.pixel(x, 80) for x in range(0, 200, 5)}) > 4  # something was drawn


def test_a_layer_that_needs_a_real_qpainter_still_paints(qtbot, window, monkeypatch):
    from PySide6.QtGui import QTextDocument

    from silkmap.render import gil_free_painter

    view = window.view
    settled(qtbot, view)
    monkeypatch.setattr(gil_free_painter, "_CALLS", gil_free_painter._CALLS)  # restored afterwards
    original = view.renderer.paint_focus

    def paint_focus(painter, vp, opts):
        QTextDocument("note").drawContents(painter)  # a Qt function that takes a QPainter*
        return original(painter, vp, opts)

    monkeypatch.setattr(view.renderer, "paint_focus", paint_focus)
    generation = view._frame.generation
    view.zoom(1.3, animate=False)
    settled(qtbot, view)
    assert view._frame.generation > generation  # the worker delivered the frame
    assert not gil_free_painter.available()  # with plain QPainters from then on


def test_released_pixels_are_freed_on_the_worker_and_shared_ones_survive(qapp):
    from silkmap.render import gil_free_painter
    from silkmap.ui.render_worker import RenderWorker

    freed_on, done = [], threading.Event()
    real = gil_free_painter.release

    def release(img):
        freed_on.append(threading.current_thread().name)
        real(img)
        if img.isNull():  # the worker's handle let go of the pixels
            done.set()

    worker = RenderWorker(renderer=None, on_finished=lambda job: None)
    kept = QImage(64, 32, QImage.Format.Format_RGB32)
    kept.fill(0xFF336699)
    try:
        gil_free_painter.release = release
        worker.release(kept, None, QImage())  # None and null images are skipped
        assert done.wait(10)
    finally:
        gil_free_painter.release = real
        worker.close()
    assert len(freed_on) == 1 and freed_on[0].startswith("silkmap-render-")
    # The caller's handle still holds the pixels: release only drops the worker's own handle.
    assert not kept.isNull() and kept.pixel(10, 10) == 0xFF336699


def test_landing_frames_retires_the_replaced_ones_to_the_worker(qtbot, window, monkeypatch):
    view = window.view
    settled(qtbot, view)
    retired = []
    monkeypatch.setattr(view._worker, "release", lambda *imgs: retired.extend(i for i in imgs if i is not None))
    shown = view._frame
    window.state.set_hover(Selection("country", "KAZ"))  # a restyle replaces the frame
    settled(qtbot, view)
    assert view._frame is not shown and any(img is shown.flat for img in retired)
    assert grab(view) == reference(view)


def _slow_glides(view, ms=4000):
    """Glides long enough that a test can look at one between its steps."""
    view._anim.setDuration(ms)


@pytest.mark.parametrize("factor", [0.5, 2.0])  # a zoom out shows the frames behind; a zoom in not
def test_glide_steps_are_composed_ahead_and_copied_as_the_paint_would_draw_them(qtbot, window, monkeypatch, factor):
    view = window.view
    settled(qtbot, view)
    qtbot.waitUntil(lambda: view._overview is not None, timeout=10000)
    _slow_glides(view)
    start = view.viewport.scale
    view.zoom(factor, QPointF(500, 350))
    qtbot.waitUntil(lambda: view._glide_shot() is not None and view._glide_step >= 4, timeout=10000)
    assert view.animating() and view.viewport.scale != start  # moving, by a composed step
    copied = grab(view)
    monkeypatch.setattr(view, "_glide_shot", lambda: None)
    assert copied == grab(view)  # composed here, on this thread, from the same frames
    monkeypatch.undo()
    view.finish_animation()
    assert view.viewport.scale == pytest.approx(start * factor)
    settled(qtbot, view)
    assert grab(view) == reference(view)


def test_a_glide_ends_on_its_last_step_once_that_is_composed(qtbot, window):
    view = window.view
    settled(qtbot, view)
    goal = []
    view.zoom(2.0, QPointF(300, 300))
    target = view.goal().copy()
    view.viewSettled.connect(lambda: goal.append(view.viewport.copy()))
    with qtbot.waitSignal(view.viewSettled, timeout=10000):
        pass
    assert not view.gliding() and view._glide_plan is None
    assert (goal[-1].cx, goal[-1].cy, goal[-1].scale) == (target.cx, target.cy, target.scale)
    assert view._glide.composed >= 1


def test_glide_buffers_are_reused_and_let_go_when_idle(qtbot, window, monkeypatch):
    from silkmap.ui import glide_compositor

    view = window.view
    settled(qtbot, view)
    monkeypatch.setattr(glide_compositor, "IDLE_FREE_S", 0.2)
    for factor in (1.5, 0.7, 1.3):
        view.zoom(factor)
        with qtbot.waitSignal(view.viewSettled, timeout=10000):
            pass
        assert view._glide._count <= glide_compositor.BUFFERS
    assert view._glide.composed >= 3
    qtbot.waitUntil(lambda: view._glide._count == 0 and not view._glide._free, timeout=5000)


def test_a_buffer_the_view_lets_go_of_is_composed_into_only_after_the_paint(qtbot, window):
    # Composing the next step while the view paints the one it took made that paint wait:
    # the buffer a step frees stays untouched until the view says it has painted.
    from silkmap.ui import frame_compose, glide_compositor

    view = window.view
    settled(qtbot, view)
    comp = glide_compositor.GlideCompositor()
    try:
        steps = [view.viewport.copy() for _ in range(glide_compositor.BUFFERS + 2)]
        ident = comp.plan(steps, view.devicePixelRatioF(), frame_compose.still(view._frame), (None, None))
        qtbot.waitUntil(lambda: comp.composed == glide_compositor.BUFFERS, timeout=10000)
        assert comp.take(ident, -1, 0) == 0 and comp.take(ident, 0, 1) == 1
        assert not comp._free and len(comp._after_paint) == 1  # step 0's buffer, held back
        assert comp.composed == glide_compositor.BUFFERS
        comp.painted()
        qtbot.waitUntil(lambda: comp.composed == glide_compositor.BUFFERS + 1, timeout=10000)
        assert not comp._after_paint
    finally:
        comp.close()


def test_a_glides_destination_is_asked_for_once_its_last_step_is_composed(qtbot, window, monkeypatch):
    view = window.view
    settled(qtbot, view)
    asked = []
    submit = view._worker.submit

    def record(job):
        if job.kind != "overview":
            asked.append((view.animating(), view._glide_done, job.vp.scale))
        return submit(job)

    monkeypatch.setattr(view._worker, "submit", record)
    start = view.viewport.scale
    view.zoom(2.0, QPointF(300, 300))
    with qtbot.waitSignal(view.viewSettled, timeout=10000):
        pass
    assert asked and all(done for animating, done, _s in asked if animating)
    assert asked[-1][2] == pytest.approx(start * 2.0)


def test_closing_during_a_glide_leaves_no_thread_running(qtbot, window):
    view = window.view
    settled(qtbot, view)
    _slow_glides(view)
    view.zoom(2.0)
    qtbot.waitUntil(lambda: view._glide.composed >= 2, timeout=10000)
    window.close()
    assert not [t for t in threading.enumerate() if t.name.startswith(("silkmap-glide", "silkmap-render"))]


def test_the_detailed_outlines_arrive_with_their_hit_index_built(qtbot, window):
    # Swapped in on the UI thread ready to use: the first hover after the 1:10m outlines load
    # must not build their shapes there.
    view = window.view
    settled(qtbot, view)
    x, y = view.viewport.to_map(view.width() / 2, view.height() / 2)
    with qtbot.waitSignal(view.detailReady, timeout=30000):
        view.set_view(x, y, 1 / 1500.0)  # zoomed in enough for the 1:10m outlines
        view.repaint()
    assert view.hits is view._detail_hits and view.hits._built


def test_a_failing_glide_compositor_leaves_the_glides_to_the_paint(qtbot, window, monkeypatch, capfd):
    from silkmap.ui import glide_compositor

    def broken(*_a, **_k):
        raise RuntimeError("no memory for a 4K image")

    monkeypatch.setattr(glide_compositor, "compose", broken)
    view = window.view
    settled(qtbot, view)
    start = view.viewport.scale
    view.zoom(2.0, QPointF(400, 300))
    with qtbot.waitSignal(view.viewSettled, timeout=10000):
        pass
    assert view.viewport.scale == pytest.approx(start * 2.0) and view._glide.composed == 0
    err = capfd.readouterr().err
    assert err.count("glide steps are drawn as they come: no memory for a 4K image") == 1
    assert "Traceback" not in err
    view.zoom(0.5)  # the next glide too, stepping with the animation, not waiting for steps
    assert view.animating() and view._glide_plan is None
    with qtbot.waitSignal(view.viewSettled, timeout=10000):
        pass
    assert view.viewport.scale == pytest.approx(start)
    settled(qtbot, view)
    assert grab(view) == reference(view)


def test_workers_wait_while_the_window_paints_and_go_on_when_it_ends():
    from silkmap.render import yield_to_ui

    waited = threading.Event()
    done = threading.Event()

    def worker():
        waited.set()
        yield_to_ui.wait()
        done.set()

    yield_to_ui.painting(True)
    try:
        t = threading.Thread(target=worker)
        t.start()
        assert waited.wait(5)
        assert not done.wait(yield_to_ui.MAX_WAIT_S / 4)  # held while the paint lasts
    finally:
        yield_to_ui.painting(False)
    assert done.wait(5)  # ... and let go when it ends
    t.join(5)
    yield_to_ui.painting(True)
    try:
        yield_to_ui.wait()  # the UI thread itself never waits on its own paint
    finally:
        yield_to_ui.painting(False)


def test_the_render_worker_runs_below_the_ui_threads_priority(qtbot, window):
    import os

    view = window.view
    settled(qtbot, view)
    worker = view._worker._thread
    assert worker is not None and worker.is_alive()
    assert os.getpriority(os.PRIO_PROCESS, worker.native_id) > os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
