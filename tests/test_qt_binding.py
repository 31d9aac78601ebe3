"""Guard against a Qt for Python build that corrupts None's reference count.

PySide6 6.12.0 on Python 3.11 drops a reference to None on every call of a method that
returns void; a session that pans and zooms for a while then dies in the garbage collector.
"""

import sys


def test_void_methods_keep_none_alive(qapp):
    from PySide6.QtGui import QPainterPath

    path = QPainterPath()
    before = sys.getrefcount(None)
    for _ in range(1000):
        path.moveTo(1.0, 2.0)
        path.closeSubpath()
    assert sys.getrefcount(None) - before > -50


def test_pyside_reads_no_source_of_silkmaps_or_the_standard_librarys_modules(monkeypatch):
    """PySide reads every newly imported module's source for its __feature__ switch; ours and
    the standard library's are answered without it (ui/import_scan.py), any other as before."""
    import inspect
    import json
    import types

    from silkmap.ui.import_scan import skip_source_scan

    assert skip_source_scan() and skip_source_scan()  # twice: the scan is wrapped once
    feature = sys.modules["shibokensupport.feature"]
    read = []
    monkeypatch.setattr(inspect, "getsource", lambda m: read.append(m.__name__) or "import PySide6")
    assert feature._mod_uses_pyside(types.ModuleType("silkmap.render.some_layer")) is True
    assert feature._mod_uses_pyside(json) is False
    assert read == []
    assert feature._mod_uses_pyside(types.ModuleType("someones_plugin")) is True
    assert read == ["someones_plugin"]
    # That the window's start-up applies it: tests/test_deferred_panels.py.
