"""The measure chooser in the layers dock, driven with qtbot: the map on screen and its legend
follow the measure and the year, the user's breaks are checked, a broken measures file is a
dialog, and the measure is kept in the settings and the project file."""

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor

from silkmap.core import measures
from silkmap.core.classify import Classification
from silkmap.render import choropleth as ch
from conftest import window_with_saved
from test_choropleth import full_year, mixed_year
from test_window import clickable_point


def pick(combo, value) -> None:
    """Choose ``value`` in a combo box with the keyboard, as a user would."""
    combo.setFocus()
    combo.setCurrentIndex(combo.findData(value))


def pixel(view, pos) -> str:
    return QColor(view.grab().toImage().pixel(pos)).name()


def test_choosing_a_measure_colours_the_map_and_fills_the_legend(qtbot, window):
    view, chooser, layers = window.view, window.layers.measure, window.layers
    y = full_year(window.atlas)
    window.state.set_year(y)
    view.settle()
    assert chooser.scheme.isHidden() and chooser.breaks.isHidden()  # the level has no classes
    pos = clickable_point(view, "KAZ")
    with qtbot.waitSignal(view.viewSettled, timeout=10_000):
        pick(chooser.measure, "trade")
        pick(chooser.scheme, "natural")
    assert window.state.measure == "trade" and window.state.classification.scheme == "natural"
    assert chooser.scheme.isVisible() and chooser.k.isVisible() and chooser.fixed.isChecked()
    mc = view.renderer.map_classes("trade", window.state.classification, y)
    assert pixel(view, pos) == ch.class_colours(mc)[mc.of["KAZ"]].name()
    shown = [lab.text() for _icon, lab in layers.country_labels if not lab.isHidden()]
    assert shown == ch.range_labels(mc) + ["No data", "China"]
    assert layers.fills_title.text() == f"Trade with China · US$ bn · {y}"
    assert "Sources: " in layers.fills_notes.text()
    with qtbot.waitSignal(view.viewSettled, timeout=10_000):
        chooser.k.setValue(3)
    assert window.state.classification.k == 3
    assert len([lab for _i, lab in layers.country_labels if not lab.isHidden()]) == 3 + 2


def test_a_year_step_repaints_the_classes_and_hatches_a_gap(qtbot, window):
    view = window.view
    atlas = window.atlas
    window.state.set_measure("trade", Classification("natural", 5))
    window.state.set_year(full_year(atlas))
    view.settle()
    y = mixed_year(atlas)
    gap = next(iso for iso, v in measures.values(atlas, "trade", y).items() if v.value is None)
    pos = clickable_point(view, gap)
    before = pixel(view, pos)
    with qtbot.waitSignal(view.viewSettled, timeout=10_000):
        window.state.set_year(y)
    assert before != pixel(view, pos)
    img = view.grab().toImage()
    around = {QColor(img.pixel(pos.x() + dx, pos.y() + dy)).name() for dx in range(-6, 7) for dy in range(-6, 7)}
    # hatched (relief shades both a little): pale ground and darker lines, no class colour
    mc = view.renderer.map_classes("trade", window.state.classification, y)
    assert not around & {c.name() for c in ch.class_colours(mc)}
    light = sorted(QColor(c).lightnessF() for c in around)
    assert light[-1] - light[0] > 0.12
    assert window.layers.fills_title.text().endswith(str(y))


def test_your_breaks_are_checked_where_you_type_them(qtbot, window):
    chooser = window.layers.measure
    pick(chooser.measure, "trade")
    before = window.state.classification
    pick(chooser.scheme, "user")
    assert chooser.breaks.isVisible() and not chooser.k.isEnabled()
    assert window.state.classification == before  # no breaks yet: the classes stay
    chooser.breaks.setFocus()
    qtbot.keyClicks(chooser.breaks, "5, 1")
    qtbot.keyClick(chooser.breaks, Qt.Key.Key_Return)
    assert chooser.problem.isVisible() and "breaks must increase: 5 is followed by 1" in chooser.problem.text()
    assert window.state.classification == before
    chooser.breaks.clear()
    qtbot.keyClicks(chooser.breaks, "2, 10, 30")
    with qtbot.waitSignal(window.state.measure_changed, timeout=2000):
        qtbot.keyClick(chooser.breaks, Qt.Key.Key_Return)
    assert window.state.classification.scheme == "user"
    assert window.state.classification.breaks == (2.0, 10.0, 30.0)
    assert not chooser.problem.isVisible()


def test_a_broken_measures_file_is_a_dialog_and_the_map_keeps_its_levels(qtbot, window, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from silkmap.core.errors import DataError

    def broken(_atlas):
        raise DataError("measures.json", "is not valid JSON")

    monkeypatch.setattr(measures, "inputs", broken)
    chooser = window.layers.measure
    with qtbot.waitSignal(chooser.failed, timeout=2000) as failed:
        pick(chooser.measure, "share")
    assert "measures.json" in failed.args[0]
    assert window.state.measure == "level"
    assert chooser.measure.currentData() == "level"
    boxes = [w for w in window.findChildren(QMessageBox) if w.isVisible()]
    assert boxes and "could not be loaded" in boxes[-1].text()


def test_the_measure_is_saved_and_restored_after_the_first_paint(qtbot, atlas, tmp_path):
    from silkmap.ui.main_window import MainWindow

    path = str(tmp_path / "silkmap.ini")
    w = MainWindow(atlas, settings=QSettings(path, QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    c = Classification("equal", 4, (), False)
    w.state.set_measure("bri_projects", c)
    w.close()
    again = MainWindow(atlas, settings=QSettings(path, QSettings.Format.IniFormat))
    qtbot.addWidget(again)
    assert again.state.measure == "level"  # not during start-up
    again.show()
    qtbot.waitUntil(lambda: again.state.measure == "bri_projects", timeout=10_000)
    assert again.state.classification == c
    assert again.layers.measure.measure.currentData() == "bri_projects"
    assert again.view.render_options().measure == "bri_projects"


def test_a_bad_saved_measure_is_ignored(qtbot, atlas, tmp_path, monkeypatch):
    from silkmap.ui import measure_panel

    restored = []
    real = measure_panel.restore_measure

    def restore_measure(settings, state):
        real(settings, state)
        restored.append(state.measure)

    monkeypatch.setattr(measure_panel, "restore_measure", restore_measure)
    for bad in ('{"id": "gdp"}', "{", '{"id": "trade", "classes": 99}', "[]", "9" * 5000):
        restored.clear()
        w = window_with_saved(qtbot, atlas, tmp_path / "s.ini", "measure", bad)
        w.show()
        # The restore is queued after the first paint: it has run, and kept the default.
        qtbot.waitUntil(lambda: bool(restored), timeout=10_000)
        assert restored == ["level"] and w.state.measure == "level"
        w.close()


def test_the_project_file_keeps_the_measure(qtbot, window, tmp_path):
    from silkmap.core import project as pj

    c = Classification("quantiles", 3, (), True)
    window.projects.path = tmp_path / "m.silkmap"  # an open project: a change asks to be saved
    window.state.set_measure("trade", c)
    assert window.projects.modified
    saved = pj.dumps(window.projects.current())
    window.state.set_measure("level")
    window.projects.apply(pj.loads(saved))
    assert (window.state.measure, window.state.classification) == ("trade", c)
    assert window.layers.measure.measure.currentData() == "trade"
