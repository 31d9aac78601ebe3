"""The argument parser and the value checks shared by the commands."""

from __future__ import annotations

import argparse
import re
import sys

from silkmap.cli.errors import CliError
from silkmap.core.oneline import shown
from silkmap.i18n import _

# More digits than any limit has: refused as out of range before int() (which stops at 4,300
# digits with a ValueError of its own).
_DIGITS = 9


class Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, not usage + error (values in it are cut when printed)
        raise CliError(f"{message} (see 'silkmap {self._sub_name()}--help')")

    def _print_message(self, message: str, file=None) -> None:
        # argparse ignores a failed write of --help or --version (and prints to stderr when
        # stdout is closed): it is the output asked for, so failing to write it fails the run.
        if not message:
            return
        if file is None or file is sys.stdout:
            from silkmap.cli.output import write_stdout

            write_stdout(message)
        else:
            super()._print_message(message, file)

    def _sub_name(self) -> str:
        parts = self.prog.split()
        return (" ".join(parts[1:]) + " ") if len(parts) > 1 else ""


def dpi(value: str) -> int:
    """--dpi's value: a whole number, or a one-line error; a number of more digits than any
    resolution has is out of range (the range check names it)."""
    from silkmap.render.limits import MAX_DPI

    text = value.strip()
    digits = text.lstrip("+-")
    if digits.isdigit() and len(digits.lstrip("0")) > _DIGITS:
        raise CliError(_("dpi {dpi} is out of range (24 to {max})").format(dpi=shown(text, 24), max=MAX_DPI))
    try:
        return int(text[:len(text) - len(digits)] + (digits.lstrip("0") or "0")) if digits.isdigit() else int(text)
    except ValueError:
        raise CliError(_("{option} expects a whole number, got '{value}'").format(
            option="--dpi", value=shown(value))) from None


def pixel_size(value: str) -> tuple[int, int]:
    from silkmap.render.limits import MAX_PIXELS

    m = re.fullmatch(r"\s*(\d+)\s*[xX×]\s*(\d+)\s*", value)
    if not m:
        raise CliError(_("--size expects WIDTHxHEIGHT in pixels, e.g. 1920x1080, got '{value}'").format(
            value=shown(value)))
    w, h = m.groups()
    if max(len(w.lstrip("0")), len(h.lstrip("0"))) > _DIGITS:
        raise CliError(_("size {w}×{h} is out of range: each side must be 1 to {max} pixels").format(
            w=shown(w, 24), h=shown(h, 24), max=MAX_PIXELS))
    return int(w.lstrip("0") or "0"), int(h.lstrip("0") or "0")


def country(atlas, code: str) -> str:
    """``code`` as one of the atlas's country codes, or a one-line error."""
    iso3 = code.upper()
    if iso3 not in atlas.profiles:
        raise CliError(_("unknown country code '{code}' (expected one of {codes})").format(
            code=shown(code), codes=", ".join(sorted(atlas.profiles))))
    return iso3


def year(value: str) -> int:
    """--year's value: a year the dated facts cover, or "era" for the Silk Road era."""
    from silkmap.core.timeline import FIRST_YEAR, LAST_YEAR, SILK_ROAD_ERA

    text = value.strip()
    if text.lower() == "era":
        return SILK_ROAD_ERA
    if not re.fullmatch(r"[0-9]{1,9}", text):
        raise CliError(_("--year expects a year such as 2010 (or 'era'), got '{value}'").format(value=shown(value)))
    y = int(text)
    if not FIRST_YEAR <= y <= LAST_YEAR:
        raise CliError(_("year {year} is outside the data's range ({first} to {last})").format(
            year=y, first=FIRST_YEAR, last=LAST_YEAR))
    return y


def year_range(value: str) -> tuple[int, int]:
    """--years' value: FIRST-LAST, both in the data's range, in order."""
    from silkmap.core.timeline import FIRST_YEAR, LAST_YEAR

    m = re.fullmatch(r"\s*([0-9]{1,9})\s*[-–—]\s*([0-9]{1,9})\s*", value)
    if not m:
        raise CliError(_("--years expects a range such as 2000-2025, got '{value}'").format(value=shown(value)))
    a, b = int(m.group(1)), int(m.group(2))
    for y in (a, b):
        if not FIRST_YEAR <= y <= LAST_YEAR:
            raise CliError(_("year {year} is outside the data's range ({first} to {last})").format(
                year=y, first=FIRST_YEAR, last=LAST_YEAR))
    if a > b:
        raise CliError(_("--years {first}-{last} runs backwards: give the earlier year first").format(first=a, last=b))
    return a, b
