"""Exports as other programs read them: librsvg draws the SVG's Chinese text without any
Chinese font, exiftool and pngcheck read the PNG's text chunks, pdfinfo the PDF's Info.

Each check has a pure-Python twin so it holds where the outside tool is not installed; the
tool tests skip, naming the Debian package, when it is absent (`.ci/run` installs them).
"""

import re
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
import zlib

import numpy as np
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from silkmap import i18n
from silkmap.render import file_metadata as fm
from silkmap.render.export import ExportSpec, MapExporter
from silkmap.core.atlas import home_bounds

SVG_NS = "{http://www.w3.org/2000/svg}"
CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
W, H = 1200, 800


def tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if not path:
        pytest.skip(f"{name} is not installed (Debian package {package})")
    return path


@pytest.fixture(scope="module")
def exporter(atlas):
    return MapExporter(atlas)


@pytest.fixture
def chinese():
    i18n.set_language("zh-Hans")
    yield
    i18n.set_language("en")


def export(exporter, atlas, path, **spec):
    spec = ExportSpec(**{"width": W, "height": H, **spec})
    return exporter.export(spec, home_bounds(atlas), path), spec


def ink(img: QImage, rect: QRectF) -> np.ndarray:
    """Dark pixels (text) of ``img`` inside ``rect``."""
    img = img.convertToFormat(QImage.Format.Format_RGB32)
    a = np.frombuffer(img.constBits(), np.uint8).reshape(img.height(), img.width(), 4)
    x0, y0 = int(rect.left()), int(rect.top())
    x1, y1 = int(rect.right()), int(rect.bottom())
    grey = a[y0:y1, x0:x1, :3].astype(np.int32).mean(axis=2)
    return grey < 110


def overlap(a: np.ndarray, b: np.ndarray) -> float:
    """Intersection over union of two ink masks, each grown by a pixel (anti-aliasing differs)."""
    def grow(m):
        g = m.copy()
        g[1:] |= m[:-1]
        g[:-1] |= m[1:]
        g[:, 1:] |= m[:, :-1]
        g[:, :-1] |= m[:, 1:]
        return g
    assert a.sum() > 50 and b.sum() > 50, "no text drawn"
    return float((grow(a) & b).sum() + (a & grow(b)).sum()) / float(a.sum() + b.sum())


def text_regions(exporter, spec):
    """Where the export draws text outside the map: title band, footer, legend."""
    frame = exporter.map_frame(spec)
    legend = exporter.last_legend_rect
    return {"title": QRectF(0, 0, spec.width, frame.top()),
            "footer": QRectF(0, frame.bottom(), spec.width, spec.height - frame.bottom()),
            "legend": legend.adjusted(1, 1, -1, -1)}


# ------------------------------------------------------------------------------------- SVG
@pytest.fixture(params=["zh-Hans", "zh-Hant"])
def chinese_title(request):
    """Each Chinese script, and a title in it that the bundled font subsets cover."""
    i18n.set_language(request.param)
    yield i18n._("China and Central Asia")
    i18n.set_language("en")


def test_svg_text_is_outlines_not_font_references(qapp, atlas, exporter, tmp_path, chinese_title):
    title = chinese_title
    svg, spec = export(exporter, atlas, tmp_path / "map.svg", title=title)
    root = ET.parse(svg).getroot()
    assert not root.findall(f".//{SVG_NS}text"), "text elements need the reader to have the font"
    for el in root.iter():
        if el.tag in (f"{SVG_NS}title", f"{SVG_NS}desc"):
            continue
        assert not CJK.search(el.text or ""), f"Chinese text in <{el.tag}>"
    assert root.find(f"{SVG_NS}title").text == title and CJK.search(title)
    # Drawn, where the PNG draws it: the title, footer and legend in Qt's own SVG renderer.
    png, _spec = export(exporter, atlas, tmp_path / "map.png", title=title)
    regions = text_regions(exporter, spec)
    drawn = QImage(W, H, QImage.Format.Format_RGB32)
    drawn.fill(0xFFFFFFFF)
    p = QPainter(drawn)
    QSvgRenderer(str(svg)).render(p)
    p.end()
    for name, rect in regions.items():
        assert overlap(ink(drawn, rect), ink(QImage(str(png)), rect)) > 0.75, name


def test_librsvg_draws_the_chinese_text(qapp, atlas, exporter, tmp_path, chinese_title):
    rsvg = tool("rsvg-convert", "librsvg2-bin")
    svg, spec = export(exporter, atlas, tmp_path / "map.svg", title=chinese_title)
    png, _spec = export(exporter, atlas, tmp_path / "map.png", title=chinese_title)
    out = tmp_path / "rsvg.png"
    run = subprocess.run([rsvg, "-w", str(W), "-h", str(H), "--background-color", "white", "-o", str(out), str(svg)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    drawn, want = QImage(str(out)), QImage(str(png))
    assert (drawn.width(), drawn.height()) == (W, H)
    assert drawn.pixel(W - 3, 3) == 0xFFFFFFFF  # no sea behind the title (librsvg has no clip here)
    for name, rect in text_regions(exporter, spec).items():
        assert overlap(ink(drawn, rect), ink(want, rect)) > 0.75, name


# ------------------------------------------------------------------------------------- PNG
def chunk_order(data: bytes) -> list[bytes]:
    pos, kinds = 8, []
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        assert struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])[0] == zlib.crc32(kind + body)
        kinds.append(kind)
        pos += 12 + length
    return kinds


def test_png_text_chunks_have_no_bogus_language_and_title_only_when_drawn(qapp, atlas, exporter, tmp_path, chinese):
    png, spec = export(exporter, atlas, tmp_path / "t.png", title="中国与中亚")
    data = png.read_bytes()
    texts = fm.read_png_text(data)
    assert {lang for _k, lang, _v in texts} == {""}, "the language is in the Language chunk"
    got = {k: v for k, _lang, v in texts}
    assert got["Title"] == "中国与中亚" and got["Language"] == "zh-Hans"
    assert "Natural Earth" in got["Source"] and got["Description"] == "中国与中亚"
    assert len(texts) == len(got), "one chunk per keyword"
    kinds = chunk_order(data)
    assert kinds[0] == b"IHDR" and kinds[-1] == b"IEND"
    assert max(i for i, k in enumerate(kinds) if k in (b"tEXt", b"iTXt")) < kinds.index(b"IDAT")
    assert QImage(str(png)).text("Source") == got["Source"]  # Qt reads its own files back

    untitled, _ = export(exporter, atlas, tmp_path / "u.png")
    keys = {k for k, _l, _v in fm.read_png_text(untitled.read_bytes())}
    assert "Title" not in keys and {"Description", "Source", "Extent"} <= keys


@pytest.mark.parametrize("title,footer", [("Silk Road", True), ("", True), ("Silk Road", False), ("", False)])
def test_png_extent_names_the_map_frame_rows(qapp, atlas, exporter, tmp_path, title, footer):
    png, spec = export(exporter, atlas, tmp_path / "f.png", title=title, footer=footer)
    extent = QImage(str(png)).text("Extent")
    m = re.search(r"at image pixels x ([\d.]+)\.\.([\d.]+), y ([\d.]+)\.\.([\d.]+) of (\d+)×(\d+)", extent)
    assert m, extent
    x0, x1, y0, y1, w, h = map(float, m.groups())
    assert (x0, x1, w, h) == (0, W, W, H)
    frame = exporter.map_frame(spec)
    assert (y0, y1) == (frame.top(), frame.top() + int(frame.height()))
    assert (y0 > 0) == bool(title) and (y1 < H) == footer
    # The rows are where the map is: inside the frame the sea or land, outside it white or the footer.
    img = QImage(str(png))
    white = 0xFFFFFFFF
    assert img.pixel(3, int(y0) + 1) != white
    assert img.pixel(3, int(y1) - 2) != white
    if title:
        assert img.pixel(3, int(y0) - 2) == white
    if footer:
        assert img.pixel(3, int(y1) + 1) == 0xFFF4F2EE


def fake_png(idat: bytes, texts: list[bytes]) -> bytes:
    c = fm._chunk
    return (fm.PNG_SIGNATURE + c(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0)) + c(b"pHYs", b"\0" * 9)
            + b"".join(texts) + c(b"IDAT", idat) + c(b"IEND", b""))


@pytest.mark.parametrize("old", [[], [fm._chunk(b"tEXt", b"Title\0" + b"x" * 3000)],
                                 [fm._chunk(b"iTXt", b"Title\0\0\0UTF-8\0\0y")]])
def test_png_with_text_replaces_the_text_chunks(old):
    idat = bytes(range(256)) * 9
    texts = {"Title": "丝路", "Software": "silkmap", "Extent": "≈ lon"}
    new = fm.png_with_text(fake_png(idat, old), texts)
    assert new == fake_png(idat, [fm.png_text_chunks(texts)])
    assert [(k, v) for k, _l, v in fm.read_png_text(new)] == list(texts.items())


def test_png_with_text_refuses_what_is_not_a_png():
    with pytest.raises(ValueError):
        fm.png_with_text(b"GIF89a" + b"\0" * 40, {"Title": "x"})


def test_exiftool_reads_title_and_source(qapp, atlas, exporter, tmp_path, chinese):
    exiftool = tool("exiftool", "libimage-exiftool-perl")
    png, _ = export(exporter, atlas, tmp_path / "t.png", title="中国与中亚")
    untitled, _ = export(exporter, atlas, tmp_path / "u.png")
    source = QImage(str(png)).text("Source")
    out = subprocess.run([exiftool, "-s", "-s", "-s", "-charset", "UTF8", "-Title", "-Source", str(png)],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["中国与中亚", source]
    out = subprocess.run([exiftool, "-s", "-Title", "-Description", str(untitled)], capture_output=True, text=True,
                         timeout=60)
    assert out.stdout.splitlines() == ["Description                     : 中国与中亚"]


def test_pngcheck_finds_no_errors_and_no_utf8_language_tag(qapp, atlas, exporter, tmp_path, chinese):
    pngcheck = tool("pngcheck", "pngcheck")
    png, _ = export(exporter, atlas, tmp_path / "t.png", title="中国与中亚")
    out = subprocess.run([pngcheck, "-v", str(png)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and "No errors detected" in out.stdout, out.stdout
    assert "language tag = UTF-8" not in out.stdout and "no language tag" in out.stdout
    assert re.search(r"iTXt .*keyword: Title", out.stdout)


# ------------------------------------------------------------------------------------- PDF
def test_pdf_info_has_title_creator_subject_keywords_and_language(qapp, atlas, exporter, tmp_path, chinese):
    pdf, spec = export(exporter, atlas, tmp_path / "m.pdf", title="中国与中亚")
    data = pdf.read_bytes()
    info = fm.read_pdf_info(data)
    assert info["Title"] == "中国与中亚" and info["Creator"].startswith("silkmap ")
    assert "Natural Earth" in info["Subject"] and "Author" not in info
    assert "+proj=aea" in info["Keywords"] and "lat" in info["Keywords"] and "image pixels" in info["Keywords"]
    assert info["CreationDate"].startswith("D:20")
    assert fm.pdf_catalog(data)["Lang"] == b"(zh-Hans)"
    assert b"<dc:description>" in data and b"<pdf:Keywords>" in data  # the XMP says the same
    # An incremental update: what Qt wrote is still there, byte for byte, before it.
    prev = int(re.findall(rb"/Prev (\d+)", data)[-1])
    assert data[prev:prev + 4] == b"xref" and data.count(b"%%EOF") == 2

    untitled, _ = export(exporter, atlas, tmp_path / "u.pdf")
    assert fm.read_pdf_info(untitled.read_bytes())["Title"] == "中国与中亚"  # the document's name


def test_pdf_info_update_appends_and_can_repeat(qapp, atlas, exporter, tmp_path):
    pdf, _ = export(exporter, atlas, tmp_path / "m.pdf")
    before = pdf.read_bytes()
    after = before + fm.pdf_info_update(before, {"Subject": "second (with \\ and ) in it)", "Keywords": ""}, "en")
    info = fm.read_pdf_info(after)
    assert info["Subject"] == "second (with \\ and ) in it)" and "Keywords" not in info
    assert info["Title"] == "China and Central Asia"
    assert fm.pdf_catalog(after)["Lang"] == b"(en)"


def test_pdf_info_update_refuses_a_file_it_cannot_read():
    with pytest.raises(ValueError):
        fm.pdf_info_update(b"%PDF-1.7\n1 0 obj\n<< >>\nendobj\nstartxref\n9\n%%EOF\n", {"Subject": "x"})


def test_pdfinfo_reads_the_metadata(qapp, atlas, exporter, tmp_path, chinese):
    pdfinfo = tool("pdfinfo", "poppler-utils")
    pdf, _ = export(exporter, atlas, tmp_path / "m.pdf", title="中国与中亚")
    out = subprocess.run([pdfinfo, "-enc", "UTF-8", str(pdf)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and not out.stderr.strip(), out.stderr
    fields = dict(line.split(":", 1) for line in out.stdout.splitlines() if ":" in line)
    fields = {k: v.strip() for k, v in fields.items()}
    assert fields["Title"] == "中国与中亚" and fields["Creator"].startswith("silkmap ")
    assert "Natural Earth" in fields["Subject"] and "+proj=aea" in fields["Keywords"]
    assert fields["Pages"] == "1"
    meta = subprocess.run([pdfinfo, "-meta", str(pdf)], capture_output=True, text=True, timeout=60).stdout
    assert "<dc:description>" in meta and "zh-Hans" in meta


def test_poppler_draws_the_text(qapp, atlas, exporter, tmp_path, chinese):
    pdftoppm = tool("pdftoppm", "poppler-utils")
    pdf, spec = export(exporter, atlas, tmp_path / "m.pdf", title="中国与中亚")
    png, _ = export(exporter, atlas, tmp_path / "m.png", title="中国与中亚")
    run = subprocess.run([pdftoppm, "-png", "-r", "96", "-singlefile", str(pdf), str(tmp_path / "pp")],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    drawn = QImage(str(tmp_path / "pp.png"))
    assert (drawn.width(), drawn.height()) == (W, H)  # the page at its own 96 dpi
    for name, rect in text_regions(exporter, spec).items():
        assert overlap(ink(drawn, rect), ink(QImage(str(png)), rect)) > 0.75, name
