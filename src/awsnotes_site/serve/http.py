"""HTTP: the threaded server, the request handler and binding a port.

The handler serves a :class:`Preview` (the preview server): pages from the last good build
(with the live-reload tag added to HTML), static files read from ``static/`` when asked
for, and the server's own files under ``{base}__awsnotes/``. Every connection is tracked,
so :meth:`HTTPServer.close` ends them all and waits for their threads.
"""

from __future__ import annotations

import contextlib
import errno
import html
import queue
import shutil
import socket
import socketserver
import sys
import threading
import time
import traceback
import urllib.parse
from collections.abc import Iterable, Mapping
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Protocol, TextIO

from awsnotes_site.diagnostics import Diagnostic
from awsnotes_site.pipeline import BuildResult
from awsnotes_site.pipeline.static import static_root
from awsnotes_site.serve.client import LiveReloadClient, inject, script_tag
from awsnotes_site.serve.events import CLOSE, KEEPALIVE, RETRY, EventHub
from awsnotes_site.serve.routes import (
    HTML_TYPE,
    content_type,
    open_static,
    resolve_path,
    variants,
)
from awsnotes_site.serve.state import SiteState

DEFAULT_PORT = 1313
PORT_ATTEMPTS = 50  # 1313, 1314, ... when the default port is busy
IDLE_CONNECTION_SECONDS = 30.0
CLOSE_SECONDS = 30.0  # how long closing waits for the connections' threads
FALLBACK_404 = (
    b'<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8">'
    b"<title>404</title></head><body><h1>404 Not Found</h1></body></html>"
)


class Preview(Protocol):
    """What the handler needs from the preview server."""

    state: SiteState
    hub: EventHub
    client: LiveReloadClient
    keepalive: float
    verbose: bool
    err: TextIO

    def timing(self, generation: int) -> str: ...

    def greeting(self, page: str, since: str) -> list[bytes]: ...


class PortInUseError(OSError):
    pass


class HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # close() ends the connections and joins their threads itself
    allow_reuse_address = True
    allow_reuse_port = False
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], preview: Preview) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.preview = preview
        self._conns: dict[socket.socket, threading.Thread] = {}
        self._conns_lock = threading.Lock()
        super().__init__(address, Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind asks DNS for the host's name; a preview needs none of that.
        if self.address_family == socket.AF_INET6:
            with contextlib.suppress(OSError):
                self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def process_request(self, request: Any, client_address: Any) -> None:
        """One thread per connection, as ThreadingMixIn does, but remembered with it."""
        t = threading.Thread(
            target=self.process_request_thread,
            args=(request, client_address),
            name="awsnotes-request",
            daemon=True,
        )
        with self._conns_lock:
            self._conns[request] = t
        t.start()

    def shutdown_request(self, request: Any) -> None:
        with self._conns_lock:
            self._conns.pop(request, None)
        super().shutdown_request(request)

    def close(self, timeout: float = CLOSE_SECONDS) -> None:
        """After shutdown(): end every open connection, wait for their threads, close
        the listening socket."""
        with self._conns_lock:
            conns = list(self._conns.items())
        for conn, _ in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        deadline = time.monotonic() + timeout
        for _, thread in conns:
            thread.join(max(0.0, deadline - time.monotonic()))
        self.server_close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return
        if self.preview.verbose:
            traceback.print_exc(file=self.preview.err)
        else:
            print(
                f"serve: request from {client_address[0]} failed: {exc!r}",
                file=self.preview.err,
                flush=True,
            )


def bind(host: str, port: int | None, preview: Preview) -> tuple[HTTPServer, str]:
    """A server listening on HOST:PORT, and a note for the terminal (or ""). Without a
    port, the first free one from DEFAULT_PORT on. Raises :class:`PortInUseError` when an
    explicit port is busy, OSError when nothing can be bound."""
    if port is not None:
        try:
            return HTTPServer((host, port), preview), ""
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortInUseError(
                    exc.errno,
                    f"port {port} on {host} is already in "
                    "use; stop what uses it or pick another with --port",
                ) from None
            raise
    last: OSError | None = None
    for candidate in range(DEFAULT_PORT, DEFAULT_PORT + PORT_ATTEMPTS):
        try:
            httpd = HTTPServer((host, candidate), preview)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
            last = exc
            continue
        note = ""
        if candidate != DEFAULT_PORT:
            note = f"port {DEFAULT_PORT} is busy; using {candidate} instead"
        return httpd, note
    assert last is not None
    raise last


def error_page(errors: Iterable[Diagnostic]) -> bytes:
    """Shown while there has been no good build at all (the client is added to it)."""
    items = "\n".join(html.escape(d.format()) for d in errors)
    return (
        '<!DOCTYPE html>\n<html lang="ko">\n<head>\n<meta charset="utf-8">\n'
        "<title>빌드 오류</title>\n</head>\n<body>\n<main>\n<h1>빌드 오류</h1>\n"
        "<p>사이트를 빌드하지 못했습니다. 고쳐서 저장하면 이 페이지가 다시 읽힙니다.</p>\n"
        f"<pre>{items}</pre>\n</main>\n</body>\n</html>\n"
    ).encode()


class Handler(BaseHTTPRequestHandler):
    server: HTTPServer
    protocol_version = "HTTP/1.1"
    # A request line too broken to name a version still gets a status line (HTTP/0.9
    # answers would carry none), so every malformed request sees "400 Bad Request".
    default_request_version = "HTTP/1.0"
    server_version = "awsnotes-site"
    sys_version = ""
    timeout = IDLE_CONNECTION_SECONDS

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        if self.server.preview.verbose:
            print(
                f"serve: {self.address_string()} {format % args}",
                file=self.server.preview.err,
                flush=True,
            )

    def do_GET(self) -> None:
        self._handle(head=False)

    def do_HEAD(self) -> None:
        self._handle(head=True)

    # -- routing
    def _handle(self, head: bool) -> None:
        preview = self.server.preview
        target = self.path
        pre = resolve_path(target, preview.state.base, lambda _p: False)
        if pre.kind == "bad":
            self.send_error(HTTPStatus.BAD_REQUEST, "Bad request path")
            return
        if pre.kind == "internal":
            self._internal(pre.target, head)
            return
        snap = preview.state.snapshot()
        result = snap.result
        files = result.files if result else {}
        static = result.static if result else {}

        def exists(key: str) -> bool:
            return any(k in files or k in static for k in variants(key))

        route = resolve_path(target, snap.base, exists)
        if route.kind == "bad":
            self.send_error(HTTPStatus.BAD_REQUEST, "Bad request path")
        elif route.kind == "internal":
            self._internal(route.target, head)
        elif route.kind == "redirect":
            location = [("Location", route.target)]
            self._send(HTTPStatus.FOUND, "text/plain; charset=utf-8", b"", head, location)
        elif result is None:
            page = self._with_client(error_page(snap.errors), snap.base)
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, HTML_TYPE, page, head, [])
        else:
            timing = [("Server-Timing", preview.timing(snap.generation))]
            base = snap.base
            if route.kind != "file" or not self._file(route.target, result, base, head, timing):
                self._not_found(files, base, head, timing)

    def _file(
        self,
        target: str,
        result: BuildResult,
        base: str,
        head: bool,
        headers: list[tuple[str, str]],
    ) -> bool:
        """Send the built or static file TARGET of RESULT (served under BASE); False when
        there is none."""
        for key in variants(target):
            if key in result.files:
                ctype = content_type(key)
                data = result.files[key]
                if ctype == HTML_TYPE:
                    data = self._with_client(data, base)
                self._send(HTTPStatus.OK, ctype, data, head, headers)
                return True
            if key in result.static:
                source = result.static[key]
                static_dir = static_root(result.config, source)
                return self._static(source, static_dir, key, base, head, headers)
        return False

    def _static(
        self,
        source: Path,
        static_dir: Path,
        key: str,
        base: str,
        head: bool,
        headers: list[tuple[str, str]],
    ) -> bool:
        """Send a static file read now; False when it is not (or no longer) a file inside
        static/ (a symlink pointing elsewhere counts as missing)."""
        opened = open_static(source, static_dir)
        if opened is None:
            return False
        fh, size = opened
        ctype = content_type(key)
        with fh:
            if ctype == HTML_TYPE:
                self._send(HTTPStatus.OK, ctype, self._with_client(fh.read(), base), head, headers)
                return True
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(size))
            self._common_headers()
            self.end_headers()
            if not head:
                shutil.copyfileobj(fh, self.wfile, 256 * 1024)
        return True

    @staticmethod
    def _with_client(page: bytes, base: str) -> bytes:
        """An HTML page of the site served under BASE with the live-reload client added."""
        return inject(page, script_tag(base))

    def _not_found(
        self,
        files: Mapping[str, bytes],
        base: str,
        head: bool,
        headers: list[tuple[str, str]] | None = None,
    ) -> None:
        page = files.get("404.html")
        if page is None:
            page = FALLBACK_404
        page = self._with_client(page, base)
        self._send(HTTPStatus.NOT_FOUND, HTML_TYPE, page, head, headers or [])

    def _common_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")

    def _send(
        self,
        status: HTTPStatus,
        ctype: str,
        data: bytes,
        head: bool,
        headers: list[tuple[str, str]],
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self._common_headers()
        self.end_headers()
        if not head and data:
            self.wfile.write(data)

    # -- __awsnotes/
    def _internal(self, name: str, head: bool) -> None:
        preview = self.server.preview
        if name == "livereload.js":
            script = preview.client.script(preview.state.base)
            self._send(HTTPStatus.OK, "text/javascript; charset=utf-8", script, head, [])
        elif name == "events" and not head:
            self._events()
        elif name == "events":
            self._send(HTTPStatus.OK, "text/event-stream; charset=utf-8", b"", head, [])
        else:
            self._not_found({}, preview.state.base, head)

    def _events(self) -> None:
        preview = self.server.preview
        query = urllib.parse.parse_qs(self.path.partition("?")[2])
        page = query.get("page", [""])[0]
        since = query.get("since", [""])[0]
        self.close_connection = True
        client = preview.hub.subscribe()  # before anything is sent: no event can slip by
        try:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.send_header("Connection", "close")
            self.send_header("X-Accel-Buffering", "no")
            self._common_headers()
            self.end_headers()
            self.wfile.write(RETRY + b"".join(preview.greeting(page, since)))
            self.wfile.flush()
            while True:
                try:
                    message = client.get(timeout=preview.keepalive)
                except queue.Empty:
                    message = KEEPALIVE
                if message == CLOSE:
                    break
                self.wfile.write(message)
                self.wfile.flush()
        except (ConnectionError, TimeoutError, OSError):
            pass
        finally:
            preview.hub.unsubscribe(client)
