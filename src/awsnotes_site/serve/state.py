"""Build state: the last good build, the current error and what changed when.

A :class:`SiteState` holds it all under one condition; requests take a :class:`Snapshot`
and wait while a build runs, so a half-built site is never seen. A :class:`BuildRecord`
is one build attempt as tests, the terminal and the benchmark see it.
"""

from __future__ import annotations

import hashlib
import stat
import threading
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from awsnotes_site.diagnostics import Diagnostic
from awsnotes_site.pipeline import BuildResult
from awsnotes_site.pipeline.options import PageFiles

REQUEST_WAIT_SECONDS = 60.0  # how long a request waits for a build in progress

Stamp = tuple[int, int, int]  # mtime_ns, size, inode of a static file


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
    catch_up: bool = False  # the build after static files were refreshed without one
    superseded: bool = False  # failed while files changed: not shown, the next build is
    quick: bool = False  # notes edited in place: only the pages showing them were rendered


class BuildLog:
    """The build records of a server run, numbered from 1; only the last KEEP are kept
    (a preview that runs for days must not keep every build's lists of paths). Other
    threads wait on it for a build (:meth:`wait_for`) or for the builder's idle garbage
    collection after the last one (:meth:`wait_collected`)."""

    KEEP = 256

    def __init__(self, keep: int = KEEP) -> None:
        self._items: deque[BuildRecord] = deque(maxlen=keep)
        self._count = 0
        self._collected = 0  # the number of builds before the last idle collection
        self._cond = threading.Condition()

    def append(self, record: BuildRecord) -> None:
        with self._cond:
            self._items.append(record)
            self._count += 1
            self._cond.notify_all()

    def collected(self) -> None:
        """The builder, idle, has collected the garbage of every build so far."""
        with self._cond:
            self._collected = self._count
            self._cond.notify_all()

    def wait_for(self, count: int, timeout: float) -> BuildRecord:
        """Block until at least ``count`` builds have finished; the ``count``-th. Raises
        TimeoutError."""
        with self._cond:
            if not self._cond.wait_for(lambda: self._count >= count, timeout):
                raise TimeoutError(
                    f"build {count} did not finish in {timeout}s ({self._count} finished)"
                )
            return self[count - 1]

    def wait_collected(self, timeout: float) -> None:
        """Block until the builder has collected since the last build. Raises
        TimeoutError."""
        with self._cond:
            if not self._cond.wait_for(lambda: self._collected >= self._count > 0, timeout):
                raise TimeoutError(f"no idle collection after build {self._count}")

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: int) -> BuildRecord:
        """Record INDEX (0-based; negative from the end); IndexError once forgotten."""
        at = index + self._count if index < 0 else index
        first = self._count - len(self._items)
        if not first <= at < self._count:
            raise IndexError(f"build record {index} is not kept ({first}..{self._count - 1})")
        return self._items[at - first]

    def __iter__(self) -> Iterator[BuildRecord]:
        return iter(list(self._items))


@dataclass(frozen=True)
class Snapshot:
    result: BuildResult | None
    generation: int
    errors: tuple[Diagnostic, ...]
    base: str


@dataclass(frozen=True)
class Accepted:
    """What a good build changed, as :meth:`SiteState.accept` found it."""

    changed: list[str]
    removed: list[str]
    first: bool  # there was no good build before
    recovered: bool  # the build before failed


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
        self.static_stamps: dict[str, Stamp] = {}

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

    def current(self) -> tuple[int, tuple[Diagnostic, ...]]:
        """The generation and errors now, without waiting for a build."""
        with self.cond:
            return self.generation, self.errors

    def since(self, generation: int) -> tuple[list[str], list[str]]:
        with self.cond:
            files = self.result.all_paths() if self.result else set()
            changed = sorted(p for p, g in self.changed_at.items() if g > generation)
            removed = sorted(
                p for p, g in self.removed_at.items() if g > generation and p not in files
            )
            return changed, removed

    def accept(self, result: BuildResult, base: str) -> Accepted:
        """Serve RESULT from now on (under base path BASE); what changed since the last."""
        stamps = static_stamps(result.static)
        with self.cond:
            changed, removed = diff_results(self.result, result, self.static_stamps, stamps)
            accepted = Accepted(changed, removed, self.result is None, bool(self.errors))
            self.generation += 1
            for p in changed:
                self.changed_at[p] = self.generation
            for p in removed:
                self.removed_at[p] = self.generation
            self.result = result
            self.static_stamps = stamps
            self.errors = ()
            self.base = base
        return accepted

    def reject(self, errors: tuple[Diagnostic, ...]) -> None:
        """A build failed: keep serving the last good one, remember why."""
        with self.cond:
            self.errors = errors
            self.generation += 1

    def restamp(self, stamps: dict[str, Stamp]) -> list[str]:
        """Static files were modified in place: the ones whose stamp differs now."""
        with self.cond:
            result = self.result
            assert result is not None
            changed = sorted(p for p in result.static if self.static_stamps.get(p) != stamps.get(p))
            self.static_stamps = stamps
            if changed:
                self.generation += 1
                for p in changed:
                    self.changed_at[p] = self.generation
        return changed


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


def static_stamps(static: dict[str, Path]) -> dict[str, Stamp]:
    stamps: dict[str, Stamp] = {}
    for path, source in static.items():
        try:
            st = source.stat()
        except OSError:
            continue
        stamps[path] = (st.st_mtime_ns, st.st_size, st.st_ino)
    return stamps


def _in_memory(files: Mapping[str, bytes]) -> Mapping[str, bytes]:
    """FILES as a plain dict when they are all in memory, else FILES."""
    if isinstance(files, PageFiles) and not files.reused and not files.in_stage:
        return files.fresh
    return files


def diff_results(
    old: BuildResult | None,
    new: BuildResult,
    old_stamps: dict[str, Stamp],
    new_stamps: dict[str, Stamp],
) -> tuple[list[str], list[str]]:
    """Output paths that are new or differ, and those that are gone."""
    old_files: Mapping[str, bytes] = old.files if old else {}
    new_files: Mapping[str, bytes] = new.files
    # Serve's builds hold every page in memory: compare the dicts themselves, which is
    # 5-10x faster than through the Mapping interface (~3 ms on 1,000 notes).
    old_get = _in_memory(old_files).get
    changed = [p for p, data in _in_memory(new_files).items() if old_get(p) != data]
    changed += [p for p in new.static if p not in old_stamps or old_stamps[p] != new_stamps.get(p)]
    gone: set[str] = set()
    if old is not None:
        now = _in_memory(new_files).keys() | new.static.keys()
        gone = {p for p in _in_memory(old_files) if p not in now}
        gone.update(p for p in old.static if p not in now)
    return sorted(changed), sorted(gone)
