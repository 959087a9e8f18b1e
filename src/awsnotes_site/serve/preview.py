"""The preview server: build into memory, serve it, rebuild on save, reload browsers.

A :class:`PreviewServer` is generic, like MkDocs' livereload server: it is given a
:class:`SiteBuilder` (for an awsnotes project,
:class:`~awsnotes_site.serve.project.ProjectBuilder`) and ties the parts
together: the HTTP server (:mod:`.http`), the watcher (:mod:`.watcher`), the build state
(:mod:`.state`) and the event hub (:mod:`.events`). The last good build is served; a
build in progress makes requests wait for it, so a half-built site is never seen.

Threads: ``awsnotes-http`` accepts connections (one thread each), ``awsnotes-builder``
runs the builds, the watcher's observer reports changes. :meth:`PreviewServer.stop` ends
and joins them all and closes every socket and watch.
"""

from __future__ import annotations

import gc
import secrets
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Protocol, TextIO

from awsnotes_site.diagnostics import BuildError, error
from awsnotes_site.pipeline import BuildResult
from awsnotes_site.serve.client import LiveReloadClient, inject, script_tag
from awsnotes_site.serve.events import (
    EventHub,
    PageMessage,
    change_events,
    error_event,
    greeting,
    page_event,
)
from awsnotes_site.serve.http import HTTPServer, bind
from awsnotes_site.serve.report import BuildReport
from awsnotes_site.serve.routes import url_host
from awsnotes_site.serve.state import (
    BuildLog,
    BuildRecord,
    SiteState,
    file_stamp,
    static_stamps,
)
from awsnotes_site.serve.watcher import (
    QUIET_SECONDS,
    SETTLED_SECONDS,
    ChangeCollector,
    Watcher,
)
from awsnotes_site.theme.assets import VERSIONED_SUFFIXES
from awsnotes_site.urls import base_path_of

KEEPALIVE_SECONDS = 15.0
JOIN_SECONDS = 30.0
# Builds in a row without an idle pause (see GarbagePolicy.idle) after which the cycle
# collector runs anyway, before the next build: saves that never pause (a script, a sync
# tool, the soak benchmark) would otherwise grow memory without bound (+42 % in 80
# operations on a 50-note site).
GC_EVERY_BUILDS = 10


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim`` (None elsewhere: musl, macOS, Windows)."""
    try:
        import ctypes

        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None
    return trim


_TRIM = _malloc_trim()


def release_free_memory() -> None:
    """Give the memory the allocator holds free back to the system. A full build (a
    configuration edit starts a new builder) holds two sites at once until the old one
    goes; glibc keeps what they freed, so a session's resident memory rose with every
    such build (1,000 notes: 181 -> 298 -> 348 -> 355 MiB over three configuration edits;
    trimmed: 212 MiB)."""
    if _TRIM is not None:
        _TRIM(0)


class GarbagePolicy:
    """No cycle collection while the reload waits for the build: a collection during a
    rebuild of 1,000 notes added up to 50 ms to the slowest ones. The builder thread
    collects once no change has come for IDLE_SECONDS (:meth:`idle`), ~30 ms, which done
    right after publishing would hold the GIL while the event is sent.

    What a full build leaves is frozen once collected (``gc.freeze``): the collections
    after notes edited in place (``BuildStats.quick``, which replace a few objects) look
    only at what came since. Looking at everything took ~1 s on 10,000 notes, a second
    in which the next save waited; the first collection after a full build still does.
    Each collection (between bursts, or every GC_EVERY_BUILDS builds of a stream of saves
    that never pauses) then gives the memory freed back to the system
    (:func:`release_free_memory`: ~7 ms on 1,000 notes)."""

    def __init__(self) -> None:
        self.paused = False
        self.builds = 0  # builds since the last collection
        self.whole = True  # a full build since the last collection of everything

    def before_build(self) -> None:
        if self.builds >= GC_EVERY_BUILDS:
            self._collect()
            self.builds = 0
        gc.disable()
        self.paused = True
        self.builds += 1

    def after_build(self, full: bool) -> None:
        self.whole = self.whole or full

    def idle(self) -> None:
        """Between bursts of changes: collect what the last builds left in cycles and let
        the collector run as usual until the next build."""
        self._collect()
        self.resume()
        self.builds = 0

    def _collect(self) -> None:
        if self.whole:
            gc.unfreeze()
            gc.collect()
            gc.freeze()
            self.whole = False
        else:
            gc.collect()
        release_free_memory()

    def stop(self) -> None:
        """The server stops: leave nothing frozen (the process may go on)."""
        gc.unfreeze()
        self.whole = True
        self.resume()

    def resume(self) -> None:
        if self.paused:
            gc.enable()
            self.paused = False


class SiteBuilder(Protocol):
    """What the preview server builds: a project at ``root`` whose ``config_names`` files
    and ``folders`` are watched (a build may change ``folders``: the new ones are watched
    from then on)."""

    root: Path
    config_names: tuple[str, ...]
    folders: tuple[str, ...]
    url: str  # the preview's base URL, set by serve_at (and by builds)

    def serve_at(self, host: str, port: int) -> None: ...

    def build(self, trigger: frozenset[str]) -> BuildResult: ...

    def static_refresh(
        self, result: BuildResult, trigger: frozenset[str]
    ) -> dict[str, Path] | None: ...


class PreviewServer:
    """Builds with ``builder``, serves the result and rebuilds on change.

    ``start()`` binds the port (raising :class:`~.http.PortInUseError` when an explicit
    port is busy) and starts the HTTP, watcher and builder threads; the first build runs
    in the builder thread, and requests wait for it. ``stop()`` ends them all.
    """

    def __init__(
        self,
        builder: SiteBuilder,
        *,
        port: int | None = None,
        bind: str = "127.0.0.1",
        poll: bool = False,
        verbose: bool = False,
        quiet: float = QUIET_SECONDS,
        settled: float = SETTLED_SECONDS,
        keepalive: float = KEEPALIVE_SECONDS,
        out: TextIO | None = None,
        err: TextIO | None = None,
    ) -> None:
        self.builder = builder
        self.root = builder.root
        self.requested_port = port
        self.bind = bind
        self.poll = poll
        self.verbose = verbose
        self.keepalive = keepalive
        self.out = out if out is not None else sys.stdout
        self.err = err if err is not None else sys.stderr
        self.token = secrets.token_hex(4)
        self.port = 0
        self.port_note = ""
        self.hub = EventHub()
        self.state = SiteState("/")
        self.client = LiveReloadClient()
        self.collector = ChangeCollector(
            self.root,
            quiet,
            settled=settled,
            config_names=builder.config_names,
            folders=builder.folders,
        )
        self.watcher = Watcher(self.collector, poll, self.err)
        self.collector.on_new_dir = self.watcher.watch_dir
        self.report = BuildReport(self.out, self.err, verbose)
        self.records = BuildLog()
        self._httpd: HTTPServer | None = None
        self._threads: list[threading.Thread] = []
        self._stamps: dict[str, bytes | None] = {}
        self.garbage = GarbagePolicy()
        # Static files refreshed without a build that a generated file depends on (the
        # service worker lists every CSS/JS/SVG asset by content hash): built once idle.
        self._catch_up: frozenset[str] = frozenset()
        self._retry: frozenset[str] | None = None  # the trigger of a superseded build

    # -- lifecycle
    @property
    def url(self) -> str:
        """The preview's base URL, e.g. ``http://127.0.0.1:1313/notes/``."""
        return self.builder.url

    def start(self) -> None:
        """Bind, then start watching, serving and the first build. Raises OSError (a
        :class:`~.http.PortInUseError` when an explicit port is busy); nothing is left
        open then."""
        self._httpd, self.port_note = bind(self.bind, self.requested_port, self)
        try:
            self.port = self._httpd.server_port
            self.builder.serve_at(url_host(self.bind), self.port)
            self.state.base = base_path_of(self.builder.url)
            self.watcher.start()
        except BaseException:
            self.stop()
            raise
        self._spawn("awsnotes-http", self._serve_http)
        self._spawn("awsnotes-builder", self._run_builder)

    def _serve_http(self) -> None:
        assert self._httpd is not None
        self._httpd.serve_forever(poll_interval=0.2)

    def stop(self) -> None:
        """End every thread this server started and close its sockets and watches."""
        self.collector.stop()
        self.hub.close()
        self.watcher.stop()
        if self._httpd is not None:
            if self._threads:  # serve_forever runs: shutdown() waits for it to return
                self._httpd.shutdown()
            self._httpd.close()
            self._httpd = None
        for t in self._threads:
            t.join(timeout=JOIN_SECONDS)
        self.garbage.stop()  # (stopped before the builder's idle collection)

    def __enter__(self) -> PreviewServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _spawn(self, name: str, target: Callable[[], None]) -> None:
        t = threading.Thread(target=target, name=name, daemon=True)
        t.start()
        self._threads.append(t)

    # -- building
    def _run_builder(self) -> None:
        self._build(frozenset())
        while True:
            batch = self.collector.next_batch(on_idle=self._idle)
            if batch is None:
                return
            fresh = self._fresh(batch)
            if fresh or self._retry is not None:
                self._build(fresh | (self._retry or frozenset()))

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

    def _build(self, trigger: frozenset[str], catch_up: bool = False) -> None:
        started = time.perf_counter()
        number = len(self.records) + 1
        quick = not catch_up and self._retry is None  # (a failed build is built again)
        if quick and self._refresh_static(trigger, number, started):
            return
        self._catch_up = frozenset()  # a full build makes every generated file again
        self._retry = None
        self.state.begin()
        record = BuildRecord(number, False, trigger, catch_up=catch_up)
        self.garbage.before_build()
        try:
            events = self._attempt(record)
        finally:
            self.state.end()
            self.garbage.after_build(full=not record.quick)
        record.seconds = time.perf_counter() - started
        self.watcher.follow(self.builder.folders)  # a new configuration may name others
        self.hub.publish(events, self._page_message(record))
        self._done(record)

    def _page_message(self, record: BuildRecord) -> PageMessage | None:
        """What a client showing a page changed by RECORD's build is sent before the
        reload: the page's new HTML (a ``page`` event), so that it need not fetch it."""
        return page_message(self.state, record, self.token)

    def _attempt(self, record: BuildRecord) -> list[bytes]:
        """Build once into RECORD; the events to send about it."""
        try:
            result = self.builder.build(record.trigger)
        except BuildError as exc:
            record.diagnostics = exc.diagnostics or [error(str(self.root), None, "build failed")]
            if self.collector.pending():
                # Files changed while it ran (a note renamed away mid-build, a fix saved):
                # its failure may be stale, and the next build, right now, tells.
                record.superseded = True
                self._retry = record.trigger  # built again even if nothing is fresh
                return []
        except Exception as exc:  # a bug in the build must not end the preview
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            record.diagnostics = [error(str(self.root), None, f"internal error: {detail}")]
            if self.verbose:
                traceback.print_exc(file=self.err)
        else:
            record.ok, record.quick = True, result.stats.quick
            return self._accept(result, record)
        self.state.reject(tuple(record.diagnostics))
        return [error_event(record.diagnostics)]

    def _idle(self) -> None:
        """Between bursts of changes: the catch-up build, if one is due (see
        :meth:`_refresh_static`), then the garbage collection."""
        if self._catch_up:
            self._build(self._catch_up, catch_up=True)
        self.garbage.idle()
        self.records.collected()

    def _accept(self, result: BuildResult, record: BuildRecord) -> list[bytes]:
        accepted = self.state.accept(result, base_path_of(result.config.base_url))
        record.changed, record.removed = accepted.changed, accepted.removed
        record.diagnostics = list(result.diagnostics)
        if accepted.first and not accepted.recovered:
            return []
        changed = [] if accepted.first else accepted.changed
        return change_events(changed, accepted.removed, accepted.recovered)

    def _refresh_static(self, trigger: frozenset[str], number: int, started: float) -> bool:
        """A change only under static/ that needs no build (see
        :meth:`SiteBuilder.static_refresh`): restamp those files, send a css or reload
        event. False when a full build is needed. When a changed file is a versioned
        asset, the service worker that lists it by hash is stale: a catch-up build makes
        it again once no change has come for a while (so that a run of CSS saves is not
        slowed down by builds)."""
        state = self.state
        result = state.result
        if result is None or state.errors or not trigger:
            return False
        files = self.builder.static_refresh(result, trigger)
        if files is None:
            return False
        stamps = dict(state.static_stamps)
        stamps.update(static_stamps(files))
        changed = state.restamp(stamps)
        if any(p.endswith(VERSIONED_SUFFIXES) for p in changed):
            self._catch_up |= trigger
        record = BuildRecord(number, True, trigger, changed, [], [], full=False)
        record.seconds = time.perf_counter() - started
        self.hub.publish(change_events(changed, [], False))
        self._done(record)
        return True

    def _done(self, record: BuildRecord) -> None:
        self.report(record)
        self.records.append(record)

    def wait_for_build(self, count: int, timeout: float = 60.0) -> BuildRecord:
        """Block until at least ``count`` build attempts have finished; return the
        ``count``-th. Raises TimeoutError."""
        return self.records.wait_for(count, timeout)

    def wait_until_collected(self, timeout: float = 60.0) -> None:
        """Block until the builder thread, idle since the last build attempt, has collected
        the garbage (and given freed memory back): what a memory reading then sees is what
        the server keeps. Raises TimeoutError."""
        self.records.wait_collected(timeout)

    # -- talking to clients
    def timing(self, generation: int) -> str:
        return f'awsnotes;desc="{self.token}.{generation}"'

    def greeting(self, page: str, since: str) -> list[bytes]:
        """What a newly connected client hears: hello, what it missed, the current error."""
        return greeting(self.token, self.state, page, since)


def page_message(state: SiteState, record: BuildRecord, token: str) -> PageMessage | None:
    """The ``page`` event for each page RECORD's build changed (see
    :meth:`PreviewServer._page_message`)."""
    result, generation, base = state.result, state.generation, state.base
    if not record.ok or result is None:
        return None
    changed = set(record.changed)
    files = result.files
    served = f"{token}.{generation}"
    tag = script_tag(base)

    def message(page: str) -> bytes:
        if page not in changed or not page.endswith(".html") or page not in files:
            return b""
        return page_event(page, served, inject(files[page], tag))

    return message
