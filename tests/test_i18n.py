"""English, 简体中文 and 繁體中文: catalogs, numbers, fonts, no English leaks, live switching."""

import importlib.util
import json
import os
import re
import struct
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

from silkmap import i18n
from silkmap.core.state import Selection
from silkmap.i18n import po
from silkmap.i18n.fontfiles import FONT_DIR, FONTS

ROOT = Path(__file__).resolve().parents[1]
FOCUS = ("KAZ", "KGZ", "TJK", "TKM", "UZB", "CHN")
CHINESE = ("zh-Hans", "zh-Hant")


@pytest.fixture(scope="module")
def tools_i18n():
    spec = importlib.util.spec_from_file_location("silkmap_tools_i18n", ROOT / "tools" / "i18n.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# ---------------------------------------------------------------------- the .po mechanism
SAMPLE = r'''# Test catalog.
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=1; plural=0;\n"

#. Translators: a comment
#: src/x.py:1
#, python-brace-format
msgid "Hello {name}"
msgstr "你好，{name}"

msgctxt "menu"
msgid "File"
msgstr "文件"

#, fuzzy
msgid "Guess"
msgstr "猜的"

msgid ""
"two "
"lines\n"
"and \"quotes\""
msgstr "两行\n和“引号”\t\\"

msgid "one"
msgid_plural "many"
msgstr[0] "多个"

msgid "empty"
msgstr ""

#~ msgid "gone"
#~ msgstr "已删除"
'''


def test_po_reader_handles_the_format(tmp_path):
    path = tmp_path / "t.po"
    path.write_text(SAMPLE, encoding="utf-8")
    t = po.PoTranslations(path)
    assert t.gettext("Hello {name}") == "你好，{name}"
    assert t.pgettext("menu", "File") == "文件" and t.gettext("File") == "File"
    assert t.gettext("Guess") == "Guess"  # fuzzy: not used
    assert t.gettext('two lines\nand "quotes"') == "两行\n和“引号”\t\\"
    assert t.ngettext("one", "many", 3) == "多个"
    assert t.gettext("empty") == "empty" and t.gettext("gone") == "gone"
    cat = po.read(path)
    assert [e.msgid for e in cat.entries if e.obsolete] == ["gone"]
    assert po.format_catalog(po.parse(po.format_catalog(cat))) == po.format_catalog(cat)


@pytest.mark.parametrize("text,error", [
    ('msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', "duplicate"),
    ('msgid "a\nmsgstr "b"\n', "double quotes"),
    ('msgstr "b"\n', "before msgid"),
    ('msgid "a"\nmsgstr "\\q"\n', "unknown escape"),
    ('msgid "a"\n', "without msgstr"),
    ('"a"\n', "outside an entry"),
    ('msgid "a"\nmsgstr[0] "b"\n', "without msgid_plural"),
    ('msgid "a"\nmsgstr "b" x\n', "double quotes"),
    ('mgsid "a"\nmsgstr "b"\n', "cannot read"),
])
def test_po_reader_is_strict(text, error):
    with pytest.raises(po.PoError, match=error):
        po.parse(text, "bad.po")


def test_merge_keeps_translations_and_flags_new_and_obsolete(tools_i18n):
    pot = po.Catalog([po.Entry(""), po.Entry("Keep"), po.Entry("Brand new"), po.Entry("Export the map…")])
    old = po.Catalog([po.Entry("", msgstr="Language: zh_Hans\n"), po.Entry("Keep", msgstr="保留"),
                      po.Entry("Export map…", msgstr="导出地图…"), po.Entry("Gone", msgstr="消失")])
    merged, report = tools_i18n.merge(pot, old)
    by_id = {e.msgid: e for e in merged.entries}
    assert by_id["Keep"].msgstr == "保留" and not by_id["Keep"].fuzzy
    assert by_id["Brand new"].msgstr == "" and report["new"] == ["Brand new"]
    assert by_id["Export the map…"].fuzzy and by_id["Export the map…"].msgstr == "导出地图…"
    assert by_id["Gone"].obsolete and "Gone" in report["obsolete"]
    assert merged.header.msgstr == "Language: zh_Hans\n"


def test_every_message_is_translated_in_both_catalogs(tools_i18n):
    """The template is current, and every message has a reviewed translation with the same
    placeholders (and an & accelerator where the English has one) in zh_Hans and zh_Hant."""
    assert tools_i18n.problems() == []
    messages = tools_i18n.extract()
    assert len(messages) > 150
    for folder in ("zh_Hans", "zh_Hant"):
        catalog = {e.msgid: e for e in po.read(tools_i18n.catalog_path(folder)).messages()}
        for m in messages:
            e = catalog[m.msgid]
            assert e.msgstr.strip() and not e.fuzzy, (folder, m.msgid)
            assert tools_i18n.placeholders(e.msgstr) == tools_i18n.placeholders(m.msgid), (folder, m.msgid)


def test_catalogs_are_read_from_the_po_files():
    assert not list((ROOT / "src" / "silkmap" / "i18n" / "locale").rglob("*.mo"))
    assert i18n._("&File", "zh-Hans") == "文件(&F)" and i18n._("&File", "zh-Hant") == "文件(&F)"
    assert i18n._("Partnership with China", "zh-Hant") == "與中國的夥伴關係"
    assert i18n._("Partnership with China", "en") == "Partnership with China"
    i18n.set_language("zh-Hans")
    assert i18n._("Legend") == "图例"


def test_every_code_in_the_data_has_a_display_name(atlas):
    from silkmap.i18n import labels as L

    projects = [pr for p in atlas.profiles.values() for pr in p.projects]
    assert {k for pr in projects for k in pr.figures} <= set(L.PROJECT_FIGURE)
    assert set(atlas.region.hub.figures) | set(atlas.region.hub.dates) <= set(L.HUB_FIGURE)
    assert {pr.status for pr in projects} <= set(L.PROJECT_STATUS)
    assert {r.kind for r in atlas.routes.values()} <= set(L.ROUTE_KIND)
    assert {r.status for r in atlas.routes.values()} <= set(L.ROUTE_STATUS)


# ---------------------------------------------------------------------- numbers and dates
@pytest.mark.parametrize("lang,expected", [
    ("en", ["US$70.2 billion", "US$14.6 billion", "US$63.9 billion", "US$460 million", "CNY 674.15 billion",
            "1,833 km", "2,724,900 km²", "20,495,975", "51.8%", "19 May 2023", "18–19 May 2023",
            "43.21° N, 76.95° E", "55 bcm/yr", "20 Mt/yr"]),
    ("zh-Hans", ["702亿美元", "146亿美元", "639亿美元", "4.6亿美元", "6741.5亿元人民币", "1833公里",
                 "272.49万平方公里", "2049.5975万", "51.8%", "2023年5月19日", "2023年5月18日至19日",
                 "北纬43.21°，东经76.95°", "550亿立方米/年", "2000万吨/年"]),
    ("zh-Hant", ["702億美元", "146億美元", "639億美元", "4.6億美元", "6741.5億元人民幣", "1833公里",
                 "272.49萬平方公里", "2049.5975萬", "51.8%", "2023年5月19日", "2023年5月18日至19日",
                 "北緯43.21°，東經76.95°", "550億立方米/年", "2000萬噸/年"]),
])
def test_numbers_read_naturally(lang, expected):
    from silkmap.i18n import numbers as n

    got = [n.usd_bn(70.2, lang), n.usd_bn(14.6, lang), n.usd_bn(63.9, lang), n.usd_m(460, lang),
           n.cny_bn(674.15, lang), n.km(1833, lang), n.km2(2724900, lang), n.integer(20495975, lang),
           n.percent(51.8, lang), n.date("2023-05-19", lang), n.date("2023-05-18/19", lang),
           n.latlon(43.21, 76.95, lang), n.figure_value(55, "bcm/yr", lang), n.figure_value(20, "Mt/yr", lang)]
    assert got == expected


def test_cli_info_in_traditional_chinese(capsys):
    from silkmap.cli import run

    assert run(["info", "KAZ", "--lang", "zh-Hant"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("哈薩克斯坦（KAZ）\n")
    assert "首都：阿斯塔納" in out and "面積：272.49萬平方公里" in out and "2022年：312億美元 [S39]" in out
    assert "與中國的夥伴關係" in out and "上合組織：創始成員國（2001年6月15日起）" in out
    head = out.split("\n資料來源\n")[0]
    assert not re.search(r"[A-Za-z]{4,}", head), head


# ---------------------------------------------------------------------- fonts
def cmap_codepoints(path: Path) -> set[int]:
    """The code points a TrueType/OpenType font maps to a glyph (cmap formats 4 and 12)."""
    data = path.read_bytes()
    (num_tables,) = struct.unpack(">H", data[4:6])
    for i in range(num_tables):
        tag, _checksum, offset, length = struct.unpack(">4sIII", data[12 + 16 * i:28 + 16 * i])
        if tag == b"cmap":
            break
    else:
        raise AssertionError(f"{path.name} has no cmap table")
    cmap = data[offset:offset + length]
    out: set[int] = set()
    (count,) = struct.unpack(">H", cmap[2:4])
    for j in range(count):
        _platform, _encoding, sub = struct.unpack(">HHI", cmap[4 + 8 * j:12 + 8 * j])
        t = cmap[sub:]
        (fmt,) = struct.unpack(">H", t[:2])
        if fmt == 4:
            (seg2,) = struct.unpack(">H", t[6:8])
            seg = seg2 // 2
            ends = struct.unpack(f">{seg}H", t[14:14 + seg2])
            starts = struct.unpack(f">{seg}H", t[16 + seg2:16 + 2 * seg2])
            deltas = struct.unpack(f">{seg}h", t[16 + 2 * seg2:16 + 3 * seg2])
            ro_at = 16 + 3 * seg2
            range_offsets = struct.unpack(f">{seg}H", t[ro_at:ro_at + seg2])
            for k in range(seg):
                for c in range(starts[k], ends[k] + 1):
                    if c == 0xFFFF:
                        continue
                    if range_offsets[k] == 0:
                        glyph = (c + deltas[k]) & 0xFFFF
                    else:
                        at = ro_at + 2 * k + range_offsets[k] + 2 * (c - starts[k])
                        (glyph,) = struct.unpack(">H", t[at:at + 2])
                        glyph = (glyph + deltas[k]) & 0xFFFF if glyph else 0
                    if glyph:
                        out.add(c)
        elif fmt == 12:
            (groups,) = struct.unpack(">I", t[12:16])
            for k in range(groups):
                start, end, _glyph = struct.unpack(">III", t[16 + 12 * k:28 + 12 * k])
                out.update(range(start, end + 1))
    return out


@pytest.mark.parametrize("lang", CHINESE)
def test_the_bundled_fonts_cover_every_character_the_app_shows(tools_i18n, lang):
    """Fails when a translation or a data text uses a character the subset lacks: run make fonts."""
    chars = tools_i18n.characters()
    needed = chars[lang] | {ch for ch in chars["other"] if ord(ch) >= 0x2E80} | set(map(chr, range(0x21, 0x7F)))
    _family, *files = FONTS[lang]
    for name in files:
        path = FONT_DIR / name
        assert path.stat().st_size < 800_000, f"{name} is no longer small"
        missing = sorted(ch for ch in needed if ord(ch) not in cmap_codepoints(path))
        assert not missing, f"{name} lacks {''.join(missing)!r}: run `make fonts`"
    assert (FONT_DIR / "OFL.txt").read_text(encoding="utf-8").count("SIL OPEN FONT LICENSE Version 1.1")


def test_fonts_are_registered_as_the_app_fonts_fallbacks(qapp):
    from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication

    for family, *_files in FONTS.values():
        assert QFontDatabase.styles(family) == ["Regular", "Bold"], family
    i18n.set_language("zh-Hans")
    assert QFont().families()[:2] == ["Silkmap Sans SC", "Silkmap Sans TC"]
    i18n.set_language("zh-Hant")
    assert QGuiApplication.font().families()[:2] == ["Silkmap Sans TC", "Silkmap Sans SC"]
    i18n.set_language("en")
    assert QFont().families()[-2:] == ["Silkmap Sans SC", "Silkmap Sans TC"]


def _render(text: str, font, size=(240, 60)):
    from PySide6.QtGui import QColor, QImage, QPainter

    img = QImage(*size, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(QColor("white"))
    p = QPainter(img)
    p.setFont(font)
    p.setPen(QColor("black"))
    p.drawText(QPointF(4, 44), text)
    p.end()
    return np.frombuffer(img.constBits(), np.uint8).reshape(size[1], size[0], 4).copy()


@pytest.mark.parametrize("lang,word", [("zh-Hans", "哈萨克斯坦"), ("zh-Hant", "哈薩克斯坦")])
def test_map_text_is_drawn_with_real_glyphs_from_the_bundled_font(qapp, lang, word):
    from PySide6.QtGui import QFont, QRawFont, QTextLayout

    i18n.set_language(lang)
    family, regular, bold = FONTS[lang]
    for name in (regular, bold):
        raw = QRawFont(str(FONT_DIR / name), 32)
        assert raw.isValid() and all(raw.supportsCharacter(ord(ch)) for ch in word)
    font = QFont()  # what the map renderer, legend and export start from
    font.setPixelSize(32)
    font.setBold(True)
    layout = QTextLayout(word, font)
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    runs = layout.glyphRuns()
    assert [r.rawFont().familyName() for r in runs] == [family]
    assert all(g != 0 for r in runs for g in r.glyphIndexes())  # 0 is .notdef, the box
    drawn = _render(word, font)
    tofu = _render("\ue000" * len(word), font)  # a private-use character no font has: boxes
    assert (drawn < 128).any()
    assert (drawn != tofu).mean() > 0.01


NO_FONTS_EXPORT = r"""
import json, sys
import numpy as np
from silkmap.cli import run

out = sys.argv[1]
assert run(["export", out, "--size", "1000x700", "--lang", "zh-Hans"]) == 0
from PySide6.QtGui import QFont, QFontDatabase, QImage, QTextLayout
from silkmap.core.atlas import load_atlas
from silkmap.render.export import ExportSpec, MapExporter
from silkmap.core.atlas import home_bounds

atlas = load_atlas()
exporter = MapExporter(atlas)
ref = exporter.render_image(ExportSpec(width=1000, height=700), home_bounds(atlas)).convertToFormat(QImage.Format.Format_RGB32)
got = QImage(out).convertToFormat(QImage.Format.Format_RGB32)
same = float((np.frombuffer(got.constBits(), np.uint8) != np.frombuffer(ref.constBits(), np.uint8)).mean())
runs = {}
for box in exporter.last_result.labels:
    for bold in (False, True):
        font = QFont()
        font.setBold(bold)
        layout = QTextLayout(box.text, font)
        layout.beginLayout(); layout.createLine(); layout.endLayout()
        for r in layout.glyphRuns():
            runs.setdefault(box.text, []).append([r.rawFont().familyName(), min(r.glyphIndexes())])
print(json.dumps({"system_families": [f for f in QFontDatabase.families() if not f.startswith("Silkmap")],
                  "differs": same, "runs": runs}, ensure_ascii=False))
"""


def test_headless_export_in_chinese_needs_no_installed_font(tmp_path):
    """`silkmap export --lang zh-Hans` in a process whose fontconfig knows no font at all: the
    file is what the renderer drew there, and every label it drew is set in a bundled family
    with no .notdef (box) glyph."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?><fontconfig><cachedir>{tmp_path / "fc"}</cachedir></fontconfig>',
                    encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    env.update(FONTCONFIG_FILE=str(conf), QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", NO_FONTS_EXPORT, str(tmp_path / "zh.png")],
                          capture_output=True, text=True, timeout=240, env=env)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(report["system_families"]) <= {"Monospace", "Sans Serif", "Serif"}  # generic names only
    assert report["differs"] < 0.002
    runs = report["runs"]
    assert "哈萨克斯坦" in runs and "中国" in runs and "西安" in runs
    for text, text_runs in runs.items():
        for family, lowest_glyph in text_runs:
            assert family in ("Silkmap Sans SC", "Silkmap Sans TC") and lowest_glyph > 0, (text, family)


def test_charts_find_the_bundled_fonts():
    from matplotlib import font_manager

    from silkmap.charts.trade import figure_png, trade_chart
    from silkmap.core.atlas import load_atlas

    profile = load_atlas().profiles["KAZ"]
    for lang in CHINESE:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            assert figure_png(trade_chart(profile, lang=lang))[:4] == b"\x89PNG"
        assert not [w for w in caught if "missing from font" in str(w.message)], lang
        family = FONTS[lang][0]
        path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        assert Path(path).name == FONTS[lang][1]


# ---------------------------------------------------------------------- the window
# Words of four or more Latin letters that the data's own Chinese texts contain: proper names
# written in Latin letters in Chinese too. Anything else in a Chinese panel is an English leak.
# (The source list at the end of a panel — publishers, titles, URLs — is checked separately.)
ALLOWED_LATIN = {"GeoNames", "ICOMOS", "Olot", "Petrofac", "Visor"}


def _selections(window):
    atlas = window.atlas
    return ([Selection("country", c) for c in FOCUS] + [Selection("hub", atlas.hub.id)]
            + [Selection("route", r) for r in atlas.routes]
            + [Selection("project", p) for p in window.view.renderer.project_points])


@pytest.mark.parametrize("lang", CHINESE)
def test_no_english_in_the_chinese_panel(qtbot, window, lang):
    i18n.set_language(lang)
    heading = "\n" + i18n._("Sources") + "\n"
    copy = i18n._("Copy citation")
    for sel in _selections(window):
        window.state.select(sel)
        text = window.details.plain_text()
        assert heading in text, sel
        body, sources = text.split(heading, 1)
        leaks = set(re.findall(r"[A-Za-z]{4,}", body)) - ALLOWED_LATIN
        assert not leaks, (sel, leaks)
        assert "None" not in body and "_" not in body, sel
        for line, sid in zip([x for x in sources.splitlines() if x.strip()], window.details.cited):
            src = window.atlas.sources[sid]
            assert line.startswith(f"[{sid}] {src.publisher} — “{src.title}”") and line.endswith(copy), line


def test_switching_language_relabels_the_open_window(qtbot, window, settings):
    from silkmap.ui.export_dialog import ExportDialog
    from silkmap.ui.main_window import MainWindow

    view = window.view
    window.state.select(Selection("country", "KAZ"))
    view.settle()
    assert {b.id: b.text for b in view.last_result.labels}["KAZ"] == "KAZAKHSTAN"
    window.lang_actions["zh-Hans"].trigger()
    assert i18n.current() == "zh-Hans"
    assert window.menu_file.title() == "文件(&F)" and window.menu_view.title() == "视图(&V)"
    assert window.act_reset.iconText() == "重置视图"
    assert window.details_dock.windowTitle() == "详情" and window.layers_dock.windowTitle() == "图层和图例"
    assert window.layers.boxes["rail"].text() == "铁路"
    assert window.layers.legend_labels[0][0].text() == "西安枢纽"
    assert "与中国的伙伴关系" in window.details.plain_text()
    assert "702亿美元" not in window.details.plain_text() and "312亿美元" in window.details.plain_text()
    view.settle()
    labels = {b.id: b.text for b in view.last_result.labels}
    assert labels["KAZ"] == "哈萨克斯坦" and labels["UZB"] == "乌兹别克斯坦"
    assert view.describe(Selection("country", "TKM")).startswith("土库曼斯坦：")
    dlg = ExportDialog(window, view, window.atlas, window.state)
    qtbot.addWidget(dlg)
    assert dlg.windowTitle() == "导出地图"
    assert dlg.buttons.button(dlg.buttons.StandardButton.Cancel).text() == "取消"  # Qt's own catalog
    window.lang_actions["zh-Hant"].trigger()
    assert window.menu_help.title() == "幫助(&H)" and "與中國的夥伴關係" in window.details.plain_text()
    view.settle()
    assert {b.id: b.text for b in view.last_result.labels}["KAZ"] == "哈薩克斯坦"
    assert settings.value("language") == "zh-Hant"
    again = MainWindow(window.atlas, settings=settings)  # remembered for the next start
    qtbot.addWidget(again)
    assert i18n.current() == "zh-Hant" and again.menu_file.title() == "文件(&F)"
    window.lang_actions["en"].trigger()
    assert window.menu_file.title() == "&File" and window.layers.boxes["rail"].text() == "Railways"
    assert "Partnership with China" in window.details.plain_text()


def test_the_default_language_follows_the_system(monkeypatch, settings):
    from silkmap.ui.application import choose_language

    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "zh_TW.UTF-8")
    assert choose_language(None, settings) == "zh-Hant"  # nothing chosen yet: the system's
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert choose_language(None, settings) == "zh-Hans"
    settings.setValue("language", "en")
    assert choose_language(None, settings) == "en"  # a choice made in the window wins
    assert choose_language("zh-Hant", settings) == "zh-Hant"  # --lang wins, and sticks
    assert settings.value("language") == "zh-Hant"


@pytest.mark.parametrize("lang", ("en",) + CHINESE)
def test_long_texts_wrap_in_the_panel_at_its_minimum_width(qtbot, window, qapp, lang):
    i18n.set_language(lang)
    atlas = window.atlas
    for sel in ([Selection("country", c) for c in FOCUS] + [Selection("hub", atlas.hub.id)]
                + [Selection("route", r) for r in ("gas-abc", "silk-tianshan", "rail-cku")]
                + [Selection("project", "cku-railway")]):
        window.state.select(sel)
        window.resizeDocks([window.details_dock], [1], Qt.Orientation.Horizontal)
        qapp.processEvents()
        assert window.details.width() == window.details.minimumWidth()
        assert window.details.browser.horizontalScrollBar().maximum() == 0, (lang, sel)
