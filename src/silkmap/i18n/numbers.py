"""Numbers, money and dates as a reader of each language expects them."""

from __future__ import annotations

from silkmap.i18n import _, current


def _trim(value: float, digits: int) -> str:
    s = f"{value:,.{digits}f}"
    return s.rstrip("0").rstrip(".") if "." in s else s


def usd_bn(value: float, lang: str | None = None) -> str:
    """70.2 → 'US$70.2 billion' / '702亿美元' / '702億美元'."""
    lang = lang or current()
    if lang == "en":
        return f"US${_trim(value, 2)} billion"
    yi = value * 10  # 1 billion = 10 亿
    unit = "亿美元" if lang == "zh-Hans" else "億美元"
    if yi >= 10000:
        wan = "万" if lang == "zh-Hans" else "萬"
        return f"{_trim(yi / 10000, 3)}{wan}{unit}"
    return f"{_trim(yi, 1)}{unit}"


def usd_m(value: float, lang: str | None = None) -> str:
    lang = lang or current()
    if lang == "en":
        return f"US${_trim(value, 1)} million"
    unit = "万美元" if lang == "zh-Hans" else "萬美元"
    return f"{_trim(value * 100, 0)}{unit}"


def cny_bn(value: float, lang: str | None = None) -> str:
    lang = lang or current()
    if lang == "en":
        return f"CNY {_trim(value, 2)} billion"
    unit = "亿元人民币" if lang == "zh-Hans" else "億元人民幣"
    return f"{_trim(value * 10, 1)}{unit}"


def integer(value: float, lang: str | None = None) -> str:
    return f"{int(round(value)):,}"


def percent(value: float, lang: str | None = None) -> str:
    return f"{_trim(value, 1)}%" if (lang or current()) != "en" else f"{_trim(value, 1)} %".replace(" %", "%")


def km(value: float, lang: str | None = None) -> str:
    lang = lang or current()
    return f"{int(round(value)):,} km" if lang == "en" else f"{int(round(value)):,}公里"


def date(iso: str, lang: str | None = None) -> str:
    """'2023-05-19' → '19 May 2023' / '2023年5月19日'; partial dates stay partial."""
    lang = lang or current()
    parts = [p for p in iso.split("-") if p]
    if not parts or not parts[0].isdigit():
        return iso
    months = [_("January"), _("February"), _("March"), _("April"), _("May"), _("June"),
              _("July"), _("August"), _("September"), _("October"), _("November"), _("December")]
    y = parts[0]
    m = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
    d = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else None
    if lang == "en":
        if m and d:
            return f"{d} {months[m - 1]} {y}"
        if m:
            return f"{months[m - 1]} {y}"
        return y
    out = f"{y}年"
    if m:
        out += f"{m}月"
    if d:
        out += f"{d}日"
    return out


def figure_value(value: float, unit: str, lang: str | None = None) -> str:
    """A Figure's value in its unit, formatted for reading."""
    lang = lang or current()
    if unit == "USD bn":
        return usd_bn(value, lang)
    if unit == "USD m":
        return usd_m(value, lang)
    if unit == "CNY bn":
        return cny_bn(value, lang)
    if unit == "km":
        return km(value, lang)
    if unit == "percent":
        return f"{_trim(value, 1)}%"
    if unit == "km2":
        return f"{int(round(value)):,} km²"
    if unit == "count":
        return integer(value, lang)
    return f"{_trim(value, 2)} {unit}"
