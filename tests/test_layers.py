"""The renderer as a stack of layers: each layer paints only its own content, static layers
ignore hover and selection, a worker can paint the static part while the UI thread paints the
dynamic part, and an export is the picture the window shows."""

import threading

import numpy as np
import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPainter

from silkmap.core.state import LAYERS, Selection
from silkmap.core.viewport import Viewport
from silkmap.render.export import ExportSpec, MapExporter
from silkmap.render.layers import DYNAMIC
from silkmap.render.renderer import STACK, MapRenderer, RenderOptions
from silkmap.core.atlas import home_bounds

W, H = 900, 600


@pytest.fixture(scope="module")
def renderer(atlas):
    atlas.physical_names()  # as after start-up: every layer has its content
    return MapRenderer(atlas)


def views(atlas):
    home = Viewport(width=W, height=H)
    home.fit(home_bounds(atlas), margin=0.02)
    zoomed = home.copy()
    zoomed.zoom_at(4.0, W * 0.35, H * 0.45)  # the Ferghana Valley at a 1:50m-simplified level
    return {"home": home, "zoomed": zoomed}


def blank(fill=Qt.GlobalColor.transparent) -> QImage:
    img = QImage(W, H, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(fill)
    return img


def paint_with(fn) -> QImage:
    img = blank()
    p = QPainter(img)
    fn(p)
    p.end()
    return img


def paint_layers(renderer, snap, names) -> QImage:
    """Only the named layers of the stack, in stack order, with one label placement."""
    from silkmap.render.frame import Frame, RenderResult

    frame = Frame.of(snap)
    renderer._place_labels(frame, RenderResult())

    def run(p):
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for layer in renderer.layers:
            if layer.name in names:
                layer.paint(p, frame)

    return paint_with(run)


def _array(img: QImage) -> np.ndarray:
    return np.frombuffer(img.constBits(), np.uint8).reshape(H, img.bytesPerLine() // 4, 4)[:, :W]


def changed(a: QImage, b: QImage) -> set:
    ys, xs = np.nonzero((_array(a) != _array(b)).any(axis=2))
    return set(zip(xs.tolist(), ys.tolist()))


def covered(img: QImage) -> set:
    ys, xs = np.nonzero(_array(img)[:, :, 3])
    return set(zip(xs.tolist(), ys.tolist()))


def user_layer():
    """A user's own point, line and polygon (with a label) over Kazakhstan and Uzbekistan."""
    from pathlib import Path

    from silkmap.core.user_layers.layer import make_layer
    from silkmap.core.user_layers.model import Collector
    from silkmap.core.user_layers.spec import UserLayerSpec

    col = Collector(Path("mine.geojson"))
    col.point(col.feature({"name": "Site"}), 66.0, 48.5)
    col.line(col.feature({"name": "Track"}), [(60.0, 44.0), (64.0, 46.0), (68.0, 45.0)])
    col.polygon(col.feature({"name": "Zone"}), [[(62.0, 40.0), (64.0, 40.0), (64.0, 42.0), (62.0, 40.0)]])
    return make_layer(UserLayerSpec("mine.geojson", {"label_field": "name"}), col.finish("GeoJSON"))


USER = user_layer()


def opts(**kw):
    return RenderOptions(layers={n: True for n in LAYERS}, user_layers=(USER,), **kw)


def test_the_stack_groups_static_and_dynamic_layers(renderer):
    assert [layer.name for layer in renderer.layers] == [cls.name for cls in STACK]
    groups = {g.name: (g.dynamic, [layer.name for layer in g.layers]) for g in renderer.groups}
    assert groups == {"base": (False, ["water", "countries", "relief", "rivers", "lakes", "graticule"]),
                      "highlight": (True, ["highlight"]),
                      "overlay": (False, ["routes", "physical", "places", "leaders", "hub", "user", "labels"]),
                      "focus": (True, ["focus", "annotations"])}
    for layer in renderer.layers:
        assert layer.dynamic == bool(layer.depends_on & DYNAMIC)


@pytest.mark.parametrize("view", ["home", "zoomed"])
def test_each_layer_paints_only_its_own_pixels(qapp, atlas, renderer, view):
    vp = views(atlas)[view]
    from silkmap.core.annotations import Annotation

    hx, hy = atlas.hub.x, atlas.hub.y  # an annotation of each kind, by the hub
    notes = (Annotation("t", "text", hx, hy + 40_000, "Note"),
             Annotation("a", "arrow", hx, hy, "Hub", hx - 60_000, hy + 60_000),
             Annotation("c", "circle", hx, hy, radius=30_000))
    snap = renderer.snapshot(vp, opts(selection=Selection("country", "KAZ"),
                                      hover=Selection("route", next(iter(atlas.routes))), annotations=notes))
    everything = {layer.name for layer in renderer.layers}
    full = paint_layers(renderer, snap, everything)
    unseen = set()
    for layer in renderer.layers:
        alone = covered(paint_layers(renderer, snap, {layer.name}))
        without = paint_layers(renderer, snap, everything - {layer.name})
        diff = changed(full, without)
        if not diff:
            unseen.add(layer.name)
        assert diff <= alone, f"removing {layer.name} changed {len(diff - alone)} pixels it does not paint"
    # Zoomed in, land covers the water, no focus label needs a leader line and the hub, the
    # hovered route, the passes' marks and the annotations beside the hub are out of view.
    assert unseen <= ({"leaders"} if view == "home" else {"water", "leaders", "hub", "focus", "physical", "annotations"})


@pytest.mark.parametrize("toggle, owner", [("rail", "routes"), ("pipeline", "routes"), ("projects", "places"),
                                           ("relief", "relief")])
def test_a_layer_switch_changes_only_its_layer(qapp, atlas, renderer, toggle, owner):
    vp = views(atlas)["home"]
    on = renderer.snapshot(vp, opts())
    off = renderer.snapshot(vp, RenderOptions(layers={n: n != toggle for n in LAYERS}, user_layers=(USER,)))
    for layer in renderer.layers:
        a = paint_layers(renderer, on, {layer.name})
        b = paint_layers(renderer, off, {layer.name})
        if layer.name == owner:
            assert changed(a, b), f"switching {toggle} off did not change the {owner} layer"
        elif layer.name == "labels" and toggle == "projects":
            continue  # the names of the land keep clear of the diamonds, so may take their room
        else:
            assert a == b, f"switching {toggle} off changed the {layer.name} layer"


@pytest.mark.parametrize("view", ["home", "zoomed"])
def test_static_layers_do_not_depend_on_hover_or_selection(qapp, atlas, renderer, view):
    vp = views(atlas)[view]
    route = next(iter(atlas.routes))
    project = next(iter(renderer.project_points))
    states = [opts(), opts(hover=Selection("country", "UZB")), opts(selection=Selection("country", "KAZ")),
              opts(hover=Selection("route", route), selection=Selection("hub", "xian")),
              opts(selection=Selection("project", project))]
    images = [paint_with(lambda p, o=o: renderer.paint_static(p, renderer.snapshot(vp, o))) for o in states]
    assert all(img == images[0] for img in images[1:])
    dynamic = [paint_with(lambda p, o=o: (renderer.paint_dynamic(p, renderer.snapshot(vp, o), "highlight"),
                                          renderer.paint_dynamic(p, renderer.snapshot(vp, o), "focus")))
               for o in states]
    if view == "home":  # zoomed in, the hub, the route and the project are out of view
        assert len({bytes(img.constBits()) for img in dynamic}) == len(states)  # each state shows itself


def test_the_composer_is_the_groups_in_order(qapp, atlas, renderer):
    vp = views(atlas)["zoomed"]
    o = opts(selection=Selection("country", "KGZ"), hover=Selection("hub", "xian"))
    snap = renderer.snapshot(vp, o)
    whole = paint_with(lambda p: renderer.paint_frame(p, snap))

    def by_group(p):
        renderer.paint_static(p, snap, "base")
        renderer.paint_dynamic(p, snap, "highlight")
        renderer.paint_static(p, snap, "overlay")
        renderer.paint_dynamic(p, snap, "focus")

    assert paint_with(by_group) == whole
    # The facade paints the same frame from a viewport and options.
    assert paint_with(lambda p: renderer.paint(p, vp, o)) == whole


def test_static_layers_paint_on_a_worker_while_the_ui_thread_paints_dynamic_ones(qapp, atlas):
    renderer = MapRenderer(atlas)  # fresh caches: the threads race to fill them
    vps = list(views(atlas).values())
    hovers = [Selection("country", iso) for iso in ("KAZ", "UZB", "CHN", "TJK")]
    snaps = [renderer.snapshot(vp, opts(hover=h, selection=Selection("route", next(iter(atlas.routes)))))
             for vp in vps for h in hovers]
    worker_images, errors = [], []

    def worker():
        try:
            for snap in snaps * 2:
                worker_images.append(paint_with(lambda p, s=snap: renderer.paint_static(p, s)))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    t = threading.Thread(target=worker)
    t.start()
    ui_images = []
    for snap in snaps * 2:
        ui_images.append(paint_with(lambda p, s=snap: (renderer.paint_dynamic(p, s, "highlight"),
                                                       renderer.paint_dynamic(p, s, "focus"))))
    t.join(60)
    assert not t.is_alive() and not errors
    # Each equals the same group painted alone on one thread.
    for snap, got in zip(snaps * 2, worker_images):
        assert got == paint_with(lambda p, s=snap: renderer.paint_static(p, s))
    for snap, got in zip(snaps * 2, ui_images):
        assert got == paint_with(lambda p, s=snap: (renderer.paint_dynamic(p, s, "highlight"),
                                                    renderer.paint_dynamic(p, s, "focus")))


def test_the_window_shows_what_an_export_of_its_view_draws(qtbot, window):
    """The window composes cached group images; an export paints the stack directly."""
    view = window.view
    qtbot.waitUntil(lambda: view.last_result is not None)
    # Relief, lakes and rivers come a moment after the first frame; the export has them at once.
    qtbot.waitUntil(lambda: view.renderer.physical.ready_generation is not None, timeout=20000)
    window.state.select(Selection("country", "KAZ"))
    with qtbot.waitSignal(view.viewSettled, timeout=10000):  # the glide over, its full frame shown
        view.zoom(1.5)
    shown = view.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    vp = view.viewport.copy()
    exporter = MapExporter(view.atlas, view.renderer)
    spec = ExportSpec(width=vp.width, height=vp.height, legend=False, scale_bar=False, footer=False,
                      selection=window.state.selection, layers=dict(window.state.layers))
    exported = exporter.render_image(spec, vp.bounds()).convertToFormat(QImage.Format.Format_RGB32)
    assert exported.size() == shown.size()
    # Same view: same labels in the same places.
    assert [(b.id, b.rect.toRect()) for b in exporter.last_result.labels] == \
           [(b.id, b.rect.toRect()) for b in view.last_result.labels]
    # Same pixels, except where the window alone draws its scale bar and attribution, and
    # rounding where the window blends its cached overlay image onto the base in two steps.
    furniture = [QRectF(0, vp.height - 60, vp.width, 60)]
    differ = [(x, y) for x, y in changed_rgb(shown, exported)
              if not any(r.contains(x, y) for r in furniture)]
    far = [(x, y) for x, y in differ if channel_gap(shown.pixel(x, y), exported.pixel(x, y)) > 2]
    assert len(differ) < 0.01 * vp.width * vp.height
    assert len(far) == 0, f"{len(far)} pixels differ by more than rounding, e.g. {far[:5]}"


def changed_rgb(a: QImage, b: QImage):
    w, h = a.width(), a.height()
    for y in range(h):
        ra, rb = bytes(a.constScanLine(y)), bytes(b.constScanLine(y))
        if ra != rb:
            for x in range(w):
                if ra[4 * x:4 * x + 3] != rb[4 * x:4 * x + 3]:
                    yield x, y


def channel_gap(p: int, q: int) -> int:
    return max(abs(((p >> s) & 255) - ((q >> s) & 255)) for s in (0, 8, 16))


def test_a_snapshot_never_waits_for_a_level_being_built(qapp, atlas):
    """The UI thread takes snapshots while a worker builds finer outlines under the cache's lock."""
    import time

    renderer = MapRenderer(atlas)
    cache = renderer.cache
    vp = views(atlas)["zoomed"]
    cache.level(cache.tolerance_for(vp.metres_per_pixel))  # this view's level is ready
    held, done = threading.Event(), threading.Event()

    def builder():  # holds the lock as while building another level, for at most 5 s
        with cache._lock:
            held.set()
            done.wait(5)

    t = threading.Thread(target=builder)
    t.start()
    held.wait(5)
    start = time.perf_counter()
    snap = renderer.snapshot(vp, RenderOptions(layers={n: True for n in LAYERS}, allow_detail_load=False))
    waited = time.perf_counter() - start
    done.set()
    t.join()
    assert snap.tolerance == cache.tolerance_for(vp.metres_per_pixel)
    assert waited < 2.5, f"the snapshot waited {waited:.1f} s for the worker's lock"
