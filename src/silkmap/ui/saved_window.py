"""Checks for what the settings file says about the window: layers, geometry, dock layout.

Every value is treated as untrusted (an old version's, a hand edit, garbage): a wrong type
or size falls back to the default, and the restored window always lands on a screen.
"""

from __future__ import annotations

import json
from typing import NamedTuple

from silkmap.core import years
from silkmap.core.state import LAYERS

# Qt's saveGeometry() is 66 bytes and saveState() a few hundred; far more is not theirs.
MAX_GEOMETRY_BYTES = 1024
MAX_STATE_BYTES = 64 * 1024
MAX_LAYERS_CHARS = 1024  # the saved layers are ~150 characters of JSON
DEFAULT_SIZE = (1280, 800)


def saved_layers(value) -> dict[str, bool]:
    """The known layers with a true/false value in the saved JSON text; nothing else."""
    if not isinstance(value, str) or len(value) > MAX_LAYERS_CHARS:
        return {}
    try:
        data = json.loads(value)
    except (ValueError, RecursionError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {name: on for name, on in data.items() if name in LAYERS and isinstance(on, bool)}


def saved_year(value) -> int | None:
    """The year in the settings file, if it is one of the timeline's stops; else None."""
    if isinstance(value, bool) or not isinstance(value, (int, str)) or len(str(value)) > 6:
        return None
    try:
        year = int(str(value).strip())
    except ValueError:
        return None
    return year if year in years.STOPS else None


def _overlap(a, x: int, y: int, w: int, h: int) -> int:
    """Area shared by QRect ``a`` and (x, y, w, h), in Python integers: a restored geometry
    may sit at INT32 extremes, where QRect's own arithmetic overflows."""
    dx = min(a.x() + a.width(), x + w) - max(a.x(), x)
    dy = min(a.y() + a.height(), y + h) - max(a.y(), y)
    return max(dx, 0) * max(dy, 0)


def keep_on_screen(window) -> None:
    """Move and shrink ``window`` so all of it, frame included, lies in the available area of
    the screen it overlaps most (the primary screen if none): no larger than that area, no
    smaller than the window's minimum. The frame is known only once the window is shown, so
    the window calls this before (no huge backing store) and on its first show."""
    from PySide6.QtGui import QGuiApplication

    screens = QGuiApplication.screens()
    if not screens:
        return
    g, f = window.geometry(), window.frameGeometry()
    left, top = g.x() - f.x(), g.y() - f.y()
    extra_w, extra_h = f.width() - g.width(), f.height() - g.height()
    if not (0 <= left <= 200 and 0 <= top <= 200 and 0 <= extra_w <= 400 and 0 <= extra_h <= 400):
        left = top = extra_w = extra_h = 0  # no frame yet, or an overflowed one
    w, h = g.width() + extra_w, g.height() + extra_h
    x, y = g.x() - left, g.y() - top
    if g.width() <= 0 or g.height() <= 0 or w > 1 << 20 or h > 1 << 20:  # negative, empty or overflowed
        w, h = DEFAULT_SIZE[0] + extra_w, DEFAULT_SIZE[1] + extra_h
    best = max(screens, key=lambda s: _overlap(s.availableGeometry(), x, y, w, h))
    if _overlap(best.availableGeometry(), x, y, w, h) == 0:
        best = QGuiApplication.primaryScreen() or screens[0]
    area = best.availableGeometry()
    min_size = window.minimumSize()
    w = max(min(w, area.width()), min(min_size.width() + extra_w, area.width()))
    h = max(min(h, area.height()), min(min_size.height() + extra_h, area.height()))
    x = min(max(x, area.x()), area.x() + area.width() - w)
    y = min(max(y, area.y()), area.y() + area.height() - h)
    wanted = (x + left, y + top, w - extra_w, h - extra_h)
    if wanted != (g.x(), g.y(), g.width(), g.height()):
        window.setGeometry(*wanted)


PANEL_SIZES_KEY = "panelSizes/{lang}"
MAX_PANEL_PX = 2000


class PanelSizes(NamedTuple):
    """What the docks need of their panels before the panels exist (logical pixels)."""

    layers_width: int
    timeline_height: int


def _panel_font_key(font, dpi: int) -> str:
    return f"{font.key()}@{dpi}"


def saved_panel_sizes(settings, lang: str, font, dpi: int) -> PanelSizes | None:
    """The panels' sizes as measured at an earlier start in ``lang`` with this font and
    resolution, so the window can lay out around them before they are built; None if unknown."""
    value = settings.value(PANEL_SIZES_KEY.format(lang=lang))
    if not isinstance(value, str) or len(value) > 512:
        return None
    parts = value.split(" ", 2)
    if len(parts) != 3 or parts[2] != _panel_font_key(font, dpi) or not all(p.isdigit() for p in parts[:2]):
        return None
    sizes = PanelSizes(int(parts[0]), int(parts[1]))
    return sizes if all(0 < n <= MAX_PANEL_PX for n in sizes) else None


def save_panel_sizes(settings, lang: str, font, dpi: int, sizes: PanelSizes) -> None:
    value = f"{sizes.layers_width} {sizes.timeline_height} {_panel_font_key(font, dpi)}"
    key = PANEL_SIZES_KEY.format(lang=lang)
    if settings.value(key) != value:
        settings.setValue(key, value)
