"""The one translation mechanism for every user-visible string (GNU gettext catalogs).

Interface strings are marked with ``_()``; data texts (names, summaries) carry all three
languages in the asset files and are picked with ``text()``. Qt-free, so the core, the CLI
and the headless export share it with the window.

The catalogs are the ``.po`` files themselves, ``locale/<zh_Hans|zh_Hant>/LC_MESSAGES/silkmap.po``,
read by the strict parser in :mod:`silkmap.i18n.po` (no compiled ``.mo`` files). English is
the source language. ``tools/i18n.py`` extracts the messages and merges them into the catalogs
(``make i18n``); see the README's "Languages" section.
"""

from __future__ import annotations

import gettext
import os
from functools import cache
from pathlib import Path

from silkmap.core.signals import Signal

LANGUAGES = ("en", "zh-Hans", "zh-Hant")
LANGUAGE_NAMES = {"en": "English", "zh-Hans": "简体中文", "zh-Hant": "繁體中文"}
DOMAIN = "silkmap"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

language_changed = Signal()
_current = "en"


def _gettext_dir(lang: str) -> str:
    return lang.replace("-", "_")


def catalog_path(lang: str) -> Path:
    return LOCALE_DIR / _gettext_dir(lang) / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def _catalog(lang: str) -> gettext.NullTranslations:
    """The translations of ``lang``; English, or a language without a catalog, translates nothing."""
    path = catalog_path(lang)
    if lang == "en" or not path.is_file():
        return gettext.NullTranslations()
    from silkmap.i18n.po import PoTranslations

    return PoTranslations(path)


def system_language() -> str:
    """zh_CN/zh_SG → zh-Hans, zh_TW/zh_HK/zh_MO → zh-Hant, anything else → en."""
    tag = ""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if os.environ.get(var):
            tag = os.environ[var]
            break
    if not tag:
        try:
            import locale

            tag = locale.getlocale()[0] or ""
        except ValueError:
            tag = ""
    return normalize(tag) or "en"


def normalize(tag: str) -> str | None:
    t = tag.replace("_", "-").split(".")[0].lower()
    if t in ("en", "") or t.startswith("en-"):
        return "en" if t else None
    if t.startswith("zh"):
        if "hant" in t or t.endswith(("-tw", "-hk", "-mo")):
            return "zh-Hant"
        return "zh-Hans"
    return None


def current() -> str:
    return _current


def set_language(lang: str) -> None:
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r} (expected one of {', '.join(LANGUAGES)})")
    if lang != _current:
        _current = lang
        language_changed.emit(lang)


def _(msgid: str, lang: str | None = None) -> str:
    """``msgid`` in the current language (or in ``lang``, for work done off the UI thread)."""
    return _catalog(lang or _current).gettext(msgid)


def pgettext(context: str, msgid: str, lang: str | None = None) -> str:
    """Like ``_()``, for a message that needs a ``msgctxt`` to be told apart."""
    return _catalog(lang or _current).pgettext(context, msgid)


def N_(msgid: str) -> str:
    """Mark a string for extraction without translating it yet (module-level tables)."""
    return msgid


def text(t: dict[str, str] | None, lang: str | None = None) -> str:
    if not t:
        return ""
    return t.get(lang or _current) or t.get("en", "")
