"""Stage 1 and 2: discover the notes and load their front matter, from memory, from
``.cache/notes.json`` or from their files (in forked workers when there are many)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from awsnotes_site.config import SiteConfig
from awsnotes_site.content.discover import discover
from awsnotes_site.content.load import load_note
from awsnotes_site.diagnostics import BuildError, Diagnostic, Reporter, error
from awsnotes_site.incremental.records import NoteRecord
from awsnotes_site.model.note import Note
from awsnotes_site.parallel import chunk_size, fork_map, workers

# Loading is cheap (~0.16 ms a note): below this many notes, worker processes cost more
# than they save (1,000 notes: 0.16 s in-process, 0.17-0.19 s with 2 workers; 10,000:
# 1.6 s and 1.3 s).
PARALLEL_LOAD_MIN = 2000

Stamp = tuple[int, int]  # a file's modification time (ns) and size


@dataclass
class LoadedNote:
    stamp: Stamp
    note: Note


@dataclass
class Folders:
    """The folders the last walk of ``content/`` saw, and what it found."""

    stamps: tuple[tuple[str, int], ...]
    paths: list[Path]
    diagnostics: list[Diagnostic]
    hugo: bool = False  # walked with Hugo's rules (bundles, _index.md)
    root: Path | None = None  # the content folder walked


class NoteLoader:
    """Keeps each note loaded while its file's stamp is unchanged, and the list of note
    files while no folder of ``content/`` changed."""

    def __init__(self) -> None:
        self.loaded: dict[Path, LoadedNote] = {}
        self._folders: Folders | None = None

    def load(
        self,
        config: SiteConfig,
        records: dict[str, NoteRecord],
        jobs: int,
        reporter: Reporter,
    ) -> list[Note]:
        """Every note's front matter: from memory or ``records`` when the file's size and
        modification time are unchanged, else read and parsed."""
        paths, diags = self.discover(config.content_dir, config.kind == "hugo")
        if config.kind == "vault":
            from awsnotes_site.pipeline.vault import vault_notes

            paths = vault_notes(config, paths)
        reporter.extend(diags)
        found: list[tuple[Path, Stamp, Note | None]] = []
        for path in paths:
            try:
                st = path.stat()
            except OSError:
                reporter.add(error(path, None, "note disappeared while building"))
                continue
            stamp = (st.st_mtime_ns, st.st_size)
            cached = self.loaded.get(path)
            record = records.get(str(path))
            if cached and cached.stamp == stamp:
                found.append((path, stamp, cached.note))
            elif record is not None and record.stamp == stamp:
                found.append((path, stamp, record.note))
            else:
                found.append((path, stamp, None))
        fresh = load_all([path for path, _, note in found if note is None], config, jobs)
        notes: list[Note] = []
        seen: dict[Path, LoadedNote] = {}
        for path, stamp, known in found:
            note_or_error = known if known is not None else fresh[path]
            if isinstance(note_or_error, BuildError):
                reporter.extend(note_or_error.diagnostics)
                continue
            seen[path] = LoadedNote(stamp, note_or_error)
            reporter.extend(note_or_error.diagnostics)
            notes.append(note_or_error)
        self.loaded = seen
        return notes

    def update(self, path: Path, stamp: Stamp, note: Note) -> None:
        """``path`` was read again outside :meth:`load` (a note edited in place)."""
        self.loaded[path] = LoadedNote(stamp, note)

    def discover(
        self, content_dir: Path, hugo: bool = False
    ) -> tuple[list[Path], list[Diagnostic]]:
        """:func:`discover`, skipped while no folder it walked changed (a folder's
        modification time changes when a file in it is added, removed or renamed)."""
        if self._folders is not None:
            memo = self._folders
            try:
                if (memo.hugo, memo.root) == (hugo, content_dir) and all(
                    os.stat(f).st_mtime_ns == t for f, t in memo.stamps
                ):
                    return list(memo.paths), list(memo.diagnostics)
            except OSError:
                pass
        folders: list[Path] = []
        paths, diags = discover(content_dir, folders, hugo)
        self._folders = None
        if folders:  # (no content folder: nothing to watch, look again next time)
            with contextlib.suppress(OSError):
                stamps = tuple((str(f), os.stat(f).st_mtime_ns) for f in folders)
                self._folders = Folders(stamps, paths, diags, hugo, content_dir)
        return list(paths), list(diags)


@dataclass
class LoadJob:
    """What loading workers inherit: the settings and the folders resolved so far."""

    config: SiteConfig
    folders: dict[Path, str] = field(default_factory=dict)


def _load_or_error(job: LoadJob, path: Path) -> Note | BuildError:
    try:
        return load_note(path, job.config, job.folders)
    except BuildError as exc:
        return exc


def _load_chunk(job: LoadJob, paths: Sequence[Path]) -> list[Note | BuildError]:
    return [_load_or_error(job, path) for path in paths]


def load_all(paths: list[Path], config: SiteConfig, jobs: int) -> dict[Path, Note | BuildError]:
    """Read and parse notes; many of them (a cold build) in forked worker processes."""
    job = LoadJob(config)
    count = workers(jobs)
    if count < 2 or len(paths) < PARALLEL_LOAD_MIN:
        return {path: _load_or_error(job, path) for path in paths}
    size = chunk_size(len(paths), count)
    chunks = [paths[i : i + size] for i in range(0, len(paths), size)]
    loaded = [note for part in fork_map(_load_chunk, job, chunks, count) for note in part]
    return dict(zip(paths, loaded, strict=True))


def apply_git_dates(config: SiteConfig, notes: list[Note]) -> None:
    """``lastmod = "git"``: a note without its own ``lastmod`` takes its last commit's date."""
    from awsnotes_site.content.gitdates import git_lastmod  # (starts git: on request)

    dates = git_lastmod(config.root, [n.source for n in notes])
    for note in notes:
        when = dates.get(note.source)
        if when is not None and (note.lastmod is None or note.lastmod_from_git):
            note.lastmod = when.astimezone(config.tz)
            note.lastmod_from_git = True


def unique_urls(notes: Sequence[Note], reporter: Reporter) -> list[Note]:
    """Report notes that share a URL; only the first of them is kept."""
    owners: dict[str, Note] = {}
    for note in notes:
        other = owners.get(note.url)
        if other is not None:
            reporter.add(
                error(
                    note.display_path,
                    1,
                    f"two notes on one URL /{note.url}: this one and {other.display_path}",
                    hint="give one of them a different slug",
                )
            )
        else:
            owners[note.url] = note
    return list(owners.values())
