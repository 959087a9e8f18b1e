"""Last-modified dates of notes from git history (``lastmod = "git"`` in ``site.toml``).

One ``git log --name-only`` pass over the folders that hold the files, newest commit
first; each file takes the committer date (``%cI``) of the newest commit that touched it.
Reading stops as soon as every file has a date.  ``core.quotepath=false`` and ``-z`` keep
Korean file names intact.  Outside a git repository, without git, or for files git has
never committed, nothing is returned for them: the caller falls back to front matter.

A shallow clone (``actions/checkout`` defaults to ``fetch-depth: 1``) gives every file the
date of the one commit it has; deploy workflows need ``fetch-depth: 0``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import subprocess
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from awsnotes_site.urls import nfc

_RECORD = b"\x1e"  # starts each commit's record (the format is "%x1e%cI")
_CHUNK = 1 << 16


def _git(args: list[str], cwd: Path) -> subprocess.Popen[bytes] | None:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    env.pop("GIT_PAGER", None)
    try:
        return subprocess.Popen(
            ["git", "-c", "core.quotepath=false", "-c", "log.showSignature=false", *args],
            cwd=str(cwd),
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
            env=env,
        )
    except OSError:  # no git on PATH, or cwd vanished
        return None


def _toplevel(cwd: Path) -> Path | None:
    proc = _git(["rev-parse", "--show-toplevel"], cwd)
    if proc is None:
        return None
    out, _ = proc.communicate()
    if proc.returncode != 0:
        return None
    text = out.decode("utf-8", "surrogateescape").strip()
    return Path(text) if text else None


def _relative(path: Path, top: Path) -> str | None:
    """PATH relative to the repository top as a POSIX string (NFC), or None if outside."""
    candidates = [Path(os.path.abspath(path))]
    with contextlib.suppress(OSError):
        candidates.append(path.parent.resolve() / path.name)
    for candidate in candidates:
        try:
            return nfc(candidate.relative_to(top).as_posix())
        except ValueError:
            continue
    return None


def _pathspecs(rels: Iterable[str]) -> list[str]:
    """The smallest set of folders covering every file (fewer, shorter arguments)."""
    folders = sorted({str(PurePosixPath(r).parent) for r in rels})
    kept: list[str] = []
    for folder in folders:
        if folder == ".":
            return ["."]
        if not any(folder == k or folder.startswith(k + "/") for k in kept):
            kept.append(folder)
    return kept


def git_lastmod(root: Path, paths: list[Path]) -> dict[Path, dt.datetime]:
    """The committer date of the newest commit touching each of PATHS (aware datetimes).

    Paths git knows nothing about are left out; outside a repository the result is empty.
    Never raises for git problems.
    """
    if not paths:
        return {}
    cwd = root if root.is_dir() else root.parent
    top = _toplevel(cwd)
    if top is None:
        return {}
    try:
        top = top.resolve()
    except OSError:
        return {}
    wanted: dict[str, list[Path]] = {}
    for path in paths:
        rel = _relative(path, top)
        if rel is not None:
            wanted.setdefault(rel, []).append(path)
    if not wanted:
        return {}
    proc = _git(
        [
            "--literal-pathspecs",
            "log",
            "--no-color",
            "--no-renames",
            "--name-only",
            "-z",
            "--format=%x1e%cI",
            "--",
            *_pathspecs(wanted),
        ],
        top,
    )
    if proc is None or proc.stdout is None:
        return {}
    found: dict[Path, dt.datetime] = {}
    remaining = set(wanted)
    buffer = b""
    try:
        while remaining:
            chunk = proc.stdout.read(_CHUNK)
            if not chunk:
                break
            buffer += chunk
            *records, buffer = buffer.split(_RECORD)
            _take(records, wanted, remaining, found)
        if remaining and buffer:
            _take([buffer], wanted, remaining, found)
    finally:
        if proc.poll() is None:
            proc.kill()  # everything found: the rest of the history is not needed
        proc.stdout.close()
        proc.wait()
    return found


def _take(
    records: list[bytes],
    wanted: dict[str, list[Path]],
    remaining: set[str],
    found: dict[Path, dt.datetime],
) -> None:
    for record in records:
        if not record:
            continue
        text = record.decode("utf-8", "surrogateescape")
        date_text, _, names = text.partition("\0")
        try:
            when = dt.datetime.fromisoformat(date_text.strip())
        except ValueError:
            continue
        for name in names.removeprefix("\n").split("\0"):
            key = nfc(name.strip("\n"))
            if key in remaining:
                remaining.discard(key)
                for path in wanted[key]:
                    found[path] = when
