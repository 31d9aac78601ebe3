"""Small readers that check a JSON value's shape and report the file, feature and field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from silkmap.core.errors import DataError

LANGS = ("en", "zh-Hans", "zh-Hant")


def read_json(path: Path) -> Any:
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError:
        raise DataError(path, "data file is missing (the installation is incomplete)") from None
    except UnicodeDecodeError as exc:
        raise DataError(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise DataError(path, f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except OSError as exc:
        raise DataError(path, f"cannot be read ({exc.strerror})") from None


class Reader:
    """Walks one record of one file; every failure names file, feature and field."""

    def __init__(self, file: Path, feature: str, data: Any, prefix: str = "") -> None:
        self.file = file
        self.feature = feature
        self.prefix = prefix
        if not isinstance(data, dict):
            self.fail("", f"expected an object, got {type(data).__name__}")
        self.data = data

    def fail(self, field: str, message: str):
        raise DataError(self.file, message, feature=self.feature, field=self.prefix + field)

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

    def str(self, field: str, default: Any = ...) -> str:
        value = self.raw(field, default)
        if value is not default and not isinstance(value, str):
            self.fail(field, f"expected text, got {type(value).__name__}")
        return value

    def number(self, field: str, default: Any = ..., lo: float | None = None,
               hi: float | None = None) -> float:
        value = self.raw(field, default)
        if value is default:
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(field, f"expected a number, got {value!r}")
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            self.fail(field, f"{value} is outside {lo}..{hi}")
        return float(value)

    def choice(self, field: str, allowed: tuple[str, ...], default: Any = ...) -> str:
        value = self.str(field, default)
        if value is not default and value not in allowed:
            self.fail(field, f"{value!r} is not one of {', '.join(allowed)}")
        return value

    def list(self, field: str, default: Any = ...) -> list:
        value = self.raw(field, default)
        if value is not default and not isinstance(value, list):
            self.fail(field, f"expected a list, got {type(value).__name__}")
        return value

    def text(self, field: str, default: Any = ...) -> dict[str, str]:
        value = self.raw(field, default)
        if value is default:
            return value
        if not isinstance(value, dict):
            self.fail(field, "expected a text in en / zh-Hans / zh-Hant")
        for lang in LANGS:
            if not isinstance(value.get(lang), str) or not value[lang].strip():
                self.fail(f"{field}.{lang}", "translation is missing")
        return {lang: value[lang] for lang in LANGS}
