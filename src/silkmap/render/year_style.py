"""How the map shows a year (core/years.py's YearState): partnership colours, and routes and
projects by their status that year.

Partnership levels are ordinal, so their fills are one sequential scale, light to dark, from
ColorBrewer's YlGn (readable with the common colour-vision deficiencies, and in grey; not
blue, so lakes and rivers stay visible on it, and not orange or purple, China's fill and the road's).
Routes and projects not yet agreed are not drawn; agreed or being built ones are ghosted
(their colour faded, their line dashed as planned or under construction); stalled ones are
ghosted and crossed.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from silkmap.core import years
from silkmap.i18n import _
from silkmap.render import style

# Light to dark, YlGn lightened: the darkest steps would bury the countries' names, the routes
# and the projects' dark green diamonds on them.
_SCALE = ("#eaf5c4", "#c5e49d", "#97cf83", "#66b070")
NO_LEVEL_FILL = QColor("#dad6cc")  # a focus country without a partnership that year
GHOST_WHITE = 0.55  # share of white mixed into a ghosted route's or project's colour
STALLED_MARK = QColor("#b2182b")

# The timeline's status of a route or project → how its line is dashed.
DASH_OF = {"open": "operating", "construction": "under_construction", "agreed": "planned",
           "stalled": "planned"}
GHOSTED = frozenset({"construction", "agreed", "stalled"})


def year_text(year: int) -> str:
    """A year as shown: the number, or the caravan era's name."""
    return _("Silk Road era") if year == years.SILK_ROAD_ERA else str(year)


def level_ids() -> tuple[str, ...]:
    return tuple(lid for lid, _msgid in years.LEVELS)


def level_msgid(level_id: str) -> str:
    """The level's English msgid, for ``_()``."""
    return dict(years.LEVELS).get(level_id, level_id)


def level_fills() -> dict[str, QColor]:
    """Each level's fill, lowest first, spread over the scale."""
    ids = level_ids()
    n = len(ids)
    if n == 1:
        return {ids[0]: QColor(_SCALE[2])}
    return {lid: QColor(_SCALE[round(i * (len(_SCALE) - 1) / (n - 1))]) for i, lid in enumerate(ids)}


_FILLS: dict[str, QColor] | None = None


def level_fill(level_id: str | None) -> QColor:
    global _FILLS
    if _FILLS is None:
        _FILLS = level_fills()
    return _FILLS.get(level_id, NO_LEVEL_FILL) if level_id is not None else NO_LEVEL_FILL


def colours_by_level(state, layers_on) -> bool:
    """Whether the countries are filled by partnership level: the layer is on and the year has
    levels (the Silk Road era has none)."""
    return layers_on("partnership") and state is not None and state.year != years.SILK_ROAD_ERA


def country_fill(iso3: str, state, by_level: bool, classes=None) -> QColor:
    """A focus country's fill: its level that year, or with ``classes`` (a measure's
    core/choropleth.MapClasses) its class, or its own colour (China always: the levels and
    the measures are of relations with China)."""
    if by_level and classes is not None:
        from silkmap.render.choropleth import fill_of

        fill = fill_of(classes, iso3)
        return fill if fill is not None else style.FOCUS_FILL[iso3]
    if by_level and iso3 in state.level:
        return level_fill(state.level[iso3])
    return style.FOCUS_FILL[iso3]


def selected_fill(iso3: str, state, by_level: bool, classes=None) -> QColor | None:
    """The selected country's fill over its level or class colour: the same hue, deeper, so
    the class still reads (None: not filled by level or class, or a gap; the country's own
    tint applies)."""
    if by_level and classes is not None:
        j = classes.of.get(iso3)
        if j is None:
            return None
        from silkmap.render.choropleth import class_colours

        colour = class_colours(classes)[j]
    elif by_level and iso3 in state.level:
        colour = level_fill(state.level[iso3])
    else:
        return None
    h, sat, v, _a = colour.getHsvF()
    return QColor.fromHsvF(max(h, 0.0), min(1.0, sat * 1.35 + 0.15), v * 0.82)


def route_status(route, state) -> str | None:
    """The route's timeline status this year (None: not drawn). The historical Silk Road stays
    under the modern corridors in every year, as on today's map; the era shows it alone."""
    if state is None or route.era == "historical":
        return "open"
    if state.year == years.SILK_ROAD_ERA:
        return None
    return state.route_status.get(route.id, "open")


def dash_status(route, status: str) -> str:
    """The route's line style (style.STATUS_DASH key) for its timeline status."""
    if route.era == "historical":
        return "historical"
    return DASH_OF.get(status, "operating")


def ghost(colour: QColor) -> QColor:
    c = QColor(colour)
    w = GHOST_WHITE
    return QColor(int(c.red() + (255 - c.red()) * w), int(c.green() + (255 - c.green()) * w),
                  int(c.blue() + (255 - c.blue()) * w))


def route_colour(route, status: str) -> QColor:
    colour = style.ROUTE_COLOUR[route.kind]
    return ghost(colour) if status in GHOSTED else colour


def project_status(pid: str, state) -> str | None:
    if state is None:
        return "open"
    if state.year == years.SILK_ROAD_ERA:
        return None
    return state.project_status.get(pid, "open")


def paint_stalled_mark(painter: QPainter, x: float, y: float, s: float = 1.0) -> None:
    """A small cross with a white halo: "stalled"."""
    r = 4.2 * s
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    for colour, width in ((QColor("white"), 4.2 * s), (STALLED_MARK, 2.0 * s)):
        pen = QPen(colour, width)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.drawLine(QPointF(x - r, y - r), QPointF(x + r, y + r))
        painter.drawLine(QPointF(x - r, y + r), QPointF(x + r, y - r))
    painter.restore()
