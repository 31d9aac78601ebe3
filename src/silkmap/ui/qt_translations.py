"""Qt's own texts (standard buttons such as Cancel, Yes, OK; file dialogs) in the app's language.

silkmap's strings come from its gettext catalogs; the few that Qt itself draws come from the
``qtbase_*.qm`` files that ship with PySide6. The translator follows language changes.
"""

from __future__ import annotations

from silkmap import i18n

QT_CATALOG = {"zh-Hans": "qtbase_zh_CN", "zh-Hant": "qtbase_zh_TW"}

_translator = None
_connected = False


def install_qt_translations() -> None:
    global _connected
    if not _connected:
        i18n.language_changed.connect(apply_language)
        _connected = True
    apply_language(i18n.current())


def apply_language(lang: str) -> None:
    global _translator
    from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

    app = QCoreApplication.instance()
    if app is None:
        return
    if _translator is not None:
        app.removeTranslator(_translator)
        _translator = None
    name = QT_CATALOG.get(lang)
    if name is None:
        return
    translator = QTranslator(app)
    if translator.load(name, QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(translator)
        _translator = translator
