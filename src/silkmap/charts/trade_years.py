"""Trade with China every year 1992–2025 as a bar chart, the year on the map marked.

A year without a sourced figure is an empty slot (a gap stays a gap); derived and unconfirmed
values are hatched, as in the four-year chart (charts/trade.py). The marked year's bar is drawn
in full colour with its value above it, the others paler.
"""

from __future__ import annotations

from silkmap.charts.trade import _COLOUR, CONFIDENCE_PREFIX, finish_axes
from silkmap.i18n import current
from silkmap.i18n.numbers import usd_bn


def trade_years_chart(atlas, iso3: str, year: int | None, width_in: float = 3.4, height_in: float = 1.9,
                      lang: str | None = None):
    """A matplotlib Figure (no pyplot) of ``timeline.trade_figures``, ``year`` marked."""
    from matplotlib.figure import Figure

    from silkmap.charts.fonts import configure, families
    from silkmap.core.timeline import FIRST_YEAR, LAST_YEAR, trade_figures

    configure()
    lang = lang or current()
    family = families(lang)
    per_unit = 1.0 if lang == "en" else 10.0  # US$ billion, or 亿美元
    rows = [(y, f) for y, f in trade_figures(atlas, iso3) if f is not None]
    fig = Figure(figsize=(width_in, height_in), dpi=100)
    fig.patch.set_alpha(0)
    ax = fig.add_subplot(1, 1, 1)
    colour = _COLOUR.get(iso3, "#555555")
    top = max((f.value * per_unit for _y, f in rows), default=1.0)
    for y, f in rows:
        marked = y == year
        hatched = f.confidence in ("derived", "unconfirmed")
        bar = ax.bar([y], [f.value * per_unit], width=0.75, color="white" if hatched else colour,
                     alpha=1.0 if marked or year is None else 0.45, edgecolor="#1d1d1d" if marked else colour,
                     linewidth=1.1 if marked else 0.4, hatch="///" if hatched else None)[0]
        if marked:
            prefix = CONFIDENCE_PREFIX.get(f.confidence, "")
            ax.annotate(prefix + usd_bn(f.value, lang), (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                        ha="center", va="bottom", fontsize=7.5, xytext=(0, 2), textcoords="offset points",
                        family=family, fontweight="bold")
    if year is not None and FIRST_YEAR <= year <= LAST_YEAR:
        ax.axvline(year, color="#1d1d1d", linewidth=0.8, linestyle=(0, (2, 2)), zorder=0)
    ax.set_xlim(FIRST_YEAR - 0.8, LAST_YEAR + 0.8)
    ax.set_ylim(0, top * 1.3)
    ax.set_xticks(range(1995, LAST_YEAR + 1, 5))
    finish_axes(fig, ax, lang, family)
    return fig
