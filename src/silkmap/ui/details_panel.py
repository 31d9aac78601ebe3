"""The panel beside the map: everything known about the selected country, hub, route or project."""

from __future__ import annotations

import threading

from PySide6.QtCore import QTimer, QUrl, Signal
from PySide6.QtGui import QGuiApplication, QImage, QTextDocument
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from silkmap.core.state import MapState, Selection
from silkmap.i18n import _, current
from silkmap.ui import background, details_html

CHART_URL = "chart://trade.png"


class ChartCache:
    """Trade charts rendered once per country and language, off the UI thread when possible."""

    def __init__(self, atlas) -> None:
        self.atlas = atlas
        self._png: dict[tuple[str, str], bytes] = {}
        self._lock = threading.Lock()

    def get(self, iso3: str, lang: str, year: int | None = None) -> bytes:
        """The chart's PNG: the profile's recent years, or (with ``year``) every year with
        that one marked."""
        key = (iso3, lang, year)
        with self._lock:
            if key not in self._png:
                from silkmap.charts.trade import figure_png, trade_chart

                if year is None:
                    chart = trade_chart(self.atlas.profiles[iso3], width_in=details_html.CHART_WIDTH / 100, lang=lang)
                else:
                    from silkmap.charts.trade_years import trade_years_chart

                    chart = trade_years_chart(self.atlas, iso3, year, width_in=details_html.CHART_WIDTH / 100,
                                              lang=lang)
                self._png[key] = figure_png(chart, dpi=100)
            return self._png[key]

    def has(self, iso3: str, lang: str, year: int | None = None) -> bool:
        with self._lock:
            return (iso3, lang, year) in self._png

    def warm_up(self, lang: str, year: int | None = None, stop=None) -> None:
        for iso3, prof in self.atlas.profiles.items():
            if stop is not None and stop.is_set():
                return
            if prof.trade:
                self.get(iso3, lang, year if not prof.is_china else None)


YEAR_REFRESH_MS = 150  # the panel follows the year once scrubbing pauses, not at every step


class DetailsPanel(QWidget):
    shown = Signal(object)  # the Selection now shown (None when cleared)
    citationCopied = Signal(str)
    chartReady = Signal()  # a year's chart rendered on a worker

    def __init__(self, atlas, state: MapState, parent=None) -> None:
        super().__init__(parent)
        self.atlas = atlas
        self.state = state
        self.charts = ChartCache(atlas)
        self.current: Selection | None = None
        self.cited: list[str] = []
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self.browser.anchorClicked.connect(self._on_anchor)
        self.browser.document().setDefaultStyleSheet(details_html.CSS)
        self.copy_all = QPushButton(self)
        self.copy_all.clicked.connect(self.copy_all_citations)
        self.close_button = QPushButton(self)
        self.close_button.clicked.connect(lambda: self.state.select(None))
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_all)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.browser, 1)
        layout.addLayout(buttons)
        self.setMinimumWidth(360)
        self.retranslate()
        state.selection_changed.connect(self._on_selection_changed)
        self._year_timer = QTimer(self, singleShot=True, interval=YEAR_REFRESH_MS)
        self._year_timer.timeout.connect(self._follow_year)
        state.year_changed.connect(lambda _y: self._year_timer.start())
        self.chartReady.connect(lambda: self.show_selection(self.current))

    def retranslate(self) -> None:
        self.copy_all.setText(_("Copy all citations"))
        self.close_button.setText(_("Close"))
        self.show_selection(self.current)

    def plain_text(self) -> str:
        return self.browser.toPlainText()

    def _on_selection_changed(self, sel) -> None:
        self.show_selection(sel)

    def _chart_year(self) -> int | None:
        from silkmap.core.timeline import SILK_ROAD_ERA

        return None if self.state.year == SILK_ROAD_ERA else self.state.year

    def _follow_year(self) -> None:
        """Show the panel as of the new year; its chart is drawn on a worker first if need be
        (matplotlib takes ~100 ms: the UI thread keeps scrubbing meanwhile)."""
        sel = self.current
        if sel is None:
            return
        if sel.kind == "country" and sel.id in self.atlas.profiles and self.atlas.profiles[sel.id].trade:
            lang, year = current(), self._chart_year()
            if not self.charts.has(sel.id, lang, year):
                def work(stop, iso3=sel.id):
                    self.charts.get(iso3, lang, year)
                    if not stop.is_set():
                        self.chartReady.emit()

                background.start("silkmap-chart", work)
                return
        self.show_selection(sel)

    def show_selection(self, sel: Selection | None) -> None:
        self.current = sel
        if sel is None:
            self.browser.clear()
            self.cited = []
            self.shown.emit(None)
            return
        chart = None
        if sel.kind == "country":
            prof = self.atlas.profiles.get(sel.id)
            if prof is None:
                return
            if prof.trade:
                png = self.charts.get(sel.id, current(), None if prof.is_china else self._chart_year())
                self.browser.document().addResource(QTextDocument.ResourceType.ImageResource,
                                                    QUrl(CHART_URL), QImage.fromData(png))
                chart = CHART_URL
            body, self.cited = details_html.country_html(self.atlas, sel.id, chart, map_year=self.state.year)
        elif sel.kind == "hub":
            body, self.cited = details_html.hub_html(self.atlas)
        elif sel.kind == "route":
            body, self.cited = details_html.route_html(self.atlas, sel.id, map_year=self.state.year)
        elif sel.kind == "project":
            body, self.cited = details_html.project_html(self.atlas, sel.id, map_year=self.state.year)
        elif sel.kind == "user":
            from silkmap.ui.user_feature import feature_html

            body, self.cited = feature_html(self.state.user_layers, sel.id), []
            if body is None:
                return
        else:
            return
        self.browser.setHtml(body)
        self.shown.emit(sel)

    def show_source(self, sid: str) -> None:
        """Scroll to the source's entry in the list at the end, where the panel cites it."""
        if sid in self.cited:
            self.browser.scrollToAnchor(f"src-{sid}")

    def citation(self, sid: str) -> str:
        return f"[{sid}] " + self.atlas.sources[sid].citation()

    def copy_citation(self, sid: str) -> None:
        QGuiApplication.clipboard().setText(self.citation(sid))
        self.citationCopied.emit(sid)

    def copy_all_citations(self) -> None:
        if self.cited:
            QGuiApplication.clipboard().setText("\n".join(self.citation(s) for s in self.cited))
            self.citationCopied.emit("*")

    def _on_anchor(self, url: QUrl) -> None:
        target = url.toString()
        scheme, _sep, ident = target.partition(":")
        if scheme == "project":
            self.state.select(Selection("project", ident))
        elif scheme == "country":
            self.state.select(Selection("country", ident))
        elif scheme == "copy":
            self.copy_citation(ident)
        elif scheme == "source":
            self.browser.scrollToAnchor(f"src-{ident}")
        elif scheme in ("http", "https"):
            from PySide6.QtGui import QDesktopServices

            QDesktopServices.openUrl(url)
