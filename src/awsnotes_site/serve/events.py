"""Server-Sent Events: what browsers are told, and the hub that fans it out.

Events (at ``{base}__awsnotes/events``):

``hello``   ``{"server", "generation", "failing"}`` when a client connects.
``reload``  ``{"changed": [paths], "removed": [paths], "recovered": bool}``: output paths
            relative to the site (``posts/x/index.html``); a page reloads when it is among
            them (or uses a changed script or image), keeping its scroll position.
``css``     ``{"changed": [paths]}`` when only stylesheets changed: swapped without reload.
``page``    ``{"path", "served", "html"}``: sent just before a ``reload`` that lists the page
            a client is showing (the ``page`` it named when it connected), with the page's
            new HTML as served and the build it is from (``{server}.{generation}``), so
            the client patches the page without fetching it.
``error``   ``{"diagnostics": [...]}``: the build failed; the last good build stays served.
"""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Callable, Iterable
from typing import Any

from awsnotes_site.diagnostics import Diagnostic
from awsnotes_site.serve.state import SiteState

CLOSE = b""  # put on a client's queue: the stream ends
KEEPALIVE = b": keep-alive\n\n"
RETRY = b"retry: 1000\n\n"


def sse_message(event: str, data: dict[str, Any]) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=True)}\n\n".encode("ascii")


def page_event(path: str, served: str, html: bytes) -> bytes:
    """The ``page`` event: PATH's new HTML (as served) from build SERVED."""
    text = html.decode("utf-8", "replace")
    return sse_message("page", {"path": path, "served": served, "html": text})


PageMessage = Callable[[str], bytes]  # a client's page -> what else it is told ("" or a page event)


def diagnostic_json(d: Diagnostic) -> dict[str, Any]:
    return {
        "path": d.path,
        "line": d.line,
        "col": d.col,
        "severity": d.severity.value,
        "message": d.message,
        "hint": d.hint,
        "text": d.format(),
    }


def change_events(changed: list[str], removed: list[str], recovered: bool) -> list[bytes]:
    """What to tell browsers about one successful build."""
    css = [p for p in changed if p.endswith(".css")]
    other = [p for p in changed if not p.endswith(".css")]
    events: list[bytes] = []
    if css:
        events.append(sse_message("css", {"changed": css}))
    if other or removed or recovered:
        events.append(
            sse_message("reload", {"changed": other, "removed": removed, "recovered": recovered})
        )
    return events


def error_event(diagnostics: Iterable[Diagnostic]) -> bytes:
    diagnostics = list(diagnostics)
    diags = [d for d in diagnostics if d.is_error] or diagnostics
    return sse_message("error", {"diagnostics": [diagnostic_json(d) for d in diags]})


def greeting(token: str, state: SiteState, page: str, since: str) -> list[bytes]:
    """What a newly connected client hears: hello, what it missed, the current error.

    SINCE is ``{token}.{generation}`` of the build the page was served from (its
    Server-Timing header): a page from another server run reloads, one from an older
    build hears what changed after it."""
    generation, errors = state.current()
    messages = [
        sse_message("hello", {"server": token, "generation": generation, "failing": bool(errors)})
    ]
    since_token, _, gen_text = since.partition(".")
    if since and since_token != token:
        messages.append(
            sse_message("reload", {"changed": [page], "removed": [], "recovered": False})
        )
    elif since and gen_text.isdigit() and int(gen_text) < generation:
        changed, removed = state.since(int(gen_text))
        messages += change_events(changed, removed, False)
    if errors:
        messages.append(error_event(errors))
    return messages


class EventHub:
    """Fans messages out to every connected event stream (each showing a page)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._clients: dict[queue.SimpleQueue[bytes], str] = {}
        self.closed = False

    def subscribe(self, page: str = "") -> queue.SimpleQueue[bytes]:
        q: queue.SimpleQueue[bytes] = queue.SimpleQueue()
        with self._lock:
            if self.closed:
                q.put(CLOSE)
            self._clients[q] = page
        return q

    def unsubscribe(self, q: queue.SimpleQueue[bytes]) -> None:
        with self._lock:
            self._clients.pop(q, None)

    def publish(self, messages: Iterable[bytes], page_message: PageMessage | None = None) -> None:
        """Send MESSAGES to every client, each preceded by PAGE_MESSAGE(its page)."""
        blob = b"".join(messages)
        if not blob:
            return
        with self._lock:
            clients = list(self._clients.items())
        extra: dict[str, bytes] = {}
        for q, page in clients:
            if page_message is not None and page not in extra:
                extra[page] = page_message(page)
            q.put(extra.get(page, b"") + blob)

    def close(self) -> None:
        with self._lock:
            self.closed = True
            for q in self._clients:
                q.put(CLOSE)

    @property
    def clients(self) -> int:
        with self._lock:
            return len(self._clients)
