"""What the user has selected, hovers over and shows: state the widgets observe."""

from __future__ import annotations

from dataclasses import dataclass

from silkmap.core.annotations import Annotations
from silkmap.core.classify import Classification
from silkmap.core.signals import Signal
from silkmap.core.user_layers.collection import UserLayers

LAYERS = ("neighbours", "labels", "capitals", "cities", "historical", "rail", "road",
          "pipeline", "projects", "partnership", "relief", "water", "physical", "graticule",
          "annotations")
OFF_BY_DEFAULT = frozenset({"graticule"})
LEVEL = "level"  # the default measure: the partnership colours as the map always had them


def default_layers() -> dict[str, bool]:
    return {name: name not in OFF_BY_DEFAULT for name in LAYERS}


@dataclass(frozen=True)
class Selection:
    kind: str  # "country" | "hub" | "route" | "project" | "place" | "user" (id "LAYER:FEATURE")
    id: str


class MapState:
    def __init__(self) -> None:
        self.selection: Selection | None = None
        self.hover: Selection | None = None
        from silkmap.core.years import LAST_YEAR

        self.layers: dict[str, bool] = default_layers()
        self.year: int = LAST_YEAR  # the map as of this year (core/years.py)
        self.measure: str = LEVEL  # what the partners are coloured by (core/measures.py)
        self.classification = Classification()  # the classes of a measure other than the level
        self.annotations = Annotations()
        self.user_layers = UserLayers()  # the user's own files, bottom to top
        self.selection_changed = Signal()
        self.hover_changed = Signal()
        self.layers_changed = Signal()
        self.year_changed = Signal()
        self.measure_changed = Signal()  # (measure id, Classification)

    def select(self, selection: Selection | None) -> None:
        if selection != self.selection:
            self.selection = selection
            self.selection_changed.emit(selection)

    def set_hover(self, hover: Selection | None) -> None:
        if hover != self.hover:
            self.hover = hover
            self.hover_changed.emit(hover)

    def set_year(self, year: int) -> None:
        """Show the map as of ``year``: FIRST_YEAR..LAST_YEAR, or SILK_ROAD_ERA."""
        from silkmap.core.years import FIRST_YEAR, LAST_YEAR, SILK_ROAD_ERA

        year = int(year)
        if year != SILK_ROAD_ERA and not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError(f"year {year} is outside {FIRST_YEAR}..{LAST_YEAR}")
        if year != self.year:
            self.year = year
            self.year_changed.emit(year)

    def set_measure(self, measure: str, classification: Classification | None = None) -> None:
        """Colour the partners by ``measure`` (core/measures.MEASURES), in the classes of
        ``classification`` (None: keep the current one). ValueError, one line, for an unknown
        measure or a bad classification; nothing changes then."""
        from silkmap.core.measures import check_measure

        check_measure(measure)
        classification = (classification or self.classification).check()
        if (measure, classification) != (self.measure, self.classification):
            self.measure, self.classification = measure, classification
            self.measure_changed.emit(measure, classification)

    def set_layer(self, name: str, visible: bool) -> None:
        if name not in self.layers:
            raise KeyError(name)
        if self.layers[name] != visible:
            self.layers[name] = visible
            self.layers_changed.emit(name, visible)

    def set_layers(self, visible: dict[str, bool]) -> None:
        for name, on in visible.items():
            if name in self.layers:
                self.set_layer(name, bool(on))
