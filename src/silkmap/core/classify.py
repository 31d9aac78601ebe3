"""Class breaks for a choropleth: quantiles, natural breaks (Fisher-Jenks), equal interval and
the user's own breaks, computed as mapclassify computes them (tests/test_classify.py compares
them on the same data), in numpy alone: mapclassify brings scipy and scikit-learn, which the
bundle has no room for.

Breaks are upper bounds, as in mapclassify: a value ``v`` is in class ``j`` when
``bins[j-1] < v <= bins[j]`` (class 0 from the lowest value up to ``bins[0]``).

``Classification`` is the user's choice (scheme, number of classes, their breaks, and whether
the classes are computed over every year of the measure so that years compare); ``classes``
turns it and a set of values into ``Classes``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from silkmap.i18n import N_

SCHEMES = ("quantiles", "natural", "equal", "user")
SCHEME_NAMES = {"quantiles": N_("Quantiles"), "natural": N_("Natural breaks"),
                "equal": N_("Equal interval"), "user": N_("Your breaks")}
K_MIN, K_MAX = 2, 7  # seven is as many steps as a sequential palette keeps apart
DEFAULT_K = 5
MAX_BREAKS = K_MAX - 1  # the user's breaks; the top class runs up to the largest value


@dataclass(frozen=True)
class Classification:
    scheme: str = "quantiles"
    k: int = DEFAULT_K
    breaks: tuple[float, ...] = ()  # the user's upper bounds (scheme "user")
    fixed: bool = True  # classes over every year of the measure, so that years compare

    def check(self) -> "Classification":
        """Itself, or ValueError with one line saying what is wrong."""
        if self.scheme not in SCHEMES:
            raise ValueError(f"unknown classification '{self.scheme}' (choose from {', '.join(SCHEMES)})")
        check_k(self.k)
        if self.scheme == "user" or self.breaks:  # kept for when the user goes back to them
            check_breaks(self.breaks)
        return self

    def key(self) -> tuple:
        return (self.scheme, self.k, self.breaks, self.fixed)


def check_k(k) -> int:
    if isinstance(k, bool) or not isinstance(k, int) or not K_MIN <= k <= K_MAX:
        raise ValueError(f"the number of classes must be a whole number from {K_MIN} to {K_MAX}, got {k!r}")
    return k


def check_breaks(breaks) -> tuple[float, ...]:
    if not breaks:
        raise ValueError("give at least one break")
    if len(breaks) > MAX_BREAKS:
        raise ValueError(f"give at most {MAX_BREAKS} breaks (the top class runs up to the largest value)")
    out = []
    for b in breaks:
        if isinstance(b, bool) or not isinstance(b, (int, float)) or not math.isfinite(b):
            raise ValueError(f"break {b!r} is not a finite number")
        out.append(float(b))
    for a, b in zip(out, out[1:]):
        if not a < b:
            raise ValueError(f"breaks must increase: {a:g} is followed by {b:g}")
    return tuple(out)


def parse_breaks(text: str) -> tuple[float, ...]:
    """"a,b,c" (spaces, a ";" or a Chinese comma between them also do) as increasing numbers."""
    parts = [p for p in re.split(r"[,;，；\s]+", text.strip()) if p]
    values = []
    for p in parts:
        try:
            v = float(p)
        except ValueError:
            raise ValueError(f"break '{p[:24]}' is not a number") from None
        values.append(v)
    return check_breaks(values)


# ---------------------------------------------------------------------- the schemes
def _array(values):
    import numpy as np

    y = np.asarray(values, dtype="f8").ravel()
    if y.size == 0:
        raise ValueError("no values to classify")
    if not np.all(np.isfinite(y)):
        raise ValueError("values to classify must be finite")
    return y


def quantiles(values, k: int):
    """mapclassify.Quantiles(y, k).bins: scipy's scoreatpercentile ('fraction') at every 100/k
    per cent; repeated quantiles (ties) collapse, leaving fewer classes."""
    import numpy as np

    y = np.sort(_array(values))
    w = 100.0 / k
    p = np.arange(w, 100 + w, w)
    if p[-1] > 100.0:
        p[-1] = 100.0
    q = []
    for per in p:
        idx = per / 100.0 * (y.size - 1)
        i = int(idx)
        if i == idx:
            q.append(float(y[i]))
        else:
            weights = np.array([(i + 1 - idx), (idx - i)], float)
            q.append(float(np.add.reduce(y[i:i + 2] * weights) / weights.sum()))
    return np.unique(np.array(q))


def equal_interval(values, k: int):
    """mapclassify.EqualInterval(y, k).bins; one class when every value is the same (where
    mapclassify refuses)."""
    import numpy as np

    y = _array(values)
    max_y, min_y = max(y), min(y)
    if min_y == max_y:
        return np.array([max_y])
    width = (max_y - min_y) * 1.0 / k
    cuts = np.arange(min_y + width, max_y + width, width)
    if len(cuts) > k:
        cuts = cuts[0:k]
    cuts[-1] = max_y
    return cuts.copy()


def natural_breaks(values, k: int):
    """mapclassify.FisherJenks(y, k).bins: Fisher's optimal partition of the sorted values
    (least squared deviation from the class means), with mapclassify's float32 sums, so that
    near-ties resolve alike. Fewer distinct values than ``k``: that many classes (where
    mapclassify refuses)."""
    import numpy as np

    x = np.sort(_array(values)).astype("f8")
    k = min(k, len(np.unique(x)))
    if k < 2:
        return np.array([x[-1]])
    n = len(x)
    f32 = np.float32
    mat1 = np.zeros((n + 1, k + 1), dtype=np.int32)
    mat2 = np.zeros((n + 1, k + 1), dtype=f32)
    mat1[1, 1:] = 1
    mat2[2:, 1:] = np.inf
    xs = x.astype(f32)
    for row in range(2, n + 1):
        # m = 1..row: the class of the last m values x[row-m .. row-1], summed from the end
        tail = xs[row - 1::-1]
        s1 = np.cumsum(tail, dtype=f32)
        s2 = np.cumsum(tail * tail, dtype=f32)
        w = np.arange(1, row + 1, dtype=f32)
        v = s2 - (s1 * s1) / w
        # the earlier values x[0 .. row-m-1] in j-1 classes: rows i4 = row-m, for m < row
        i4 = np.arange(row - 1, 0, -1)
        for j in range(2, k + 1):
            cand = v[:-1] + mat2[i4, j - 1]
            # mapclassify walks m upwards and takes a candidate <= the best so far: the last
            # of the equal minima wins
            best = len(cand) - 1 - int(np.argmin(cand[::-1]))
            if mat2[row, j] >= cand[best]:
                mat1[row, j] = row - best  # i3 = row - m + 1 with m = best + 1
                mat2[row, j] = cand[best]
        mat1[row, 1] = 1
        mat2[row, 1] = v[-1]
    kclass = np.zeros(k + 1, dtype=x.dtype)
    kclass[k] = x[n - 1]
    kclass[0] = x[0]
    last = n
    for count in range(k, 1, -1):
        pivot = mat1[last, count]
        kclass[count - 1] = x[int(pivot - 2)]
        last = int(pivot - 1)
    return np.delete(kclass, 0)


def user_defined(values, breaks):
    """mapclassify.UserDefined(y, breaks).bins: the breaks, and the largest value as a last
    upper bound when it is above them."""
    import numpy as np

    y = _array(values)
    bins = np.array(check_breaks(breaks), dtype="f8")
    if bins[-1] < max(y):
        bins = np.append(bins, max(y))
    return bins


def bin_ids(values, bins):
    """mapclassify's ``yb``: each value's class (``bins[j-1] < v <= bins[j]``)."""
    import numpy as np

    y = np.asarray(values, dtype="f8").ravel()
    return np.searchsorted(np.asarray(bins, dtype="f8"), y, side="left")


# ---------------------------------------------------------------------- classes
@dataclass(frozen=True)
class Classes:
    bins: tuple[float, ...]  # upper bounds, increasing
    lowest: float  # the lowest value classified: class 0 starts there
    k: int  # len(bins); fewer than asked when ties or few values leave fewer

    def class_of(self, value: float) -> int:
        """The class of ``value``; one above the top bound counts in the top class."""
        for j, b in enumerate(self.bins):
            if value <= b:
                return j
        return self.k - 1

    def ranges(self) -> list[tuple[float, float]]:
        """Each class's (lower, upper) bounds; the lower bound of class j>0 is excluded."""
        lows = (min(self.lowest, self.bins[0]),) + self.bins[:-1]
        return list(zip(lows, self.bins))


def classes(values, classification: Classification) -> Classes:
    """The classes ``classification`` makes of ``values`` (finite numbers, at least one)."""
    c = classification.check()
    y = _array(values)
    if c.scheme == "quantiles":
        bins = quantiles(y, c.k)
    elif c.scheme == "natural":
        bins = natural_breaks(y, c.k)
    elif c.scheme == "equal":
        bins = equal_interval(y, c.k)
    else:
        bins = user_defined(y, c.breaks)
    bins = tuple(float(b) for b in bins)
    return Classes(bins, float(min(y)), len(bins))
