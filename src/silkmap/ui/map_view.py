"""The interactive map: hover, click, wheel zoom, drag pan, keyboard navigation.

The static layers are rendered on a worker (``ui/render_worker.py``); painting the widget only
composes finished images, each placed by the viewport it was rendered for, so a drag moves the
last frame with the pointer and a zoom scales it until the frame for the new view arrives.
Areas no frame covers show a coarse overview of the region. Zooms glide (``ViewAnimation``).
``MapView(sync=True)`` keeps the former path, rendering on the UI thread, as the benchmarks'
baseline.
"""

from __future__ import annotations

import gc
import math
import sys
import time

import shiboken6
from PySide6.QtCore import QElapsedTimer, QEasingCurve, QPointF, QRect, QRectF, Qt, QTimer, QVariantAnimation, Signal
from PySide6.QtGui import QColor, QImage, QKeyEvent, QPainter, QPen
from PySide6.QtWidgets import QToolTip, QWidget

from silkmap import i18n
from silkmap.i18n import labels as L
from silkmap.core.atlas import FOCUS_ORDER, home_bounds
from silkmap.core.hit import HitIndex
from silkmap.core.state import MapState, Selection
from silkmap.core.viewport import Viewport
from silkmap.ui import background
from silkmap.ui import frame_compose
from silkmap.ui.render_worker import Job, RenderWorker
from silkmap.i18n import _, text
from silkmap.render.overlay import paint_overlay
from silkmap.render import style, yield_to_ui
from silkmap.render.renderer import MapRenderer, RenderOptions
from silkmap.render.style import ROUTE_LAYER
from silkmap.render.year_style import project_status, route_status

CLICK_SLOP_PX = 4
PICK_PX = 7
KEY_ORDER = tuple(("country", c) for c in FOCUS_ORDER) + (("hub", "xian"),)
ZOOM_MS = 200  # a glide: long enough to follow, short enough not to wait for
OVERVIEW_PX = (2400, 1600)  # the coarse frame behind everything, rendered once per layer set
OVERVIEW_SPAN = 3.0  # times the home extent
GLIDE_STEP_MS = 1000 / 60  # a glide moves by a 60 Hz display's frames
GLIDE_WAIT_MS = 34  # a step not composed in this long is painted directly
DRAG_REST_MS = 80  # a pointer held still this long during a drag gets its frame
DRAG_BARE_SHARE = 0.2  # ... and so does a drag that has uncovered this share of the view
PHYSICAL_AFTER_MS = 300  # relief, lakes and rivers load this long after the first frame


_heap_frozen = False


def _freeze_startup_heap() -> None:
    global _heap_frozen
    if not _heap_frozen:
        _heap_frozen = True
        gc.freeze()


def _interpolate(a: Viewport, b: Viewport, t: float) -> Viewport:
    """The view ``t`` of the way from ``a`` to ``b``: scale in log space, and the one map point
    that both views show at the same screen position kept there (the point under the cursor for
    a wheel step), so a zoom never swings sideways. Equal scales pan in a straight line."""
    if t <= 0.0 or t >= 1.0:  # the ends exactly: a frame made for one is copied, not scaled
        return (a if t <= 0.0 else b).copy()
    out = b.copy()
    s0, s1 = a.scale, b.scale
    if abs(s1 - s0) <= 1e-9 * s0:
        out.scale = s1
        out.cx = a.cx + (b.cx - a.cx) * t
        out.cy = a.cy + (b.cy - a.cy) * t
        return out
    s = math.exp(math.log(s0) + (math.log(s1) - math.log(s0)) * t)
    out.scale = s
    mx = (a.cx * s0 - b.cx * s1) / (s0 - s1)
    my = (a.cy * s0 - b.cy * s1) / (s0 - s1)
    out.cx = mx - (mx - a.cx) * s0 / s
    out.cy = my - (my - a.cy) * s0 / s
    return out


class MapView(QWidget):
    """Paints the map with MapRenderer; turns mouse and keys into MapState changes."""

    viewChanged = Signal()
    painted = Signal()
    detailReady = Signal()
    detailFailed = Signal(str)  # the 1:10m outlines are broken; the map stays on the 1:50m ones
    namesReady = Signal()  # the names of deserts, ranges, lakes and rivers are in
    namesFailed = Signal(str)  # their file is broken; the map shows without them
    neighbourClicked = Signal(str)
    statusMessage = Signal(str)
    frameReady = Signal(int)  # a rendered frame landed (its job's generation)
    viewSettled = Signal()  # the full-detail frame of the current view is on screen
    physicalReady = Signal()  # relief, lakes and rivers are loaded (after the first frame)

    def __init__(self, atlas, state: MapState, renderer: MapRenderer | None = None, parent=None,
                 sync: bool = False) -> None:
        super().__init__(parent)
        self.atlas = atlas
        self.state = state
        self.renderer = renderer or MapRenderer(atlas)
        self.sync = sync
        self.hits = HitIndex(atlas.countries, atlas.routes)
        self.viewport = Viewport(width=max(self.width(), 1), height=max(self.height(), 1))
        self._home = home_bounds(atlas)
        self._homed = False
        self._pending_view = None  # (cx, cy, scale) asked for before the first layout
        self.at_home = False
        self._press: QPointF | None = None
        self._dragging = False
        self._key_index = -1
        self._detail_started = False
        self._detail_hits = None  # the hit index of the 1:10m outlines, built on their loader
        self.last_result = None
        # The synchronous path's cached layers.
        self._cached_key = None
        self._cached_origin = None
        self._base = self._over = None
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(30)
        self._refresh.timeout.connect(self._rebuild_layers)
        # The worker path: the newest landed frame, the one before it (shown where the newest
        # does not reach yet), the coarse overview, and what was last asked of the worker.
        self._frame = self._prev = self._overview = None
        self._generation = 0
        self._landed = 0
        self._asked = None
        self._overview_asked = None
        self._settled_for = None
        self.dropped_jobs = 0
        self._submitted: dict[int, tuple] = {}  # frame jobs in flight: when asked, and if at a new scale
        # A frame's time from asking to landing, smoothed: at the same scale (a pan reuses a
        # user layer's stamped points) and at a new one.
        self._render_ms = {False: ZOOM_MS / 2, True: ZOOM_MS / 2}
        self._worker = None if sync else RenderWorker(self.renderer, self._on_job_finished)
        if self._worker is not None:
            worker = self._worker
            self.destroyed.connect(lambda *_a: worker.close())
        self._glide = None  # ui/glide_compositor.GlideCompositor, made just after the first paint
        self._glide_ahead_on = not sync
        self._glide_plan = None  # (ident, step viewports, the frames they are composed from)
        self._glide_step = -1  # the step on screen
        self._shot_step = None  # ... when its composed image is what the paint copies
        self._glide_pending = False  # the glide's time is up, its last step not shown yet
        self._glide_done = False  # the compositor has composed the glide's last step
        self._glide_clock = QElapsedTimer()  # since the last step was shown
        self._glide_wait = QTimer(self)
        self._glide_wait.setSingleShot(True)
        self._glide_wait.setInterval(GLIDE_WAIT_MS)
        self._glide_wait.timeout.connect(self._advance)
        self._anim = QVariantAnimation(self)
        self._anim.setDuration(ZOOM_MS)
        self._anim.setStartValue(0.0)
        self._anim.setEndValue(1.0)
        self._anim.setEasingCurve(QEasingCurve.Type.OutCubic)
        self._anim.valueChanged.connect(self._on_anim_step)
        self._anim.finished.connect(self._on_anim_finished)
        self._anim_from = self._anim_to = None
        # While the hand drags, the frame moves and the worker waits: rendering 4K frames the
        # pointer leaves behind at once would only take CPU from the UI thread. A pause asks.
        self._drag_rest = QTimer(self)
        self._drag_rest.setSingleShot(True)
        self._drag_rest.setInterval(DRAG_REST_MS)
        self._drag_rest.timeout.connect(self._on_drag_rest)
        self._rested = False
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setMinimumSize(320, 240)
        self.setAccessibleName(_("Map"))
        state.selection_changed.connect(self._on_selection_changed)
        state.hover_changed.connect(self._on_hover_changed)
        state.layers_changed.connect(lambda *_a: self._state_changed())
        state.year_changed.connect(lambda *_a: self._year_changed())
        state.measure_changed.connect(lambda *_a: self._state_changed())
        self.detailReady.connect(self._on_detail_ready)
        self._physical_started = False
        self.physicalReady.connect(self._on_physical_ready)
        self.namesReady.connect(self._on_names_ready)
        state.user_layers.changed.connect(self._on_user_layers_changed)
        from silkmap.ui.annotation_tool import AnnotationTool

        self.annotation_tool = AnnotationTool(self)

    # ------------------------------------------------------------------ view control
    def reset_view(self, animate: bool = True) -> None:
        self.viewport.width, self.viewport.height = max(self.width(), 1), max(self.height(), 1)
        target = self.viewport.copy()
        target.fit(self._home, margin=0.0)
        self._homed = True
        self._go(target, animate)
        self.at_home = True
        if self._pending_view is not None:  # a project opened before the window was laid out
            pending, self._pending_view = self._pending_view, None
            self.set_view(*pending)

    def set_view(self, cx: float, cy: float, scale: float, animate: bool = False) -> None:
        """Centre the view on map point (cx, cy) at ``scale`` pixels per metre (a saved view)."""
        if not self._homed:
            self._pending_view = (cx, cy, scale)
            return
        target = self.goal().copy()
        target.cx, target.cy, target.scale = cx, cy, Viewport._clamp(scale)
        self._go(target, animate)

    def export_extent(self) -> tuple[float, float, float, float]:
        """What an export of "the current view" frames: the home extent itself while the user
        has not moved (so the window's export matches `silkmap export`), else what is visible."""
        return self._home if self.at_home else self.goal().bounds()

    def zoom(self, factor: float, at: QPointF | None = None, animate: bool = True) -> None:
        p = at or QPointF(self.width() / 2, self.height() / 2)
        # A burst of wheel steps adds up on the glide's destination, so the map keeps up.
        target = self.goal().copy()
        target.zoom_at(factor, p.x(), p.y())
        self._go(target, animate)

    def zoom_to(self, bounds, margin: float = 0.12, animate: bool = True) -> None:
        target = self.goal().copy()
        target.fit(bounds, margin=margin)
        self._go(target, animate)

    def zoom_to_country(self, iso3: str) -> None:
        self.zoom_to(self.atlas.countries[iso3].shape.bounds)

    def centre_on(self, x: float, y: float, animate: bool = True) -> None:
        target = self.goal().copy()
        target.cx, target.cy = x, y
        self._go(target, animate)

    def screen_pos(self, x: float, y: float) -> QPointF:
        return QPointF(*self.viewport.to_screen(x, y))

    def goal(self) -> Viewport:
        """Where the view is going: the glide's destination, or the view itself."""
        return self._anim_to if self._anim_to is not None and self.gliding() else self.viewport

    def animating(self) -> bool:
        return self._anim.state() == QVariantAnimation.State.Running

    def gliding(self) -> bool:
        """A glide runs, or its time is up and its last step is not on screen yet."""
        return self.animating() or self._glide_pending

    def finish_animation(self) -> None:
        """Jump to the end of a running glide (tests; a resize)."""
        if self.gliding():
            self._anim.stop()
            self.viewport = self._anim_to.copy()
            self._anim_to = None
            self._end_glide()
            self._changed()

    def _stop_animation(self) -> None:
        """Stop a glide where it is: the hand has taken the map."""
        if self.gliding():
            self._anim.stop()
            self._anim_to = None
            self._end_glide()
            self._changed()

    def _go(self, target: Viewport, animate: bool) -> None:
        target.width, target.height = self.viewport.width, self.viewport.height
        if not animate or self.sync or not self.isVisible() or self._frame is None:
            self._anim.stop()
            self._anim_to = None
            self._end_glide()
            self.viewport = target
            self._changed()
            return
        self._anim.stop()
        self._anim_from, self._anim_to = self.viewport.copy(), target
        self.at_home = False
        self._plan_glide()  # before the start, whose first step comes at once
        self._anim.start()
        # The destination renders from the glide's start: the steps are composed on their own
        # thread and the worker steps aside while the window paints, so it takes little from them.
        self._ask()

    def _on_anim_step(self, t) -> None:
        if self._anim_to is None or self._anim_from is None:
            return
        if self._glide_plan is None:
            self.viewport = _interpolate(self._anim_from, self._anim_to, float(t))
            self._changed()
        else:
            self._advance()

    def _on_anim_finished(self) -> None:
        if self._anim_to is None:
            return
        if self._glide_plan is None:
            self.viewport = self._anim_to.copy()
            self._anim_to = None
            self._changed()
            return
        self._glide_pending = True  # the last step shows once composed, or when this wait ends
        self._glide_wait.start()
        self._advance()

    # ------------------------------------------------------------------ glide steps composed ahead
    def _plan_glide(self) -> None:
        """Have the glide's steps composed ahead (ui/glide_compositor.py) from the frames on
        screen. The view moves by those steps, a 60 Hz display's frames, each shown once its
        image is ready: a copy instead of a 4K scaled blit, a few milliseconds late at worst."""
        self._glide_plan, self._glide_step, self._shot_step = None, -1, None
        self._glide_pending, self._glide_done = False, False
        self._glide_wait.stop()
        if not self._glide_ahead_on or self._frame is None or self._anim_from is None or self._anim_to is None:
            return
        self._make_glide()
        duration = max(self._anim.duration(), 1)
        curve = self._anim.easingCurve()
        n = max(1, math.ceil(duration / GLIDE_STEP_MS))
        steps = [_interpolate(self._anim_from, self._anim_to,
                              curve.valueForProgress(min(1.0, (k + 1) * GLIDE_STEP_MS / duration)))
                 for k in range(n - 1)]
        steps.append(self._anim_to.copy())
        frames = self._composed_from()
        ident = self._glide.plan(steps, self.devicePixelRatioF(), frame_compose.still(self._frame),
                                 (frame_compose.still(self._prev), frame_compose.still(self._overview)))
        if ident:  # else the compositor has stopped: the glide paints each step as it comes
            self._glide_plan = (ident, steps, frames)
        self._glide_clock.start()

    def _make_glide(self) -> None:
        """The glide compositor: made in the turn of the event loop after the first paint (not
        before it, and not in the first glide's first step)."""
        if self._glide is None and self._glide_ahead_on and shiboken6.isValid(self):
            from silkmap.ui.glide_compositor import GlideCompositor

            self._glide = glide = GlideCompositor(self._advance)
            self.destroyed.connect(lambda *_a: glide.close())

    def _glide_ahead(self, rescale: bool) -> bool:
        """Glide steps are still to be composed. The destination's render waits for them: on
        two cores a render beside the compositor slowed the steps' paints (≈9 ms at 4K instead
        of ≈5 at p95), while starting it after the last compose costs it little, as the last
        steps are on screen meanwhile."""
        plan = self._glide_plan
        if plan is None:
            return self._anim.duration() - self._anim.currentTime() > self._render_ms[rescale]
        return not self._glide_done

    def _advance(self, *ready) -> None:
        """Show the glide's newest composed step up to now; the step due now painted directly
        if none has come for a while (a machine too busy to compose ahead)."""
        plan = self._glide_plan
        if plan is None or not shiboken6.isValid(self):
            return
        ident, steps, frames = plan
        last = len(steps) - 1
        if ready and ready == (ident, last) and not self._glide_done:
            self._glide_done = True
            self._ask()
        if self.animating():
            due = min(last, round(self._anim.currentTime() / GLIDE_STEP_MS) - 1)
        elif self._glide_pending:
            due = last
        else:
            return
        if due > self._glide_step:
            step = self._glide.take(ident, self._glide_step, due)
            if step is not None:
                self._shot_step = step
            elif self._glide_clock.elapsed() >= GLIDE_WAIT_MS or (
                    self._glide_pending and not self._glide_wait.isActive()):
                self._shot_step, step = None, due
            if step is not None:
                self._glide_step = step
                self.viewport = steps[step].copy()
                self._glide_clock.start()
                self._changed()
        if self._glide_step == last and self._glide_pending:
            self._glide_pending = False
            self._glide_wait.stop()
            self._anim_to = None
            if self._moved_on(frames):
                self._end_glide()  # the destination's frame landed meanwhile: it shows now
            self._changed()

    def _glide_shot(self) -> QImage | None:
        """The composed image of the step on screen, if it still shows what the view would."""
        plan = self._glide_plan
        if plan is None or self._shot_step is None or self._shot_step != self._glide_step:
            return None
        _ident, steps, frames = plan
        if not self.gliding() and self._moved_on(frames):
            return None
        vp = steps[self._shot_step]
        if self._place(vp) != self._place(self.viewport) or vp.scale != self.viewport.scale:
            return None
        return self._glide.shown()

    def _composed_from(self) -> tuple:
        """What the screen is composed from: the frame, the one before it, the overview."""
        return (self._frame, self._prev, self._overview)

    def _moved_on(self, frames: tuple) -> bool:
        """A frame landed (or the overview came) since ``frames`` were what was shown."""
        return any(a is not b for a, b in zip(frames, self._composed_from()))

    def _end_glide(self) -> None:
        self._glide_pending = False
        self._glide_wait.stop()
        if self._glide_plan is not None or self._shot_step is not None:
            self._glide_plan, self._glide_step, self._shot_step = None, -1, None
            self._glide.end()

    def _frames_changed(self) -> None:
        """A frame landed or the overview came. While gliding, the steps keep the frames they
        are composed from (the new one shows once the glide is over); after it, it shows now."""
        if self._glide_plan is not None and not self.gliding():
            self._end_glide()

    def _changed(self) -> None:
        self.at_home = False
        self._settled_for = None
        self.update()
        self.viewChanged.emit()

    # ------------------------------------------------------------------ frames from the worker
    def _content_key(self, vp: Viewport):
        """What a frame's static layers depend on, apart from where the view is. The year comes
        last: a year step's partial repaint (``_year_step_damage``) compares the rest."""
        return (vp.scale, tuple(sorted(self.state.layers.items())), i18n.current(),
                self.renderer.cache.generation, self.devicePixelRatioF(), self.state.user_layers.key(),
                self._measure_key(), self.state.year)

    def _measure_key(self) -> tuple:
        return (self.state.measure, self.state.classification.key())

    def _style_key(self):
        return (self.state.hover, self.state.selection)

    @staticmethod
    def _place(vp: Viewport):
        return (vp.cx, vp.cy, vp.width, vp.height)

    def _final(self, frame) -> bool:
        """The frame shows exactly the current view, state and detail."""
        vp = self.viewport
        return (frame is not None and not self.gliding() and frame.key == self._content_key(vp)
                and self._place(frame.vp) == self._place(vp) and frame.style_key == self._style_key())

    def _job(self, kind: str, vp: Viewport, source=None) -> Job:
        self._generation += 1
        return Job(kind=kind, generation=self._generation, vp=vp.copy(), dpr=self.devicePixelRatioF(),
                   opts=self.render_options(), key=self._content_key(vp), style_key=self._style_key(),
                   source=source, base=source.base if source is not None else None)

    def _ask(self) -> None:
        """Ask the worker for what the screen lacks: the frame of where the view is going, or
        the same frame with the new hover and selection."""
        if self._worker is None or not self._homed:
            return
        goal = self.goal()
        key, place, style_key = self._content_key(goal), self._place(goal), self._style_key()
        want = (key, place, style_key)
        # A job for another scale, layer set or language would land on nothing.
        self._worker.cancel_if(lambda j: j.kind != "overview" and j.key != key)
        f = self._frame
        if f is not None and (f.key, self._place(f.vp), f.style_key) == want:
            self._asked = want
            return
        if want == self._asked:
            return
        rescale = f is None or f.vp.scale != goal.scale
        if self.animating() and self._glide_ahead(rescale):
            return  # the destination renders once the glide's steps are composed (_glide_ahead)
        if (self._dragging and not self._rested and f is not None and self._place(f.vp) != place
                and self._bare_share(f) < DRAG_BARE_SHARE):
            if not self._drag_rest.isActive():
                self._drag_rest.start()
            return
        self._asked = want
        if f is not None and f.key == key and self._place(f.vp) == place and f.base is not None:
            self._worker.submit(self._job("restyle", goal, source=f))
        else:
            job = self._job("frame", goal)
            self._submitted[job.generation] = (time.perf_counter(), rescale)
            self._worker.submit(job)

    def _bare_share(self, frame) -> float:
        """The share of the view the frame does not cover."""
        view = QRectF(self.rect())
        covered = self._target(frame).intersected(view)
        return 1.0 - (covered.width() * covered.height()) / max(view.width() * view.height(), 1.0)

    def _on_drag_rest(self) -> None:
        self._rested = True
        self._ask()

    def _overview_key(self):
        """What the overview depends on: the layer set, and whether relief and water are in."""
        return (tuple(sorted(self.state.layers.items())), self.renderer.physical.ready_generation)

    def _ask_overview(self) -> None:
        layers = self._overview_key()
        if self._worker is None or self._overview_asked == layers:
            return
        self._overview_asked = layers
        vp = Viewport(width=OVERVIEW_PX[0], height=OVERVIEW_PX[1])
        x0, y0, x1, y1 = self._home
        cx, cy, w, h = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) * OVERVIEW_SPAN, (y1 - y0) * OVERVIEW_SPAN
        vp.fit((cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2), margin=0.0)
        self._generation += 1
        layer_opts = {**self.state.layers, "labels": False, "cities": False}
        job = Job(kind="overview", generation=self._generation, vp=vp, dpr=1.0,
                  opts=RenderOptions(layers=layer_opts, allow_detail_load=False), key=layers, style_key=())
        self._worker.submit(job)

    def _on_job_finished(self, job) -> None:
        if not shiboken6.isValid(self):
            return
        if job.error is not None:
            sys.stderr.write(f"silkmap: the map could not be drawn: {job.error}\n")
            return
        if job.kind == "overview":
            if job.key == self._overview_key():
                if self._overview is not None:
                    self._retire(self._overview.flat)
                self._overview = job.frame
                self._frames_changed()
                if self._frame is None or not self._covers(self._frame, self.rect()):
                    self.update()
            return
        self._land(job)

    def _land(self, job) -> None:
        frame = job.frame
        # Older than what is shown, or made for another scale, layer set or language (a job
        # started before a zoom): dropped. A frame of the same scale elsewhere lands: during a
        # drag it is exact where it shows, placed by its own viewport.
        if (frame is None or job.generation <= self._landed or job.key != self._content_key(self.goal())
                or (job.kind == "restyle" and job.source is not self._frame)):
            self.dropped_jobs += 1
            self._ask()
            return
        old = self._frame
        self._landed = job.generation
        asked = self._submitted.pop(job.generation, None)
        if asked is not None:  # how long a frame takes, as the glides' render start needs
            at, rescale = asked
            ms = self._render_ms
            ms[rescale] = 0.7 * ms[rescale] + 0.3 * (time.perf_counter() - at) * 1000
        self._submitted = {g: t for g, t in self._submitted.items() if g > job.generation}
        self._frame = frame
        if job.kind == "frame":
            if old is not None:
                self._retire(old.base)
                old.base = None  # kept only as a preview behind the new frame
            if self._prev is not None:
                self._retire(self._prev.flat, self._prev.base)
            self._prev = old
        elif old is not None:  # a restyle: the new frame has the old one's countries
            self._retire(old.flat)
        self.last_result = frame.result
        if self._prev is not None and self._covers(frame, self.rect()):
            self._retire(self._prev.flat, self._prev.base)
            self._prev = None
        self._frames_changed()
        damage = self._year_step_damage(old, frame) if job.kind == "frame" else None
        if job.kind == "restyle" and old is not None:
            self.update(self._style_rect(old) | self._style_rect(frame))
        elif damage is not None:
            self.update(damage)
        else:
            self.update()
        self.frameReady.emit(job.generation)
        if frame.result.tolerance is None and frame.vp.metres_per_pixel < 2500:
            if old is None:  # the first frame (a project opened zoomed in): on screen first
                QTimer.singleShot(0, self._start_detail)
            else:
                self._start_detail()
        if not self._physical_started:
            # Not in the first frame's event: its paint (and a start-up that ends there) stays
            # free of the heavy libraries the loader imports.
            self._physical_started = True
            QTimer.singleShot(PHYSICAL_AFTER_MS, self._start_physical)
        if self._overview is None:
            self._ask_overview()
            # Once the map is up: the objects loaded so far (the atlas, the outlines) live for
            # the session, and a full collection scanning them all stalled the UI thread for
            # 50–150 ms in the middle of a drag. Freezing them leaves later collections short.
            _freeze_startup_heap()
        self._ask()

    def _retire(self, *images) -> None:
        """Images the view lets go of: their pixels are freed on the worker (render_worker)."""
        if self._worker is not None:
            self._worker.release(*images)

    def settle(self) -> None:
        """Finish a glide and show the current view's full frame now, rendered on this thread
        if the worker has not delivered it (tests, and anything that reads the labels)."""
        self.finish_animation()
        if not self._homed:
            self.reset_view(animate=False)
        if self._worker is not None and not self._final(self._frame):
            self._worker.cancel_if(lambda j: j.kind != "overview")
            self._asked = None
            self._land(self._worker.render_now(self._job("frame", self.viewport)))
        self.repaint()

    def _covers(self, frame, rect: QRect) -> bool:
        return frame_compose.covers(self.viewport, frame, rect)

    def _target(self, frame) -> QRectF:
        """Where the frame goes on screen in the current view, in logical pixels."""
        return frame_compose.target(self.viewport, frame)

    def _style_rect(self, frame) -> QRect:
        """Screen bounds of what hover and selection draw into a frame (tint, outline, focused
        route, hub ring, project), in the current view."""
        vp, fv = self.viewport, frame.vp
        out = QRect()
        paths, _tol = self.renderer.cache.paths_for(fv.metres_per_pixel, allow_load=False)

        def add(map_rect: QRectF, pad: float) -> None:
            nonlocal out
            x0, y0 = vp.to_screen(map_rect.left(), map_rect.bottom())
            x1, y1 = vp.to_screen(map_rect.right(), map_rect.top())
            r = QRectF(min(x0, x1) - pad, min(y0, y1) - pad, abs(x1 - x0) + 2 * pad, abs(y1 - y0) + 2 * pad)
            out |= r.toAlignedRect()

        for sel in frame.style_key:
            if sel is None:
                continue
            if sel.kind == "country" and sel.id in paths:
                add(paths[sel.id].bounds, 4)
            elif sel.kind == "route" and sel.id in self.renderer._route_paths:
                add(self.renderer._route_paths[sel.id].boundingRect(), 14)
            elif sel.kind == "hub":
                add(QRectF(self.atlas.hub.x, self.atlas.hub.y, 0, 0), 22)
            elif sel.kind == "project" and sel.id in self.renderer._project_xy:
                add(QRectF(*self.renderer._project_xy[sel.id], 0, 0), 12)
        return out & self.rect()

    def _year_changed(self) -> None:
        """A year step: the frame on screen stays until the new year's lands (nothing to
        repaint meanwhile); the synchronous path renders it now."""
        if self.sync:
            self._state_changed()
            return
        self._settled_for = None
        self._ask()
        if self._final(self._frame):  # back to the year on screen: a pixel's paint says it is settled
            self.update(QRect(0, 0, 1, 1))

    def _year_step_damage(self, old, frame) -> QRect | None:
        """When only the year differs from the frame on screen, in the same view: the part of
        the screen the step changed (ui/year_damage.py); else None (repaint it all)."""
        here = self._place(self.viewport)
        if (old is None or old.key[:-1] != frame.key[:-1] or old.key[-1] == frame.key[-1]
                or self._place(old.vp) != here or self._place(frame.vp) != here or self._prev is not None
                or not self._covers(frame, self.rect())):
            return None
        from silkmap.ui.year_damage import year_damage

        rect = year_damage(self, old.key[-1], frame.key[-1], old, frame)
        if rect is not None and old.style_key != frame.style_key:
            rect |= self._style_rect(old) | self._style_rect(frame)
        if rect is not None and rect.isEmpty():
            rect = QRect(0, 0, 1, 1)  # nothing changed: a pixel's paint still says the view is settled
        return rect

    def _state_changed(self) -> None:
        self._settled_for = None
        self._ask()
        self.update()

    def _on_user_layers_changed(self) -> None:
        if not shiboken6.isValid(self):  # the Qt-free signal outlives a closed window
            self.state.user_layers.changed.disconnect(self._on_user_layers_changed)
            return
        self._cached_key = None
        self._state_changed()

    def _pick_user(self, x: float, y: float, polygons: bool) -> Selection | None:
        """The top user layer's feature under map point (x, y): points and lines, or polygons."""
        mpp = self.viewport.metres_per_pixel
        for ul in reversed(self.state.user_layers.layers):
            if not ul.visible:
                continue
            tol = max(PICK_PX, ul.spec.style["size"] / 2 + 2) * mpp
            fid = ul.data.feature_at(x, y, tol, polygons=polygons)
            if fid is not None:
                return Selection("user", f"{ul.id}:{fid}")
        return None

    def _on_hover_changed(self, _hover) -> None:
        self._settled_for = None
        if self.sync:
            self.update()
        else:
            self._ask()  # the new tint arrives as a restyled frame, repainting just its region

    # ------------------------------------------------------------------ painting
    def render_options(self) -> RenderOptions:
        return RenderOptions(layers=dict(self.state.layers), selection=self.state.selection,
                             hover=self.state.hover, allow_detail_load=False, year=self.state.year,
                             user_layers=self.state.user_layers.layers, measure=self.state.measure,
                             classification=self.state.classification)

    def _layers_key(self, opts: RenderOptions):
        vp = self.viewport
        return (vp.cx, vp.cy, vp.scale, vp.width, vp.height, tuple(sorted(opts.layers.items())),
                i18n.current(), self.renderer.cache.generation, self.devicePixelRatioF(), opts.year,
                self.state.user_layers.key(), self._measure_key())

    def _stale_layers_usable(self, key) -> bool:
        if self._base is None or self._cached_key is None:
            return False
        old = self._cached_key
        same_scale = old[2] == key[2] and old[5:] == key[5:]
        x0, y1 = self._cached_origin
        return same_scale and (x0, y1) == self.viewport.to_map(0, 0) and not self._refresh.isActive()

    def _rebuild_layers(self) -> None:
        self._cached_key = None
        self.update()

    def _render_layer(self, paint, fill) -> QImage:
        dpr = self.devicePixelRatioF()
        img = QImage(round(self.viewport.width * dpr), round(self.viewport.height * dpr),
                     QImage.Format.Format_ARGB32_Premultiplied)
        img.setDevicePixelRatio(dpr)
        img.fill(fill)
        p = QPainter(img)
        result = paint(p)
        p.end()
        return img, result

    def paintEvent(self, event) -> None:
        if not self._homed:
            self.reset_view(animate=False)
        if self.sync:
            self._paint_sync()
            return
        if self._frame is None:
            # The first frame: nothing to show meanwhile, and no input yet to keep up with.
            self._land(self._worker.render_now(self._job("frame", self.viewport)))
            QTimer.singleShot(0, self._make_glide)
        self._ask()
        clip = event.rect()
        frame = self._frame
        yield_to_ui.painting(True)
        try:
            self._compose_window(clip, frame)
        finally:
            yield_to_ui.painting(False)
        if self._glide is not None:
            self._glide.painted()
        self.painted.emit()
        if self._final(frame) and self._settled_for != frame.generation:
            self._settled_for = frame.generation
            self.viewSettled.emit()

    def _compose_window(self, clip: QRect, frame) -> None:
        painter = QPainter(self)
        shot = self._glide_shot()
        if shot is not None:  # a glide step composed ahead: copied as it is
            d = shot.devicePixelRatio()
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
            painter.drawImage(QRectF(clip.left(), clip.top(), -1, -1), shot,
                              QRectF(clip.left() * d, clip.top() * d, clip.width() * d, clip.height() * d))
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceOver)
        else:
            frame_compose.compose(painter, self.viewport, self.devicePixelRatioF(), frame,
                                  (self._prev, self._overview), clip)
        self.annotation_tool.paint(painter)
        paint_overlay(painter, self.viewport, self.atlas, scale=1.0, attribution=True)
        if self.hasFocus() and 0 <= self._key_index < len(KEY_ORDER):
            self._paint_key_focus(painter)
        painter.end()

    def _paint_sync(self) -> None:
        """The former path, rendering the static layers here on the UI thread."""
        opts = self.render_options()
        vp = self.viewport
        key = self._layers_key(opts)
        if key != self._cached_key and self._stale_layers_usable(key):
            # A resize that keeps the top-left corner (the details panel opening) leaves the
            # cached layers exact where they still show: draw them now, rebuild just after.
            self._refresh.start()
        elif key != self._cached_key:
            # The static layers change only with the view, the layers or the language;
            # hover and selection reuse them and repaint just the tint and the focus items.
            self._base, tolerance = self._render_layer(
                lambda p: self.renderer.paint_base(p, vp, opts), style.WATER)
            self._over, result = self._render_layer(
                lambda p: self.renderer.paint_overlay(p, vp, opts), Qt.GlobalColor.transparent)
            result.tolerance = tolerance
            self.last_result = result
            self._cached_key = key
            self._cached_origin = vp.to_map(0, 0)
        painter = QPainter(self)
        if self._base.deviceIndependentSize().toSize() != self.size():
            painter.fillRect(self.rect(), style.WATER)
        painter.drawImage(0, 0, self._base)
        self.renderer.paint_highlight(painter, vp, opts)
        painter.drawImage(0, 0, self._over)
        self.renderer.paint_focus(painter, vp, opts)
        self.annotation_tool.paint(painter)
        paint_overlay(painter, vp, self.atlas, scale=1.0, attribution=True)
        if self.hasFocus() and 0 <= self._key_index < len(KEY_ORDER):
            self._paint_key_focus(painter)
        painter.end()
        if self.last_result.tolerance is None and self.viewport.metres_per_pixel < 2500:
            self._start_detail()
        if not self._physical_started:
            self._physical_started = True
            QTimer.singleShot(PHYSICAL_AFTER_MS, self._start_physical)
        self.painted.emit()
        if not self._refresh.isActive():
            self.viewSettled.emit()  # every frame of this path is the full one

    def _key_ring_rect(self, index: int) -> QRect:
        if not 0 <= index < len(KEY_ORDER):
            return QRect()
        p = self.screen_pos(*self._key_target_xy(*KEY_ORDER[index]))
        return QRectF(p.x() - 19, p.y() - 19, 38, 38).toAlignedRect()

    def _paint_key_focus(self, painter: QPainter) -> None:
        kind, ident = KEY_ORDER[self._key_index]
        x, y = self._key_target_xy(kind, ident)
        p = self.screen_pos(x, y)
        pen = QPen(QColor("#111111"), 2, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(p, 16, 16)

    def _start_detail(self) -> None:
        """Load and simplify the 1:10m outlines off the UI thread, then repaint."""
        if self._detail_started:
            return
        self._detail_started = True

        def work(stop):
            from silkmap.core.errors import DataError

            try:
                ready = self.renderer.cache.warm_up(stop)
            except DataError as exc:
                self.detailFailed.emit(str(exc))
                return
            if ready:
                # Its shapes built here: the first hover after the swap would otherwise build
                # them on the UI thread, a stall of tens of milliseconds.
                hits = HitIndex(self.atlas.detail(), self.atlas.routes)
                hits.warm_up(stop)
                self._detail_hits = hits
                self.detailReady.emit()

        background.start("silkmap-detail", work)

    def _start_physical(self) -> None:
        """Relief, lakes and rivers, loaded off the UI thread once the first frame is up."""
        physical = self.renderer.physical

        def work(stop):
            if physical.load():
                if not stop.is_set():
                    try:
                        self.physicalReady.emit()
                    except RuntimeError:  # the window is gone
                        pass
            else:
                sys.stderr.write(f"silkmap: relief, lakes and rivers are not shown: {physical.error}\n")

        background.start("silkmap-physical", work)

    def _on_physical_ready(self) -> None:
        self._ask_overview()  # the backdrop at the edges of a drag gets them too
        self.update()  # the new generation asks for a new frame

    def load_physical_names(self, stop=None) -> None:
        """Read the names of the land (on a worker, after the first paint), then repaint."""
        from silkmap.core.errors import DataError

        try:
            self.atlas.physical_names()
        except DataError as exc:
            self.namesFailed.emit(str(exc))
            return
        if stop is None or not stop.is_set():
            self.namesReady.emit()

    def _on_names_ready(self) -> None:
        self.renderer.cache.content_changed()  # a new key: the static layers are drawn again
        self._state_changed()

    def _on_detail_ready(self) -> None:
        self.hits = self._detail_hits or HitIndex(self.atlas.detail(), self.atlas.routes)
        self.update()

    def resizeEvent(self, event) -> None:
        self.finish_animation()
        old = event.oldSize()
        # Keep the top-left corner fixed: a panel opening on the right must not shift the map.
        anchor = self.viewport.to_map(0, 0)
        self.viewport.width, self.viewport.height = max(self.width(), 1), max(self.height(), 1)
        if not self._homed or old.width() <= 0:
            self.reset_view(animate=False)
        else:
            now = self.viewport.to_map(0, 0)
            self.viewport.cx += anchor[0] - now[0]
            self.viewport.cy += anchor[1] - now[1]
        super().resizeEvent(event)

    # ------------------------------------------------------------------ picking
    def pick(self, pos: QPointF) -> Selection | None:
        """What is under a screen position: hub, project, route, then country."""
        x, y = self.viewport.to_map(pos.x(), pos.y())
        tol = PICK_PX * self.viewport.metres_per_pixel
        layers = self.state.layers
        user = self._pick_user(x, y, polygons=False)  # drawn over the map's own symbols
        if user:
            return user
        hub = self.atlas.hub
        hx, hy = self.viewport.to_screen(hub.x, hub.y)
        if (hx - pos.x()) ** 2 + (hy - pos.y()) ** 2 <= (PICK_PX + 6) ** 2:
            return Selection("hub", hub.id)
        dated = self.renderer.year_state(self.state.year)  # what that year's map shows
        if layers.get("projects", True):
            best = None
            for pid, (px, py) in self.renderer._project_xy.items():
                if project_status(pid, dated) is None:
                    continue
                d = (px - x) ** 2 + (py - y) ** 2
                if d <= tol * tol and (best is None or d < best[0]):
                    best = (d, pid)
            if best:
                return Selection("project", best[1])
        rid = self.hits.route_at(x, y, tol * 0.8, allowed=lambda r: layers.get(
            ROUTE_LAYER[self.atlas.routes[r].kind], True) and route_status(self.atlas.routes[r], dated) is not None,
            rank=lambda r: 0 if self.atlas.routes[r].era == "modern" else 1)
        if rid:
            return Selection("route", rid)
        user = self._pick_user(x, y, polygons=True)
        if user:
            return user
        iso = self.hits.country_at(x, y)
        if iso:
            return Selection("country", iso)
        return None

    def describe(self, sel: Selection | None) -> str:
        if sel is None:
            return ""
        if sel.kind == "country":
            c = self.atlas.countries[sel.id]
            prof = self.atlas.profiles.get(sel.id)
            if prof and prof.current_level:
                level = _("{level} ({year})").format(level=text(prof.current_level), year=prof.current_year)
                return _("{name} — {status}").format(name=text(c.names), status=level)
            if prof:
                return _("{name} — {status}").format(name=text(c.names),
                                                     status=_("Click for the region-level facts"))
            return text(c.names)
        if sel.kind == "hub":
            return _("{name} — {status}").format(name=text(self.atlas.hub.name),
                                                 status=_("Silk Road hub, host of the 2023 summit"))
        if sel.kind == "route":
            r = self.atlas.routes[sel.id]
            return _("{name} — {kind}, {status}").format(name=text(r.name), kind=L.label(L.ROUTE_KIND, r.kind),
                                                         status=self._status_then(L.label(L.ROUTE_STATUS, r.status),
                                                                                  "route_status", sel.id, r.era))
        if sel.kind == "project":
            pr = self.renderer.project_points[sel.id]
            return _("{name} — {status}").format(name=text(pr.name), status=self._status_then(
                L.label(L.PROJECT_STATUS, pr.status), "project_status", sel.id))
        if sel.kind == "user":
            from silkmap.ui.user_feature import feature_title

            return feature_title(self.state.user_layers, sel.id)
        return ""

    def _status_then(self, today_text: str, field: str, ident: str, era: str = "modern") -> str:
        """The status in the year on the map (core/timeline.py), or today's where none is dated."""
        from silkmap.core.timeline import LAST_YEAR, STATUS_TITLE

        dated = self.renderer.year_state(self.state.year)
        status = getattr(dated, field, {}).get(ident) if dated is not None else None
        if era == "historical" or status is None or self.state.year == LAST_YEAR:
            return today_text
        return _(STATUS_TITLE[status])

    # ------------------------------------------------------------------ mouse
    def mousePressEvent(self, event) -> None:
        if self.annotation_tool.mouse_press(event):
            self._stop_animation()
            return
        if event.button() == Qt.MouseButton.LeftButton:
            self._stop_animation()
            self._press = event.position()
            self._dragging = False
            self._last = event.position()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        if self.annotation_tool.mouse_move(event):
            return
        pos = event.position()
        if self._press is not None and event.buttons() & Qt.MouseButton.LeftButton:
            if self._dragging or (pos - self._press).manhattanLength() > CLICK_SLOP_PX:
                self._dragging = True
                self.setCursor(Qt.CursorShape.ClosedHandCursor)
                d = pos - self._last
                self._last = pos
                self.viewport.pan_pixels(d.x(), d.y())
                self._rested = False
                self._drag_rest.start()
                self._changed()
            return
        hit = self.pick(pos)
        self.state.set_hover(hit)
        tip = self.describe(hit)
        if tip:
            QToolTip.showText(event.globalPosition().toPoint(), tip, self)
        else:
            QToolTip.hideText()
        self.setCursor(Qt.CursorShape.PointingHandCursor if hit and (
            hit.kind != "country" or self.atlas.countries[hit.id].is_focus) else Qt.CursorShape.ArrowCursor)

    def mouseReleaseEvent(self, event) -> None:
        if self.annotation_tool.mouse_release(event):
            return
        if event.button() == Qt.MouseButton.LeftButton and self._press is not None:
            if not self._dragging:
                self.click_at(event.position())
            elif self._worker is not None:
                # A frame still being made for where the hand passed would only delay the one
                # for where it let go.
                here = self._place(self.viewport)
                self._worker.cancel_if(lambda j: j.kind == "frame" and self._place(j.vp) != here)
            self._press = None
            self._dragging = False
            self._drag_rest.stop()
            self._ask()
            self.unsetCursor()
        super().mouseReleaseEvent(event)

    def click_at(self, pos: QPointF) -> None:
        hit = self.pick(pos)
        if hit and hit.kind == "country" and hit.id not in self.atlas.profiles:
            name = text(self.atlas.countries[hit.id].names)
            self.neighbourClicked.emit(hit.id)
            self.statusMessage.emit(_("{name} — neighbouring country").format(name=name))
            self.state.select(None)
            return
        self.state.select(hit)

    def mouseDoubleClickEvent(self, event) -> None:
        if self.annotation_tool.double_click(event):
            return
        hit = self.pick(event.position())
        if hit and hit.kind == "country":
            self.state.select(hit if hit.id in self.atlas.profiles else None)
            # Zoom once the details panel has taken its room, so the country fits what is left.
            QTimer.singleShot(0, lambda iso=hit.id: self.zoom_to_country(iso))

    def wheelEvent(self, event) -> None:
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.zoom(1.25 ** steps, event.position())

    def leaveEvent(self, event) -> None:
        self.state.set_hover(None)
        super().leaveEvent(event)

    # ------------------------------------------------------------------ keyboard
    def focusNextPrevChild(self, forward: bool) -> bool:
        # Tab cycles through the six countries and the hub while the map has focus.
        if self.hasFocus():
            self._step_key(1 if forward else -1)
            return True
        return super().focusNextPrevChild(forward)

    def _key_target_xy(self, kind: str, ident: str):
        if kind == "hub":
            return self.atlas.hub.x, self.atlas.hub.y
        return self.renderer._anchors[ident]

    def _step_key(self, step: int) -> None:
        self.update(self._key_ring_rect(self._key_index))
        self._key_index = (self._key_index + step) % len(KEY_ORDER)
        kind, ident = KEY_ORDER[self._key_index]
        sel = Selection(kind, ident)
        self.state.set_hover(sel)
        self.statusMessage.emit(self.describe(sel))
        self.update(self._key_ring_rect(self._key_index))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.annotation_tool.key_press(event):
            return
        key = event.key()
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Down):
            self._step_key(1)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Up):
            self._step_key(-1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._key_index >= 0:
            kind, ident = KEY_ORDER[self._key_index]
            self.state.select(Selection(kind, ident))
        elif key == Qt.Key.Key_Escape:
            self.state.select(None)
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(1.4)
        elif key == Qt.Key.Key_Minus:
            self.zoom(1 / 1.4)
        elif key == Qt.Key.Key_Home:
            self.reset_view()
        else:
            super().keyPressEvent(event)

    def _on_selection_changed(self, sel) -> None:
        self._settled_for = None
        if self.sync:
            self.update()
        else:
            self._ask()
