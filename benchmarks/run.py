"""silkmap benchmarks: every timing against a baseline measured in the same run.

    make bench                      # all
    make bench BENCH_ARGS="-k export --repeat 3"

Targets (docs/PERFORMANCE.md):
  start-up to first painted map    ≤ 1.3 × (python -c "import PySide6.QtWidgets, geopandas")
  first painted map                ≤ 2.5 × an empty Qt window, no numpy/shapely/pyproj (startup.py)
  full repaint 1080p / 4K          ≥ 10 × faster than geopandas + matplotlib drawing the same layers
                                   (both with relief, lakes, rivers, graticule and the names of the land)
  worker frame with the physical layers  reported as a ratio to the same frame without them
  click → panel shown              < 50 ms
  search (Ctrl+F)                  one keystroke p95 ≤ 16 ms, against a substring scan of the same
                                   names; Enter → panel shown < 50 ms
  resident memory after start-up   ≤ 300 MB
  export 1920×1080 and A4 300 dpi  faster than matplotlib savefig of the same layers
  soak, 3,000 random interactions  RSS growth after warm-up ≤ 25 MB, peak ≤ 400 MB (benchmarks/soak.py)
  project file open to first paint ≤ 1.2 × a plain start (project_open.py)
  interaction at 4K (interaction.py) UI time per frame p95 ≤ 8 ms; last input → full frame
                                   median ≤ 100 ms; longest stall ≤ 16 ms; against MapView(sync=True)
  year scrub at 4K (timeline.py)   UI time per year step p95 ≤ 16 ms, against MapView(sync=True)
  GIF, 26 years at 1280×720        ≤ 6 s from the command line; per frame against one static export
  100,000-point CSV (user_layers.py) loaded and drawn ≤ 2 s; the interaction targets with it shown,
                                   against the same run without it
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
RESULTS: list[tuple[str, str, str, str]] = []


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def record(name: str, ours: str, baseline: str, verdict: str) -> None:
    RESULTS.append((name, ours, baseline, verdict))
    print(f"{name:<44} {ours:>16} {baseline:>16}  {verdict}", flush=True)


# ---------------------------------------------------------------------- start-up and memory
def bench_startup(repeat: int) -> None:
    """Wall-clock time from launching the process to the first painted map (printed by the
    app when SILKMAP_QUIT_AFTER_FIRST_PAINT is set), against launching a Python that only
    imports PySide6 and geopandas."""
    def run(cmd, env=None):
        t = time.time()
        out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
        if out.returncode != 0:
            raise SystemExit(f"benchmark command failed: {' '.join(cmd)}\n{out.stderr}")
        stamp = float(out.stdout.split()[1])
        return stamp - t, out.stdout

    base_cmd = [sys.executable, "-c",
                "import time, PySide6.QtWidgets, geopandas; print('imported', time.time())"]
    env = {**os.environ, "SILKMAP_QUIT_AFTER_FIRST_PAINT": "1", "QT_QPA_PLATFORM": "offscreen"}
    ours_cmd = [sys.executable, "-m", "silkmap"]
    run(base_cmd), run(ours_cmd, env)  # warm the file cache for both
    base, ours, rss = [], [], []
    for _ in range(repeat):
        base.append(run(base_cmd)[0])
        t, out = run(ours_cmd, env)
        ours.append(t)
        rss.append(int(out.split("rss_kb")[1].split()[0]) / 1024.0)
    b, o = statistics.median(base), statistics.median(ours)
    record("start-up to first painted map", f"{o * 1000:.0f} ms", f"{b * 1000:.0f} ms",
           f"{o / b:.2f}× baseline (target ≤ 1.3×) {'PASS' if o <= 1.3 * b else 'FAIL'}")
    m = statistics.median(rss)
    record("resident memory after start-up", f"{m:.0f} MB", "—", f"target ≤ 300 MB {'PASS' if m <= 300 else 'FAIL'}")


def bench_project_open(repeat: int) -> None:
    """benchmarks/project_open.py: a project file opened to the first paint against a plain start."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import project_open

    times, heavy = project_open.measure(max(repeat, 5))
    b = statistics.median(times["plain start"])
    for name in ("project, home view", "project, zoomed"):
        o = statistics.median(times[name])
        ok = o <= project_open.TARGET * b and not heavy
        record(f"{name} to first paint", f"{o * 1000:.0f} ms", f"{b * 1000:.0f} ms",
               f"{o / b:.2f}× a plain start (target ≤ {project_open.TARGET}×; heavy imports: "
               f"{', '.join(heavy) or 'none'}) {'PASS' if ok else 'FAIL'}")


def bench_first_map(repeat: int) -> None:
    """benchmarks/startup.py: the first painted map against an empty Qt window (issue 9)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import startup

    times, heavy = startup.measure(max(repeat, 3))
    o, b = statistics.median(times["silkmap first map"]), statistics.median(times["empty Qt window"])
    ok = o <= startup.TARGET * b and not heavy
    record("first painted map vs empty Qt window", f"{o * 1000:.0f} ms", f"{b * 1000:.0f} ms",
           f"{o / b:.2f}× (target ≤ {startup.TARGET}×; heavy imports: {', '.join(heavy) or 'none'}) "
           f"{'PASS' if ok else 'FAIL'}")


# ---------------------------------------------------------------------- matplotlib baseline
class MatplotlibBaseline:
    """geopandas + matplotlib drawing the same layers as silkmap at that view: 1:10m countries
    with fills and outlines, the relief (the same image, blended), lakes, rivers by width class
    and the graticule (collections), routes with casing, colour by kind and dashes by status,
    capitals, cities, projects and the hub, and the same labels (country names, neighbour
    names, capitals, the hub, city names when zoomed in, and the names of the land at their
    anchors, unbent)."""

    def __init__(self, atlas) -> None:
        import geopandas as gpd
        import matplotlib

        matplotlib.use("Agg")
        from shapely.geometry import LineString

        from silkmap.core.projection import PROJ4
        from silkmap.render.renderer import CITY_LABELS_BELOW_M_PER_PX, MapRenderer
        from silkmap.render.style import FOCUS_FILL, ROUTE_COLOUR, ROUTE_WIDTH, STATUS_DASH

        self.atlas = atlas
        self.city_labels_below = CITY_LABELS_BELOW_M_PER_PX
        detail = atlas.detail()
        self.countries = gpd.GeoDataFrame(
            {"iso3": list(detail), "color": [FOCUS_FILL[i].name() if i in FOCUS_FILL else "#ebe8e1" for i in detail]},
            geometry=[c.shape for c in detail.values()], crs=PROJ4)
        dashes = {status: (0, tuple(d)) if d else "-" for status, d in STATUS_DASH.items()}
        self.routes = gpd.GeoDataFrame(
            {"color": [ROUTE_COLOUR[r.kind].name() for r in atlas.routes.values()],
             "width": [ROUTE_WIDTH[r.kind] for r in atlas.routes.values()],
             "style": [dashes[r.status] for r in atlas.routes.values()]},
            geometry=[LineString(r.xy) for r in atlas.routes.values()], crs=PROJ4)
        renderer = MapRenderer(atlas)
        self.anchors = renderer._anchors
        self.projects = list(renderer._project_xy.values())
        # The map's other layers too, so that both sides draw the same map: relief, lakes,
        # rivers, the graticule and the names of the land (placed at their anchor, unbent).
        from matplotlib.image import imread
        from shapely.geometry import Polygon

        from silkmap.core.physical import RELIEF_FILE, load_physical
        from silkmap.core.resources import asset_path
        from silkmap.render.layers.graticule import GraticuleLayer

        phys = load_physical()
        g = phys.relief
        self.relief = imread(str(asset_path(RELIEF_FILE)))
        self.relief_extent = (g.left_m, g.left_m + g.width * g.m_per_px, g.top_m - g.height * g.m_per_px, g.top_m)
        self.lakes = gpd.GeoSeries([Polygon(rings[0], rings[1:]) for w in phys.lakes for rings in w.parts], crs=PROJ4)
        self.rivers = [(part, w.klass) for w in phys.rivers for part in w.parts]
        self.graticule = {step: GraticuleLayer(renderer).lines(step) for step in (5, 10)}
        self.names = list(atlas.physical_names().values())

    def figure(self, width: int, height: int, dpi: int, extent):
        from matplotlib.collections import LineCollection
        from matplotlib.figure import Figure

        from silkmap.render.layers.graticule import step_for
        from silkmap.render.layers.rivers import SHOWN_BELOW_M_PER_PX, WIDTH_PX, zoom_width

        atlas = self.atlas
        m_per_px = (extent[2] - extent[0]) / width
        fig = Figure(figsize=(width / dpi, height / dpi), dpi=dpi)
        fig.set_facecolor("#cfe0ec")  # the water (the axes' own patch is hidden with its axis)
        ax = fig.add_axes((0, 0, 1, 1))
        self.countries.plot(ax=ax, color=self.countries["color"], edgecolor="#4d4d4d", linewidth=0.6)
        ax.imshow(self.relief, extent=self.relief_extent, cmap="gray", alpha=0.35, interpolation="bilinear",
                  zorder=1.5)
        self.lakes.plot(ax=ax, color="#b7d3e6", edgecolor="#6f9fc4", linewidth=0.5, zorder=1.6)
        rivers = [(part, klass) for part, klass in self.rivers if m_per_px < SHOWN_BELOW_M_PER_PX[klass]]
        grow = zoom_width(m_per_px)
        ax.add_collection(LineCollection([part for part, _k in rivers], colors="#6f9fc4", zorder=1.7,
                                         linewidths=[WIDTH_PX[k] * grow for _p, k in rivers]))
        ax.add_collection(LineCollection([pts for _a, _d, pts in self.graticule[step_for(m_per_px)]],
                                         colors="#50607870", linewidths=0.6, zorder=1.8))

        def inside(x, y):
            return extent[0] <= x <= extent[2] and extent[1] <= y <= extent[3]
        for n in self.names:
            x, y = n.xy[len(n.xy) // 2]
            if n.min_m_per_px <= m_per_px <= n.max_m_per_px and inside(x, y):
                ax.text(x, y, n.name["en"].upper(), fontsize=9, style="italic", color="#8a6a4a",
                        ha="center", va="center", zorder=4)
        for (_i, r) in self.routes.iterrows():
            x, y = r.geometry.xy
            ax.plot(x, y, color="white", linewidth=r["width"] + 2.2, solid_capstyle="round")
            ax.plot(x, y, color=r["color"], linewidth=r["width"], linestyle=r["style"])
        capitals = [p for p in atlas.places.values() if p.kind == "capital"]
        cities = [p for p in atlas.places.values() if p.kind in ("city", "border_port", "heritage_site")]
        ax.scatter([p.x for p in capitals], [p.y for p in capitals], marker="s", s=30, c="#1d1d1d",
                   edgecolors="white", zorder=5)
        if m_per_px < 6000:
            ax.scatter([p.x for p in cities], [p.y for p in cities], marker="o", s=10, c="#6b4226",
                       edgecolors="white", zorder=5)
        ax.scatter([x for x, _ in self.projects], [y for _, y in self.projects], marker="D", s=25,
                   c="#1b6e3a", edgecolors="white", zorder=5)
        hub = atlas.hub
        ax.scatter([hub.x], [hub.y], marker="*", s=250, c="#b2182b", edgecolors="white", zorder=6)
        ax.annotate(hub.name["en"], (hub.x, hub.y), xytext=(10, -4), textcoords="offset points",
                    fontsize=10.5, fontweight="bold", color="#b2182b")
        for iso, c in atlas.countries.items():
            x, y = self.anchors[iso]
            if not inside(x, y):
                continue
            if c.is_focus:
                ax.text(x, y, c.names["en"].upper(), fontsize=11, fontweight="bold", ha="center", va="center")
            elif c.role == "neighbour" and c.shape.area / m_per_px ** 2 >= 2500:
                ax.text(x, y, c.names["en"], fontsize=9, style="italic", color="#77736a", ha="center", va="center")
        labelled = capitals + (cities if m_per_px <= self.city_labels_below else [])
        for p in labelled:
            if inside(p.x, p.y):
                ax.annotate(p.name["en"], (p.x, p.y), xytext=(5, -3), textcoords="offset points", fontsize=8.5)
        ax.set_xlim(extent[0], extent[2])
        ax.set_ylim(extent[1], extent[3])
        ax.set_axis_off()
        return fig

    def draw(self, width: int, height: int, extent) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        fig = self.figure(width, height, 100, extent)
        FigureCanvasAgg(fig).draw()

    def savefig(self, path: str, width: int, height: int, dpi: int, extent) -> None:
        fig = self.figure(width, height, dpi, extent)
        fig.savefig(path, dpi=dpi)


def ferghana_extent(width: int, height: int):
    from silkmap.core.projection import project
    from silkmap.core.viewport import Viewport

    x0, y0 = project(69.5, 39.6)
    x1, y1 = project(73.6, 41.6)
    vp = Viewport(width=width, height=height)
    vp.fit((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)), margin=0)
    return vp


def bench_views(atlas):
    """(width, height, name, viewport) of the views the frame benchmarks draw: the whole
    region and the Ferghana Valley (1:10m outlines), at 1080p and 4K."""
    from silkmap.core.atlas import home_bounds
    from silkmap.core.viewport import Viewport

    for w, h in ((1920, 1080), (3840, 2160)):
        whole = Viewport(width=w, height=h)
        whole.fit(home_bounds(atlas), margin=0.02)
        yield w, h, "whole region", whole
        yield w, h, "Ferghana Valley, 1:10m", ferghana_extent(w, h)


# ---------------------------------------------------------------------- repaint
def bench_repaint(repeat: int) -> None:
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtWidgets import QApplication

    from silkmap.core.atlas import load_atlas
    from silkmap.core.state import LAYERS
    from silkmap.render.renderer import MapRenderer, RenderOptions

    app = QApplication.instance() or QApplication([])  # noqa: F841
    atlas = load_atlas()
    atlas.physical_names()  # every layer on, the names of the land too
    renderer = MapRenderer(atlas)
    renderer.cache.warm_up()
    renderer.physical.load()  # relief, rivers and lakes drawn too, as the baseline draws them
    baseline = MatplotlibBaseline(atlas)
    opts = RenderOptions(layers={n: True for n in LAYERS})
    for w, h, view, vp in bench_views(atlas):
        img = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)

        def ours():
            p = QPainter(img)
            renderer.paint(p, vp, opts)
            p.end()

        ours()
        t_ours = median_time(ours, repeat * 3)
        t_base = median_time(lambda: baseline.draw(w, h, vp.bounds()), max(repeat, 1))
        ratio = t_base / t_ours
        record(f"repaint {w}×{h}, {view}", f"{t_ours * 1000:.1f} ms", f"{t_base * 1000:.0f} ms",
               f"{ratio:.1f}× faster (target ≥ 10×) {'PASS' if ratio >= 10 else 'FAIL'}")


# ---------------------------------------------------------------------- the physical layers' cost
def bench_physical(repeat: int) -> None:
    """The worker's full frame (``RenderWorker.render_now``: the base into an image, then tints,
    routes, symbols and labels over a copy) with relief, rivers and lakes and without them, in
    the same run: the ratio is what the new layers cost."""
    from PySide6.QtWidgets import QApplication

    from silkmap.core.atlas import load_atlas
    from silkmap.core.state import LAYERS
    from silkmap.render.renderer import MapRenderer, RenderOptions
    from silkmap.ui.render_worker import Job, RenderWorker

    app = QApplication.instance() or QApplication([])  # noqa: F841
    atlas = load_atlas()
    renderer = MapRenderer(atlas)
    renderer.cache.warm_up()
    renderer.physical.load()
    worker = RenderWorker(renderer, lambda job: None)
    for w, h, view, vp in bench_views(atlas):

        def frame(physical: bool):
            layers = {n: True for n in LAYERS}
            layers.update(relief=physical, water=physical)
            job = Job(kind="frame", generation=1, vp=vp, dpr=1.0, key=(), style_key=(),
                      opts=RenderOptions(layers=layers, allow_detail_load=False))
            worker.render_now(job)

        frame(True)
        with_ = median_time(lambda: frame(True), repeat * 2)
        without = median_time(lambda: frame(False), repeat * 2)
        record(f"worker frame {w}×{h}, {view}", f"{with_ * 1000:.1f} ms", f"{without * 1000:.1f} ms",
               f"relief+water ×{with_ / without:.2f} of the frame without them")
    worker.close()


def bench_labels(repeat: int) -> None:
    """The one label pass, with and without the names of the land and the graticule, measured
    in the same run: what those layers add to every static frame."""
    from PySide6.QtWidgets import QApplication

    from silkmap.core.atlas import home_bounds, load_atlas
    from silkmap.core.state import LAYERS
    from silkmap.core.viewport import Viewport
    from silkmap.render.frame import Frame, RenderResult
    from silkmap.render.renderer import MapRenderer, RenderOptions

    app = QApplication.instance() or QApplication([])  # noqa: F841
    atlas = load_atlas()
    atlas.physical_names()
    renderer = MapRenderer(atlas)
    for w, h in ((1920, 1080), (3840, 2160)):
        vp = Viewport(width=w, height=h)
        vp.fit(home_bounds(atlas), margin=0.02)
        times = {}
        for label, extra in (("without", False), ("with", True)):
            layers = {n: True for n in LAYERS} | {"physical": extra, "graticule": extra}
            snap = renderer.snapshot(vp, RenderOptions(layers=layers, scale=w / 1920))

            def run():
                renderer._place_labels(Frame.of(snap), RenderResult())

            run()
            # CPU time of this thread: the pass is single-threaded, and the machine is shared
            samples = []
            for _ in range(repeat * 5):
                t = time.process_time()
                run()
                samples.append(time.process_time() - t)
            times[label] = statistics.median(samples)
        record(f"label pass {w}×{h}, names of the land + graticule", f"{times['with'] * 1000:.1f} ms cpu",
               f"{times['without'] * 1000:.1f} ms cpu",
               f"+{(times['with'] - times['without']) * 1000:.1f} ms a static frame")


# ---------------------------------------------------------------------- click → panel
def panel_window(atlas):
    """A shown main window with its own settings file and the charts warmed, as the window
    has them after its background start-up work."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from silkmap.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    tmp = tempfile.mkdtemp()
    win = MainWindow(atlas, settings=QSettings(os.path.join(tmp, "s.ini"), QSettings.Format.IniFormat))
    win.resize(1600, 1000)
    win.show()
    app.processEvents()
    win.details.charts.warm_up("en")
    return app, win


def time_to_panel(app, win, inputs, prepare, act, repeat: int) -> list[float]:
    """Seconds from ``act(input)`` to the details panel shown, for every input, ``repeat × 3``
    times; ``prepare(input)`` runs untimed before each (typing a query)."""
    times = []
    for _ in range(repeat * 3):
        for x in inputs:
            win.state.select(None)
            prepare(x)
            app.processEvents()
            t = time.perf_counter()
            act(x)
            app.processEvents()
            assert win.details_dock.isVisible()
            times.append(time.perf_counter() - t)
    return times


def bench_click(repeat: int) -> None:
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtTest import QTest

    from silkmap.core.atlas import load_atlas

    atlas = load_atlas()
    app, win = panel_window(atlas)
    view = win.view
    points = []
    for iso in ("KAZ", "KGZ", "TJK", "TKM", "UZB", "CHN"):
        pt = atlas.countries[iso].shape.representative_point()
        points.append(QPointF(*view.viewport.to_screen(pt.x, pt.y)).toPoint())
    times = time_to_panel(app, win, points, lambda _p: None,
                          lambda pos: QTest.mouseClick(view, Qt.MouseButton.LeftButton, pos=pos), repeat)
    m = statistics.median(times)
    record("click → panel shown (median of 6 countries)", f"{m * 1000:.1f} ms", "—",
           f"max {max(times) * 1000:.1f} ms; target < 50 ms {'PASS' if m < 0.05 else 'FAIL'}")
    win.close()


# ---------------------------------------------------------------------- search
SEARCH_QUERIES = ("Alma-Ata", "Samarkant", "gas pipeline", "塔什干", "Xī'ān", "Balkash", "2013", "Oʻzbekiston")


def bench_search(repeat: int) -> None:
    """Search (Ctrl+F): building the index, one keystroke's search (every prefix of typed
    queries, slips included) against a plain casefold substring scan of the same names, and
    Enter → panel shown."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from silkmap.core import search
    from silkmap.core.atlas import load_atlas

    atlas = load_atlas()
    search.build_index(atlas)  # the dated facts and the names of the land read once, as the window has
    build = median_time(lambda: search.build_index(atlas), repeat)
    index = search.build_index(atlas)
    names = [w.casefold() for e in index.entries for _k, w in e.keys]
    prefixes = [q[:n] for q in SEARCH_QUERIES for n in range(1, len(q) + 1)]
    ours, plain = [], []
    for _ in range(repeat):
        for q in prefixes:
            t = time.perf_counter()
            index.search(q)
            ours.append(time.perf_counter() - t)
            t = time.perf_counter()
            qf = q.casefold()
            [n for n in names if qf in n]
            plain.append(time.perf_counter() - t)
    p95 = statistics.quantiles(ours, n=20)[-1]
    record("search: build the index", f"{build * 1000:.0f} ms", "—", "built on the first Ctrl+F")
    record("search: one keystroke (p95)", f"{p95 * 1000:.2f} ms", f"{statistics.quantiles(plain, n=20)[-1] * 1000:.2f} ms",
           f"median {statistics.median(ours) * 1000:.2f} ms vs {statistics.median(plain) * 1000:.2f} ms substring scan; "
           f"target p95 ≤ 16 ms {'PASS' if p95 <= 0.016 else 'FAIL'}")
    app, win = panel_window(atlas)
    win.search.index()

    def type_query(q):
        win.search.setText("")
        win.search.open()
        QTest.keyClicks(win.search, q)

    times = time_to_panel(app, win, ("Frunze", "Alma-Ata", "Verny"), type_query,
                          lambda _q: QTest.keyClick(win.search, Qt.Key.Key_Return), repeat)
    m = statistics.median(times)
    record("search: Enter → panel shown", f"{m * 1000:.1f} ms", "—",
           f"max {max(times) * 1000:.1f} ms; target < 50 ms (as a click) {'PASS' if m < 0.05 else 'FAIL'}")
    win.close()


# ---------------------------------------------------------------------- export
def bench_export(repeat: int) -> None:
    from PySide6.QtWidgets import QApplication

    from silkmap.core.atlas import load_atlas
    from silkmap.core.viewport import Viewport
    from silkmap.render.export import ExportSpec, MapExporter
    from silkmap.core.atlas import home_bounds

    app = QApplication.instance() or QApplication([])  # noqa: F841
    atlas = load_atlas()
    exporter = MapExporter(atlas)
    baseline = MatplotlibBaseline(atlas)
    tmp = Path(tempfile.mkdtemp())
    extent = home_bounds(atlas)
    for name, (w, h, dpi) in (("1920×1080", (1920, 1080, 96)), ("A4 landscape 300 dpi", (3508, 2480, 300))):
        spec = ExportSpec(width=w, height=h, dpi=dpi, title="silkmap")
        exporter.export(spec, extent, tmp / "warm.png")
        t_ours = median_time(lambda: exporter.export(spec, extent, tmp / f"ours-{w}.png"), repeat)
        vp = Viewport(width=w, height=h)
        vp.fit(extent, margin=0)
        t_base = median_time(lambda: baseline.savefig(str(tmp / f"mpl-{w}.png"), w, h, dpi, vp.bounds()), repeat)
        ratio = t_base / t_ours
        record(f"export PNG {name}", f"{t_ours * 1000:.0f} ms", f"{t_base * 1000:.0f} ms",
               f"{ratio:.1f}× faster (target > 1×) {'PASS' if ratio > 1 else 'FAIL'}")


def bench_interaction(repeat: int) -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    from interaction import bench

    bench(record, quick=repeat < 3)


# ---------------------------------------------------------------------- long session
def bench_soak(repeat: int) -> None:
    """benchmarks/soak.py in its own process (its peak is the whole process's): 3,000
    seeded random interactions after a warm-up of 300."""
    import json

    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "soak.py"), "--json"],
                         capture_output=True, text=True, timeout=1800)
    if out.returncode not in (0, 1) or not out.stdout.strip():
        raise SystemExit(f"soak failed:\n{out.stderr}")
    r = json.loads(out.stdout.strip().splitlines()[-1])
    growth, peak = r["growth_mb"], r["peak_mb"]
    record(f"soak {r['actions']:,} actions: RSS growth", f"{growth:+.1f} MiB",
           f"from {r['rss_after_warm_up_mb']:.0f} MiB", f"target ≤ 25 MB {'PASS' if growth <= 25 else 'FAIL'}")
    record("soak: peak resident memory (VmHWM)", f"{peak:.0f} MiB", "—",
           f"target ≤ 400 MB {'PASS' if peak <= 400 else 'FAIL'}")


def bench_timeline(repeat: int) -> None:
    """benchmarks/timeline.py: scrubbing the year at 4K (own process), the 26-year GIF."""
    sys.path.insert(0, str(Path(__file__).parent))
    from timeline import bench_gif, bench_scrub

    bench_scrub(record, quick=repeat < 3)
    bench_gif(record, repeat)


def bench_user_layers(repeat: int) -> None:
    """benchmarks/user_layers.py: a 100,000-point CSV loaded and drawn; interaction with it."""
    sys.path.insert(0, str(Path(__file__).parent))
    from user_layers import bench

    bench(record, repeat=min(repeat, 3), quick=repeat < 3)


BENCHES = {"startup": bench_startup, "first-map": bench_first_map, "project-open": bench_project_open,
           "repaint": bench_repaint, "physical": bench_physical, "labels": bench_labels, "click": bench_click,
           "search": bench_search, "export": bench_export, "soak": bench_soak, "interaction": bench_interaction,
           "timeline": bench_timeline, "user-layers": bench_user_layers}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-k", dest="only", help="run only benchmarks whose name contains this")
    ap.add_argument("--repeat", type=int, default=5, help="runs per measurement (median reported)")
    args = ap.parse_args()
    print(f"{'benchmark':<44} {'silkmap':>16} {'baseline':>16}  result")
    for name, fn in BENCHES.items():
        if args.only and args.only not in name:
            continue
        fn(args.repeat)
    failed = [r for r in RESULTS if r[3].endswith("FAIL")]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
