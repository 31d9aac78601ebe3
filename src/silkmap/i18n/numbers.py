"""Numbers, money and dates as a reader of each language expects them.

English groups thousands with commas (US$70.2 billion, 1,833 km). Chinese counts in 万 (10⁴)
and 亿 (10⁸) and writes the unit straight after the number without grouping commas:
702亿美元, 1833公里, 272.49万平方公里, 2023年5月19日. Traditional Chinese uses the same
units in traditional characters (億, 萬, 公頃, 噸).
"""

from __future__ import annotations

from silkmap.i18n import current

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

# Chinese unit words: (simplified, traditional)
_ZH = {
    "wan": ("万", "萬"), "yi": ("亿", "億"), "usd": ("美元", "美元"), "cny": ("元人民币", "元人民幣"),
    "km": ("公里", "公里"), "km2": ("平方公里", "平方公里"), "ha": ("公顷", "公頃"),
    "mw": ("兆瓦", "兆瓦"), "m3": ("立方米", "立方米"), "t": ("吨", "噸"), "per_year": ("/年", "/年"),
    "north": ("北纬", "北緯"), "south": ("南纬", "南緯"), "east": ("东经", "東經"), "west": ("西经", "西經"),
    "to": ("至", "至"), "comma": ("，", "，"),
}


def _lang(lang: str | None) -> str:
    return lang or current()


def _zh(key: str, lang: str) -> str:
    return _ZH[key][0 if lang == "zh-Hans" else 1]


def _trim(value: float, digits: int, group: bool = True) -> str:
    s = f"{value:,.{digits}f}" if group else f"{value:.{digits}f}"
    return s.rstrip("0").rstrip(".") if "." in s else s


def zh_count(value: float, lang: str, digits: int = 4) -> str:
    """A number in 万 / 亿 from 10⁵ up (14.31万, 14.0489亿); plain digits below."""
    if abs(value) >= 1e8:
        return _trim(value / 1e8, digits, False) + _zh("yi", lang)
    if abs(value) >= 1e5:
        return _trim(value / 1e4, digits, False) + _zh("wan", lang)
    return _trim(value, 2, False)


def _zh_yi(value_yi: float, lang: str, unit: str) -> str:
    """An amount given in 亿 of ``unit``: 702亿美元, 1.2万亿美元, 4.6亿美元."""
    if abs(value_yi) >= 10000:
        return f"{_trim(value_yi / 10000, 4, False)}{_zh('wan', lang)}{_zh('yi', lang)}{unit}"
    if abs(value_yi) >= 1:
        return f"{_trim(value_yi, 2, False)}{_zh('yi', lang)}{unit}"
    return f"{_trim(value_yi * 10000, 0, False)}{_zh('wan', lang)}{unit}"


def usd_bn(value: float, lang: str | None = None) -> str:
    """70.2 → 'US$70.2 billion' / '702亿美元' / '702億美元'."""
    lang = _lang(lang)
    if lang == "en":
        return f"US${_trim(value, 2)} billion"
    return _zh_yi(value * 10, lang, _zh("usd", lang))  # 1 billion = 10 亿


def usd_m(value: float, lang: str | None = None) -> str:
    """460 → 'US$460 million' / '4.6亿美元'; 72 → 'US$72 million' / '7200万美元'."""
    lang = _lang(lang)
    if lang == "en":
        return f"US${_trim(value, 1)} million"
    return _zh_yi(value / 100, lang, _zh("usd", lang))  # 1 million = 100 万 = 0.01 亿


def cny_bn(value: float, lang: str | None = None) -> str:
    """674.15 → 'CNY 674.15 billion' / '6741.5亿元人民币'."""
    lang = _lang(lang)
    if lang == "en":
        return f"CNY {_trim(value, 2)} billion"
    return _zh_yi(value * 10, lang, _zh("cny", lang))


def integer(value: float, lang: str | None = None) -> str:
    """20495975 → '20,495,975' / '2049.5975万'; 4639 → '4,639' / '4639'."""
    lang = _lang(lang)
    if lang == "en":
        return f"{int(round(value)):,}"
    return zh_count(round(value), lang)


def percent(value: float, lang: str | None = None) -> str:
    return f"{_trim(value, 1)}%"


def km(value: float, lang: str | None = None) -> str:
    """1833 → '1,833 km' / '1833公里'; 40.7 → '40.7 km'; 5.253 → '5.253 km'."""
    lang = _lang(lang)
    digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 3
    if lang == "en":
        return f"{_trim(round(value, digits), digits)} km"
    return _trim(round(value, digits), digits, False) + _zh("km", lang)


def km2(value: float, lang: str | None = None) -> str:
    """2724900 → '2,724,900 km²' / '272.49万平方公里'."""
    lang = _lang(lang)
    if lang == "en":
        return f"{_trim(value, 2)} km²"
    return zh_count(value, lang) + _zh("km2", lang)


def year(y: int | str, lang: str | None = None) -> str:
    """2023 → '2023' / '2023年'."""
    return str(y) if _lang(lang) == "en" else f"{y}年"


def _date_parts(iso: str):
    parts = [p for p in iso.split("-") if p]
    y = parts[0]
    m = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
    d = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else None
    return y, m, d


def date(iso: str, lang: str | None = None) -> str:
    """'2023-05-19' → '19 May 2023' / '2023年5月19日'; partial dates stay partial.

    A range of days in one month, '2023-05-18/19', reads '18–19 May 2023' / '2023年5月18日至19日'.
    """
    lang = _lang(lang)
    iso = iso.strip()
    if not iso or not iso[:4].isdigit():
        return iso
    if "/" in iso:
        first, _sep, last = iso.partition("/")
        y, m, d = _date_parts(first)
        if m and d and last.isdigit():
            if lang == "en":
                return f"{d}–{int(last)} {MONTHS[m - 1]} {y}"
            return f"{y}年{m}月{d}日{_zh('to', lang)}{int(last)}日"
        if last[:4].isdigit():
            joiner = "–" if lang == "en" else _zh("to", lang)
            return f"{date(first, lang)}{joiner}{date(last, lang)}"
        return iso
    y, m, d = _date_parts(iso)
    if lang == "en":
        if m and d:
            return f"{d} {MONTHS[m - 1]} {y}"
        if m:
            return f"{MONTHS[m - 1]} {y}"
        return y
    out = f"{y}年"
    if m:
        out += f"{m}月"
    if d:
        out += f"{d}日"
    return out


def latlon(lat: float, lon: float, lang: str | None = None) -> str:
    """(43.21, 76.95) → '43.21° N, 76.95° E' / '北纬43.21°，东经76.95°'."""
    lang = _lang(lang)
    if lang == "en":
        return f"{abs(lat):.2f}° {'N' if lat >= 0 else 'S'}, {abs(lon):.2f}° {'E' if lon >= 0 else 'W'}"
    ns = _zh("north" if lat >= 0 else "south", lang)
    ew = _zh("east" if lon >= 0 else "west", lang)
    return f"{ns}{abs(lat):.2f}°{_zh('comma', lang)}{ew}{abs(lon):.2f}°"


def figure_value(value: float, unit: str, lang: str | None = None) -> str:
    """A Figure's value in its unit, formatted for reading."""
    lang = _lang(lang)
    zh = lang != "en"
    if unit == "USD bn":
        return usd_bn(value, lang)
    if unit == "USD m":
        return usd_m(value, lang)
    if unit == "CNY bn":
        return cny_bn(value, lang)
    if unit == "km":
        return km(value, lang)
    if unit == "percent":
        return percent(value, lang)
    if unit == "km2":
        return km2(value, lang)
    if unit == "count" or unit == "":
        return integer(value, lang) if float(value).is_integer() else _trim(value, 2, not zh)
    if unit == "ha":
        return _trim(value, 2, not zh) + (_zh("ha", lang) if zh else " ha")
    if unit == "MW":
        return _trim(value, 2, not zh) + (_zh("mw", lang) if zh else " MW")
    if unit == "bcm/yr":  # billion cubic metres a year: 55 → 550亿立方米/年
        if not zh:
            return f"{_trim(value, 2)} bcm/yr"
        return _zh_yi(value * 10, lang, _zh("m3", lang)) + _zh("per_year", lang)
    if unit == "Mt/yr":  # million tonnes a year: 20 → 2000万吨/年
        if not zh:
            return f"{_trim(value, 2)} Mt/yr"
        return _zh_yi(value / 100, lang, _zh("t", lang)) + _zh("per_year", lang)
    return f"{_trim(value, 2)} {unit}"
