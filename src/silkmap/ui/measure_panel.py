"""The measure chooser under the layers' "colour countries by" switch: which measure fills the
five partners, and how its classes are made (scheme, number of classes, the user's breaks, the
same classes in every year).

It sits in the layers dock rather than a toolbar: it changes what one layer shows, its four
controls need the room, and the legend of the classes it makes is right below it. The level
(the default) has no classes: only the measure's box shows then.
"""

from __future__ import annotations

import json

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QGridLayout, QLabel, QLineEdit, QSizePolicy, QSpinBox,
                               QWidget)

from silkmap.core import classify
from silkmap.core.classify import Classification
from silkmap.core.state import LEVEL, MapState
from silkmap.i18n import _
from silkmap.ui.signals_blocked import signals_blocked

SETTINGS_KEY = "measure"


class MeasureChooser(QWidget):
    failed = Signal(str)  # the measures could not be read: one line, the map stays on the level

    def __init__(self, atlas, state: MapState, parent=None) -> None:
        from silkmap.core.measures import MEASURES

        super().__init__(parent)
        self.atlas = atlas
        self.state = state
        grid = QGridLayout(self)
        grid.setContentsMargins(22, 0, 0, 2)  # indented under the layer's check box
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(2)
        self.measure = QComboBox(self)
        self.measure.setObjectName("measure")
        # Long titles must not widen the dock: the box shows what fits, the list shows all.
        self.measure.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.measure.setMinimumContentsLength(14)
        self.measure.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        for mid in MEASURES:
            self.measure.addItem("", mid)
        self.scheme = QComboBox(self)
        self.scheme.setObjectName("measure-scheme")
        self.scheme.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.scheme.setMinimumContentsLength(8)
        self.scheme.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        for sid in classify.SCHEMES:
            self.scheme.addItem("", sid)
        self.k = QSpinBox(self)
        self.k.setObjectName("measure-classes")
        self.k.setRange(classify.K_MIN, classify.K_MAX)
        self.fixed = QCheckBox(self)
        self.fixed.setObjectName("measure-fixed")
        self.breaks = QLineEdit(self)
        self.breaks.setObjectName("measure-breaks")
        self.breaks.setPlaceholderText("1, 5, 10")
        self.problem = QLabel(self)  # a break the user typed that cannot be used, in one line
        self.problem.setObjectName("measure-problem")
        self.problem.setWordWrap(True)
        self.problem.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.problem.setStyleSheet("color: #b2182b;")
        self.problem.hide()
        grid.addWidget(self.measure, 0, 0, 1, 2)
        grid.addWidget(self.scheme, 1, 0)
        grid.addWidget(self.k, 1, 1)
        grid.addWidget(self.fixed, 2, 0, 1, 2)
        grid.addWidget(self.breaks, 3, 0, 1, 2)
        grid.addWidget(self.problem, 4, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        self.measure.currentIndexChanged.connect(self._on_measure)
        self.scheme.currentIndexChanged.connect(lambda _i: self._apply())
        self.k.valueChanged.connect(lambda _v: self._apply())
        self.fixed.toggled.connect(lambda _on: self._apply())
        self.breaks.editingFinished.connect(self._apply)
        state.measure_changed.connect(lambda *_a: self._show_state())
        self.retranslate()
        self._show_state()

    def retranslate(self) -> None:
        from silkmap.core.measures import MEASURES

        for i in range(self.measure.count()):
            self.measure.setItemText(i, _(MEASURES[self.measure.itemData(i)].title))
        for i in range(self.scheme.count()):
            self.scheme.setItemText(i, _(classify.SCHEME_NAMES[self.scheme.itemData(i)]))
        self.measure.setAccessibleName(_("Colour countries by"))
        self.scheme.setAccessibleName(_("Classes"))
        self.k.setAccessibleName(_("Classes"))
        self.fixed.setText(_("Same classes every year"))
        self.breaks.setAccessibleName(_("Your breaks"))

    # ------------------------------------------------------------------ state → widgets
    def _show_state(self) -> None:
        st, c = self.state, self.state.classification
        for box, value in ((self.measure, st.measure), (self.scheme, c.scheme)):
            with signals_blocked(box):
                box.setCurrentIndex(max(box.findData(value), 0))
        with signals_blocked(self.k):
            self.k.setValue(c.k)
        with signals_blocked(self.fixed):
            self.fixed.setChecked(c.fixed or c.scheme == "user")
        if not self.breaks.hasFocus():
            self.breaks.setText(", ".join(f"{b:g}" for b in c.breaks))
        self._show_controls()

    def _show_controls(self) -> None:
        """The classes' controls for a measure with classes; the breaks' field for "your breaks"."""
        classed = self.measure.currentData() != LEVEL
        user = self.scheme.currentData() == "user"
        for w in (self.scheme, self.k, self.fixed):
            w.setVisible(classed)
        self.k.setEnabled(not user)  # the breaks make the classes
        self.fixed.setEnabled(not user)  # the user's breaks are the same every year
        self.breaks.setVisible(classed and user)
        if not (classed and user):
            self.problem.hide()

    # ------------------------------------------------------------------ widgets → state
    def _on_measure(self, _index: int) -> None:
        self._apply()

    def _apply(self) -> None:
        """The widgets' choice to the state; breaks that cannot be used are named under their
        field and the map keeps its classes."""
        self._show_controls()
        self.problem.hide()
        scheme = self.scheme.currentData()
        breaks = self.state.classification.breaks
        if scheme == "user" and self.breaks.text().strip():
            try:
                breaks = classify.parse_breaks(self.breaks.text())
            except ValueError as exc:
                self.problem.setText(str(exc))
                self.problem.show()
                return
        if scheme == "user" and not breaks:
            self.breaks.setFocus()  # nothing to classify by yet: the field waits for them
            return
        self._set(self.measure.currentData(),
                  Classification(scheme, self.k.value(), breaks, self.fixed.isChecked() or scheme == "user"))

    def _set(self, measure: str, classification: Classification) -> None:
        try:
            classification.check()
        except ValueError as exc:
            self.problem.setText(str(exc))
            self.problem.show()
            return
        if measure != LEVEL and not self._readable(measure, classification):
            self._show_state()
            return
        self.state.set_measure(measure, classification)

    def _readable(self, measure: str, classification: Classification) -> bool:
        """Whether the measures' data reads; if not, say so once and stay on the level."""
        from silkmap.core.choropleth import map_classes
        from silkmap.core.errors import DataError

        try:
            map_classes(self.atlas, measure, self.state.year, classification)
        except DataError as exc:
            self.failed.emit(str(exc))
            return False
        return True


def warm_up(atlas, stop=None) -> None:
    """On a worker once the map is up: the measures' inputs read and checked, so the first
    choice of a measure answers at once. Not numpy: the charts' and the picking's workers
    import it then, and a third import at once, cut short by a signal, leaves it broken for
    them. A broken file is said when a measure is chosen."""
    if stop is not None and stop.is_set():
        return
    from silkmap.core.errors import DataError
    from silkmap.core.measures import inputs

    try:
        inputs(atlas)
    except DataError:
        pass


# ---------------------------------------------------------------------- settings
def save_measure(settings, state: MapState) -> None:
    from silkmap.core.project import measure_json

    settings.setValue(SETTINGS_KEY, json.dumps(measure_json(state.measure, state.classification)))


def restore_measure(settings, state: MapState) -> None:
    """The saved measure, if the settings hold a valid one (an old or hand-edited file may not)
    and nothing (a project opened with the window) has chosen one since the start."""
    from silkmap.core.project import read_measure

    raw = settings.value(SETTINGS_KEY)
    if not isinstance(raw, str) or (state.measure, state.classification) != (LEVEL, Classification()):
        return
    try:
        state.set_measure(*read_measure(json.loads(raw)))
    except (ValueError, TypeError, RecursionError):
        pass
