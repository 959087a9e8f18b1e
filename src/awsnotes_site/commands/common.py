"""What several commands share: printing diagnostics, the progress bar, and the checks
that a folder is a site before anything is read or written in it."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from awsnotes_site.config import CONFIG_NAME
from awsnotes_site.diagnostics import Diagnostic, error

# Exit status of a command started in the wrong place (no such folder, no site.toml).
USAGE_ERROR = 2


def report(diags: Sequence[Diagnostic], verbose: bool) -> None:
    """Errors, then warnings (the first 20 unless VERBOSE), on stderr."""
    warnings = [d for d in diags if not d.is_error]
    errors = [d for d in diags if d.is_error]
    shown = warnings if verbose or len(warnings) <= 20 else warnings[:20]
    for d in [*errors, *shown]:
        print(d.format(), file=sys.stderr)
    if len(shown) < len(warnings):
        print(f"... and {len(warnings) - len(shown)} more warnings (-v shows all)", file=sys.stderr)


def site_problem(root: Path, *, need_content: bool = True) -> Diagnostic | None:
    """Why ROOT is not a site a command can work on (no such folder, no site.toml, no
    content/), or None. Looks only: nothing is created."""
    if not root.exists():
        return error(
            root,
            None,
            "no such folder",
            hint="-s/--source takes the folder that holds site.toml; "
            f"to start a new site there: awsnotes-site init {root}",
        )
    if not root.is_dir():
        return error(root, None, "not a folder; -s/--source takes the folder that holds site.toml")
    ours = (root / CONFIG_NAME).is_file()
    hugo = None
    if not ours:  # (the Hugo and Obsidian readers are imported only then)
        from awsnotes_site.hugo.config import find_config
        from awsnotes_site.obsidian.settings import is_vault

        hugo = find_config(root)
        if hugo is None and is_vault(root):
            return None  # an Obsidian vault: no site.toml, its notes are the folder
    if not ours and hugo is None:
        where = "this folder" if root == Path(".") else str(root)
        return error(
            CONFIG_NAME,
            None,
            f"no {CONFIG_NAME} in {where} ({root.resolve()}): not an awsnotes-site site",
            hint="start a new site with: awsnotes-site init my-notes && cd my-notes "
            "(or run this command in the folder that holds site.toml, or pass -s FOLDER)",
        )
    if need_content and hugo is None and not (root / "content").is_dir():
        return error(
            root / "content",
            None,
            f"no content/ folder beside {CONFIG_NAME}: the notes live in content/",
            hint="make one with your first note: awsnotes-site new posts/first-note.md",
        )
    return None


def refuse(problem: Diagnostic) -> int:
    """Print PROBLEM and return the exit status for a command started in the wrong place."""
    print(problem.format(), file=sys.stderr)
    return USAGE_ERROR


class ProgressBar:
    """A one-line progress bar on a terminal, shown only once a build has run for a
    second; silent when stdout is not a terminal or under CI."""

    def __init__(self, stream: TextIO = sys.stdout, delay: float = 1.0) -> None:
        self.stream = stream
        self.enabled = stream.isatty() and not os.environ.get("CI")
        self.start = time.monotonic() + delay
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or not total or time.monotonic() < self.start:
            return
        width = 30
        filled = width * done // total
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(f"\rrendering notes [{bar}] {done}/{total}")
        self.stream.flush()
        self.shown = True

    def finish(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
