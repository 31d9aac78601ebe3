"""Layer toggles with their legend symbols, plus the country colour key."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from silkmap.core.state import MapState
from silkmap.i18n import N_, _, text
from silkmap.render import style
from silkmap.render.legend import LEGEND_ROWS, paint_swatch, paint_symbol
from silkmap.ui.signals_blocked import signals_blocked

ICON = QSize(34, 16)
LAYER_LABELS = {
    "neighbours": N_("Neighbouring countries"), "labels": N_("Country names"),
    "capitals": N_("Capitals"), "cities": N_("Silk Road cities and border ports"),
    "historical": N_("Historical Silk Road"), "rail": N_("Railways"), "road": N_("Road corridor"),
    "pipeline": N_("Pipelines"), "projects": N_("Belt and Road projects"),
    "annotations": N_("Annotations"),
}


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
            layout.addWidget(box)
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
        self.country_labels: list[tuple[QLabel, str]] = []
        for j, iso in enumerate(("KAZ", "KGZ", "TJK", "TKM", "UZB", "CHN")):
            icon = QLabel(self)
            icon.setPixmap(_icon(lambda p, r, iso=iso: paint_swatch(p, r, style.FOCUS_FILL[iso], style.FOCUS_EDGE)).pixmap(ICON))
            lab = QLabel(self)
            grid.addWidget(icon, base + j, 0)
            grid.addWidget(lab, base + j, 1)
            self.country_labels.append((lab, iso))
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
        self.retranslate()

    def retranslate(self) -> None:
        self.layers_title.setText(f"<b>{_('Layers')}</b>")
        self.legend_title.setText(f"<b>{_('Legend')}</b>")
        for name, box in self.boxes.items():
            box.setText(_(LAYER_LABELS[name]))
        self.user.retranslate()
        for lab, label in self.legend_labels:
            lab.setText(_(label))
        for lab, iso in self.country_labels:
            lab.setText(text(self.atlas.countries[iso].names))
        self.hint.setText(_("Click a country, the Xi'an star, a route or a project for details. "
                            "Wheel: zoom · drag: pan · double-click: zoom to country · Tab: next country"))

    def _on_layers_changed(self, name: str, visible: bool) -> None:
        box = self.boxes.get(name)
        if box is not None and box.isChecked() != visible:
            with signals_blocked(box):
                box.setChecked(visible)
