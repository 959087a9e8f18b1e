"""Incremental builds of a long series: a title edit rewrites only the pages whose series
window shows the note (and the series page that lists it), and after adds, deletes,
renames and moves inside the series the cached build equals a cold build byte for byte."""

from __future__ import annotations

import shutil
from pathlib import Path

from sitefactory import make_project
from test_cache import all_files, cli, mtimes
from test_series import series_notes

NAME = "긴 시리즈"


def build_and_compare(project: Path, cold: Path) -> dict[str, bytes]:
    """Build with the cache, then cold into COLD: the two must be identical."""
    proc = cli(project)
    assert proc.returncode == 0, proc.stderr
    shutil.rmtree(cold, ignore_errors=True)
    proc = cli(project, "--no-cache", "--output", str(cold))
    assert proc.returncode == 0, proc.stderr
    warm = all_files(project / "public")
    assert warm.keys() == all_files(cold).keys()
    for path, data in all_files(cold).items():
        assert warm[path] == data, path
    return warm


def note_pages(paths: set[str]) -> set[str]:
    return {p for p in paths if p.startswith("posts/part-") and p.endswith("/index.html")}


def test_title_edit_rewrites_only_the_notes_whose_window_shows_it(tmp_path: Path) -> None:
    project = make_project(tmp_path, series_notes(NAME, 25), shipped=False)
    assert cli(project).returncode == 0
    public = project / "public"
    before = mtimes(public)
    note = project / "content" / "posts" / "part-0012.md"
    note.write_text(
        note.read_text(encoding="utf-8").replace(f"{NAME} 12편", f"{NAME} 12편 (고침)"),
        encoding="utf-8",
    )
    warm = build_and_compare(project, tmp_path / "cold")
    after = mtimes(public)
    rewritten = {p for p in after if after[p] != before.get(p)}
    assert note_pages(rewritten) == {f"posts/part-{i:04d}/index.html" for i in range(7, 18)}
    series = "series/긴-시리즈/"
    assert f"{series}page/2/index.html" in rewritten  # lists parts 11-20
    assert f"{series}index.html" not in rewritten
    assert f"{series}page/3/index.html" not in rewritten
    for i in range(7, 18):
        assert f"{NAME} 12편 (고침)".encode() in warm[f"posts/part-{i:04d}/index.html"]


def test_cached_build_equals_cold_build_after_changes_in_a_series(tmp_path: Path) -> None:
    project = make_project(tmp_path, series_notes(NAME, 25), shipped=False)
    assert cli(project).returncode == 0
    posts = project / "content" / "posts"
    cold = tmp_path / "cold"
    # add one at the end and one in the middle (same weight as part 12, after it by path)
    (posts / "part-0026.md").write_text(
        series_notes(NAME, 26)["posts/part-0026.md"], encoding="utf-8"
    )
    (posts / "part-0012b.md").write_text(
        series_notes(NAME, 12)["posts/part-0012.md"].replace("12편", "12.5편"), encoding="utf-8"
    )
    warm = build_and_compare(project, cold)
    assert b"13 / 27" in warm["posts/part-0012b/index.html"]
    assert b'value="27"' in warm["posts/part-0001/index.html"]  # the last note's place
    # delete one near the start: every position after it moves
    (posts / "part-0003.md").unlink()
    warm = build_and_compare(project, cold)
    assert "posts/part-0003/index.html" not in warm
    assert b"3 / 26" in warm["posts/part-0004/index.html"]
    # rename the first note's file: every box that links to it as the first note changes
    (posts / "part-0001.md").rename(posts / "first.md")
    warm = build_and_compare(project, cold)
    assert b'href="/posts/first/"' in warm["posts/part-0020/index.html"]
    # move a note to the end by its weight: it becomes the last note
    moved = posts / "part-0015.md"
    moved.write_text(
        moved.read_text(encoding="utf-8").replace("weight = 15", "weight = 99"), encoding="utf-8"
    )
    warm = build_and_compare(project, cold)
    assert b'href="/posts/part-0015/"' in warm["posts/part-0002/index.html"]  # as the last
    # rename the series in every note
    for path in posts.glob("*.md"):
        path.write_text(
            path.read_text(encoding="utf-8").replace(f'["{NAME}"]', '["새 이름"]'),
            encoding="utf-8",
        )
    warm = build_and_compare(project, cold)
    assert "series/새-이름/page/2/index.html" in warm
    assert not any(p.startswith("series/긴-시리즈/") for p in warm)
