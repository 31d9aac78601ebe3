"""The map's static layers rendered into images on a worker thread; the window only composes.

A job is a snapshot of what a frame needs (viewport, options, device pixel ratio). It renders
the countries (``MapRenderer.paint_base``) into an image kept with the frame, then the frame
itself: that image with the hover and selection tints, routes, symbols, labels and the focused
item over it, in ``MapRenderer.paint``'s order. A hover or selection change reuses the
countries of the frame on screen.

PySide6 keeps the GIL during every Qt call, so a long call in the worker would block the UI
thread until it returned: the worker paints through ``GilFreePainter``, whose costly calls run
without the GIL, and lowers the interpreter's switch interval while it runs, so the UI thread
gets the GIL back within a fraction of a millisecond of asking.
"""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter

from silkmap.core.viewport import Viewport
from silkmap.render import style
from silkmap.ui import background
from silkmap.render import gil_free_painter

# Frames are opaque: without an alpha channel Qt copies and scales them on its fastest paths.
IMAGE_FORMAT = QImage.Format.Format_RGB32
# Keep the UI thread's wait for the GIL short while a job runs (the default is 5 ms). The UI
# thread takes the GIL back after each Qt call of a paint, and waits up to this long each time
# while the worker runs Python (label placement): at 4K, 0.1 ms against 0.5 ms took the drag's
# p95 from 12.7 to 7.4–8.4 ms and the hover's from 10.3 to 6.8–7.3 ms.
SWITCH_INTERVAL_S = 0.0001
WORKER_NICE = 10  # of 19: below the UI thread and Qt's paint pool, not idle


class Cancelled(Exception):
    pass


@dataclass
class Frame:
    """A rendered view: images in device pixels, positioned on screen by their own viewport."""

    vp: Viewport
    dpr: float
    key: tuple  # what the static layers depend on, apart from where the view is
    style_key: tuple  # hover and selection drawn into ``flat``
    flat: QImage
    base: QImage | None = None  # the countries alone, for restyling
    result: object = None  # RenderResult of the overlay: placed labels
    generation: int = 0


@dataclass
class Job:
    kind: str  # "frame": every layer; "restyle": flatten a frame again; "overview"
    generation: int
    vp: Viewport
    dpr: float
    opts: object
    key: tuple
    style_key: tuple
    source: Frame | None = None  # restyle: the frame restyled ...
    base: QImage | None = None  # ... and its countries, held here (the frame may drop them)
    cancelled: bool = False
    done: threading.Event = field(default_factory=threading.Event)
    frame: Frame | None = None
    error: BaseException | None = None


class _Bridge(QObject):
    """Lives on the UI thread; its signal carries finished jobs across (queued)."""

    finished = Signal(object)


class RenderWorker:
    """One worker thread, one job at a time. The view's job and the overview's each have a slot:
    a newer request replaces a waiting one of its kind; the view's goes first."""

    def __init__(self, renderer, on_finished) -> None:
        self.renderer = renderer
        self._bridge = _Bridge()
        self._bridge.finished.connect(on_finished, Qt.ConnectionType.QueuedConnection)
        self._cv = threading.Condition()
        self._pending: dict[str, Job | None] = {"view": None, "overview": None}
        self._running: Job | None = None
        self._stop: threading.Event | None = None
        self._thread: threading.Thread | None = None
        self._starts = 0
        self._closed = False
        self._released: list[QImage] = []  # handles whose pixels the worker lets go of
        # Held while a job paints: a frame rendered on the UI thread (``render_now``) never
        # runs concurrently with one in the worker, so the renderer's caches see one painter.
        self.paint_lock = threading.Lock()

    # ------------------------------------------------------------------ UI thread
    def submit(self, job: Job) -> None:
        slot = "overview" if job.kind == "overview" else "view"
        with self._cv:
            if self._closed:
                return
            old = self._pending[slot]
            if old is not None:
                old.cancelled = True
                old.done.set()
            self._pending[slot] = job
            self._ensure_thread()
            self._cv.notify_all()

    def release(self, *images: QImage | None) -> None:
        """Free these images' pixels on the worker, without the GIL: a 4K frame is 33 MB,
        and unmapping it on the UI thread stalled a frame landing by several milliseconds.

        The worker gets handles of its own (``QImage(img)`` shares the pixels), so the
        caller's references stay valid and drop cheaply; whichever handle goes last frees.
        """
        handles = [QImage(img) for img in images if img is not None and not img.isNull()]
        if not handles:
            return
        with self._cv:
            if self._closed:
                return  # the handles drop here, as they would have without a worker
            self._released.extend(handles)
            self._ensure_thread()
            self._cv.notify_all()

    def cancel_if(self, stale) -> None:
        """Cancel the waiting and the running job when ``stale(job)`` says so."""
        with self._cv:
            running = self._running
            if running is not None and stale(running):
                running.cancelled = True
            for slot, job in self._pending.items():
                if job is not None and stale(job):
                    job.cancelled = True
                    job.done.set()
                    self._pending[slot] = None

    def busy(self) -> bool:
        with self._cv:
            return self._running is not None or any(j is not None for j in self._pending.values())

    def render_now(self, job: Job) -> Job:
        """Render on the calling thread, after the worker's current job."""
        with self.paint_lock:
            try:
                job.frame = self._render_with_fallback(job, threading.Event())
            finally:
                job.done.set()
        return job

    def close(self, timeout: float = 10.0) -> None:
        """Stop the thread and wait for it: nothing is painted or delivered afterwards."""
        with self._cv:
            self._closed = True
            for job in (self._running, *self._pending.values()):
                if job is not None:
                    job.cancelled = True
            self._pending = {"view": None, "overview": None}
            if self._stop is not None:
                self._stop.set()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def _ensure_thread(self) -> None:
        if self._stop is not None and not self._stop.is_set() and self._thread.is_alive():
            return
        self._stop = background.WakingEvent(self._cv)
        self._starts += 1
        name = f"silkmap-render-{id(self):x}-{self._starts}"
        # No imports first: it renders the first frame, and numpy arrives here only in layers whose
        # loaders imported it.
        background.start(name, self._run, stop_event=self._stop, imports=())
        # Thread.start returns once the thread runs, so it is listed by now.
        self._thread = next(t for t in threading.enumerate() if t.name == name)

    # ------------------------------------------------------------------ worker thread
    def _take(self, stop: threading.Event) -> Job | None:
        while True:
            with self._cv:
                released, self._released = self._released, []
                if not released:
                    if stop.is_set():
                        return None
                    for slot in ("view", "overview"):
                        job = self._pending[slot]
                        if job is not None:
                            self._pending[slot] = None
                            self._running = job
                            return job
                    self._cv.wait()
                    continue
            for img in released:  # outside the lock: the UI thread may submit meanwhile
                gil_free_painter.release(img)
            del released

    def _run(self, stop: threading.Event) -> None:
        _lower_priority()
        previous = sys.getswitchinterval()
        sys.setswitchinterval(min(previous, SWITCH_INTERVAL_S))
        try:
            while (job := self._take(stop)) is not None:
                try:
                    with self.paint_lock:
                        job.frame = self._render_with_fallback(job, stop)
                except Cancelled:
                    job.cancelled = True
                except Exception as exc:  # reported on the UI thread, never a dead worker
                    job.error = exc
                finally:
                    with self._cv:
                        self._running = None
                    job.done.set()
                if stop.is_set():
                    return
                if not job.cancelled:
                    try:
                        self._bridge.finished.emit(job)
                    except RuntimeError:  # the window is gone
                        return
        finally:
            sys.setswitchinterval(previous)

    def _render_with_fallback(self, job: Job, stop: threading.Event) -> Frame:
        try:
            return self._render(job, stop)
        except TypeError as exc:
            # A layer handed the painter to a Qt function that wants a real QPainter: paint
            # with the plain one from now on (correct, only holding the GIL longer).
            if not gil_free_painter.available() or "GilFreePainter" not in str(exc):
                raise
            gil_free_painter.disable()
            return self._render(job, stop)

    def _render(self, job: Job, stop: threading.Event) -> Frame:
        def check():
            if job.cancelled or stop.is_set():
                raise Cancelled

        vp, dpr, opts, r = job.vp, job.dpr, job.opts, self.renderer
        if job.kind == "restyle":
            base, tolerance = job.base, job.source.result.tolerance
        else:
            base = new_image(vp, dpr, None)
            levels = []
            paint_layer(base, style.WATER, lambda p: levels.append(r.paint_base(p, vp, opts)), check)
            tolerance = levels[-1]
        flat, result = flatten(r, base, vp, opts, check)
        result.tolerance = tolerance
        return Frame(vp=vp, dpr=dpr, key=job.key, style_key=job.style_key, flat=flat,
                     base=base if job.kind != "overview" else None, result=result,
                     generation=job.generation)


def _lower_priority() -> None:
    """Lower this thread's CPU priority. Qt spreads a 4K blit of the UI thread over its own
    pool of threads; on a two-core machine a worker at the same priority takes a core from
    them mid-paint, doubling the frame's time. Linux sets nice values per thread; elsewhere
    the worker keeps the default priority."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), WORKER_NICE)
    except (AttributeError, OSError):
        pass


def flatten(r, base: QImage, vp: Viewport, opts, check=lambda: None):
    """The frame as shown, over a copy of the countries: the hover and selection tints, then
    routes, symbols and labels, then the focused route or project — ``MapRenderer.paint``'s
    order on one image, so the window shows what an export of the view holds, pixel for pixel."""
    flat = new_image(vp, base.devicePixelRatio(), None)
    check()
    with _painter(flat) as p:
        p.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
        p.drawImage(QPointF(0, 0), base)
        p.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceOver)
        r.paint_highlight(p, vp, opts)
        check()
        result = r.paint_overlay(p, vp, opts)
        r.paint_focus(p, vp, opts)
    return flat, result


def paint_layer(target: QImage, fill, paint, check=lambda: None) -> None:
    """``paint(painter)`` the whole view into ``target``, in one pass.

    Not in bands: a band painted into its own image differs from one pass where a cosmetic
    stroke is cut by the band's edge (Qt restarts the line from the cut), and a clip rect
    changes Qt's rounding of every fill, so neither gives the pixels an export has.
    """
    check()
    gil_free_painter.fill(target, QColor(fill if fill is not None else Qt.GlobalColor.transparent))
    with _painter(target) as p:
        paint(p)


def new_image(vp: Viewport, dpr: float, fill) -> QImage:
    img = QImage(round(vp.width * dpr), round(vp.height * dpr), IMAGE_FORMAT)
    img.setDevicePixelRatio(dpr)
    if fill is not None:
        gil_free_painter.fill(img, QColor(fill))
    return img


class _painter:
    def __init__(self, img: QImage) -> None:
        self.img = img

    def __enter__(self):
        self.p = QPainter(self.img)
        return gil_free_painter.wrap(self.p, yield_to_ui=True)

    def __exit__(self, *exc) -> None:
        self.p.end()
