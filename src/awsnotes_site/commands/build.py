"""``awsnotes-site build``: build the site into the output folder (default ``public/``)."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from awsnotes_site.commands.common import ProgressBar, plural, refuse, report, site_problem
from awsnotes_site.config import CONFIG_NAME, base_url_warning
from awsnotes_site.diagnostics import BuildError


@dataclass(frozen=True)
class BuildCommand:
    source: Path = Path(".")
    drafts: bool = False
    future: bool = False
    base_url: str | None = None
    verbose: bool = False
    output: str | None = None
    clean: bool = False
    no_cache: bool = False
    strict: bool = False


def summary(notes: int, pages: int, files: int, written: int, unchanged: int) -> str:
    """``built 1 note, 9 pages, 20 files (3 written, 17 unchanged)``."""
    return (
        f"built {plural(notes, 'note')}, {plural(pages, 'page')}, {plural(files, 'file')} "
        f"({written} written, {unchanged} unchanged)"
    )


def drafts_line(skipped: int) -> str | None:
    """The line saying how many draft notes a build left out, or None when none were."""
    if not skipped:
        return None
    what = "draft note was" if skipped == 1 else "draft notes were"
    return f"{skipped} {what} not built (draft = true); build them with --drafts"


def run(options: BuildCommand) -> int:
    from awsnotes_site.incremental.store import clear
    from awsnotes_site.pipeline import BuildOptions, build

    problem = site_problem(options.source)
    if problem is not None:
        return refuse(problem)
    root = options.source
    if options.clean:
        clear(root / ".cache")
    bar = ProgressBar()
    build_options = BuildOptions(
        drafts=options.drafts,
        future=options.future,
        base_url=options.base_url,
        output=options.output,
        strict=options.strict,
        use_cache=not options.no_cache,
        progress=bar,
        asset_hashes=True,
    )
    try:
        try:
            result, written = build(root, build_options)
        finally:
            bar.finish()
    except BuildError as exc:
        report(exc.diagnostics, True)
        n = sum(1 for d in exc.diagnostics if d.is_error)
        what = f"{n} error(s)" if n else "warnings (--strict)"
        print(f"build failed: {what}; the previous site was left as it was", file=sys.stderr)
        return 1
    where = CONFIG_NAME if options.base_url is None else "--base-url"
    base_url = base_url_warning(result.config.base_url, where)
    report([*result.diagnostics, *([base_url] if base_url else [])], options.verbose)
    s = result.stats
    # The builder counts the drafts it left out once it reports them (see the report of
    # the init branch); until then there is nothing to say.
    skipped = drafts_line(0 if options.drafts else s.drafts_skipped)
    if skipped:
        print(skipped)
    out = result.config.output_path
    print(
        f"{summary(s.notes, s.pages, s.files, written.written, written.unchanged)} "
        f"in {s.seconds:.2f}s -> {out}"
    )
    return 0
