"""Chinese text on any machine: the bundled font subsets, registered with Qt as fallbacks.

``register_fonts()`` adds the fonts in ``silkmap/i18n/fonts`` to Qt's application font
database and puts their families into the application font's family list, so every QFont
the app makes (widgets, the details panel, the map renderer's ``QFont()``, the legend and
the export) finds Chinese glyphs without any CJK font installed. In Chinese the bundled
family comes first (Chinese punctuation and a consistent look for mixed text); in English
the system's family does and the bundled ones only fill in. The order follows language
changes. Call it once after the QGuiApplication exists; calling it again is harmless.
"""

from __future__ import annotations

from silkmap import i18n
from silkmap.i18n.fontfiles import FONTS, cjk_families, font_files

_registered: list[str] | None = None  # families Qt reported for the bundled files
_base: list[str] = []  # the application font's own families before ours were added


def register_fonts() -> list[str]:
    """Register the bundled fonts (once) and apply the current language's fallbacks."""
    global _registered, _base
    from PySide6.QtGui import QFontDatabase, QFontInfo, QGuiApplication

    if QGuiApplication.instance() is None:
        raise RuntimeError("register_fonts() needs a QGuiApplication")
    if _registered is None:
        families: list[str] = []
        for path in font_files():
            fid = QFontDatabase.addApplicationFont(str(path)) if path.is_file() else -1
            if fid < 0:
                continue  # an incomplete installation: Chinese falls back to the system's fonts
            families += [f for f in QFontDatabase.applicationFontFamilies(fid) if f not in families]
        _registered = families
        ours = {family for family, *_files in FONTS.values()}
        font = QGuiApplication.font()
        # The families as given ("Sans Serif") and the one they resolve to ("DejaVu Sans"):
        # in a family list Qt takes the first *installed* family, and a fontconfig alias such
        # as "Sans Serif" is none, so without the resolved name our CJK family would win.
        _base = [f for f in dict.fromkeys([*font.families(), QFontInfo(font).family()]) if f not in ours]
        i18n.language_changed.connect(apply_language)
    apply_language(i18n.current())
    return list(_registered)


def families_for(lang: str) -> list[str]:
    """The application font's family list for ``lang``."""
    cjk = [f for f in cjk_families(lang) if _registered and f in _registered]
    return _base + cjk if lang == "en" else cjk + _base


def apply_language(lang: str) -> None:
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance()
    if app is None or _registered is None:
        return
    font = QGuiApplication.font()
    wanted = families_for(lang)
    if font.families() == wanted:
        return
    font.setFamilies(wanted)
    if app.inherits("QApplication"):  # widgets follow only QApplication.setFont
        from PySide6.QtWidgets import QApplication

        QApplication.setFont(font)
    else:
        QGuiApplication.setFont(font)
