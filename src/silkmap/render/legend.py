"""Legend symbols, drawn with the same pens and brushes as the map."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF

from silkmap.i18n import N_
from silkmap.render import style
from silkmap.render.layers.hub import star

# (layer, route kind or symbol, status, label)
LEGEND_ROWS = (
    ("hub", "hub", None, N_("Xi'an hub")),
    ("capitals", "capital", None, N_("Capital")),
    ("cities", "city", None, N_("Silk Road city, border port")),
    ("projects", "project", None, N_("Belt and Road project")),
    ("historical", "caravan", "historical", N_("Historical Silk Road")),
    ("rail", "rail", "operating", N_("Railway")),
    ("road", "road", "operating", N_("Road corridor")),
    ("pipeline", "pipeline_gas", "operating", N_("Gas pipeline")),
    ("pipeline", "pipeline_oil", "operating", N_("Oil pipeline")),
    (None, "status", "operating", N_("operating")),
    (None, "status", "under_construction", N_("under construction")),
    (None, "status", "planned", N_("planned")),
    (None, "status", "stalled", N_("stalled")),
)
FOCUS_SWATCHES = ("KAZ", "KGZ", "TJK", "TKM", "UZB", "CHN")


def country_rows(atlas, by_level: bool, classes=None) -> list[tuple[QColor, str]]:
    """The legend's fills: the partnership levels, lowest first, then China; with ``classes``
    (core/choropleth.MapClasses) the measure's class ranges, lowest first, "No data" (drawn
    hatched by ``paint_swatch``) and China; or, without either (the layer off, the Silk Road
    era), each country's own colour."""
    from silkmap.i18n import _, text
    from silkmap.render.year_style import level_fill, level_ids, level_msgid

    if not by_level:
        return [(style.FOCUS_FILL[iso], text(atlas.countries[iso].names)) for iso in FOCUS_SWATCHES]
    if classes is not None:
        from silkmap.render.choropleth import NO_DATA, NO_DATA_FILL, class_colours, range_labels

        rows = list(zip(class_colours(classes), range_labels(classes))) + [(NO_DATA_FILL, _(NO_DATA))]
    else:
        rows = [(level_fill(lid), _(level_msgid(lid))) for lid in level_ids()]
    return rows + [(style.FOCUS_FILL["CHN"], text(atlas.countries["CHN"].names))]


def fills_heading(classes) -> str:
    """The title over the fills: the partnership, or the measure with its unit and year."""
    from silkmap.i18n import _

    if classes is None:
        return _("Partnership with China")
    from silkmap.render.choropleth import heading

    return heading(classes)


def fills_notes(atlas, classes) -> list[str]:
    """The lines under a measure's fills: how its classes were made, and its sources."""
    if classes is None:
        return []
    from silkmap.render.choropleth import scheme_line, sources_line

    return [line for line in (scheme_line(classes), sources_line(atlas, classes)) if line]


def paint_symbol(painter: QPainter, rect: QRectF, kind: str, status: str | None, s: float = 1.0) -> None:
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    c = rect.center()
    if kind == "hub":
        painter.setPen(QPen(QColor("white"), 1.6 * s))
        painter.setBrush(style.HUB)
        painter.drawPolygon(star(c.x(), c.y(), 8 * s, 3.4 * s))
    elif kind == "capital":
        painter.setPen(QPen(QColor("white"), 1.2 * s))
        painter.setBrush(style.CAPITAL)
        painter.drawRect(QRectF(c.x() - 4 * s, c.y() - 4 * s, 8 * s, 8 * s))
    elif kind == "city":
        painter.setPen(QPen(QColor("white"), 1.0 * s))
        painter.setBrush(style.CITY)
        painter.drawEllipse(c, 3 * s, 3 * s)
    elif kind == "project":
        r = 5 * s
        painter.setPen(QPen(QColor("white"), 1.2 * s))
        painter.setBrush(style.PROJECT)
        painter.drawPolygon(QPolygonF([QPointF(c.x(), c.y() - r), QPointF(c.x() + r, c.y()),
                                       QPointF(c.x(), c.y() + r), QPointF(c.x() - r, c.y())]))
    elif kind == "status":
        from silkmap.render.year_style import ghost, paint_stalled_mark

        pen = style.in_output_units(style.route_pen("rail", "planned" if status == "stalled" else status, s))
        # Not yet open: ghosted, as on the map.
        pen.setColor(QColor("#555555") if status == "operating" else ghost(QColor("#555555")))
        painter.setPen(pen)
        painter.drawLine(QPointF(rect.left() + 2 * s, c.y()), QPointF(rect.right() - 2 * s, c.y()))
        if status == "stalled":
            paint_stalled_mark(painter, c.x(), c.y(), s)
    else:
        a, b = QPointF(rect.left() + 2 * s, c.y()), QPointF(rect.right() - 2 * s, c.y())
        # In the painter's units: the legend is drawn unscaled, and SVG needs no vector-effect.
        painter.setPen(style.in_output_units(style.casing_pen(kind, s)))
        painter.drawLine(a, b)
        painter.setPen(style.in_output_units(style.route_pen(kind, status or "operating", s)))
        painter.drawLine(a, b)
    painter.restore()


def paint_swatch(painter: QPainter, rect: QRectF, fill: QColor, edge: QColor, s: float = 1.0) -> None:
    """A fill's swatch; the no-data fill hatched, as on the map."""
    from silkmap.render.choropleth import NO_DATA_FILL, no_data_brush

    box = rect.adjusted(2 * s, 3 * s, -2 * s, -3 * s)
    painter.save()
    painter.setPen(QPen(edge, 1.0 * s))
    painter.setBrush(fill)
    painter.drawRect(box)
    if fill == NO_DATA_FILL:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(no_data_brush(None, s))
        painter.drawRect(box.adjusted(0.5 * s, 0.5 * s, -0.5 * s, -0.5 * s))
    painter.restore()
