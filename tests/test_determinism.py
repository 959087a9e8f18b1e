"""Builds are reproducible: same input, same bytes; unchanged files are not rewritten; a
failed build leaves the published output alone.  Also: last-modified dates from git.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from awsnotes_site.content.gitdates import git_lastmod
from helpers import build_site, describe_process
from sitefactory import DEMO_NOTES, make_project

OLD_NS = 1_000_000_000 * 1_000_000_000  # 2001-09-09, far from any build's clock


def snapshot(out: Path) -> dict[str, bytes]:
    assert out.is_dir(), out
    return {
        p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()
    }


def mtimes(out: Path) -> dict[str, int]:
    return {
        p.relative_to(out).as_posix(): p.stat().st_mtime_ns
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


def build_ok(
    out: Path, project: Path, *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    proc = build_site(
        out, "--source", str(project), *args, env=env, **({"cwd": cwd} if cwd else {})
    )
    assert proc.returncode == 0, describe_process(proc)
    return proc


def env_with(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env.update(values)
    return env


def assert_same(a: dict[str, bytes], b: dict[str, bytes]) -> None:
    assert sorted(a) == sorted(b)
    differ = [path for path in a if a[path] != b[path]]
    assert differ == [], f"files differ between builds: {differ}"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "src", DEMO_NOTES)


# -- same input, same bytes -----------------------------------------------------------
def test_two_builds_are_byte_identical(project: Path, tmp_path: Path) -> None:
    cold = tmp_path / "cold"
    build_ok(cold, project, "--no-cache", env=env_with(PYTHONHASHSEED="1"))
    first = snapshot(cold)
    assert "index.html" in first and "posts/vpc-basics/index.html" in first
    # the render cache written by this build, then read by the next one
    build_ok(tmp_path / "warm1", project, env=env_with(PYTHONHASHSEED="2"))
    build_ok(tmp_path / "warm2", project, env=env_with(PYTHONHASHSEED="3"), cwd=tmp_path)
    assert (project / ".cache").exists()
    assert_same(first, snapshot(tmp_path / "warm1"))
    assert_same(first, snapshot(tmp_path / "warm2"))


def test_the_project_folder_does_not_leak_into_the_output(project: Path, tmp_path: Path) -> None:
    moved = tmp_path / "elsewhere" / "다른 폴더"
    shutil.copytree(project, moved)
    build_ok(tmp_path / "a", project, "--no-cache")
    build_ok(tmp_path / "b", moved, "--no-cache")
    a = snapshot(tmp_path / "a")
    assert_same(a, snapshot(tmp_path / "b"))
    for path, data in a.items():
        assert str(tmp_path).encode() not in data, path


@pytest.mark.parametrize("epoch", ["1700000000", "1893456000"])
def test_source_date_epoch_keeps_builds_identical(
    project: Path, tmp_path: Path, epoch: str
) -> None:
    build_ok(tmp_path / "plain", project, "--no-cache", env=env_with())
    build_ok(tmp_path / "e1", project, "--no-cache", env=env_with(SOURCE_DATE_EPOCH=epoch))
    build_ok(tmp_path / "e2", project, env=env_with(SOURCE_DATE_EPOCH=epoch, PYTHONHASHSEED="7"))
    plain = snapshot(tmp_path / "plain")
    assert_same(plain, snapshot(tmp_path / "e1"))  # every note is dated before the epoch
    assert_same(plain, snapshot(tmp_path / "e2"))


def test_source_date_epoch_decides_what_is_published(project: Path, tmp_path: Path) -> None:
    # 2023-03-05: after vpc-basics (03-01), before nat-gateway (03-12)
    epoch = str(int(dt.datetime(2023, 3, 5, tzinfo=dt.timezone.utc).timestamp()))
    build_ok(tmp_path / "a", project, "--no-cache", env=env_with(SOURCE_DATE_EPOCH=epoch))
    build_ok(tmp_path / "b", project, "--no-cache", env=env_with(SOURCE_DATE_EPOCH=epoch))
    a = snapshot(tmp_path / "a")
    assert_same(a, snapshot(tmp_path / "b"))
    assert "posts/vpc-basics/index.html" in a
    assert "posts/nat-gateway/index.html" not in a


# -- rebuilding into the same folder --------------------------------------------------
def test_rebuild_does_not_rewrite_unchanged_files(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    build_ok(out, project)
    for path in out.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(OLD_NS, OLD_NS))
    before = snapshot(out)
    build_ok(out, project)
    assert set(mtimes(out).values()) == {OLD_NS}
    assert_same(before, snapshot(out))

    note = project / "content" / "posts" / "security-groups.md"
    note.write_text(note.read_text(encoding="utf-8") + "\n덧붙인 문단.\n", encoding="utf-8")
    build_ok(out, project)
    after = mtimes(out)
    rewritten = {path for path, ns in after.items() if ns != OLD_NS}
    assert "posts/security-groups/index.html" in rewritten
    # the note's search shard only: the manifest and the other shards stay as they were
    assert {p for p in rewritten if p.startswith("search-index")} == {"search-index/00.json"}
    untouched = {path for path in after if path.startswith("static/img/")}
    assert untouched and not untouched & rewritten


def test_failed_build_leaves_the_previous_output_untouched(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    build_ok(out, project)
    before, times = snapshot(out), mtimes(out)
    bad = project / "content" / "posts" / "bad.md"
    bad.write_text('+++\ntitle = "깨진 노트\nshortcode = [\n+++\n본문\n', encoding="utf-8")
    proc = build_site(out, "--source", str(project))
    assert proc.returncode != 0, describe_process(proc)
    assert "content/posts/bad.md" in proc.stderr
    assert_same(before, snapshot(out))
    assert mtimes(out) == times
    leftovers = [p.name for p in out.parent.iterdir() if p.name.startswith(".public")]
    assert leftovers == []
    bad.unlink()
    build_ok(out, project)  # the same site again: nothing to rewrite
    assert mtimes(out) == times


# -- last-modified dates from git -----------------------------------------------------
def _git(repo: Path, *args: str, date: str | None = None) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(repo.parent),
    }
    if date:
        env["GIT_COMMITTER_DATE"] = env["GIT_AUTHOR_DATE"] = date
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "repo"
    posts = root / "content" / "posts"
    posts.mkdir(parents=True)
    _git(root, "init", "-q")
    (posts / "한글 노트.md").write_text("첫 판\n", encoding="utf-8")
    (posts / "plain.md").write_text("one\n", encoding="utf-8")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "first", date="2023-03-01T10:00:00+09:00")
    (posts / "plain.md").write_text("two\n", encoding="utf-8")
    _git(root, "commit", "-q", "-am", "second", date="2023-04-02T08:30:00+00:00")
    (root / "other.txt").write_text("x\n", encoding="utf-8")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "third", date="2024-01-01T00:00:00+00:00")
    return root


def test_git_lastmod_takes_the_newest_commit_per_file(repo: Path) -> None:
    posts = repo / "content" / "posts"
    korean, plain = posts / "한글 노트.md", posts / "plain.md"
    new = posts / "uncommitted.md"
    new.write_text("new\n", encoding="utf-8")
    dates = git_lastmod(repo, [korean, plain, new])
    assert dates == {
        korean: dt.datetime(2023, 3, 1, 10, tzinfo=dt.timezone(dt.timedelta(hours=9))),
        plain: dt.datetime(2023, 4, 2, 8, 30, tzinfo=dt.timezone.utc),
    }
    assert all(d.tzinfo is not None for d in dates.values())


def test_git_lastmod_accepts_relative_paths(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    rel = Path("content/posts/plain.md")
    assert git_lastmod(Path("."), [rel]) == {
        rel: dt.datetime(2023, 4, 2, 8, 30, tzinfo=dt.timezone.utc)
    }


def test_git_lastmod_outside_a_repository_is_empty(tmp_path: Path) -> None:
    note = tmp_path / "plain" / "note.md"
    note.parent.mkdir()
    note.write_text("x\n", encoding="utf-8")
    assert git_lastmod(note.parent, [note]) == {}
    assert git_lastmod(tmp_path / "plain", []) == {}


def test_git_lastmod_without_git_is_empty(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(repo / "no-bin-here"))
    assert git_lastmod(repo, [repo / "content" / "posts" / "plain.md"]) == {}


def test_git_lastmod_over_many_commits_and_files(repo: Path) -> None:
    posts = repo / "content" / "posts"
    for i in range(40):
        (posts / f"n{i:02d}.md").write_text(f"{i}\n", encoding="utf-8")
        _git(repo, "add", "-A")
        _git(repo, "commit", "-q", "-m", f"n{i}", date=f"2024-02-{1 + i % 28:02d}T00:00:{i:02d}Z")
    paths = [posts / f"n{i:02d}.md" for i in range(40)] + [posts / "plain.md"]
    dates = git_lastmod(repo, paths)
    assert len(dates) == 41
    assert dates[posts / "n39.md"] == dt.datetime(2024, 2, 12, 0, 0, 39, tzinfo=dt.timezone.utc)
    assert dates[posts / "plain.md"].year == 2023
