"""Annotations in the window (placed, moved, edited, deleted, undone with the real widgets) and
in exports (each lands on the pixel its map position projects to)."""

import math

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QMouseEvent
from PySide6.QtWidgets import QApplication

from silkmap.core.annotations import Annotation
from silkmap.render.export import ExportSpec, MapExporter
from silkmap.render.layers.annotations import RING


@pytest.fixture
def win(window):
    window.projects.ask_unsaved = lambda: "discard"  # closing at teardown never waits on a dialog
    window.view.settle()
    return window


def send(widget, kind, pos, button=Qt.MouseButton.LeftButton, buttons=None):
    pos = QPointF(pos)
    buttons = button if buttons is None else buttons
    ev = QMouseEvent(kind, pos, widget.mapToGlobal(pos), button, buttons, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, ev)


def at(got, want, tol=1e-6) -> bool:
    """Screen positions equal (no pytest.approx: a worker may be importing numpy meanwhile)."""
    return all(abs(g - w) <= tol for g, w in zip(got, want))


def drag(widget, a, b, steps=6):
    send(widget, QEvent.Type.MouseButtonPress, a)
    for i in range(1, steps + 1):
        p = QPointF(a) + (QPointF(b) - QPointF(a)) * (i / steps)
        send(widget, QEvent.Type.MouseMove, p, Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton)
    send(widget, QEvent.Type.MouseButtonRelease, b, buttons=Qt.MouseButton.NoButton)


def click(widget, pos):
    send(widget, QEvent.Type.MouseButtonPress, pos)
    send(widget, QEvent.Type.MouseButtonRelease, pos, buttons=Qt.MouseButton.NoButton)


def test_place_move_edit_delete_and_undo_a_text(qtbot, win):
    view, tool, notes = win.view, win.view.annotation_tool, win.state.annotations
    tool.ask_text = lambda current: "Khorgos"
    tool.actions["text"].trigger()
    assert tool.placing == "text" and tool.actions["text"].isChecked()
    where = QPointF(500, 300)
    click(view, where)
    assert tool.placing is None and len(notes) == 1
    a = notes.items[0]
    assert (a.kind, a.text) == ("text", "Khorgos")
    assert at(view.viewport.to_screen(a.x, a.y), (500, 300))
    assert tool.selected == a.id and win.isWindowModified()
    assert "Khorgos" not in (win.state.selection or ())  # the map's selection is untouched

    drag(view, where, QPointF(560, 340))
    moved = notes.items[0]
    assert at(view.viewport.to_screen(moved.x, moved.y), (560, 340))
    # Zooming keeps it on its map point: it is drawn where that point now is.
    view.zoom(1.5, QPointF(100, 100), animate=False)
    sx, sy = view.viewport.to_screen(moved.x, moved.y)
    assert not at((sx, sy), (560, 340)) and tool.hit(QPointF(sx, sy))[0].id == a.id

    tool.ask_text = lambda current: current + " dry port"
    send(view, QEvent.Type.MouseButtonDblClick, QPointF(sx, sy))
    assert notes.items[0].text == "Khorgos dry port"

    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    nudged = notes.items[0]
    assert at(view.viewport.to_screen(nudged.x, nudged.y), (sx + 10, sy))

    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert len(notes) == 0 and tool.selected is None
    tool.actions["undo"].trigger()
    assert notes.items[0] == nudged
    tool.actions["undo"].trigger()  # the nudge
    tool.actions["undo"].trigger()  # the edit
    assert notes.items[0].text == "Khorgos"
    tool.actions["undo"].trigger()  # the whole drag, in one step
    assert notes.items[0] == a
    tool.actions["redo"].trigger()
    assert notes.items[0] == moved


def test_an_arrow_is_drawn_by_dragging_and_its_end_moves_alone(qtbot, win):
    view, tool, notes = win.view, win.view.annotation_tool, win.state.annotations
    tool.ask_text = lambda current: "Dry port"
    tool.arm("arrow")
    drag(view, QPointF(600, 400), QPointF(700, 320))
    a = notes.items[0]
    vp = view.viewport
    assert at(vp.to_screen(a.x, a.y), (600, 400))
    assert at(vp.to_screen(a.tx, a.ty), (700, 320))
    assert tool.hit(QPointF(700, 320))[1] == "tail"
    drag(view, QPointF(700, 320), QPointF(650, 250))
    b = notes.items[0]
    assert (b.x, b.y) == (a.x, a.y) and at(vp.to_screen(b.tx, b.ty), (650, 250))


def test_a_circle_is_placed_from_the_keyboard_and_resized_by_its_ring(qtbot, win):
    view, tool, notes = win.view, win.view.annotation_tool, win.state.annotations
    tool.arm("circle")
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Return)  # at the centre of the view
    c = notes.items[0]
    vp = view.viewport
    cx, cy = vp.to_screen(c.x, c.y)
    assert at((cx, cy), (view.width() / 2, view.height() / 2))
    r = c.radius * vp.scale
    assert tool.hit(QPointF(cx + r, cy))[1] == "edge"
    drag(view, QPointF(cx + r, cy), QPointF(cx + 2 * r, cy))
    assert abs(notes.items[0].radius - 2 * c.radius) < 1e-6 * c.radius
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert tool.selected is None
    # A click inside the ring goes to the map below.
    click(view, QPointF(cx + 3, cy + 3))
    assert tool.selected is None


def test_annotations_hide_with_their_layer(qtbot, win):
    view = win.view
    win.state.annotations.add(Annotation("", "circle", *view.viewport.to_map(400, 300), radius=60 / view.viewport.scale))
    view.annotation_tool.select(None)
    view.repaint()
    shown = view.grab().toImage()
    win.state.set_layer("annotations", False)
    view.settle()
    hidden = view.grab().toImage()
    dpr = shown.devicePixelRatio()
    at = QPoint(round(460 * dpr), round(300 * dpr))
    assert _near(shown.pixelColor(at), RING) and not _near(hidden.pixelColor(at), RING)


def _near(c: QColor, want: QColor, tol: int = 40) -> bool:
    return max(abs(c.red() - want.red()), abs(c.green() - want.green()), abs(c.blue() - want.blue())) <= tol


def test_an_annotation_lands_at_its_projected_pixel_in_an_export(qapp, atlas):
    from silkmap.core.atlas import home_bounds
    from silkmap.core.projection import project

    x, y = map(float, project(71.8, 40.7))  # the Fergana valley
    spec = ExportSpec(width=1200, height=800, dpi=192, title="Fergana", legend=False,
                      annotations=(Annotation("c", "circle", x, y, radius=150_000.0),
                                   Annotation("a", "arrow", x, y, "", x + 300_000, y + 300_000)))
    exporter = MapExporter(atlas)
    extent = home_bounds(atlas)
    img = exporter.render_image(spec, extent)
    _s, frame, vp = exporter.layout(spec, extent)
    px, py = vp.to_screen(x, y)
    px, py = px + frame.left(), py + frame.top()
    r = 150_000.0 * vp.scale
    for ang in (0, 90, 180, 270):  # the ring, at its radius all round
        qx = px + r * math.cos(math.radians(ang))
        qy = py - r * math.sin(math.radians(ang))
        assert _near(img.pixelColor(round(qx), round(qy)), RING, 60), ang
    # The arrowhead's tip is ink at the point itself; halfway to the ring, only the map.
    tip = img.pixelColor(round(px + 3), round(py - 3))  # just inside the head, towards the tail
    assert tip.lightness() < 110, tip.name()
    assert not _near(img.pixelColor(round(px + r / 2), round(py + r / 3)), RING, 60)


@pytest.mark.parametrize("fmt", ["svg", "pdf"])
def test_vector_exports_draw_the_annotations(qapp, atlas, tmp_path, fmt):
    from silkmap.core.atlas import home_bounds

    hub = atlas.hub
    base = ExportSpec(width=600, height=400, footer=False)
    noted = ExportSpec(width=600, height=400, footer=False,
                       annotations=(Annotation("t", "text", hub.x, hub.y, "Xi'an summit, 2023"),))
    sizes = []
    for spec, name in ((base, "plain"), (noted, "noted")):
        out = MapExporter(atlas).export(spec, home_bounds(atlas), tmp_path / f"{name}.{fmt}")
        sizes.append(out.read_bytes())
    assert sizes[0] != sizes[1]
    if fmt == "svg":  # text as outlines (readers without the font draw it the same)
        assert "Xi'an summit" not in sizes[1].decode("utf-8")
        assert sizes[1].count(b"<path") > sizes[0].count(b"<path")


def test_exports_paint_annotations_in_the_window_spec(qtbot, win):
    from silkmap.ui.export_dialog import ExportDialog

    win.state.annotations.add(Annotation("", "text", 0.0, 0.0, "Note"))
    dlg = ExportDialog(win, win.view, win.atlas, win.state)
    qtbot.addWidget(dlg)
    assert dlg.spec().annotations == win.state.annotations.items


def test_the_pointer_over_an_annotation_offers_to_move_it(qtbot, win):
    view = win.view
    x, y = view.viewport.to_map(420, 260)
    win.state.annotations.add(Annotation("", "text", x, y, "Almaty"))
    send(view, QEvent.Type.MouseMove, QPointF(420, 260), Qt.MouseButton.NoButton, Qt.MouseButton.NoButton)
    assert view.cursor().shape() == Qt.CursorShape.SizeAllCursor and win.state.hover is None
