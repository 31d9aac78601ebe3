"""Relief, lakes and rivers: the shipped files are what the build records, the key waters are
there with their ids and in the right places, and the layers draw them as they should."""

import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import pytest
import shapely
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter
from shapely.geometry import Point, shape

from silkmap.core import physical
from silkmap.core.projection import project
from silkmap.core.resources import asset_dir
from silkmap.core.state import LAYERS
from silkmap.core.viewport import Viewport
from silkmap.render import style
from silkmap.render.layers import relief as relief_layer
from silkmap.render.layers import rivers as rivers_layer
from silkmap.render.renderer import MapRenderer, RenderOptions

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import geo_physical  # noqa: E402

GEO = ROOT / "assets" / "geo"


def manifest() -> dict:
    return json.loads((GEO / "physical.json").read_text(encoding="utf-8"))


def features(name: str) -> dict:
    return {f["id"]: f for f in json.loads((GEO / name).read_text(encoding="utf-8"))["features"]}


# ------------------------------------------------------------------ the files and the build


def test_shipped_files_are_what_the_build_recorded():
    outputs = manifest()["outputs"]
    assert set(outputs) == set(geo_physical.OUTPUTS)
    for name, digest in outputs.items():
        assert hashlib.sha256((GEO / name).read_bytes()).hexdigest() == digest, name


def test_the_record_pins_the_carriers_the_build_fetches():
    carriers = manifest()["carriers"]
    assert set(carriers) == set(geo_physical.CARRIERS)
    for name, spec in geo_physical.CARRIERS.items():
        got = carriers[name]
        assert (got["version"], got["sha256"], got["members"]) == (spec["version"], spec["sha256"], spec["members"])
        assert len(spec["sha256"]) == 64 and all(len(h) == 64 for h in spec["members"].values())


def test_sources_md_records_versions_hashes_and_licences():
    text = (GEO / "SOURCES.md").read_text(encoding="utf-8")
    m = manifest()
    for name, spec in m["carriers"].items():
        assert name in text and spec["version"] in text and spec["sha256"] in text, name
    for name, digest in m["outputs"].items():
        assert name in text and digest in text, name
    for wid in m["lakes"] + m["rivers"]:
        assert f"`{wid}`" in text, wid
    for licence in ("MIT", "LGPL-3.0-or-later", "public domain"):
        assert licence in text


def test_the_new_assets_stay_small():
    total = sum((GEO / name).stat().st_size for name in geo_physical.OUTPUTS)
    assert total < 4_000_000, total


def test_the_home_view_file_holds_no_physical_data():
    from silkmap.core import prebuilt

    header = (GEO / prebuilt.FILE).read_bytes()[:4096]
    assert b"lake" not in header and b"river" not in header and b"relief" not in header


# ------------------------------------------------------------------ the waters themselves

FRAME = shapely.box(*geo_physical.FRAME)


@pytest.mark.parametrize("wid", geo_physical.REQUIRED_LAKES + (geo_physical.ARAL_1960,))
def test_key_lakes_are_there_inside_the_region(wid):
    f = features("lakes.geojson")[wid]
    g = shape(f["geometry"])
    assert FRAME.contains(g) and g.area > 0.01
    assert any(g.contains(Point(p)) for p in geo_physical.LAKES.get(wid, [(60.0, 45.0)]))


def test_lakes_sit_in_their_countries(atlas):
    lakes = features("lakes.geojson")
    kaz, kgz = atlas.countries["KAZ"], atlas.countries["KGZ"]
    from silkmap.core.projection import project_coords

    for wid, country in (("lake-balkhash", kaz), ("lake-issyk-kul", kgz), ("lake-kapchagay", kaz)):
        c = shape(lakes[wid]["geometry"]).representative_point()
        x, y = project_coords(np.array([[c.x, c.y]]))[0]
        assert country.shape.contains(Point(x, y)), wid


def test_the_1960_aral_is_a_historic_outline_larger_than_today():
    lakes = features("lakes.geojson")
    then, now = lakes["lake-aral-1960"], lakes["lake-aral"]
    assert then["properties"]["kind"] == "historic" and now["properties"]["kind"] == "lake"
    assert shape(then["geometry"]).area > 3 * shape(now["geometry"]).area  # the sea that shrank
    assert shape(then["geometry"]).contains(shape(now["geometry"]).representative_point())


def test_the_caspian_stays_sea():
    for f in features("lakes.geojson").values():
        assert not shape(f["geometry"]).contains(Point(geo_physical.CASPIAN_POINT)), f["id"]


# Towns on each river (lon, lat): the drawn course passes within 12 km.
ON_RIVER = {
    "river-amu-darya": (67.28, 37.22), "river-syr-darya": (65.51, 44.84), "river-ili": (77.1, 43.95),
    "river-irtysh": (80.25, 50.41), "river-chu": (75.3, 42.86), "river-talas": (71.37, 42.9),
    "river-naryn": (75.99, 41.43), "river-zeravshan": (66.96, 39.7), "river-tarim": (84.0, 41.1),
    "river-yellow": (103.83, 36.06),
}


@pytest.mark.parametrize("wid", geo_physical.REQUIRED_RIVERS)
def test_key_rivers_are_there_along_their_towns(wid):
    f = features("rivers.geojson")[wid]
    g = shape(f["geometry"])
    assert FRAME.contains(g)
    lon, lat = ON_RIVER[wid]
    assert g.distance(Point(lon, lat)) * 111.32 * np.cos(np.radians(lat)) < 12.0
    assert f["properties"]["class"] in (1, 2)


def test_widths_follow_size():
    rivers = features("rivers.geojson")
    for wid in ("river-amu-darya", "river-syr-darya", "river-irtysh", "river-yellow"):
        assert rivers[wid]["properties"]["class"] == 1, wid
    for wid in ("river-talas", "river-zeravshan", "river-chu"):
        assert rivers[wid]["properties"]["class"] == 2, wid
    w = rivers_layer.WIDTH_PX
    assert w[1] > w[2] > w[3] > w[4]


def test_the_ili_ends_in_balkhash():
    ili = shape(features("rivers.geojson")["river-ili"]["geometry"])
    balkhash = shape(features("lakes.geojson")["lake-balkhash"]["geometry"])
    assert ili.distance(balkhash) < 0.5


def test_the_loader_projects_every_water(atlas):
    data = physical.load_physical()
    ids = {w.id for w in data.lakes} | {w.id for w in data.rivers}
    assert set(geo_physical.REQUIRED_LAKES) | set(geo_physical.REQUIRED_RIVERS) <= ids
    x, y = project(74.5, 46.5)
    xy = np.concatenate([r for poly in data.lake("lake-balkhash").parts for r in poly])
    assert np.hypot(*(xy.mean(axis=0) - (x, y))) < 400_000


def test_a_broken_water_file_is_one_clear_line(tmp_path, monkeypatch, qapp, atlas):
    import shutil

    for p in asset_dir().iterdir():
        shutil.copy(p, tmp_path / p.name)
    (tmp_path / "rivers.geojson").write_text('{"type": "FeatureCollection", "features": [{"properties": {}}]}')
    monkeypatch.setenv("SILKMAP_ASSETS", str(tmp_path))
    from silkmap.core import resources

    resources._asset_dir_for.cache_clear()
    try:
        r = MapRenderer(atlas)
        assert r.physical.load() is False
        assert "rivers.geojson" in r.physical.error and "\n" not in r.physical.error
        img = QImage(400, 300, QImage.Format.Format_ARGB32_Premultiplied)
        p = QPainter(img)
        r.paint(p, Viewport(width=400, height=300), RenderOptions(layers={n: True for n in LAYERS}))
        p.end()  # the map is drawn without them
    finally:
        resources._asset_dir_for.cache_clear()


# ------------------------------------------------------------------ drawing


def render(renderer, vp, **layers) -> QImage:
    img = QImage(vp.width, vp.height, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(style.WATER)
    p = QPainter(img)
    renderer.paint(p, vp, RenderOptions(layers={**{n: True for n in LAYERS}, **layers}))
    p.end()
    return img


def pixels(img: QImage) -> np.ndarray:
    ptr = img.constBits()
    bgra = np.frombuffer(ptr, np.uint8).reshape(img.height(), img.bytesPerLine() // 4, 4)[:, :img.width()]
    return bgra[:, :, [2, 1, 0]].astype(int)  # ARGB32 words, little-endian: B, G, R, A in memory


@pytest.fixture(scope="module")
def renderer(atlas):
    return MapRenderer(atlas)


def view_of(lon0, lat0, lon1, lat1, w=600, h=400) -> Viewport:
    xs, ys = project([lon0, lon1], [lat0, lat1])
    vp = Viewport(width=w, height=h)
    vp.fit((min(xs), min(ys), max(xs), max(ys)), margin=0)
    return vp


def test_relief_shades_the_mountains_and_keeps_the_hue(qapp, renderer):
    vp = view_of(70, 38, 82, 45)  # Tian Shan and the Kazakh steppe
    # Each country in its own fill (not its partnership level's), to find Kyrgyzstan's pixels.
    on = pixels(render(renderer, vp, partnership=False))
    off = pixels(render(renderer, vp, relief=False, partnership=False))
    diff = np.abs(on - off).max(axis=2)
    assert (diff > 12).mean() > 0.2  # the shading shows over much of the land
    # Black or white of low alpha: never more than the strongest shadow's share of a channel.
    assert diff.max() <= round(255 * 0.35)
    # Hue kept: where a focus fill is shaded, its channels keep their order.
    kgz = np.array(style.FOCUS_FILL["KGZ"].getRgb()[:3])
    plain = (np.abs(off - kgz).max(axis=2) == 0)
    assert plain.sum() > 500
    order = np.argsort(kgz)
    shaded = on[plain]
    assert (np.argsort(shaded, axis=1)[:, -1] == order[-1]).mean() > 0.98


def test_relief_fades_zoomed_in_past_its_detail():
    assert relief_layer.opacity(4000) == 1.0
    assert relief_layer.opacity(300) == pytest.approx(relief_layer.FADED_OPACITY)
    assert 1.0 > relief_layer.opacity(800) > relief_layer.FADED_OPACITY


def test_small_rivers_only_where_they_read(qapp, renderer):
    renderer.physical.load()
    home = Viewport(width=1280, height=800)
    from silkmap.core.atlas import home_bounds

    home.fit(home_bounds(renderer.atlas))
    zoomed = view_of(68.5, 39.3, 74.5, 42.3, 1400, 900)
    at_home = rivers_layer.shown(renderer.physical.rivers, home.metres_per_pixel, home.bounds())
    near = rivers_layer.shown(renderer.physical.rivers, zoomed.metres_per_pixel, zoomed.bounds())
    assert {r.klass for r in at_home} == {1, 2}
    assert {3, 4} <= {r.klass for r in near}
    assert rivers_layer.zoom_width(zoomed.metres_per_pixel) > rivers_layer.zoom_width(home.metres_per_pixel)


def test_the_water_switch_hides_rivers_and_lakes(qapp, renderer):
    vp = view_of(72, 40, 80, 44)  # Issyk-Kul, the Naryn and the Chu
    # Countries in their own fills, and without the rivers' blue names (their own switch).
    on = pixels(render(renderer, vp, partnership=False, physical=False))
    off = pixels(render(renderer, vp, water=False, partnership=False, physical=False))
    river = np.array(style.RIVER.getRgb()[:3])
    near_river = lambda a: (np.abs(a - river).max(axis=2) < 40).sum()  # noqa: E731
    assert near_river(on) > 200 and near_river(off) < near_river(on) / 5
    x, y = vp.to_screen(*project(77.3, 42.45))  # Issyk-Kul: water colour with water on
    assert QColor(*on[int(y), int(x)]) == style.WATER
    assert QColor(*off[int(y), int(x)]) != style.WATER


def test_the_1960_aral_is_dashed_and_unfilled(qapp, renderer):
    vp = view_of(57, 42.5, 64, 47.5)
    on, off = pixels(render(renderer, vp)), pixels(render(renderer, vp, water=False))
    shore = np.array(style.HISTORIC_SHORE.getRgb()[:3])
    x, y = vp.to_screen(*project(60.3, 45.0))  # the dried bed: land, no water fill
    assert QColor(*on[int(y), int(x)]) != style.WATER
    assert (np.abs(on - shore).max(axis=2) < 30).sum() > 100


# ------------------------------------------------------------------ the window


def test_the_window_loads_them_after_its_first_frame(qtbot, atlas):
    from silkmap.core.state import MapState
    from silkmap.ui.map_view import MapView

    view = MapView(atlas, MapState())
    qtbot.addWidget(view)
    view.resize(800, 500)
    physical = view.renderer.physical
    with qtbot.waitSignal(view.physicalReady, timeout=20000):
        view.show()
        qtbot.waitUntil(lambda: view._frame is not None)
        assert physical.ready_generation is None  # the first frame comes without them
    # Then the view's frame is rendered again, with them.
    qtbot.waitUntil(lambda: view._final(view._frame) and view._frame.key[3] >= physical.ready_generation,
                    timeout=20000)
    assert physical.ready_for(view.renderer.snapshot(view.viewport, view.render_options()))


def test_the_layers_panel_switches_relief_and_water(qtbot, atlas):
    from silkmap.core.state import MapState
    from silkmap.ui.layers_panel import LayersPanel

    state = MapState()
    panel = LayersPanel(atlas, state)
    qtbot.addWidget(panel)
    for name, label in (("relief", "Relief"), ("water", "Rivers and lakes")):
        box = panel.boxes[name]
        assert box.text() == label and box.isChecked()
        box.click()
        assert state.layers[name] is False


def test_the_relief_draws_the_same_without_the_gil(qapp):
    from PySide6.QtCore import QRectF

    from silkmap.render import gil_free_painter

    src = QImage(100, 100, QImage.Format.Format_ARGB32_Premultiplied)
    src.fill(QColor(0, 0, 0, 90))
    out = []
    for wrap in (False, True):
        dst = QImage(200, 200, QImage.Format.Format_RGB32)
        dst.fill(QColor("white"))
        p = QPainter(dst)
        q = gil_free_painter.wrap(p) if wrap else p
        q.drawImage(QRectF(10, 10, 150, 120), src, QRectF(5, 5, 50, 40))
        p.end()
        out.append(dst)
    assert out[0] == out[1] and out[1].pixel(50, 50) != out[1].pixel(5, 5)
