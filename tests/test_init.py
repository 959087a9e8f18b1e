"""``awsnotes-site init``: a new site that builds and checks clean, with one published
Korean note, a .gitignore and the Pages workflow; a folder in use is left alone."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from awsnotes_site.config import PLACEHOLDER_BASE_URL, load_config
from helpers import describe_process, parse_html, run_cli
from sitefactory import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FILES = ["site.toml", "content/posts/first-note.md", ".gitignore", ".github/workflows/pages.yml"]


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, cwd=cwd)


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): (
            hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
        )
        for p in sorted(folder.rglob("*"))
    }


def files_of(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_init_writes_the_site_and_prints_the_next_steps(tmp_path: Path) -> None:
    proc = cli("init", "mynotes", cwd=tmp_path)
    assert proc.returncode == 0, describe_process(proc)
    site = tmp_path / "mynotes"
    assert files_of(site) == sorted(FILES)
    config, warnings = load_config(site)
    assert warnings == []
    assert config.language == "ko" and config.timezone == "Asia/Seoul" and config.title
    assert config.base_url == PLACEHOLDER_BASE_URL
    gitignore = (site / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert {"public/", ".cache/"} <= set(gitignore)
    assert (site / ".github" / "workflows" / "pages.yml").read_bytes() == (
        ROOT / ".github" / "workflows" / "pages.yml"
    ).read_bytes()
    note = (site / "content" / "posts" / "first-note.md").read_text(encoding="utf-8")
    front = tomllib.loads(note.split("+++")[1])
    assert front.get("draft", False) is False
    assert front["date"] == dt.datetime.now(ZoneInfo("Asia/Seoul")).date()
    out = proc.stdout
    for step in (
        "cd mynotes",
        "awsnotes-site serve",
        "git push",
        "Settings -> Pages -> Source: GitHub Actions",
        "set base_url",
    ):
        assert step in out, out
    assert proc.stderr == ""


def test_the_new_site_builds_and_checks_and_its_note_is_published(tmp_path: Path) -> None:
    assert cli("init", "mynotes", cwd=tmp_path).returncode == 0
    site = tmp_path / "mynotes"
    built = cli("build", cwd=site)
    assert built.returncode == 0, describe_process(built)
    assert built.stdout.startswith("built 1 note, "), built.stdout
    assert "base_url is still the placeholder" in built.stderr
    page = parse_html(site / "public" / "posts" / "first-note" / "index.html")
    assert page.html is not None and page.html.get("lang") == "ko"
    title = page.get_by_id("note-title")
    assert title is not None and title.norm_text() == "첫 노트: 공부 노트 사이트 시작하기"
    content = page.find("div", class_="note-content")
    assert content is not None
    assert [h.get("id") for h in content.find_all("h2")] == ["노트-쓰기", "미리-보기", "게시하기"]
    assert content.find("code", class_="language-bash") is not None
    assert len(content.find("ul").find_all("li")) == 3
    assert len(content.find("ol").find_all("li")) == 3
    home = parse_html(site / "public" / "index.html")
    assert len(home.find_all("li", class_="note-item")) == 1
    checked = cli("check", cwd=site)
    assert checked.returncode == 0, describe_process(checked)
    assert sorted(p.name for p in site.iterdir()) == sorted(
        [".cache", ".github", ".gitignore", "content", "public", "site.toml"]
    )


def test_init_in_the_current_empty_folder(tmp_path: Path) -> None:
    proc = cli("init", cwd=tmp_path)
    assert proc.returncode == 0, describe_process(proc)
    assert files_of(tmp_path) == sorted(FILES)
    assert "cd " not in proc.stdout


@pytest.mark.parametrize("where", [[], ["."], ["notes"]])
def test_a_folder_that_is_not_empty_is_refused_and_left_alone(
    tmp_path: Path, where: list[str]
) -> None:
    folder = tmp_path / "notes" if where == ["notes"] else tmp_path
    folder.mkdir(exist_ok=True)
    (folder / "README.md").write_text("내 저장소\n", encoding="utf-8")
    before = snapshot(tmp_path)
    proc = cli("init", *where, cwd=tmp_path)
    assert proc.returncode == 2, describe_process(proc)
    assert "is not empty (README.md)" in proc.stderr and "--force" in proc.stderr
    assert proc.stdout == ""
    assert snapshot(tmp_path) == before


def test_force_adds_the_missing_files_and_keeps_the_users(tmp_path: Path) -> None:
    site = tmp_path / "notes"
    (site / "content" / "posts").mkdir(parents=True)
    mine = {
        "site.toml": 'title = "내 사이트"\nbase_url = "https://me.github.io/notes/"\n',
        "README.md": "내 저장소\n",
        "content/posts/first-note.md": '+++\ntitle = "내가 쓴 첫 노트"\n+++\n',
    }
    for rel, text in mine.items():
        (site / rel).write_text(text, encoding="utf-8")
    proc = cli("init", "notes", "--force", cwd=tmp_path)
    assert proc.returncode == 0, describe_process(proc)
    for rel, text in mine.items():
        assert (site / rel).read_text(encoding="utf-8") == text, rel
    assert (site / ".gitignore").is_file() and (site / ".github/workflows/pages.yml").is_file()
    assert "site.toml (already there, kept)" in proc.stdout
    assert "content/posts/first-note.md (already there, kept)" in proc.stdout
    assert files_of(site) == sorted([*FILES, "README.md"])


def test_init_onto_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes").write_text("x", encoding="utf-8")
    proc = cli("init", "notes", "--force", cwd=tmp_path)
    assert proc.returncode == 2 and "is not a folder" in proc.stderr
    assert (tmp_path / "notes").read_text(encoding="utf-8") == "x"
