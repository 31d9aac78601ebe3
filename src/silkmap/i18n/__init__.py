"""The one translation mechanism for every user-visible string (GNU gettext catalogs).

Interface strings are marked with ``_()``; data texts (names, summaries) carry all three
languages in the asset files and are picked with ``text()``. Qt-free, so the core, the CLI
and the headless export share it with the window.
"""

from __future__ import annotations

import gettext
import locale
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


@cache
def _catalog(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[_gettext_dir(lang)], fallback=True)


def system_language() -> str:
    """zh_CN/zh_SG → zh-Hans, zh_TW/zh_HK/zh_MO → zh-Hant, anything else → en."""
    tag = ""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if os.environ.get(var):
            tag = os.environ[var]
            break
    if not tag:
        try:
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


def _(msgid: str) -> str:
    return _catalog(_current).gettext(msgid)


def N_(msgid: str) -> str:
    """Mark a string for extraction without translating it yet (module-level tables)."""
    return msgid


def text(t: dict[str, str] | None, lang: str | None = None) -> str:
    if not t:
        return ""
    return t.get(lang or _current) or t.get("en", "")
