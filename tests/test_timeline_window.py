"""The timeline in the window (issue 11): the year slider driven with qtbot, play, the events
strip, the map and panel as of the year, and the year kept in the settings."""

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor

from silkmap.core import timeline
from silkmap.core.state import Selection
from silkmap.render.year_style import level_fill
from silkmap.ui import timeline_bar
from silkmap.core.timeline import STOPS
from silkmap.ui.saved_window import saved_year
from conftest import window_with_saved
from test_window import clickable_point, route_point


def test_the_window_opens_on_the_latest_year(window):
    assert window.state.year == timeline.LAST_YEAR
    assert window.timeline.slider.value() == len(STOPS) - 1
    assert window.timeline.year_label.text() == str(timeline.LAST_YEAR)


def test_keys_on_the_slider_step_years_and_reach_the_era(qtbot, window):
    bar = window.timeline
    bar.slider.setFocus()
    qtbot.keyClick(bar.slider, Qt.Key.Key_Left)
    assert window.state.year == timeline.LAST_YEAR - 1
    qtbot.keyClick(bar.slider, Qt.Key.Key_PageDown)
    assert window.state.year == timeline.LAST_YEAR - 6
    qtbot.keyClick(bar.slider, Qt.Key.Key_Right)
    assert window.state.year == timeline.LAST_YEAR - 5
    qtbot.keyClick(bar.slider, Qt.Key.Key_Home)
    assert window.state.year == timeline.SILK_ROAD_ERA
    assert bar.year_label.text() == "Silk Road era"
    assert not bar.back.isEnabled()
    qtbot.keyClick(bar.slider, Qt.Key.Key_Right)
    assert window.state.year == timeline.FIRST_YEAR
    qtbot.keyClick(bar.slider, Qt.Key.Key_End)
    assert window.state.year == timeline.LAST_YEAR
    assert not bar.forward.isEnabled()


def test_the_window_shortcuts_and_buttons_step_too(qtbot, window):
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_BracketLeft)
    assert window.state.year == timeline.LAST_YEAR - 1
    qtbot.mouseClick(window.timeline.back, Qt.MouseButton.LeftButton)
    assert window.state.year == timeline.LAST_YEAR - 2
    qtbot.mouseClick(window.timeline.forward, Qt.MouseButton.LeftButton)
    qtbot.keyClick(window.view, Qt.Key.Key_BracketRight)
    assert window.state.year == timeline.LAST_YEAR


def test_play_emits_a_step_per_tick_and_stops_at_the_last_year(qtbot, window, monkeypatch):
    bar = window.timeline
    bar._timer.setInterval(5)
    window.state.set_year(timeline.LAST_YEAR - 3)
    steps = []
    bar.stepped.connect(steps.append)
    bar.slider.setFocus()
    with qtbot.waitSignal(bar.playingChanged, timeout=3000) as started:
        qtbot.keyClick(bar.slider, Qt.Key.Key_Space)
    assert started.args == [True] and bar.playing()
    with qtbot.waitSignal(bar.playingChanged, timeout=5000) as stopped:
        pass
    assert stopped.args == [False]
    assert steps == [timeline.LAST_YEAR - 2, timeline.LAST_YEAR - 1, timeline.LAST_YEAR]
    assert window.state.year == timeline.LAST_YEAR


def test_play_at_the_end_starts_from_the_first_year_and_pauses(qtbot, window):
    bar = window.timeline
    bar._timer.setInterval(10_000)
    qtbot.mouseClick(bar.play, Qt.MouseButton.LeftButton)
    assert bar.playing() and window.state.year == timeline.FIRST_YEAR
    assert bar.play.accessibleName() == "Pause"
    qtbot.mouseClick(bar.play, Qt.MouseButton.LeftButton)
    assert not bar.playing() and bar.play.accessibleName() == "Play"


def test_the_year_is_saved_and_restored(qtbot, atlas, tmp_path):
    from silkmap.ui.main_window import MainWindow

    path = str(tmp_path / "silkmap.ini")
    w = MainWindow(atlas, settings=QSettings(path, QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.timeline.slider.setValue(STOPS.index(2009))
    w.close()
    assert QSettings(path, QSettings.Format.IniFormat).value("year") in (2009, "2009")
    again = MainWindow(atlas, settings=QSettings(path, QSettings.Format.IniFormat))
    qtbot.addWidget(again)
    assert again.state.year == 2009
    assert again.timeline.slider.value() == STOPS.index(2009)
    assert again.view.render_options().year == 2009


def test_a_bad_saved_year_is_ignored(qtbot, atlas, tmp_path):
    for bad in ("1800", "abc", "9" * 5000, "", "2010.5", True):
        assert saved_year(bad) is None
        w = window_with_saved(qtbot, atlas, tmp_path / "s.ini", "year", bad)
        assert w.state.year == timeline.LAST_YEAR
    assert saved_year("2010") == 2010 and saved_year(0) == timeline.SILK_ROAD_ERA


def assert_kazakhstan_follows_the_year(qtbot, window):
    """Kazakhstan's fill on screen is its level today, then its level of 2004 after a year step."""
    view = window.view
    # The fills alone: the relief lands on a worker after the first frame and shades them (on
    # a busy machine it came between the two looks).
    window.state.set_layer("relief", False)
    view.settle()
    pos = clickable_point(view, "KAZ")
    assert QColor(view.grab().toImage().pixel(pos)).name() == level_fill("upgraded").name()
    with qtbot.waitSignal(view.viewSettled, timeout=10_000):
        window.state.set_year(2004)
    assert QColor(view.grab().toImage().pixel(pos)).name() == level_fill("relations").name()


def test_the_map_on_screen_follows_the_year(qtbot, window):
    assert_kazakhstan_follows_the_year(qtbot, window)


def test_a_route_not_yet_agreed_cannot_be_picked(qtbot, window):
    view = window.view
    view.settle()
    pos = route_point(view, "oil-kz-cn")  # a line clear of the others
    assert view.pick(pos) == Selection("route", "oil-kz-cn")
    assert timeline.as_of(window.atlas, 2003).route_status["oil-kz-cn"] is None  # built from 2004
    window.state.set_year(2003)
    hit = view.pick(pos)
    assert hit is None or hit.kind == "country"


def test_an_events_entry_opens_its_panel_in_its_year(qtbot, window):
    bar = window.timeline
    qtbot.waitUntil(lambda: bar.events.count() > 0, timeout=5000)
    assert bar.events.count() == len(timeline.events(window.atlas))
    i = next(i for i in range(bar.events.count())
             if bar.events.item(i).data(Qt.ItemDataRole.UserRole).opens == "gas-abc"
             and bar.events.item(i).data(Qt.ItemDataRole.UserRole).status == "open")
    item = bar.events.item(i)
    rect = bar.events.visualItemRect(item)
    bar.events.scrollToItem(item)
    qtbot.mouseClick(bar.events.viewport(), Qt.MouseButton.LeftButton, pos=bar.events.visualItemRect(item).center())
    assert rect.isValid()
    assert window.state.selection == Selection("route", "gas-abc")
    assert window.state.year == 2009
    assert window.details_dock.isVisible()
    text = window.details.plain_text()
    assert "As of 2009: Opened (2009-12)" in text
    # The year's entries are the bold ones.
    bold = {bar.events.item(k).data(Qt.ItemDataRole.UserRole).year for k in range(bar.events.count())
            if bar.events.item(k).font().bold()}
    assert bold == {2009}


def test_the_panel_follows_the_year(qtbot, window):
    window.state.select(Selection("country", "KAZ"))
    window.state.set_year(2006)
    qtbot.waitUntil(lambda: "As of 2006" in window.details.plain_text(), timeout=10_000)
    assert "Strategic partnership" in window.details.plain_text().split("As of 2006", 1)[1][:120]
    window.state.set_year(timeline.SILK_ROAD_ERA)
    qtbot.waitUntil(lambda: "As of" not in window.details.plain_text(), timeout=10_000)


def test_the_trade_chart_marks_the_year(qapp, atlas):
    from silkmap.charts.trade_years import trade_years_chart

    fig = trade_years_chart(atlas, "KAZ", 2023, lang="en")
    ax = fig.axes[0]
    marked = [b for b in ax.patches if b.get_linewidth() > 1.0]
    assert len(marked) == 1 and round(marked[0].get_x() + marked[0].get_width() / 2) == 2023
    assert [t.get_text() for t in ax.texts] == ["US$41 billion"]
    # A year without a sourced figure is an empty slot, never a bar.
    years = {round(b.get_x() + b.get_width() / 2) for b in ax.patches}
    gaps = {y for y, f in timeline.trade_figures(atlas, "KAZ") if f is None}
    assert not years & gaps


def test_the_legend_panel_keys_the_levels_and_drops_them_in_the_era(qtbot, window):
    layers = window.layers
    shown = [lab.text() for _icon, lab in layers.country_labels if not lab.isHidden()]
    assert shown == [m for _i, m in timeline.LEVELS] + ["China"]
    window.state.set_year(timeline.SILK_ROAD_ERA)
    shown = [lab.text() for _icon, lab in layers.country_labels if not lab.isHidden()]
    assert shown == ["Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan", "China"]


def test_the_year_text_is_translated(qtbot, window):
    from silkmap import i18n

    window.state.set_year(timeline.SILK_ROAD_ERA)
    i18n.set_language("zh-Hans")
    assert window.timeline.year_label.text() not in ("", "Silk Road era")
    assert timeline_bar.year_text(2001) == "2001"


def test_the_window_exports_the_year_it_shows(qtbot, window, tmp_path):
    from PySide6.QtGui import QImage

    from silkmap.ui.export_dialog import ExportDialog

    window.state.set_year(2005)
    dlg = ExportDialog(window, window.view, window.atlas, window.state)
    qtbot.addWidget(dlg)
    dlg.quiet = True
    dlg.path_edit.setText(str(tmp_path / "view.png"))
    with qtbot.waitSignal(dlg.exported, timeout=60000) as sig:
        dlg.start()
    assert QImage(sig.args[0]).text("Source").startswith("The map as of 2005.")


def test_the_tooltip_says_the_status_in_the_year_shown(qtbot, window):
    view = window.view
    today = view.describe(Selection("route", "road-wewc"))
    window.state.set_year(2012)
    assert view.describe(Selection("route", "road-wewc")).endswith("Construction started")
    window.state.set_year(timeline.LAST_YEAR)
    assert view.describe(Selection("route", "road-wewc")) == today


def test_a_year_step_with_a_user_layer_shown_repaints_the_year(qtbot, window, tmp_path):
    """The frame key holds the user layers and the year; a year step's partial repaint
    compares everything but the year, so it must still find the year where it looks."""
    import json

    from silkmap.core.user_layers.layer import make_layer
    from silkmap.core.user_layers.load import load
    from silkmap.core.user_layers.spec import UserLayerSpec

    path = tmp_path / "spot.geojson"
    path.write_text(json.dumps({"type": "Feature", "properties": {"name": "spot"},
                                "geometry": {"type": "Point", "coordinates": [100.0, 35.0]}}), encoding="utf-8")
    window.state.user_layers.add(make_layer(UserLayerSpec(str(path), {"colour": "#ff00ff"}), load(path)))
    assert_kazakhstan_follows_the_year(qtbot, window)
