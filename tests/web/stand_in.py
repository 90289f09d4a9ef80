"""A stand-in app for the browser plumbing the reader will use: a copy and a delivered file.

`python stand_in.py` runs the app; `python stand_in.py serve --port N` serves it the way
`briefing serve` serves the reader (same server class, page and checks).
"""

from __future__ import annotations

import io
import shlex
import sys

from textual.app import App, ComposeResult
from textual.widgets import Static

READY, COPIED, DELIVERED = "STAND-IN READY", "STAND-IN COPIED", "STAND-IN DELIVERED"
COPY_TEXT = "a citation, copied"
FILE_NAME, FILE_TEXT = "brief.md", "# An exported brief\n"


class StandIn(App[None]):
    """Copies on `c` (App.copy_to_clipboard), delivers a file on `d` (App.deliver_text)."""

    BINDINGS = [("c", "copy", "Copy"), ("d", "deliver", "Deliver")]

    def compose(self) -> ComposeResult:
        yield Static(READY)

    def action_copy(self) -> None:
        self.copy_to_clipboard(COPY_TEXT)
        self.query_one(Static).update(COPIED)

    def action_deliver(self) -> None:
        self.deliver_text(io.StringIO(FILE_TEXT), save_filename=FILE_NAME)
        self.query_one(Static).update(DELIVERED)


if __name__ == "__main__":
    if sys.argv[1:2] == ["serve"]:
        from briefing_tui.web.server import BriefingServer

        port = int(sys.argv[sys.argv.index("--port") + 1])
        command = "exec " + shlex.join([sys.executable, __file__])
        BriefingServer(command, host="127.0.0.1", port=port, label="the stand-in").serve()
    else:
        StandIn().run()
