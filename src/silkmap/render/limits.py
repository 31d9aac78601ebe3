"""Export presets, limits and their checks, shared by the CLI (which must not import Qt to
print --help or refuse a bad value) and the renderer."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from silkmap.core.oneline import shown
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
# Animations (--years): GIF, or APNG named .apng or .png. All frames together at most this
# many pixels: 26 years at 1920×1080 fit, every year at 4K does not (memory and minutes).
ANIMATION_SUFFIXES = ("gif", "apng", "png")
MAX_ANIMATION_PIXELS = 60_000_000
ANIMATION_SIZE = (1280, 720)
MIN_DPI = 24


def format_problem(path: Path) -> str | None:
    """Why ``path`` names no export format, or None."""
    if path.suffix.lower().lstrip(".") in FORMATS:
        return None
    return _("cannot tell the format of '{path}': the name must end in .png, .svg or .pdf").format(
        path=shown(path))


def size_problem(width: int, height: int, dpi: int) -> str | None:
    """Why this size or resolution cannot be exported, or None."""
    if not (1 <= width <= MAX_PIXELS and 1 <= height <= MAX_PIXELS):
        return _("size {w}×{h} is out of range: each side must be 1 to {max} pixels").format(
            w=width, h=height, max=MAX_PIXELS)
    if not (MIN_DPI <= dpi <= MAX_DPI):
        return _("dpi {dpi} is out of range (24 to {max})").format(dpi=dpi, max=MAX_DPI)
    return None


def cannot_write(out: Path, exc: OSError) -> str:
    return _("cannot write '{path}': {reason}").format(path=shown(out), reason=exc.strerror or exc)


def target_problem(out: Path) -> str | None:
    """Why ``out`` cannot be written — no folder, a folder, a name too long — or None; asked
    before the painting, so a bad name fails at once."""
    if "\0" in str(out):
        return cannot_write(out, OSError(errno.EINVAL, os.strerror(errno.EINVAL)))
    folder = out.parent if str(out.parent) else Path(".")
    try:
        if not folder.is_dir():
            return _("cannot write '{path}': the folder does not exist").format(path=shown(out))
        if not os.access(folder, os.W_OK):
            return _("cannot write '{path}': the folder is not writable").format(path=shown(out))
        if out.is_dir():
            return _("cannot write '{path}': it is a folder").format(path=shown(out))
        os.stat(out)  # ENAMETOOLONG and the like
    except FileNotFoundError:
        pass
    except OSError as exc:
        return cannot_write(out, exc)
    return None


def animation_problem(path: Path, frames: int, width: int, height: int) -> str | None:
    """Why these frames cannot be one animation file at ``path``, or None."""
    if path.suffix.lower().lstrip(".") not in ANIMATION_SUFFIXES:
        return _("--years writes an animation: '{path}' must end in .gif, .apng or .png").format(path=shown(path))
    total = frames * width * height
    if total > MAX_ANIMATION_PIXELS:
        return _("{frames} frames of {w}×{h} exceed the animation budget of {max} million pixels; "
                 "give fewer years or a smaller --size").format(frames=frames, w=width, h=height,
                                                                 max=MAX_ANIMATION_PIXELS // 1_000_000)
    return None
