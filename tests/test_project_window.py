"""Projects in the window and on the command line: save → open → the identical export, the
title and its unsaved mark, asking before discarding, named views, the recent list, and bad
files refused with a dialog (window) or one line and status 2/3 (command line)."""

import json

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMessageBox

from silkmap.cli import run
from silkmap.core import project as pj
from silkmap.core.annotations import Annotation
from silkmap.core.state import Selection
from silkmap.render.export import ExportSpec, MapExporter

SIZE = (900, 600)


def _quiet(w):
    w.projects.ask_unsaved = lambda: "discard"
    return w


@pytest.fixture
def win(window):
    _quiet(window)
    window.view.settle()
    return window


def _figure(win):
    """A figure as a user makes one: zoomed on the Fergana valley, rail hidden, Kazakhstan
    selected, an arrow and a circle placed, a named view."""
    from silkmap.core.projection import project

    view = win.view
    fx, fy = map(float, project(71.8, 40.7))
    view.set_view(fx, fy, 1 / 2200)
    win.state.set_layer("rail", False)
    win.state.select(Selection("country", "KAZ"))
    notes = win.state.annotations
    notes.add(Annotation("", "circle", fx, fy, "Fergana Valley", radius=120_000.0))
    notes.add(Annotation("", "arrow", fx + 90_000, fy + 30_000, "Osh", fx + 250_000, fy - 120_000))
    win.projects.add_bookmark("Valley")


def _window_image(win):
    st = win.state
    spec = ExportSpec(width=SIZE[0], height=SIZE[1], selection=st.selection, layers=dict(st.layers),
                      annotations=st.annotations.items)
    return MapExporter(win.atlas, win.view.renderer).render_image(spec, win.view.export_extent())


def _cli_image(tmp_path, project_path, name):
    out = tmp_path / name
    assert run(["export", str(out), "--project", str(project_path), "--size", f"{SIZE[0]}x{SIZE[1]}"]) == 0
    return QImage(str(out))


def _same(a: QImage, b: QImage) -> bool:
    fmt = QImage.Format.Format_RGB32
    return a.size() == b.size() and a.convertToFormat(fmt) == b.convertToFormat(fmt)


def test_save_open_and_the_export_is_pixel_identical(qtbot, win, atlas, settings, tmp_path):
    from silkmap.ui.main_window import MainWindow

    _figure(win)
    path = tmp_path / "fergana.silkmap"
    win.projects.ask_save_path = lambda: str(tmp_path / "fergana")  # the suffix is added
    win.projects.act_save.trigger()
    assert path.exists() and not win.isWindowModified()
    assert win.windowTitle().startswith("fergana[*]")
    from_window = _window_image(win)
    from_file = _cli_image(tmp_path, path, "a.png")
    assert _same(from_window, from_file)

    other = _quiet(MainWindow(atlas, settings=settings))
    qtbot.addWidget(other)
    other.resize(win.size())
    other.show()
    qtbot.waitExposed(other)
    assert other.open_project(path)
    other.view.settle()
    assert other.state.selection == Selection("country", "KAZ") and other.state.layers["rail"] is False
    assert other.state.annotations.items == win.state.annotations.items
    assert [b.name for b in other.projects.bookmarks] == ["Valley"]
    assert not other.isWindowModified()
    again = tmp_path / "again.silkmap"
    other.projects.ask_save_path = lambda: str(again)
    assert other.projects.save_as()
    assert _same(from_file, _cli_image(tmp_path, again, "b.png"))
    assert _same(from_window, _window_image(other))


def test_title_marks_unsaved_changes_and_closing_asks(qtbot, win, tmp_path):
    path = tmp_path / "p.silkmap"
    win.projects.ask_save_path = lambda: str(path)
    assert not win.isWindowModified()
    win.view.set_view(*win.view.viewport.to_map(100, 100), win.view.viewport.scale)
    assert not win.isWindowModified()  # panning a plain map is no change to save
    win.state.annotations.add(Annotation("", "text", 0.0, 0.0, "Note"))
    assert win.isWindowModified() and win.windowTitle().endswith("[*]")
    asked = []
    win.projects.ask_unsaved = lambda: asked.append(1) or "cancel"
    win.close()
    assert asked and win.isVisible()  # cancelled: still open, nothing lost
    win.projects.ask_unsaved = lambda: "save"
    win.close()
    assert not win.isVisible() and path.exists()
    assert pj.load(path).annotations == win.state.annotations.items


def test_opening_another_project_asks_first(qtbot, win, tmp_path):
    path = tmp_path / "p.silkmap"
    pj.save(pj.Project(annotations=(Annotation("x", "text", 0.0, 0.0, "Saved"),)), path)
    win.state.annotations.add(Annotation("", "text", 1.0, 1.0, "Unsaved"))
    win.projects.ask_open_path = lambda: str(path)
    win.projects.ask_unsaved = lambda: "cancel"
    assert not win.projects.open_dialog()
    assert win.state.annotations.items[0].text == "Unsaved"
    win.projects.ask_unsaved = lambda: "discard"
    assert win.projects.open_dialog()
    assert [a.text for a in win.state.annotations.items] == ["Saved"]
    assert not win.state.annotations.can_undo()


@pytest.mark.parametrize("content, expected", [
    (b"{not json", "not valid JSON"),
    (b'{"schema": 7}', "schema 7"),
    (bytes(range(200)), "not UTF-8"),
    (b'{"schema": 1, "annotations": [{"kind": "circle", "x": 0, "y": 0, "radius": -1}]}', "'radius'"),
])
def test_a_bad_project_gets_a_dialog_and_the_map_is_untouched(qtbot, win, tmp_path, content, expected):
    win.state.annotations.add(Annotation("", "text", 5.0, 5.0, "Mine"))
    before = (win.state.annotations.items, win.view.viewport.copy(), dict(win.state.layers))
    bad = tmp_path / "bad.silkmap"
    bad.write_bytes(content)
    assert not win.open_project(bad)
    boxes = [b for b in win.findChildren(QMessageBox) if b.objectName() == "project-error" and b.isVisible()]
    assert boxes and str(bad) in boxes[-1].text() and expected in boxes[-1].text()
    assert (win.state.annotations.items, win.view.viewport, dict(win.state.layers)) == before
    assert win.windowTitle().startswith("silkmap")
    for b in boxes:
        b.close()


def test_named_views_go_back_and_are_saved(qtbot, win, tmp_path):
    view = win.view
    view.set_view(*view.viewport.to_map(300, 200), view.viewport.scale * 2)
    saved = view.viewport.copy()
    win.projects.ask_bookmark_name = lambda: "Tashkent"
    win.projects.act_add_view.trigger()
    assert win.isWindowModified()
    view.reset_view(animate=False)
    names = [a.text() for a in win.projects.menu_views.actions()]
    assert "Tashkent" in names
    act = next(a for a in win.projects.menu_views.actions() if a.text() == "Tashkent")
    assert act.shortcut().toString() == "Ctrl+1"
    act.trigger()
    view.finish_animation()
    assert (view.viewport.cx, view.viewport.cy, view.viewport.scale) == (saved.cx, saved.cy, saved.scale)
    path = tmp_path / "v.silkmap"
    win.projects.ask_save_path = lambda: str(path)
    assert win.projects.save()
    assert [b.name for b in pj.load(path).bookmarks] == ["Tashkent"]
    win.projects.remove_bookmark("Tashkent")
    assert win.projects.bookmarks == [] and win.isWindowModified()


def test_recent_projects_are_listed_and_open(qtbot, win, tmp_path):
    paths = []
    for i in range(3):
        p = tmp_path / f"p{i}.silkmap"
        pj.save(pj.Project(annotations=(Annotation("t", "text", 0.0, 0.0, f"n{i}"),)), p)
        assert win.open_project(p)
        paths.append(str(p.absolute()))
    assert win.projects.recent() == paths[::-1]
    assert json.loads(win.settings.value("recentProjects")) == paths[::-1]
    win.projects._fill_recent()
    entries = win.projects.menu_recent.actions()
    assert [a.text() for a in entries] == ["&1 p2", "&2 p1", "&3 p0"]
    entries[2].trigger()
    assert win.state.annotations.items[0].text == "n0"
    assert win.windowTitle().startswith("p0[*]")


def test_a_project_opened_before_the_first_paint_shows_its_view(qtbot, atlas, settings, tmp_path):
    from silkmap.ui.main_window import MainWindow

    path = tmp_path / "start.silkmap"
    view = pj.View(-700_000.0, 150_000.0, 1 / 1800, 1000, 700)
    pj.save(pj.Project(view=view, layers={"road": False}), path)
    w = _quiet(MainWindow(atlas, settings=settings))
    qtbot.addWidget(w)
    assert w.open_project(path)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    w.view.settle()
    vp = w.view.viewport
    assert vp.scale == view.scale and not w.state.layers["road"]
    assert not w.isWindowModified()  # laying the window out is no change to save
    # Centred where saved, give or take the window settling its docks after the first layout.
    cx, cy = vp.to_screen(view.cx, view.cy)
    assert abs(cx - vp.width / 2) < 200 and abs(cy - vp.height / 2) < 100


def _run(*args, capsys):
    status = run(list(args))
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return status, err.strip().splitlines()


def test_cli_refuses_bad_projects_with_one_line(tmp_path, capsys):
    out = tmp_path / "x.png"
    status, lines = _run("export", str(out), "--project", str(tmp_path / "none.silkmap"), capsys=capsys)
    assert status == 2 and len(lines) == 1 and "does not exist" in lines[0]
    newer = tmp_path / "newer.silkmap"
    newer.write_text('{"schema": 4}', encoding="utf-8")
    status, lines = _run("export", str(out), "--project", str(newer), capsys=capsys)
    assert status == 3 and len(lines) == 1 and str(newer) in lines[0] and "schema 4" in lines[0]
    junk = tmp_path / "junk.silkmap"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(300))
    for argv in (["export", str(out), "--project", str(junk)], ["open", str(junk)], [str(junk)]):
        status, lines = _run(*argv, capsys=capsys)
        assert status == 3 and len(lines) == 1 and str(junk) in lines[0], argv
    assert not out.exists()
    status, lines = _run("open", str(tmp_path / "none.silkmap"), capsys=capsys)
    assert status == 2 and "does not exist" in lines[0]


def test_cli_open_shorthand(tmp_path):
    from silkmap.cli import requested_project

    p = str(tmp_path / "a.silkmap")
    assert requested_project([p]) == p
    assert requested_project(["--lang", "en", p]) == p
    assert requested_project(["open", p]) == p
    assert requested_project([]) is None and requested_project(["info", "KAZ"]) is None
    pj.save(pj.Project(), p)
    assert run([p]) is None  # the window opens


def test_cli_export_takes_the_projects_language_and_annotations(qapp, tmp_path, capsys):
    from silkmap import i18n

    p = tmp_path / "zh.silkmap"
    pj.save(pj.Project(language="zh-Hant", annotations=(Annotation("t", "text", 0.0, 0.0, "Note"),)), p)
    plain, noted = tmp_path / "plain.png", tmp_path / "noted.png"
    assert run(["export", str(plain), "--size", "400x300", "--lang", "zh-Hant"]) == 0
    assert run(["export", str(noted), "--project", str(p), "--size", "400x300"]) == 0
    assert i18n.current() == "zh-Hant"
    a, b = QImage(str(plain)), QImage(str(noted))
    assert a.size() == b.size() and a != b
    assert b.text("Language") == "zh-Hant"


def test_cli_export_draws_the_projects_user_layers_and_names_a_moved_one(qapp, tmp_path, capsys):
    from silkmap.core.user_layers.spec import UserLayerSpec

    data = tmp_path / "story" / "data"
    data.mkdir(parents=True)
    towns = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": f"p{i}"},
         "geometry": {"type": "Point", "coordinates": [60 + i * 2.0, 40 + (i % 4)]}} for i in range(12)]}
    (data / "towns.geojson").write_text(json.dumps(towns), encoding="utf-8")
    (data / "old.geojson").write_text(json.dumps(towns), encoding="utf-8")
    spec = UserLayerSpec(str(data / "towns.geojson"), {"colour": "#0072b2", "size": 14.0}, True, "Towns")
    lost = UserLayerSpec(str(data / "old.geojson"), {}, True, "Old")
    path = tmp_path / "story" / "with-layers.silkmap"
    pj.save(pj.Project(user_layers=[spec, lost]), path)
    (data / "old.geojson").unlink()
    plain = tmp_path / "plain.png"
    pj.save(pj.Project(), tmp_path / "plain.silkmap")
    assert run(["export", str(plain), "--project", str(tmp_path / "plain.silkmap"), "--size", "500x300"]) == 0
    capsys.readouterr()
    out = tmp_path / "layers.png"
    status, lines = _run("export", str(out), "--project", str(path), "--size", "500x300", capsys=capsys)
    assert status == 0
    warning = [line for line in lines if "old.geojson" in line]
    assert len(warning) == 1 and "not there" in warning[0]
    assert QImage(str(out)) != QImage(str(plain))


def test_a_projects_user_layers_open_in_the_window_with_their_style(qtbot, win, tmp_path):
    from silkmap.core.user_layers.spec import UserLayerSpec

    data = tmp_path / "data"
    data.mkdir()
    pts = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": f"p{i}"},
         "geometry": {"type": "Point", "coordinates": [62 + i * 1.5, 41 + (i % 3)]}} for i in range(10)]}
    (data / "towns.geojson").write_text(json.dumps(pts), encoding="utf-8")
    (data / "gone.geojson").write_text(json.dumps(pts), encoding="utf-8")
    spec = UserLayerSpec(str(data / "towns.geojson"), {"colour": "#0072b2", "size": 12.0}, True, "Towns")
    path = tmp_path / "maps" / "layers.silkmap"
    path.parent.mkdir()
    pj.save(pj.Project(user_layers=[spec, UserLayerSpec(str(data / "gone.geojson"))]), path)
    (data / "gone.geojson").unlink()
    assert win.open_project(path)
    boxes = [b for b in win.findChildren(QMessageBox) if b.objectName() == "project-error" and b.isVisible()]
    assert boxes and "gone.geojson" in boxes[-1].text()
    qtbot.waitUntil(lambda: len(win.state.user_layers) == 1, timeout=20_000)
    loaded = win.state.user_layers.specs()[0]
    assert loaded.style["colour"] == "#0072b2" and loaded.name == "Towns"
    assert not win.isWindowModified()  # the saved layers arriving is no change
    again = tmp_path / "maps" / "again.silkmap"
    win.projects.ask_save_path = lambda: str(again)
    assert win.projects.save_as()
    raw = json.loads(again.read_text(encoding="utf-8"))
    assert [u["path"] for u in raw["user_layers"]] == ["../data/towns.geojson"]
    win.state.user_layers.remove(win.state.user_layers.layers[0].id)
    assert win.isWindowModified()
    for b in boxes:
        b.close()
