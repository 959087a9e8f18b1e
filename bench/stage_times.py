#!/usr/bin/env python3
"""Wall time of each stage of one CLI build, without a profiler: the pipeline's stage
functions are wrapped with a clock, then ``awsnotes-site`` runs as from the console
(collector off, as ``cli.run`` has it). Run it in a project folder, with the build's
arguments:

    cd /tmp/c1k && python /path/to/bench/stage_times.py build -o out

Prints the time spent importing the CLI and the pipeline, the whole run, and the total
time in each wrapped function (a function called inside another is counted in both).
"""

from __future__ import annotations

import gc
import importlib
import sys
import time
from collections.abc import Callable
from typing import Any

STAGES = [
    ("awsnotes_site.commands.uptodate", "check"),
    ("awsnotes_site.commands.uptodate", "save"),
    ("awsnotes_site.pipeline.builder", "Builder.build"),
    ("awsnotes_site.pipeline.builder", "Builder._published"),
    ("awsnotes_site.incremental.state", "CacheState.note_records"),
    ("awsnotes_site.pipeline.load", "NoteLoader.load"),
    ("awsnotes_site.pipeline.templates", "TemplateCache.get"),
    ("awsnotes_site.pipeline.builder", "collect_static"),
    ("awsnotes_site.pipeline.images", "ImageStage.prepare"),
    ("awsnotes_site.pipeline.builder", "Builder._render_notes"),
    ("awsnotes_site.pipeline.images", "ImageStage.publish"),
    ("awsnotes_site.pipeline.builder", "assemble"),
    ("awsnotes_site.pipeline.builder", "plan_generated"),
    ("awsnotes_site.pipeline.pages", "PageRenderer.render"),
    ("awsnotes_site.pipeline.links", "MissingTargets.check"),
    ("awsnotes_site.pipeline.builder", "write_site"),
    ("awsnotes_site.pipeline.builder", "Builder.save_caches"),
]


def _wrap(spent: dict[str, float], module: str, qualname: str) -> None:
    owner: Any = importlib.import_module(module)
    *path, name = qualname.split(".")
    for part in path:
        owner = getattr(owner, part)
    fn: Callable[..., Any] = getattr(owner, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[qualname] = spent.get(qualname, 0.0) + time.perf_counter() - started

    setattr(owner, name, timed)


def main() -> int:
    gc.disable()
    started = time.perf_counter()
    from awsnotes_site.cli import main as cli_main

    spent: dict[str, float] = {}
    for module, qualname in STAGES:
        _wrap(spent, module, qualname)
    imported = time.perf_counter()
    sys.argv = ["awsnotes-site", *sys.argv[1:]]
    code = 1
    try:
        code = cli_main()
    finally:
        ended = time.perf_counter()
        out = sys.stderr
        print(f"imports {1000 * (imported - started):.0f} ms", file=out)
        print(f"run     {1000 * (ended - imported):.0f} ms", file=out)
        for qualname, seconds in sorted(spent.items(), key=lambda kv: -kv[1]):
            print(f"  {1000 * seconds:7.1f} ms  {qualname}", file=out)
    return code


if __name__ == "__main__":
    sys.exit(main())
