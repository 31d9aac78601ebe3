"""The window's title before a project is opened or saved."""

from __future__ import annotations

from silkmap.i18n import _


def untitled_title() -> str:
    return _("silkmap — China and Central Asia") + "[*]"
