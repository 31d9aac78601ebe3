"""Export presets, limits and their checks, shared by the CLI (which must not import Qt to
print --help or refuse a bad value) and the renderer."""

from __future__ import annotations

from pathlib import Path

from silkmap.i18n import _

MAX_PIXELS = 16384
MAX_DPI = 1200
# name: (width px, height px, dpi) — A4 landscape is 297 × 210 mm, i.e. 3508 × 2480 at 300 dpi.
PRESETS = {
    "slide": (1920, 1080, 96),
    "a4": (3508, 2480, 300),
    "square": (1080, 1080, 96),
}
PRESET_HELP = "slide (1920x1080), a4 (A4 landscape, 3508x2480 at 300 dpi), square (1080x1080)"
FORMATS = ("png", "svg", "pdf")
MIN_DPI = 24


def format_problem(path: Path) -> str | None:
    """Why ``path`` names no export format, or None."""
    if path.suffix.lower().lstrip(".") in FORMATS:
        return None
    return _("cannot tell the format of '{path}': the name must end in .png, .svg or .pdf").format(path=path)


def size_problem(width: int, height: int, dpi: int) -> str | None:
    """Why this size or resolution cannot be exported, or None."""
    if not (1 <= width <= MAX_PIXELS and 1 <= height <= MAX_PIXELS):
        return _("size {w}×{h} is out of range: each side must be 1 to {max} pixels").format(
            w=width, h=height, max=MAX_PIXELS)
    if not (MIN_DPI <= dpi <= MAX_DPI):
        return _("dpi {dpi} is out of range (24 to {max})").format(dpi=dpi, max=MAX_DPI)
    return None
