"""A bounded cache: least recently used entries go first once a count or cost budget is hit.

The renderer keeps label sprites, stroked routes and text widths per zoom level, language
and size; a long session visits ever more of those, so every such cache needs a bound that
does not throw away what the next frame needs (as clearing the whole dict at a threshold
does). Costs are whatever the caller measures — bytes of an image, points of a path — so
this module stays free of Qt. Thread-safe: the window's render worker and the UI thread
share the renderer's caches.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, Generic, Hashable, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
_MISSING = object()


class LRUCache(Generic[K, V]):
    """A mapping with ``get``, ``[]``, ``in``, ``len``, ``pop`` and ``clear``, bounded by
    ``max_items`` entries and/or ``max_cost`` total cost, where ``cost(value)`` gives one
    entry's cost (1 per entry when not given). An entry costlier than the whole budget is
    not kept at all."""

    def __init__(self, max_items: int | None = None, max_cost: int | None = None,
                 cost: Callable[[V], int] | None = None) -> None:
        if max_items is None and max_cost is None:
            raise ValueError("an LRUCache needs max_items or max_cost")
        if (max_items is not None and max_items < 1) or (max_cost is not None and max_cost < 1):
            raise ValueError("LRUCache budgets must be positive")
        self.max_items = max_items
        self.max_cost = max_cost
        self._cost = cost or (lambda _v: 1)
        self._data: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._total = 0
        self._lock = threading.RLock()
        self.evictions = 0

    @property
    def total_cost(self) -> int:
        return self._total

    def get(self, key: K, default=None):
        with self._lock:
            hit = self._data.get(key, _MISSING)
            if hit is _MISSING:
                return default
            self._data.move_to_end(key)
            return hit[0]

    def __getitem__(self, key: K) -> V:
        value = self.get(key, _MISSING)
        if value is _MISSING:
            raise KeyError(key)
        return value

    def __setitem__(self, key: K, value: V) -> None:
        c = max(int(self._cost(value)), 0)
        with self._lock:
            old = self._data.pop(key, None)
            if old is not None:
                self._total -= old[1]
            if self.max_cost is not None and c > self.max_cost:
                return
            self._data[key] = (value, c)
            self._total += c
            self._trim()

    def _trim(self) -> None:
        while self._data and ((self.max_items is not None and len(self._data) > self.max_items)
                              or (self.max_cost is not None and self._total > self.max_cost)):
            _key, (_value, c) = self._data.popitem(last=False)
            self._total -= c
            self.evictions += 1

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._data

    def __len__(self) -> int:
        return len(self._data)

    def pop(self, key: K, default=None):
        with self._lock:
            hit = self._data.pop(key, None)
            if hit is None:
                return default
            self._total -= hit[1]
            return hit[0]

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self._total = 0

    def keys(self) -> list[K]:
        with self._lock:
            return list(self._data)
