"""The data table dock driven with qtbot: it follows the map's year and measure, sorts from the
keyboard with the gaps last, copies tab-separated text, speaks every cell, links cells to
their sources and opens the row's country; the mirror statistics in the table and the panel;
File → Export data."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from silkmap.core import data_rows, measures
from silkmap.core.facts import FOCUS
from silkmap.core.signals import Signal
from silkmap.core.timeline import FIRST_YEAR, LAST_YEAR, SILK_ROAD_ERA

ACCESSIBLE = Qt.ItemDataRole.AccessibleTextRole


@pytest.fixture
def table(qtbot, window):
    t = window.data_dock.open_table()
    qtbot.waitUntil(lambda: t.isVisible())
    return t


def column(t, cid):
    return [c.id for c in t.model.table.columns].index(cid)


def cell_text(t, row, cid):
    return t.model.data(t.model.index(row, column(t, cid)))


def press(qtbot, widget, key, mod=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(widget, key, mod)


def test_the_view_menu_opens_the_dock_and_builds_the_table_only_then(qtbot, window):
    dock = window.data_dock
    assert not dock.isVisible() and dock.table is None
    assert window.act_data_table in window.menu_view.actions()
    window.act_data_table.trigger()
    qtbot.waitUntil(lambda: dock.table is not None and dock.table.isVisible())
    assert dock.table.model.rowCount() == len(FOCUS)


def test_shown_before_the_first_paint_it_waits(qtbot, atlas, settings):
    from silkmap.ui.data_dock import DataDock
    from silkmap.core.state import MapState

    dock = DataDock(atlas, MapState())
    qtbot.addWidget(dock)
    dock.show()
    assert dock.table is None  # the measures are read after the first paint, not before
    dock.ready()
    assert dock.table is not None and dock.table.model.rowCount() == len(FOCUS)


def test_rows_hold_the_measures_of_the_maps_year_and_follow_it(qtbot, window, table, atlas):
    for year in (2024, 2022, 2011):
        window.state.set_year(year)
        trade = measures.values(atlas, "trade", year)
        level = measures.values(atlas, "level", year)
        for r in range(table.model.rowCount()):
            iso3 = table.model.key(r)
            v = trade[iso3]
            assert cell_text(table, r, "trade") == (data_rows.NO_DATA if v.value is None else data_rows.number("trade", v.value))
            assert cell_text(table, r, "level") == data_rows.level_name(level[iso3].value)
        assert table.caption.text() == str(year)
    window.state.set_year(SILK_ROAD_ERA)
    assert all(cell_text(table, r, "trade") == data_rows.NO_DATA for r in range(5))
    assert "Silk Road era" in table.caption.text()


def test_keyboard_sorts_by_the_current_column_with_gaps_last(qtbot, window, table, atlas):
    window.state.set_year(2024)
    view = table.view
    view.setFocus()
    col = column(table, "partner_trade")
    view.setCurrentIndex(table.model.index(0, col))
    partner = {iso3: measures.mirror(atlas, iso3, 2024).partner.value for iso3 in FOCUS}
    known = sorted((v, k) for k, v in partner.items() if v is not None)
    assert known and len(known) < 5  # some gaps: they must stay last
    press(qtbot, view, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    keys = [table.model.key(r) for r in range(5)]
    assert keys[:len(known)] == [k for _v, k in reversed(known)]
    assert all(partner[k] is None for k in keys[len(known):])
    assert view.horizontalHeader().sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    press(qtbot, view, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    keys = [table.model.key(r) for r in range(5)]
    assert keys[:len(known)] == [k for _v, k in known]
    assert all(partner[k] is None for k in keys[len(known):])
    # the order survives a year step
    window.state.set_year(2023)
    assert table.model.sort_column == col and not table.model.descending


def test_ctrl_c_copies_the_selection_as_tab_separated_text(qtbot, window, table, atlas):
    window.state.set_year(2024)
    view = table.view
    view.setFocus()
    c_trade, c_level = column(table, "trade"), column(table, "level")
    sel = view.selectionModel()
    from PySide6.QtCore import QItemSelection, QItemSelectionModel

    sel.select(QItemSelection(table.model.index(0, 0), table.model.index(1, c_trade)),
               QItemSelectionModel.SelectionFlag.ClearAndSelect)
    press(qtbot, view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    lines = QGuiApplication.clipboard().text().splitlines()
    assert len(lines) == 3
    head = lines[0].split("\t")
    assert head[0] == "Country" and head[-1] == "Trade with China (US$ bn)"
    trade = measures.values(atlas, "trade", 2024)
    for line, r in zip(lines[1:], range(2)):
        cells = line.split("\t")
        iso3 = table.model.key(r)
        assert cells[0] == atlas.profiles[iso3].name["en"]
        assert float(cells[-1]) == pytest.approx(trade[iso3].value, abs=0.005)
        assert "," not in cells[-1]  # no grouping: spreadsheets read it as a number
    sel.select(table.model.index(2, c_level), QItemSelectionModel.SelectionFlag.ClearAndSelect)
    press(qtbot, view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == f"Partnership level\n{cell_text(table, 2, 'level')}\n"


def test_every_cell_speaks_its_row_column_value_and_sources(qtbot, window, table, atlas):
    window.state.set_year(2024)
    assert table.view.accessibleName() == "Data table"
    assert table.mode.accessibleName() and table.country.accessibleName()
    assert "Ctrl+C" in table.view.accessibleDescription()
    r = table.model.row_of("KAZ")
    v = measures.values(atlas, "trade", 2024)["KAZ"]
    said = table.model.data(table.model.index(r, column(table, "trade")), ACCESSIBLE)
    assert said.startswith("Kazakhstan, Trade with China (US$ bn): ")
    assert data_rows.number("trade", v.value) in said and "US$ bn" in said
    assert all(s in said for s in v.sources)
    gap = next(i for i in range(5) if cell_text(table, i, "exports") == data_rows.NO_DATA) if any(
        cell_text(table, i, "exports") == data_rows.NO_DATA for i in range(5)) else None
    if gap is not None:
        assert "no data" in table.model.data(table.model.index(gap, column(table, "exports")), ACCESSIBLE)
    header = table.model.headerData(column(table, "trade"), Qt.Orientation.Horizontal, ACCESSIBLE)
    assert header == "Trade with China (US$ bn)"


def test_a_cells_tooltip_cites_its_sources(qtbot, window, table, atlas):
    window.state.set_year(2024)
    r = table.model.row_of("KGZ")
    v = measures.values(atlas, "trade", 2024)["KGZ"]
    tip = table.model.data(table.model.index(r, column(table, "trade")), Qt.ItemDataRole.ToolTipRole)
    for sid in v.sources:
        assert f"[{sid}] {atlas.sources[sid].citation()}" in tip
    sources = cell_text(table, r, "sources").split(", ")
    assert set(v.sources) <= set(sources)


def test_enter_opens_the_country_and_its_source_in_the_panel(qtbot, window, table, atlas):
    window.state.set_year(2024)
    view = table.view
    view.setFocus()
    r = table.model.row_of("TJK")
    view.setCurrentIndex(table.model.index(r, column(table, "trade")))
    with qtbot.waitSignal(table.sourceRequested) as got:
        press(qtbot, view, Qt.Key.Key_Return)
    assert window.state.selection.kind == "country" and window.state.selection.id == "TJK"
    qtbot.waitUntil(window.details_dock.isVisible)
    assert got.args[0] == measures.values(atlas, "trade", 2024)["TJK"].sources[0]
    assert got.args[0] in window.details.cited


def test_one_country_across_the_years_marks_and_sets_the_maps_year(qtbot, window, table, atlas):
    window.state.set_year(2022)
    table.show_country("KAZ")
    assert table.model.rowCount() == LAST_YEAR - FIRST_YEAR + 1
    series = measures.series(atlas, "trade", "KAZ")
    for r in range(table.model.rowCount()):
        year = table.model.key(r)
        v = series[year - FIRST_YEAR]
        assert cell_text(table, r, "trade") == (data_rows.NO_DATA if v.value is None else data_rows.number("trade", v.value))
    row22 = table.model.row_of(2022)
    font = table.model.data(table.model.index(row22, 0), Qt.ItemDataRole.FontRole)
    assert font is not None and font.bold()
    view = table.view
    view.setFocus()
    view.setCurrentIndex(table.model.index(table.model.row_of(2015), 1))
    press(qtbot, view, Qt.Key.Key_Return)
    assert window.state.year == 2015 and window.state.selection.id == "KAZ"
    # selecting another of the five on the map switches the table to it
    from silkmap.core.state import Selection

    window.state.select(Selection("country", "UZB"))
    assert table.country.currentData() == "UZB" and table.caption.text() == "Uzbekistan"


def test_the_column_of_the_maps_measure_is_marked_and_follows_it(qtbot, window):
    state = window.state
    if not hasattr(state, "set_measure"):  # the choropleth's MapState, until it is merged
        state.measure = "level"
        state.measure_changed = Signal()

        def set_measure(mid):
            state.measure = mid
            state.measure_changed.emit(mid, None)

        state.set_measure = set_measure
    t = window.data_dock.open_table()
    header = t.model.headerData
    bold = lambda cid: (header(column(t, cid), Qt.Orientation.Horizontal, Qt.ItemDataRole.FontRole) or
                        t.font()).bold()
    assert bold("level") and not bold("trade")
    state.set_measure("trade")
    assert bold("trade") and not bold("level")
    tip = header(column(t, "trade"), Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "Shown on the map" in tip
    # the map's measure stands next to the country's name, which stays in sight; a copy follows the view
    state.set_measure("share")
    visual = t.view.horizontalHeader().visualIndex
    assert visual(0) == 0 and visual(column(t, "share")) == 1 and visual(column(t, "trade")) == 2
    assert t.view.horizontalScrollBar().value() == 0
    from PySide6.QtCore import QItemSelection, QItemSelectionModel

    t.view.selectionModel().select(QItemSelection(t.model.index(0, 0), t.model.index(0, column(t, "trade"))),
                                   QItemSelectionModel.SelectionFlag.ClearAndSelect)
    t.view.selectionModel().select(t.model.index(0, column(t, "share")), QItemSelectionModel.SelectionFlag.Select)
    t.view.copy()
    head = QGuiApplication.clipboard().text().splitlines()[0].split("\t")
    assert head == ["Country", "China's share of its foreign trade (%)", "Trade with China (US$ bn)"]


def test_mirror_statistics_in_the_table_and_the_panel(qtbot, window, table, atlas):
    found = None
    for year in range(LAST_YEAR, FIRST_YEAR - 1, -1):
        for iso3 in FOCUS:
            m = measures.mirror(atlas, iso3, year)
            if m.gap_pct is not None:
                found = (iso3, year, m)
                break
        if found:
            break
    assert found, "no year with both counts"
    iso3, year, m = found
    window.state.set_year(year)
    r = table.model.row_of(iso3)
    assert cell_text(table, r, "partner_trade") == data_rows.number("partner_trade", m.partner.value)
    gap = cell_text(table, r, "gap")
    assert gap.startswith(data_rows.number("gap", m.gap_pct)) and gap.endswith("†") != m.comparable
    from silkmap.core.state import Selection

    window.state.select(Selection("country", iso3))
    qtbot.waitUntil(lambda: "Mirror statistics" in window.details.plain_text())
    text = window.details.plain_text()
    assert f"Mirror statistics, {year}" in text and "China customs (shown on the map)" in text
    assert data_rows.number("gap", m.gap_pct) + " %" in text
    assert all(s in window.details.cited for s in m.partner.sources)
    if not m.comparable:
        assert "not comparable" in text


def test_the_table_speaks_chinese(qtbot, window, table):
    from silkmap import i18n

    i18n.set_language("zh-Hant")
    head = table.model.headerData(0, Qt.Orientation.Horizontal, ACCESSIBLE)
    assert head != "Country" and table.view.accessibleName() != "Data table"
    assert table.model.data(table.model.index(0, 0)) == "哈薩克斯坦"


def test_file_export_data_writes_the_folder(qtbot, window, tmp_path, monkeypatch):
    from silkmap.core.export_data import FILES
    from silkmap.ui.data_export import DataExporter

    assert window.act_export_data in window.menu_file.actions()
    monkeypatch.setattr(DataExporter, "ask_folder", lambda self: str(tmp_path))
    (tmp_path / "sources.csv").write_text("old")
    asked = []
    monkeypatch.setattr(DataExporter, "ask_replace", lambda self, folder, names: asked.append(names) or True)
    exporter = window.data_exporter = DataExporter(window)
    with qtbot.waitSignal(exporter.done, timeout=30000) as got:
        window.act_export_data.trigger()
    assert got.args == [str(tmp_path), ""]
    assert asked == [["sources.csv"]]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(FILES)
    assert "Data written" in window.statusBar().currentMessage()


def test_file_export_data_into_a_bad_folder_says_so_and_the_window_stays(qtbot, window, tmp_path, monkeypatch):
    from silkmap.ui.data_export import DataExporter

    (tmp_path / "a-file").write_text("x")
    monkeypatch.setattr(DataExporter, "ask_folder", lambda self: str(tmp_path / "a-file" / "data"))
    window.data_exporter = DataExporter(window)
    with qtbot.waitSignal(window.data_exporter.done, timeout=30000):
        window.export_data()
    qtbot.waitUntil(lambda: any(isinstance(w, QMessageBox) and w.objectName() == "export-data-error" and w.isVisible()
                                for w in QApplication.topLevelWidgets()))
    assert "cannot write" in window.data_exporter.last_error
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]
    assert window.isVisible()
