"""The served page loads nothing from outside the machine, and nothing external can frame it."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import aiohttp
import textual_serve
from web_helpers import ServedReader

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
# A URL that would be loaded: quoted (HTML attributes, JS and CSS strings) or in CSS url(…).
# Licence comments in the bundled JavaScript name web sites without quotes; they load nothing.
_QUOTED_URL = re.compile(r"""(?:["'`]|url\(\s*)((?:[a-z][a-z0-9+.-]*:)?//[^"'`\s)]+)""", re.I)
_CSS_URL = re.compile(r"""url\(\s*["']?([^"')\s]+)""")


def external_urls(text: str) -> list[str]:
    """Absolute or protocol-relative URLs in text that lead off this machine."""
    urls = (match.group(1) for match in _QUOTED_URL.finditer(text))
    return [url for url in urls if urlsplit(url).hostname not in LOCAL_HOSTS]


class _References(HTMLParser):
    """Every src and href of a page, and the url(…)s of its inline styles."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_style = tag == "style"
        self.urls += [value for name, value in attrs if name in ("src", "href") and value]

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.urls += _CSS_URL.findall(data)


def test_the_check_catches_the_page_textual_serve_ships() -> None:
    # textual-serve's own template links a web font on a public CDN: the check must see it.
    default = Path(textual_serve.__file__).parent / "templates" / "app_index.html"
    assert any("fonts.googleapis.com" in url for url in external_urls(default.read_text()))


async def test_the_page_and_every_asset_load_only_from_this_server(
    served: ServedReader, client: aiohttp.ClientSession
) -> None:
    async with client.get(served.url + "/") as response:
        assert response.status == 200
        page = await response.text()
    assert external_urls(page) == []
    references = _References()
    references.feed(page)
    assert len(references.urls) >= 3  # the stylesheet, the script and the fonts
    pending, fetched = [served.url + "/" + url.lstrip("/") for url in references.urls], set()
    while pending:
        url = pending.pop()
        if url in fetched:
            continue
        fetched.add(url)
        assert urlsplit(url).netloc == f"127.0.0.1:{served.port}", url
        async with client.get(url) as asset:
            assert asset.status == 200, url
            body = await asset.read()
            kind = asset.content_type
        if kind.startswith("text/") or kind.endswith("javascript"):
            text = body.decode("utf-8")
            assert external_urls(text) == [], url
            if kind == "text/css":
                pending += [urljoin(url, ref) for ref in _CSS_URL.findall(text)]
    assert any(url.endswith(".js") for url in fetched)
    assert any(url.endswith(".ttf") for url in fetched)


async def test_the_page_connects_only_to_this_server_and_cannot_be_framed(
    served: ServedReader, client: aiohttp.ClientSession
) -> None:
    async with client.get(served.url + "/") as response:
        page = await response.text()
        policy = response.headers["Content-Security-Policy"]
        assert response.headers["X-Frame-Options"] == "DENY"
    assert f'data-session-websocket-url="ws://127.0.0.1:{served.port}/ws"' in page
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["connect-src"] == f"'self' ws://127.0.0.1:{served.port}"
    for name in ("script-src", "style-src", "font-src", "img-src"):
        assert "http" not in directives[name] and "*" not in directives[name]
    # Inline script runs only with this response's nonce: injected markup could not run any.
    nonce = re.search(r"'nonce-([^']+)'", directives["script-src"])
    assert nonce is not None and f'nonce="{nonce.group(1)}"' in page
