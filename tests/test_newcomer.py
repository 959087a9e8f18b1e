"""A newcomer's mistakes, each with one clear message and nothing created or changed:
no site.toml, a missing -s folder, no content/, a placeholder or loopback base_url, a
CP949 note (the hint's command is run and really converts the file), drafts, plurals."""

from __future__ import annotations

import hashlib
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from awsnotes_site.commands.build import drafts_line, summary
from awsnotes_site.config import PLACEHOLDER_BASE_URL, base_url_warning
from helpers import describe_process, parse_html, run_cli
from sitefactory import DEFAULT_CONFIG, ROOT, make_project

NOTE = '+++\ntitle = "한 노트"\ndate = 2024-01-02\n+++\n\n본문.\n'


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, cwd=cwd)


def snapshot(folder: Path) -> dict[str, str]:
    """Every path under FOLDER with a digest of each file: equal snapshots, nothing
    created, removed or changed."""
    return {
        p.relative_to(folder).as_posix(): (
            hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
        )
        for p in sorted(folder.rglob("*"))
    }


# -- no site.toml -----------------------------------------------------------------------
@pytest.mark.parametrize("command", ["build", "serve", "check", "new"])
def test_no_site_toml_is_one_error_that_says_how_to_start(tmp_path: Path, command: str) -> None:
    """A folder of notes without site.toml (or any other folder): one error naming
    site.toml and `awsnotes-site init`; no .cache/, no public/, nothing else."""
    (tmp_path / "content" / "posts").mkdir(parents=True)
    (tmp_path / "content" / "posts" / "a.md").write_text(NOTE, encoding="utf-8")
    before = snapshot(tmp_path)
    args = [command, "posts/b.md"] if command == "new" else [command]
    proc = cli(*args, cwd=tmp_path)
    assert proc.returncode == 2, describe_process(proc)
    errors = [line for line in proc.stderr.splitlines() if ": error: " in line]
    assert errors == [
        f"site.toml: error: no site.toml in this folder ({tmp_path}): not an awsnotes-site site"
    ], proc.stderr
    assert "awsnotes-site init" in proc.stderr
    assert proc.stdout == ""
    assert snapshot(tmp_path) == before


def test_build_run_from_inside_content_creates_nothing_there(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    posts = project / "content" / "posts"
    before = snapshot(project)
    proc = cli("build", cwd=posts)
    assert proc.returncode == 2 and "no site.toml in this folder" in proc.stderr
    assert snapshot(project) == before
    assert not (posts / ".cache").exists()


# -- -s to a folder that is not there ---------------------------------------------------
@pytest.mark.parametrize("command", ["build", "serve", "check", "new"])
def test_source_folder_missing_is_an_error_and_is_not_created(tmp_path: Path, command: str) -> None:
    missing = tmp_path / "typo" / "site"
    args = [command, "posts/b.md"] if command == "new" else [command]
    proc = cli(*args, "-s", str(missing), cwd=tmp_path)
    assert proc.returncode == 2, describe_process(proc)
    assert proc.stderr.startswith(f"{missing}: error: no such folder\n"), proc.stderr
    assert f"awsnotes-site init {missing}" in proc.stderr
    assert list(tmp_path.iterdir()) == []


# -- no content/ ------------------------------------------------------------------------
@pytest.mark.parametrize("command", ["build", "serve", "check"])
def test_no_content_folder_is_an_error(tmp_path: Path, command: str) -> None:
    (tmp_path / "site.toml").write_text(DEFAULT_CONFIG, encoding="utf-8")
    before = snapshot(tmp_path)
    proc = cli(command, "-s", str(tmp_path), cwd=tmp_path)
    assert proc.returncode == 2, describe_process(proc)
    assert f"{tmp_path / 'content'}: error: no content/ folder beside site.toml" in proc.stderr
    assert "awsnotes-site new posts/" in proc.stderr
    assert snapshot(tmp_path) == before


def test_new_makes_content_in_a_site_without_it(tmp_path: Path) -> None:
    (tmp_path / "site.toml").write_text(DEFAULT_CONFIG, encoding="utf-8")
    proc = cli("new", "posts/첫-노트.md", cwd=tmp_path)
    assert proc.returncode == 0, describe_process(proc)
    assert (tmp_path / "content" / "posts" / "첫-노트.md").is_file()


# -- base_url ---------------------------------------------------------------------------
def test_shipped_site_toml_build_warns_that_base_url_is_loopback(tmp_path: Path) -> None:
    """The repository's site.toml keeps 127.0.0.1 (so `serve` and the tests' local builds
    work), and a plain `build` says so, naming the key; the Pages workflow passes
    --base-url, which silences it."""
    project = make_project(tmp_path, config=(ROOT / "site.toml").read_text(encoding="utf-8"))
    proc = cli("build", cwd=project)
    assert proc.returncode == 0, describe_process(proc)
    assert (
        "site.toml: warning: base_url 'http://127.0.0.1:1313/' is a loopback address" in proc.stderr
    ), proc.stderr
    assert "--base-url" in proc.stderr
    real = cli("build", "--base-url", "https://someone.github.io/notes/", cwd=project)
    assert real.returncode == 0, describe_process(real)
    assert "base_url" not in real.stderr
    canonical = parse_html(project / "public" / "posts" / "aws-network-2" / "index.html").find(
        "link", rel="canonical"
    )
    assert canonical is not None
    assert canonical.get("href") == "https://someone.github.io/notes/posts/aws-network-2/"


def test_placeholder_base_url_warns_and_a_real_one_does_not(tmp_path: Path) -> None:
    config = DEFAULT_CONFIG.replace("http://127.0.0.1:1313/", PLACEHOLDER_BASE_URL)
    project = make_project(tmp_path, config=config, shipped=False, notes={"a.md": NOTE})
    proc = cli("build", cwd=project)
    assert proc.returncode == 0, describe_process(proc)
    assert (
        f"site.toml: warning: base_url is still the placeholder '{PLACEHOLDER_BASE_URL}'"
        in proc.stderr
    )
    (project / "site.toml").write_text(
        config.replace(PLACEHOLDER_BASE_URL, "https://someone.github.io/notes/"), encoding="utf-8"
    )
    again = cli("build", cwd=project)
    assert again.returncode == 0 and "warning" not in again.stderr, describe_process(again)


@pytest.mark.parametrize(
    ("url", "warned"),
    [
        ("http://127.0.0.1:1313/", True),
        ("http://127.8.0.1/", True),
        ("http://localhost:8000/notes/", True),
        ("http://[::1]:1313/", True),
        ("http://0.0.0.0/", True),
        (PLACEHOLDER_BASE_URL, True),
        ("https://someone.github.io/notes/", False),
        ("https://notes.example.com/", False),
        ("http://192.168.0.10/", False),
        ("/", False),
    ],
)
def test_which_base_urls_are_warned_about(url: str, warned: bool) -> None:
    diag = base_url_warning(url)
    assert (diag is not None) is warned
    if diag is not None:
        assert diag.path == "site.toml" and not diag.is_error and "base_url" in diag.message


# -- counts ------------------------------------------------------------------------------
def test_built_one_note_is_singular(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    proc = cli("build", cwd=project)
    assert proc.returncode == 0, describe_process(proc)
    assert re.match(r"built 1 note, \d+ pages, \d+ files \(", proc.stdout), proc.stdout
    two = make_project(tmp_path / "two", notes={"a.md": NOTE})
    proc = cli("build", cwd=two)
    assert re.match(r"built 2 notes, ", proc.stdout), proc.stdout


def test_summary_and_drafts_lines() -> None:
    assert summary(1, 1, 1, 1, 0) == "built 1 note, 1 page, 1 file (1 written, 0 unchanged)"
    assert summary(0, 2, 3, 0, 3) == "built 0 notes, 2 pages, 3 files (0 written, 3 unchanged)"
    assert drafts_line(0) is None
    assert drafts_line(1) == "1 draft note was not built (draft = true); build them with --drafts"
    assert drafts_line(3) == "3 draft notes were not built (draft = true); build them with --drafts"


# -- new writes a published note ----------------------------------------------------------
def test_new_note_is_published_by_the_next_build(tmp_path: Path) -> None:
    project = make_project(tmp_path, shipped=False)
    proc = cli("new", "posts/서브넷-정리.md", cwd=project)
    assert proc.returncode == 0, describe_process(proc)
    text = (project / "content" / "posts" / "서브넷-정리.md").read_text(encoding="utf-8")
    assert "draft = true" not in text and "draft = false" in text
    built = cli("build", cwd=project)
    assert built.returncode == 0, describe_process(built)
    assert built.stdout.startswith("built 1 note, ")
    page = parse_html(project / "public" / "posts" / "서브넷-정리" / "index.html")
    title = page.get_by_id("note-title")
    assert title is not None and title.norm_text() == "서브넷 정리"


# -- CP949 --------------------------------------------------------------------------------
def test_cp949_hint_command_really_converts_the_file(tmp_path: Path) -> None:
    """The hint's command, run as printed in the site folder, replaces the note with its
    UTF-8 text (no second file left beside it), and the site then builds."""
    name = "posts/옛 노트 (cp949).md"
    project = make_project(tmp_path, shipped=False)
    note = project / "content" / name
    note.parent.mkdir(parents=True, exist_ok=True)
    text = '+++\ntitle = "한글 노트"\ndate = 2023-03-01\n+++\n\n엔드포인트를 정리한다.\n'
    note.write_bytes(text.encode("cp949"))
    proc = cli("build", cwd=project)
    assert proc.returncode == 1
    assert f"content/{name}:2: error: file is not UTF-8; it looks like CP949/EUC-KR" in proc.stderr
    m = re.search(r"hint: convert it in place: (.+)$", proc.stderr, re.MULTILINE)
    assert m, proc.stderr
    command = m.group(1)
    assert shlex.split(command)[:3] == ["iconv", "-f", "CP949"]
    ran = subprocess.run(
        ["sh", "-c", command], cwd=project, capture_output=True, text=True, check=False
    )
    assert ran.returncode == 0, ran.stderr
    assert note.read_text(encoding="utf-8") == text
    assert sorted(p.name for p in note.parent.iterdir()) == [note.name]
    built = cli("build", cwd=project)
    assert built.returncode == 0, describe_process(built)


def test_build_says_how_many_drafts_it_left_out(tmp_path: Path) -> None:
    """A draft is never skipped silently: build names the count and --drafts; with
    --drafts the draft is built and the line is gone."""
    draft = NOTE.replace("+++\n\n", "draft = true\n+++\n\n", 1)
    notes = {"posts/a.md": NOTE, "posts/b.md": draft, "posts/c.md": draft}
    project = make_project(tmp_path, notes=notes, shipped=False)
    proc = cli("build", cwd=project)
    assert proc.returncode == 0, describe_process(proc)
    assert "built 1 note, " in proc.stdout, proc.stdout
    wanted = "2 draft notes were not built (draft = true); build them with --drafts"
    assert wanted in proc.stdout + proc.stderr
    assert not (project / "public" / "posts" / "b" / "index.html").exists()
    proc = cli("build", "--drafts", cwd=project)
    assert proc.returncode == 0, describe_process(proc)
    assert "built 3 notes, " in proc.stdout, proc.stdout
    assert "draft note" not in proc.stdout + proc.stderr
