"""The years the map shows and what a year's map holds (``YearState``): what the state, the
renderer and the saved window need of the timeline, without the dated facts' loaders, so the
first paint can show the latest year from the prebuilt home view (core/prebuilt.py) alone.

core/timeline.py computes the states; it and core/dated.py take these names from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from silkmap.i18n import N_

FIRST_YEAR = 1992
LAST_YEAR = 2025
SILK_ROAD_ERA = 0  # the caravan era: historical routes only, no partnership colours, no trade
STOPS = (SILK_ROAD_ERA, *range(FIRST_YEAR, LAST_YEAR + 1))  # the timeline's, in order

# Partnership levels, lowest first: the ordinal scale countries are coloured by.
LEVEL_IDS = ("relations", "strategic", "comprehensive", "upgraded")
# What a route or project is in a year: agreed, being built, open, or work stopped.
STATUSES = ("agreed", "construction", "open", "stalled")

# Ordered lowest first; the msgid is the legend's name of each level.
LEVELS: tuple[tuple[str, str], ...] = tuple(zip(LEVEL_IDS, (
    N_("Diplomatic relations"),
    N_("Strategic partnership"),
    N_("Comprehensive strategic partnership"),
    # Kazakhstan's "permanent", Kyrgyzstan's and Tajikistan's "new era", Uzbekistan's "all-weather"
    N_("Comprehensive strategic partnership, raised further"),
)))


@dataclass(frozen=True)
class YearState:
    """Read-only (the mappings too): the same object is handed to every caller of the year."""

    year: int
    level: Mapping[str, str | None]  # iso3 → level id, None before relations (and in the era)
    route_status: Mapping[str, str | None]  # route id → None (not yet agreed: hidden) or a STATUSES value;
    project_status: Mapping[str, str | None]  # an id without any dated history is absent (dates unknown)
    trade: Mapping[str, tuple[float | None, str | None]]  # iso3 → (US$, first source id); (None, None) a gap
