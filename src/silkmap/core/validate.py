"""Small readers that check a JSON value's shape and report the file, feature and field."""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
import re
from pathlib import Path
from typing import Any

from silkmap.core.errors import DataError, shown
from silkmap.core.resources import kind_problem, path_problem

LANGS = ("en", "zh-Hans", "zh-Hant")
# Far above any real asset (the 1:10m outlines are under 2 MB): a bigger file is not ours.
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_TEXT = 5000  # characters in one string; the longest real note is about 600
MAX_NAME = 200  # ids, codes, names
# Figures are counts, areas, lengths and money: a magnitude beyond this is a typo or garbage.
MAX_MAGNITUDE = 1e13
NEWLINE = "\n"
_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")  # ASCII digits only


def read_data_bytes(path: Path) -> bytes:
    """The bytes of a regular file; a FIFO or device is refused without blocking on it."""
    problem = path_problem(path)
    if problem:
        raise DataError(path, problem)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise DataError(path, path_problem(path) or f"cannot be read ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        problem = kind_problem(st.st_mode)  # swapped since the check above
        if problem:
            raise DataError(path, problem)
        if st.st_size > MAX_FILE_BYTES:
            raise DataError(path, f"is {st.st_size} bytes, too large for a data file")
        try:
            data = fh.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise DataError(path, f"cannot be read ({exc.strerror})") from None
    if len(data) > MAX_FILE_BYTES:
        raise DataError(path, "is too large for a data file")
    return data


def read_json(path: Path) -> Any:
    data = read_data_bytes(path)
    try:
        text = data.decode("utf-8-sig")  # an editor's byte-order mark is harmless
    except UnicodeDecodeError as exc:
        raise DataError(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    if not text.strip():
        raise DataError(path, "is empty")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(path, f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise DataError(path, f"not valid data: nested too deeply ({_where(text, _too_deep(text))})") from None
    except ValueError:  # an integer of thousands of digits, which Python refuses to convert
        m = re.search(r"[0-9]{1000,}", text)
        at = f" ({_where(text, m.start())})" if m else ""
        raise DataError(path, f"not valid data: a number of {len(m.group()) if m else 'too many'} digits{at}") from None
    except MemoryError:
        raise DataError(path, "is too large to read") from None


def _where(text: str, index: int) -> str:
    line_start = text.rfind("\n", 0, index) + 1
    return f"line {text.count(NEWLINE, 0, index) + 1}, column {index - line_start + 1}"


def _too_deep(text: str, limit: int = 500) -> int:
    """Where the nesting of ``text`` first exceeds ``limit`` levels (strings skipped)."""
    depth = 0
    for m in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', text):
        c = m.group()
        if c in "[{":
            depth += 1
            if depth > limit:
                return m.start()
        elif c in "]}":
            depth -= 1
    return 0


def parse_date(value: str) -> tuple[int, int | None, int | None] | None:
    """(year, month, day) of 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' on the calendar, else None."""
    m = _DATE.fullmatch(value)
    if not m:
        return None
    y, mo, d = int(m.group(1)), m.group(2) and int(m.group(2)), m.group(3) and int(m.group(3))
    try:
        _dt.date(y, mo or 1, d or 1)
    except ValueError:
        return None
    return y, mo, d


def date_range_ok(value: str) -> bool:
    """A date, or a span 'A/B' where B is a full date or a day of A's month ('2023-05-18/19')."""
    first, sep, last = value.partition("/")
    start = parse_date(first)
    if start is None:
        return False
    if not sep:
        return True
    if re.fullmatch(r"[0-9]{1,2}", last) and start[2] is not None:
        try:
            return _dt.date(start[0], start[1], int(last)) >= _dt.date(start[0], start[1], start[2])
        except ValueError:
            return False
    return parse_date(last) is not None and last >= first


class Reader:
    """Walks one record of one file; every failure names file, feature and field."""

    def __init__(self, file: Path, feature: str, data: Any, prefix: str = "") -> None:
        self.file = file
        self.feature = feature
        self.prefix = prefix
        if data is None:
            self.fail("", "is missing")
        if not isinstance(data, dict):
            self.fail("", f"expected an object, got {_kind(data)}")
        self.data = data

    def fail(self, field: str, message: str):
        where = (self.prefix + field).rstrip(".")
        raise DataError(self.file, message, feature=self.feature, field=where or None)

    def child(self, field: str, data: Any | None = None) -> "Reader":
        return Reader(self.file, self.feature, self.data.get(field) if data is None else data,
                      prefix=f"{self.prefix}{field}.")

    def has(self, field: str) -> bool:
        return self.data.get(field) is not None

    def raw(self, field: str, default: Any = ...) -> Any:
        if field not in self.data or self.data[field] is None:
            if default is ...:
                self.fail(field, "is missing")
            return default
        return self.data[field]

    def str(self, field: str, default: Any = ..., *, blank: bool = False, limit: int = MAX_TEXT) -> str:
        value = self.raw(field, default)
        if value is default:
            return value
        if not isinstance(value, str):
            self.fail(field, f"expected text, got {_kind(value)}")
        if not blank and not value.strip():
            self.fail(field, "is empty")
        if len(value) > limit:
            self.fail(field, f"is {len(value)} characters long (at most {limit})")
        return value

    def name(self, field: str, default: Any = ...) -> str:
        """An id, code or name: short, not blank, on one line."""
        value = self.str(field, default, limit=MAX_NAME)
        if value is not default and not value.isprintable():
            self.fail(field, f"{shown(value)} contains control characters")
        return value

    def number(self, field: str, default: Any = ..., lo: float | None = None,
               hi: float | None = None) -> float:
        value = self.raw(field, default)
        if value is default:
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(field, f"expected a number, got {shown(value)}")
        if isinstance(value, int) and abs(value) > MAX_MAGNITUDE:
            self.fail(field, f"{shown(value)} is too large")
        if not math.isfinite(value):
            self.fail(field, f"expected a finite number, got {value}")
        lo = -MAX_MAGNITUDE if lo is None else lo
        hi = MAX_MAGNITUDE if hi is None else hi
        if not lo <= value <= hi:
            self.fail(field, f"{shown(value)} is outside {lo:g}..{hi:g}")
        return float(value)

    def integer(self, field: str, default: Any = ..., lo: int = 0, hi: int = 10**12) -> int:
        value = self.number(field, default, lo, hi)
        if value is default:
            return value
        if value != int(value):
            self.fail(field, f"expected a whole number, got {value:g}")
        return int(value)

    def date(self, field: str, default: Any = ..., *, span: bool = False) -> str:
        """'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' (a real calendar date); with ``span`` also 'A/B'."""
        value = self.str(field, default, limit=40)
        if value is default:
            return value
        if not (date_range_ok(value) if span else parse_date(value)):
            self.fail(field, f"{shown(value)} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
        return value

    def choice(self, field: str, allowed: tuple[str, ...], default: Any = ...) -> str:
        value = self.str(field, default)
        if value is not default and value not in allowed:
            self.fail(field, f"{shown(value)} is not one of {', '.join(allowed)}")
        return value

    def list(self, field: str, default: Any = ...) -> list:
        value = self.raw(field, default)
        if value is not default and not isinstance(value, list):
            self.fail(field, f"expected a list, got {_kind(value)}")
        return value

    def dict(self, field: str, default: Any = ...) -> dict:
        value = self.raw(field, default)
        if value is not default and not isinstance(value, dict):
            self.fail(field, f"expected an object, got {_kind(value)}")
        return value

    def names(self, field: str, default: Any = ...) -> tuple[str, ...]:
        """A list of ids or short texts."""
        items = self.list(field, default)
        if items is default:
            return items
        for i, item in enumerate(items):
            self.child(f"{field}[{i}]", {"v": item}).name("v")
        return tuple(items)

    def text(self, field: str, default: Any = ..., limit: int = MAX_TEXT) -> dict[str, str]:
        value = self.raw(field, default)
        if value is default:
            return value
        if not isinstance(value, dict):
            self.fail(field, "expected a text in en / zh-Hans / zh-Hant")
        for lang in LANGS:
            if not isinstance(value.get(lang), str) or not value[lang].strip():
                self.fail(f"{field}.{lang}", "translation is missing")
            if len(value[lang]) > limit:
                self.fail(f"{field}.{lang}", f"is {len(value[lang])} characters long (at most {limit})")
        return {lang: value[lang] for lang in LANGS}


def _kind(value: Any) -> str:
    """A JSON value's type in JSON's words."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return f"the number {shown(value)}"
    if isinstance(value, str):
        return f"the text {shown(value)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
