"""``serve``'s rebuild after notes edited in place (pipeline/edit.py): only the pages that
used an edited note's body (or, when its summary or reading time changed, that list it)
are rendered again, and every file equals a cold build of the same tree; any other change
falls back to the full build."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from awsnotes_site.pipeline import Builder, BuildOptions, BuildResult
from awsnotes_site.serve.project import ProjectBuilder
from sitefactory import make_project, many_notes

BASE = "http://127.0.0.1:1313/notes/"
CONFIG = """\
title = "편집 시험"
description = "제자리 편집"
author = "tester"
language = "ko"
base_url = "https://example.com/notes/"
paginate = 5
timezone = "Asia/Seoul"

[images]
enabled = false
"""
LINKED = """+++
title = "링크가 있는 노트"
date = 2024-03-01
tags = ["대량", "링크"]
series = ["편집 연재"]
+++

첫 문단. 요약이 되는 문장이다. {long}

둘째 문단에 [대량 노트 1](../../bulk/note-001/)로 가는 링크가 있다.

```python
print("코드 블록")
```

마지막 문단.
""".replace("{long}", "목록에는 글의 앞부분만 요약으로 나온다. " * 12)
BROKEN = """+++
title = "깨진 링크 노트"
date = 2024-03-02
+++

첫 문단.

[없는 곳](../nowhere/)으로 가는 링크.
"""
NOTE = "content/posts/linked.md"
PAGE = "posts/linked/index.html"


def cold(project: Path, base_url: str) -> BuildResult:
    options = BuildOptions(base_url=base_url, use_cache=False, save_cache=False)
    return Builder(project, options).build()


def same_as_cold(result: BuildResult, project: Path) -> None:
    fresh = cold(project, result.config.base_url)
    assert sorted(result.files) == sorted(fresh.files)
    differ = [p for p in fresh.files if result.files[p] != fresh.files[p]]
    assert differ == []
    assert sorted(result.static) == sorted(fresh.static)
    assert [d.format() for d in result.diagnostics] == [d.format() for d in fresh.diagnostics]
    # what the next builds and `check` work from: every note's facts (links and lines)
    assert [(v.note.rel, v.facts) for v in result.notes] == [
        (v.note.rel, v.facts) for v in fresh.notes
    ]


class Site:
    """A built project and its preview builder (no dataclass: a failing test's report
    would print the whole result, every note view linked to the next)."""

    def __init__(self, project: Path, builder: ProjectBuilder, last: BuildResult) -> None:
        self.project, self.builder, self.last = project, builder, last


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    notes = {**many_notes(12), "posts/linked.md": LINKED, "posts/broken.md": BROKEN}
    project = make_project(tmp_path, notes, CONFIG, shipped=False, theme=False)
    builder = ProjectBuilder(project, base_url=BASE)
    last = builder.build(frozenset())
    assert not last.stats.quick
    yield Site(project, builder, last)


def rewrite(project: Path, rel: str, old: str, new: str) -> None:
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edited(site: Site, rel: str, old: str, new: str, quick: bool) -> BuildResult:
    """The preview's build after ``old`` became ``new`` in ``rel``: by the quick path or
    not, as ``quick`` says, and every file as a cold build has it."""
    rewrite(site.project, rel, old, new)
    result = site.builder.build(frozenset({rel}))
    assert result.stats.quick is quick
    same_as_cold(result, site.project)
    return result


def test_a_body_edit_renders_only_the_pages_that_show_the_body(site: Site) -> None:
    before = site.last
    result = edited(site, NOTE, "마지막 문단.", "마지막 문단을 고쳤다. 새낱말쿼리.", True)
    assert result.stats.rendered_notes == 1
    changed = sorted(p for p in result.files if result.files[p] != before.files[p])
    assert PAGE in changed
    assert any(p.startswith("search-index/") for p in changed)
    # the body is not on list pages: they are the last build's, as they were
    assert "index.html" not in changed and "tags/대량/index.html" not in changed
    assert "새낱말쿼리" in result.files[PAGE].decode()


def test_moving_links_to_other_lines_keeps_the_quick_path(site: Site) -> None:
    edited(site, NOTE, "둘째 문단에", "새로 넣은 문단이 링크를 아래로 민다.\n\n둘째 문단에", True)


def test_a_new_reading_time_renders_the_lists_again(site: Site) -> None:
    """The summary and reading time are on list pages: they are rendered again too."""
    long = "\n\n" + "긴 문단을 덧붙여 읽는 시간을 늘린다. " * 400 + "\n"
    result = edited(site, NOTE, "마지막 문단.", "마지막 문단." + long, True)
    assert result.files["index.html"] != site.last.files["index.html"]


@pytest.mark.parametrize(
    ("rel", "old", "new"),
    [
        (NOTE, 'title = "링크가 있는 노트"', 'title = "제목을 바꾼 노트"'),  # front matter
        (NOTE, "마지막 문단.", "마지막 문단과 [새 링크](../../bulk/note-002/)."),  # a new link
        (NOTE, "첫 문단.", "첫 문단.\n\n## 새 제목\n\n![그림](nowhere.png)"),  # an image
        ("content/posts/broken.md", "첫 문단.", "첫 문단.\n\n한 줄 밀기."),  # a warning's line
    ],
    ids=["front-matter", "link", "image", "warned-note"],
)
def test_other_edits_build_in_full(site: Site, rel: str, old: str, new: str) -> None:
    edited(site, rel, old, new, False)


def test_a_warned_note_is_reported_at_its_new_line(site: Site) -> None:
    result = edited(
        site, "content/posts/broken.md", "첫 문단.", "첫 문단.\n\n한 줄\n\n두 줄", False
    )
    [warning] = [d for d in result.diagnostics if "nowhere" in d.message]
    assert warning.line == 12


def test_new_or_removed_files_build_in_full(site: Site) -> None:
    project, builder = site.project, site.builder
    added = "content/posts/added.md"
    (project / added).write_text(
        '+++\ntitle = "새 노트"\ndate = 2024-04-01\n+++\n\n본문.\n', encoding="utf-8"
    )
    result = builder.build(frozenset({added}))
    assert not result.stats.quick and "posts/added/index.html" in result.files
    (project / NOTE).unlink()
    result = builder.build(frozenset({NOTE}))
    assert not result.stats.quick and PAGE not in result.files
    same_as_cold(result, project)


HUGO = Path(__file__).parent / "fixtures" / "hugo" / "devlog"


@pytest.mark.parametrize(
    ("rel", "old", "new", "page"),
    [
        (
            "content/posts/linux/systemd.md",
            "명령으로 서비스를 관리한다.",
            "명령으로 서비스를 관리한다. 재부팅해도 유지된다.",
            "linux/systemd-basics/index.html",
        ),
        (  # a section's _index.md: its text is on the section's list page
            "content/posts/_index.md",
            "날짜순으로 모았습니다.",
            "날짜순으로 모았습니다. 새로 덧붙인 안내.",
            "posts/index.html",
        ),
    ],
    ids=["note", "section-index"],
)
def test_a_hugo_site_takes_the_quick_path(
    tmp_path: Path, rel: str, old: str, new: str, page: str
) -> None:
    project = tmp_path / "devlog"
    shutil.copytree(HUGO, project)
    builder = ProjectBuilder(project, base_url=BASE)
    last = builder.build(frozenset())
    result = edited(Site(project, builder, last), rel, old, new, True)
    assert result.files[page] != last.files[page]
    assert new[len(old) :].strip() in result.files[page].decode()
