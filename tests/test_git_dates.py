"""``lastmod = "git"``: a note's last modified date comes from its last commit, shown on
the page and in the sitemap; Korean file names work (core.quotepath)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from helpers import parse_html
from sitefactory import DEFAULT_CONFIG, make_project


def git(cwd: Path, *args: str, date: str | None = None) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def test_lastmod_from_git_with_korean_file_name(tmp_path: Path) -> None:
    note = '+++\ntitle = "깃 날짜"\ndate = 2023-01-01\n+++\n본문\n'
    project = make_project(
        tmp_path,
        {"posts/한글 노트.md": note},
        config=DEFAULT_CONFIG + 'lastmod = "git"\n',
        shipped=False,
    )
    git(project, "init", "-q")
    git(project, "add", ".")
    git(project, "commit", "-qm", "first", date="2024-05-06T07:08:09+09:00")
    proc = subprocess.run(
        [sys.executable, "-m", "awsnotes_site", "build", "--source", str(project)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    page = parse_html(project / "public" / "posts" / "한글-노트" / "index.html")
    times = [t.get("datetime") for t in page.find_all("time")]
    assert any(str(t).startswith("2024-05-06T07:08:09") for t in times), times
    assert "2024년 5월 6일" in page.norm_text()
    sitemap = (project / "public" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<lastmod>2024-05-06</lastmod>" in sitemap
