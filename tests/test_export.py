"""Exports: exact size, real fills where the countries are, text chunks, vectors, and every error."""

import os
from pathlib import Path
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest
import shapely
from PySide6.QtGui import QColor, QImage

from silkmap.cli import run
from silkmap.core.state import Selection
from silkmap.core.timeline import LAST_YEAR
from silkmap.render import style
from silkmap.render.export import ExportSpec, MapExporter
from silkmap.render.year_style import country_fill, selected_fill
from silkmap.core.atlas import home_bounds

FOCUS = ("KAZ", "KGZ", "TJK", "TKM", "UZB", "CHN")


def sample_points(atlas, exporter, spec, iso3, n=60):
    """Screen points inside the country, clear of routes, markers and the hub."""
    s, rect, vp = exporter.layout(spec, home_bounds(atlas))
    m = vp.metres_per_pixel * 12 * s
    blockers = [shapely.LineString(r.xy).buffer(m) for r in atlas.routes.values()]
    blockers += [shapely.Point(xy).buffer(m) for xy in exporter.renderer._project_xy.values()]
    blockers += [shapely.Point(p.x, p.y).buffer(m * 1.5) for p in atlas.places.values()]
    x0, y0, x1, y1 = vp.bounds()
    visible = shapely.box(x0 + m, y0 + m, x1 - m, y1 - m)
    area = atlas.countries[iso3].shape.buffer(-m).intersection(visible).difference(shapely.union_all(blockers))
    rng = np.random.default_rng(7)
    x0, y0, x1, y1 = area.bounds
    pts = []
    while len(pts) < n:
        x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
        if area.contains(shapely.Point(x, y)):
            sx, sy = vp.to_screen(x, y)
            pts.append((int(sx + rect.left()), int(sy + rect.top())))
    return pts


def clear_of_labels(exporter, spec, pts):
    boxes = [b.rect.translated(0, (46 if spec.title else 0)) for b in exporter.last_result.labels]
    boxes.append(exporter.last_legend_rect)
    return [(x, y) for x, y in pts if not any(b.adjusted(-2, -2, 2, 2).contains(x, y) for b in boxes)]


def composite(under: QColor, over: QColor) -> QColor:
    """What Qt paints when ``over`` (with alpha) lies on ``under``."""
    from PySide6.QtGui import QPainter

    img = QImage(1, 1, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(under)
    p = QPainter(img)
    p.fillRect(0, 0, 1, 1, over)
    p.end()
    return QColor(img.pixel(0, 0))


def fill_share(img: QImage, pts, colour: QColor) -> float:
    hits = sum(1 for x, y in pts if QColor(img.pixel(x, y)).name() == colour.name())
    return hits / len(pts)


@pytest.fixture(scope="module")
def exporter(atlas):
    return MapExporter(atlas)


def test_png_has_exact_size_fills_and_highlight(qapp, atlas, exporter, tmp_path):
    # The plain fills: without the shading and the water drawn over them.
    spec = ExportSpec(width=1920, height=1080, selection=Selection("country", "TJK"), title="Test",
                      layers={**ExportSpec().layers, "relief": False, "water": False})
    out = exporter.export(spec, home_bounds(atlas), tmp_path / "map.png")
    img = QImage(str(out))
    assert (img.width(), img.height()) == (1920, 1080)
    for iso3 in FOCUS:
        pts = clear_of_labels(exporter, spec, sample_points(atlas, exporter, spec, iso3))
        assert len(pts) > 20
        # Filled by their partnership level in the latest year (China by its own colour).
        dated = exporter.renderer.year_state(LAST_YEAR)
        plain = country_fill(iso3, dated, True)
        expected = (selected_fill(iso3, dated, True) or composite(plain, style.selected_tint(iso3))
                    if iso3 == "TJK" else plain)
        assert fill_share(img, pts, expected) > 0.9, iso3
    # The selection is highlighted: Tajikistan's normal fill is gone.
    tjk = country_fill("TJK", exporter.renderer.year_state(LAST_YEAR), True)
    assert fill_share(img, sample_points(atlas, exporter, spec, "TJK"), tjk) < 0.05


def test_png_text_chunks(qapp, atlas, exporter, tmp_path):
    out = exporter.export(ExportSpec(width=800, height=500, title="Silk Road"), home_bounds(atlas),
                          tmp_path / "m.png")
    img = QImage(str(out))
    assert img.text("Title") == "Silk Road"
    assert "Natural Earth" in img.text("Source")
    assert img.text("Software").startswith("silkmap ")
    assert img.text("Creation Time")[:2] == "20"
    assert "+proj=aea" in img.text("Projection")
    assert "lon" in img.text("Extent")


def test_svg_and_pdf_are_valid_vectors(qapp, atlas, exporter, tmp_path):
    svg = exporter.export(ExportSpec(width=1200, height=800), home_bounds(atlas), tmp_path / "m.svg")
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg")
    assert len(root.findall(".//{http://www.w3.org/2000/svg}path")) > 50
    pdf = exporter.export(ExportSpec(width=1200, height=800), home_bounds(atlas), tmp_path / "m.pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and b"%%EOF" in data[-64:]


def cli(*args, cwd=None):
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    return subprocess.run([sys.executable, "-m", "silkmap", "export", *args], capture_output=True,
                          text=True, timeout=240, env=env, cwd=cwd)


def test_cli_export_headless_matches_window_renderer(qapp, atlas, exporter, tmp_path):
    out = cli(str(tmp_path / "cli.png"), "--size", "1000x700", "--select", "KAZ")
    assert out.returncode == 0, out.stderr
    img = QImage(str(tmp_path / "cli.png"))
    assert (img.width(), img.height()) == (1000, 700)
    spec = ExportSpec(width=1000, height=700, selection=Selection("country", "KAZ"))
    ref = exporter.render_image(spec, home_bounds(atlas))
    got = img.convertToFormat(QImage.Format.Format_RGB32)  # kept alive while numpy reads them
    want = ref.convertToFormat(QImage.Format.Format_RGB32)
    a = np.frombuffer(got.constBits(), np.uint8)
    b = np.frombuffer(want.constBits(), np.uint8)
    assert (a != b).mean() < 0.002  # identical but for anti-aliasing noise


@pytest.mark.parametrize("args,message", [
    (["{d}/x.png", "--select", "XYZ"], "unknown country code 'XYZ'"),
    (["{d}/x.png", "--preset", "poster"], "unknown preset 'poster'"),
    (["{d}/x.png", "--layers", "rail,ferries"], "unknown layer 'ferries'"),
    (["{d}/x.png", "--size", "0x100"], "out of range"),
    (["{d}/x.png", "--size", "20000x100"], "out of range"),
    (["{d}/x.png", "--size", "big"], "--size expects"),
    (["{d}/x.png", "--dpi", "5"], "out of range"),
    (["{d}/x.gif"], "must end in .png, .svg or .pdf"),
])
def test_cli_bad_values(tmp_path, capsys, args, message):
    status = run(["export", *[a.format(d=tmp_path) for a in args]])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2
    assert len(err) == 1 and message in err[0]
    assert list(tmp_path.iterdir()) == []


def test_cli_unwritable_path(qapp, tmp_path, capsys):  # qapp: the CLI would make a QGuiApplication
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        target = ro / "x.png"
        if os.access(ro, os.W_OK):  # root writes anywhere on disk; sysfs refuses even root
            target = Path("/sys/kernel/silkmap-test.png")
            if not target.parent.is_dir():
                pytest.skip("no folder here that refuses to be written")
        status = run(["export", str(target)])
        err = capsys.readouterr().err.strip().splitlines()
        assert status == 4
        assert len(err) == 1 and "cannot write" in err[0] and str(target) in err[0]
        assert not target.exists() and list(ro.iterdir()) == []
    finally:
        ro.chmod(0o700)


def test_cli_missing_folder(tmp_path, capsys):
    assert run(["export", str(tmp_path / "nope" / "x.png")]) == 4
    assert "folder does not exist" in capsys.readouterr().err


def test_cli_refuses_to_overwrite(tmp_path, capsys):
    target = tmp_path / "x.png"
    target.write_bytes(b"keep")
    assert run(["export", str(target)]) == 4
    assert "--overwrite" in capsys.readouterr().err
    assert target.read_bytes() == b"keep"


def test_failed_export_leaves_no_partial_file(qapp, atlas, exporter, tmp_path, monkeypatch):
    target = tmp_path / "x.png"
    target.write_bytes(b"old")

    def boom(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(exporter, "render_image", boom)
    with pytest.raises(KeyboardInterrupt):
        exporter.export(ExportSpec(width=100, height=100), home_bounds(atlas), target)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.png"]


def test_help_documents_limits_and_overwrite():
    out = subprocess.run([sys.executable, "-m", "silkmap", "export", "--help"], capture_output=True, text=True)
    assert out.returncode == 0
    for word in ("--size", "--dpi", "--preset", "--select", "--layers", "--title", "16384", "--overwrite",
                 "atomically"):
        assert word in out.stdout


def test_window_export_dialog_writes_the_current_view(qtbot, window, tmp_path):
    from silkmap.ui.export_dialog import ExportDialog

    window.state.select(Selection("country", "UZB"))
    dlg = ExportDialog(window, window.view, window.atlas, window.state)
    qtbot.addWidget(dlg)
    dlg.quiet = True
    dlg.preset.setCurrentIndex(dlg.preset.findData("current"))
    dlg.path_edit.setText(str(tmp_path / "view.png"))
    with qtbot.waitSignal(dlg.exported, timeout=60000) as sig:
        dlg.start()
    img = QImage(sig.args[0])
    assert (img.width(), img.height()) == (window.view.width(), window.view.height())


def test_window_export_error_is_reported_not_raised(qtbot, window, tmp_path):
    from silkmap.ui.export_dialog import ExportDialog

    dlg = ExportDialog(window, window.view, window.atlas, window.state)
    qtbot.addWidget(dlg)
    dlg.quiet = True
    dlg.path_edit.setText(str(tmp_path / "missing" / "x.png"))
    with qtbot.waitSignal(dlg.failed, timeout=30000) as sig:
        dlg.start()
    assert "folder does not exist" in sig.args[0]
    assert window.isVisible()


def test_window_export_of_the_home_view_matches_the_command_line(qtbot, window, tmp_path):
    """The window's "current view" at home and `silkmap export` frame the same map, pixel for pixel."""
    from silkmap.ui.export_dialog import ExportDialog

    dlg = ExportDialog(window, window.view, window.atlas, window.state)
    qtbot.addWidget(dlg)
    dlg.quiet = True
    dlg.preset.setCurrentIndex(dlg.preset.findData("slide"))
    dlg.path_edit.setText(str(tmp_path / "window.png"))
    with qtbot.waitSignal(dlg.exported, timeout=60000):
        dlg.start()
    out = cli(str(tmp_path / "cli.png"))
    assert out.returncode == 0, out.stderr
    a = QImage(str(tmp_path / "window.png")).convertToFormat(QImage.Format.Format_RGB32)
    b = QImage(str(tmp_path / "cli.png")).convertToFormat(QImage.Format.Format_RGB32)
    assert (a.width(), a.height()) == (b.width(), b.height()) == (1920, 1080)
    pa = np.frombuffer(a.constBits(), np.uint8).copy()
    pb = np.frombuffer(b.constBits(), np.uint8).copy()
    assert (pa != pb).mean() < 0.002
