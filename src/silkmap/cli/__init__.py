"""The command line: the window by default, `info`, `export`, `open`, `--version`.

One module per command (``info``, ``export``); ``main`` holds the parser and the dispatch.
The package sits above the window and the renderer: nothing below it imports it.
"""

from silkmap.cli.errors import CliError
from silkmap.cli.main import build_parser, requested_language, requested_project, run

__all__ = ["CliError", "build_parser", "requested_language", "requested_project", "run"]
