"""Map files: PNG, SVG and PDF from the same renderer as the window.

An export frames the same extent the view shows (or the home extent headless), lays out
title, legend, scale bar and a source footer for the output size, and writes atomically:
the file is made in memory, then written to a temporary file in the target folder and renamed
into place only when complete (core/atomic_file.py).
"""

from __future__ import annotations

import datetime as _dt
import threading
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPageLayout, QPageSize, QPainter, QPen

from silkmap import __version__
from silkmap.core import interrupt, projection
from silkmap.core.atomic_file import write_atomically
from silkmap.core.oneline import shown
from silkmap.core.state import LAYERS, Selection, default_layers
from silkmap.core.timeline import LAST_YEAR, SILK_ROAD_ERA
from silkmap.core.viewport import Viewport
from silkmap.i18n import _, current, text
from silkmap.render import style
from silkmap.render.file_metadata import pdf_info, pdf_info_update, png_with_text, xmp_packet
from silkmap.render.layers.user import legend_symbol
from silkmap.render.legend import LEGEND_ROWS, country_rows, fills_heading, fills_notes, paint_swatch, paint_symbol
from silkmap.render.overlay import paint_scale_bar
from silkmap.render.renderer import MapRenderer, RenderOptions
from silkmap.render.limits import cannot_write, format_problem, size_problem, target_problem
from silkmap.render.text_outline import draw_text
from silkmap.render.year_style import year_text


class ExportError(Exception):
    """A problem with the requested export; the message is one line for the user."""


@dataclass
class ExportSpec:
    width: int = 1920
    height: int = 1080
    dpi: int = 96
    title: str = ""
    legend: bool = True
    scale_bar: bool = True
    footer: bool = True
    highlight: bool = True
    selection: Selection | None = None
    layers: dict[str, bool] = field(default_factory=default_layers)
    year: int | None = None  # the map as of this year (core/timeline.py); None: the latest
    caption: str = ""  # a large year caption over the map's top-left corner (animation frames)
    annotations: tuple = ()  # core.annotations.Annotation
    user_layers: tuple = ()  # core.user_layers.layer.LoadedLayer, bottom to top
    measure: str = "level"  # what the partners are coloured by (core/measures.py)
    classification: object = None  # core.classify.Classification; None: the default one

    def validate(self) -> None:
        problem = size_problem(self.width, self.height, self.dpi)
        if problem:
            raise ExportError(problem)

    @property
    def symbol_scale(self) -> float:
        return max(1.0, self.dpi / 96.0)


def format_for(path: Path) -> str:
    problem = format_problem(path)
    if problem:
        raise ExportError(problem)
    return path.suffix.lower().lstrip(".")


def footer_text(atlas, year: int | None = None) -> str:
    """The sources line; with a year, it begins by saying which year the map shows."""
    txt = _("Boundaries: Natural Earth 4.1.0 (public domain). Trade: China customs (GACC). "
            "Facts: {n} cited sources — see silkmap's details panel. Projection: Albers equal-area conic, 80°E.").format(
        n=len(atlas.sources.sources))
    if year is None:
        return txt
    return _("The map as of {year}.").format(year=year_text(year)) + " " + txt


def extent_text(vp: Viewport) -> str:
    x0, y0, x1, y1 = vp.bounds()
    lon0, lat0 = projection.unproject(x0, y0)
    lon1, lat1 = projection.unproject(x1, y1)
    return (f"x {x0:.0f}..{x1:.0f} m, y {y0:.0f}..{y1:.0f} m "
            f"(≈ lon {lon0:.2f}..{lon1:.2f}, lat {lat0:.2f}..{lat1:.2f})")


class MapExporter:
    def __init__(self, atlas, renderer: MapRenderer | None = None) -> None:
        self.atlas = atlas
        self.renderer = renderer or MapRenderer(atlas)
        self.last_result = None  # label boxes etc. of the latest export, for tests and checks

    # ------------------------------------------------------------------ layout
    @staticmethod
    def map_frame(spec: ExportSpec) -> QRectF:
        """The map's rectangle in the output; the title takes rows above it, the footer below."""
        s = spec.symbol_scale
        title_h = (46 * s) if spec.title else 0.0
        footer_h = (26 * s) if spec.footer else 0.0
        return QRectF(0, title_h, spec.width, spec.height - title_h - footer_h)

    def layout(self, spec: ExportSpec, extent: tuple[float, float, float, float]):
        s = spec.symbol_scale
        map_rect = self.map_frame(spec)
        vp = Viewport(width=max(int(map_rect.width()), 1), height=max(int(map_rect.height()), 1))
        vp.fit(extent, margin=0.0)
        return s, map_rect, vp

    def prepare(self, spec: ExportSpec, extent) -> None:
        """Load the outlines this output's scale needs before any painter is open: a broken
        1:10m file then fails here, cleanly, instead of inside a paint (where the exception
        leaves the paint device active and Qt aborts at exit)."""
        _s, _rect, vp = self.layout(spec, extent)
        self.renderer.cache.paths_for(vp.metres_per_pixel, allow_load=True)
        if spec.layers.get("physical", True):
            self.atlas.physical_names()

    def paint(self, painter: QPainter, spec: ExportSpec, extent, vector: bool = False) -> Viewport:
        s, map_rect, vp = self.layout(spec, extent)
        painter.save()
        painter.fillRect(QRectF(0, 0, spec.width, spec.height), QColor("white"))
        painter.translate(map_rect.topLeft())
        if vector:
            painter.setClipRect(QRectF(0, 0, map_rect.width(), map_rect.height()))
        # Raster: no clip (Qt anti-aliases clipped edges a little differently, and the map must
        # be the window's pixels); what spills past the map is painted over by the bands below.
        legend = self._legend_layout(vp, spec, s) if spec.legend else None
        # Labels keep clear of the legend and the scale bar drawn over the map.
        reserved = [QRectF(0, vp.height - 48 * s, 200 * s, 48 * s)] if spec.scale_bar else []
        if legend is not None:
            reserved.append(legend[0])
        caption = self._caption_rect(spec, s) if spec.caption else None
        if caption is not None:
            reserved.append(caption)
        opts = RenderOptions(layers=dict(spec.layers), selection=spec.selection,
                             highlight_selection=spec.highlight, scale=s, allow_detail_load=True,
                             vector=vector, reserved=reserved, year=spec.year, user_layers=spec.user_layers,
                             annotations=tuple(spec.annotations), measure=spec.measure,
                             classification=spec.classification)
        self.last_result = self.renderer.paint(painter, vp, opts)
        if spec.scale_bar:
            paint_scale_bar(painter, vp, 16 * s, vp.height - 16 * s, s)
        if caption is not None:
            self._paint_caption(painter, spec, caption, s)
        self.last_legend_rect = None
        if legend is not None:
            self.last_legend_rect = self._paint_legend(painter, legend, s).translated(map_rect.topLeft())
        painter.restore()
        if not vector and map_rect.top() > 0:
            painter.fillRect(QRectF(0, 0, spec.width, map_rect.top()), QColor("white"))
        if not vector and map_rect.bottom() < spec.height:
            painter.fillRect(QRectF(0, map_rect.bottom(), spec.width, spec.height - map_rect.bottom()), QColor("white"))
        if spec.title:
            self._paint_title(painter, spec, s)
        if spec.footer:
            self._paint_footer(painter, spec, s)
        return vp

    def _paint_title(self, painter: QPainter, spec: ExportSpec, s: float) -> None:
        font = QFont()
        font.setPixelSize(round(24 * s))
        font.setBold(True)
        painter.save()
        # Its own background: SVG readers ignore the map's clip (SVG Tiny has none) and the sea
        # would show through.
        painter.fillRect(QRectF(0, 0, spec.width, 46 * s), QColor("white"))
        painter.setFont(font)
        painter.setPen(QColor("#1d1d1d"))
        draw_text(painter, QRectF(16 * s, 0, spec.width - 32 * s, 46 * s), spec.title,
                  Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
        painter.restore()

    @staticmethod
    def _caption_font(s: float) -> QFont:
        font = QFont()
        font.setPixelSize(round(40 * s))
        font.setBold(True)
        return font

    def _caption_rect(self, spec: ExportSpec, s: float) -> QRectF:
        fm = QFontMetricsF(self._caption_font(s))
        return QRectF(12 * s, 12 * s, fm.horizontalAdvance(spec.caption) + 24 * s, fm.height() + 12 * s)

    def _paint_caption(self, painter: QPainter, spec: ExportSpec, rect: QRectF, s: float) -> None:
        painter.save()
        painter.setPen(QPen(QColor(0, 0, 0, 60), 1 * s))
        painter.setBrush(QColor(255, 255, 255, 225))
        painter.drawRoundedRect(rect, 4 * s, 4 * s)
        painter.setFont(self._caption_font(s))
        painter.setPen(QColor("#1d1d1d"))
        draw_text(painter, rect, spec.caption, Qt.AlignmentFlag.AlignCenter)
        painter.restore()

    def _paint_footer(self, painter: QPainter, spec: ExportSpec, s: float) -> None:
        font = QFont()
        px = 11 * s
        txt = footer_text(self.atlas, spec.year)
        font.setPixelSize(round(px))
        # Shrink the footer text on narrow outputs rather than clipping the credit.
        avail = spec.width - 24 * s
        while QFontMetricsF(font).horizontalAdvance(txt) > avail and px > 6 * s:
            px -= 0.5 * s
            font.setPixelSize(max(1, round(px)))
        painter.save()
        rect = QRectF(0, spec.height - 26 * s, spec.width, 26 * s)
        painter.fillRect(rect, QColor("#f4f2ee"))
        painter.setFont(font)
        painter.setPen(QColor("#333333"))
        draw_text(painter, rect.adjusted(12 * s, 0, -12 * s, 0), txt, Qt.AlignmentFlag.AlignVCenter
                  | Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap)
        painter.restore()

    def _legend_layout(self, vp: Viewport, spec: ExportSpec, s: float):
        rows = []
        for layer, kind, status, label in LEGEND_ROWS:
            if layer and layer != "hub" and not spec.layers.get(layer, True):
                continue
            rows.append(("symbol", kind, status, _(label)))
        year = LAST_YEAR if spec.year is None else spec.year
        by_level = spec.layers.get("partnership", True) and year != SILK_ROAD_ERA
        classes = self.renderer.map_classes(spec.measure, spec.classification, year) if by_level else None
        if by_level:
            rows.append(("heading", None, None, fills_heading(classes)))
        for fill, label in country_rows(self.atlas, by_level, classes):
            rows.append(("swatch", fill, None, label))
        notes = fills_notes(self.atlas, classes)
        rows += [("user", ul, None, ul.spec.title) for ul in reversed(spec.user_layers) if ul.visible]
        font = QFont()
        font.setPixelSize(round(11.5 * s))
        fm = QFontMetricsF(font)
        row_h = max(fm.height(), 16 * s) + 2 * s
        icon_w = 34 * s
        width = icon_w + 8 * s + max(fm.horizontalAdvance(r[3]) for r in rows) + 16 * s
        height = row_h * len(rows) + 12 * s
        if notes:  # the classes' scheme and sources, small and wrapped to the legend's width
            small = QFont(font)
            small.setPixelSize(round(10 * s))
            sfm = QFontMetricsF(small)
            wrap = max(width - 16 * s, 200 * s)
            width = max(width, wrap + 16 * s)
            flags = Qt.TextFlag.TextWordWrap.value
            for line in notes:
                h = sfm.boundingRect(QRectF(0, 0, wrap, 10000 * s), flags, line).height() + 2 * s
                rows.insert(self._notes_at(rows), ("note", small, h, line))
                height += h
        box = QRectF(vp.width - width - 12 * s, 12 * s, width, height)
        return box, rows, font, row_h, icon_w, width

    @staticmethod
    def _notes_at(rows) -> int:
        """After the fills and the notes before: above the user layers."""
        return next((i for i, r in enumerate(rows) if r[0] == "user"), len(rows))

    def _paint_legend(self, painter: QPainter, legend, s: float) -> QRectF:
        box, rows, font, row_h, icon_w, width = legend
        painter.save()
        painter.setPen(QPen(QColor(0, 0, 0, 60), 1 * s))
        painter.setBrush(QColor(255, 255, 255, 225))
        painter.drawRoundedRect(box, 4 * s, 4 * s)
        painter.setFont(font)
        y = box.top() + 6 * s
        for kind_row, kind, status, label in rows:
            if kind_row == "note":  # kind: its font, status: its height
                painter.setFont(kind)
                painter.setPen(QColor("#444444"))
                draw_text(painter, QRectF(box.left() + 8 * s, y, width - 16 * s, status), label,
                          Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap)
                painter.setFont(font)
                y += status
                continue
            icon = QRectF(box.left() + 8 * s, y + (row_h - 16 * s) / 2, icon_w, 16 * s)
            if kind_row == "heading":  # a row of its own, in bold, from the icon's left edge
                bold = QFont(font)
                bold.setBold(True)
                painter.setFont(bold)
                painter.setPen(QColor("#1d1d1d"))
                draw_text(painter, QRectF(icon.left(), y, width, row_h), label,
                          Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
                painter.setFont(font)
                y += row_h
                continue
            if kind_row == "swatch":
                paint_swatch(painter, icon, kind, style.FOCUS_EDGE, s)
            elif kind_row == "user":
                legend_symbol(painter, icon, kind, s)
            else:
                paint_symbol(painter, icon, kind, status, s)
            painter.setPen(QColor("#1d1d1d"))
            draw_text(painter, QRectF(icon.right() + 8 * s, y, width, row_h), label,
                      Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
            y += row_h
        painter.restore()
        return box

    # ------------------------------------------------------------------ files
    def metadata(self, spec: ExportSpec, vp: Viewport) -> dict[str, str]:
        """The PNG's text chunks, and the SVG's and PDF's metadata. Title only when a title is
        drawn; Extent names the pixels it spans (the map frame: the title and footer take rows)."""
        frame = self.map_frame(spec)
        meta = {"Title": spec.title} if spec.title else {}
        meta.update({
            "Description": _("China and Central Asia"),
            "Source": footer_text(self.atlas, spec.year),
            "Software": f"silkmap {__version__}",
            "Creation Time": _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
            "Projection": projection.NAME + " — " + projection.PROJ4,
            "Extent": f"{extent_text(vp)} at image pixels x {frame.left():g}..{frame.left() + vp.width:g}, "
                      f"y {frame.top():g}..{frame.top() + vp.height:g} of {spec.width}×{spec.height}",
            "Language": current(),
        })
        return meta

    def render_image(self, spec: ExportSpec, extent) -> QImage:
        spec.validate()
        self.prepare(spec, extent)
        img = QImage(spec.width, spec.height, QImage.Format.Format_ARGB32_Premultiplied)
        if img.isNull():
            raise ExportError(_("not enough memory for a {w}×{h} image").format(w=spec.width, h=spec.height))
        dpm = round(spec.dpi / 0.0254)
        img.setDotsPerMeterX(dpm)
        img.setDotsPerMeterY(dpm)
        painter = QPainter(img)
        try:
            vp = self.paint(painter, spec, extent)
        finally:
            painter.end()  # before anything unwinds: a device being painted must not be destroyed
        for key, value in self.metadata(spec, vp).items():
            img.setText(key, value)
        return img

    def export(self, spec: ExportSpec, extent, out: Path, progress=None) -> Path:
        """Write the map to ``out`` (format from its suffix); returns the final path.

        The file is made in memory and written atomically (core/atomic_file.py): a full disk,
        an I/O error or a signal leaves no file and no temporary file, and fails with one line
        (:class:`ExportError`) or :class:`~silkmap.core.interrupt.Interrupted`. Painting and
        encoding run on a worker while this thread waits, so a signal is acted on within 50 ms
        instead of after seconds of C++ work, and nothing being painted is destroyed by it.
        """
        out = Path(out)
        fmt = format_for(out)
        spec.validate()
        check_target(out)
        interrupt.check()
        _on_worker(self.prepare, spec, extent)  # a broken 1:10m file fails here, before any painter
        interrupt.check()
        if progress:
            progress(_("Drawing the map…"))
        if fmt == "png":
            img = _on_worker(self.render_image, spec, extent)
            interrupt.check()
            if progress:
                progress(_("Writing the file…"))
            data = _on_worker(self._write_png, img)
        elif fmt == "svg":
            data = _on_worker(self._write_svg, spec, extent)
        else:
            data = _on_worker(self._write_pdf, spec, extent)
        if not data:
            raise ExportError(_("could not write '{path}'").format(path=shown(out)))
        try:
            write_atomically(out, data)
        except OSError as exc:
            raise ExportError(cannot_write(out, exc)) from None
        return out

    @staticmethod
    def _write_png(img: QImage) -> bytes:
        """The PNG file's bytes, encoded in memory: libpng never sees the disk, so a disk error
        is ours to report as one line. An opaque map needs no alpha channel: RGB is a quarter
        less to compress, and zlib level ≈4 (quality 70) halves the encoding time for the same
        file size as Qt's default RGBA at level 6. The map is opaque (painted over white), so
        its pixels are already RGB32: ``img`` is relabelled in place, not converted (a copy of
        up to 1 GiB that would hold the interpreter for seconds)."""
        from PySide6.QtCore import QBuffer, QIODevice
        from PySide6.QtGui import QImageWriter

        if not img.reinterpretAsFormat(QImage.Format.Format_RGB32):
            img = img.convertToFormat(QImage.Format.Format_RGB32)
        buf = QBuffer()
        buf.open(QIODevice.OpenModeFlag.WriteOnly)
        writer = QImageWriter(buf, b"png")
        writer.setQuality(70)
        ok = writer.write(img)
        buf.close()
        return png_with_text(buf.data().data(), {k: img.text(k) for k in img.textKeys()}) if ok else b""

    def _write_svg(self, spec: ExportSpec, extent) -> bytes:
        from PySide6.QtCore import QBuffer, QIODevice
        from PySide6.QtSvg import QSvgGenerator

        self.prepare(spec, extent)
        buf = QBuffer()
        buf.open(QIODevice.OpenModeFlag.WriteOnly)
        gen = QSvgGenerator()
        gen.setOutputDevice(buf)
        gen.setSize(QSizeF(spec.width, spec.height).toSize())
        gen.setViewBox(QRectF(0, 0, spec.width, spec.height))
        gen.setResolution(spec.dpi)
        gen.setTitle(spec.title or _("China and Central Asia"))
        gen.setDescription(footer_text(self.atlas))
        painter = QPainter(gen)
        try:
            self.paint(painter, spec, extent, vector=True)
        finally:
            painter.end()
        buf.close()
        return buf.data().data()

    def _write_pdf(self, spec: ExportSpec, extent) -> bytes:
        from PySide6.QtCore import QBuffer, QIODevice
        from PySide6.QtGui import QPdfWriter

        self.prepare(spec, extent)
        buf = QBuffer()
        buf.open(QIODevice.OpenModeFlag.WriteOnly)
        writer = QPdfWriter(buf)
        writer.setResolution(spec.dpi)
        size_mm = QSizeF(spec.width / spec.dpi * 25.4, spec.height / spec.dpi * 25.4)
        writer.setPageSize(QPageSize(size_mm, QPageSize.Unit.Millimeter, "silkmap"))
        writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
        meta = self.metadata(spec, self.layout(spec, extent)[2])
        writer.setTitle(spec.title or _("China and Central Asia"))
        writer.setCreator(f"silkmap {__version__}")
        pdf_xmp(writer, meta)
        painter = QPainter(writer)
        try:
            # QPdfWriter's device may round the page; scale our layout onto it exactly.
            sx = writer.width() / spec.width
            sy = writer.height() / spec.height
            painter.scale(sx, sy)
            self.paint(painter, spec, extent, vector=True)
        finally:
            painter.end()
        del writer  # the PDF is complete once the painter ends; let go of the device first
        buf.close()
        data = buf.data().data()
        return data + pdf_info_update(data, pdf_info(meta), meta["Language"])


def _on_worker(work, *args):
    """``work(*args)`` on a worker thread, waited for with signal checks; its result, or its
    exception raised here. When a signal stops the wait the worker is left to finish on its
    own (the process is ending): unwinding here destroys nothing it is painting."""
    result: dict = {}

    def run() -> None:
        try:
            result["value"] = work(*args)
        except BaseException as exc:  # handed to the waiting thread
            result["error"] = exc

    worker = threading.Thread(target=run, name="silkmap-export-worker", daemon=True)
    worker.start()
    interrupt.wait(worker)
    if "error" in result:
        raise result["error"]
    return result["value"]


def check_target(out: Path) -> None:
    problem = target_problem(out)
    if problem:
        raise ExportError(problem)


def pdf_xmp(writer, meta: dict[str, str]) -> None:
    """The XMP packet of a PDF, with the title, subject and keywords of its Info dictionary."""
    from PySide6.QtCore import QUuid, qVersion

    doc_id = QUuid.createUuid()
    writer.setDocumentId(doc_id)
    info = pdf_info(meta)
    xmp = xmp_packet(title=info["Title"], description=info["Subject"], keywords=info["Keywords"],
                     creator_tool=info["Creator"], producer=f"Qt {qVersion()}", lang=meta["Language"],
                     created=info["CreationDate"], document_id=doc_id.toString(QUuid.StringFormat.WithoutBraces))
    writer.setDocumentXmpMetadata(xmp.encode("utf-8"))
