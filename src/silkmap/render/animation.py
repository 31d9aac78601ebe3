"""The map year by year as one animated file: GIF or APNG, one frame per year.

Each frame is a static export of its year (``MapExporter``: same renderer, same layout) with
the year as a large caption, the legend and the source footer. Frames are drawn one after
another on a worker (a signal is acted on between them), encoded by Pillow in memory and
written atomically like every export: a failure or a signal leaves no file behind.

GIF has 256 colours: every frame is reduced to one palette, made from the frame with the most
of the map's colours (the legend holds every level and symbol in each frame), without
dithering, so the map's flat fills stay flat and nothing flickers between frames.
"""

from __future__ import annotations

import io

from PySide6.QtGui import QImage

from silkmap.core import interrupt
from silkmap.core.atomic_file import write_atomically
from silkmap.i18n import _
from silkmap.render.limits import cannot_write
from silkmap.render.year_style import year_text

FRAME_MS = 700  # as the window's play button
LAST_FRAME_MS = 2500  # the last year stays a while before the loop starts again
ANIMATION_FORMATS = ("gif", "apng")


def to_pil(img: QImage):
    """The QImage as a Pillow RGB image (one copy of its pixels)."""
    from PIL import Image

    rgb = img.convertToFormat(QImage.Format.Format_RGB888)
    w, h, bpl = rgb.width(), rgb.height(), rgb.bytesPerLine()
    return Image.frombuffer("RGB", (w, h), bytes(rgb.constBits()), "raw", "RGB", bpl, 1)


def frames(exporter, spec, extent, years, progress=None):
    """(year, QImage) for each year: ``spec`` with that year and its caption."""
    from dataclasses import replace

    for i, year in enumerate(years):
        interrupt.check()
        if progress:
            progress(i, len(years))
        yield year, exporter.render_image(replace(spec, year=year, caption=year_text(year)), extent)


def encode(images, fmt: str, meta: dict[str, str]) -> bytes:
    """The animation's bytes: ``images`` are Pillow RGB images, one per year."""
    durations = [FRAME_MS] * (len(images) - 1) + [LAST_FRAME_MS]
    buf = io.BytesIO()
    if fmt == "gif":
        from PIL import Image

        # The palette of the frame with the most colours (the latest years have the most
        # routes and projects), applied to all: a palette per frame makes the fills flicker.
        ref = images[-1].quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        paletted = [im.quantize(palette=ref, dither=Image.Dither.NONE) for im in images]
        paletted[0].save(buf, format="GIF", save_all=True, append_images=paletted[1:], duration=durations,
                         loop=0, optimize=False, disposal=1,
                         comment=(meta.get("Source", "")[:250]).encode("utf-8"))
    else:
        from PIL.PngImagePlugin import PngInfo

        info = PngInfo()
        for key, value in meta.items():
            info.add_itxt(key, value)
        images[0].save(buf, format="PNG", save_all=True, append_images=images[1:], duration=durations,
                       loop=0, default_image=False, pnginfo=info, compress_level=3)
    return buf.getvalue()


def export_animation(exporter, spec, extent, years, out, fmt: str, progress=None) -> None:
    """Draw every year, encode, and write ``out`` atomically. Raises ExportError (one line)."""
    from silkmap.render.export import ExportError, _on_worker

    def work():
        images, meta = [], None
        for year, img in frames(exporter, spec, extent, years, progress):
            images.append(to_pil(img))
            if meta is None:
                meta = {k: img.text(k) for k in img.textKeys()}
        interrupt.check()
        return encode(images, fmt, meta or {})

    data = _on_worker(work)
    if not data:
        raise ExportError(_("could not write '{path}'").format(path=out))
    try:
        write_atomically(out, data)
    except OSError as exc:
        raise ExportError(cannot_write(out, exc)) from None
