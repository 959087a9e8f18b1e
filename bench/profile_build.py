#!/usr/bin/env python3
"""Profile one build of a corpus with cProfile, timing CPU (not wall) so that other work
on a shared machine does not skew the shares.

    python bench/corpus.py --notes 1000 --out /tmp/c1k
    python bench/profile_build.py /tmp/c1k                    # cold, rendering in-process
    python bench/profile_build.py /tmp/c1k --scenario no-change
    python bench/profile_build.py /tmp/c1k --scenario edit --top 40

``--jobs 1`` (the default here) keeps Markdown rendering in this process so that it shows
up in the profile; with worker processes cProfile sees only the parent waiting for them.
The scenarios mirror bench/compare.py: ``cold`` (no cache, fresh output), ``no-change``
(cache and output from a previous build, nothing changed), ``edit`` (one note changed).
Prints the top functions by cumulative and by own time; ``-o FILE`` keeps the raw stats.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("source", type=Path, help="an awsnotes project (e.g. from corpus.py)")
    p.add_argument("--scenario", choices=("cold", "no-change", "edit"), default="cold")
    p.add_argument("--jobs", type=int, default=1, help="render workers (default 1)")
    p.add_argument("--output", type=Path, help="output folder (default: a temporary one)")
    p.add_argument("--top", type=int, default=25)
    p.add_argument("-o", "--stats", type=Path, help="write the raw pstats file here")
    p.add_argument(
        "--src",
        type=Path,
        default=ROOT / "src",
        help="import awsnotes_site from here (default: this checkout's src/)",
    )
    args = p.parse_args(argv)

    sys.path.insert(0, str(args.src.resolve()))
    from awsnotes_site.pipeline import BuildOptions, build

    src = args.source.resolve()
    out = (args.output or Path(f"/tmp/awsnotes-profile-{os.getpid()}")).resolve()
    cached = args.scenario != "cold"
    options = BuildOptions(output=str(out), use_cache=cached, jobs=args.jobs)
    if args.scenario == "cold":
        shutil.rmtree(out, ignore_errors=True)
    else:  # a first build to profile against
        shutil.rmtree(src / ".cache", ignore_errors=True)
        build(src, options)
        if args.scenario == "edit":
            note = sorted((src / "content").rglob("*.md"))[0]
            note.write_text(
                note.read_text(encoding="utf-8") + f"\n\n편집 {time.time()}\n", encoding="utf-8"
            )

    profiler = cProfile.Profile(time.process_time)
    started = time.perf_counter()
    profiler.enable()
    result, written = build(src, options)
    profiler.disable()
    wall = time.perf_counter() - started
    print(
        f"{args.scenario}: {result.stats.notes} notes, {result.stats.pages} pages, "
        f"{written.written} written, {written.unchanged} unchanged; "
        f"{wall:.2f} s wall under the profiler"
    )
    if args.stats:
        profiler.dump_stats(str(args.stats))
    for order in ("cumulative", "tottime"):
        buf = io.StringIO()
        stats = pstats.Stats(profiler, stream=buf).strip_dirs().sort_stats(order)
        stats.print_stats(args.top)
        print(f"--- by {order} (CPU seconds)")
        print(
            "\n".join(
                line
                for line in buf.getvalue().splitlines()
                if line.strip()
                and "function calls" not in line
                and not line.strip().startswith(("Ordered by", "List reduced"))
            )
        )
    if args.output is None:
        shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
