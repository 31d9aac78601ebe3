"""The two small dialogs of user layers: confirm a CSV's coordinate columns, set a layer's style."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QColorDialog, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox,
                               QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout)

from silkmap.core.user_layers.csv_table import Columns
from silkmap.i18n import _


class CsvColumnsDialog(QDialog):
    """Which columns hold latitude and longitude (or a WKT geometry), as detected, to confirm."""

    def __init__(self, parent, path: str, cols: Columns) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Coordinate columns"))
        self.cols = cols
        self.lat = QComboBox(self)
        self.lon = QComboBox(self)
        self.wkt = QComboBox(self)
        none = _("(none)")
        for box in (self.lat, self.lon, self.wkt):
            box.addItem(none, None)
            for name in cols.header:
                box.addItem(name, name)
        for box, value in ((self.lat, cols.lat), (self.lon, cols.lon), (self.wkt, cols.wkt)):
            box.setCurrentIndex(max(0, box.findData(value)) if value else 0)
        form = QFormLayout()
        form.addRow(_("Latitude"), self.lat)
        form.addRow(_("Longitude"), self.lon)
        form.addRow(_("WKT geometry"), self.wkt)
        self.problem = QLabel(self)
        self.problem.setStyleSheet("color: #a00;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        title = QLabel(path, self)  # plain text: a file name is never markup
        title.setTextFormat(title.textFormat().PlainText)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        for box in (self.lat, self.lon, self.wkt):
            box.currentIndexChanged.connect(self._check)
        self._check()

    def options(self) -> dict[str, str]:
        out = {"delimiter": self.cols.delimiter}
        if self.wkt.currentData():
            out["wkt"] = self.wkt.currentData()
        else:
            out.update(lat=self.lat.currentData(), lon=self.lon.currentData())
        return out

    def _check(self) -> None:
        ok = bool(self.wkt.currentData()) or bool(self.lat.currentData() and self.lon.currentData())
        self.problem.setText("" if ok else _("Choose a latitude and a longitude column, or a WKT column."))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)


class StyleDialog(QDialog):
    """A user layer's name, colour, symbol size, line width and label field."""

    def __init__(self, parent, layer) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Layer style"))
        st = layer.spec.style
        self.colour = QColor(st["colour"])
        self.name = QLineEdit(layer.spec.title, self)
        self.colour_button = QPushButton(self)
        self.colour_button.clicked.connect(self._pick_colour)
        self.size = QDoubleSpinBox(self, minimum=0.5, maximum=64.0, singleStep=1.0, value=st["size"])
        self.line_width = QDoubleSpinBox(self, minimum=0.1, maximum=20.0, singleStep=0.5, value=st["line_width"])
        self.label_field = QComboBox(self)
        self.label_field.addItem(_("(none)"), None)
        for name in layer.data.fields:
            self.label_field.addItem(name, name)
        self.label_field.setCurrentIndex(max(0, self.label_field.findData(st["label_field"])) if st["label_field"] else 0)
        form = QFormLayout(self)
        form.addRow(_("Name"), self.name)
        form.addRow(_("Colour"), self.colour_button)
        form.addRow(_("Symbol size"), self.size)
        form.addRow(_("Line width"), self.line_width)
        form.addRow(_("Label"), self.label_field)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self._show_colour()

    def _show_colour(self) -> None:
        self.colour_button.setText(self.colour.name())
        self.colour_button.setStyleSheet(f"background: {self.colour.name()}; color: "
                                         f"{'white' if self.colour.lightness() < 128 else 'black'};")

    def _pick_colour(self) -> None:
        c = QColorDialog.getColor(self.colour, self, _("Colour"))
        if c.isValid():
            self.colour = c
            self._show_colour()

    def style(self) -> dict:
        return {"colour": self.colour.name(), "size": self.size.value(), "line_width": self.line_width.value(),
                "label_field": self.label_field.currentData()}

    def layer_name(self) -> str:
        return self.name.text().strip()
