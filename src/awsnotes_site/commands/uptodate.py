"""A rebuild with nothing changed, answered without building: ``build`` records, after a
successful cached build, the name, size and modification time of every file it read or
wrote (the project's files, the files it published, the Python modules it ran) and
what it printed; the next ``build`` with the same options compares them (a few thousand
``stat`` calls, no import of the pipeline) and, when nothing differs, prints the same
report again. Anything else, even one file touched, runs the build as usual.

Left to the build: sites whose output depends on more than their files (``lastmod =
"git"``, Hugo sites, whose themes and modules may live elsewhere), ``--clean`` and
``--no-cache``; and the record expires when a note's date, publish date or expiry date
passes (a future note becomes published, an expired one is withdrawn)."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

RECORD = "uptodate.json"
FORMAT = "awsnotes-uptodate/2"
SKIPPED = frozenset({".cache", ".git", "node_modules", "__pycache__"})

Listing = list[tuple[str, int, int]]  # (path, size, modification time in ns)


@dataclass(frozen=True)
class Printed:
    """What a build printed: its stderr text and its summary's numbers."""

    stderr: str
    notes: int
    pages: int
    files: int
    extra: str  # stdout lines before the summary (the drafts line)
    output: str


def _walk(folder: str, skip: frozenset[str] = frozenset(), top: bool = True) -> Listing:
    """Every file below ``folder`` (links followed to files, not into folders), sorted;
    the names in ``skip`` are left out at the top level, the output folder anywhere."""
    out: Listing = []
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return out
    for entry in entries:
        if top and entry.name in SKIPPED:
            continue
        if entry.path in skip:
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                out += _walk(entry.path, skip, False)
                continue
            st = entry.stat()
        except OSError:
            continue
        out.append((entry.path, st.st_size, st.st_mtime_ns))
    return out


def _stats(paths: Iterable[str]) -> Listing:
    out: Listing = []
    for path in paths:
        try:
            st = os.stat(path)
        except OSError:
            out.append((path, -1, -1))
            continue
        out.append((path, st.st_size, st.st_mtime_ns))
    return out


def _modules() -> list[str]:
    """The files of the Python modules loaded now (the build's code and libraries)."""
    files = {getattr(m, "__file__", None) for m in list(sys.modules.values())}
    return sorted(f for f in files if isinstance(f, str))


def _key(root: Path, options: dict[str, Any]) -> dict[str, Any]:
    return {
        "root": str(root.resolve()),
        "options": options,
        "python": sys.version,
        "executable": sys.executable,
        "epoch": os.environ.get("SOURCE_DATE_EPOCH", ""),
    }


PACKAGE = Path(__file__).resolve().parent.parent  # its theme and assets are inputs too


def _caches(root: Path) -> Listing:
    """The build's own cache files (``.cache/*.json`` but this record): a cache deleted or
    damaged since is for the build to notice and say."""
    with contextlib.suppress(OSError):
        with os.scandir(root / ".cache") as entries:
            names = sorted(e.path for e in entries if e.name.endswith(".json") and e.name != RECORD)
        return _stats(names)
    return []


def _inputs(root: Path, output: str) -> Listing:
    return _walk(str(root.resolve()), frozenset({output})) + _walk(str(PACKAGE))


def save(
    root: Path,
    options: dict[str, Any],
    printed: Printed,
    valid_until: float | None,
    outputs: Iterable[str],
    seen: Seen | None = None,
) -> None:
    """Record a successful build (its output folder already published); ``outputs``: the
    paths of the files it published, relative to the output folder. (Stat'ed one by one:
    walking the output folder's thousand one-file folders took three times as long.)"""
    folder = root / ".cache"
    data = {
        "format": FORMAT,
        "key": _key(root, options),
        "valid_until": valid_until,
        "printed": asdict(printed),
        "inputs": (
            seen.inputs
            if seen is not None and seen.inputs is not None and seen.output == printed.output
            else _inputs(root, printed.output)
        ),
        "outputs": _stats(os.path.join(printed.output, rel) for rel in sorted(outputs)),
        "modules": _stats(_modules()),
        "caches": _caches(root),
    }
    with contextlib.suppress(OSError):
        tmp = folder / f".{RECORD}.{os.getpid()}"
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, folder / RECORD)


def forget(root: Path) -> None:
    with contextlib.suppress(OSError):
        (root / ".cache" / RECORD).unlink()


@dataclass
class Seen:
    """What :func:`check` found: the last build's report when nothing changed, and the
    project's files as they were before this build (the build reads them; it writes only
    into .cache/ and the output folder, which the walk leaves out)."""

    printed: Printed | None = None
    inputs: Listing | None = None
    output: str = ""  # the output folder the walk of ``inputs`` left out


def check(root: Path, options: dict[str, Any]) -> Seen:
    """What the last build printed, when nothing it depends on has changed since."""
    seen = Seen()
    try:
        data = json.loads((root / ".cache" / RECORD).read_bytes())
        if data.get("format") != FORMAT or data["key"] != json.loads(
            json.dumps(_key(root, options))
        ):
            return seen
        printed = Printed(**data["printed"])
        seen.inputs, seen.output = _inputs(root, printed.output), printed.output
        until = data["valid_until"]
        if until is not None and time.time() >= until:
            return seen
        same = (
            _listing(data["inputs"]) == seen.inputs
            and _listing(data["modules"]) == _stats(p for p, _, _ in data["modules"])
            and _listing(data["outputs"]) == _stats(p for p, _, _ in data["outputs"])
            and _listing(data["caches"]) == _caches(root)
        )
    except (OSError, ValueError, KeyError, TypeError):
        return seen
    if same:
        seen.printed = printed
    return seen


def _listing(rows: Any) -> Listing:
    return [(str(p), int(s), int(m)) for p, s, m in rows]
