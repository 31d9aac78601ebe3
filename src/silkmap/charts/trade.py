"""Trade with China by year (2022–2025), as a small bar chart for the country panel."""

from __future__ import annotations

import io

from silkmap.i18n import _, current
from silkmap.i18n.numbers import usd_bn

CONFIDENCE_PREFIX = {"derived": "≈", "unconfirmed": "? "}  # before a value that is not a plain fact
_COLOUR = {"KAZ": "#56B4E9", "KGZ": "#009E73", "TJK": "#CC79A7", "TKM": "#D4C400",
           "UZB": "#E69F00", "CHN": "#D55E00"}


def trade_chart(profile, width_in: float = 3.4, height_in: float = 1.9, lang: str | None = None):
    """A matplotlib Figure (no pyplot, no GUI backend) of the profile's yearly trade.

    ``lang`` defaults to the current language; the details panel passes it explicitly
    because it builds charts on a worker thread while the user may switch languages.
    """
    from matplotlib.figure import Figure

    from silkmap.charts.fonts import configure, families

    configure()
    lang = lang or current()
    family = families(lang)
    years = list(profile.trade)
    # The axis is in the unit a reader counts in: US$ billion, or 亿美元 (1 billion = 10 亿).
    per_unit = 1.0 if lang == "en" else 10.0
    values = [profile.trade[y].value * per_unit for y in years]
    # derived and unconfirmed values are hatched, never drawn as plain facts
    derived = [profile.trade[y].confidence in ("derived", "unconfirmed") for y in years]
    prefix = CONFIDENCE_PREFIX
    fig = Figure(figsize=(width_in, height_in), dpi=100)
    fig.patch.set_alpha(0)
    ax = fig.add_subplot(1, 1, 1)
    colour = _COLOUR.get(profile.iso3, "#555555")
    bars = ax.bar(years, values, color=colour, width=0.62, edgecolor="#333333", linewidth=0.6)
    for bar, is_derived in zip(bars, derived):
        if is_derived:
            bar.set_hatch("///")
            bar.set_facecolor("white")
            bar.set_edgecolor(colour)
    for bar, v, y in zip(bars, values, years):
        label = prefix.get(profile.trade[y].confidence, "") + usd_bn(v / per_unit, lang)
        ax.annotate(label, (bar.get_x() + bar.get_width() / 2, v), ha="center", va="bottom",
                    fontsize=7.5 if len(years) < 4 else 6.8, xytext=(0, 2), textcoords="offset points",
                    family=family)
    ax.set_ylim(0, max(values) * 1.28)
    finish_axes(fig, ax, lang, family)
    return fig


def finish_axes(fig, ax, lang: str, family) -> None:
    """What every trade chart of the panel shares: the unit, the title, an open frame."""
    ax.set_ylabel(_("US$ billion", lang), fontsize=8, family=family)
    ax.tick_params(labelsize=8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(_("Trade with China (China customs)", lang), fontsize=8.5, loc="left", family=family)
    fig.tight_layout(pad=0.4)


def figure_png(fig, dpi: int = 100) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, transparent=True)
    return buf.getvalue()
