"""The argument parser and the value checks shared by the commands."""

from __future__ import annotations

import argparse
import re

from silkmap.cli.errors import CliError
from silkmap.i18n import _


class Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, not usage + error
        raise CliError(f"{message} (see 'silkmap {self._sub_name()}--help')")

    def _sub_name(self) -> str:
        parts = self.prog.split()
        return (" ".join(parts[1:]) + " ") if len(parts) > 1 else ""


def whole_number(option: str):
    """An argparse ``type`` for ``option``: a whole number, or a one-line error."""
    def parse(value: str) -> int:
        try:
            return int(value)
        except ValueError:
            raise CliError(_("{option} expects a whole number, got '{value}'").format(
                option=option, value=value)) from None
    return parse


def pixel_size(value: str) -> tuple[int, int]:
    m = re.fullmatch(r"\s*(\d+)\s*[xX×]\s*(\d+)\s*", value)
    if not m:
        raise CliError(_("--size expects WIDTHxHEIGHT in pixels, e.g. 1920x1080, got '{value}'").format(value=value))
    return int(m.group(1)), int(m.group(2))


def country(atlas, code: str) -> str:
    """``code`` as one of the atlas's country codes, or a one-line error."""
    iso3 = code.upper()
    if iso3 not in atlas.profiles:
        raise CliError(_("unknown country code '{code}' (expected one of {codes})").format(
            code=code, codes=", ".join(sorted(atlas.profiles))))
    return iso3
