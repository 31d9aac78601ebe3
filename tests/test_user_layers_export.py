"""User layers in exports and on the command line: each format through `export --add-layer`,
a point at its projected pixel, exit statuses and nothing written on error."""

import json
import os
import subprocess
import sys
import zipfile

import numpy as np
import pytest
from PySide6.QtGui import QColor, QImage

from silkmap.cli import run
from silkmap.core.atlas import home_bounds
from silkmap.core.projection import project
from silkmap.core.user_layers.layer import make_layer
from silkmap.core.user_layers.load import load
from silkmap.core.user_layers.spec import PALETTE, UserLayerSpec
from silkmap.render.export import ExportSpec, MapExporter

# In Kazakhstan's steppe, clear of routes, places and labels at the home view.
SPOT = (66.0, 48.5)
SIZE = (1200, 800)


def pixel_of(exporter, atlas, lonlat, spec):
    _s, rect, vp = exporter.layout(spec, home_bounds(atlas))
    px, py = vp.to_screen(*project(*lonlat))
    return round(px + rect.left()), round(py + rect.top())


def files(tmp_path):
    lon, lat = SPOT
    out = {
        "p.geojson": json.dumps({"type": "Feature", "properties": {"name": "spot"},
                                 "geometry": {"type": "Point", "coordinates": [lon, lat]}}),
        "p.csv": f"name;latitude;longitude\nspot;{lat};{lon}\n".replace(".", ","),
        "p.kml": f"<kml><Placemark><name>spot</name><Point><coordinates>{lon},{lat}</coordinates></Point></Placemark></kml>",
        "w.csv": f'id,wkt\n1,"POINT ({lon} {lat})"\n',
    }
    paths = {}
    for name, text in out.items():
        paths[name] = tmp_path / name
        paths[name].write_text(text, encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "p.kmz", "w") as zf:
        zf.writestr("doc.kml", out["p.kml"])
    paths["p.kmz"] = tmp_path / "p.kmz"
    try:
        import pyogrio
        import shapely

        for name, driver in (("p.gpkg", "GPKG"), ("p.shp", "ESRI Shapefile")):
            pyogrio.raw.write(str(tmp_path / name), np.array([shapely.to_wkb(shapely.Point(lon, lat))], dtype=object),
                              [np.array(["spot"], dtype=object)], ["name"], driver=driver,
                              geometry_type="Point", crs="EPSG:4326")
            paths[name] = tmp_path / name
    except ImportError:
        pass
    return paths


@pytest.fixture
def exporter(atlas):
    return MapExporter(atlas)


def test_a_point_lands_at_its_projected_pixel(qapp, atlas, exporter, tmp_path):
    path = files(tmp_path)["p.csv"]
    layer = make_layer(UserLayerSpec(str(path), {"colour": "#ff00ff", "size": 12}), load(path))
    spec = ExportSpec(width=SIZE[0], height=SIZE[1], title="With a title", user_layers=(layer,))
    img = exporter.render_image(spec, home_bounds(atlas))
    x, y = pixel_of(exporter, atlas, SPOT, spec)
    assert QColor(img.pixel(x, y)).name() == "#ff00ff"
    # The disc is 12 px across: 8 px away is the map again, and without the layer it is the map.
    assert QColor(img.pixel(x + 8, y)).name() != "#ff00ff"
    plain = exporter.render_image(ExportSpec(width=SIZE[0], height=SIZE[1], title="With a title"),
                                  home_bounds(atlas))
    assert QColor(plain.pixel(x, y)).name() != "#ff00ff"
    # Listed in the legend, in the legend's box.
    assert exporter.last_legend_rect is not None


def test_hidden_layer_is_not_drawn(qapp, atlas, exporter, tmp_path):
    path = files(tmp_path)["p.csv"]
    layer = make_layer(UserLayerSpec(str(path), {"colour": "#ff00ff", "size": 12}, visible=False), load(path))
    spec = ExportSpec(width=SIZE[0], height=SIZE[1], user_layers=(layer,))
    img = exporter.render_image(spec, home_bounds(atlas))
    x, y = pixel_of(exporter, atlas, SPOT, spec)
    assert QColor(img.pixel(x, y)).name() != "#ff00ff"


def test_svg_export_draws_the_layer_as_vectors(qapp, atlas, exporter, tmp_path):
    path = files(tmp_path)["p.kml"]
    layer = make_layer(UserLayerSpec(str(path), {"colour": "#ff00ff"}), load(path))
    out = exporter.export(ExportSpec(width=800, height=600, user_layers=(layer,)), home_bounds(atlas),
                          tmp_path / "m.svg")
    assert 'fill="#ff00ff"' in out.read_text(encoding="utf-8")


def cli(*args):
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    return subprocess.run([sys.executable, "-m", "silkmap", "export", *args], capture_output=True,
                          text=True, timeout=240, env=env)


def test_every_format_through_the_command_line(qapp, atlas, exporter, tmp_path):
    paths = files(tmp_path)
    args = [a for p in paths.values() for a in ("--add-layer", str(p))]
    out = cli(str(tmp_path / "all.png"), "--size", f"{SIZE[0]}x{SIZE[1]}", "--no-legend", *args)
    assert out.returncode == 0, out.stderr
    img = QImage(str(tmp_path / "all.png"))
    x, y = pixel_of(exporter, atlas, SPOT, ExportSpec(width=SIZE[0], height=SIZE[1], legend=False))
    # Every file puts its point on the same spot; the last added is drawn on top, in its colour.
    assert QColor(img.pixel(x, y)).name() == PALETTE[(len(paths) - 1) % len(PALETTE)]
    for name, path in paths.items():  # and each alone, in-process
        target = tmp_path / f"{name}.png"
        assert run(["export", str(target), "--size", "600x400", "--add-layer", str(path)]) == 0, name
        assert target.exists()


@pytest.mark.parametrize("content, name, status, message", [
    (None, "gone.csv", 2, "file not found"),
    ("x", "table.xlsx", 2, "file type silkmap does not read"),
    ("name\nAlmaty\n", "p.csv", 3, "no coordinate columns"),
    ("{", "p.geojson", 3, "not valid JSON"),
    ('<!DOCTYPE kml [<!ENTITY e SYSTEM "file:///etc/passwd">]><kml>&e;</kml>', "p.kml", 3, "is refused"),
])
def test_bad_layer_files_exit_with_one_line_and_write_nothing(qapp, tmp_path, capsys, content, name,
                                                             status, message):
    layer = tmp_path / name
    if content is not None:
        layer.write_text(content, encoding="utf-8")
    target = tmp_path / "out" / "x.png"
    target.parent.mkdir()
    assert run(["export", str(target), "--add-layer", str(layer)]) == status
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0] and name in err[0]
    assert list(target.parent.iterdir()) == []


def test_a_pan_reuses_the_points_image_and_paints_what_a_fresh_frame_paints(qapp, atlas, tmp_path):
    import numpy as np
    from PySide6.QtGui import QImage, QPainter

    from silkmap.core.state import LAYERS
    from silkmap.core.viewport import Viewport
    from silkmap.render.frame import Frame
    from silkmap.render.layers import user as user_mod
    from silkmap.render.renderer import MapRenderer, RenderOptions

    rng = np.random.default_rng(5)
    path = tmp_path / "many.csv"
    path.write_text("lat,lon\n" + "".join(f"{a:.4f},{b:.4f}\n" for a, b in
                                          zip(rng.uniform(38, 50, 3000), rng.uniform(55, 85, 3000))))
    layer = make_layer(UserLayerSpec(str(path), {"size": 7}), load(path))
    opts = RenderOptions(layers={n: False for n in LAYERS}, user_layers=(layer,))
    vp = Viewport(width=500, height=400)
    vp.fit(home_bounds(atlas))

    def frame(renderer, view):
        img = QImage(view.width, view.height, QImage.Format.Format_ARGB32_Premultiplied)
        img.fill(0)
        p = QPainter(img)
        renderer.layer("user").paint(p, Frame.of(renderer.snapshot(view, opts)))
        p.end()
        return img

    stamped = []
    real = user_mod.splat
    user_mod.splat = lambda xy, w, h, *a: stamped.append((w, h)) or real(xy, w, h, *a)
    try:
        warm = MapRenderer(atlas)
        frame(warm, vp)
        moved = vp.copy()
        moved.pan_pixels(37, -21)
        stamped.clear()
        reused = frame(warm, moved)
    finally:
        user_mod.splat = real
    assert stamped == [(37, 400), (500, 21)]  # only the two uncovered strips were stamped
    fresh = frame(MapRenderer(atlas), moved)
    a = np.frombuffer(reused.constBits(), np.uint8)
    b = np.frombuffer(fresh.constBits(), np.uint8)
    assert (a != b).mean() < 1e-5  # the same pixels, but for a centre rounding the other way
