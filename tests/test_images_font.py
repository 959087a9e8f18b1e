"""The share cards' font is looked for once, not on every build: finding it runs
``fc-match`` three times and loads the font with Pillow (~75 ms). It is remembered in
``.cache/images/font.json`` while fc-match, the fontconfig caches and the known font
paths are as they were, and looked for again when one of them changes (a font
installed runs ``fc-cache``, which rewrites the fontconfig caches)."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

from helpers import build_site, describe_process
from sitefactory import make_project, many_notes

CONFIG = 'title = "글꼴 시험"\nbase_url = "https://example.com/"\nlanguage = "ko"\n'


def fc_match_logger(folder: Path, log: Path) -> Path:
    """A folder holding an ``fc-match`` that logs each call and runs the real one (or
    answers nothing where fontconfig is not installed)."""
    real = shutil.which("fc-match")
    folder.mkdir()
    script = folder / "fc-match"
    run = f'exec {real} "$@"' if real else "exit 1"
    script.write_text(f'#!/bin/sh\necho "$@" >> "{log}"\n{run}\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return folder


def test_the_card_font_is_found_once_and_again_when_fonts_change(tmp_path: Path) -> None:
    project = make_project(tmp_path, many_notes(3), CONFIG, shipped=False, theme=False)
    log = tmp_path / "fc-match.log"
    tools = fc_match_logger(tmp_path / "bin", log)
    caches = tmp_path / "xdg-cache"
    caches.mkdir()
    env = {
        **os.environ,
        "PATH": f"{tools}{os.pathsep}{os.environ['PATH']}",
        "XDG_CACHE_HOME": str(caches),
    }

    def build(note: str) -> int:
        """Build after an edit of one note; how many times fc-match ran."""
        with (project / "content" / "bulk" / note).open("a", encoding="utf-8") as fh:
            fh.write("\n덧붙인 문단.\n")
        before = len(log.read_text().splitlines()) if log.exists() else 0
        proc = build_site(project / "public", cwd=project, env=env)
        assert proc.returncode == 0, describe_process(proc)
        return len(log.read_text().splitlines()) - before if log.exists() else 0

    assert build("note-000.md") == 3  # a text-only note needs a card: the font is looked for
    cards = sorted((project / "public").rglob("og.png"))
    assert len(cards) == 3
    assert (project / ".cache" / "images" / "font.json").is_file()
    assert build("note-001.md") == 0  # remembered
    (caches / "fontconfig").mkdir()  # fontconfig's cache changed (fc-cache ran)
    assert build("note-002.md") == 3
    assert build("note-000.md") == 0
