"""``awsnotes-site serve``: build into memory, serve it, rebuild on save, reload browsers.

Nothing is written to the output folder. A :class:`~awsnotes_site.build.Builder` keeps its
caches between builds, so saving a note re-renders that note and the pages that show it;
an edit of ``site.toml`` starts a fresh Builder. The result of the last good build is
served; a build in progress makes requests wait for it (a condition swapped together with
the new result), so a half-built site is never seen.

Browsers follow along through Server-Sent Events at ``{base}__awsnotes/events``; the
client script (``{base}__awsnotes/livereload.js``) is served from here and included by
the templates when ``BuildOptions(live_reload=True)``. Events:

``hello``   ``{"server", "generation"}`` when a client connects.
``reload``  ``{"changed": [paths], "removed": [paths], "recovered": bool}``: output paths
            relative to the site (``posts/x/index.html``); a page reloads when it is among
            them (or uses a changed script or image), keeping its scroll position.
``css``     ``{"changed": [paths]}`` when only stylesheets changed: swapped without reload.
``error``   ``{"diagnostics": [...]}``: the build failed; the last good build stays served.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import gc
import hashlib
import html
import json
import os
import queue
import secrets
import shutil
import signal
import socket
import socketserver
import stat
import sys
import threading
import time
import traceback
import unicodedata
import urllib.parse
import webbrowser
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

from watchdog.events import (
    EVENT_TYPE_CLOSED,
    EVENT_TYPE_CREATED,
    EVENT_TYPE_DELETED,
    EVENT_TYPE_MODIFIED,
    EVENT_TYPE_MOVED,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from awsnotes_site.config import CONFIG_NAME, load_config
from awsnotes_site.diagnostics import BuildError, Diagnostic, Reporter, error
from awsnotes_site.pipeline import Builder, BuildOptions, BuildResult, collect_static

DEFAULT_PORT = 1313
PORT_ATTEMPTS = 50  # 1313, 1314, ... when the default port is busy
QUIET_SECONDS = 0.04  # a burst of file events ends after this long without one
IDLE_SECONDS = 0.25  # no change for this long after a build: collect garbage then
MAX_DELAY_SECONDS = 1.0  # a never-ending stream of events still rebuilds this often
KEEPALIVE_SECONDS = 15.0
REQUEST_WAIT_SECONDS = 60.0  # how long a request waits for a build in progress
IDLE_CONNECTION_SECONDS = 30.0
POLL_SECONDS = 0.5
INTERNAL = "__awsnotes"
WATCHED_DIRS = ("content", "templates", "static")
_WATCHED_EVENTS = frozenset(
    {
        EVENT_TYPE_CREATED,
        EVENT_TYPE_DELETED,
        EVENT_TYPE_MODIFIED,
        EVENT_TYPE_MOVED,
        EVENT_TYPE_CLOSED,
    }
)

CONTENT_TYPES: dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".webmanifest": "application/manifest+json",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".pdf": "application/pdf",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".mp3": "audio/mpeg",
    ".wasm": "application/wasm",
}


def content_type(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    dot = name.rfind(".")
    ext = name[dot:].lower() if dot > 0 else ""
    return CONTENT_TYPES.get(ext, "application/octet-stream")


def is_editor_temp(name: str) -> bool:
    """Swap, backup and temporary files editors write while saving."""
    return (
        name in ("4913", ".DS_Store")
        or name.startswith((".#", ".~lock."))
        or (name.startswith("#") and name.endswith("#"))
        or name.endswith(
            (
                "~",
                ".swp",
                ".swx",
                ".swo",
                ".swn",
                ".tmp",
                ".temp",
                ".crswap",
                "___jb_tmp___",
                "___jb_old___",
                ".kate-swp",
            )
        )
    )


# -- base URL and request paths -------------------------------------------------------
def raw_base_path(url: str) -> str:
    """The path of a base URL as written, with leading and trailing slash."""
    path = urllib.parse.urlsplit(url).path or "/"
    if not path.startswith("/"):
        path = "/" + path
    return path if path.endswith("/") else path + "/"


def base_path_of(url: str) -> str:
    """The path of a base URL, percent-decoded, with leading and trailing slash."""
    return urllib.parse.unquote(raw_base_path(url))


def url_host(bind: str) -> str:
    """The host to put in URLs for a bind address."""
    if bind in ("", "0.0.0.0"):
        return "127.0.0.1"
    if bind == "::":
        return "[::1]"
    return f"[{bind}]" if ":" in bind else bind


def preview_base_url(configured: str, host: str, port: int) -> str:
    """``https://user.github.io/notes/`` -> ``http://127.0.0.1:1313/notes/``: the host is
    the preview's, the path stays as configured."""
    return f"http://{host}:{port}{raw_base_path(configured)}"


@dataclass(frozen=True)
class Route:
    """Where a request path leads: ``file`` (output path), ``internal`` (a name under
    ``__awsnotes/``), ``redirect`` (a Location), ``missing`` (404) or ``bad`` (400)."""

    kind: str
    target: str = ""


def _decode_segment(raw: str) -> str | None:
    """A percent-encoded path segment as text; None when it is not UTF-8."""
    try:
        return urllib.parse.unquote_to_bytes(raw.encode("latin-1")).decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None


def _safe_segment(seg: str) -> bool:
    return (
        seg not in ("", ".", "..")
        and "/" not in seg
        and "\\" not in seg
        and not any(ord(c) < 0x20 or ord(c) == 0x7F for c in seg)
    )


def resolve_path(target: str, base: str, exists: Callable[[str], bool]) -> Route:
    """Map a request target (as on the request line) to a :class:`Route`.

    Every segment is percent-decoded on its own, so ``%2f`` cannot make a new segment, and
    a segment that is empty, ``.``, ``..``, or holds a slash, backslash or control
    character makes the whole path missing: nothing ever climbs out of the site.
    """
    path, _, query = target.partition("#")[0].partition("?")
    if not path.startswith("/"):
        return Route("bad")
    raw_segments = path[1:].split("/")
    trailing = raw_segments[-1] == ""
    if trailing:
        raw_segments.pop()
    segments: list[str] = []
    for raw in raw_segments:
        seg = _decode_segment(raw)
        if seg is None:
            return Route("bad")
        if not _safe_segment(seg):
            return Route("missing")
        segments.append(seg)
    base_segments = [s for s in base.split("/") if s]
    suffix = f"?{_clean_query(query)}" if query else ""
    if len(segments) <= len(base_segments):
        nfc = [unicodedata.normalize("NFC", s) for s in segments]
        if nfc == [
            unicodedata.normalize("NFC", s) for s in base_segments[: len(segments)]
        ] and not (trailing and len(segments) == len(base_segments)):
            return Route("redirect", urllib.parse.quote(base, safe="/") + suffix)
    head = [unicodedata.normalize("NFC", s) for s in segments[: len(base_segments)]]
    if head != [unicodedata.normalize("NFC", s) for s in base_segments]:
        return Route("missing")
    rest = segments[len(base_segments) :]
    if rest and rest[0] == INTERNAL:
        return Route("internal", "/".join(rest[1:]) + ("/" if trailing else ""))
    rel = "/".join(rest)
    if not rest or trailing:
        return Route("file", f"{rel}/index.html" if rel else "index.html")
    if exists(rel):
        return Route("file", rel)
    if exists(f"{rel}/index.html"):
        location = urllib.parse.quote(base + rel + "/", safe="/")
        return Route("redirect", location + suffix)
    return Route("missing", rel)


def _clean_query(query: str) -> str:
    return "".join(c for c in query if 0x20 < ord(c) < 0x7F)


def _variants(key: str) -> list[str]:
    return list(
        dict.fromkeys([key, unicodedata.normalize("NFC", key), unicodedata.normalize("NFD", key)])
    )


# -- build state -----------------------------------------------------------------------
@dataclass
class BuildRecord:
    """One build attempt, as tests and the benchmark see it."""

    number: int
    ok: bool
    trigger: frozenset[str]  # project-relative paths that caused it (none for the first)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    seconds: float = 0.0
    full: bool = True  # False when only static files were looked at


@dataclass(frozen=True)
class Snapshot:
    result: BuildResult | None
    generation: int
    errors: tuple[Diagnostic, ...]
    base: str


class SiteState:
    """The last good build, the current error (if any) and a building flag, under one
    condition. Requests take a :class:`Snapshot`, waiting while a build runs."""

    def __init__(self, base: str) -> None:
        self.cond = threading.Condition()
        self.building = False
        self.result: BuildResult | None = None
        self.errors: tuple[Diagnostic, ...] = ()
        self.generation = 0
        self.base = base
        self.changed_at: dict[str, int] = {}
        self.removed_at: dict[str, int] = {}
        self.static_stamps: dict[str, tuple[int, int, int]] = {}

    def begin(self) -> None:
        with self.cond:
            self.building = True

    def end(self) -> None:
        with self.cond:
            self.building = False
            self.cond.notify_all()

    def snapshot(self, timeout: float = REQUEST_WAIT_SECONDS) -> Snapshot:
        with self.cond:
            self.cond.wait_for(lambda: not self.building, timeout)
            return Snapshot(self.result, self.generation, self.errors, self.base)

    def since(self, generation: int) -> tuple[list[str], list[str]]:
        with self.cond:
            files = self.result.all_paths() if self.result else set()
            changed = sorted(p for p, g in self.changed_at.items() if g > generation)
            removed = sorted(
                p for p, g in self.removed_at.items() if g > generation and p not in files
            )
            return changed, removed


def file_stamp(path: Path, hash_limit: int = 8 << 20) -> bytes | None:
    """What a file holds now: a digest of its bytes (of its stat for a large file), a
    marker for a folder, None when it is missing."""
    try:
        st = path.stat()
        if stat.S_ISDIR(st.st_mode):
            return b"dir"
        if st.st_size > hash_limit:
            return f"{st.st_mtime_ns}:{st.st_size}:{st.st_ino}".encode()
        return hashlib.blake2b(path.read_bytes(), digest_size=16).digest()
    except OSError:
        return None


def static_stamps(static: dict[str, Path]) -> dict[str, tuple[int, int, int]]:
    stamps: dict[str, tuple[int, int, int]] = {}
    for path, source in static.items():
        try:
            st = source.stat()
        except OSError:
            continue
        stamps[path] = (st.st_mtime_ns, st.st_size, st.st_ino)
    return stamps


def diff_results(
    old: BuildResult | None,
    new: BuildResult,
    old_stamps: dict[str, tuple[int, int, int]],
    new_stamps: dict[str, tuple[int, int, int]],
) -> tuple[list[str], list[str]]:
    """Output paths that are new or differ, and those that are gone."""
    old_files = old.files if old else {}
    changed = [p for p, data in new.files.items() if old_files.get(p) != data]
    changed += [p for p in new.static if p not in old_stamps or old_stamps[p] != new_stamps.get(p)]
    gone = old.all_paths() - new.all_paths() if old else set()
    return sorted(changed), sorted(gone)


# -- events ----------------------------------------------------------------------------
def sse_message(event: str, data: dict[str, Any]) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=True)}\n\n".encode("ascii")


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


_CLOSE = b""


class EventHub:
    """Fans messages out to every connected event stream."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._clients: set[queue.SimpleQueue[bytes]] = set()
        self.closed = False

    def subscribe(self) -> queue.SimpleQueue[bytes]:
        q: queue.SimpleQueue[bytes] = queue.SimpleQueue()
        with self._lock:
            if self.closed:
                q.put(_CLOSE)
            self._clients.add(q)
        return q

    def unsubscribe(self, q: queue.SimpleQueue[bytes]) -> None:
        with self._lock:
            self._clients.discard(q)

    def publish(self, messages: Iterable[bytes]) -> None:
        blob = b"".join(messages)
        if not blob:
            return
        with self._lock:
            for q in self._clients:
                q.put(blob)

    def close(self) -> None:
        with self._lock:
            self.closed = True
            for q in self._clients:
                q.put(_CLOSE)

    @property
    def clients(self) -> int:
        with self._lock:
            return len(self._clients)


# -- watching --------------------------------------------------------------------------
class ChangeCollector(FileSystemEventHandler):
    """Gathers relevant file events; :meth:`next_batch` returns them once a burst is over."""

    def __init__(
        self,
        root: Path,
        quiet: float = QUIET_SECONDS,
        max_delay: float = MAX_DELAY_SECONDS,
        on_new_dir: Callable[[Path], None] | None = None,
    ) -> None:
        super().__init__()
        self.root = root
        self.quiet = quiet
        self.max_delay = max_delay
        self.on_new_dir = on_new_dir
        self._cond = threading.Condition()
        self._pending: set[str] = set()
        self._first = 0.0
        self._last = 0.0
        self._stopped = False

    def relevant(self, path: str) -> str | None:
        """The project-relative path when it matters for the site, else None."""
        try:
            rel = Path(path).relative_to(self.root)
        except ValueError:
            return None
        parts = rel.parts
        if not parts or is_editor_temp(parts[-1]):
            return None
        if parts == (CONFIG_NAME,) or parts[0] in WATCHED_DIRS:
            return rel.as_posix()
        return None

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in _WATCHED_EVENTS:
            return
        if event.is_directory and event.event_type in (EVENT_TYPE_MODIFIED, EVENT_TYPE_CLOSED):
            return
        paths = [os.fsdecode(event.src_path)]
        if event.dest_path:
            paths.append(os.fsdecode(event.dest_path))
        found = [r for r in map(self.relevant, paths) if r is not None]
        if not found:
            return
        if (
            self.on_new_dir is not None
            and event.is_directory
            and event.event_type in (EVENT_TYPE_CREATED, EVENT_TYPE_MOVED)
        ):
            for rel in found:
                if rel in WATCHED_DIRS:
                    self.on_new_dir(self.root / rel)
        self.add(found)

    def add(self, rels: Iterable[str]) -> None:
        now = time.monotonic()
        with self._cond:
            if not self._pending:
                self._first = now
            self._pending.update(rels)
            self._last = now
            self._cond.notify_all()

    def next_batch(self, on_idle: Callable[[], None] | None = None) -> set[str] | None:
        """Block until a burst of changes is over; None once stopped. ``on_idle`` is
        called (once, without the lock) if no change comes for ``IDLE_SECONDS`` first."""
        with self._cond:
            while True:
                if self._stopped:
                    return None
                if not self._pending:
                    if on_idle is None:
                        self._cond.wait()
                    elif not self._cond.wait(IDLE_SECONDS) and not self._pending:
                        idle, on_idle = on_idle, None
                        self._cond.release()
                        try:
                            idle()
                        finally:
                            self._cond.acquire()
                    continue
                now = time.monotonic()
                due = min(self._last + self.quiet, self._first + self.max_delay)
                if now >= due:
                    batch, self._pending = self._pending, set()
                    return batch
                self._cond.wait(due - now)

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify_all()


# -- HTTP ------------------------------------------------------------------------------
class PortInUseError(OSError):
    pass


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    allow_reuse_port = False
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], preview: PreviewServer) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.preview = preview
        self._conns: set[socket.socket] = set()
        self._conns_lock = threading.Lock()
        super().__init__(address, _Handler)

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
        with self._conns_lock:
            self._conns.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._conns_lock:
            self._conns.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self._conns_lock:
            conns = list(self._conns)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

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


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
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
            return any(k in files or k in static for k in _variants(key))

        route = resolve_path(target, snap.base, exists)
        if route.kind == "bad":
            self.send_error(HTTPStatus.BAD_REQUEST, "Bad request path")
            return
        if route.kind == "internal":
            self._internal(route.target, head)
            return
        if route.kind == "redirect":
            self._send(
                HTTPStatus.FOUND,
                "text/plain; charset=utf-8",
                b"",
                head,
                [("Location", route.target)],
            )
            return
        if result is None:
            self._send(
                HTTPStatus.INTERNAL_SERVER_ERROR,
                "text/html; charset=utf-8",
                error_page(snap.base, snap.errors),
                head,
                [],
            )
            return
        timing = [("Server-Timing", preview.timing(snap.generation))]
        if route.kind == "file":
            for key in _variants(route.target):
                if key in files:
                    self._send(HTTPStatus.OK, content_type(key), files[key], head, timing)
                    return
                if key in static:
                    if self._static(static[key], result.config.static_dir, key, head):
                        return
                    break
        self._not_found(files, head, timing)

    def _static(self, source: Path, static_dir: Path, key: str, head: bool) -> bool:
        """Send a static file read now; False when it is not (or no longer) a file inside
        static/ (a symlink pointing elsewhere counts as missing)."""
        try:
            real = source.resolve(strict=True)
            if not real.is_relative_to(static_dir.resolve(strict=True)):
                return False
            fd = os.open(real, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except (OSError, RuntimeError):
            return False
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode):
                return False
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", content_type(key))
            self.send_header("Content-Length", str(st.st_size))
            self._common_headers()
            self.end_headers()
            if not head:
                shutil.copyfileobj(fh, self.wfile, 256 * 1024)
        return True

    def _not_found(
        self,
        files: Mapping[str, bytes],
        head: bool,
        headers: list[tuple[str, str]] | None = None,
    ) -> None:
        page = files.get("404.html")
        if page is None:
            page = (
                b'<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8">'
                b"<title>404</title></head><body><h1>404 Not Found</h1></body></html>"
            )
        self._send(HTTPStatus.NOT_FOUND, "text/html; charset=utf-8", page, head, headers or [])

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
            base = preview.state.base
            self._send(
                HTTPStatus.OK, "text/javascript; charset=utf-8", livereload_js(base), head, []
            )
        elif name == "events" and not head:
            self._events()
        elif name == "events":
            self._send(HTTPStatus.OK, "text/event-stream; charset=utf-8", b"", head, [])
        else:
            self._not_found({}, head)

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
            self.wfile.write(b"retry: 1000\n\n" + b"".join(preview.greeting(page, since)))
            self.wfile.flush()
            while True:
                try:
                    message = client.get(timeout=preview.keepalive)
                except queue.Empty:
                    message = b": keep-alive\n\n"
                if message == _CLOSE:
                    break
                self.wfile.write(message)
                self.wfile.flush()
        except (ConnectionError, TimeoutError, OSError):
            pass
        finally:
            preview.hub.unsubscribe(client)


def error_page(base: str, errors: Iterable[Diagnostic]) -> bytes:
    """Shown while there has been no good build at all."""
    items = "\n".join(html.escape(d.format()) for d in errors)
    script = html.escape(urllib.parse.quote(base, safe="/") + f"{INTERNAL}/livereload.js")
    return (
        '<!DOCTYPE html>\n<html lang="ko">\n<head>\n<meta charset="utf-8">\n'
        "<title>빌드 오류</title>\n</head>\n<body>\n<main>\n<h1>빌드 오류</h1>\n"
        "<p>사이트를 빌드하지 못했습니다. 고쳐서 저장하면 이 페이지가 다시 읽힙니다.</p>\n"
        f'<pre>{items}</pre>\n</main>\n<script src="{script}" defer></script>\n'
        "</body>\n</html>\n"
    ).encode()


# -- the preview server ------------------------------------------------------------------
class PreviewServer:
    """Builds ``root`` into memory, serves it and rebuilds on change.

    ``start()`` binds the port (raising :class:`PortInUseError` when an explicit port is
    busy) and starts the HTTP, watcher and builder threads; the first build runs in the
    builder thread, and requests wait for it. ``stop()`` ends them all.
    """

    def __init__(
        self,
        root: Path,
        *,
        port: int | None = None,
        bind: str = "127.0.0.1",
        drafts: bool = False,
        future: bool = False,
        base_url: str | None = None,
        poll: bool = False,
        verbose: bool = False,
        quiet: float = QUIET_SECONDS,
        keepalive: float = KEEPALIVE_SECONDS,
        out: TextIO | None = None,
        err: TextIO | None = None,
    ) -> None:
        self.root = Path(root).resolve()
        self.requested_port = port
        self.bind = bind
        self.drafts = drafts
        self.future = future
        self.base_url_arg = base_url
        self.poll = poll
        self.verbose = verbose
        self.keepalive = keepalive
        self.out = out if out is not None else sys.stdout
        self.err = err if err is not None else sys.stderr
        self.token = secrets.token_hex(4)
        self.port = 0
        self.port_note = ""
        self.base_url = ""
        self.hub = EventHub()
        self.state = SiteState("/")
        self.collector = ChangeCollector(self.root, quiet, on_new_dir=self._watch_dir)
        self.records: list[BuildRecord] = []
        self._records_cond = threading.Condition()
        self._builder: Builder | None = None
        self._httpd: _HTTPServer | None = None
        self._observer: BaseObserver | None = None
        self._watched: set[Path] = set()
        self._threads: list[threading.Thread] = []
        self._last_error: tuple[Diagnostic, ...] = ()
        self._last_warnings: set[Diagnostic] = set()
        self._stamps: dict[str, bytes | None] = {}

    # -- lifecycle
    @property
    def url(self) -> str:
        """The preview's base URL, e.g. ``http://127.0.0.1:1313/notes/``."""
        return self.base_url

    def start(self) -> None:
        self._httpd = self._bind()
        self.port = self._httpd.server_port
        configured = self._configured_base_url()
        self.base_url = preview_base_url(configured, url_host(self.bind), self.port)
        self.state.base = base_path_of(self.base_url)
        self._start_watching()
        self._spawn("awsnotes-http", lambda: self._serve_http())
        self._spawn("awsnotes-builder", self._run_builder)

    def _serve_http(self) -> None:
        assert self._httpd is not None
        self._httpd.serve_forever(poll_interval=0.2)

    def stop(self) -> None:
        self.collector.stop()
        self.hub.close()
        if self._observer is not None:
            with contextlib.suppress(Exception):
                self._observer.stop()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.close_connections()
            self._httpd.server_close()
        if self._observer is not None:
            with contextlib.suppress(Exception):
                self._observer.join(timeout=5)
        for t in self._threads:
            t.join(timeout=30)

    def __enter__(self) -> PreviewServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _spawn(self, name: str, target: Callable[[], None]) -> None:
        t = threading.Thread(target=target, name=name, daemon=True)
        t.start()
        self._threads.append(t)

    def _bind(self) -> _HTTPServer:
        if self.requested_port is not None:
            try:
                return _HTTPServer((self.bind, self.requested_port), self)
            except OSError as exc:
                if exc.errno == errno.EADDRINUSE:
                    raise PortInUseError(
                        exc.errno,
                        f"port {self.requested_port} on {self.bind} is already in "
                        "use; stop what uses it or pick another with --port",
                    ) from None
                raise
        last: OSError | None = None
        for candidate in range(DEFAULT_PORT, DEFAULT_PORT + PORT_ATTEMPTS):
            try:
                httpd = _HTTPServer((self.bind, candidate), self)
            except OSError as exc:
                if exc.errno != errno.EADDRINUSE:
                    raise
                last = exc
                continue
            if candidate != DEFAULT_PORT:
                self.port_note = f"port {DEFAULT_PORT} is busy; using {candidate} instead"
            return httpd
        assert last is not None
        raise last

    # -- watching
    def _start_watching(self) -> None:
        observer: BaseObserver = PollingObserver(timeout=POLL_SECONDS) if self.poll else Observer()
        self._observer = observer
        observer.schedule(self.collector, str(self.root), recursive=False)
        for name in WATCHED_DIRS:
            self._watch_dir(self.root / name, start=False)
        observer.start()

    def _watch_dir(self, path: Path, start: bool = True) -> None:
        if self._observer is None or path in self._watched or not path.is_dir():
            return
        self._watched.add(path)
        try:
            self._observer.schedule(self.collector, str(path), recursive=True)
        except OSError as exc:
            print(f"serve: cannot watch {path}: {exc}", file=self.err, flush=True)
        if start:
            self.collector.add([path.relative_to(self.root).as_posix()])

    # -- building
    def _configured_base_url(self, strict: bool = False) -> str:
        """--base-url, else site.toml's base_url; while site.toml is broken "/" (or the
        BuildError, when ``strict``)."""
        if self.base_url_arg is not None:
            return self.base_url_arg
        try:
            config, _ = load_config(self.root)
        except BuildError:
            if strict:
                raise
            return "/"
        return config.base_url

    def _new_builder(self) -> Builder:
        configured = self._configured_base_url(strict=True)
        url = preview_base_url(configured, url_host(self.bind), self.port)
        self.base_url = url
        options = BuildOptions(drafts=self.drafts, future=self.future, base_url=url, use_cache=True)
        return Builder(self.root, options)

    def _run_builder(self) -> None:
        self._build(frozenset())
        while True:
            batch = self.collector.next_batch(on_idle=self._collect_garbage)
            if batch is None:
                return
            fresh = self._fresh(batch)
            if fresh:
                self._build(fresh)

    def _fresh(self, batch: set[str]) -> frozenset[str]:
        """The paths of BATCH whose content differs from when the last build that they
        triggered started, with that content noted. On a busy machine the events of one
        burst can arrive after its build began; the build read the final content, so such
        late events are dropped instead of causing a second build."""
        fresh: set[str] = set()
        for rel in batch:
            stamp = file_stamp(self.root / rel)
            if self._stamps.get(rel, b"?") != stamp:
                fresh.add(rel)
                self._stamps[rel] = stamp
        return frozenset(fresh)

    def _static_only(self, trigger: frozenset[str]) -> bool:
        snap = self.state
        return (
            bool(trigger)
            and snap.result is not None
            and not snap.errors
            and self._builder is not None
            and all(p.startswith("static/") for p in trigger)
        )

    def _build(self, trigger: frozenset[str]) -> None:
        started = time.perf_counter()
        number = len(self.records) + 1
        if self._static_only(trigger) and self._refresh_static(trigger, number, started):
            return
        self.state.begin()
        record = BuildRecord(number, False, trigger)
        events: list[bytes] = []
        # No cycle collection while the reload waits for the build: a collection during a
        # rebuild of 1,000 notes added up to 50 ms to the slowest ones. The builder thread
        # collects once no change has come for IDLE_SECONDS (_collect_garbage), ~30 ms,
        # which done right after publishing would hold the GIL while the event is sent.
        gc.disable()
        try:
            try:
                if self._builder is None or CONFIG_NAME in trigger:
                    self._builder = self._new_builder()
                result = self._builder.build()
                # The render cache on disk is read and written once per Builder: saving it
                # after every rebuild would cost more than the rebuild itself.
                self._builder.options.use_cache = False
            except BuildError as exc:
                record.diagnostics = exc.diagnostics or [
                    error(str(self.root), None, "build failed")
                ]
            except Exception as exc:  # a bug in the build must not end the preview
                detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
                record.diagnostics = [error(str(self.root), None, f"internal error: {detail}")]
                if self.verbose:
                    traceback.print_exc(file=self.err)
            else:
                record.ok = True
                events = self._accept(result, record)
            if not record.ok:
                events = self._reject(record)
        finally:
            self.state.end()
        record.seconds = time.perf_counter() - started
        self.hub.publish(events)
        self._report(record)
        self._finish(record)

    @staticmethod
    def _collect_garbage() -> None:
        """Between bursts of changes: collect what the last builds left in cycles and let
        the collector run as usual until the next build."""
        gc.collect()
        gc.enable()

    def _accept(self, result: BuildResult, record: BuildRecord) -> list[bytes]:
        state = self.state
        stamps = static_stamps(result.static)
        with state.cond:
            changed, removed = diff_results(state.result, result, state.static_stamps, stamps)
            first = state.result is None
            recovered = bool(state.errors)
            state.generation += 1
            for p in changed:
                state.changed_at[p] = state.generation
            for p in removed:
                state.removed_at[p] = state.generation
            state.result = result
            state.static_stamps = stamps
            state.errors = ()
            state.base = base_path_of(result.config.base_url)
        record.changed, record.removed = changed, removed
        record.diagnostics = list(result.diagnostics)
        if first and not recovered:
            return []
        return change_events([] if first else changed, removed, recovered)

    def _reject(self, record: BuildRecord) -> list[bytes]:
        with self.state.cond:
            self.state.errors = tuple(record.diagnostics)
            self.state.generation += 1
        return [self.error_event(record.diagnostics)]

    def _refresh_static(self, trigger: frozenset[str], number: int, started: float) -> bool:
        """A change only under static/: no page can differ, so no build is needed unless
        files appeared or went away. False when a full build is needed after all."""
        state = self.state
        result = state.result
        assert result is not None
        known = [result.static.get(p) for p in trigger]
        if all(src is not None and src.is_file() and not src.is_symlink() for src in known):
            # Only files already published were modified: look at just those.
            stamps = dict(state.static_stamps)
            stamps.update(static_stamps({p: result.static[p] for p in trigger}))
        else:
            found = collect_static(result.config, Reporter())
            if set(found) != set(result.static):
                return False
            stamps = static_stamps(result.static)
        with state.cond:
            changed = sorted(
                p for p in result.static if state.static_stamps.get(p) != stamps.get(p)
            )
            state.static_stamps = stamps
            if changed:
                state.generation += 1
                for p in changed:
                    state.changed_at[p] = state.generation
        record = BuildRecord(number, True, trigger, changed, [], [], full=False)
        record.seconds = time.perf_counter() - started
        self.hub.publish(change_events(changed, [], False))
        self._report(record)
        self._finish(record)
        return True

    def _finish(self, record: BuildRecord) -> None:
        with self._records_cond:
            self.records.append(record)
            self._records_cond.notify_all()

    def wait_for_build(self, count: int, timeout: float = 60.0) -> BuildRecord:
        """Block until at least ``count`` build attempts have finished; return the
        ``count``-th. Raises TimeoutError."""
        with self._records_cond:
            if not self._records_cond.wait_for(lambda: len(self.records) >= count, timeout):
                raise TimeoutError(
                    f"build {count} did not finish in {timeout}s ({len(self.records)} finished)"
                )
            return self.records[count - 1]

    # -- talking to clients and the terminal
    def timing(self, generation: int) -> str:
        return f'awsnotes;desc="{self.token}.{generation}"'

    def error_event(self, diagnostics: Iterable[Diagnostic]) -> bytes:
        diags = [d for d in diagnostics if d.is_error] or list(diagnostics)
        return sse_message("error", {"diagnostics": [diagnostic_json(d) for d in diags]})

    def greeting(self, page: str, since: str) -> list[bytes]:
        """What a newly connected client hears: hello, what it missed, the current error."""
        state = self.state
        with state.cond:
            generation, errors = state.generation, state.errors
        messages = [
            sse_message(
                "hello", {"server": self.token, "generation": generation, "failing": bool(errors)}
            )
        ]
        token, _, gen_text = since.partition(".")
        if since and token != self.token:
            messages.append(
                sse_message("reload", {"changed": [page], "removed": [], "recovered": False})
            )
        elif since and gen_text.isdigit() and int(gen_text) < generation:
            changed, removed = state.since(int(gen_text))
            messages += change_events(changed, removed, False)
        if errors:
            messages.append(self.error_event(errors))
        return messages

    def _report(self, record: BuildRecord) -> None:
        if not record.ok:
            errors = tuple(record.diagnostics)
            if errors != self._last_error:
                self._last_error = errors
                for d in errors:
                    print(d.format(), file=self.err)
                print(
                    "build failed; still serving the last good build "
                    "(the page shows the error until it is fixed)",
                    file=self.err,
                    flush=True,
                )
            return
        fixed = bool(self._last_error)
        self._last_error = ()
        if record.full:
            new = [d for d in record.diagnostics if d not in self._last_warnings]
            self._last_warnings = set(record.diagnostics)
            shown = new if self.verbose else new[:20]
            for d in shown:
                print(d.format(), file=self.err)
            if len(shown) < len(new):
                print(
                    f"... and {len(new) - len(shown)} more warnings (-v shows all)", file=self.err
                )
            self.err.flush()
        if record.number == 1:
            return
        what = f"{len(record.changed)} changed" + (
            f", {len(record.removed)} removed" if record.removed else ""
        )
        names = ", ".join((record.changed + record.removed)[:5])
        if len(record.changed) + len(record.removed) > 5:
            names += ", …"
        prefix = "fixed; rebuilt" if fixed else "rebuilt"
        print(
            f"{prefix} in {record.seconds * 1000:.0f} ms: {what}"
            + (f" ({names})" if names else ""),
            file=self.out,
            flush=True,
        )


# -- the client ------------------------------------------------------------------------
_LIVERELOAD_JS = r"""/* awsnotes-site serve: live reload (served only by the preview server). */
(function () {
  "use strict";
  if (window.__awsnotesLiveReload) return;
  var CONFIG = __CONFIG__;
  var OVERLAY_ID = "awsnotes-error-overlay";
  var SCROLL_KEY = "awsnotes-scroll:" + location.pathname;
  var state = window.__awsnotesLiveReload = {connected: false, events: [], overlay: false};

  function sitePath(url) {
    var u;
    try { u = new URL(url, location.href); } catch (e) { return null; }
    if (u.origin !== location.origin) return null;
    var p = u.pathname;
    try { p = decodeURIComponent(p); } catch (e) { /* keep it encoded */ }
    if (p + "/" === CONFIG.base) p = CONFIG.base;
    if (p.indexOf(CONFIG.base) !== 0) return null;
    p = p.slice(CONFIG.base.length);
    if (p === "" || p.charAt(p.length - 1) === "/") p += "index.html";
    return p.normalize ? p.normalize("NFC") : p;
  }
  var here = sitePath(location.href);

  function restoreScroll() {
    var saved = null;
    try {
      saved = sessionStorage.getItem(SCROLL_KEY);
      sessionStorage.removeItem(SCROLL_KEY);
    } catch (e) { return; }
    if (saved === null) return;
    var y = parseFloat(saved);
    if (!isFinite(y)) return;
    var go = function () { window.scrollTo(0, y); };
    go();
    if (document.readyState !== "complete") window.addEventListener("load", go, {once: true});
  }

  function reload() {
    try { sessionStorage.setItem(SCROLL_KEY, String(window.scrollY)); } catch (e) {}
    state.reloading = true;
    location.reload();
  }

  function toSet(list) {
    var set = Object.create(null);
    (list || []).forEach(function (p) { set[p.normalize ? p.normalize("NFC") : p] = true; });
    return set;
  }

  function usesAny(set) {
    if (here !== null && set[here]) return true;
    var els = document.querySelectorAll("script[src], img[src], source[src], video[src], " +
                                        "audio[src], iframe[src], embed[src]");
    for (var i = 0; i < els.length; i++) {
      var p = sitePath(els[i].getAttribute("src"));
      if (p !== null && set[p]) return true;
    }
    return false;
  }

  function swapStylesheets() {
    var stamp = String(Date.now());
    var links = document.querySelectorAll('link[rel~="stylesheet"][href]');
    Array.prototype.forEach.call(links, function (link) {
      if (sitePath(link.href) === null) return;
      var u = new URL(link.href, location.href);
      u.searchParams.set("awsnotes", stamp);
      var fresh = link.cloneNode(false);
      var done = function () { if (link.parentNode) link.parentNode.removeChild(link); };
      fresh.addEventListener("load", done, {once: true});
      fresh.addEventListener("error", done, {once: true});
      fresh.href = u.href;
      link.parentNode.insertBefore(fresh, link.nextSibling);
    });
  }

  function hideErrors() {
    var old = document.getElementById(OVERLAY_ID);
    if (old) old.parentNode.removeChild(old);
    state.overlay = false;
  }

  function showErrors(diagnostics) {
    hideErrors();
    var box = document.createElement("div");
    box.id = OVERLAY_ID;
    box.setAttribute("role", "alert");
    box.setAttribute("aria-live", "assertive");
    box.style.cssText = "position:fixed;top:0;right:0;bottom:0;left:0;z-index:2147483647;" +
      "overflow:auto;margin:0;padding:24px;background:rgba(24,24,27,.97);color:#fafafa;" +
      "font:14px/1.6 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;text-align:left;";
    var title = document.createElement("p");
    title.style.cssText = "margin:0 0 16px;font-weight:bold;font-size:16px;color:#fca5a5;";
    title.textContent = "빌드 오류 (build failed) — 고쳐서 저장하면 자동으로 다시 읽힙니다";
    box.appendChild(title);
    (diagnostics || []).forEach(function (d) {
      var item = document.createElement("pre");
      item.className = "awsnotes-error";
      item.style.cssText = "margin:0 0 12px;white-space:pre-wrap;word-break:break-word;";
      var where = String(d.path) + (d.line != null ? ":" + d.line : "") +
        (d.line != null && d.col != null ? ":" + d.col : "");
      item.setAttribute("data-file", String(d.path));
      if (d.line != null) item.setAttribute("data-line", String(d.line));
      var loc = document.createElement("strong");
      loc.textContent = where;
      item.appendChild(loc);
      item.appendChild(document.createTextNode(": " + d.severity + ": " + d.message +
                                               (d.hint ? "\n  hint: " + d.hint : "")));
      box.appendChild(item);
    });
    (document.body || document.documentElement).appendChild(box);
    state.overlay = true;
  }

  function on(source, name, handle) {
    source.addEventListener(name, function (e) {
      if (typeof e.data !== "string") return;  // a connection error: EventSource retries
      var data;
      try { data = JSON.parse(e.data); } catch (err) { return; }
      state.events.push({type: name, data: data});
      handle(data);
    });
  }

  function since() {
    try {
      var nav = performance.getEntriesByType("navigation")[0];
      var entries = (nav && nav.serverTiming) || [];
      for (var i = 0; i < entries.length; i++) {
        if (entries[i].name === "awsnotes") return entries[i].description;
      }
    } catch (e) {}
    return "";
  }

  var source = null;

  function connect() {
    if (source !== null || typeof EventSource === "undefined") return;
    // "since" is the build this page was served from: the server replays what changed
    // after it, so a page that was hidden (or offline) catches up when it reconnects.
    var url = CONFIG.events + "?page=" + encodeURIComponent(here || "") +
      "&since=" + encodeURIComponent(since());
    source = new EventSource(url);
    state.source = source;
    on(source, "hello", function (d) {
      state.connected = true;
      if (state.overlay && !d.failing) { hideErrors(); reload(); }
    });
    on(source, "reload", function (d) {
      if (state.overlay && d.recovered) { hideErrors(); reload(); return; }
      if (here !== null && toSet(d.removed)[here] && !toSet(d.changed)[here]) {
        location.href = CONFIG.home;
        return;
      }
      if (usesAny(toSet(d.changed))) reload();
    });
    on(source, "css", function () { swapStylesheets(); });
    on(source, "error", function (d) { showErrors(d.diagnostics); });
  }

  function disconnect() {
    if (source !== null) source.close();
    source = null;
    state.connected = false;
  }

  // Browsers allow about six connections to one host: hidden tabs let go of theirs.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") disconnect(); else connect();
  });
  window.addEventListener("pagehide", disconnect);
  window.addEventListener("pageshow", function (e) { if (e.persisted) connect(); });
  restoreScroll();
  if (document.visibilityState !== "hidden") connect();
})();
"""


def livereload_js(base: str) -> bytes:
    encoded = urllib.parse.quote(base, safe="/")
    config = {"base": base, "home": encoded, "events": f"{encoded}{INTERNAL}/events"}
    text = json.dumps(config, ensure_ascii=True).replace("<", "\\u003c")
    return _LIVERELOAD_JS.replace("__CONFIG__", text).encode("utf-8")


# -- the command -----------------------------------------------------------------------
def serve(root: Path, args: argparse.Namespace) -> int:
    """``awsnotes-site serve``: run until Ctrl-C (exit 0); 2 when the port is unusable."""
    stop = threading.Event()
    previous: dict[signal.Signals, Any] = {}

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            previous[sig] = signal.signal(sig, on_signal)
    try:
        return _serve(root, args, stop)
    except KeyboardInterrupt:
        return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _serve(root: Path, args: argparse.Namespace, stop: threading.Event) -> int:
    if not root.is_dir():
        print(f"error: {root} is not a folder", file=sys.stderr)
        return 2
    server = PreviewServer(
        root,
        port=getattr(args, "port", None),
        bind=getattr(args, "bind", "127.0.0.1"),
        drafts=getattr(args, "drafts", False),
        future=getattr(args, "future", False),
        base_url=getattr(args, "base_url", None),
        poll=getattr(args, "poll", False),
        verbose=getattr(args, "verbose", False),
    )
    port = getattr(args, "port", None)
    if port is not None and not 0 <= port <= 65535:
        print(f"error: --port must be between 0 and 65535, not {port}", file=sys.stderr)
        return 2
    try:
        server.start()
    except PortInUseError as exc:
        print(f"error: {exc.strerror}", file=sys.stderr)
        return 2
    except OSError as exc:
        where = f"{server.bind}:{server.requested_port or DEFAULT_PORT}"
        print(f"error: cannot listen on {where}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    try:
        if server.port_note:
            print(server.port_note, flush=True)
        print(f"building {server.root} ...", flush=True)
        while not stop.is_set():
            try:
                first = server.wait_for_build(1, timeout=0.25)
            except TimeoutError:
                continue
            if first.ok:
                s = first_stats(server)
                print(f"built {s} in {first.seconds:.2f}s", flush=True)
            else:
                print(
                    "the first build failed; fix the error and save to try again",
                    file=sys.stderr,
                    flush=True,
                )
            break
        if not stop.is_set():
            how = "polling" if server.poll else "watching"
            print(f"{how} content/, templates/, static/ and {CONFIG_NAME} for changes", flush=True)
            print(f"serving {server.url} (Ctrl-C to stop)", flush=True)
            if getattr(args, "open", False):
                threading.Thread(target=webbrowser.open, args=(server.url,), daemon=True).start()
        while not stop.wait(0.5):
            pass
    finally:
        print("stopping ...", flush=True)
        server.stop()
    print("stopped", flush=True)
    return 0


def first_stats(server: PreviewServer) -> str:
    result = server.state.result
    if result is None:
        return "the site"
    s = result.stats
    return f"{s.notes} notes, {s.pages} pages, {s.files} files"
