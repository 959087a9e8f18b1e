"""Packaging: ``python -m build`` makes an sdist and a wheel that carry the theme, the
``init`` scaffold, the live-reload client and the assets; the wheel installed into a new
virtualenv outside the repository gives a working ``awsnotes-site``: in an empty folder
``init``, ``build`` and ``check`` succeed and the first note opens in Chromium styled by
the packaged theme."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, Response

from helpers import describe_process, serve_directory

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "awsnotes_site"
NOTE_TITLE = "첫 노트: 공부 노트 사이트 시작하기"
PREFIX = "/REPOSITORY/"  # the path of the base_url init writes

pytestmark = pytest.mark.browser


def run(cmd: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        stdin=subprocess.DEVNULL,
        timeout=900,
        check=False,
    )


def clean_env() -> dict[str, str]:
    """The environment without anything that would let a child import the repository's
    src/ (the installed wheel alone must work)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PYTHONUTF8"] = "1"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def package_data() -> set[str]:
    """The non-Python files the package needs at run time, as paths in the wheel."""
    wanted: set[str] = set()
    for folder in ("theme/templates", "theme/static", "scaffold", "assets"):
        for path in (PACKAGE / folder).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                wanted.add(path.relative_to(PACKAGE.parent).as_posix())
    wanted.add("awsnotes_site/serve/livereload.js")
    return wanted


def build_dists(out: Path) -> tuple[Path, Path]:
    proc = run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)], out.parent, clean_env()
    )
    assert proc.returncode == 0, describe_process(proc)
    wheels, sdists = sorted(out.glob("*.whl")), sorted(out.glob("*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1, sorted(p.name for p in out.iterdir())
    return wheels[0], sdists[0]


def check_contents(wheel: Path, sdist: Path) -> None:
    wanted = package_data()
    assert {"awsnotes_site/theme/templates/note.html", "awsnotes_site/scaffold/site.toml"} <= wanted
    assert "awsnotes_site/theme/static/css/site.css" in wanted
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    assert wanted <= names, sorted(wanted - names)
    with tarfile.open(sdist) as tf:
        in_sdist = {name.split("/", 1)[1] for name in tf.getnames() if "/" in name}
    assert {f"src/{name}" for name in wanted} <= in_sdist, sorted(
        {f"src/{name}" for name in wanted} - in_sdist
    )


def install(wheel: Path, venv: Path) -> Path:
    """A new virtualenv at VENV with WHEEL (and its dependencies) installed; its
    ``awsnotes-site``."""
    env = clean_env()
    made = run([sys.executable, "-m", "venv", str(venv)], venv.parent, env)
    assert made.returncode == 0, describe_process(made)
    pip = run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)], venv, env)
    assert pip.returncode == 0, describe_process(pip)
    where = run(
        [str(venv / "bin" / "python"), "-c", "import awsnotes_site; print(awsnotes_site.__file__)"],
        venv.parent,
        env,
    )
    assert where.returncode == 0, describe_process(where)
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout
    return venv / "bin" / "awsnotes-site"


def open_note(page: Page, url: str, shot: Path) -> None:
    """The first note in Chromium: title shown, stylesheet loaded, styles applied."""
    responses: list[Response] = []

    def seen(response: Response) -> None:
        responses.append(response)

    page.on("response", seen)
    page.goto("about:blank")
    default_font = page.evaluate("getComputedStyle(document.body).fontFamily")
    page.goto(url + "posts/first-note/")
    page.wait_for_load_state("networkidle")
    assert page.title().startswith(NOTE_TITLE), page.title()
    assert page.locator("#note-title").inner_text() == NOTE_TITLE
    css = [r for r in responses if r.url.split("?")[0].endswith("/static/css/site.css")]
    assert [r.status for r in css] == [200], [(r.url, r.status) for r in responses]
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert font != default_font, font
    sheets = page.evaluate("[...document.styleSheets].map(s => s.cssRules.length)")
    assert sheets and max(sheets) > 50, sheets
    page.screenshot(path=str(shot), full_page=True)


def test_the_wheel_installed_in_a_new_virtualenv_makes_builds_and_checks_a_site(
    tmp_path: Path, page: Page
) -> None:
    wheel, sdist = build_dists(tmp_path / "dist")
    check_contents(wheel, sdist)
    tool = install(wheel, tmp_path / "venv")
    work = tmp_path / "empty"
    work.mkdir()
    env = clean_env()
    for args, cwd in (
        (["init", "mynotes"], work),
        (["build"], work / "mynotes"),
        (["check"], work / "mynotes"),
    ):
        proc = run([str(tool), *args], cwd, env)
        assert proc.returncode == 0, describe_process(proc)
    site = work / "mynotes"
    assert sorted(p.name for p in site.iterdir()) == sorted(
        [".cache", ".github", ".gitignore", "content", "public", "site.toml"]
    )
    public = site / "public"
    assert (public / "static" / "css" / "site.css").read_bytes() == (
        PACKAGE / "theme" / "static" / "css" / "site.css"
    ).read_bytes()
    with serve_directory(public, PREFIX) as url:
        open_note(page, url, tmp_path / "first-note.png")
    assert (tmp_path / "first-note.png").stat().st_size > 10_000
