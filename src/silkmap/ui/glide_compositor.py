"""Glide steps composed ahead, on a thread of their own.

A zoom glide shows the frame on screen scaled, step by step, until the frame of the new view
arrives. At 4K a scaled blit of the whole screen takes about twice an unscaled copy (≈5 ms
against ≈2.4 ms, much more while the render worker shares the CPU), and every step needs one.
The glide's path is known when it starts — where it goes, how long, its easing — so each step
is composed here (``frame_compose.compose``, the paint's own function, with the costly calls
free of the GIL) into one of a few reused screen-sized images, and the paint only copies it.

The images are reused, never freed per step: freeing 33 MB on the UI thread takes milliseconds.
A buffer is painted into only while the view neither shows it nor has it waiting, so the two
threads never touch the same pixels; the images go after a while without glides, freed here.

The next step is composed after the paint that shows one, not while it runs: both are blits
Qt spreads over the same pool of threads, and a compose begun as the view takes a step (when
a buffer comes free) made that paint wait for it — 11–14 ms instead of 2 at 4K.
"""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QRect, Qt, Signal
from PySide6.QtGui import QImage, QPainter

from silkmap.core.viewport import Viewport
from silkmap.render import gil_free_painter
from silkmap.ui import background
from silkmap.ui.frame_compose import Still, compose

BUFFERS = 3  # one on screen, one waiting, one being composed
IDLE_FREE_S = 3.0  # without a glide this long, the buffers are let go
IMAGE_FORMAT = QImage.Format.Format_RGB32


@dataclass
class Plan:
    """The steps of one glide (their viewports) and the frames they are composed from."""

    ident: int
    steps: list[Viewport]
    dpr: float
    frame: Still
    behind: tuple[Still | None, ...]
    ready: dict[int, QImage] = field(default_factory=dict)
    next_step: int = 0  # the first step not composed yet


class _Bridge(QObject):
    """Lives on the UI thread; carries "step composed" across (queued)."""

    composed = Signal(int, int)  # plan, step


class GlideCompositor:
    def __init__(self, on_composed=None) -> None:
        self._bridge = _Bridge()
        if on_composed is not None:
            self._bridge.composed.connect(on_composed, Qt.ConnectionType.QueuedConnection)
        self._cv = threading.Condition()
        self._plan: Plan | None = None
        self._dead: list[Plan] = []  # replaced plans: their frame handles drop on this thread
        self._free: list[QImage] = []
        self._after_paint: list[QImage] = []  # let go of by ``take``: free once the paint is over
        self._count = 0  # buffers that exist (free, waiting, composing or shown)
        self._shown: QImage | None = None
        self._stop: threading.Event | None = None
        self._thread: threading.Thread | None = None
        self._closed = False
        self._ident = 0
        self.composed = 0  # steps composed (tests)

    # ------------------------------------------------------------------ UI thread
    def plan(self, steps: list[Viewport], dpr: float, frame: Still, behind, first: int = 0) -> int:
        """Compose these steps, from ``first`` on (the previous glide's waiting ones are dropped)."""
        with self._cv:
            if self._closed:
                return 0
            self._ident += 1
            self._retire_plan()
            self._plan = Plan(self._ident, steps, dpr, frame, tuple(behind), next_step=first)
            self._ensure_thread()
            self._cv.notify_all()
            return self._ident

    def take(self, ident: int, after: int, upto: int) -> int | None:
        """The newest composed step in (``after``, ``upto``], now the one on screen (``shown``),
        or None while none is. The one shown before and older waiting ones are free again, and
        steps before ``upto`` not begun yet are skipped: the glide has passed them."""
        with self._cv:
            plan = self._plan
            if plan is None or plan.ident != ident:
                return None
            plan.next_step = max(plan.next_step, upto)
            done = [k for k in plan.ready if k <= upto]
            step = max((k for k in done if k > after), default=None)
            for k in done:
                if k != step:
                    self._after_paint.append(plan.ready.pop(k))
            if step is not None:
                if self._shown is not None:
                    self._after_paint.append(self._shown)
                self._shown = plan.ready.pop(step)
            return step

    def painted(self) -> None:
        """The view has painted: the compositor may go on (see the module's note)."""
        with self._cv:
            if self._after_paint:
                self._free.extend(self._after_paint)
                self._after_paint.clear()
                self._cv.notify_all()

    def shown(self) -> QImage | None:
        return self._shown

    def end(self) -> None:
        """The view shows no composed step any more; the glide's plan is over."""
        with self._cv:
            if self._shown is not None:
                self._free.append(self._shown)
                self._shown = None
            self._free.extend(self._after_paint)
            self._after_paint.clear()
            self._retire_plan()
            self._plan = None
            self._cv.notify_all()

    def close(self, timeout: float = 10.0) -> None:
        with self._cv:
            self._closed = True
            self._retire_plan()
            self._plan = None
            if self._stop is not None:
                self._stop.set()
            self._cv.notify_all()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def _retire_plan(self) -> None:
        if self._plan is not None:
            self._free.extend(self._plan.ready.values())
            self._plan.ready.clear()
            self._dead.append(self._plan)

    def _ensure_thread(self) -> None:
        if self._stop is not None and not self._stop.is_set() and self._thread.is_alive():
            return
        self._stop = background.WakingEvent(self._cv)
        name = f"silkmap-glide-{id(self):x}"
        background.start(name, self._run, stop_event=self._stop, imports=())  # blits only
        self._thread = next(t for t in threading.enumerate() if t.name == name)

    # ------------------------------------------------------------------ compositor thread
    def _next(self, stop: threading.Event):
        """The next (plan, step, buffer) to compose; None to stop. What is let go of (replaced
        plans' frame handles, buffers) is freed here, outside the lock the UI thread takes."""
        while True:
            garbage: list = []
            with self._cv:
                garbage.extend(self._dead)
                self._dead = []
                if stop.is_set():
                    garbage.extend(self._free + self._after_paint)
                    self._free, self._after_paint = [], []
                    todo = None
                elif garbage:
                    todo = ()  # free it, then look again
                else:
                    todo = self._due(garbage)
                    if todo is None:
                        if not self._cv.wait(IDLE_FREE_S) and self._plan is None and self._shown is None:
                            garbage.extend(self._free)
                            self._free, self._count = [], 0
                        todo = ()
            del garbage
            if todo != ():
                return todo

    def _due(self, garbage: list):
        plan = self._plan
        if plan is None or plan.next_step >= len(plan.steps):
            return None
        buf = self._buffer(plan, garbage)
        if buf is None:
            return None
        step = plan.next_step
        plan.next_step += 1
        return plan, step, buf

    def _buffer(self, plan: Plan, garbage: list) -> QImage | None:
        w, h = round(plan.steps[0].width * plan.dpr), round(plan.steps[0].height * plan.dpr)
        while self._free:
            img = self._free.pop()
            if img.width() == w and img.height() == h and img.devicePixelRatio() == plan.dpr:
                return img
            garbage.append(img)  # a buffer of another size (the window was resized)
            self._count -= 1
        if self._count >= BUFFERS:
            return None
        self._count += 1
        img = QImage(w, h, IMAGE_FORMAT)
        img.setDevicePixelRatio(plan.dpr)
        return img

    def _run(self, stop: threading.Event) -> None:
        while (todo := self._next(stop)) is not None:
            plan, step, buf = todo
            vp = plan.steps[step]
            painter = QPainter(buf)
            try:
                compose(gil_free_painter.wrap(painter, yield_to_ui=True), vp, plan.dpr, plan.frame, plan.behind,
                        QRect(0, 0, vp.width, vp.height))
            except Exception as exc:  # the view paints its glides itself from now on
                sys.stderr.write(f"silkmap: glide steps are drawn as they come: {exc}\n")
                with self._cv:
                    self._closed = True
                    self._retire_plan()
                    self._plan = None
                return
            finally:
                painter.end()
            with self._cv:
                fresh = self._plan is plan and not self._closed
                if fresh:
                    plan.ready[step] = buf
                    self.composed += 1
                else:
                    self._free.append(buf)
            if fresh:
                try:
                    self._bridge.composed.emit(plan.ident, step)
                except RuntimeError:  # the view is gone
                    return
            del plan, todo, buf, vp, painter
