"""The year slider under the map: the Silk Road era, then 1992 → 2025, with play/pause, step
buttons and keys, and the strip of dated events whose entries open their panel.

The slider's first stop is the caravan era (``timeline.SILK_ROAD_ERA``); the others are the
years. Keys on the slider are Qt's (←/→ a year, PgUp/PgDn five, Home/End the ends); Space
plays or pauses. Playing steps one year per ``PLAY_MS`` and stops at the last year.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QSlider, QStyle,
                               QToolButton, QVBoxLayout, QWidget)

from silkmap.core import timeline
from silkmap.core.state import MapState, Selection
from silkmap.i18n import _, text
from silkmap.render.year_style import year_text
from silkmap.ui.signals_blocked import signals_blocked

PLAY_MS = 700  # a year on screen while playing: long enough to see what changed
STOPS = timeline.STOPS


class YearSlider(QSlider):
    """The slider, with Space for play/pause (the bar connects it)."""

    playPressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space:
            self.playPressed.emit()
            return
        super().keyPressEvent(event)


class TimelineBar(QWidget):
    stepped = Signal(int)  # the year a step (button, key, slider, play) moved to
    playingChanged = Signal(bool)

    def __init__(self, atlas, state: MapState, parent=None) -> None:
        super().__init__(parent)
        self.atlas = atlas
        self.state = state
        self._projects = {p.id for prof in atlas.profiles.values() for p in prof.projects}
        self.back = QToolButton(self)
        self.back.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MediaSeekBackward))
        self.back.clicked.connect(lambda: self.step(-1))
        self.play = QToolButton(self)
        self.play.clicked.connect(self.toggle_play)
        self.forward = QToolButton(self)
        self.forward.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MediaSeekForward))
        self.forward.clicked.connect(lambda: self.step(1))
        self.slider = YearSlider(Qt.Orientation.Horizontal, self)
        self.slider.setObjectName("year-slider")
        self.slider.setRange(0, len(STOPS) - 1)
        self.slider.setPageStep(5)
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.setTickInterval(1)
        self.slider.setValue(STOPS.index(state.year))
        self.slider.valueChanged.connect(self._on_slider)
        self.slider.playPressed.connect(self.toggle_play)
        self.year_label = QLabel(self)
        font = QFont(self.year_label.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.year_label.setFont(font)
        self.events = QListWidget(self)
        self.events.setObjectName("events-strip")
        self.events.setFlow(QListWidget.Flow.LeftToRight)
        self.events.setWrapping(False)
        self.events.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.events.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.events.setSpacing(2)
        self.events.setHorizontalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.events.setFixedHeight(self.events.fontMetrics().height() * 2 + 22)
        self.events.itemActivated.connect(self._open_event)
        self.events.itemClicked.connect(self._open_event)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for w in (self.back, self.play, self.forward):
            w.setIconSize(QSize(18, 18))
            w.setAutoRaise(True)
            row.addWidget(w)
        row.addWidget(self.slider, 1)
        row.addWidget(self.year_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 4)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.events)
        self._timer = QTimer(self)
        self._timer.setInterval(PLAY_MS)
        self._timer.timeout.connect(self._on_tick)
        self._event_list: list = []
        self._first_of_year = None
        state.year_changed.connect(self._on_year_changed)
        self.retranslate()

    # ------------------------------------------------------------------ year
    def year(self) -> int:
        return STOPS[self.slider.value()]

    def step(self, by: int) -> None:
        self.slider.setValue(max(0, min(len(STOPS) - 1, self.slider.value() + by)))

    def _on_slider(self, index: int) -> None:
        year = STOPS[index]
        self.state.set_year(year)
        self.stepped.emit(year)

    def _on_year_changed(self, year: int) -> None:
        if self.year() != year:
            with signals_blocked(self.slider):
                self.slider.setValue(STOPS.index(year))
        self._show_year()

    def _show_year(self) -> None:
        year = self.state.year
        self.year_label.setText(year_text(year))
        self.slider.setAccessibleName(_("Year") + ": " + year_text(year))
        self.back.setEnabled(self.slider.value() > 0)
        self.forward.setEnabled(self.slider.value() < len(STOPS) - 1)
        self._mark_events()

    # ------------------------------------------------------------------ play
    def playing(self) -> bool:
        return self._timer.isActive()

    def toggle_play(self) -> None:
        if self.playing():
            self.pause()
        else:
            self.start_play()

    def start_play(self) -> None:
        if self.slider.value() == len(STOPS) - 1:
            self.slider.setValue(STOPS.index(timeline.FIRST_YEAR))  # from the start again
        self._timer.start()
        self._show_play()
        self.playingChanged.emit(True)

    def pause(self) -> None:
        if self._timer.isActive():
            self._timer.stop()
            self._show_play()
            self.playingChanged.emit(False)

    def _on_tick(self) -> None:
        self.step(1)
        if self.slider.value() == len(STOPS) - 1:
            self.pause()

    def _show_play(self) -> None:
        icon = QStyle.StandardPixmap.SP_MediaPause if self.playing() else QStyle.StandardPixmap.SP_MediaPlay
        self.play.setIcon(self.style().standardIcon(icon))
        tip = _("Pause") if self.playing() else _("Play")
        self.play.setToolTip(tip + " (Space)")
        self.play.setAccessibleName(tip)

    # ------------------------------------------------------------------ events
    def load_events(self) -> None:
        """The strip's entries (the dated facts are read on first use, after the first paint)."""
        self._event_list = timeline.events(self.atlas)
        self._fill_events()

    def _fill_events(self) -> None:
        self.events.clear()
        for ev in self._event_list:
            title = _(ev.title)
            label = text(ev.label) if ev.label else ""
            item = QListWidgetItem(f"{ev.date}\n{title}: {label}" if label and label != title else f"{ev.date}\n{title}")
            item.setData(Qt.ItemDataRole.UserRole, ev)
            item.setToolTip(label or title)
            self.events.addItem(item)
        self._mark_events()

    def _mark_events(self) -> None:
        year = self.state.year
        first = None
        for i in range(self.events.count()):
            item = self.events.item(i)
            ev = item.data(Qt.ItemDataRole.UserRole)
            now = max(ev.year, timeline.FIRST_YEAR) == year
            font = item.font()
            font.setBold(now)
            item.setFont(font)
            if now and first is None:
                first = item
        self.events.setCurrentItem(first)
        # The era has no dated events: the strip starts at its beginning.
        self._first_of_year = first if first is not None or year != timeline.SILK_ROAD_ERA else self.events.item(0)
        # Once the strip has laid its items out (it does so lazily): the year's first entry
        # at the left edge.
        QTimer.singleShot(0, self.events, self._scroll_to_year)

    def _scroll_to_year(self) -> None:
        item = self._first_of_year
        if item is None or self.events.row(item) < 0:
            return
        bar = self.events.horizontalScrollBar()
        bar.setValue(bar.value() + self.events.visualItemRect(item).left() - 4)

    def event_target(self, ev) -> Selection:
        if ev.opens in self.atlas.profiles:
            return Selection("country", ev.opens)
        if ev.opens in self.atlas.routes:
            return Selection("route", ev.opens)
        return Selection("project", ev.opens)

    def _open_event(self, item: QListWidgetItem) -> None:
        self.open_event(item.data(Qt.ItemDataRole.UserRole))

    def open_event(self, ev) -> None:
        """The map goes to the event's year (so what it opens is drawn), the panel opens it."""
        self.pause()
        self.state.set_year(max(ev.year, timeline.FIRST_YEAR))
        self.state.select(self.event_target(ev))

    # ------------------------------------------------------------------ text
    def retranslate(self) -> None:
        self.back.setToolTip(_("Previous year"))
        self.back.setAccessibleName(_("Previous year"))
        self.forward.setToolTip(_("Next year"))
        self.forward.setAccessibleName(_("Next year"))
        self.events.setAccessibleName(_("Events"))
        self._show_play()
        fm = self.year_label.fontMetrics()  # wide enough for the era's name in this language
        self.year_label.setMinimumWidth(max(fm.horizontalAdvance(t) for t in ("0000", year_text(timeline.SILK_ROAD_ERA))) + 8)
        if self._event_list:
            self._fill_events()
        self._show_year()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space:
            self.toggle_play()
            return
        super().keyPressEvent(event)
