"""The live-reload client: ``livereload.js`` (package data) and the tag that loads it.

The server adds ``<script src="{base}__awsnotes/livereload.js" defer></script>`` to every
HTML response (:func:`inject`), so templates need no opt-in and built pages do not depend
on being served.
"""

from __future__ import annotations

import html
import json
import urllib.parse
from importlib import resources

from awsnotes_site.serve.routes import internal_url

CLIENT_NAME = "livereload.js"
_PLACEHOLDER = "__CONFIG__"


class LiveReloadClient:
    """The client script, read once from the package; configured per base path."""

    def __init__(self) -> None:
        source = (
            resources.files("awsnotes_site.serve").joinpath(CLIENT_NAME).read_text(encoding="utf-8")
        )
        if source.count(_PLACEHOLDER) != 1:
            raise RuntimeError(f"{CLIENT_NAME}: expected one {_PLACEHOLDER} placeholder")
        self.source = source

    def script(self, base: str) -> bytes:
        """The script for a site served under base path BASE."""
        encoded = urllib.parse.quote(base, safe="/")
        config = {"base": base, "home": encoded, "events": internal_url(base, "events")}
        text = json.dumps(config, ensure_ascii=True).replace("<", "\\u003c")
        return self.source.replace(_PLACEHOLDER, text).encode("utf-8")


def script_tag(base: str) -> bytes:
    """The element that loads the client, followed by a newline."""
    src = html.escape(internal_url(base, CLIENT_NAME))
    return f'<script src="{src}" defer></script>\n'.encode()


def inject(page: bytes, tag: bytes) -> bytes:
    """PAGE with TAG before its last ``</body>`` (or, when there is none in lower case,
    its last ``</BODY>`` in any case), else at its end."""
    at = page.rfind(b"</body>")
    if at < 0:
        at = page.lower().rfind(b"</body")
    if at < 0:
        return page + tag
    return page[:at] + tag + page[at:]
