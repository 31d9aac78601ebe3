"""Layer toggles with their legend symbols, the measure the partners are coloured by
(ui/measure_panel.py), plus the country colour key."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QCheckBox, QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from silkmap.core.state import MapState
from silkmap.i18n import N_, _
from silkmap.render import style
from silkmap.core.timeline import SILK_ROAD_ERA
from silkmap.core.classify import K_MAX
from silkmap.render.legend import (FOCUS_SWATCHES, LEGEND_ROWS, country_rows, fills_heading, fills_notes,
                                   paint_swatch, paint_symbol)
from silkmap.render.year_style import level_ids
from silkmap.ui.signals_blocked import signals_blocked

ICON = QSize(34, 16)
LAYER_LABELS = {
    "neighbours": N_("Neighbouring countries"), "labels": N_("Country names"),
    "capitals": N_("Capitals"), "cities": N_("Silk Road cities and border ports"),
    "historical": N_("Historical Silk Road"), "rail": N_("Railways"), "road": N_("Road corridor"),
    "pipeline": N_("Pipelines"), "projects": N_("Belt and Road projects"),
    "partnership": N_("Colour countries by"),
    "relief": N_("Relief"), "water": N_("Rivers and lakes"),
    "physical": N_("Deserts, mountains, lakes and rivers"), "graticule": N_("Graticule"),
    "annotations": N_("Annotations"),
}

BASE_MAP_ROW = ("relief", "water")  # the ground under everything: one row of two switches


def _icon(paint) -> QIcon:
    pm = QPixmap(ICON)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    paint(p, QRectF(0, 0, ICON.width(), ICON.height()))
    p.end()
    return QIcon(pm)


class LayersPanel(QWidget):
    def __init__(self, atlas, state: MapState, parent=None) -> None:
        super().__init__(parent)
        self.atlas = atlas
        self.state = state
        self.boxes: dict[str, QCheckBox] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)  # eleven toggles and the legend within a 650 px high window
        self.layers_title = QLabel(self)
        layout.addWidget(self.layers_title)
        symbol_for = {}
        for row in LEGEND_ROWS:  # the first row of a layer is its icon
            if row[0]:
                symbol_for.setdefault(row[0], row)
        for name in LAYER_LABELS:
            box = QCheckBox(self)
            box.setObjectName(f"layer-{name}")
            box.setChecked(state.layers[name])
            row = symbol_for.get(name)
            if row:
                box.setIcon(_icon(lambda p, r, row=row: paint_symbol(p, r, row[1], row[2])))
                box.setIconSize(ICON)
            box.toggled.connect(lambda on, n=name: self.state.set_layer(n, on))
            self.boxes[name] = box
            if name in BASE_MAP_ROW:  # side by side: the panel keeps its height
                if name == BASE_MAP_ROW[0]:
                    row_layout = QHBoxLayout()
                    layout.addLayout(row_layout)
                row_layout.addWidget(box)
            else:
                layout.addWidget(box)
            if name == "partnership":  # what the switch colours them by, right under it
                from silkmap.ui.measure_panel import MeasureChooser

                self.measure = MeasureChooser(atlas, state, self)
                layout.addWidget(self.measure)
        from silkmap.ui.user_layers_panel import UserLayersPanel

        self.user = UserLayersPanel(state, _icon, self)  # the user's own files, with legend symbols
        layout.addWidget(self.user)
        self.legend_title = QLabel(self)
        layout.addWidget(self.legend_title)
        grid = QGridLayout()
        self.legend_labels: list[tuple[QLabel, str]] = []
        rows = [r for r in LEGEND_ROWS if r[1] in ("hub", "pipeline_oil", "status")]
        for i, (_layer, kind, status, label) in enumerate(rows):
            icon = QLabel(self)
            icon.setPixmap(_icon(lambda p, r, k=kind, s=status: paint_symbol(p, r, k, s)).pixmap(ICON))
            lab = QLabel(self)
            grid.addWidget(icon, i, 0)
            grid.addWidget(lab, i, 1)
            self.legend_labels.append((lab, label))
        base = len(rows)
        # The fills' key: partnership levels (or the countries' own colours), filled in _show_fills.
        self.fills_title = QLabel(self)
        self.fills_title.setWordWrap(True)  # a measure's title, unit and year: wrapped, not widening the dock
        self.fills_title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        grid.addWidget(self.fills_title, base, 0, 1, 2)
        self.country_labels: list[tuple[QLabel, QLabel]] = []
        for j in range(max(len(FOCUS_SWATCHES), len(level_ids()) + 1, K_MAX + 2)):  # + no data, China
            icon, lab = QLabel(self), QLabel(self)
            grid.addWidget(icon, base + 1 + j, 0)
            grid.addWidget(lab, base + 1 + j, 1)
            self.country_labels.append((icon, lab))
        # A measure's classes: how they were made and the sources of its values.
        self.fills_notes = QLabel(self)
        self.fills_notes.setObjectName("legend-notes")
        self.fills_notes.setWordWrap(True)
        self.fills_notes.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.fills_notes.setStyleSheet("color: #555;")
        grid.addWidget(self.fills_notes, base + 1 + len(self.country_labels), 0, 1, 2)
        grid.setColumnStretch(1, 1)  # labels take the spare width, icons stay beside them
        layout.addLayout(grid)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        # Wrap to the panel's width instead of widening it: Chinese has no spaces to wrap at,
        # so a wrapping label's own width hint would be the whole sentence.
        self.hint.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.hint.setStyleSheet("color: #555;")
        layout.addWidget(self.hint)
        layout.addStretch(1)
        state.layers_changed.connect(self._on_layers_changed)
        state.year_changed.connect(lambda _y: self._show_fills())
        state.measure_changed.connect(lambda *_a: self._show_fills())
        self.retranslate()

    def retranslate(self) -> None:
        self.layers_title.setText(f"<b>{_('Layers')}</b>")
        self.legend_title.setText(f"<b>{_('Legend')}</b>")
        for name, box in self.boxes.items():
            box.setText(_(LAYER_LABELS[name]))
        self.user.retranslate()
        self.measure.retranslate()
        for lab, label in self.legend_labels:
            lab.setText(_(label))
        self._show_fills()
        self.hint.setText(_("Click a country, the Xi'an star, a route or a project for details. "
                            "Wheel: zoom · drag: pan · double-click: zoom to country · Tab: next country"))

    def _classes(self):
        """The measure's classes this year (None: the levels; or the measures cannot be read,
        which the chooser has said)."""
        from silkmap.core.choropleth import map_classes
        from silkmap.core.errors import DataError

        try:
            return map_classes(self.atlas, self.state.measure, self.state.year, self.state.classification)
        except DataError:
            return None

    def _show_fills(self) -> None:
        by_level = self.state.layers.get("partnership", True) and self.state.year != SILK_ROAD_ERA
        classes = self._classes() if by_level else None
        self.fills_title.setText(fills_heading(classes) if by_level else "")
        self.fills_title.setVisible(by_level)
        notes = fills_notes(self.atlas, classes)
        self.fills_notes.setText("\n".join(notes))
        self.fills_notes.setVisible(bool(notes))
        rows = country_rows(self.atlas, by_level, classes)
        for i, (icon, lab) in enumerate(self.country_labels):
            shown = i < len(rows)
            icon.setVisible(shown)
            lab.setVisible(shown)
            if shown:
                fill, label = rows[i]
                icon.setPixmap(_icon(lambda p, r, f=fill: paint_swatch(p, r, f, style.FOCUS_EDGE)).pixmap(ICON))
                lab.setText(label)

    def _on_layers_changed(self, name: str, visible: bool) -> None:
        if name == "partnership":
            self._show_fills()
        box = self.boxes.get(name)
        if box is not None and box.isChecked() != visible:
            with signals_blocked(box):
                box.setChecked(visible)
