"""Publishing a build: written aside and swapped in place of the output folder, or, for a
small change, file by file next to their targets and renamed into place; either way a
failure while writing leaves the published site as it was."""

from __future__ import annotations

import contextlib
import filecmp
import os
import posixpath
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from awsnotes_site.diagnostics import BuildError, error
from awsnotes_site.images.cache import is_sealed

if TYPE_CHECKING:  # (the pipeline imports this module)
    from awsnotes_site.pipeline.options import BuildResult


@dataclass
class WriteStats:
    written: int = 0
    unchanged: int = 0


def write_site(result: BuildResult, out_dir: Path, stage: Path | None = None) -> WriteStats:
    """Publish the build into ``out_dir``. A few changed files (an edit) are written next to
    their targets and renamed into place once all are written; a larger change is written
    into a sibling folder, reusing unchanged files (hard links keep their modification
    times), which is then swapped in place of ``out_dir``. Either way a failure while
    writing leaves the published site as it was. ``stage``: the sibling folder, when the
    build's workers already wrote pages into it."""
    out_dir = out_dir.resolve()
    parent = out_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    old = parent / f".{out_dir.name}.old-{os.getpid()}"
    if old.exists():
        shutil.rmtree(old)
    if result.files.in_stage:
        assert stage is not None, "pages were staged without a staging folder"
    else:
        if stage is not None:
            shutil.rmtree(stage, ignore_errors=True)
        stage = staging_folder(out_dir)
        if stage.exists():
            shutil.rmtree(stage)
        if out_dir.is_dir():
            stats = _write_in_place(result, out_dir)
            if stats is not None:
                return stats
        stage.mkdir()
    writer = _Stager(stage.resolve(), out_dir, result.unchanged, result.images_cache)
    writer.stats.written = len(result.files.in_stage)
    try:
        for rel in sorted(result.files):
            if rel in result.files.fresh:
                writer.data(rel, result.files.fresh[rel])
            elif rel in result.files.reused:
                writer.reused(rel)
        for rel, source in sorted(result.static.items()):
            writer.copy(rel, source)
        if out_dir.exists():
            os.rename(out_dir, old)
        os.rename(stage, out_dir)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        if old.exists() and not out_dir.exists():
            os.rename(old, out_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)
    return writer.stats


def staging_folder(out_dir: Path) -> Path:
    """Where a build is written before it replaces ``out_dir`` (a hidden sibling)."""
    out_dir = out_dir.resolve()
    return out_dir.parent / f".{out_dir.name}.new-{os.getpid()}"


IN_PLACE_LIMIT = 64  # more changed files than this (and than a quarter of all): stage + swap


class _Conflict(Exception):
    """The new layout needs a folder where the old one has a file (or the reverse)."""


def _published_files(out_dir: Path) -> set[str]:
    """Every file below ``out_dir`` as a site-relative POSIX path; like ``os.walk``,
    symlinks to folders are neither listed nor followed."""
    found: set[str] = set()
    folders = [(str(out_dir), "")]
    while folders:
        folder, prefix = folders.pop()
        try:
            entries = os.scandir(folder)
        except OSError:
            continue
        with entries:
            for entry in entries:
                if entry.is_dir():
                    if not entry.is_symlink():
                        folders.append((entry.path, f"{prefix}{entry.name}/"))
                else:
                    found.add(prefix + entry.name)
    return found


def _changed_files(
    result: BuildResult, out_dir: Path, existing: set[str]
) -> list[tuple[str, bytes | Path]]:
    """The generated and static files that differ from the published ones."""
    changes: list[tuple[str, bytes | Path]] = []
    for rel, data in result.files.fresh.items():
        target = out_dir / rel
        if rel in existing:
            try:
                if target.stat().st_size == len(data) and target.read_bytes() == data:
                    continue
            except OSError:
                pass
        changes.append((rel, data))
    for rel, source in result.static.items():
        if rel in existing and _same_file(source, out_dir / rel):
            continue
        changes.append((rel, source))
    return changes


def _same_file(source: Path, published: Path) -> bool:
    try:
        src, dst = source.stat(), published.stat()
        return src.st_size == dst.st_size and (
            src.st_mtime_ns == dst.st_mtime_ns or filecmp.cmp(source, published, shallow=False)
        )
    except OSError:
        return False


def _write_in_place(result: BuildResult, out_dir: Path) -> WriteStats | None:
    """Update ``out_dir`` file by file; None when the change is too large or reshapes
    folders (the caller then stages and swaps)."""
    existing = _published_files(out_dir)
    if any(rel not in existing for rel in result.files.reused):
        return None
    changes = _changed_files(result, out_dir, existing)
    wanted = set(result.files) | set(result.static)
    stale = sorted(existing - wanted)
    total = len(wanted)
    if len(changes) + len(stale) > max(IN_PLACE_LIMIT, total // 4):
        return None
    temps = _write_aside(out_dir, changes, result.images_cache)
    if temps is None:
        return None
    for tmp, target in temps:
        os.replace(tmp, target)
    for rel in stale:
        _remove_stale(out_dir, rel)
    return WriteStats(written=len(temps), unchanged=total - len(temps))


def _write_aside(
    out_dir: Path, changes: list[tuple[str, bytes | Path]], sealed_in: Path | None
) -> list[tuple[Path, Path]] | None:
    """Each changed file written next to its target (temporary name, target); None, and
    nothing left behind, when a folder would have to replace a file or the reverse."""
    temps: list[tuple[Path, Path]] = []
    made: list[Path] = []
    try:
        for rel, item in sorted(changes, key=lambda c: c[0]):
            target = _safe_target(out_dir, rel)
            if target.is_dir():
                raise _Conflict(rel)
            _make_parents(target.parent, out_dir, made)
            tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            if isinstance(item, Path):
                _copy_or_link(item, tmp, sealed_in)
            else:
                tmp.write_bytes(item)
            temps.append((tmp, target))
    except BaseException as exc:
        for tmp, _ in temps:
            with contextlib.suppress(OSError):
                tmp.unlink()
        for folder in reversed(made):
            with contextlib.suppress(OSError):
                folder.rmdir()
        if isinstance(exc, _Conflict):
            return None
        raise
    return temps


def _remove_stale(out_dir: Path, rel: str) -> None:
    """Remove a file the site no longer has, and the folders it leaves empty."""
    path = out_dir / rel
    with contextlib.suppress(OSError):
        path.unlink()
    folder = path.parent
    while folder != out_dir and folder.is_relative_to(out_dir):
        try:
            folder.rmdir()  # only when empty
        except OSError:
            break
        folder = folder.parent


@dataclass
class StageWriter:
    """Writes pages into the staging folder, a fresh folder only the build writes to (so
    it holds no symlinks): a lexical check keeps each path inside it. One per staging
    folder and process (``made``: the folders this process made there)."""

    stage: Path
    made: set[str] = field(default_factory=set)

    def write(self, rel: str, data: bytes) -> None:
        norm = posixpath.normpath(rel)
        if norm.startswith(("/", "../")) or norm in ("..", ".") or "\0" in norm:
            raise BuildError([error(rel, None, "output path leaves the output folder")])
        target = os.path.join(self.stage, norm)
        folder = os.path.dirname(target)
        if folder not in self.made:
            os.makedirs(folder, exist_ok=True)
            self.made.add(folder)
        with open(target, "wb") as fh:
            fh.write(data)


def _safe_target(out_dir: Path, rel: str) -> Path:
    target = (out_dir / rel).resolve()
    if not target.is_relative_to(out_dir):
        raise BuildError([error(rel, None, "output path leaves the output folder")])
    return target


def _make_parents(folder: Path, out_dir: Path, made: list[Path]) -> None:
    missing: list[Path] = []
    while not folder.is_dir():
        if folder.exists() or folder == out_dir:
            raise _Conflict(str(folder))
        missing.append(folder)
        folder = folder.parent
    for new in reversed(missing):
        new.mkdir()
        made.append(new)


class _Stager:
    """Puts files into the staging folder: links the published copy when it is known or
    found to be identical, writes otherwise."""

    def __init__(
        self, stage: Path, current: Path, unchanged: frozenset[str], sealed_in: Path | None
    ) -> None:
        self.stage = stage
        self.current = current
        self.unchanged = unchanged
        self.sealed_in = sealed_in
        self.stats = WriteStats()
        self._dirs: dict[Path, Path] = {}  # folder as named -> resolved, made and checked

    def _target(self, rel: str) -> Path:
        """Where ``rel`` goes in the staging folder, its folder made. The folder is
        resolved once (a site has many files per folder) and must be inside the staging
        folder; the file's own name cannot leave it (the folder is fresh: no symlinks)."""
        named = self.stage / rel
        if named.name in ("", ".", ".."):
            raise BuildError([error(rel, None, "output path leaves the output folder")])
        folder = self._dirs.get(named.parent)
        if folder is None:
            folder = named.parent.resolve()
            if not folder.is_relative_to(self.stage):
                raise BuildError([error(rel, None, "output path leaves the output folder")])
            folder.mkdir(parents=True, exist_ok=True)
            self._dirs[named.parent] = folder
        return folder / named.name

    def _link(self, existing: Path, target: Path) -> bool:
        try:
            _link_or_copy(existing, target)
        except OSError:
            return False
        self.stats.unchanged += 1
        return True

    def reused(self, rel: str) -> None:
        """A file the build took unchanged from the published folder."""
        target = self._target(rel)
        existing = self.current / rel
        if not self._link(existing, target):
            raise BuildError(
                [error(rel, None, "published file vanished during the build; build again")]
            )

    def data(self, rel: str, data: bytes) -> None:
        target = self._target(rel)
        existing = self.current / rel
        if rel in self.unchanged and self._link(existing, target):
            return  # read back from the published file and hash-checked this build
        try:
            same = existing.stat().st_size == len(data) and existing.read_bytes() == data
        except OSError:
            same = False
        if same and self._link(existing, target):
            return
        target.write_bytes(data)
        self.stats.written += 1

    def copy(self, rel: str, source: Path) -> None:
        target = self._target(rel)
        existing = self.current / rel
        if _same_file(source, existing) and self._link(existing, target):
            return
        _copy_or_link(source, target, self.sealed_in)
        self.stats.written += 1


def _copy_or_link(source: Path, target: Path, sealed_in: Path | None) -> None:
    """Publish a static file: a sealed file of the image cache ``sealed_in`` (a variant or
    share card, which nothing changes) is hard-linked; any other is copied with its
    modification time (a link would let edits of the output change the project's files)."""
    if sealed_in is not None and source.is_relative_to(sealed_in) and is_sealed(source):
        _link_or_copy(source, target)
    else:
        shutil.copy2(source, target)


def _link_or_copy(source: Path, target: Path) -> None:
    """A hard link to ``source``; a copy with its modification time where there can be
    none (another file system, no hard links)."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
