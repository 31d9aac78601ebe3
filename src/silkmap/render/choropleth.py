"""How a measure colours the map (core/choropleth.py's MapClasses): the class colours, the
"no data" hatch, and the legend's words for them.

Sequential measures take ColorBrewer's YlGn scheme for their number of classes (readable with
the common colour-vision deficiencies and in grey; green, like the partnership levels: blue
would hide lakes and rivers, orange and purple are China's fill and the road's). The balance,
whose sign matters, takes ColorBrewer's BrBG: brown where China imports more than it exports,
teal where it exports more, each side darker away from zero. "No data" is a pale fill crossed
by a grey hatch, drawn unlike any class, so a gap is never read as the lowest value.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QTransform

from silkmap.i18n import N_, _

# ColorBrewer YlGn (colorbrewer2.org, Cynthia Brewer, Penn State): k classes take the scheme of
# k + 1 without its darkest step, as the partnership scale does: it would bury the names, the
# routes and the projects' dark green diamonds.
YLGN = {
    2: ("#f7fcb9", "#addd8e"),
    3: ("#ffffcc", "#c2e699", "#78c679"),
    4: ("#ffffcc", "#c2e699", "#78c679", "#31a354"),
    5: ("#ffffcc", "#d9f0a3", "#addd8e", "#78c679", "#31a354"),
    6: ("#ffffcc", "#d9f0a3", "#addd8e", "#78c679", "#41ab5d", "#238443"),
    7: ("#ffffe5", "#f7fcb9", "#d9f0a3", "#addd8e", "#78c679", "#41ab5d", "#238443"),
}
# ColorBrewer BrBG-11, each side from zero outwards, without its darkest step (as YlGn).
BRBG_NEGATIVE = ("#f6e8c3", "#dfc27d", "#bf812d", "#8c510a")
BRBG_POSITIVE = ("#c7eae5", "#80cdc1", "#35978f", "#01665e")
BRBG_ZERO = "#f5f5f5"  # a class spanning zero

NO_DATA_FILL = QColor("#fbfaf6")
NO_DATA_HATCH = QColor("#a59f92")
HATCH_PX = 8.0  # Qt's diagonal pattern repeats every 8 device pixels
NO_DATA = N_("No data")


def _side(ramp: tuple[str, ...], n: int) -> list[str]:
    """``n`` steps of a side, from zero outwards, spread over its colours."""
    if n <= 0:
        return []
    if n == 1:
        return [ramp[1]]
    if n <= len(ramp):
        return [ramp[round(i * (len(ramp) - 1) / (n - 1))] for i in range(n)]
    # more classes on one side than it has colours: mix between neighbours
    out = []
    for i in range(n):
        t = i * (len(ramp) - 1) / (n - 1)
        a, b = QColor(ramp[int(t)]), QColor(ramp[min(int(t) + 1, len(ramp) - 1)])
        f = t - int(t)
        out.append(QColor(round(a.red() + (b.red() - a.red()) * f), round(a.green() + (b.green() - a.green()) * f),
                          round(a.blue() + (b.blue() - a.blue()) * f)).name())
    return out


@lru_cache(maxsize=64)
def _palette(ranges: tuple[tuple[float, float], ...], diverging: bool) -> tuple[str, ...]:
    k = len(ranges)
    if not diverging:
        return YLGN.get(k, YLGN[7])[:k] if k >= 2 else (YLGN[3][1],)
    neg = [j for j, (_lo, hi) in enumerate(ranges) if hi < 0]
    pos = [j for j, (lo, hi) in enumerate(ranges) if lo >= 0 and hi > 0]
    out = [BRBG_ZERO] * k
    for j, colour in zip(reversed(neg), _side(BRBG_NEGATIVE, len(neg))):
        out[j] = colour
    for j, colour in zip(pos, _side(BRBG_POSITIVE, len(pos))):
        out[j] = colour
    return tuple(out)


def class_colours(mc) -> tuple[QColor, ...]:
    """The colour of each class of ``mc`` (core/choropleth.MapClasses), lowest first."""
    if mc is None or mc.classes is None:
        return ()
    return tuple(QColor(c) for c in _palette(tuple(mc.classes.ranges()), mc.measure.diverging))


def fill_of(mc, iso3: str) -> QColor | None:
    """The partner's fill: its class colour, NO_DATA_FILL for a gap; None if not a partner."""
    if iso3 not in mc.of:
        return None
    j = mc.of[iso3]
    return NO_DATA_FILL if j is None else class_colours(mc)[j]


def no_data_brush(to_device: QTransform | None = None, s: float = 1.0) -> QBrush:
    """The hatch, in device pixels (``to_device``: the painter's units → pixels, inverted here,
    so a map drawn in metres still gets an 8 px hatch), ``s`` times as wide apart."""
    brush = QBrush(NO_DATA_HATCH, Qt.BrushStyle.BDiagPattern)
    tf = QTransform.fromScale(s, s)
    if to_device is not None:
        inv, ok = to_device.inverted()
        if ok:
            # scale only: the hatch keeps to the map when it pans
            tf = tf * QTransform(inv.m11(), inv.m12(), inv.m21(), inv.m22(), 0, 0)
    brush.setTransform(tf)
    return brush


# ---------------------------------------------------------------------- words
def number(value: float, kind: str = "continuous") -> str:
    """A class bound as the legend shows it: a count whole, an amount to three figures."""
    if kind == "count":
        return f"{value:.0f}" if value == int(value) else f"{value:.1f}"
    a = abs(value)
    digits = 0 if a >= 100 else 1 if a >= 10 else 2 if a >= 0.1 or a == 0 else 3
    s = f"{value:,.{digits}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def range_labels(mc) -> list[str]:
    """Each class as "low – high" (a count as its whole numbers: "2–3", "4")."""
    if mc is None or mc.classes is None:
        return []
    kind = mc.measure.kind
    out = []
    for j, (lo, hi) in enumerate(mc.classes.ranges()):
        if kind == "count":
            a = int(lo) if j == 0 else int(lo) + 1  # above the lower bound, for every class but the first
            b = int(hi)
            out.append(str(b) if a >= b else f"{a}–{b}")
        else:
            out.append(f"{number(lo)} – {number(hi)}")
    return out


def heading(mc) -> str:
    """"Trade with China · US$ bn · 2024"."""
    parts = [_(mc.measure.title)]
    if mc.measure.unit:
        parts.append(_(mc.measure.unit))
    parts.append(str(mc.year))  # a year of the timeline: the Silk Road era has no measures
    return " · ".join(parts)


def scheme_line(mc) -> str:
    """How the classes were made: "Natural breaks, all years"."""
    from silkmap.core.classify import SCHEME_NAMES

    c = mc.classification
    text = _(SCHEME_NAMES[c.scheme])
    if c.fixed or c.scheme == "user":
        text = _("{scheme}, same classes every year").format(scheme=text)
    return text


def sources_line(atlas, mc) -> str:
    """"Sources: …" — each publisher once, in order of first use; "" when there are none."""
    names: dict[str, None] = {}
    for sid in mc.sources:
        if sid in atlas.sources:
            names.setdefault(atlas.sources[sid].publisher)
    if not names:
        return ""
    return _("Sources: {list}").format(list="; ".join(names))
