"""User layers in the real window: File → Add layer… through the file dialog (substituted),
drag-and-drop, the CSV column confirmation, progress and Cancel, errors in a dialog with the
map untouched, the layers dock (show/hide, reorder, remove, style), and a click listing the
feature's attributes as text."""

import json
import zipfile

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QPushButton

from silkmap.core.projection import project
from silkmap.core.state import Selection

SPOT = (66.0, 48.5)  # Kazakh steppe, clear of the map's own symbols at the home view


def make_files(tmp_path):
    lon, lat = SPOT
    files = {
        "p.geojson": json.dumps({"type": "Feature", "properties": {"name": "spot", "note": "<b>bold?</b>"},
                                 "geometry": {"type": "Point", "coordinates": [lon, lat]}}),
        "p.csv": f"name;latitude;longitude\nspot;{lat};{lon}\n".replace(".", ","),
        "p.kml": f"<kml><Placemark><name>spot</name><Point><coordinates>{lon},{lat}</coordinates></Point></Placemark></kml>",
    }
    out = {}
    for name, text in files.items():
        out[name] = tmp_path / name
        out[name].write_text(text, encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "p.kmz", "w") as zf:
        zf.writestr("doc.kml", files["p.kml"])
    out["p.kmz"] = tmp_path / "p.kmz"
    try:
        import pyogrio
        import shapely

        for name, driver in (("p.gpkg", "GPKG"), ("p.shp", "ESRI Shapefile")):
            pyogrio.raw.write(str(tmp_path / name), np.array([shapely.to_wkb(shapely.Point(lon, lat))], dtype=object),
                              [np.array(["spot"], dtype=object)], ["name"], driver=driver,
                              geometry_type="Point", crs="EPSG:4326")
            out[name] = tmp_path / name
    except ImportError:
        pass
    return out


def accept_columns(qtbot, loader):
    qtbot.waitUntil(lambda: loader.columns_dialog is not None and loader.columns_dialog.isVisible())
    loader.columns_dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def add_through_menu(qtbot, window, monkeypatch, path):
    """File → Add layer… with the file dialog answering ``path``."""
    asked = []

    def dialog(parent, caption, folder, filters):
        asked.append(filters)
        return [str(path)], ""

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(dialog))
    loader = window.user_loader
    with qtbot.waitSignal(loader.loaded, timeout=20000) as got:
        window.act_add_layer.trigger()
        if str(path).endswith(".csv"):
            accept_columns(qtbot, loader)
    assert "*.geojson" in asked[0] and "*.kml" in asked[0] and "*.csv" in asked[0]
    return got.args[0]


def test_each_format_through_the_add_layer_action(qtbot, window, tmp_path, monkeypatch):
    files = make_files(tmp_path)
    for name, path in files.items():
        lid = add_through_menu(qtbot, window, monkeypatch, path)
        layer = window.state.user_layers.get(lid)
        assert layer is not None and layer.data.feature_count == 1, name
        assert np.allclose(layer.data.points[0], project(*SPOT)), name
    panel = window.layers.user
    assert len(panel.layer_ids()) == len(files)
    assert panel.list.item(0).text().startswith(f"p ({1})")


def test_csv_columns_can_be_chosen_in_the_dialog(qtbot, window, tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text(f"name,north,east\nspot,{SPOT[1]},{SPOT[0]}\n", encoding="utf-8")
    loader = window.user_loader
    loader.add_files([str(path)])
    qtbot.waitUntil(lambda: loader.columns_dialog is not None and loader.columns_dialog.isVisible())
    dlg = loader.columns_dialog
    ok = dlg.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()  # nothing detected: the user must choose
    dlg.lat.setCurrentIndex(dlg.lat.findData("north"))
    dlg.lon.setCurrentIndex(dlg.lon.findData("east"))
    assert ok.isEnabled()
    with qtbot.waitSignal(loader.loaded, timeout=20000) as got:
        ok.click()
    layer = window.state.user_layers.get(got.args[0])
    assert layer.spec.options == {"delimiter": ",", "lat": "north", "lon": "east"}
    assert np.allclose(layer.data.points[0], project(*SPOT))


def test_drag_and_drop_onto_the_window(qtbot, window, tmp_path):
    path = make_files(tmp_path)["p.geojson"]
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    pos = QPointF(400, 300)
    enter = QDragEnterEvent(pos.toPoint(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                            Qt.KeyboardModifier.NoModifier)
    window.dragEnterEvent(enter)
    assert enter.isAccepted()
    other = QMimeData()
    other.setUrls([QUrl.fromLocalFile(str(tmp_path / "notes.docx"))])
    refused = QDragEnterEvent(pos.toPoint(), Qt.DropAction.CopyAction, other, Qt.MouseButton.NoButton,
                              Qt.KeyboardModifier.NoModifier)
    refused.setAccepted(False)
    window.dragEnterEvent(refused)
    assert not refused.isAccepted()
    with qtbot.waitSignal(window.user_loader.loaded, timeout=20000):
        window.dropEvent(QDropEvent(pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                                    Qt.KeyboardModifier.NoModifier))
    assert len(window.state.user_layers) == 1


def test_a_broken_file_is_a_dialog_and_the_map_is_untouched(qtbot, window, tmp_path, monkeypatch):
    good = make_files(tmp_path)["p.geojson"]
    add_through_menu(qtbot, window, monkeypatch, good)
    before = window.state.user_layers.layers
    bad = tmp_path / "broken.geojson"
    bad.write_bytes(b'{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Point"')
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *a: ([str(bad)], "")))
    with qtbot.waitSignal(window.user_loader.failed, timeout=20000) as failed:
        window.act_add_layer.trigger()
    assert "broken.geojson" in failed.args[0] and "not valid JSON" in failed.args[0]
    box = window.user_loader.error_box
    assert box.isVisible() and "broken.geojson" in box.text()
    assert window.state.user_layers.layers == before
    box.close()


def test_big_file_shows_progress_and_cancel_adds_nothing(qtbot, window, tmp_path):
    import threading

    path = tmp_path / "big.csv"
    rng = np.random.default_rng(1)
    lat, lon = rng.uniform(36, 50, 50_000), rng.uniform(55, 90, 50_000)
    path.write_text("lat,lon\n" + "".join(f"{a:.5f},{b:.5f}\n" for a, b in zip(lat, lon)), encoding="utf-8")
    loader = window.user_loader
    # The worker waits in its first progress report until Cancel has been pressed, so the
    # load cannot finish first.
    reached, release = threading.Event(), threading.Event()
    report = loader._report

    def held(fraction):
        reached.set()
        release.wait(20)
        report(fraction)

    loader._report = held
    loader.add_files([str(path)])
    accept_columns(qtbot, loader)
    qtbot.waitUntil(reached.is_set)
    dlg = loader.progress_dialog
    qtbot.waitUntil(dlg.isVisible)  # shown while the load takes long
    with qtbot.waitSignal(loader.cancelled, timeout=20000) as got:
        dlg.findChild(QPushButton).click()  # the dialog's Cancel button
        release.set()
    assert got.args[0] == str(path)
    assert len(window.state.user_layers) == 0 and loader.job is None


def test_layers_dock_hides_reorders_styles_and_removes(qtbot, window, tmp_path, monkeypatch):
    files = make_files(tmp_path)
    first = add_through_menu(qtbot, window, monkeypatch, files["p.geojson"])
    second = add_through_menu(qtbot, window, monkeypatch, files["p.kml"])
    panel, layers = window.layers.user, window.state.user_layers
    assert panel.layer_ids() == [second, first]  # the top of the list is drawn on top
    panel.list.setCurrentRow(1)
    panel.up_button.click()
    assert [ul.id for ul in layers.layers] == [second, first] and panel.layer_ids() == [first, second]
    item = panel.list.item(0)
    item.setCheckState(Qt.CheckState.Unchecked)
    assert layers.get(first).visible is False
    # Style: colour, size and label field through the dialog.
    panel.list.setCurrentRow(0)
    panel.style_button.click()
    dlg = panel.style_dialog
    dlg.colour = QColor("#00ff00")
    dlg.size.setValue(20)
    dlg.label_field.setCurrentIndex(dlg.label_field.findData("name"))
    dlg.accept()
    st = layers.get(first).spec.style
    assert (st["colour"], st["size"], st["label_field"]) == ("#00ff00", 20.0, "name")
    panel.remove_button.click()
    assert [ul.id for ul in layers.layers] == [second] and panel.layer_ids() == [second]


def test_click_lists_the_features_attributes_as_text(qtbot, window, tmp_path, monkeypatch):
    lid = add_through_menu(qtbot, window, monkeypatch, make_files(tmp_path)["p.geojson"])
    view = window.view
    x, y = view.viewport.to_screen(*project(*SPOT))
    with qtbot.waitSignal(window.details.shown, timeout=5000) as shown:
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=QPoint(round(x), round(y)))
    assert shown.args[0] == Selection("user", f"{lid}:0")
    text = window.details.plain_text()
    assert "spot" in text and "<b>bold?</b>" in text  # the markup shown as typed, not rendered
    # Removing the layer clears the selection it owned.
    window.state.user_layers.remove(lid)
    assert window.state.selection is None


def test_the_window_draws_the_layer(qtbot, window, tmp_path, monkeypatch):
    lid = add_through_menu(qtbot, window, monkeypatch, make_files(tmp_path)["p.geojson"])
    layers = window.state.user_layers
    layers.update_spec(lid, layers.get(lid).spec.with_style(colour="#ff00ff", size=16))
    view = window.view
    with qtbot.waitSignal(view.viewSettled, timeout=20000):
        view.update()
    img = view.grab().toImage()
    dpr = img.devicePixelRatio()
    x, y = view.viewport.to_screen(*project(*SPOT))
    # The 16 px disc, but for where the map's own labels (drawn above user layers) cross it.
    cx, cy = round(x * dpr), round(y * dpr)
    r = round(7 * dpr)
    disc = [QColor(img.pixel(cx + dx, cy + dy)).name() for dx in range(-r, r + 1) for dy in range(-r, r + 1)
            if dx * dx + dy * dy <= r * r]
    assert disc.count("#ff00ff") > 0.4 * len(disc)


def test_export_dialog_includes_user_layers(qtbot, window, tmp_path, monkeypatch):
    add_through_menu(qtbot, window, monkeypatch, make_files(tmp_path)["p.kml"])
    window.open_export_dialog()
    dlg = window._export_dialog
    assert dlg.spec().user_layers == window.state.user_layers.layers
    dlg.close()
    QApplication.processEvents()
