"""What the data table shows (ui/data_table.py), Qt-free: the five countries × the measures in
one year, or one country across the years, each cell with its value as shown, its sort key,
its sources, its confidence and note; the mirror statistics (China customs against the
partner's own count of the same trade); sorting with the gaps last; tab-separated copies.

The table is also the accessible alternative to the map: every cell has a sentence a screen
reader can speak, naming the row, the column, the value with its unit and its sources.
"""

from __future__ import annotations

from dataclasses import dataclass

from silkmap.core import measures
from silkmap.core.dated import LEVEL_IDS
from silkmap.core.facts import FOCUS
from silkmap.core.timeline import FIRST_YEAR, LAST_YEAR, LEVELS
from silkmap.i18n import N_, _, current, text

NO_DATA = "—"


@dataclass(frozen=True)
class Column:
    id: str  # "country" | "year" | a measure id | "partner_trade" | "gap" | "sources"
    title: str  # English msgid
    unit: str = ""  # English msgid
    numeric: bool = False


@dataclass(frozen=True)
class Cell:
    text: str  # as shown
    key: object  # the sort key: a number, a string, or None for a gap (sorted last)
    copy: str  # as copied: the number without grouping or unit, "" for a gap
    sources: tuple[str, ...] = ()
    unconfirmed: bool = False
    note: str = ""  # the data's note, or why a mirror gap does not compare like with like
    speech: str = ""  # what a screen reader says


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    keys: tuple[object, ...]  # each row's iso3 (one year) or year (one country)


def columns(by: str) -> tuple[Column, ...]:
    """``by`` "year": a row per country; "country": a row per year."""
    first = Column("country", N_("Country")) if by == "year" else Column("year", N_("Year"))
    cols = [first]
    for m in measures.MEASURES.values():
        cols.append(Column(m.id, m.title, m.unit, m.kind != "ordinal"))
    cols.append(Column("partner_trade", N_("Trade as the partner reports it"), N_("US$ bn"), True))
    cols.append(Column("gap", N_("Mirror gap"), N_("%"), True))
    cols.append(Column("sources", N_("Sources")))
    return tuple(cols)


def heading(col: Column) -> str:
    """The column's title in the current language, with its unit."""
    return f"{_(col.title)} ({_(col.unit)})" if col.unit else _(col.title)


# ---------------------------------------------------------------------------- numbers
def _digits(measure: str, value: float) -> int:
    if measure in ("share", "gap"):
        return 1
    if measure in ("per_person", "bri_projects"):
        return 0
    return 3 if abs(value) < 1 else 2  # US$ bn: small early figures keep their millions


def number(measure: str, value: float) -> str:
    """A value as the table shows it (the unit is in the heading): grouped in English only."""
    digits = _digits(measure, value)
    group = "," if current() == "en" else ""
    sign = "+" if measure in ("balance", "gap") and value > 0 else ""
    return sign + format(round(value, digits), f"{group}.{digits}f")


def _plain(measure: str, value: float) -> str:
    return format(round(value, _digits(measure, value)), f".{_digits(measure, value)}f")


def level_name(value: float) -> str:
    return _(dict(LEVELS)[LEVEL_IDS[int(value)]])


# ---------------------------------------------------------------------------- cells
def _speech(row: str, col: Column, shown: str, unconfirmed: bool, sources, note: str = "") -> str:
    parts = [f"{row}, {heading(col)}: {shown}"]
    if unconfirmed:
        parts.append(_("unconfirmed"))
    if note:
        parts.append(note)
    if sources:
        parts.append(_("sources {ids}").format(ids=", ".join(sources)))
    return "; ".join(parts)


def _gap(row: str, col: Column, note: str = "") -> Cell:
    return Cell(NO_DATA, None, "", note=note, speech=_speech(row, col, _("no data"), False, (), note))


def value_cell(row: str, col: Column, v) -> Cell:
    """A cell of a measures.Value (a gap when its value is None)."""
    note = text(v.note) if v.note else ""
    if v.value is None:
        return _gap(row, col, note)
    unconfirmed = v.confidence != "confirmed"
    if v.measure == "level":
        shown = level_name(v.value)
        return Cell(shown, v.value, shown, v.sources, unconfirmed, note,
                    _speech(row, col, shown, unconfirmed, v.sources, note))
    shown = number(v.measure, v.value)
    said = f"{shown} {_(col.unit)}" if col.unit else shown
    return Cell(shown, v.value, _plain(v.measure, v.value), v.sources, unconfirmed, note,
                _speech(row, col, said, unconfirmed, v.sources, note))


def mirror_cells(row: str, cols: dict[str, Column], m) -> tuple[Cell, Cell]:
    """The partner's own count of the trade, and its gap to China customs' in per cent."""
    partner = value_cell(row, cols["partner_trade"], m.partner)
    col = cols["gap"]
    if m.gap_pct is None:
        return partner, _gap(row, col)
    note = text(m.note) if m.note else ""
    if not m.comparable:
        note = _("not comparable: {why}").format(why=note) if note else _("not comparable")
    sources = tuple(dict.fromkeys(m.china.sources + m.partner.sources))
    shown = number("gap", m.gap_pct)
    unconfirmed = "unconfirmed" in (m.china.confidence, m.partner.confidence)
    return partner, Cell(shown + ("" if m.comparable else " †"), m.gap_pct, _plain("gap", m.gap_pct), sources,
                         unconfirmed, note, _speech(row, col, f"{shown} %", unconfirmed, sources, note))


def _row(cols: tuple[Column, ...], label: str, sort_key, values: list, mirror) -> tuple[Cell, ...]:
    """A row: its label, a cell per measure, the mirror statistics and all its sources."""
    by_id = {c.id: c for c in cols}
    cells = [Cell(label, sort_key, label, speech=label)]
    cells += [value_cell(label, by_id[v.measure], v) for v in values]
    cells.extend(mirror_cells(label, by_id, mirror))
    ids = tuple(dict.fromkeys(s for cell in cells for s in cell.sources))
    shown = ", ".join(ids)
    cells.append(Cell(shown, shown or None, shown, ids,
                      speech=_speech(label, by_id["sources"], shown or _("none"), False, ())))
    return tuple(cells)


def year_table(atlas, year: int) -> Table:
    """The five countries in ``year`` (all gaps in the Silk Road era)."""
    cols = columns("year")
    by_measure = {mid: measures.values(atlas, mid, year) for mid in measures.MEASURES}
    rows = []
    for iso3 in FOCUS:
        name = text(atlas.profiles[iso3].name)
        rows.append(_row(cols, name, name, [by_measure[mid][iso3] for mid in measures.MEASURES],
                         measures.mirror(atlas, iso3, year)))
    return Table(cols, tuple(rows), FOCUS)


def country_table(atlas, iso3: str) -> Table:
    """One country, a row per year FIRST_YEAR..LAST_YEAR."""
    if iso3 not in FOCUS:
        raise ValueError(f"{iso3!r} is not one of {', '.join(FOCUS)}")
    cols = columns("country")
    series = {mid: measures.series(atlas, mid, iso3) for mid in measures.MEASURES}
    years = tuple(range(FIRST_YEAR, LAST_YEAR + 1))
    rows = tuple(_row(cols, str(y), y, [series[mid][i] for mid in measures.MEASURES], measures.mirror(atlas, iso3, y))
                 for i, y in enumerate(years))
    return Table(cols, rows, years)


# ---------------------------------------------------------------------------- order, copy
def sorted_order(rows, column: int, descending: bool = False) -> list[int]:
    """Row indices ordered by ``column``; gaps stay last in either direction, ties keep the
    original order (Python's sort is stable)."""
    have = [i for i, r in enumerate(rows) if r[column].key is not None]
    gaps = [i for i, r in enumerate(rows) if r[column].key is None]
    have.sort(key=lambda i: _sortable(rows[i][column].key), reverse=descending)
    return have + gaps


def _sortable(key):
    return (0, key, "") if isinstance(key, (int, float)) else (1, 0, str(key).casefold())


def _tsv_field(s: str) -> str:
    return " ".join(s.replace("\t", " ").splitlines())


def tsv(header: list[str], rows: list[list[str]]) -> str:
    """Tab-separated text, a line per row, as spreadsheets paste it."""
    lines = ["\t".join(_tsv_field(h) for h in header)] if header else []
    lines += ["\t".join(_tsv_field(c) for c in r) for r in rows]
    return "\n".join(lines) + "\n"


__all__ = ["Column", "Cell", "Table", "columns", "heading", "year_table", "country_table", "sorted_order",
           "tsv", "number", "value_cell", "mirror_cells", "NO_DATA"]
