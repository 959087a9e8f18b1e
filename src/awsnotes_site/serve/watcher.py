"""Watching the project: file events -> debounced batches of project-relative paths.

A :class:`ChangeCollector` gathers the events that matter (not editor temp files, not the
output folder) and hands them out once a burst is over; a :class:`Watcher` runs watchdog's
observer (inotify, or polling) over ``site.toml`` and the watched folders, picking up a
watched folder that appears later.
"""

from __future__ import annotations

import contextlib
import errno
import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

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

QUIET_SECONDS = 0.04  # a burst of file events ends after this long without one
# ... or after this long when its last event ends a write (a file closed after writing,
# or renamed into place, as editors save): the file is complete, so waiting for more
# only delays the preview (inotify reports a close; polling never does).
SETTLED_SECONDS = 0.004
IDLE_SECONDS = 0.25  # no change for this long after a build: collect garbage then
MAX_DELAY_SECONDS = 1.0  # a never-ending stream of events still rebuilds this often
POLL_SECONDS = 0.5
STOP_SECONDS = 5.0  # how long stopping waits for the observer's threads

_WATCHED_EVENTS = frozenset(
    {
        EVENT_TYPE_CREATED,
        EVENT_TYPE_DELETED,
        EVENT_TYPE_MODIFIED,
        EVENT_TYPE_MOVED,
        EVENT_TYPE_CLOSED,
    }
)
_EDITOR_NAMES = ("4913", ".DS_Store")
_EDITOR_PREFIXES = (".#", ".~lock.")
_EDITOR_SUFFIXES = (
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


def is_editor_temp(name: str) -> bool:
    """Swap, backup and temporary files editors write while saving."""
    return (
        name in _EDITOR_NAMES
        or name.startswith(_EDITOR_PREFIXES)
        or (name.startswith("#") and name.endswith("#"))
        or name.endswith(_EDITOR_SUFFIXES)
    )


class ChangeCollector(FileSystemEventHandler):
    """Gathers relevant file events; :meth:`next_batch` returns them once a burst is over.

    A path is relevant when it is one of the files named ``config_names`` at the top of
    ``root`` or lies in one of ``folders`` (and is not an editor's temporary file)."""

    def __init__(
        self,
        root: Path,
        quiet: float = QUIET_SECONDS,
        max_delay: float = MAX_DELAY_SECONDS,
        on_new_dir: Callable[[Path], None] | None = None,
        *,
        settled: float = SETTLED_SECONDS,
        config_names: tuple[str, ...] = ("site.toml",),
        folders: tuple[str, ...] = ("content", "templates", "static"),
    ) -> None:
        super().__init__()
        self.root = root
        self.quiet = quiet
        self.settled = min(settled, quiet)
        self.max_delay = max_delay
        self.on_new_dir = on_new_dir
        self.config_names = config_names
        self.folders = folders
        self._cond = threading.Condition()
        self._pending: set[str] = set()
        self._first = 0.0
        self._last = 0.0
        self._wait = quiet  # the quiet window after the last event
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
        if (len(parts) == 1 and parts[0] in self.config_names) or parts[0] in self.folders:
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
                if rel in self.folders:
                    self.on_new_dir(self.root / rel)
        ends_write = not event.is_directory and event.event_type in (
            EVENT_TYPE_CLOSED,
            EVENT_TYPE_MOVED,
        )
        self.add(found, settled=ends_write)

    def add(self, rels: Iterable[str], settled: bool = False) -> None:
        """Note changes to RELS; SETTLED when the event ended a write (a shorter wait)."""
        now = time.monotonic()
        with self._cond:
            if not self._pending:
                self._first = now
            self._pending.update(rels)
            self._last = now
            self._wait = self.settled if settled else self.quiet
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
                due = min(self._last + self._wait, self._first + self.max_delay)
                if now >= due:
                    batch, self._pending = self._pending, set()
                    return batch
                self._cond.wait(due - now)

    def pending(self) -> bool:
        """Whether changes wait for the next batch."""
        with self._cond:
            return bool(self._pending)

    def wait_pending(self, timeout: float) -> bool:
        """Block until changes wait for the next batch (False after TIMEOUT seconds)."""
        with self._cond:
            return self._cond.wait_for(lambda: bool(self._pending), timeout)

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify_all()


class Watcher:
    """watchdog's observer over a project: the top folder (not recursive, for the config
    file) and each of the collector's folders (recursive) that exists."""

    def __init__(self, collector: ChangeCollector, poll: bool, err: TextIO) -> None:
        self.collector = collector
        self.root = collector.root
        self.poll = poll
        self.err = err
        self._lock = threading.Lock()
        self._observer: BaseObserver | None = None
        self._watched: set[Path] = set()

    def start(self) -> None:
        """Start watching. Raises OSError; a missing project folder is reported before
        watchdog is asked (its inotify reader is not closed when its start fails)."""
        if not self.root.is_dir():
            raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(self.root))
        observer: BaseObserver = PollingObserver(timeout=POLL_SECONDS) if self.poll else Observer()
        observer.schedule(self.collector, str(self.root), recursive=False)
        with self._lock:
            self._observer = observer
        for name in self.collector.folders:
            self.watch_dir(self.root / name, announce=False)
        observer.start()

    def watch_dir(self, path: Path, announce: bool = True) -> None:
        """Watch PATH (a watched folder that appeared) too; with ANNOUNCE, report it as a
        change, since files may have been moved in with it."""
        with self._lock:
            observer = self._observer
            if observer is None or path in self._watched or not path.is_dir():
                return
            self._watched.add(path)
        try:
            observer.schedule(self.collector, str(path), recursive=True)
        except OSError as exc:
            print(f"serve: cannot watch {path}: {exc}", file=self.err, flush=True)
        if announce:
            self.collector.add([path.relative_to(self.root).as_posix()])

    def follow(self, folders: tuple[str, ...]) -> None:
        """Watch FOLDERS from now on (instead of the collector's folders until now)."""
        known = self.collector.folders
        if folders == known:
            return
        self.collector.folders = folders
        for name in folders:
            if name not in known:
                self.watch_dir(self.root / name, announce=False)

    def stop(self) -> None:
        """Stop the observer and wait for its threads (the emitters are joined by it)."""
        with self._lock:
            observer, self._observer = self._observer, None
        if observer is None:
            return
        with contextlib.suppress(Exception):
            observer.stop()
        if observer.is_alive():
            observer.join(timeout=STOP_SECONDS)
