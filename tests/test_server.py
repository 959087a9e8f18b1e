"""``awsnotes-site serve``: routing, security, rebuilds, live-reload events, ports, Ctrl-C.

Most tests run a real :class:`PreviewServer` in this process on 127.0.0.1 with a free
port and talk to it over sockets. They wait on the server's build records
(``wait_for_build``) or on the event stream, never on a sleep. Port and Ctrl-C tests run
``python -m awsnotes_site serve`` in a subprocess.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import io
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import weakref
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from awsnotes_site.pipeline import Builder, BuildOptions
from awsnotes_site.serve.client import inject, script_tag
from awsnotes_site.serve.http import DEFAULT_PORT
from awsnotes_site.serve.preview import GarbagePolicy, PreviewServer
from awsnotes_site.serve.project import ProjectBuilder
from awsnotes_site.serve.routes import Route, content_type, preview_base_url, resolve_path
from awsnotes_site.serve.watcher import ChangeCollector, is_editor_temp
from helpers import SRC, free_port
from sitefactory import make_project

SECRET = "TOP-SECRET-d41d8cd98f00"
NOTE = "content/posts/aws-network-2.md"
NOTE_PAGE = "posts/aws-network-2/index.html"
KOREAN_NOTE = "posts/한글-노트.md"
CONFIG = """\
title = "테스트 노트"
description = "테스트용 사이트"
author = "tester"
base_url = "https://user.github.io/notes/"
paginate = 10
"""
WAIT = 30.0


# ------------------------------------------------------------------------------ fixtures
@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project served under /notes/, with a secret file next to (outside) it and links
    from static/ that point at it."""
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    proj = make_project(
        tmp_path,
        {
            KOREAN_NOTE: '+++\ntitle = "한글 노트"\ndate = 2023-04-01\n+++\n\n한글 경로 본문.\n',
            "posts/second.md": '+++\ntitle = "두 번째"\ndate = 2023-01-01\n+++\n\n두 번째 본문.\n',
        },
        CONFIG,
    )
    (proj / "static" / "img" / "dot.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>', encoding="utf-8"
    )
    (proj / "static" / "data.json").write_text('{"a": 1}', encoding="utf-8")
    (proj / "static" / "leak.txt").symlink_to(tmp_path / "secret.txt")
    (proj / "static" / "up").symlink_to(tmp_path, target_is_directory=True)
    (proj / "static" / "swap.txt").write_text("harmless", encoding="utf-8")
    return proj


@contextlib.contextmanager
def running(project: Path, **kw: Any) -> Iterator[PreviewServer]:
    server = PreviewServer(
        ProjectBuilder(project), port=0, out=io.StringIO(), err=io.StringIO(), **kw
    )
    server.start()
    try:
        first = server.wait_for_build(1, WAIT)
        assert first.ok, [d.format() for d in first.diagnostics]
        yield server
    finally:
        server.stop()


@pytest.fixture
def server(project: Path) -> Iterator[PreviewServer]:
    with running(project) as s:
        yield s


# ------------------------------------------------------------------------------- helpers
def raw_request(port: int, data: bytes, timeout: float = WAIT) -> tuple[int, dict[str, str], bytes]:
    """Send DATA as is; return status, headers (lower-case names) and body."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        chunks = []
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    blob = b"".join(chunks)
    head, _, body = blob.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body


def get(port: int, target: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    """A request with TARGET exactly as given (no client-side normalisation)."""
    request = f"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    return raw_request(port, request.encode("latin-1"))


class EventStream:
    """An SSE client on a thread: events go to a queue as (name, data, arrival time)."""

    def __init__(self, port: int, base: str = "/notes/", query: str = "") -> None:
        self.events: queue.Queue[tuple[str, Any, float]] = queue.Queue()
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=WAIT)
        target = f"{base}__awsnotes/events{query}"
        self.sock.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        self.sock.settimeout(None)
        self.file = self.sock.makefile("rb")
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()
        name, data = self.next("hello")
        self.hello = data

    def _read(self) -> None:
        name, data = "message", ""
        try:
            status = self.file.readline()
            assert b" 200 " in status, status
            for raw in self.file:
                line = raw.decode("utf-8").rstrip("\r\n")
                if line.startswith("event:"):
                    name = line[6:].strip()
                elif line.startswith("data:"):
                    data += line[5:].strip()
                elif line == "" and data:
                    self.events.put((name, json.loads(data), time.perf_counter()))
                    name, data = "message", ""
                elif line == "":
                    name = "message"
        except (OSError, ValueError):
            pass
        self.events.put(("closed", None, time.perf_counter()))

    def next(self, name: str | None = None, timeout: float = WAIT) -> tuple[str, Any]:
        """The next event (which must be NAME when given)."""
        got, data, _ = self.events.get(timeout=timeout)
        if name is not None:
            assert got == name, f"expected a {name!r} event, got {got!r}: {data!r}"
        return got, data

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()


@contextlib.contextmanager
def events(port: int, query: str = "", base: str = "/notes/") -> Iterator[EventStream]:
    stream = EventStream(port, base=base, query=query)
    try:
        yield stream
    finally:
        stream.close()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as fh:
        fh.write(text)


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), *filter(None, [env.get("PYTHONPATH")])])
    env["PYTHONUNBUFFERED"] = "1"
    env["PYTHONUTF8"] = "1"
    return env


class Serve:
    """``python -m awsnotes_site serve`` in a subprocess, its stdout read on a thread."""

    def __init__(self, project: Path, *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "awsnotes_site", "serve", "--source", str(project), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env=child_env(),
            text=True,
            encoding="utf-8",
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.out: list[str] = []
        self.err: list[str] = []
        self.pumps = [
            threading.Thread(target=self._pump, args=(self.proc.stdout, self.out, True)),
            threading.Thread(target=self._pump, args=(self.proc.stderr, self.err, False)),
        ]
        for t in self.pumps:
            t.daemon = True
            t.start()

    def _pump(self, stream: Any, sink: list[str], lines: bool) -> None:
        for line in stream:
            sink.append(line)
            if lines:
                self.lines.put(line)
        if lines:
            self.lines.put(None)

    def wait_for_url(self, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while True:
            line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            assert line is not None, f"serve ended early: {self.finish()}"
            if line.startswith("serving "):
                return line.split()[1]

    def finish(self, timeout: float = 30) -> tuple[int, str, str]:
        """Wait for the process to end; its exit code, stdout and stderr."""
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            pytest.fail(f"serve did not stop in {timeout}s\n{''.join(self.out)}")
        for t in self.pumps:
            t.join(timeout=10)
        return self.proc.returncode, "".join(self.out), "".join(self.err)


# ------------------------------------------------------------------------ pure functions
def test_resolve_path_rules() -> None:
    files = {"index.html", "posts/x/index.html", "static/a.css", "posts/한글/index.html"}

    def exists(p: str) -> bool:
        return p in files

    base = "/notes/"
    assert resolve_path("/", base, exists) == Route("redirect", "/notes/")
    assert resolve_path("/notes", base, exists) == Route("redirect", "/notes/")
    assert resolve_path("/notes?q=1", base, exists) == Route("redirect", "/notes/?q=1")
    assert resolve_path("/notes/", base, exists) == Route("file", "index.html")
    assert resolve_path("/notes/posts/x", base, exists) == Route("redirect", "/notes/posts/x/")
    assert resolve_path("/notes/posts/x/", base, exists) == Route("file", "posts/x/index.html")
    assert resolve_path("/notes/static/a.css?v=2", base, exists) == Route("file", "static/a.css")
    korean = "/notes/posts/" + urllib.parse.quote("한글") + "/"
    assert resolve_path(korean, base, exists) == Route("file", "posts/한글/index.html")
    assert resolve_path("/notes/__awsnotes/events?x", base, exists) == Route("internal", "events")
    assert resolve_path("/other/", base, exists).kind == "missing"
    assert resolve_path("/notes/posts/y", base, exists).kind == "missing"
    for bad in ("notes/", "*", "http://127.0.0.1/notes/", "", "/notes/%ff"):
        assert resolve_path(bad, base, exists).kind == "bad", bad
    for evil in (
        "/notes/../secret",
        "/notes/%2e%2e/secret",
        "/notes/%2E%2E/secret",
        "/notes/static/..%2f..%2fsecret",
        "/notes/static%2f..%2f..%2fsecret",
        "/notes/..%5c..%5csecret",
        "/notes/a\\..\\..\\secret",
        "//etc/passwd",
        "/notes//etc/passwd",
        "/notes/./index.html",
        "/notes/%00",
        "/notes/a%0d%0aSet-Cookie:x",
    ):
        assert resolve_path(evil, base, exists).kind == "missing", evil
    assert resolve_path("/", "/", exists) == Route("file", "index.html")
    assert resolve_path("/posts/x", "/", exists) == Route("redirect", "/posts/x/")


def test_small_helpers() -> None:
    assert preview_base_url("https://user.github.io/notes/", "127.0.0.1", 1313) == (
        "http://127.0.0.1:1313/notes/"
    )
    assert preview_base_url("https://example.com", "127.0.0.1", 8) == "http://127.0.0.1:8/"
    assert content_type("a/b.html") == "text/html; charset=utf-8"
    assert content_type("x.css").startswith("text/css")
    assert content_type("x.js").startswith("text/javascript")
    assert content_type("atom.xml") == "application/xml"
    assert content_type("x.PNG") == "image/png"
    assert content_type(".nojekyll") == "application/octet-stream"
    for temp in (".note.md.swp", "note.md~", ".#note.md", "4913", "#note.md#", "x___jb_tmp___"):
        assert is_editor_temp(temp), temp
    assert not is_editor_temp("note.md")


def test_collector_debounces_and_filters(tmp_path: Path) -> None:
    collector = ChangeCollector(tmp_path, quiet=0.01)
    for name in ("content/a.md", "content/.a.md.swp", "public/index.html", "site.toml"):
        assert (collector.relevant(str(tmp_path / name)) is None) == (
            name in ("content/.a.md.swp", "public/index.html")
        )
    for _ in range(20):
        collector.add(["content/a.md"])
    collector.add(["site.toml"])
    assert collector.next_batch() == {"content/a.md", "site.toml"}
    collector.stop()
    assert collector.next_batch() is None


def test_collector_runs_idle_work_only_between_bursts(tmp_path: Path) -> None:
    """The builder thread collects garbage while nothing changes (on_idle), never while a
    burst waits to be built: pending changes come back without calling it."""
    collector = ChangeCollector(tmp_path, quiet=0.01)
    called = threading.Event()
    batches: list[set[str] | None] = []

    def builder() -> None:
        batches.append(collector.next_batch(on_idle=called.set))

    collector.add(["content/a.md"])
    t = threading.Thread(target=builder)
    t.start()
    t.join(timeout=30)
    assert batches == [{"content/a.md"}] and not called.is_set()
    t = threading.Thread(target=builder)
    t.start()
    assert called.wait(timeout=30)  # nothing changed for IDLE_SECONDS: idle work ran
    collector.add(["content/b.md"])  # ... and the next change is still delivered
    t.join(timeout=30)
    assert batches[-1] == {"content/b.md"}
    collector.stop()


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def _build_and_idle(policy: GarbagePolicy, full: bool) -> None:
    policy.before_build()
    policy.after_build(full)
    policy.idle()


def test_garbage_after_a_quick_build_is_collected_without_looking_at_the_site() -> None:
    """What a full build leaves is frozen once collected: the collection after an edit in
    place looks only at newer objects (~1 s less on 10,000 notes); the one after the next
    full build looks at everything again, and stopping leaves nothing frozen."""
    policy = GarbagePolicy()
    try:
        old = _Cycle()
        _build_and_idle(policy, True)
        assert gc.get_freeze_count() > 0
        old_ref = weakref.ref(old)
        del old  # garbage now, but frozen
        new = _Cycle()
        new_ref = weakref.ref(new)
        del new
        _build_and_idle(policy, False)
        assert new_ref() is None  # a quick build's garbage is collected
        assert old_ref() is not None  # the frozen objects were not looked at
        _build_and_idle(policy, True)
        assert old_ref() is None
        assert gc.isenabled()  # between bursts the collector runs as usual
    finally:
        policy.stop()
    assert gc.get_freeze_count() == 0


def _resident_mib() -> int:
    status = Path("/proc/self/status").read_text(encoding="ascii")
    [line] = [x for x in status.splitlines() if x.startswith("VmRSS:")]
    return int(line.split()[1]) // 1024


def test_memory_freed_by_a_build_goes_back_to_the_system() -> None:
    """glibc keeps freed memory for itself: a session's resident memory only rose with
    each full build (a configuration edit holds two sites at once). The collection
    between bursts of changes gives it back."""
    kept: list[bytes] = []
    blobs: list[bytes] = []
    for i in range(100_000):  # 200 MB, each hundredth block kept, as a site's survivors
        blobs.append(bytes(2000) + i.to_bytes(4, "little"))
        if i % 100 == 0:
            kept.append(bytes(2000) + i.to_bytes(4, "big"))
    del blobs
    gc.collect()
    before = _resident_mib()
    policy = GarbagePolicy()
    try:
        _build_and_idle(policy, True)
    finally:
        policy.stop()
    assert before - _resident_mib() > 100
    assert len(kept) == 1000


# ------------------------------------------------------------------------------- routing
def test_base_path_serving_and_redirects(server: PreviewServer) -> None:
    port = server.port
    assert server.url == f"http://127.0.0.1:{port}/notes/"
    status, headers, _ = get(port, "/")
    assert status == 302 and headers["location"] == "/notes/"
    status, headers, _ = get(port, "/notes")
    assert status == 302 and headers["location"] == "/notes/"
    status, headers, body = get(port, "/notes/")
    assert status == 200
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert headers["cache-control"] == "no-store"
    page = body.decode("utf-8")
    # The host of base_url is the preview's, the path is kept.
    assert f'href="http://127.0.0.1:{port}/notes/"' in page
    assert "https://user.github.io" not in page
    assert 'href="/notes/static/css/site.css"' in page
    assert '<script src="/notes/__awsnotes/livereload.js" defer></script>' in page
    status, headers, _ = get(port, "/notes/posts/aws-network-2?x=1")
    assert status == 302 and headers["location"] == "/notes/posts/aws-network-2/?x=1"
    status, _, body = get(port, "/notes/posts/aws-network-2/")
    assert status == 200 and "VPC 엔드포인트" in body.decode("utf-8")


def test_not_found_uses_404_page_and_no_listings(server: PreviewServer) -> None:
    port = server.port
    _, _, page404 = get(port, "/notes/404.html")
    for target in ("/notes/nope/", "/notes/static/", "/notes/static/css/", "/elsewhere/x"):
        status, headers, body = get(port, target)
        assert status == 404, target
        assert headers["content-type"] == "text/html; charset=utf-8"
        assert body == page404
        assert b"Directory listing" not in body and b"aws-network-2.md" not in body


def test_head_and_content_types(server: PreviewServer) -> None:
    port = server.port
    expected = {
        "/notes/": "text/html; charset=utf-8",
        "/notes/static/css/site.css": "text/css; charset=utf-8",
        "/notes/static/css/syntax.css": "text/css; charset=utf-8",
        "/notes/static/js/site.js": "text/javascript; charset=utf-8",
        "/notes/static/data.json": "application/json",
        "/notes/search-index.json": "application/json",
        "/notes/atom.xml": "application/xml",
        "/notes/sitemap.xml": "application/xml",
        "/notes/static/img/dot.svg": "image/svg+xml",
        "/notes/__awsnotes/livereload.js": "text/javascript; charset=utf-8",
    }
    pngs = sorted((server.root / "static").rglob("*.png"))
    if pngs:
        rel = pngs[0].relative_to(server.root).as_posix()
        expected["/notes/" + urllib.parse.quote(rel)] = "image/png"
    for target, ctype in expected.items():
        status, headers, body = get(port, target)
        assert status == 200, target
        assert headers["content-type"] == ctype, target
        assert int(headers["content-length"]) == len(body) > 0, target
        status, head_headers, head_body = get(port, target, "HEAD")
        assert status == 200 and head_body == b"", target
        assert head_headers["content-length"] == headers["content-length"], target


def test_percent_encoded_korean_paths(server: PreviewServer) -> None:
    port = server.port
    target = "/notes/posts/" + urllib.parse.quote("한글-노트") + "/"
    status, _, body = get(port, target)
    assert status == 200
    assert "한글 경로 본문" in body.decode("utf-8")
    status, headers, _ = get(port, target.rstrip("/"))
    assert status == 302 and headers["location"] == target


# ------------------------------------------------------------------------------ security
TRAVERSALS = [
    "/notes/../secret.txt",
    "/notes/../../secret.txt",
    "/notes/static/../../secret.txt",
    "/notes/%2e%2e/secret.txt",
    "/notes/%2E%2E/%2E%2E/secret.txt",
    "/notes/static/%2e%2e/%2e%2e/%2e%2e/secret.txt",
    "/notes/static/..%2f..%2f..%2fsecret.txt",
    "/notes/static%2f..%2f..%2f..%2fsecret.txt",
    "/notes/..\\..\\secret.txt",
    "/notes/static/..%5c..%5c..%5csecret.txt",
    "/notes/%252e%252e/secret.txt",
    "//etc/passwd",
    "/notes//etc/passwd",
    "/etc/passwd",
    "/notes/" + "%2f" + "etc/passwd",
    "/notes/static/leak.txt",
    "/notes/static/up/secret.txt",
    "/notes/static/up/project/site.toml",
    "/notes/%00../secret.txt",
]


@pytest.mark.parametrize("target", TRAVERSALS)
def test_paths_outside_the_site_are_404(server: PreviewServer, target: str) -> None:
    for method in ("GET", "HEAD"):
        status, _, body = get(server.port, target, method)
        assert status == 404, (method, target)
        assert SECRET.encode() not in body
        assert b"root:" not in body


def test_static_file_swapped_for_a_symlink_is_not_followed(
    server: PreviewServer, project: Path
) -> None:
    status, _, body = get(server.port, "/notes/static/swap.txt")
    assert status == 200 and body == b"harmless"
    swap = project / "static" / "swap.txt"
    swap.unlink()
    swap.symlink_to(project.parent / "secret.txt")
    # Whether or not the watcher has rebuilt yet, the link must not be followed.
    status, _, body = get(server.port, "/notes/static/swap.txt")
    assert status == 404
    assert SECRET.encode() not in body


MALFORMED = [
    b"GARBAGE\r\n\r\n",
    b"GET\r\n\r\n",
    b"GET /notes/ HTTP/1.1 extra words\r\n\r\n",
    b"GET /notes/%ff%fe HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET notes/ HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /notes/ HTTP/one\r\n\r\n",
    b"GET /<script>alert(1)</script> is bad HTTP/1.1\r\n\r\n",
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n",
]


@pytest.mark.parametrize("data", MALFORMED, ids=lambda d: repr(d[:24]))
def test_malformed_requests_get_400_and_server_goes_on(server: PreviewServer, data: bytes) -> None:
    status, _, body = raw_request(server.port, data)
    assert status == 400
    assert b"<script>" not in body  # echoed text is escaped
    status, _, _ = get(server.port, "/notes/")
    assert status == 200


# ---------------------------------------------------------------------------- rebuilding
def test_burst_of_writes_gives_one_rebuild(project: Path) -> None:
    """20 saves in a row make one rebuild. The quiet window is widened from the default
    (tuned for latency) so that a writer stalled by a loaded machine cannot split the
    burst; the default window is covered by test_collector_debounces_and_filters."""
    with running(project, quiet=0.25, settled=0.25) as server:
        _burst(server, project)


def _burst(server: PreviewServer, project: Path) -> None:
    note = project / NOTE
    original = note.read_text(encoding="utf-8")
    before = len(server.records)
    for i in range(20):
        note.write_text(original + f"\n버스트 {i}\n", encoding="utf-8")
    burst = server.wait_for_build(before + 1, WAIT)
    assert burst.ok and burst.trigger == {NOTE}
    assert NOTE_PAGE in burst.changed
    # A later, separate change is the very next build: the burst made exactly one.
    append(project / "content" / "posts" / "second.md", "\n다음 변경\n")
    after = server.wait_for_build(before + 2, WAIT)
    assert after.trigger == {"content/posts/second.md"}
    assert "posts/second/index.html" in after.changed
    assert len(server.records) == before + 2
    page = get(server.port, "/notes/posts/aws-network-2/")[2].decode("utf-8")
    assert "버스트 19" in page and "버스트 18" not in page


def test_editor_temp_files_do_not_rebuild(server: PreviewServer, project: Path) -> None:
    before = len(server.records)
    posts = project / "content" / "posts"
    for name in (".aws-network-2.md.swp", "aws-network-2.md~", "4913", ".#aws-network-2.md"):
        (posts / name).write_text("temp", encoding="utf-8")
        (posts / name).unlink()
    append(project / "content" / "posts" / "second.md", "\n표시\n")
    record = server.wait_for_build(before + 1, WAIT)
    assert record.trigger == {"content/posts/second.md"}


def test_note_edit_sends_reload_with_changed_page(server: PreviewServer, project: Path) -> None:
    with events(server.port) as stream:
        edit(project / NOTE, "VPC 엔드포인트는", "수정된 VPC 엔드포인트는")
        _, data = stream.next("reload")
        assert NOTE_PAGE in data["changed"]
        assert "posts/second/index.html" not in data["changed"]
        assert data["removed"] == [] and data["recovered"] is False
    status, _, body = get(server.port, "/notes/posts/aws-network-2/")
    assert status == 200 and "수정된 VPC 엔드포인트는" in body.decode("utf-8")


def test_client_showing_a_changed_page_gets_its_html_first(
    server: PreviewServer, project: Path
) -> None:
    """A client that named the changed page hears a ``page`` event with the page as it
    is served now, just before the ``reload``; a client on another page does not."""
    page = urllib.parse.quote(NOTE_PAGE)
    with (
        events(server.port, f"?page={page}") as mine,
        events(server.port, "?page=posts/second/index.html") as other,
    ):
        edit(project / NOTE, "VPC 엔드포인트는", "밀어 보낸 VPC 엔드포인트는")
        _, pushed = mine.next("page")
        _, data = mine.next("reload")
        assert NOTE_PAGE in data["changed"]
        _, served = other.next("reload")
        assert served == data
    status, headers, body = get(server.port, "/notes/posts/aws-network-2/")
    assert status == 200 and "밀어 보낸" in pushed["html"]
    assert pushed["html"].encode("utf-8") == body
    assert pushed["path"] == NOTE_PAGE
    assert f'desc="{pushed["served"]}"' in headers["server-timing"]


def test_css_edit_sends_css_event_without_a_build(server: PreviewServer, project: Path) -> None:
    before = len(server.records)
    with events(server.port) as stream:
        append(project / "static" / "css" / "site.css", "\nbody { color: rgb(1, 2, 3); }\n")
        _, data = stream.next("css")
        assert data["changed"] == ["static/css/site.css"]
        record = server.wait_for_build(before + 1, WAIT)
        assert record.full is False and record.changed == ["static/css/site.css"]
        # The next event is the one for the next change: the CSS edit sent no reload.
        append(project / NOTE, "\n끝\n")
        _, data = stream.next("reload")
        assert data["changed"] and "static/css/site.css" not in data["changed"]
    _, _, css = get(server.port, "/notes/static/css/site.css")
    assert b"rgb(1, 2, 3)" in css


def test_deleted_note_is_listed_as_removed(server: PreviewServer, project: Path) -> None:
    with events(server.port) as stream:
        (project / "content" / "posts" / "second.md").unlink()
        _, data = stream.next("reload")
        assert "posts/second/index.html" in data["removed"]
        assert "index.html" in data["changed"]
    assert get(server.port, "/notes/posts/second/")[0] == 404


def test_broken_front_matter_sends_error_and_keeps_serving(
    server: PreviewServer, project: Path
) -> None:
    note = project / NOTE
    good = note.read_text(encoding="utf-8")
    with events(server.port) as stream:
        note.write_text(good.replace('date = "2023-03-26"', 'date = "2023-03-26', 1), "utf-8")
        _, data = stream.next("error")
        [diag] = data["diagnostics"]
        assert diag["path"] == NOTE and diag["line"] == 3
        assert "front matter" in diag["message"]
        # The last good build is still served.
        status, _, body = get(server.port, "/notes/posts/aws-network-2/")
        assert status == 200 and "VPC 엔드포인트" in body.decode("utf-8")
        # A page opened now learns about the error as soon as it connects.
        with events(server.port) as late:
            assert late.next("error")[1] == data
        note.write_text(good, encoding="utf-8")
        _, data = stream.next("reload")
        assert data["recovered"] is True
    assert server.records[-1].ok


def test_error_is_printed_once(project: Path) -> None:
    err = io.StringIO()
    server = PreviewServer(ProjectBuilder(project), port=0, out=io.StringIO(), err=err)
    server.start()
    try:
        server.wait_for_build(1, WAIT)
        note = project / NOTE
        good = note.read_text(encoding="utf-8")
        broken = good.replace('date = "2023-03-26"', 'date = "2023-03-26', 1)
        note.write_text(broken, encoding="utf-8")
        server.wait_for_build(2, WAIT)
        note.write_text(broken + "\n같은 오류\n", encoding="utf-8")
        assert not server.wait_for_build(3, WAIT).ok
        assert err.getvalue().count(f"{NOTE}:3:19: error:") == 1
    finally:
        server.stop()


def test_config_edit_makes_a_new_builder(server: PreviewServer, project: Path) -> None:
    with events(server.port) as stream:
        edit(project / "site.toml", 'title = "테스트 노트"', 'title = "바뀐 제목"')
        _, data = stream.next("reload")
        assert NOTE_PAGE in data["changed"] and "index.html" in data["changed"]
    assert "바뀐 제목" in get(server.port, "/notes/")[2].decode("utf-8")


def test_new_client_catches_up_on_missed_changes(server: PreviewServer, project: Path) -> None:
    status, headers, _ = get(server.port, "/notes/posts/aws-network-2/")
    timing = headers["server-timing"]
    since = timing.split('desc="')[1].rstrip('"')
    before = len(server.records)
    append(project / NOTE, "\n놓친 변경\n")
    server.wait_for_build(before + 1, WAIT)
    query = "?" + urllib.parse.urlencode({"page": NOTE_PAGE, "since": since})
    with events(server.port, query) as stream:
        _, data = stream.next("reload")
        assert NOTE_PAGE in data["changed"]


def test_event_stream_sends_keepalive_comments(project: Path) -> None:
    with (
        running(project, keepalive=0.2) as server,
        socket.create_connection(("127.0.0.1", server.port), timeout=WAIT) as sock,
    ):
        sock.sendall(b"GET /notes/__awsnotes/events HTTP/1.1\r\nHost: x\r\n\r\n")
        reader = sock.makefile("rb")
        assert b" 200 " in reader.readline()
        headers = []
        while (line := reader.readline()) not in (b"\r\n", b""):
            headers.append(line.lower())
        assert b"content-type: text/event-stream; charset=utf-8\r\n" in headers
        assert b"cache-control: no-store\r\n" in headers
        while (line := reader.readline()) != b": keep-alive\n":
            assert line, "the stream closed"


def test_first_build_failing_serves_an_error_page_until_fixed(project: Path) -> None:
    config = project / "site.toml"
    good = config.read_text(encoding="utf-8")
    config.write_text(good + "\npaginate = [\n", encoding="utf-8")
    server = PreviewServer(ProjectBuilder(project), port=0, out=io.StringIO(), err=io.StringIO())
    server.start()
    try:
        assert not server.wait_for_build(1, WAIT).ok
        status, _, body = get(server.port, "/anything/")
        assert status == 500
        page = body.decode("utf-8")
        assert "site.toml" in page and "invalid TOML" in page
        assert "__awsnotes/livereload.js" in page
        with events(server.port, base="/") as stream:
            assert stream.next("error")[1]["diagnostics"][0]["path"].endswith("site.toml")
            config.write_text(good, encoding="utf-8")
            _, data = stream.next("reload")
            assert data["recovered"] is True
        assert get(server.port, "/notes/")[0] == 200
    finally:
        server.stop()


def test_polling_observer_sees_edits(project: Path) -> None:
    with running(project, poll=True) as server, events(server.port) as stream:
        append(project / NOTE, "\n폴링으로 찾은 변경\n")
        _, data = stream.next("reload")
        assert NOTE_PAGE in data["changed"]


def test_stop_ends_event_streams(project: Path) -> None:
    server = PreviewServer(ProjectBuilder(project), port=0, out=io.StringIO(), err=io.StringIO())
    server.start()
    server.wait_for_build(1, WAIT)
    stream = EventStream(server.port)
    server.stop()
    assert stream.next(timeout=WAIT)[0] == "closed"
    assert not any(t.is_alive() for t in server._threads)
    stream.close()


# ------------------------------------------------------------------ live-reload client
TAG = b'<script src="/notes/__awsnotes/livereload.js" defer></script>\n'


def test_inject_puts_the_tag_before_the_last_body_end() -> None:
    tag = b"<script></script>\n"
    assert inject(b"<body><p>x</p></body>\n</html>\n", tag) == (
        b"<body><p>x</p><script></script>\n</body>\n</html>\n"
    )
    assert inject(b"<!-- </body> --><body></body>", tag) == (
        b"<!-- </body> --><body><script></script>\n</body>"
    )
    assert inject(b"<BODY>x</BODY>", tag) == b"<BODY>x<script></script>\n</BODY>"
    assert inject(b"<p>no body end</p>", tag) == b"<p>no body end</p><script></script>\n"
    assert script_tag("/노트 & 글/") == (
        b'<script src="/%EB%85%B8%ED%8A%B8%20%26%20%EA%B8%80/__awsnotes/livereload.js" '
        b"defer></script>\n"
    )


def test_served_html_is_the_built_html_plus_the_client(
    server: PreviewServer, project: Path
) -> None:
    """Every HTML page served is byte for byte what a build for the same base URL makes,
    with the client's tag added once, right before </body>; the build has no trace of it."""
    built = Builder(project, BuildOptions(base_url=server.url, use_cache=False)).build()
    pages = sorted(p for p in built.files if p.endswith(".html"))
    assert {"index.html", "404.html", NOTE_PAGE} <= set(pages) and len(pages) > 5
    for rel in pages:
        data = built.files[rel]
        assert b"__awsnotes" not in data, rel
        status, headers, body = get(server.port, "/notes/" + urllib.parse.quote(rel))
        assert status == 200 and headers["content-type"] == "text/html; charset=utf-8", rel
        assert int(headers["content-length"]) == len(body), rel
        assert body.count(TAG) == 1 and TAG + b"</body>" in body, rel
        assert body.replace(TAG, b"", 1) == data, rel
    status, _, body = get(server.port, "/notes/no-such-page/")
    assert status == 404 and body.replace(TAG, b"", 1) == built.files["404.html"]


def test_static_html_and_fallback_404_get_the_client(project: Path) -> None:
    page = "<!DOCTYPE html>\n<title>정적</title>\n<p>본문 끝에 body 닫는 태그가 없다</p>\n"
    (project / "static" / "demo.html").write_text(page, encoding="utf-8")
    with running(project) as server:
        status, headers, body = get(server.port, "/notes/static/demo.html")
        assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
        assert body == page.encode() + TAG
        assert int(headers["content-length"]) == len(body)
        status, headers, body = get(server.port, "/notes/static/demo.html", "HEAD")
        assert status == 200 and body == b""
        assert int(headers["content-length"]) == len(page.encode() + TAG)
        status, _, body = get(server.port, "/notes/__awsnotes/missing")  # not the site's 404
        assert status == 404 and b"404 Not Found" in body
        assert body.count(TAG) == 1 and body.endswith(TAG + b"</body></html>")


def test_client_script_is_the_package_file(server: PreviewServer) -> None:
    status, headers, body = get(server.port, "/notes/__awsnotes/livereload.js")
    assert status == 200 and headers["content-type"] == "text/javascript; charset=utf-8"
    source = resources.files("awsnotes_site.serve").joinpath("livereload.js")
    head, _, tail = source.read_text(encoding="utf-8").partition("__CONFIG__")
    text = body.decode("utf-8")
    assert tail and text.startswith(head) and text.endswith(tail)
    config = json.loads(text[len(head) : len(text) - len(tail)])
    assert config == {"base": "/notes/", "home": "/notes/", "events": "/notes/__awsnotes/events"}


def test_javascript_lives_in_js_files_only() -> None:
    for py in (SRC / "awsnotes_site").rglob("*.py"):
        text = py.read_text(encoding="utf-8")
        assert "EventSource" not in text and "sessionStorage" not in text, py


# ----------------------------------------------------------------- threads and files
def open_fds() -> set[tuple[str, str]]:
    """This process's open file descriptors, with what each one is."""
    fds = set()
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):  # the listing's own descriptor is gone by now
            fds.add((fd, os.readlink(f"/proc/self/fd/{fd}")))
    return fds


def read_response(reader: Any) -> bytes:
    """One HTTP response with a Content-Length from READER (a socket file)."""
    assert b" 200 " in reader.readline()
    length = 0
    while (line := reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        if name.lower() == "content-length":
            length = int(value)
    return bytes(reader.read(length))


@pytest.mark.parametrize("poll", [False, True], ids=["inotify", "polling"])
def test_stop_leaves_no_threads_or_descriptors(project: Path, poll: bool) -> None:
    """Start, build, rebuild, serve a page, an event stream and an idle keep-alive
    connection; after stop() the threads and open files are those of before."""
    threads_before = set(threading.enumerate())
    fds_before = open_fds()
    server = PreviewServer(
        ProjectBuilder(project), port=0, poll=poll, out=io.StringIO(), err=io.StringIO()
    )
    server.start()
    assert server.wait_for_build(1, WAIT).ok
    append(project / NOTE, "\n한 번 더\n")
    assert server.wait_for_build(2, WAIT).ok
    with (
        socket.create_connection(("127.0.0.1", server.port), timeout=WAIT) as stream,
        socket.create_connection(("127.0.0.1", server.port), timeout=WAIT) as idle,
    ):
        stream.sendall(b"GET /notes/__awsnotes/events HTTP/1.1\r\nHost: x\r\n\r\n")
        events_in = stream.makefile("rb")
        while (line := events_in.readline()) != b"event: hello\n":
            assert line, "the event stream closed"
        idle.sendall(b"GET /notes/ HTTP/1.1\r\nHost: x\r\n\r\n")  # kept alive after
        page_in = idle.makefile("rb")
        assert TAG in read_response(page_in)
        running_now = {t.name for t in set(threading.enumerate()) - threads_before}
        assert {"awsnotes-http", "awsnotes-builder", "awsnotes-request"} <= running_now
        server.stop()
        # Checked at once: stop() has joined every thread, the connections' ones included.
        assert [t for t in threading.enumerate() if t not in threads_before] == []
        events_in.read()  # the server ended the stream (EOF, no hang) ...
        assert page_in.read() == b""  # ... and the idle connection
        events_in.close()
        page_in.close()
    assert open_fds() - fds_before == set()
    assert gc.isenabled()


def test_failed_start_leaves_nothing_open(tmp_path: Path) -> None:
    """The port is bound, then watching the (missing) project fails: start() raises and
    the listening socket is closed again."""
    threads_before = set(threading.enumerate())
    fds_before = open_fds()
    server = PreviewServer(
        ProjectBuilder(tmp_path / "missing"), port=0, out=io.StringIO(), err=io.StringIO()
    )
    with pytest.raises(OSError):
        server.start()
    assert [t for t in threading.enumerate() if t not in threads_before] == []
    assert open_fds() - fds_before == set()
    server.stop()  # harmless after a failed start


# ------------------------------------------------------------------ ports and Ctrl-C
def listening_socket(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", port))
    sock.listen(1)
    return sock


def test_busy_explicit_port_is_an_error(project: Path) -> None:
    with listening_socket(0) as busy:
        port = busy.getsockname()[1]
        serve = Serve(project, "--port", str(port))
        code, out, err = serve.finish()
    assert code == 2, (out, err)
    assert f"port {port}" in err and "already in use" in err
    assert "Traceback" not in err


def test_port_out_of_range_is_an_error(project: Path) -> None:
    code, out, err = Serve(project, "--port", "70000").finish()
    assert code == 2 and "--port must be between 0 and 65535" in err
    assert "Traceback" not in err


def test_busy_default_port_moves_on(project: Path) -> None:
    blocker: socket.socket | None = None
    try:
        blocker = listening_socket(DEFAULT_PORT)
    except OSError as exc:  # something else holds it: busy all the same
        assert exc.errno == errno.EADDRINUSE
    try:
        serve = Serve(project)
        url = serve.wait_for_url()
        port = urllib.parse.urlsplit(url).port
        assert port is not None and port != DEFAULT_PORT
        assert f"port {DEFAULT_PORT} is busy; using {port}" in "".join(serve.out)
        assert url == f"http://127.0.0.1:{port}/notes/"
        assert get(port, "/notes/")[0] == 200
        serve.proc.send_signal(signal.SIGINT)
        code, _, err = serve.finish()
        assert code == 0 and "Traceback" not in err
    finally:
        if blocker is not None:
            blocker.close()


def test_ctrl_c_stops_cleanly(project: Path) -> None:
    port = free_port()
    serve = Serve(project, "--port", str(port))
    url = serve.wait_for_url()
    assert url == f"http://127.0.0.1:{port}/notes/"
    assert get(port, "/notes/")[0] == 200
    stream = EventStream(port)  # an open event stream must not hold the exit up
    keepalive = socket.create_connection(("127.0.0.1", port))  # nor an idle connection
    serve.proc.send_signal(signal.SIGINT)
    code, out, err = serve.finish()
    stream.close()
    keepalive.close()
    assert code == 0, (out, err)
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert "stopped" in out


def test_serve_bench_smoke() -> None:
    """bench/serve_bench.py runs end to end on a tiny corpus (the numbers are not judged)."""
    bench = Path(__file__).resolve().parent.parent / "bench" / "serve_bench.py"
    proc = subprocess.run(
        [sys.executable, str(bench), "--notes", "12", "--edits", "2"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=child_env(),
        stdin=subprocess.DEVNULL,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "machine:" in proc.stdout
    assert "note save -> reload event (2 edits): median" in proc.stdout
    assert "CSS save  -> css event    (2 edits): median" in proc.stdout
    # The Chromium part: saves patched into the open page, measured in it.
    assert "note save -> new text in the DOM" in proc.stdout
    assert "CSS save -> new stylesheet loaded" in proc.stdout
    assert "load average" in proc.stdout


def test_fifty_clients_and_a_thousand_rapid_saves(server: PreviewServer, project: Path) -> None:
    """50 live-reload clients stay connected through 1,000 saves in a row, each receives
    reload events (no error), pages are answered throughout and the last save is served."""
    clients = [EventStream(server.port) for _ in range(50)]
    try:
        note = project / "content" / "posts" / "second.md"
        original = note.read_text(encoding="utf-8")
        for i in range(1000):
            note.write_text(original + f"\n저장 {i}\n", encoding="utf-8")
            if i % 250 == 0:
                status, _, _ = get(server.port, "/notes/")
                assert status == 200
        marker = "마지막 저장"
        note.write_text(original + f"\n{marker}\n", encoding="utf-8")
        for client in clients:
            while True:  # reload events until the one whose build holds the marker
                name, data = client.next()
                assert name in ("reload", "error"), (name, data)
                assert name == "reload", data
                page = get(server.port, "/notes/posts/second/")[2].decode("utf-8")
                if marker in page:
                    break
        assert all(client.thread.is_alive() for client in clients)
        status, _, body = get(server.port, "/notes/posts/second/")
        assert status == 200 and marker in body.decode("utf-8")
        assert len(server.records) < 1000  # saves were coalesced into bursts
    finally:
        for client in clients:
            client.close()


def test_build_log_keeps_the_last_records_only() -> None:
    from awsnotes_site.serve.state import BuildLog, BuildRecord

    log = BuildLog(keep=3)
    for n in range(1, 6):
        log.append(BuildRecord(n, True, frozenset()))
    assert len(log) == 5
    assert [r.number for r in log] == [3, 4, 5]
    assert log[4].number == 5 and log[-1].number == 5 and log[2].number == 3
    with pytest.raises(IndexError):
        log[1]
    with pytest.raises(IndexError):
        log[5]
