"""Colours, pens and symbols of the map (one place, so the legend and the map agree)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QPen

# Okabe–Ito colours: distinguishable with the common forms of colour-vision deficiency.
FOCUS_BASE = {"KAZ": "#56B4E9", "KGZ": "#009E73", "TJK": "#CC79A7", "TKM": "#F0E442",
              "UZB": "#E69F00", "CHN": "#D55E00"}
WATER = QColor("#cfe0ec")
NEIGHBOUR_FILL = QColor("#ebe8e1")
NEIGHBOUR_EDGE = QColor("#b9b3a6")
FOCUS_EDGE = QColor("#4d4d4d")
SELECTED_EDGE = QColor("#111111")
LABEL = QColor("#1d1d1d")
LABEL_NEIGHBOUR = QColor("#77736a")
HALO = QColor(255, 255, 255, 215)
HUB = QColor("#b2182b")
CAPITAL = QColor("#1d1d1d")
CITY = QColor("#6b4226")
PROJECT = QColor("#1b6e3a")


def solid_brush(colour: QColor) -> QBrush:
    """``QBrush(colour)`` without its overloaded constructor, whose resolution makes PySide
    build the gradient, pixmap and image classes' Python enums (≈2 ms, once) before the
    first map can paint."""
    brush = QBrush()
    brush.setColor(colour)
    brush.setStyle(Qt.BrushStyle.SolidPattern)
    return brush


def _mix(hex_colour: str, white: float) -> QColor:
    c = QColor(hex_colour)
    return QColor(int(c.red() + (255 - c.red()) * white), int(c.green() + (255 - c.green()) * white),
                  int(c.blue() + (255 - c.blue()) * white))


FOCUS_FILL = {k: _mix(v, 0.55) for k, v in FOCUS_BASE.items()}
NEIGHBOUR_HIDDEN = QColor("#dce8f0")  # neighbours switched off: land shown as pale water

# Hover and selection tint the plain fill with the country's own colour. Over FOCUS_FILL
# (45 % colour, 55 % white) an alpha of 0.31 gives 62 % colour, 0.78 gives 88 %.
_HOVER_ALPHA, _SELECTED_ALPHA = 0.31, 0.78


def hover_tint(iso3: str | None) -> QColor:
    c = QColor(FOCUS_BASE[iso3]) if iso3 else QColor(60, 50, 30)
    c.setAlphaF(_HOVER_ALPHA if iso3 else 0.10)
    return c


def selected_tint(iso3: str) -> QColor:
    c = QColor(FOCUS_BASE.get(iso3, "#777777"))
    c.setAlphaF(_SELECTED_ALPHA)
    return c

ROUTE_COLOUR = {"caravan": QColor("#8b4513"), "rail": QColor("#1a1a1a"), "road": QColor("#6a3d9a"),
                "pipeline_gas": QColor("#005a9c"), "pipeline_oil": QColor("#8e1b12")}
ROUTE_WIDTH = {"caravan": 3.0, "rail": 2.2, "road": 2.2, "pipeline_gas": 2.2, "pipeline_oil": 2.2}
STATUS_DASH = {"historical": [3.0, 1.6], "operating": None, "under_construction": [4.0, 2.0],
               "planned": [0.8, 1.8], "stalled": [0.8, 1.8]}
ROUTE_LAYER = {"caravan": "historical", "rail": "rail", "road": "road",
               "pipeline_gas": "pipeline", "pipeline_oil": "pipeline"}


def route_pen(kind: str, status: str, scale: float = 1.0, highlight: bool = False) -> QPen:
    colour = QColor(ROUTE_COLOUR[kind])
    width = ROUTE_WIDTH[kind] * scale * (1.7 if highlight else 1.0)
    pen = QPen(colour, width)
    pen.setCosmetic(True)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap if status == "planned" else Qt.PenCapStyle.FlatCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    dash = STATUS_DASH[status]
    if dash:
        pen.setDashPattern(dash)
    return pen


def casing_pen(kind: str, scale: float = 1.0, highlight: bool = False) -> QPen:
    width = (ROUTE_WIDTH[kind] + 2.2) * scale * (1.7 if highlight else 1.0)
    # Opaque: a translucent casing costs a blend per pixel and doubles a route's paint time.
    pen = QPen(QColor(255, 255, 255) if not highlight else QColor("#fff6c2"), width)
    pen.setCosmetic(True)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def cosmetic(colour: QColor, width: float) -> QPen:
    pen = QPen(colour, width)
    pen.setCosmetic(True)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def in_output_units(pen: QPen) -> QPen:
    """The pen with its width in the painter's units rather than device pixels: what vector
    files need (SVG readers such as librsvg ignore vector-effect="non-scaling-stroke")."""
    out = QPen(pen)
    out.setCosmetic(False)
    return out


# Water drawn over the land: rivers a deeper blue than the lakes so a thin line still reads on
# every fill; the 1960 Aral shore dashed, a line of the past.
RIVER = QColor("#3d7ab8")
LAKE_SHORE = QColor("#7da6c8")
HISTORIC_SHORE = QColor("#3d7ab8")
NO_BRUSH = Qt.BrushStyle.NoBrush


def river_pen(width: float) -> QPen:
    pen = cosmetic(RIVER, width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    return pen


def historic_shore_pen(scale: float = 1.0) -> QPen:
    pen = cosmetic(HISTORIC_SHORE, 1.1 * scale)
    pen.setDashPattern([4.0, 3.0])
    return pen
