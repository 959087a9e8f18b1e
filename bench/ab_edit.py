#!/usr/bin/env python3
"""Interleaved A/B of one-note CLI rebuilds: two (or more) awsnotes-site source trees on
the same corpus, builds alternating, so that a noisy machine slows both alike.

    python bench/corpus.py --notes 1000 --out /tmp/c1k
    git worktree add /tmp/before HEAD~1            # or: git archive REV src | tar -x -C DIR
    # a tree from before the packaged theme (8d6b96e and older) brings its own templates:
    git archive 8d6b96e src templates static | tar -x -C /tmp/before
    python bench/ab_edit.py /tmp/c1k --rounds 12 /tmp/before/src src
    python bench/ab_edit.py /tmp/c1k --rounds 7 --cold /tmp/before/src src

Each tree gets its own copy of the corpus (its own ``.cache/`` and output folder: cache
formats may differ between trees; a tree whose folder also holds ``templates/`` and
``static/``, as an archive of a revision from before the packaged theme does, gets those
instead of the corpus's copy of the packaged theme's), is built twice to warm its
caches, then every round appends a line to the same note in each copy and runs
``python -m awsnotes_site build`` with that tree first on ``PYTHONPATH``. With
``--cold`` every round is a cold build instead: ``.cache/`` (but ``.cache/images/`` with
``--keep-images``) and the output folder are removed first (nothing else changes).
Prints the median wall and CPU time (``os.wait4``, workers included) per tree and the
ratio of the others to the first.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NOTE = Path("content") / "posts" / "aws-note-00005.md"


def _build(project: Path, src: Path, env: dict[str, str]) -> tuple[float, float]:
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "awsnotes_site", "build", "-o", str(project / "out")],
        cwd=project,
        env={**env, "PYTHONPATH": str(src.resolve())},
        stdout=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise SystemExit(f"build failed in {project} with {src}")
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime


def _clear_cache(folder: Path, keep: set[str]) -> None:
    if not folder.is_dir():
        return
    for entry in folder.iterdir():
        if entry.name in keep:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("corpus", type=Path, help="an awsnotes project from bench/corpus.py")
    p.add_argument("trees", type=Path, nargs="+", help="src/ folders to compare")
    p.add_argument("--rounds", type=int, default=12)
    p.add_argument("--cold", action="store_true", help="cold builds (no cache, no output)")
    p.add_argument(
        "--keep-images",
        action="store_true",
        help="with --cold: keep .cache/images/ (image variants, as a Pages run restores them)",
    )
    args = p.parse_args(argv)
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # ordinary installs keep byte code
    work = Path(tempfile.mkdtemp(prefix="ab-edit-"))
    projects = []
    for n, src in enumerate(args.trees):
        project = work / str(n)
        shutil.copytree(args.corpus, project, ignore=shutil.ignore_patterns(".cache", "public"))
        own = src.resolve().parent
        if src.name == "src" and (own / "templates").is_dir() and (own / "static").is_dir():
            for name in ("templates", "static"):
                shutil.rmtree(project / name)
                shutil.copytree(own / name, project / name)
        for _ in range(2):
            _build(project, src, env)
        projects.append(project)
    times: list[list[tuple[float, float]]] = [[] for _ in args.trees]
    for rnd in range(args.rounds):
        for n, (src, project) in enumerate(zip(args.trees, projects, strict=True)):
            if args.cold:
                _clear_cache(project / ".cache", keep={"images"} if args.keep_images else set())
                shutil.rmtree(project / "out", ignore_errors=True)
            else:
                note = project / NOTE
                edit = f"\n편집 {rnd}\n"
                note.write_text(note.read_text(encoding="utf-8") + edit, encoding="utf-8")
            times[n].append(_build(project, src, env))
    base = statistics.median(w for w, _ in times[0])
    for src, runs in zip(args.trees, times, strict=True):
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        print(
            f"{str(src):40s} wall {wall * 1000:6.0f} ms  cpu {cpu * 1000:6.0f} ms  "
            f"min wall {min(w for w, _ in runs) * 1000:5.0f} ms  vs first {wall / base:.3f}"
        )
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
