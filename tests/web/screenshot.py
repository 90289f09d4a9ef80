"""Take the README's picture of the reader in a browser: `python tests/web/screenshot.py OUT.png`.

It runs `briefing serve` on the bundled library and photographs the page in Debian's
chromium, as the browser test drives it, after one jump to a conflicting passage.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from chromium_tab import CHROMIUM, NO_CHROMIUM, ChromiumTab  # noqa: E402
from web_helpers import ServedReader  # noqa: E402

from briefing_tui.core.library.loader import load_library  # noqa: E402


async def photograph(out: Path) -> None:
    """Serve the bundled library, open it in chromium, jump once, and save the page."""
    with tempfile.TemporaryDirectory() as scratch:
        server = ServedReader(Path(scratch) / "served")
        try:
            async with ChromiumTab(Path(scratch) / "profile") as tab:
                await tab.open(server.url, load_library().briefs[0].title)
                await tab.page.keyboard.press("x")
                await tab.feed.wait_for_text("in conflict")
                # The last frame has reached the canvas once xterm.js has drawn it.
                await tab.page.wait_for_timeout(500)
                await tab.page.screenshot(path=out)
        finally:
            server.stop()


def main() -> int:
    """Take the picture, or say why it cannot be taken."""
    if CHROMIUM is None:
        print(f"screenshot: {NO_CHROMIUM}", file=sys.stderr)
        return 2
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/browser.png")
    asyncio.run(photograph(out))
    print(f"screenshot: wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
