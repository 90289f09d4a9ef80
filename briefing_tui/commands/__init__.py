"""One module per subcommand, found by name: a new command is one new file here.

Each module has `SUMMARY` (one line for `briefing --help`), `configure(parser)` to add its
arguments, and `run(args) -> exit status`. The module `read` is the reader itself, run when
no subcommand is given.
"""

from __future__ import annotations

import pkgutil

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2
READER = "read"


class CliError(Exception):
    """A problem to report in one line on stderr, with its exit status."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


def command_names() -> list[str]:
    """The subcommands, from the modules of this package (none is imported)."""
    return sorted(
        module.name
        for module in pkgutil.iter_modules(__path__)
        if module.name != READER and not module.name.startswith("_")
    )
