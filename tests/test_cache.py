"""The build cache is safe: cached output equals a cold build's, and every input change
(note, template, shortcode template, config) reaches exactly what depends on it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from awsnotes_site.pipeline import Builder, BuildOptions
from sitefactory import DEMO_NOTES, make_project

SHORTCODE_NOTE = '+++\ntitle = "숏코드"\ntags = ["AWS"]\n+++\n\n{{< box >}}\n'


def cli(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "awsnotes_site", "build", "--source", str(project), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=300,
        env={**os.environ, "PYTHONUTF8": "1"},
    )


def html_pages(public: Path) -> dict[str, bytes]:
    return {p.relative_to(public).as_posix(): p.read_bytes() for p in public.rglob("*.html")}


def all_files(public: Path) -> dict[str, bytes]:
    return {
        p.relative_to(public).as_posix(): p.read_bytes() for p in public.rglob("*") if p.is_file()
    }


def test_template_edit_reaches_every_page_that_uses_it(tmp_path: Path) -> None:
    project = make_project(tmp_path, DEMO_NOTES)
    assert cli(project).returncode == 0
    before = html_pages(project / "public")
    item = project / "templates" / "_note_item.html"
    item.write_text(
        item.read_text(encoding="utf-8").replace(
            '<li class="note-item">', '<li class="note-item" data-edited="1">'
        ),
        encoding="utf-8",
    )
    assert cli(project).returncode == 0
    after = html_pages(project / "public")
    users = {p for p, data in after.items() if b'class="note-item"' in data}
    assert users >= {"index.html", "posts/index.html", "tags/aws/index.html"}
    for path in users:
        assert b'data-edited="1"' in after[path], path
    for path in after:
        if path.startswith("posts/") and path != "posts/index.html":
            assert after[path] == before[path], f"{path} does not use the template"
    base = project / "templates" / "base.html"
    base.write_text(
        base.read_text(encoding="utf-8").replace("<body ", '<body data-v="2" '), encoding="utf-8"
    )
    assert cli(project).returncode == 0
    for path, data in html_pages(project / "public").items():
        assert b'data-v="2"' in data, path


def test_cached_build_equals_cold_build_after_edits(tmp_path: Path) -> None:
    project = make_project(tmp_path, {**DEMO_NOTES, "posts/sc.md": SHORTCODE_NOTE})
    box = project / "templates" / "shortcodes" / "box.html"
    box.parent.mkdir(exist_ok=True)
    box.write_text('<div class="box">v1</div>', encoding="utf-8")
    assert cli(project).returncode == 0
    note = project / "content" / "posts" / "nat-gateway.md"
    note.write_text(
        note.read_text(encoding="utf-8").replace(
            "NAT 게이트웨이를 거쳐", "NAT 게이트웨이(수정됨)를 거쳐"
        ),
        encoding="utf-8",
    )
    box.write_text('<div class="box">v2</div>', encoding="utf-8")
    cfg = project / "site.toml"
    cfg.write_text(
        cfg.read_text(encoding="utf-8").replace('title = "테스트 노트"', 'title = "바뀐 제목"'),
        encoding="utf-8",
    )
    assert cli(project).returncode == 0
    warm = html_pages(project / "public")
    assert cli(project, "--no-cache", "--output", str(tmp_path / "cold")).returncode == 0
    cold = html_pages(tmp_path / "cold")
    assert warm == cold
    # every file, the search shards (rebuilt from the cache's search parts) and feeds too
    assert all_files(project / "public") == all_files(tmp_path / "cold")
    assert b"v2" in warm["posts/sc/index.html"]
    assert "(수정됨)".encode() in warm["posts/nat-gateway/index.html"]
    assert "바뀐 제목".encode() in warm["index.html"]


def test_corrupt_or_foreign_cache_is_ignored_with_a_warning(tmp_path: Path) -> None:
    project = make_project(tmp_path, DEMO_NOTES)
    assert cli(project).returncode == 0
    good = html_pages(project / "public")
    entries = sorted((project / ".cache" / "render").rglob("*.json"))
    assert len(entries) == 4  # one per note
    entries[0].write_text('{"format": "other"}', encoding="utf-8")
    entries[1].write_bytes(b"\x00garbage{")
    entries[2].write_text(entries[3].read_text(encoding="utf-8"), encoding="utf-8")  # wrong key
    (project / ".cache" / "pages.json").write_bytes(b"[1, 2")
    proc = cli(project)
    assert proc.returncode == 0, proc.stderr
    assert "not a cache of this version" in proc.stderr
    assert proc.stderr.count("ignoring corrupt cache") == 2  # garbage, and the misfiled one
    assert html_pages(project / "public") == good
    proc = cli(project)  # the bad entries were replaced by good ones
    assert "cache" not in proc.stderr


def test_one_note_edit_renders_one_note_and_only_pages_that_show_it(tmp_path: Path) -> None:
    project = make_project(tmp_path, DEMO_NOTES)
    builder = Builder(project, BuildOptions(use_cache=False))
    first = builder.build()
    assert first.stats.rendered_notes == 4
    note = project / "content" / "posts" / "security-groups.md"
    note.write_text(note.read_text(encoding="utf-8") + "\n추가 문단.\n", encoding="utf-8")
    second = builder.build()
    assert second.stats.rendered_notes == 1
    changed = {p for p in second.files if second.files[p] != first.files.get(p)}
    assert "posts/security-groups/index.html" in changed
    assert "posts/aws-network-2/index.html" not in changed  # unrelated note
    assert "posts/nat-gateway/index.html" not in changed  # neither neighbour nor related
    # the note, its newer neighbour (vpc-basics), the related note pages that list it
    # (nat-gateway, vpc-basics share "AWS"), home, /posts/, /tags/aws/, /tags/보안/,
    # /tags/ and /series/ (counts), /archive/ (issue 23: lists every note); not the other
    # note pages, /search/, 404, /tags/vpc/...
    assert second.stats.rendered_pages == 10
    assert first.stats.rendered_pages == 17
    third = builder.build()
    assert third.stats.rendered_notes == 0 and third.stats.rendered_pages == 0


def test_kept_builder_sees_template_edits(tmp_path: Path) -> None:
    """serve keeps one Builder (and its compiled templates) across rebuilds: an edited
    template, or one a template extends, reaches every page that uses it."""
    project = make_project(tmp_path, DEMO_NOTES)
    builder = Builder(project, BuildOptions(use_cache=False))
    first = builder.build()
    base = project / "templates" / "base.html"
    base.write_text(
        base.read_text(encoding="utf-8").replace("<body ", '<body data-v="2" '), encoding="utf-8"
    )
    second = builder.build()
    pages = [p for p in second.files if p.endswith(".html")]
    assert len(pages) == len([p for p in first.files if p.endswith(".html")]) > 10
    for path in pages:
        assert b'data-v="2"' in second.files[path], path
    item = project / "templates" / "_note_item.html"
    item.write_text(
        item.read_text(encoding="utf-8").replace(
            '<li class="note-item">', '<li class="note-item" data-edited="1">'
        ),
        encoding="utf-8",
    )
    third = builder.build()
    assert b'data-edited="1"' in third.files["index.html"]
    assert b'data-v="2"' in third.files["index.html"]


def mtimes(public: Path) -> dict[str, int]:
    return {
        p.relative_to(public).as_posix(): p.stat().st_mtime_ns
        for p in public.rglob("*")
        if p.is_file()
    }


def test_body_edit_rewrites_only_pages_that_use_the_body(tmp_path: Path) -> None:
    """Lists and neighbours show a note's front matter and summary: a body edit that keeps
    them (the note has a description) rewrites the note's own page and the files that
    carry its text (feeds, search index), not the pages that merely link to it. A page
    whose template shows another note's whole content depends on that content."""
    project = make_project(tmp_path, DEMO_NOTES)
    note_tpl = project / "templates" / "note.html"
    note_tpl.write_text(
        note_tpl.read_text(encoding="utf-8").replace(
            "{{ page.content }}",
            '{{ page.content }}{% if page.prev %}<aside class="peek">{{ page.prev.content }}'
            "</aside>{% endif %}",
        ),
        encoding="utf-8",
    )
    assert cli(project).returncode == 0
    public = project / "public"
    before = mtimes(public)
    note = project / "content" / "posts" / "vpc-basics.md"
    note.write_text(
        note.read_text(encoding="utf-8").replace("퍼블릭 서브넷은", "퍼블릭 서브넷(고침)은"),
        encoding="utf-8",
    )
    assert cli(project).returncode == 0
    after = mtimes(public)
    rewritten = {p for p in after if after[p] != before.get(p)}
    pages = html_pages(public)
    assert "(고침)".encode() in pages["posts/vpc-basics/index.html"]
    # nat-gateway is the newer neighbour of vpc-basics: its template shows prev's content
    peek = pages["posts/nat-gateway/index.html"].split(b'<aside class="peek">', 1)[1]
    assert "(고침)".encode() in peek
    assert "posts/nat-gateway/index.html" in rewritten
    for unchanged in (
        "index.html",
        "posts/index.html",
        "tags/aws/index.html",
        "tags/index.html",
        "posts/security-groups/index.html",
    ):
        assert unchanged not in rewritten, unchanged
    assert cli(project, "--no-cache", "--output", str(tmp_path / "cold")).returncode == 0
    cold = tmp_path / "cold"
    assert {p: (public / p).read_bytes() for p in after} == {
        p: (cold / p).read_bytes() for p in mtimes(cold)
    }


def test_front_matter_edit_reaches_lists_through_the_notes_cache(tmp_path: Path) -> None:
    project = make_project(tmp_path, DEMO_NOTES)
    assert cli(project).returncode == 0
    assert (project / ".cache" / "notes.json").is_file()
    note = project / "content" / "posts" / "nat-gateway.md"
    note.write_text(
        note.read_text(encoding="utf-8").replace(
            'title = "NAT 게이트웨이와 인터넷 연결"', 'title = "NAT 게이트웨이(개정)"'
        ),
        encoding="utf-8",
    )
    proc = cli(project)
    assert proc.returncode == 0, proc.stderr
    pages = html_pages(project / "public")
    for path in ("index.html", "tags/aws/index.html", "posts/vpc-basics/index.html"):
        assert "NAT 게이트웨이(개정)".encode() in pages[path], path
    assert cli(project, "--no-cache", "--output", str(tmp_path / "cold")).returncode == 0
    assert pages == html_pages(tmp_path / "cold")


def test_corrupt_notes_cache_is_not_trusted(tmp_path: Path) -> None:
    project = make_project(tmp_path, DEMO_NOTES)
    assert cli(project).returncode == 0
    good = html_pages(project / "public")
    notes_cache = project / ".cache" / "notes.json"
    for bad in (
        b"\x00{garbage",
        b'{"format": "awsnotes-notes-cache/2", "context": 1}',
        notes_cache.read_bytes().replace(b'"title": "', b'"title": 7, "x": "'),
    ):
        notes_cache.write_bytes(bad)
        (project / ".cache" / "pages.json").unlink(missing_ok=True)
        proc = cli(project)
        assert proc.returncode == 0, proc.stderr
        assert html_pages(project / "public") == good
        if bad.startswith(b"\x00") or b'"title": 7' in bad:
            assert "ignoring corrupt cache" in proc.stderr and "notes.json" in proc.stderr


def test_notes_cache_round_trips_front_matter(tmp_path: Path) -> None:
    """Every kind of front matter value comes back from .cache/notes.json as it was
    loaded (a note restored from it must build the same pages as a parsed one)."""
    import datetime as dt
    import zoneinfo

    from awsnotes_site.config import load_config
    from awsnotes_site.content.load import load_note
    from awsnotes_site.incremental import records, store

    project = make_project(
        tmp_path,
        {
            "posts/x.md": """+++
title = "값들"
date = 2023-03-26
lastmod = 2023-04-01T10:00:00+09:00
tags = "하나"
cover = { src = "/static/a.png", at = 2023-01-02, when = 10:30:00 }
list = [1, 2.5, "셋", true, [2020-01-01T00:00:00Z]]
+++
본문
"""
        },
    )
    config, _ = load_config(project)
    note = load_note(project / "content" / "posts" / "x.md", config)
    assert note.diagnostics  # tags = "하나" is a warning, kept with the note
    record = records.NoteRecord((1, 2), note, "k", None)
    store.save_notes(tmp_path / "c", "ctx", {"x": record}, config.tz)
    assert records.load_notes(tmp_path / "c", "other", config.tz) == ({}, None)
    back = records.load_notes(tmp_path / "c", "ctx", config.tz)[0]["x"]
    assert back.stamp == (1, 2) and back.key == "k" and back.facts is None
    assert not back.note.body_loaded and back.note.body == ""
    for name in ("title", "date", "lastmod", "tags", "params", "diagnostics", "url", "digest"):
        assert getattr(back.note, name) == getattr(note, name), name
    assert back.note.date is not None and note.date is not None
    assert back.note.date.tzinfo is config.tz
    assert back.note.params["cover"]["at"] == dt.date(2023, 1, 2)
    assert back.note.params["list"][4][0].tzinfo == zoneinfo.ZoneInfo("UTC") or back.note.params[
        "list"
    ][4][0].utcoffset() == dt.timedelta(0)


def test_edit_that_turns_a_file_into_a_folder_still_publishes(tmp_path: Path) -> None:
    """The in-place update falls back to building aside and swapping when the new output
    needs a folder where the published site has a file."""
    project = make_project(tmp_path, DEMO_NOTES)
    thing = project / "static" / "thing"
    thing.write_text("a file", encoding="utf-8")
    assert cli(project).returncode == 0
    assert (project / "public" / "static" / "thing").is_file()
    thing.unlink()
    thing.mkdir()
    (thing / "inside.txt").write_text("now a folder", encoding="utf-8")
    proc = cli(project)
    assert proc.returncode == 0, proc.stderr
    assert (project / "public" / "static" / "thing" / "inside.txt").read_text(
        encoding="utf-8"
    ) == "now a folder"
    note = project / "content" / "posts" / "nat-gateway.md"
    note.unlink()
    assert cli(project).returncode == 0
    assert not (project / "public" / "posts" / "nat-gateway").exists()


def _tree_bytes(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_pages_rendered_by_workers_equal_pages_rendered_in_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Worker processes render the notes (while this process compiles the page templates)
    and write pages straight into the staging folder: the published site is
    byte-identical to one rendered in a single process, and a template error in a worker
    or a syntax error met while compiling early is reported like any other (nothing
    published)."""
    from awsnotes_site.diagnostics import BuildError
    from awsnotes_site.pipeline import build
    from awsnotes_site.pipeline import render as build_module

    monkeypatch.setattr(build_module, "PARALLEL_THRESHOLD", 1)  # notes rendered in workers
    monkeypatch.setattr(build_module, "PARALLEL_CHARS", 0)
    project = make_project(tmp_path, DEMO_NOTES)
    forked, serial = tmp_path / "forked", tmp_path / "serial"
    result, stats = build(
        project, BuildOptions(output=str(forked), use_cache=False, jobs=2, parallel_pages=1)
    )
    assert result.files.in_stage and not result.files.fresh  # the workers wrote every page
    build(project, BuildOptions(output=str(serial), use_cache=False, jobs=1))
    assert _tree_bytes(forked) == _tree_bytes(serial)
    assert stats.written == len(_tree_bytes(forked))
    tags = project / "templates" / "tag.html"
    tags.write_text(
        tags.read_text(encoding="utf-8").replace(
            "{% endblock %}", "{{ no_such_thing }}{% endblock %}", 1
        ),
        encoding="utf-8",
    )
    before = _tree_bytes(forked)
    try:
        build(project, BuildOptions(output=str(forked), use_cache=False, jobs=2, parallel_pages=1))
    except BuildError as exc:
        assert any(
            "tag.html" in d.format() and "no_such_thing" in d.format() for d in exc.diagnostics
        ), [d.format() for d in exc.diagnostics]
    else:
        raise AssertionError("the template error was not reported")
    assert _tree_bytes(forked) == before
    tags.write_text(
        tags.read_text(encoding="utf-8").replace("{{ no_such_thing }}", "\n{% if %}", 1),
        encoding="utf-8",
    )
    with pytest.raises(BuildError) as caught:
        build(project, BuildOptions(output=str(forked), use_cache=False, jobs=2))
    assert any(
        "templates/tag.html:" in d.format() and "syntax error" in d.format()
        for d in caught.value.diagnostics
    ), [d.format() for d in caught.value.diagnostics]
    assert _tree_bytes(forked) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    # A template file no page uses may be broken in any way: the build does not mind.
    tags.write_text(tags.read_text(encoding="utf-8").replace("\n{% if %}", ""), encoding="utf-8")
    (project / "templates" / "unused.html").write_bytes(b"{% if %}\xff\xfe")
    build(project, BuildOptions(output=str(forked), use_cache=False, jobs=2))
    assert _tree_bytes(forked) == _tree_bytes(serial)


def test_builder_sees_notes_added_removed_and_renamed(tmp_path: Path) -> None:
    """A Builder skips the walk of content/ while no folder changed; any added, removed or
    renamed note (in an existing or a new folder) changes a folder and is seen."""
    project = make_project(tmp_path, DEMO_NOTES)
    builder = Builder(project, BuildOptions(use_cache=False))
    first = {v.note.rel for v in builder.build().notes}
    posts = project / "content" / "posts"
    (posts / "new.md").write_text('+++\ntitle = "새 글"\n+++\n본문\n', encoding="utf-8")
    assert {v.note.rel for v in builder.build().notes} == first | {"posts/new.md"}
    (posts / "new.md").rename(posts / "renamed.md")
    assert {v.note.rel for v in builder.build().notes} == first | {"posts/renamed.md"}
    deep = project / "content" / "posts" / "deeper"
    deep.mkdir()
    (deep / "x.md").write_text('+++\ntitle = "깊은 글"\n+++\n', encoding="utf-8")
    assert "posts/deeper/x.md" in {v.note.rel for v in builder.build().notes}
    (deep / "x.md").unlink()
    (posts / "renamed.md").unlink()
    assert {v.note.rel for v in builder.build().notes} == first


def test_notes_loaded_by_workers_equal_notes_loaded_in_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold build of a big site parses front matter in worker processes: the notes, and
    the errors of a broken one, are exactly those of a single-process load."""
    from awsnotes_site.pipeline import load
    from awsnotes_site.pipeline.load import load_all

    monkeypatch.setattr(load, "PARALLEL_LOAD_MIN", 256)  # workers for these 301 notes
    from awsnotes_site.config import load_config
    from awsnotes_site.diagnostics import BuildError

    notes = {
        f"posts/n{i:03d}.md": f'+++\ntitle = "노트 {i}"\ndate = 2023-01-{i % 28 + 1:02d}\n'
        f'tags = ["t{i % 7}"]\n+++\n본문 {i}\n'
        for i in range(300)
    }
    notes["posts/broken.md"] = '+++\ntitle = "깨짐"\ndate = "어제"\n+++\n'
    project = make_project(tmp_path, notes, shipped=False)
    config, _ = load_config(project)
    paths = sorted((project / "content" / "posts").glob("*.md"))
    forked = load_all(paths, config, jobs=2)
    serial = load_all(paths, config, jobs=1)
    assert list(forked) == list(serial) == paths
    broken = project / "content" / "posts" / "broken.md"
    for path in paths:
        if path == broken:
            assert isinstance(forked[path], BuildError) and isinstance(serial[path], BuildError)
            assert [d.format() for d in forked[path].diagnostics] == [
                d.format() for d in serial[path].diagnostics
            ]
        else:
            assert forked[path] == serial[path]


def test_two_builds_in_one_process_through_the_staging_folder(tmp_path: Path) -> None:
    """The staging folder has the same name in every build of a process: workers must not
    trust folders they made for an earlier one."""
    from awsnotes_site.pipeline import build

    project = make_project(tmp_path, DEMO_NOTES)
    out = tmp_path / "site"
    for jobs in (2, 2, 1):
        build(project, BuildOptions(output=str(out), use_cache=False, jobs=jobs, parallel_pages=1))
        assert (out / "posts" / "nat-gateway" / "index.html").is_file()


def test_search_part_is_read_without_the_html(tmp_path: Path) -> None:
    """A render cache entry holds the note's text and search keys on its first line, so a
    search shard is rebuilt without decoding HTML; each line is checked on its own."""
    from awsnotes_site.incremental import store as cache
    from awsnotes_site.markdown import RenderedNote
    from awsnotes_site.markdown.context import LinkRef, TocEntry

    store = cache.RenderStore(tmp_path)
    note = RenderedNote(
        html="<p>엔드포인트</p>",
        toc=[TocEntry(2, "a", "가")],
        links=[LinkRef("/x/", 3, "link")],
        text="엔드포인트",
        search_keys=("드포\0엔드", "vpc"),
    )
    store.put("k1", note)
    assert store.get("k1") == note
    assert store.get_search("k1") == ("엔드포인트", ("드포\0엔드", "vpc"))
    entry = tmp_path / "render" / "k1"[:2] / "k1.json"
    first, second = entry.read_text(encoding="utf-8").split("\n")
    assert "<p>" not in first and "엔드포인트" in first and "<p>" in second
    entry.write_text(first + "\n{broken", encoding="utf-8")
    assert store.get_search("k1") == ("엔드포인트", ("드포\0엔드", "vpc"))  # HTML not read
    assert store.get("k1") is None and "ignoring corrupt cache" in store.problems[-1]
    entry.write_text('{"format": "awsnotes-render-cache/3"}\n{}', encoding="utf-8")
    assert store.get_search("k1") is None and "not a cache of this version" in store.problems[-1]


def test_in_place_update_removes_stale_files_but_not_linked_folders(tmp_path: Path) -> None:
    """After an edit, the in-place writer deletes files the build no longer makes (found
    by listing the output folder) and leaves a symlinked folder and what it points at."""
    project = make_project(tmp_path, DEMO_NOTES)
    assert cli(project).returncode == 0
    public = project / "public"
    (public / "stray.txt").write_text("old", encoding="utf-8")
    (public / "old" / "page").mkdir(parents=True)
    (public / "old" / "page" / "index.html").write_text("old", encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("keep", encoding="utf-8")
    (public / "linked").symlink_to(outside, target_is_directory=True)
    note = project / "content" / "posts" / "security-groups.md"
    note.write_text(note.read_text(encoding="utf-8") + "\n덧붙인 문단.\n", encoding="utf-8")
    inode = public.stat().st_ino
    assert cli(project).returncode == 0
    assert public.stat().st_ino == inode  # updated in place, not staged and swapped in
    assert "덧붙인 문단" in (public / "posts" / "security-groups" / "index.html").read_text(
        encoding="utf-8"
    )
    assert not (public / "stray.txt").exists() and not (public / "old").exists()
    assert (public / "linked").is_symlink() and (outside / "keep.txt").exists()


LINKING = {
    "posts/a.md": '+++\ntitle = "가"\n+++\n\n[나로](/posts/b/)\n',
    "posts/b.md": '+++\ntitle = "나"\n+++\n\n본문\n',
    "posts/c.md": '+++\ntitle = "다"\n+++\n\n[없는 글](/posts/nope/)\n',
}


def test_missing_targets_are_checked_again_only_where_something_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``.cache/links.json`` keeps the notes whose links all had a target: the next CLI
    build (a new process: here a new Builder) checks only the notes edited since, while
    the site's file list is the same; a note with a finding is checked every time, and a
    changed file list checks every note again."""
    from awsnotes_site.pipeline import build, links

    project = make_project(tmp_path, LINKING, shipped=False)
    checked: list[str] = []
    real = links._missing_in

    def spy(view: Any, *args: Any) -> Any:
        checked.append(view.note.rel)
        return real(view, *args)

    monkeypatch.setattr(links, "_missing_in", spy)

    def cli_build() -> list[str]:
        checked.clear()
        result, _ = build(project, BuildOptions())
        return sorted(d.message for d in result.diagnostics if "not in the site" in d.message)

    missing = ["link target '/posts/nope/' is not in the site"]
    assert cli_build() == missing
    assert sorted(checked) == ["posts/a.md", "posts/b.md", "posts/c.md"]
    b = project / "content" / "posts" / "b.md"
    b.write_text(b.read_text(encoding="utf-8") + "\n더\n", encoding="utf-8")
    assert cli_build() == missing  # c's finding is still reported
    assert sorted(checked) == ["posts/b.md", "posts/c.md"]  # the edited note, and c's
    b.unlink()  # a's target goes: every note is checked again
    assert cli_build() == ["link target '/posts/b/' is not in the site", *missing]
    assert sorted(checked) == ["posts/a.md", "posts/c.md"]
    (project / ".cache" / "links.json").write_text("{not json", encoding="utf-8")
    assert cli_build() == ["link target '/posts/b/' is not in the site", *missing]
    assert sorted(checked) == ["posts/a.md", "posts/c.md"]
