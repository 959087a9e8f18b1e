"""Stage 6: the static files, published under ``/static/`` as they are."""

from __future__ import annotations

import os
from collections.abc import Container
from pathlib import Path

from awsnotes_site.config import SiteConfig
from awsnotes_site.diagnostics import Diagnostic, Reporter, Severity, error


def collect_static(config: SiteConfig, reporter: Reporter) -> dict[str, Path]:
    """Files under ``static/``, published under ``/static/``; links out of it are skipped."""
    result: dict[str, Path] = {}
    root = config.static_dir
    if not root.is_dir():
        return result
    real_root = root.resolve()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames):
            if name.startswith(".") and name != ".well-known":
                continue
            path = Path(dirpath) / name
            if not path.resolve().is_relative_to(real_root):
                reporter.add(
                    Diagnostic(
                        str(path), None, Severity.WARNING, "symlink points outside static/; skipped"
                    )
                )
                continue
            rel = path.relative_to(root).as_posix()
            result[f"static/{rel}"] = path
    return result


def check_overlaps(
    config: SiteConfig, static: dict[str, Path], generated: Container[str], reporter: Reporter
) -> None:
    """A static file may not take the place of a generated one."""
    for path in static:
        if path in generated:
            reporter.add(
                error(
                    config.static_dir / path.removeprefix("static/"),
                    None,
                    f"static file would overwrite generated /{path}",
                )
            )
