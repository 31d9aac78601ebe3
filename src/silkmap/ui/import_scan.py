"""Spare silkmap's modules PySide's per-import source scan.

Once PySide6 is imported, every module imported after it is handed to
``shibokensupport.feature._mod_uses_pyside``, which reads the module's whole source file to
look for the word "PySide6" (to decide whether ``from __feature__ import snake_case`` could
apply to it, PYSIDE-2029). For the hundred-odd modules the window imports before its first
paint that is ≈15 ms of reading files whose answer is known: silkmap's modules use PySide6
(and none of them switches a feature), the standard library's do not.
"""

from __future__ import annotations

import importlib
import sys

_PACKAGE = __name__.split(".", 1)[0]


def skip_source_scan() -> bool:
    """Answer the scan without reading the source for silkmap's and the standard library's
    modules; any other module is still read. Whether it took effect (False when this PySide
    has no such scan)."""
    importlib.import_module("PySide6.QtCore")  # which loads shibokensupport.feature

    feature = sys.modules.get("shibokensupport.feature")
    scan = getattr(feature, "_mod_uses_pyside", None)
    if scan is None or not callable(scan):
        return False
    if getattr(scan, "known_answers", False):
        return True

    def uses_pyside(module) -> bool:
        top = str(getattr(module, "__name__", "")).split(".", 1)[0]
        if top == _PACKAGE:
            return True
        if top in sys.stdlib_module_names:
            return False
        return scan(module)

    uses_pyside.known_answers = True
    feature._mod_uses_pyside = uses_pyside
    return True
