"""Find the notes: every ``.md`` file below ``content/``."""

from __future__ import annotations

import os
from pathlib import Path

from awsnotes_site.diagnostics import Diagnostic, error, warning


def _is_index(name: str, stem: str = "_index") -> bool:
    """``index.md``, or ``index.en.md`` (Hugo's file-suffix style for languages)."""
    parts = name.split(".")
    return parts[0] == stem and parts[-1] == "md" and len(parts) in (2, 3)


def discover(
    content_dir: Path, folders: list[Path] | None = None, hugo: bool = False
) -> tuple[list[Path], list[Diagnostic]]:
    """Every ``.md`` file below ``content_dir``, sorted; symlink loops skipped with a warning.
    ``folders``, if given, receives every folder walked. ``hugo``: ``_index.md`` files
    too, and of a leaf bundle (a folder with ``index.md``) only that file (the rest of
    the bundle is its resources); ``index.en.md`` and ``_index.en.md`` likewise."""
    found: list[Path] = []
    diags: list[Diagnostic] = []
    if not content_dir.is_dir():
        return found, diags
    seen_dirs: set[Path] = set()
    stack = [content_dir]
    while stack:
        current = stack.pop()
        real = current.resolve()
        if real in seen_dirs:
            diags.append(warning(current, None, "symlink loop: folder already visited, skipped"))
            continue
        seen_dirs.add(real)
        if folders is not None:
            folders.append(current)
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError as exc:
            diags.append(error(current, None, f"cannot read folder: {exc.strerror}"))
            continue
        index = [e.name for e in entries if _is_index(e.name, "index")] if hugo else None
        if index and current != content_dir:
            found += [Path(current) / name for name in index]
            continue
        for entry in entries:
            if entry.name.startswith((".", "_")) and not (hugo and _is_index(entry.name)):
                continue
            path = Path(entry.path)
            try:
                if entry.is_dir():
                    stack.append(path)
                elif entry.is_file() and entry.name.endswith(".md"):
                    found.append(path)
            except OSError as exc:  # e.g. a symlink that points at itself
                diags.append(warning(path, None, f"skipped: {exc.strerror}"))
    found.sort(key=lambda p: p.as_posix())
    return found, diags
