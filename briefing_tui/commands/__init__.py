"""One module per subcommand, found by name: a new command is one new file here.

Each module has `SUMMARY` (one line for `briefing --help`), `configure(parser)` to add its
arguments, and `run(args) -> exit status`. The module `read` is the reader itself, run when
no subcommand is given. Commands write through `write_stdout`, which never fails on what
stdout's encoding cannot hold.
"""

from __future__ import annotations

import codecs
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2
READER = "read"
# The codec error handler for stdout and stderr (see `_escape_unwritable`).
ESCAPES = "briefing-escapes"


class CliError(Exception):
    """A problem to report in one line on stderr, with its exit status."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


def command_names() -> list[str]:
    """The subcommands, from the modules of this package (none is imported)."""
    import pkgutil  # here: only help lists the commands, and the reader starts without it

    return sorted(
        module.name
        for module in pkgutil.iter_modules(__path__)
        if module.name != READER and not module.name.startswith("_")
    )


def _escape_unwritable(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: what an encoding cannot hold, written as an ASCII escape.

    A byte that is not UTF-8 in a file name (decoded by `os.fsdecode` as a surrogate)
    becomes `\\xff`; any other character `\\u2019`, or a surrogate pair beyond the BMP,
    which keeps JSON valid. Output never fails on a character, nor writes raw bytes.
    """
    if not isinstance(error, UnicodeEncodeError):
        raise error
    out = []
    for char in error.object[error.start : error.end]:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            code -= 0x10000
            out.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
    return "".join(out), error.end


codecs.register_error(ESCAPES, _escape_unwritable)


def path_kind(name: str) -> str | None:
    """ "file" or "folder" for a name that is one (links followed), else None.

    None too for a name that cannot be a path at all (longer than a file name may be,
    holding a NUL), which pathlib would raise on: such a name is a brief's title.
    """
    path = Path(name)
    try:
        return "file" if path.is_file() else "folder" if path.is_dir() else None
    except (OSError, ValueError):
        return None


def prepare_streams() -> None:
    """Make stdout and stderr write what their encoding cannot hold as escapes."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors=ESCAPES)


def stdout_encodes(*samples: str | Mapping[Any, str]) -> bool:
    """Whether stdout's encoding can write these strings (or a mapping's values)."""
    texts = [s if isinstance(s, str) else "".join(s.values()) for s in samples]
    try:
        "".join(texts).encode(_stdout_encoding())
    except UnicodeEncodeError:
        return False
    return True


def write_stdout(text: str) -> None:
    """Write text to stdout, with an escape for what its encoding cannot hold."""
    encoding = _stdout_encoding()
    # Encoded here too, not only by the stream: a stdout replaced by a caller keeps its
    # own error handler, which may be strict.
    sys.stdout.write(text.encode(encoding, ESCAPES).decode(encoding))


def write_json(document: Any) -> None:
    """Write a JSON document to stdout: readable UTF-8 where it takes it, else ASCII escapes."""
    from briefing_tui.core.export import terminal_json  # not for `briefing --help`

    write_stdout(terminal_json(document, ascii_only=not unicode_stdout()))


def unicode_stdout() -> bool:
    """Whether stdout takes any character (UTF-8 or the like); if not, JSON goes as ASCII."""
    return stdout_encodes("\u2019\u2714\U0001f600")


def _stdout_encoding() -> str:
    return getattr(sys.stdout, "encoding", None) or "utf-8"
