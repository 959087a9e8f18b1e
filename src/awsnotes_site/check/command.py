"""``awsnotes-site check [--output DIR] [--external]``: build the site in memory (or read an
existing build), check it, print the problems and a summary; 0 when every link resolves."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from awsnotes_site.check.external import check_external
from awsnotes_site.check.parse import SiteFiles
from awsnotes_site.check.site import CheckStats, Source, check_site
from awsnotes_site.diagnostics import BuildError, Diagnostic
from awsnotes_site.urls import nfc

if TYPE_CHECKING:
    from awsnotes_site.pipeline import BuildResult


@dataclass
class _Target:
    """The site to check: its files, where it lives, the notes behind its pages, and the
    build's own diagnostics (shown with ``--verbose``)."""

    files: SiteFiles
    base_url: str
    sources: dict[str, Source]
    build_diags: list[Diagnostic]


def _disk_files(out_dir: Path, shown: str) -> SiteFiles:
    paths: set[str] = set()
    for path in out_dir.rglob("*"):
        if path.is_file():
            paths.add(path.relative_to(out_dir).as_posix())
    real = {nfc(p): p for p in paths}

    def read(rel: str) -> bytes:
        return (out_dir / real.get(rel, rel)).read_bytes()

    return SiteFiles(set(real), read, lambda rel: f"{shown}/{rel}")


def _build(root: Path, args: Any, asset_hashes: bool = False) -> BuildResult:
    """The site built in memory (no cache, nothing written), with the command's options;
    ``asset_hashes``: asset URLs as ``build`` writes them (to compare with its output)."""
    from awsnotes_site.pipeline import Builder, BuildOptions

    options = BuildOptions(
        drafts=bool(getattr(args, "drafts", False)),
        future=bool(getattr(args, "future", False)),
        base_url=getattr(args, "base_url", None),
        output=None,
        use_cache=False,
        asset_hashes=asset_hashes,
    )
    return Builder(root, options).build()


def _sources(result: BuildResult, same: Callable[[str, bytes], bool]) -> dict[str, Source]:
    """Output path -> note, for pages whose HTML is what SAME says is checked."""
    by_note = {v.note.display_path: v for v in result.notes}
    sources: dict[str, Source] = {}
    for path, note_path in result.page_sources.items():
        view = by_note.get(note_path)
        if view is not None and path in result.files and same(path, result.files[path]):
            sources[nfc(path)] = Source(note_path, tuple(view.facts.links))
    return sources


def _print(diags: Iterable[Diagnostic]) -> None:
    for d in diags:
        print(d.format(), file=sys.stderr)


def _from_output(root: Path, args: Any, output: str) -> _Target | int:
    """An existing build in OUTPUT; problems point at notes where its pages are exactly
    what the notes build to now."""
    from awsnotes_site.config import load_config

    out_dir = Path(output)
    if not out_dir.is_dir():
        print(f"{output}: error: no such folder (build first, or drop --output)", file=sys.stderr)
        return 2
    try:
        config, warns = load_config(root, getattr(args, "base_url", None))
    except BuildError as exc:
        _print(exc.diagnostics)
        return 1
    files = _disk_files(out_dir, output.rstrip("/\\") or output)
    sources: dict[str, Source] = {}
    if config.content_dir.is_dir():
        built: BuildResult | None
        try:
            built = _build(root, args, asset_hashes=True)
        except BuildError:
            built = None
        if built is not None:
            sources = _sources(built, lambda p, data: p in files.paths and files.read(p) == data)
    return _Target(files, config.base_url, sources, list(warns))


def _from_build(root: Path, args: Any) -> _Target | int:
    """The site built in memory from ROOT."""
    try:
        result = _build(root, args)
    except BuildError as exc:
        _print(sorted(exc.diagnostics, key=lambda d: not d.is_error))
        print("check failed: the site does not build", file=sys.stderr)
        return 1
    data, static = result.files, result.static
    shown = result.config.output_dir.rstrip("/") or "public"

    def read(rel: str) -> bytes:
        return data[rel] if rel in data else Path(static[rel]).read_bytes()

    files = SiteFiles(result.all_paths(), read, lambda rel: f"{shown}/{rel}")
    sources = _sources(result, lambda p, d: True)
    return _Target(files, result.config.base_url, sources, list(result.diagnostics))


def _summary(s: CheckStats, fetched: bool, started: float) -> str:
    ext = (
        f"{s.external} external checked"
        if fetched
        else f"{s.external} external not fetched (--external)"
    )
    return (
        f"checked {s.pages} pages and {s.stylesheets} stylesheets: {s.internal} "
        f"internal URLs, {s.fragments} anchors, {ext} "
        f"in {time.perf_counter() - started:.2f}s"
    )


def _base_url_hint(args: Any, output: str | None, s: CheckStats, base_url: str) -> None:
    """Most URLs of an existing build missing: it was likely built for another base URL."""
    given = getattr(args, "base_url", None) is not None
    if output and not given and s.internal and s.unresolved * 2 > s.internal:
        print(
            f"hint: most internal URLs do not resolve under {base_url}; if {output} "
            "was built with --base-url, give check the same --base-url",
            file=sys.stderr,
        )


def check_command(root: Path, args: argparse.Namespace | Any) -> int:
    """``awsnotes-site check [--output DIR] [--external]``: 0 when every link resolves."""
    started = time.perf_counter()
    verbose = bool(getattr(args, "verbose", False))
    output = getattr(args, "output", None)
    target = _from_output(root, args, output) if output else _from_build(root, args)
    if isinstance(target, int):
        return target
    checked = check_site(target.files, target.base_url, target.sources)
    problems = list(checked.problems)
    fetched = bool(getattr(args, "external", False))
    if fetched:
        problems += check_external(checked.external)
    if verbose:
        _print(d for d in target.build_diags if not d.is_error)
    _print(problems)
    summary = _summary(checked.stats, fetched, started)
    if problems:
        _base_url_hint(args, output, checked.stats, target.base_url)
        print(f"{summary}: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"{summary}: no problems")
    return 0
