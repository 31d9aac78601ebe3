"""Paint the map: an ordered stack of layers (``render/layers/``), composed into any QPainter.

The window and every export paint the same stack, so an exported file is what the user saw.

The stack, bottom to top (``STACK``): water, countries, relief, rivers, lakes, graticule, highlight,
routes, physical names, places, leaders, hub, user layers, labels, focus, annotations. Consecutive layers that are static (their ``depends_on`` has no hover,
selection or time) or dynamic form the *groups* the window caches and repaints separately:

    base       water, countries, relief, rivers, lakes  static
    highlight  highlight                           dynamic
    overlay    routes, places, leaders, hub, user, labels static
    focus      focus, annotations                  dynamic

Labels of every layer are placed in one pass (``layers.labels.place``) when the overlay is
painted; they depend on the view only, never on hover or selection.

API for a window that paints off the UI thread:

    snap = renderer.snapshot(viewport, options)        # UI thread: freezes the state
    result = renderer.paint_static(painter, snap)      # any thread: base and overlay...
    renderer.paint_static(p, snap, "base")             # ...or one static group
    renderer.paint_static(p, snap, "overlay")          # returns the RenderResult (labels)
    renderer.paint_dynamic(painter, snap, "highlight") # UI thread, per hover/selection
    renderer.paint_dynamic(painter, snap, "focus")
    renderer.paint_frame(painter, snap)                # every group in order (exports)
    snap.static_key()                                  # equal keys → equal static images

Static groups may be painted on a worker thread while the UI thread paints the dynamic ones
from another snapshot: layers share only data made read-only in advance (primed paths, see
``geometry_cache``; fonts per thread, see ``text``). ``paint``, ``paint_base``,
``paint_highlight``, ``paint_overlay`` and ``paint_focus`` take a viewport and options as before
and paint the same groups.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QPainterPath

from silkmap.core.state import Selection
from silkmap.core.viewport import Viewport
from silkmap.i18n import current
from silkmap.render.frame import Frame, LabelBox, RenderResult, Snapshot, freeze_layers
from silkmap.render.geometry_cache import GeometryCache, prime
from silkmap.render.layers.annotations import AnnotationsLayer
from silkmap.render.layers.countries import CountriesLayer
from silkmap.render.layers.focus import FocusLayer
from silkmap.render.layers.graticule import GraticuleLayer
from silkmap.render.layers.highlight import HighlightLayer
from silkmap.render.layers.hub import HubLayer
from silkmap.render.layers.labels import LabelsLayer, LeadersLayer, place
from silkmap.render.layers.lakes import LakesLayer
from silkmap.render.layers.physical_names import PhysicalNamesLayer
from silkmap.render.layers.places import CITY_LABELS_BELOW_M_PER_PX, PlacesLayer
from silkmap.render.layers.relief import ReliefLayer
from silkmap.render.layers.rivers import RiversLayer
from silkmap.render.layers.routes import RoutesLayer
from silkmap.render.layers.user import UserLayersLayer
from silkmap.render.layers.water import WaterLayer
from silkmap.render.paths import line_path
from silkmap.render.physical_paths import PhysicalPaths
from silkmap.render.style import ROUTE_LAYER

__all__ = ["MapRenderer", "RenderOptions", "RenderResult", "LabelBox", "Snapshot", "STACK",
           "CITY_LABELS_BELOW_M_PER_PX"]

# Bottom to top. A new layer is a module in render/layers/ and one entry here.
STACK = (WaterLayer, CountriesLayer, ReliefLayer, RiversLayer, LakesLayer, GraticuleLayer, HighlightLayer,
         RoutesLayer, PhysicalNamesLayer, PlacesLayer, LeadersLayer, HubLayer, UserLayersLayer, LabelsLayer,
         FocusLayer, AnnotationsLayer)
GROUP_NAMES = ("base", "highlight", "overlay", "focus")


@dataclass
class RenderOptions:
    layers: dict[str, bool]
    selection: Selection | None = None
    hover: Selection | None = None
    highlight_selection: bool = True
    scale: float = 1.0  # symbol and text size multiplier (exports at print dpi use > 1)
    allow_detail_load: bool = True
    vector: bool = False  # painting into SVG/PDF: keep text and shapes as vectors
    reserved: list = field(default_factory=list)  # screen rects labels must avoid (legend…)
    year: int | None = None  # the map as of this year (core/timeline.py); None: the latest
    annotations: tuple = ()  # the user's annotations (the window paints its own over its frames)
    user_layers: tuple = ()  # LoadedLayer, bottom to top
    measure: str = "level"  # what the partners are coloured by (core/measures.py)
    classification: object = None  # core.classify.Classification; None: the default one


@dataclass(frozen=True)
class Group:
    name: str
    dynamic: bool
    layers: tuple


class MapRenderer:
    def __init__(self, atlas, cache: GeometryCache | None = None) -> None:
        from silkmap.core.labels import label_anchor
        from silkmap.core.projection import project

        self.atlas = atlas
        self.cache = cache or GeometryCache(atlas)
        self.physical = PhysicalPaths(self.cache)  # relief, lakes, rivers: loaded after the first paint
        pre = getattr(atlas, "prebuilt", None)  # the home view made in advance (core/prebuilt.py)
        self._anchors = {iso: label_anchor(c, pre) for iso, c in atlas.countries.items()}
        self._areas = {iso: getattr(c, "prebuilt_area", None) or c.shape.area for iso, c in atlas.countries.items()}
        self.project_points = {pr.id: pr for p in atlas.profiles.values() for pr in p.projects}
        self._project_xy = {pid: (pre and pre.project(pr.lon, pr.lat)) or tuple(map(float, project(pr.lon, pr.lat)))
                            for pid, pr in self.project_points.items()}
        self._route_points = {rid: [(float(x), float(y)) for x, y, *_z in r.xy] for rid, r in atlas.routes.items()}
        self._init_routes()
        self._years: dict[int, object] = {}
        self.dated_error = None
        self._years_lock = threading.Lock()
        self._classes: dict[tuple, object] = {}
        self.measures_error = None
        self.layers = tuple(cls(self) for cls in STACK)
        self.groups = self._group(self.layers)

    def _init_routes(self) -> None:
        # Separate path objects for the static and the dynamic layers, so two threads never
        # draw the same QPainterPath; both primed, and their bounds computed once.
        self._route_paths = {rid: line_path([c for p in pts for c in p]) for rid, pts in self._route_points.items()}
        self._focus_paths = {rid: line_path([c for p in pts for c in p])
                             for rid, pts in self._route_points.items()}
        prime([*self._route_paths.values(), *self._focus_paths.values()])
        self.route_bounds = {rid: QRectF(p.boundingRect()) for rid, p in self._route_paths.items()}

    @staticmethod
    def _group(layers) -> tuple[Group, ...]:
        runs: list[list] = []
        for layer in layers:
            if runs and runs[-1][0].dynamic == layer.dynamic:
                runs[-1].append(layer)
            else:
                runs.append([layer])
        if len(runs) != len(GROUP_NAMES):
            raise ValueError(f"the stack makes {len(runs)} groups, expected {len(GROUP_NAMES)}")
        return tuple(Group(name, run[0].dynamic, tuple(run)) for name, run in zip(GROUP_NAMES, runs))

    # ------------------------------------------------------------------ data the layers read
    def project_xy(self, pid: str) -> tuple[float, float]:
        return self._project_xy[pid]

    def country_area(self, iso3: str) -> float:
        return self._areas[iso3]

    def route_points(self, rid: str) -> list[tuple[float, float]]:
        return self._route_points[rid]

    def route_path(self, rid: str) -> QPainterPath:
        return self._route_paths[rid]

    def focus_route_path(self, rid: str) -> QPainterPath:
        return self._focus_paths[rid]

    def route_visible(self, route, layers: dict[str, bool]) -> bool:
        from silkmap.render.style import ROUTE_LAYER

        return layers.get(ROUTE_LAYER[route.kind], True)

    def year_state(self, year: int):
        """``timeline.as_of(atlas, year)``, computed once per year (any thread). None when the
        dated facts cannot be read: the map is drawn undated (``dated_error`` says why).

        The latest year is the prebuilt home view's while the files it was made from are
        unchanged (core/prebuilt.py), so a plain start paints without reading the dated facts.
        Another year is read here, on the UI thread when the window opens on it: a worker started
        with the window was measured no sooner, its hold on the GIL slowing the start-up."""
        from silkmap.core.errors import DataError

        with self._years_lock:
            if year not in self._years:
                pre = self.atlas.prebuilt
                known = pre.year_state(year) if pre is not None else None
                if known is not None:  # what timeline.as_of answers too, without importing it
                    self._years[year] = known
                    return known
                from silkmap.core import timeline

                try:
                    self._years[year] = timeline.as_of(self.atlas, year)
                except DataError as exc:
                    self.dated_error = exc
                    self._years[year] = None
            return self._years[year]

    def map_classes(self, measure: str, classification, year: int):
        """core/choropleth.map_classes, computed once per measure, classification and year (any
        thread); None for the level, and when the measures cannot be read (``measures_error``
        says why: the map keeps the partnership colours)."""
        from silkmap.core.state import LEVEL

        if measure == LEVEL:
            return None
        from silkmap.core.classify import Classification

        classification = classification or Classification()
        key = (measure, classification.key(), year)
        with self._years_lock:
            if key in self._classes:
                return self._classes[key]
        from silkmap.core.choropleth import map_classes
        from silkmap.core.errors import DataError

        try:
            got = map_classes(self.atlas, measure, year, classification)
        except DataError as exc:
            self.measures_error = exc
            got = None
        with self._years_lock:
            if len(self._classes) > 512:  # every measure × year × a few classifications
                self._classes.clear()
            self._classes[key] = got
        return got

    def route_shown(self, route, snap) -> bool:
        """Switched on, and agreed by the snapshot's year."""
        from silkmap.render.year_style import route_status

        return snap.layer_on(ROUTE_LAYER[route.kind]) and route_status(route, snap.dated) is not None

    def project_shown(self, pid: str, snap) -> bool:
        from silkmap.render.year_style import project_status

        return snap.layer_on("projects") and project_status(pid, snap.dated) is not None

    def layer(self, name: str):
        return next(layer for layer in self.layers if layer.name == name)

    # ------------------------------------------------------------------ snapshots
    def snapshot(self, vp: Viewport, opts: RenderOptions) -> Snapshot:
        """Freeze what a frame needs. Call it on the UI thread (it reads the application font
        and the language); with ``opts.allow_detail_load`` it may build an outline level."""
        from PySide6.QtGui import QGuiApplication

        from silkmap.core.years import LAST_YEAR

        font = QGuiApplication.font()
        year = LAST_YEAR if opts.year is None else opts.year
        if opts.allow_detail_load:  # an export: everything it shows, now
            self.physical.load()
        paths, tolerance = self.cache.paths_for(vp.metres_per_pixel, allow_load=opts.allow_detail_load)
        classes = self.map_classes(opts.measure, opts.classification, year)
        return Snapshot(vp=vp.copy(), layers=freeze_layers(opts.layers), selection=opts.selection,
                        hover=opts.hover, highlight_selection=opts.highlight_selection,
                        language=current(), scale=opts.scale, vector=opts.vector,
                        reserved=tuple(QRectF(r) for r in opts.reserved), font=font, font_key=font.key(),
                        paths=paths, tolerance=tolerance, generation=self.cache.generation,
                        year=year, dated=self.year_state(year),
                        user_layers=tuple(opts.user_layers), annotations=tuple(opts.annotations),
                        measure=opts.measure, classification=opts.classification, classes=classes)

    # ------------------------------------------------------------------ painting
    def _paint_group(self, painter: QPainter, frame: Frame, group: Group) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        for layer in group.layers:
            layer.paint(painter, frame)
        painter.restore()

    def _place_labels(self, frame: Frame, result: RenderResult) -> None:
        items = [item for layer in self.layers for item in layer.labels(frame)]
        frame.placement = place(frame, items)
        result.labels.extend(frame.placement.boxes())
        result.hidden_labels.extend(frame.placement.hidden)
        result.symbols.extend(frame.placement.symbols)

    def paint_static(self, painter: QPainter, snap: Snapshot, group: str | None = None) -> RenderResult:
        """The static groups (or the one named): safe on a worker thread."""
        result = RenderResult(tolerance=snap.tolerance)
        frame = Frame.of(snap)
        for g in self.groups:
            if g.dynamic or (group is not None and g.name != group):
                continue
            if g.name == "overlay":
                self._place_labels(frame, result)
            self._paint_group(painter, frame, g)
        return result

    def paint_dynamic(self, painter: QPainter, snap: Snapshot, group: str) -> None:
        """One dynamic group ("highlight" or "focus"), over the static image below it."""
        g = next(g for g in self.groups if g.name == group)
        if not g.dynamic:
            raise ValueError(f"{group!r} is a static group")
        self._paint_group(painter, Frame.of(snap), g)

    def paint_frame(self, painter: QPainter, snap: Snapshot) -> RenderResult:
        """Every group in stack order: what an export draws."""
        result = RenderResult(tolerance=snap.tolerance)
        frame = Frame.of(snap)
        for g in self.groups:
            if g.name == "overlay":
                self._place_labels(frame, result)
            self._paint_group(painter, frame, g)
        return result

    # The same groups from a viewport and options (the window's synchronous path, tests).
    def paint(self, painter: QPainter, vp: Viewport, opts: RenderOptions) -> RenderResult:
        return self.paint_frame(painter, self.snapshot(vp, opts))

    def paint_base(self, painter: QPainter, vp: Viewport, opts: RenderOptions) -> float | None:
        """Water and every country in its plain fill, with outlines. Returns the detail level."""
        return self.paint_static(painter, self.snapshot(vp, opts), "base").tolerance

    def paint_highlight(self, painter: QPainter, vp: Viewport, opts: RenderOptions) -> None:
        """Tint the hovered and the selected country over the base layer."""
        self.paint_dynamic(painter, self.snapshot(vp, opts), "highlight")

    def paint_overlay(self, painter: QPainter, vp: Viewport, opts: RenderOptions,
                      result: RenderResult | None = None) -> RenderResult:
        """Routes, symbols and labels: everything above the country fills."""
        out = self.paint_static(painter, self.snapshot(vp, opts), "overlay")
        if result is None:
            return out
        result.labels.extend(out.labels)
        result.hidden_labels.extend(out.hidden_labels)
        return result

    def paint_focus(self, painter: QPainter, vp: Viewport, opts: RenderOptions) -> None:
        """The hovered or selected route and the selected project, drawn on top."""
        self.paint_dynamic(painter, self.snapshot(vp, opts), "focus")

