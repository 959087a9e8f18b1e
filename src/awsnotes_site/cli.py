"""Command line: ``awsnotes-site build | serve | check | new | init | theme``. Argument parsing
only: each command's options become its dataclass in ``awsnotes_site.commands``, whose
``run`` does the work."""

from __future__ import annotations

import argparse
import atexit
import gc
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from awsnotes_site import __version__

if TYPE_CHECKING:
    from pathlib import Path


def _path(text: str) -> Path:
    """A path argument (pathlib, with urllib.parse, is imported only once one is given:
    ``--version`` imports nothing but argparse). Defaults given as text pass through here
    too, as argparse converts string defaults."""
    from pathlib import Path

    return Path(text)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--source", "-s", type=_path, default=".", help="site folder (default: .)")
    p.add_argument("--drafts", action="store_true", help="include notes with draft = true")
    p.add_argument("--future", action="store_true", help="include notes dated in the future")
    p.add_argument("--base-url", help="override base_url from site.toml")
    p.add_argument("-v", "--verbose", action="store_true", help="show every warning and file")


def _add_build(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    b = sub.add_parser(
        "build",
        help="build the site into public/",
        description="Build the site into the output folder (default public/).",
    )
    _common(b)
    b.add_argument("--output", "-o", help="output folder (default: output_dir in site.toml)")
    b.add_argument("--clean", action="store_true", help="drop the render cache first")
    b.add_argument("--no-cache", action="store_true", help="do not read or write .cache/")
    b.add_argument("--strict", action="store_true", help="fail on any warning")


def _add_serve(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    s = sub.add_parser(
        "serve",
        help="preview with live reload",
        description="Build into memory, serve, rebuild on save, reload browsers.",
    )
    _common(s)
    s.add_argument("--port", "-p", type=int, default=None, help="port (default 1313)")
    s.add_argument("--bind", default="127.0.0.1", help="address (default 127.0.0.1)")
    s.add_argument("--poll", action="store_true", help="poll files instead of OS events")
    s.add_argument("--open", action="store_true", help="open the site in a browser")


def _add_check(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    c = sub.add_parser(
        "check",
        help="check links, images and anchors",
        description="Build (or read --output) and verify every internal link.",
    )
    _common(c)
    c.add_argument("--output", "-o", help="check this existing build instead of building")
    c.add_argument("--external", action="store_true", help="also fetch external links")


def _add_new(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    n = sub.add_parser(
        "new",
        help="create a note with front matter",
        description="Create content/PATH with TOML front matter (published: draft = false).",
    )
    n.add_argument("path", help="e.g. posts/my-note.md (relative to content/)")
    n.add_argument("--source", "-s", type=_path, default=".", help="site folder (default: .)")


def _add_init(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    i = sub.add_parser(
        "init",
        help="make a new site",
        description="Make a new site in DIR: site.toml, a first note, .gitignore and "
        "the GitHub Pages workflow.",
    )
    i.add_argument("directory", nargs="?", type=_path, default=".", help="folder (default: .)")
    i.add_argument(
        "--force",
        action="store_true",
        help="write into a folder that is not empty (existing files are kept)",
    )
    i.add_argument(
        "--from-hugo",
        type=_path,
        default=None,
        metavar="HUGO_DIR",
        help="write HUGO_DIR/site.toml with the settings of the Hugo site there",
    )


def _add_theme(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    t = sub.add_parser(
        "theme",
        help="copy the theme's files into the site for editing",
        description="The theme ships inside the package; a site's templates/NAME.html and "
        "static/ files override the theme's of the same name.",
    )
    actions = t.add_subparsers(dest="action", required=True)
    e = actions.add_parser(
        "export",
        help="copy the theme's templates (or the files named) into the site",
        description="Copy the packaged theme's templates (with --static, its CSS, JS and "
        "favicon too; or only the files NAMEd) into the site's templates/ and static/, "
        "where each file overrides the theme's of the same name. Refuses to replace the "
        "site's own copies unless --force.",
    )
    e.add_argument("names", nargs="*", help="files to export, e.g. note.html or css/site.css")
    e.add_argument("--static", action="store_true", help="also the theme's static files")
    e.add_argument("--force", action="store_true", help="replace the site's own copies")
    e.add_argument("--source", "-s", type=_path, default=".", help="site folder (default: .)")


def make_parser() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The parser and, by command name, each subcommand's own parser."""
    parser = argparse.ArgumentParser(
        prog="awsnotes-site", description="Static site generator for Korean study notes."
    )
    parser.add_argument("--version", action="version", version=f"awsnotes-site {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for add in (_add_build, _add_serve, _add_check, _add_new, _add_init, _add_theme):
        add(sub)
    return parser, dict(sub.choices)


def _options(args: argparse.Namespace, cls: type) -> object:
    """ARGS as the command's option dataclass (the namespace holds exactly its fields
    plus ``command``)."""
    values = {k: v for k, v in vars(args).items() if k != "command"}
    return cls(**values)


_COMMANDS = {
    "build": "BuildCommand",
    "serve": "ServeCommand",
    "check": "CheckCommand",
    "new": "NewCommand",
    "init": "InitCommand",
    "theme": "ThemeCommand",
}


def _handler(command: str) -> tuple[type, Callable[[object], int]]:
    """The option class and ``run`` of COMMAND: only that command's module is imported
    (a one-note rebuild does not pay for the server's, nor ``--version`` for any)."""
    module = importlib.import_module(f"awsnotes_site.commands.{command}")
    cls: type = getattr(module, _COMMANDS[command])
    run_command: Callable[[object], int] = module.run
    return cls, run_command


def main(argv: Sequence[str] | None = None) -> int:
    parser, commands = make_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:  # a wrong flag of a subcommand: that subcommand's usage, not the top one's
        commands[args.command].error(f"unrecognized arguments: {' '.join(extra)}")
    cls, run_command = _handler(args.command)
    try:
        return run_command(_options(args, cls))
    except KeyboardInterrupt:
        return 130


def run() -> None:
    """Console entry point (``awsnotes-site``, ``python -m awsnotes_site``): :func:`main`,
    then exit without tearing down the interpreter. Everything is written and closed by
    then; freeing the build's objects one by one at exit cost ~0.08 s of a one-note
    rebuild of 1,000 notes.

    The cycle collector is off for one-shot commands: a whole build of 1,000 notes leaves
    about 22,000 objects in reference cycles (a few MB), while the collector's passes
    over the build's live objects cost ~40 ms of a 0.47 s one-note rebuild (measured
    with bench/compare.py's edit scenario). ``serve`` turns it back on."""
    gc.disable()
    code = main()
    # What os._exit skips and must still happen: the exit hooks, which remove the
    # scratch folders of ``check`` and ``--no-cache`` (tempfile's finalizers) from TMPDIR.
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
