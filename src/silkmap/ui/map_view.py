"""The interactive map: hover, click, wheel zoom, drag pan, keyboard navigation."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QKeyEvent, QPainter, QPen
from PySide6.QtWidgets import QToolTip, QWidget

from silkmap import i18n
from silkmap.i18n import labels as L
from silkmap.core.atlas import FOCUS_ORDER
from silkmap.core.hit import HitIndex
from silkmap.core.state import MapState, Selection
from silkmap.core.viewport import Viewport
from silkmap.ui import background
from silkmap.i18n import _, text
from silkmap.render.overlay import paint_overlay
from silkmap.render import style
from silkmap.render.renderer import MapRenderer, RenderOptions
from silkmap.render.style import ROUTE_LAYER

CLICK_SLOP_PX = 4
PICK_PX = 7
HOME_MARGIN = 0.02
KEY_ORDER = tuple(("country", c) for c in FOCUS_ORDER) + (("hub", "xian"),)


def home_bounds(atlas) -> tuple[float, float, float, float]:
    """The five Central Asian states and China as far east as the Xi'an hub.

    Framing the whole of China would leave Central Asia, the subject, a small corner of the map.
    """
    boxes = [c.bounds for c in atlas.focus if c.iso3 != "CHN"]  # the union's bounds
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    hub = atlas.hub
    pad = 250_000.0  # room east of Xi'an for its label
    x0, y0, x1, y1 = min(x0, hub.x), min(y0, hub.y - pad), max(x1, hub.x + pad * 1.6), max(y1, hub.y)
    # A little sea and land around the edges, as in the window, so nothing touches the frame.
    m = HOME_MARGIN * max(x1 - x0, y1 - y0)
    return x0 - m, y0 - m, x1 + m, y1 + m


class MapView(QWidget):
    """Paints the map with MapRenderer; turns mouse and keys into MapState changes."""

    viewChanged = Signal()
    painted = Signal()
    detailReady = Signal()
    detailFailed = Signal(str)  # the 1:10m outlines are broken; the map stays on the 1:50m ones
    neighbourClicked = Signal(str)
    statusMessage = Signal(str)

    def __init__(self, atlas, state: MapState, renderer: MapRenderer | None = None, parent=None) -> None:
        super().__init__(parent)
        self.atlas = atlas
        self.state = state
        self.renderer = renderer or MapRenderer(atlas)
        self.hits = HitIndex(atlas.countries, atlas.routes)
        self.viewport = Viewport(width=max(self.width(), 1), height=max(self.height(), 1))
        self._home = home_bounds(atlas)
        self._homed = False
        self.at_home = False
        self._press: QPointF | None = None
        self._dragging = False
        self._key_index = -1
        self._detail_started = False
        self.last_result = None
        self._cached_key = None
        self._cached_origin = None
        self._base = self._over = None
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(30)
        self._refresh.timeout.connect(self._rebuild_layers)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setMinimumSize(320, 240)
        self.setAccessibleName(_("Map"))
        state.selection_changed.connect(self._on_selection_changed)
        state.hover_changed.connect(lambda _h: self.update())
        state.layers_changed.connect(lambda *_a: self.update())
        self.detailReady.connect(self._on_detail_ready)

    # ------------------------------------------------------------------ view control
    def reset_view(self) -> None:
        self.viewport.width, self.viewport.height = max(self.width(), 1), max(self.height(), 1)
        self.viewport.fit(self._home, margin=0.0)
        self._homed = True
        self._changed()
        self.at_home = True

    def export_extent(self) -> tuple[float, float, float, float]:
        """What an export of "the current view" frames: the home extent itself while the user
        has not moved (so the window's export matches `silkmap export`), else what is visible."""
        return self._home if self.at_home else self.viewport.bounds()

    def zoom(self, factor: float, at: QPointF | None = None) -> None:
        p = at or QPointF(self.width() / 2, self.height() / 2)
        self.viewport.zoom_at(factor, p.x(), p.y())
        self._changed()

    def zoom_to(self, bounds, margin: float = 0.12) -> None:
        self.viewport.fit(bounds, margin=margin)
        self._changed()

    def zoom_to_country(self, iso3: str) -> None:
        self.zoom_to(self.atlas.countries[iso3].shape.bounds)

    def centre_on(self, x: float, y: float) -> None:
        self.viewport.cx, self.viewport.cy = x, y
        self._changed()

    def screen_pos(self, x: float, y: float) -> QPointF:
        return QPointF(*self.viewport.to_screen(x, y))

    def _changed(self) -> None:
        self.at_home = False
        self.update()
        self.viewChanged.emit()

    # ------------------------------------------------------------------ painting
    def render_options(self) -> RenderOptions:
        return RenderOptions(layers=dict(self.state.layers), selection=self.state.selection,
                             hover=self.state.hover, allow_detail_load=False)

    def _layers_key(self, opts: RenderOptions):
        vp = self.viewport
        return (vp.cx, vp.cy, vp.scale, vp.width, vp.height, tuple(sorted(opts.layers.items())),
                i18n.current(), self.renderer.cache.generation, self.devicePixelRatioF())

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
            self.reset_view()
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
        paint_overlay(painter, vp, self.atlas, scale=1.0, attribution=True)
        if self.hasFocus() and 0 <= self._key_index < len(KEY_ORDER):
            self._paint_key_focus(painter)
        painter.end()
        if self.last_result.tolerance is None and self.viewport.metres_per_pixel < 2500:
            self._start_detail()
        self.painted.emit()

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
                self.detailReady.emit()

        background.start("silkmap-detail", work)

    def _on_detail_ready(self) -> None:
        detail = self.atlas.detail()
        self.hits = HitIndex(detail, self.atlas.routes)
        self.update()

    def resizeEvent(self, event) -> None:
        old = event.oldSize()
        # Keep the top-left corner fixed: a panel opening on the right must not shift the map.
        anchor = self.viewport.to_map(0, 0)
        self.viewport.width, self.viewport.height = max(self.width(), 1), max(self.height(), 1)
        if not self._homed or old.width() <= 0:
            self.reset_view()
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
        hub = self.atlas.hub
        hx, hy = self.viewport.to_screen(hub.x, hub.y)
        if (hx - pos.x()) ** 2 + (hy - pos.y()) ** 2 <= (PICK_PX + 6) ** 2:
            return Selection("hub", hub.id)
        if layers.get("projects", True):
            best = None
            for pid, (px, py) in self.renderer._project_xy.items():
                d = (px - x) ** 2 + (py - y) ** 2
                if d <= tol * tol and (best is None or d < best[0]):
                    best = (d, pid)
            if best:
                return Selection("project", best[1])
        rid = self.hits.route_at(x, y, tol * 0.8, allowed=lambda r: layers.get(
            ROUTE_LAYER[self.atlas.routes[r].kind], True),
            rank=lambda r: 0 if self.atlas.routes[r].era == "modern" else 1)
        if rid:
            return Selection("route", rid)
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
                                                         status=L.label(L.ROUTE_STATUS, r.status))
        if sel.kind == "project":
            pr = self.renderer.project_points[sel.id]
            return _("{name} — {status}").format(name=text(pr.name), status=L.label(L.PROJECT_STATUS, pr.status))
        return ""

    # ------------------------------------------------------------------ mouse
    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position()
            self._dragging = False
            self._last = event.position()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        pos = event.position()
        if self._press is not None and event.buttons() & Qt.MouseButton.LeftButton:
            if self._dragging or (pos - self._press).manhattanLength() > CLICK_SLOP_PX:
                self._dragging = True
                self.setCursor(Qt.CursorShape.ClosedHandCursor)
                d = pos - self._last
                self._last = pos
                self.viewport.pan_pixels(d.x(), d.y())
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
        if event.button() == Qt.MouseButton.LeftButton and self._press is not None:
            if not self._dragging:
                self.click_at(event.position())
            self._press = None
            self._dragging = False
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
        self._key_index = (self._key_index + step) % len(KEY_ORDER)
        kind, ident = KEY_ORDER[self._key_index]
        sel = Selection(kind, ident)
        self.state.set_hover(sel)
        self.statusMessage.emit(self.describe(sel))
        self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
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
        self.update()
