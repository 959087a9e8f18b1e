"""``awsnotes-site theme export [NAME ...] [--static] [--force]``: copy the packaged theme's
files into a site for editing. A site's ``templates/NAME.html`` overrides the theme's file of
that name and a file in its ``static/`` the theme's asset of the same path, so a copy edited
there changes the site; delete it to go back to the theme's."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from awsnotes_site.commands import plural
from awsnotes_site.commands.common import USAGE_ERROR, refuse, report, site_problem
from awsnotes_site.config import SiteConfig, load_config
from awsnotes_site.diagnostics import BuildError
from awsnotes_site.theme import STATIC_DIR, TEMPLATES_DIR


@dataclass(frozen=True)
class ThemeCommand:
    action: str = "export"
    names: tuple[str, ...] | list[str] = ()
    static: bool = False
    force: bool = False
    source: Path = Path(".")


@dataclass(frozen=True)
class Copy:
    """One theme file and where the site keeps its own copy."""

    source: Path
    target: Path
    shown: str  # the target, relative to the site, as printed


def theme_files(folder: Path) -> list[Path]:
    """Every file of one theme folder, sorted (hidden files and caches left out)."""
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and not any(part.startswith(".") or part == "__pycache__" for part in p.parts)
    )


def _copies_of(folder: Path, site_folder: Path, prefix: str) -> list[Copy]:
    return [
        Copy(p, site_folder / p.relative_to(folder), f"{prefix}/{p.relative_to(folder).as_posix()}")
        for p in theme_files(folder)
    ]


def _named(config: SiteConfig, name: str) -> Copy | None:
    """The theme file NAME means: a template (``note.html``, ``templates/note.html``) or,
    failing that, an asset (``css/site.css``, ``static/css/site.css``)."""
    path = PurePosixPath(name.replace("\\", "/"))
    for folder, site_folder, prefix in (
        (TEMPLATES_DIR, config.templates_dir, "templates"),
        (STATIC_DIR, config.static_dir, "static"),
    ):
        rel = path.relative_to(prefix) if path.parts[:1] == (prefix,) else path
        source = (folder / rel).resolve()
        if rel.parts and source.is_relative_to(folder) and source.is_file():
            return Copy(source, site_folder / rel, f"{prefix}/{rel.as_posix()}")
    return None


def plan(config: SiteConfig, options: ThemeCommand) -> tuple[list[Copy], list[str]]:
    """The copies to make, and the names that are no file of the theme."""
    if not options.names:
        copies = _copies_of(TEMPLATES_DIR, config.templates_dir, "templates")
        if options.static:
            copies += _copies_of(STATIC_DIR, config.static_dir, "static")
        return copies, []
    copies, unknown = [], []
    for name in options.names:
        copy = _named(config, name)
        if copy is None:
            unknown.append(name)
        elif copy not in copies:
            copies.append(copy)
    return copies, unknown


def _available() -> str:
    names = [p.relative_to(TEMPLATES_DIR).as_posix() for p in theme_files(TEMPLATES_DIR)]
    names += [f"static/{p.relative_to(STATIC_DIR).as_posix()}" for p in theme_files(STATIC_DIR)]
    return ", ".join(names)


def _same(copy: Copy) -> bool:
    try:
        return copy.target.is_file() and copy.target.read_bytes() == copy.source.read_bytes()
    except OSError:
        return False


def run(options: ThemeCommand) -> int:
    problem = site_problem(options.source, need_content=False)
    if problem is not None:
        return refuse(problem)
    try:
        config, _ = load_config(options.source)
    except BuildError as exc:
        report(exc.diagnostics, True)
        return 1
    copies, unknown = plan(config, options)
    if unknown:
        print(f"error: not a file of the theme: {', '.join(unknown)}", file=sys.stderr)
        print(f"  hint: the theme's files are {_available()}", file=sys.stderr)
        return USAGE_ERROR
    same = [c for c in copies if _same(c)]
    todo = [c for c in copies if c not in same]
    present = [c for c in todo if c.target.exists() or c.target.is_symlink()]
    if present and not options.force:
        print(
            "error: the site already has its own " + ", ".join(c.shown for c in present),
            file=sys.stderr,
        )
        print(
            "  hint: nothing was written; --force replaces them with the theme's files "
            "(your edits there are lost), or name the files to export",
            file=sys.stderr,
        )
        return 1
    for copy in todo:
        copy.target.parent.mkdir(parents=True, exist_ok=True)
        if copy.target.is_symlink():
            copy.target.unlink()
        copy.target.write_bytes(copy.source.read_bytes())
        print(f"wrote {copy.shown}" + (" (replaced)" if copy in present else ""))
    for copy in same:
        print(f"kept {copy.shown} (already the theme's)")
    print(
        f"exported {plural(len(todo), 'file')} of the theme to {options.source}; "
        "the site's copy of a file overrides the theme's (delete it to use the theme's again)"
    )
    return 0
