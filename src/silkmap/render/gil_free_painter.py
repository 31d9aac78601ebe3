"""A QPainter for worker threads whose costly calls run without holding the GIL.

PySide6 keeps the GIL for the whole of every Qt call, so a worker filling China at 4K (tens of
milliseconds in one ``drawPath``) freezes the UI thread for as long. ctypes releases the GIL
around a foreign call, so the few calls that take time — filling and stroking paths, filling
rectangles, drawing images — go to Qt's own exported functions through ctypes with the same
C++ objects; everything else is the wrapped QPainter's. The pixels are Qt's either way.

Linux only (the library is found in /proc/self/maps); elsewhere, or if a symbol is missing,
``wrap`` returns the painter itself.
"""

from __future__ import annotations

import ctypes

import shiboken6
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QBrush, QColor, QImage, QPainterPath

from silkmap.render import yield_to_ui
from silkmap.render.style import solid_brush

_SYMBOLS = {
    "drawPath": "_ZN8QPainter8drawPathERK12QPainterPath",
    "fillPath": "_ZN8QPainter8fillPathERK12QPainterPathRK6QBrush",
    "fillRectF": "_ZN8QPainter8fillRectERK6QRectFRK6QColor",
    "drawImageAt": "_ZN8QPainter9drawImageERK7QPointFRK6QImage",
    # drawImage(const QRectF &target, const QImage &, const QRectF &source, Qt::ImageConversionFlags)
    "drawImageRect": "_ZN8QPainter9drawImageERK6QRectFRK6QImageS2_6QFlagsIN2Qt19ImageConversionFlagEE",
    "fillImage": "_ZN6QImage4fillERK6QColor",
    "assignImage": "_ZN6QImageaSERKS_",  # QImage::operator=(const QImage &)
}


def _load():
    try:
        with open("/proc/self/maps", encoding="ascii", errors="replace") as maps:
            path = next((line.split()[-1] for line in maps if "libQt6Gui.so" in line), None)
        if path is None:
            return None
        lib = ctypes.CDLL(path)  # already loaded by PySide6: the same library, not a copy
        calls = {}
        for name, symbol in _SYMBOLS.items():
            fn = lib[symbol]
            fn.restype = None
            if name == "drawImageRect":
                fn.argtypes = [ctypes.c_void_p] * 4 + [ctypes.c_int]  # the flags travel as an int
            else:
                fn.argtypes = [ctypes.c_void_p] * (3 if name == "fillPath" or name.startswith(("fillRect", "drawImage")) else 2)
            calls[name] = fn
        return calls
    except (OSError, AttributeError, StopIteration):
        return None


_CALLS = _load()


def available() -> bool:
    return _CALLS is not None


def disable() -> None:
    """Paint with plain QPainters from now on."""
    global _CALLS
    _CALLS = None


_NULL_IMAGE = QImage()
def release(image: QImage) -> None:
    """Let go of this handle's pixels without the GIL (it becomes a null image).

    The last handle of a 4K frame frees 33 MB, and unmapping it takes milliseconds that the
    thread doing it, and any thread waiting for the GIL meanwhile, would stall for. Other
    handles of the same pixels keep them: Qt's implicit sharing counts atomically.
    """
    if _CALLS is None:
        image.swap(QImage())
    else:
        _CALLS["assignImage"](_ptr(image), _ptr(_NULL_IMAGE))


def _ptr(obj) -> int:
    return shiboken6.getCppPointer(obj)[0]


def fill(image: QImage, colour: QColor) -> None:
    """``image.fill(colour)`` without the GIL."""
    if _CALLS is None:
        image.fill(colour)
    else:
        c = QColor(colour)  # held until the call returns: the C++ object must outlive it
        _CALLS["fillImage"](_ptr(image), _ptr(c))


class GilFreePainter:
    """Wraps a QPainter; the costly calls of the renderer run with the GIL released."""

    def __init__(self, painter, yield_to_ui: bool = False) -> None:
        self._painter = painter
        self._this = _ptr(painter)
        self._yield = yield_to_ui

    def __getattr__(self, name):
        return getattr(self._painter, name)

    def drawPath(self, path) -> None:
        if isinstance(path, QPainterPath):
            self._yield and yield_to_ui.wait()
            _CALLS["drawPath"](self._this, _ptr(path))
        else:
            self._painter.drawPath(path)

    def fillPath(self, path, brush) -> None:
        if isinstance(path, QPainterPath) and isinstance(brush, (QBrush, QColor)):
            b = brush if isinstance(brush, QBrush) else solid_brush(brush)
            self._yield and yield_to_ui.wait()
            _CALLS["fillPath"](self._this, _ptr(path), _ptr(b))
        else:
            self._painter.fillPath(path, brush)

    def fillRect(self, *args) -> None:
        if len(args) == 2 and isinstance(args[0], QRectF) and isinstance(args[1], QColor):
            self._yield and yield_to_ui.wait()
            _CALLS["fillRectF"](self._this, _ptr(args[0]), _ptr(args[1]))
        else:
            self._painter.fillRect(*args)

    def drawImage(self, *args) -> None:
        self._yield and yield_to_ui.wait()
        if len(args) == 2 and isinstance(args[0], QPointF) and isinstance(args[1], QImage):
            _CALLS["drawImageAt"](self._this, _ptr(args[0]), _ptr(args[1]))
        elif len(args) == 3 and isinstance(args[0], QRectF) and isinstance(args[1], QImage) \
                and isinstance(args[2], QRectF):  # a part of an image, scaled (the relief)
            _CALLS["drawImageRect"](self._this, _ptr(args[0]), _ptr(args[1]), _ptr(args[2]), 0)
        else:
            self._painter.drawImage(*args)


def wrap(painter, yield_to_ui: bool = False):
    return GilFreePainter(painter, yield_to_ui) if _CALLS is not None else painter
