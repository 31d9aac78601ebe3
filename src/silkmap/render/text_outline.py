"""Text that any SVG or PDF reader shows: glyph outlines instead of font references.

An SVG ``<text>`` element names a font family; a reader without that family (the bundled
Chinese subsets are installed nowhere but in silkmap) substitutes another or draws boxes.
Painting into an SVG or PDF, ``draw_text`` fills the glyphs' outlines with the pen's colour,
laid out as ``QPainter.drawText`` lays them out (alignment, word wrap, font fallback);
everywhere else (the window, PNG) it is ``drawText`` itself.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QPainter, QPaintEngine, QPainterPath

from silkmap.render.style import solid_brush

_VECTOR_ENGINES = (QPaintEngine.Type.SVG, QPaintEngine.Type.Pdf)


def is_vector(painter: QPainter) -> bool:
    engine = painter.paintEngine()
    return engine is not None and engine.type() in _VECTOR_ENGINES


def draw_text(painter: QPainter, where: QRectF | QPointF, txt: str, flags=Qt.AlignmentFlag.AlignLeft) -> None:
    """``painter.drawText(where, flags, txt)`` (a rectangle) or ``drawText(where, txt)`` (a
    baseline point), as outlines when the painter writes a vector file."""
    if not is_vector(painter):
        if isinstance(where, QPointF):
            painter.drawText(where, txt)
        else:
            painter.drawText(where, flags, txt)
        return
    if isinstance(where, QPointF):
        path = QPainterPath()
        path.addText(where, painter.font(), txt)
    else:
        path = text_path(txt, painter.font(), where, flags)
    painter.fillPath(path, solid_brush(painter.pen().color()))


def text_path(txt: str, font: QFont, rect: QRectF, flags) -> QPainterPath:
    """The outlines of ``txt`` placed in ``rect`` as drawText places it: one line, or broken at
    word boundaries with ``Qt.TextWordWrap``; aligned left/centre/right and top/centre/bottom."""
    flags = int(flags)
    wrap = bool(flags & Qt.TextFlag.TextWordWrap.value)
    from PySide6.QtGui import QTextLayout, QTextOption  # vector exports only

    layout = QTextLayout(txt, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap if wrap else QTextOption.WrapMode.NoWrap)
    layout.setTextOption(option)
    lines = []
    height = 0.0
    layout.beginLayout()
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(rect.width())
        line.setPosition(QPointF(0, height))
        height += line.height()
        lines.append(line)
    layout.endLayout()
    if flags & Qt.AlignmentFlag.AlignVCenter.value:
        top = rect.top() + (rect.height() - height) / 2
    elif flags & Qt.AlignmentFlag.AlignBottom.value:
        top = rect.bottom() - height
    else:
        top = rect.top()
    path = QPainterPath()
    for line in lines:
        part = txt[line.textStart():line.textStart() + line.textLength()].rstrip()
        width = line.naturalTextWidth()
        if flags & Qt.AlignmentFlag.AlignHCenter.value:
            x = rect.left() + (rect.width() - width) / 2
        elif flags & Qt.AlignmentFlag.AlignRight.value:
            x = rect.right() - width
        else:
            x = rect.left()
        path.addText(QPointF(x, top + line.y() + line.ascent()), font, part)
    return path
