"""The map's classes of a measure in a year: each partner's value (core/measures.py), the class
it falls in (core/classify.py), and what the legend says of them.

With ``Classification.fixed`` (and always for the user's breaks) the classes are made from every
year of the measure, so a colour means the same range in every year; otherwise from the year
shown alone. A country without a value is a gap (``of[iso3] is None``), never the lowest class.
The partnership level is ordinal: its classes are the levels themselves (render/year_style.py),
so it has no ``MapClasses``.

Qt-free; the bins of a measure's every year are computed once per atlas (any thread).
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

from silkmap.core.classify import Classes, Classification, classes
from silkmap.core.timeline import SILK_ROAD_ERA


@dataclass(frozen=True)
class MapClasses:
    measure: object  # measures.Measure
    year: int
    classification: Classification
    classes: Classes | None  # None: no value to classify (every partner a gap)
    of: Mapping[str, int | None]  # iso3 → class index; None: no data
    values: Mapping[str, object]  # iso3 → measures.Value
    sources: tuple[str, ...]  # the source ids behind the values shown, in order of first use

    @property
    def k(self) -> int:
        return self.classes.k if self.classes is not None else 0

    def gaps(self) -> tuple[str, ...]:
        return tuple(iso for iso, c in self.of.items() if c is None)


_bins: "weakref.WeakKeyDictionary[object, dict]" = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def _reference(atlas, measure_id: str, year: int, classification: Classification) -> Classes | None:
    """The classes the year's values are placed in: from every year, or from this one."""
    from silkmap.core import measures

    over_all = classification.fixed or classification.scheme == "user"
    key = (measure_id, classification.key()) if over_all else None
    if key is not None:
        with _lock:
            got = _bins.setdefault(atlas, {}).get(key)
        if got is not None:
            return got[0]
        data = measures.all_values(atlas, measure_id)
    else:
        data = measures.values(atlas, measure_id, year).values()
    numbers = [v.value for v in data if v.value is not None]
    made = classes(numbers, classification) if numbers else None
    if key is not None:
        with _lock:
            _bins[atlas][key] = (made,)
    return made


def map_classes(atlas, measure_id: str, year: int, classification: Classification) -> MapClasses | None:
    """The classes of ``measure_id`` in ``year``; None for the level (and in the Silk Road era,
    which has no measures). ValueError for an unknown measure or a bad classification, the
    data's DataError when the measures cannot be read."""
    from silkmap.core import measures

    measure = measures.check_measure(measure_id)
    classification.check()
    if measure.kind == "ordinal" or year == SILK_ROAD_ERA:
        return None
    vals = measures.values(atlas, measure_id, year)
    ref = _reference(atlas, measure_id, year, classification)
    of: dict[str, int | None] = {}
    sources: dict[str, None] = {}
    for iso3, v in vals.items():
        of[iso3] = None if v.value is None or ref is None else ref.class_of(v.value)
        for sid in v.sources:
            sources.setdefault(sid)
    return MapClasses(measure, year, classification, ref, MappingProxyType(of), MappingProxyType(dict(vals)),
                      tuple(sources))
