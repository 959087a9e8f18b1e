"""Hostile input: front matter is escaped wherever it is printed; nothing is written
outside the output folder whatever a slug, tag or file name says."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from helpers import parse_html
from sitefactory import make_project

EVIL_TITLE = '</title><script>alert("x")</script><b>굵게</b>'
EVIL_NOTE = f"""+++
title = '{EVIL_TITLE}'
description = "\\"><script>alert(2)</script>"
tags = ["</script><script>alert(3)</script>", "../../../escape", "..", "a/b\\\\c"]
series = ["<img src=x onerror=alert(4)>"]
+++

본문 </script> 입니다.
"""


def run(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "awsnotes_site", "build", "--source", str(project)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=300,
        env={**os.environ, "PYTHONUTF8": "1"},
    )


def test_front_matter_is_escaped_everywhere(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"posts/evil.md": EVIL_NOTE}, shipped=False)
    proc = run(project)
    assert proc.returncode == 0, proc.stderr
    public = project / "public"
    for page in public.rglob("*.html"):
        doc = parse_html(page)
        for script in doc.find_all("script"):
            assert "alert" not in script.text(), f"{page}: injected script"
        for el in doc.iter():
            assert not any(k.startswith("on") for k in el.attrs), f"{page}: {el}"
        assert not doc.find_all("img", src="x")
    note = parse_html(public / "posts" / "evil" / "index.html")
    assert note.get_by_id("note-title").norm_text() == EVIL_TITLE
    assert note.find("meta", name="description")["content"] == '"><script>alert(2)</script>'
    assert EVIL_TITLE in (note.title or "")
    for feed in ("atom.xml", "index.xml", "sitemap.xml"):
        text = (public / feed).read_text(encoding="utf-8")
        assert "<script>" not in text
    for index in (public / "search-index.json", *(public / "search-index").iterdir()):
        text = index.read_text(encoding="utf-8")
        json.loads(text)
        assert "</script" not in text.lower()


def test_nothing_is_written_outside_the_output_folder(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"posts/evil.md": EVIL_NOTE}, shipped=False)
    before = {p for p in tmp_path.rglob("*") if "public" not in p.parts and ".cache" not in p.parts}
    proc = run(project)
    assert proc.returncode == 0, proc.stderr
    after = {p for p in tmp_path.rglob("*") if "public" not in p.parts and ".cache" not in p.parts}
    assert after == before
    public = (project / "public").resolve()
    for path in public.rglob("*"):
        assert path.resolve().is_relative_to(public)
    tag_dirs = sorted(p.name for p in (public / "tags").iterdir() if p.is_dir())
    assert all(".." not in name and "/" not in name for name in tag_dirs)


def test_staged_files_cannot_leave_the_staging_folder(tmp_path: Path) -> None:
    """The publisher resolves each output folder once: a path that climbs out, an
    absolute path, a name of "..", or a folder that is a symlink to elsewhere is refused;
    ordinary nested paths land inside."""
    import pytest

    from awsnotes_site.diagnostics import BuildError
    from awsnotes_site.publish import _Stager

    stage = tmp_path / "stage"
    stage.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (stage / "linked").symlink_to(outside, target_is_directory=True)
    writer = _Stager(stage.resolve(), tmp_path / "public", frozenset(), None)
    for rel in ("../x.html", "a/../../x.html", "/etc/x.html", "a/..", "linked/x.html", "."):
        with pytest.raises(BuildError):
            writer._target(rel)
    for rel in ("index.html", "posts/a/index.html", "posts/a/b.png", "posts/./c.png"):
        target = writer._target(rel)
        assert target.parent.is_dir() and target.resolve().is_relative_to(stage.resolve())
    assert list(outside.iterdir()) == []
