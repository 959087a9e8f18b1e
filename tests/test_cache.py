"""The build cache is safe: cached output equals a cold build's, and every input change
(note, template, shortcode template, config) reaches exactly what depends on it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from awsnotes_site.build import Builder, BuildOptions
from sitefactory import DEMO_NOTES, make_project

SHORTCODE_NOTE = '+++\ntitle = "숏코드"\ntags = ["AWS"]\n+++\n\n{{< box >}}\n'


def cli(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "awsnotes_site", "build", "--source", str(project), *args],
        capture_output=True, text=True, encoding="utf-8", check=False, timeout=300,
        env={**os.environ, "PYTHONUTF8": "1"},
    )


def html_pages(public: Path) -> dict[str, bytes]:
    return {p.relative_to(public).as_posix(): p.read_bytes() for p in public.rglob("*.html")}


def test_template_edit_reaches_every_page_that_uses_it(tmp_path: Path) -> None:
    project = make_project(tmp_path, DEMO_NOTES)
    assert cli(project).returncode == 0
    before = html_pages(project / "public")
    item = project / "templates" / "_note_item.html"
    item.write_text(item.read_text(encoding="utf-8").replace(
        '<li class="note-item">', '<li class="note-item" data-edited="1">'), encoding="utf-8")
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
    base.write_text(base.read_text(encoding="utf-8").replace("<body ", '<body data-v="2" '),
                    encoding="utf-8")
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
    note.write_text(note.read_text(encoding="utf-8").replace("NAT 게이트웨이를 거쳐",
                                                              "NAT 게이트웨이(수정됨)를 거쳐"),
                    encoding="utf-8")
    box.write_text('<div class="box">v2</div>', encoding="utf-8")
    cfg = project / "site.toml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace('title = "테스트 노트"',
                                                           'title = "바뀐 제목"'),
                   encoding="utf-8")
    assert cli(project).returncode == 0
    warm = html_pages(project / "public")
    assert cli(project, "--no-cache", "--output", str(tmp_path / "cold")).returncode == 0
    cold = html_pages(tmp_path / "cold")
    assert warm == cold
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
    # /tags/ and /series/ (counts); not the other note pages, /search/, 404, /tags/vpc/...
    assert second.stats.rendered_pages == 9
    assert first.stats.rendered_pages == 16
    third = builder.build()
    assert third.stats.rendered_notes == 0 and third.stats.rendered_pages == 0
