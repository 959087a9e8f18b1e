"""Smoke test of the build benchmark (bench/): the corpus generator and ``compare.py --quick``.

No peers are installed here: ``--quick`` runs only awsnotes-site, on 20 notes, once.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
NOTES = 20


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT / "src"), *([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])]
    )
    env["PYTHONUTF8"] = "1"
    return env


def _run(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        encoding="utf-8",
    )


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_corpus_generator_all_formats(tmp_path: Path) -> None:
    paths = {
        "awsnotes": "content/posts",
        "hugo": "content/posts",
        "pelican": "content/posts",
        "mkdocs": "docs/posts",
    }
    for fmt, notes_dir in paths.items():
        out = tmp_path / fmt
        result = _run(
            str(BENCH / "corpus.py"), "--notes", str(NOTES), "--out", str(out), "--format", fmt
        )
        assert result.returncode == 0, result.stderr
        notes = sorted((out / notes_dir).glob("aws-note-*.md"))
        assert len(notes) == NOTES, fmt
        texts = [p.read_text(encoding="utf-8") for p in notes]
        assert len(set(texts)) == NOTES, f"{fmt}: notes should differ"
        for text in texts:
            assert text.count("<img ") == 10 and text.count("<figcaption") == 10
            assert "169.254.169.254/latest/meta-data" in text
            assert re.search(r"[가-힣]{2,}", text)
        if fmt in ("awsnotes", "hugo"):
            assert all('{{< highlight bash  "linenos=true,hl_inline=false" >}}' in t for t in texts)
            extra = [t.count("{linenos=true}") for t in texts]
            assert all(1 <= n <= 3 for n in extra), extra
            assert any("series = [" in t for t in texts)
    assert (tmp_path / "awsnotes" / "site.toml").is_file()
    assert (tmp_path / "awsnotes" / "templates" / "note.html").is_file()
    assert (tmp_path / "hugo" / "hugo.toml").is_file()
    assert (tmp_path / "hugo" / "layouts" / "_default" / "single.html").is_file()
    assert (tmp_path / "pelican" / "pelicanconf.py").is_file()
    assert (tmp_path / "mkdocs" / "mkdocs.yml").is_file()

    again = tmp_path / "again"
    assert (
        _run(str(BENCH / "corpus.py"), "--notes", str(NOTES), "--out", str(again)).returncode == 0
    )
    assert _tree(again / "content") == _tree(tmp_path / "awsnotes" / "content"), (
        "the corpus must be deterministic"
    )


def test_compare_quick(tmp_path: Path) -> None:
    work = tmp_path / "work"
    result = _run(str(BENCH / "compare.py"), "--quick", "--no-peers", "--workdir", str(work))
    assert result.returncode == 0, result.stdout + result.stderr
    for scenario in ("cold", "warm"):
        pages = list(
            (work / "out" / f"ours-{scenario}-{NOTES}" / "posts").glob("aws-note-*/index.html")
        )
        assert len(pages) == NOTES, scenario
    assert not (work / "trash").exists(), "the trash is emptied after the last run"
    out = result.stdout
    assert "## Build benchmark: 20 notes" in out
    rows = [line for line in out.splitlines() if line.startswith("| awsnotes-site |")]
    assert [r.split("|")[2].strip() for r in rows] == [
        "cold",
        "cold+cache",
        "no-change",
        "one-note edit",
    ]
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        wall, cpu, pages = float(cells[3]), float(cells[5]), cells[-2]
        assert wall > 0 and cpu > 0, row
        assert pages == str(NOTES), row
    assert re.search(r"\| one-note edit \(CLI\) ≤ 0\.5 s \| [\d.]+ s wall", out)
    # peak memory comes from a separate, untimed pass that sampled it
    assert "| peak memory | sampled in 1 separate untimed run(s) per scenario" in out
    for row in rows:
        assert float(row.strip("|").split("|")[7]) > 0, row
    logs = {p.name for p in (work / "logs").glob("*.log")}
    for scenario in ("cold", "cold_cache", "no-change", "one-note_edit"):
        assert f"awsnotes-site-{scenario}-{NOTES}-r0.log" in logs
        assert f"awsnotes-site-{scenario}-{NOTES}-r0-memory.log" in logs


def _compare_module() -> Any:
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_compare", BENCH / "compare.py")
    assert spec is not None and spec.loader is not None
    compare = importlib.util.module_from_spec(spec)
    sys.modules["bench_compare"] = compare
    spec.loader.exec_module(compare)
    return compare


def test_earlier_outputs_are_set_aside_then_emptied_at_the_end(tmp_path: Path) -> None:
    """The next build into a folder gets it free at once (a rename, no deletion while the
    runs are timed); what was set aside is kept until the trash is emptied."""
    compare = _compare_module()
    bench = compare.Bench(tmp_path, 20, Path(sys.executable), None, None)
    out = tmp_path / "out" / "hugo"
    for build in ("first", "second"):
        (out / "posts").mkdir(parents=True)
        (out / "posts" / "index.html").write_text(build)
        bench.set_aside(out)
        assert not out.exists()
    bench.set_aside(out)  # nothing there: nothing to do
    kept = sorted(p.read_text() for p in (tmp_path / "trash").glob("*/posts/index.html"))
    assert kept == ["first", "second"]
    bench.empty_trash()
    assert not (tmp_path / "trash").exists()


def test_a_cold_build_never_starts_with_the_last_rounds_cache(tmp_path: Path) -> None:
    """--clean would delete a cache left by the cached scenarios inside the timed cold
    build: the harness sets it aside first, as it does for Hugo's caches."""
    compare = _compare_module()
    bench = compare.Bench(tmp_path, 20, Path(sys.executable), None, None)
    src = bench.project("awsnotes")
    (src / ".cache" / "render").mkdir(parents=True)
    (src / ".cache" / "notes.json").write_text("{}")
    seen: list[tuple[str, bool]] = []
    bench.record = lambda tool, scenario, rnd, cmd, cwd, *rest, **kw: seen.append(
        (scenario, (cwd / ".cache").exists())
    )
    bench.ours_cold(0, 20)
    assert seen == [("cold", False)]
    assert [p.name for p in (tmp_path / "trash").iterdir()] == ["1-.cache"]


def test_peer_targets_need_the_median_round_ratio_too() -> None:
    """4.1 s vs 1.0 s on the medians, but per round 4.10, 3.90 and 3.75: not met; the
    report shows the per-round median and range."""
    compare = _compare_module()

    def run(tool: str, rnd: int, wall: float, ok: bool = True) -> Any:
        return compare.Run(tool, "cold", 20, rnd, wall, wall, 1, 1, ok)

    def pelican_row(peer_walls: list[float]) -> str:
        runs = [run("awsnotes-site", i, w) for i, w in enumerate([1.0, 1.0, 1.2])]
        runs += [run("pelican", i, w) for i, w in enumerate(peer_walls)]
        runs.append(run("pelican", 3, 9.9, ok=False))  # no pair: left out
        text = compare.report([], runs, 20, None, 3, True)
        return next(line for line in text.splitlines() if "than Pelican" in line)

    assert compare.round_ratios(
        [run("awsnotes-site", 0, 2.0), run("pelican", 0, 9.0), run("pelican", 1, 8.0)],
        "pelican",
        20,
    ) == [4.5]
    row = pelican_row([4.1, 3.9, 4.5])
    assert "(4.10× faster; per round: median 3.90×, 3.75–4.10×)" in row
    assert "**not met**" in row.split("|")[3]
    row = pelican_row([4.1, 4.2, 5.0])
    assert "per round: median 4.17×" in row and "**met**" in row.split("|")[3]


def test_timed_runs_are_not_sampled_and_memory_runs_are(tmp_path: Path) -> None:
    """A timed run leaves the machine to the build (no memory sampling, which costs the
    harness ~5 ms of CPU per sample); a memory run sees the tree's peak; both get the
    largest process's max RSS from the kernel."""
    compare = _compare_module()
    child = [
        sys.executable,
        "-c",
        "import time; x = bytearray(96 << 20); x[::4096] = b'1' * len(x[::4096]); time.sleep(0.5)",
    ]
    wall, cpu, rss, tree, code = compare.measure(child, tmp_path, _env(), tmp_path / "t.log")
    assert code == 0 and wall >= 0.5 and cpu > 0
    assert rss >= 96 << 10 and tree == 0
    wall, cpu, rss, tree, code = compare.measure(
        child, tmp_path, _env(), tmp_path / "m.log", sample_memory=True
    )
    assert code == 0 and rss >= 96 << 10
    if Path("/proc/self/smaps_rollup").exists():
        assert tree >= 96 << 10


def test_a_build_past_its_timeout_is_killed(tmp_path: Path) -> None:
    compare = _compare_module()
    child = [sys.executable, "-c", "import time; time.sleep(120)"]
    wall, _, _, _, code = compare.measure(child, tmp_path, _env(), tmp_path / "t.log", timeout=0.5)
    assert code == -9 and wall < 60


def test_times_come_from_timed_runs_and_memory_from_memory_runs() -> None:
    compare = _compare_module()

    def run(tool: str, rnd: int, wall: float, tree: int, memory: bool) -> Any:
        return compare.Run(
            tool, "cold", 20, rnd, wall, wall, 100 << 10, tree, True, memory_run=memory
        )

    runs = [
        run("awsnotes-site", 0, 1.0, 0, False),
        run("awsnotes-site", 1, 1.2, 0, False),
        run("awsnotes-site", 0, 9.0, 300 << 10, True),
        run("pelican", 0, 4.4, 0, False),
        run("pelican", 1, 4.8, 0, False),
        run("pelican", 0, 1.0, 80 << 10, True),
    ]
    s = compare.summarize(runs)[("awsnotes-site", "cold", 20)]
    assert (s.n, s.wall, s.rss_mib, s.tree_mib) == (2, 1.1, 100, 300)
    assert compare.round_ratios(runs, "pelican", 20) == [4.4, 4.0]
    no_memory = compare.summarize([r for r in runs if not r.memory_run])
    assert no_memory[("pelican", "cold", 20)].tree_mib is None


def test_autogroup_nice_tolerates_missing_or_empty_proc_file(tmp_path: Path) -> None:
    """CI containers can have an empty /proc/self/autogroup: that must not stop the bench."""
    compare = _compare_module()
    proc = tmp_path / "autogroup"
    assert compare.autogroup_nice(proc) == ""  # missing
    for text in ("", "\n", "garbage"):
        proc.write_text(text)
        assert compare.autogroup_nice(proc) == "", repr(text)
    proc.write_text("/autogroup-351 nice -20\n")
    assert compare.autogroup_nice(proc) == "-20"


def _corpus_module() -> Any:
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_corpus", BENCH / "corpus.py")
    assert spec is not None and spec.loader is not None
    corpus = importlib.util.module_from_spec(spec)
    sys.modules["bench_corpus"] = corpus
    spec.loader.exec_module(corpus)
    return corpus


def test_the_small_blog_has_the_shape_of_issue_22() -> None:
    """271 images (PNG screenshots 1200-2400 px wide, a few JPEG photos, a GIF, an SVG)
    and 450 code blocks in 13 languages shared out among 53 notes, the same each run."""
    corpus = _corpus_module()
    images = corpus.small_images()
    assert images == corpus.small_images() and len(images) == 271
    kinds = [img.kind for img in images]
    assert (kinds.count("gif"), kinds.count("svg"), kinds.count("jpeg")) == (1, 1, 10)
    assert all(1200 <= img.width <= 2400 for img in images if img.kind == "png")
    assert len({img.name for img in images}) == 271
    rng = corpus.random.Random(5)
    cuts = corpus._shares(450, 53, rng)
    assert cuts[0] == 0 and cuts[-1] == 450 and cuts == sorted(cuts) and len(cuts) == 54
    body = corpus.small_note_markdown(3, ["python", "hcl", "sql"], images[:4], 1)
    fences = re.findall(r"^```(\w+)$", body, re.M)
    assert sorted(fences) == ["hcl", "python", "sql"]
    assert body.count("](/static/img/blog/") == 4
    for lang in corpus.SMALL_LANGS:
        code = corpus.small_code_block(rng, lang, 1)
        assert 5 <= len(code.splitlines()) <= 25


def test_the_small_blog_cold_build_keeps_only_the_image_variants(tmp_path: Path) -> None:
    """The small blog's cold build starts with .cache/images/ (the variants) and nothing
    else of the last build: no output folder, no page or render caches."""
    compare = _compare_module()
    bench = compare.Bench(tmp_path, 20, Path(sys.executable), None, None)
    src = tmp_path / "small-blog" / "awsnotes"
    for name in ("images", "render", "jinja"):
        (src / ".cache" / name).mkdir(parents=True)
    (src / ".cache" / "notes.json").write_text("{}")
    seen: list[tuple[str, list[str]]] = []
    bench.record = lambda tool, scenario, rnd, cmd, cwd, *rest, **kw: seen.append(
        (scenario, sorted(p.name for p in (cwd / ".cache").iterdir()))
    )
    compare.small_ours(bench, 0)
    assert seen == [("small cold", ["images"]), ("small no-change", ["images"])]


def test_the_small_blog_report_gives_ratios_to_hugo_and_the_targets() -> None:
    compare = _compare_module()
    notes = 53

    def run(tool: str, scenario: str, wall: float, cpu: float) -> Any:
        return compare.Run(tool, scenario, notes, 0, wall, cpu, 1, 0, True, notes)

    runs = [
        run("awsnotes-site", "small cold", 0.9, 1.2),
        run("awsnotes-site", "small no-change", 0.12, 0.1),
        run("hugo", "small cold", 1.0, 1.5),
    ]
    text = compare.small_report(runs, 0.05, 1)
    assert "| awsnotes-site | small cold | 0.90 (0.90-0.90) | 1.20 | 0.90x | 0.80x |" in text
    assert "| cold <= 1.0x Hugo (wall) | 0.90x | yes |" in text
    assert "| no-change <= 0.15 s | 0.120 s | yes |" in text
    assert "| `--version` <= 0.1 s (median of 20) | 0.050 s | yes |" in text


def test_render_bench_ab_edit_and_stage_times_run_on_a_small_corpus(tmp_path: Path) -> None:
    """The per-stage and A/B scripts still fit the pipeline: the Markdown benchmark
    renders every published note (and the same digests twice), the A/B runs edit and
    cold rounds of two trees, and the stage timer reports the build's stages."""
    corpus = tmp_path / "c"
    made = _run(str(BENCH / "corpus.py"), "--notes", "12", "--out", str(corpus))
    assert made.returncode == 0, made.stderr
    digests = [tmp_path / "a.txt", tmp_path / "b.txt"]
    for digest in digests:
        r = _run(
            str(BENCH / "render_bench.py"), str(corpus), "--runs", "1", "--digest", str(digest)
        )
        assert r.returncode == 0, r.stderr
        assert re.search(r"^12 notes, CPU s per run: [0-9.]+; median [0-9.]+$", r.stdout, re.M)
    lines = digests[0].read_text(encoding="utf-8").splitlines()
    assert len(lines) == 12 and digests[1].read_text(encoding="utf-8").splitlines() == lines
    src = str(ROOT / "src")
    for mode in ([], ["--cold", "--keep-images"]):
        r = _run(str(BENCH / "ab_edit.py"), str(corpus), "--rounds", "1", *mode, src, src)
        assert r.returncode == 0, r.stderr
        assert len(re.findall(r"wall +\d+ ms +cpu +\d+ ms", r.stdout)) == 2, r.stdout
    r = subprocess.run(
        [sys.executable, str(BENCH / "stage_times.py"), "build", "-o", str(tmp_path / "out")],
        cwd=corpus,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
        encoding="utf-8",
    )
    assert r.returncode == 0, r.stderr
    assert re.search(r"^ +[0-9.]+ ms +PageRenderer\.render$", r.stderr, re.M), r.stderr
    assert (tmp_path / "out" / "index.html").is_file()
