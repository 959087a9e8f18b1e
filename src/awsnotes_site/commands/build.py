"""``awsnotes-site build``: build the site into the output folder (default ``public/``)."""

from __future__ import annotations

import contextlib
import io
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from awsnotes_site.commands import plural, uptodate

if TYPE_CHECKING:
    from awsnotes_site.pipeline import BuildResult

# A rebuild with nothing changed imports only this module and commands.uptodate (see
# there); the pipeline, the config and the diagnostics come with a real build.


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
    started = time.perf_counter()
    key = {k: str(v) for k, v in asdict(options).items()}
    seen = None
    if not options.clean and not options.no_cache:
        seen = uptodate.check(options.source, key)
        if seen.printed is not None:
            _replay(seen.printed, time.perf_counter() - started)
            return 0
    code, printed, valid_until, published = _build(options)
    if printed is None:
        uptodate.forget(options.source)
    else:
        uptodate.save(options.source, key, printed, valid_until, published, seen)
    return code


def _replay(printed: uptodate.Printed, seconds: float) -> None:
    """The last build's report, for a rebuild that found nothing changed."""
    sys.stderr.write(printed.stderr)
    sys.stderr.flush()
    if printed.extra:
        print(printed.extra)
    numbers = summary(printed.notes, printed.pages, printed.files, 0, printed.files)
    print(f"{numbers} in {seconds:.2f}s -> {printed.output}")


def _build(
    options: BuildCommand,
) -> tuple[int, uptodate.Printed | None, float | None, list[str]]:
    """Build; the exit status, and when the next build can be answered without building:
    what was printed, the time until which that holds, the files published."""
    from awsnotes_site.commands.common import ProgressBar, refuse, site_problem
    from awsnotes_site.diagnostics import BuildError
    from awsnotes_site.incremental.store import clear
    from awsnotes_site.pipeline import BuildOptions, build

    problem = site_problem(options.source)
    if problem is not None:
        return refuse(problem), None, None, []
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
        from awsnotes_site.commands.common import report

        report(exc.diagnostics, True)
        n = sum(1 for d in exc.diagnostics if d.is_error)
        what = f"{n} error(s)" if n else "warnings (--strict)"
        print(f"build failed: {what}; the previous site was left as it was", file=sys.stderr)
        return 1, None, None, []
    printed = _report(options, result, written.written, written.unchanged)
    config = result.config
    if options.no_cache or config.kind == "hugo" or config.lastmod == "git":
        return 0, None, None, []
    if any(d.path == ".cache" for d in result.diagnostics):
        return 0, None, None, []  # cache entries were mended: not a report to repeat
    return 0, printed, result.stats.valid_until, [*result.files, *result.static]


def _report(
    options: BuildCommand, result: BuildResult, written: int, unchanged: int
) -> uptodate.Printed:
    """Print the build's warnings and summary; return them for :mod:`.uptodate`."""
    from awsnotes_site.commands.common import report
    from awsnotes_site.config import CONFIG_NAME, base_url_warning

    where = CONFIG_NAME if options.base_url is None else "--base-url"
    base_url = base_url_warning(result.config.base_url, where)
    errors = io.StringIO()
    with contextlib.redirect_stderr(errors):
        report([*result.diagnostics, *([base_url] if base_url else [])], options.verbose)
    sys.stderr.write(errors.getvalue())
    s = result.stats
    # The builder counts the drafts it left out once it reports them (see the report of
    # the init branch); until then there is nothing to say.
    skipped = drafts_line(0 if options.drafts else s.drafts_skipped)
    if skipped:
        print(skipped)
    out = result.config.output_path
    print(f"{summary(s.notes, s.pages, s.files, written, unchanged)} in {s.seconds:.2f}s -> {out}")
    return uptodate.Printed(errors.getvalue(), s.notes, s.pages, s.files, skipped or "", str(out))
