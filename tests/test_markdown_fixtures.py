"""Markdown in, HTML (and diagnostics) out: fixtures/markdown/*.md, read like mdit-py-plugins'.

Each case: title, ``.``, Markdown, ``.``, expected HTML followed by ``!! line: severity:
message`` lines for diagnostics, ``.``. Base path is ``/notes/`` (see markdown_fixture.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it.utils import read_fixture_file

from markdown_fixture import FIXTURES, render_fixture

CASES = [
    pytest.param(path, line, title, text, expected, id=f"{path.stem}:{line}:{title[:40]}")
    for path in sorted(FIXTURES.glob("*.md"))
    for line, title, text, expected in read_fixture_file(path)
]


def test_fixture_files_exist() -> None:
    names = {p.stem for p in FIXTURES.glob("*.md")}
    assert {"shortcodes", "highlight", "figures", "headings", "urls"} <= names
    assert len(CASES) >= 40


@pytest.mark.parametrize(("path", "line", "title", "text", "expected"), CASES)
def test_fixture(path: Path, line: int, title: str, text: str, expected: str) -> None:
    assert render_fixture(text) == expected, f"{path.name}:{line}: {title}"
