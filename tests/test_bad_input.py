"""Bad input: clear ``path:line: error|warning: message``, all problems in one run, a
non-zero exit, and the previously published site left exactly as it was."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import parse_html
from sitefactory import make_project

BAD_NOTES = {
    "posts/bad-toml.md": '+++\ntitle = "좋은 제목"\ndate = 2023-03-26\ntags = ["a" "b"]\n+++\n본문\n',
    "posts/unterminated.md": '+++\ntitle = "열림"\n\n본문\n',
    "posts/list-fm.md": "---\n- a\n- b\n---\n본문\n",
    "posts/types.md": '+++\ntitle = "x"\ntags = "혼자"\ndate = "yesterday"\n+++\n본문\n',
    "posts/bad-yaml.md": "---\ntitle: [unclosed\n---\n",
    "posts/sc.md": '+++\ntitle = "sc"\n+++\n\n{{< nosuch >}}\n\n{{< highlight go >}}\nx\n',
}


def run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "awsnotes_site", "build", "--source", str(project), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=300,
        env={**os.environ, "PYTHONUTF8": "1"},
    )


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_every_problem_reported_at_once_and_public_untouched(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    good = run(project)
    assert good.returncode == 0, good.stderr
    before = snapshot(project / "public")
    for rel, text in BAD_NOTES.items():
        (project / "content" / rel).write_text(text, encoding="utf-8")
    bad = run(project)
    assert bad.returncode == 1
    err = bad.stderr
    expected = [
        "content/posts/bad-toml.md:4:13: error: invalid TOML front matter",
        "content/posts/unterminated.md:1: error: front matter opened with '+++' is never closed",
        "content/posts/list-fm.md:2: error: front matter must be a table of keys, not a list",
        "content/posts/types.md:4: error: 'date' is not a date: 'yesterday'",
        "content/posts/types.md:3: warning: 'tags' should be a list; taking '혼자' as one item",
        "content/posts/bad-yaml.md:2: error: invalid YAML front matter",
        "content/posts/sc.md:5: error: unknown shortcode 'nosuch' (1 use: content/posts/sc.md:5)",
        "content/posts/sc.md:7: error: shortcode 'highlight' is never closed",
    ]
    for line in expected:
        assert line in err, f"missing {line!r} in:\n{err}"
    assert "previous site was left as it was" in err
    assert snapshot(project / "public") == before


def test_cp949_file_names_the_encoding_and_invalid_bytes_do_not_crash(tmp_path: Path) -> None:
    project = make_project(tmp_path, shipped=False)
    (project / "content" / "old.md").write_bytes('+++\ntitle = "한글"\n+++\n본문\n'.encode("cp949"))
    (project / "content" / "junk.md").write_bytes(b"+++\ntitle = 'x'\n+++\n\xff\xfe\x00\xc3(")
    proc = run(project)
    assert proc.returncode == 1
    assert "content/old.md:2: error: file is not UTF-8; it looks like CP949/EUC-KR" in proc.stderr
    assert "iconv -f CP949 -t UTF-8" in proc.stderr
    assert "content/junk.md:4: error: file is not valid UTF-8" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_bom_and_crlf_notes_build(tmp_path: Path) -> None:
    project = make_project(tmp_path, shipped=False)
    note = '\ufeff+++\r\ntitle = "BOM CRLF"\r\ntags = ["윈도우"]\r\n+++\r\n\r\n# 제목\r\n본문\r\n'
    (project / "content" / "win.md").write_bytes(note.encode("utf-8"))
    proc = run(project)
    assert proc.returncode == 0, proc.stderr
    page = parse_html(project / "public" / "win" / "index.html")
    assert page.get_by_id("note-title").norm_text() == "BOM CRLF"
    assert page.get_by_id("제목") is not None


def test_missing_title_warns_and_uses_file_name(tmp_path: Path) -> None:
    project = make_project(
        tmp_path,
        {"posts/이름만-있는-노트.md": "+++\ndate = 2023-01-01\n+++\n본문\n"},
        shipped=False,
    )
    proc = run(project)
    assert proc.returncode == 0
    assert "content/posts/이름만-있는-노트.md:1: warning: note has no title" in proc.stderr
    page = parse_html(project / "public" / "posts" / "이름만-있는-노트" / "index.html")
    assert page.get_by_id("note-title").norm_text() == "이름만-있는-노트"
    strict = run(project, "--strict")
    assert strict.returncode == 1


def test_two_notes_on_one_url_and_unsafe_slugs(tmp_path: Path) -> None:
    project = make_project(
        tmp_path,
        {
            "posts/a.md": '+++\ntitle = "A"\nslug = "same"\n+++\n',
            "posts/b.md": '+++\ntitle = "B"\nslug = "same"\n+++\n',
            "posts/c.md": '+++\ntitle = "C"\nslug = "../../etc"\n+++\n',
            "posts/d.md": '+++\ntitle = "D"\nslug = "x/y"\n+++\n',
        },
        shipped=False,
    )
    proc = run(project)
    assert proc.returncode == 1
    assert "content/posts/b.md:1: error: two notes on one URL /posts/same/" in proc.stderr
    assert "content/posts/a.md" in proc.stderr
    assert "content/posts/c.md:3: error: slug '../../etc' may not contain" in proc.stderr
    assert "content/posts/d.md:3: error: slug 'x/y' may not contain" in proc.stderr
    assert not (tmp_path / "etc").exists()


def test_korean_spaced_and_long_file_names(tmp_path: Path) -> None:
    long_name = "가" * 80 + ".md"  # 240 bytes in UTF-8, near the file system's limit
    project = make_project(
        tmp_path,
        {
            "posts/한글 파일 이름.md": '+++\ntitle = "공백"\n+++\n본문\n',
            f"posts/{long_name}": '+++\ntitle = "긴 이름"\n+++\n본문\n',
        },
        shipped=False,
    )
    proc = run(project)
    assert proc.returncode == 0, proc.stderr
    assert (project / "public" / "posts" / "한글-파일-이름" / "index.html").is_file()
    assert (project / "public" / "posts" / ("가" * 80) / "index.html").is_file()
    home = parse_html(project / "public" / "index.html")
    hrefs = {a.get("href") for a in home.find_all("a")}
    assert "/posts/한글-파일-이름/" in hrefs


def test_template_errors_name_template_file_and_line(tmp_path: Path) -> None:
    project = make_project(tmp_path, shipped=False)
    (project / "content" / "n.md").write_text('+++\ntitle = "n"\n+++\n', encoding="utf-8")
    note_tpl = project / "templates" / "note.html"
    original = note_tpl.read_text(encoding="utf-8")
    note_tpl.write_text(
        original.replace("{% block main %}", "{% block main %}\n{% if %}", 1), encoding="utf-8"
    )
    proc = run(project)
    assert proc.returncode == 1
    line = original[: original.index("{% block main %}")].count("\n") + 2
    assert f"templates/note.html:{line}: error: template syntax error" in proc.stderr
    note_tpl.write_text(
        original.replace("{{ page.title }}</h1>", "{{ page.nope.deeper }}</h1>"), encoding="utf-8"
    )
    proc = run(project)
    assert proc.returncode == 1
    line = original[: original.index("{{ page.title }}</h1>")].count("\n") + 1
    assert f"templates/note.html:{line}: error: template error" in proc.stderr
    assert "nope" in proc.stderr


@pytest.mark.parametrize("kind", ["list", "quote"])
def test_thousand_deep_nesting_does_not_crash(tmp_path: Path, kind: str) -> None:
    if kind == "list":
        body = "".join("  " * i + "- x\n" for i in range(1000))
    else:
        body = "> " * 1000 + "깊다\n"
    project = make_project(
        tmp_path, {"deep.md": '+++\ntitle = "깊음"\n+++\n' + body}, shipped=False
    )
    proc = run(project)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "RecursionError" not in proc.stderr
    assert (project / "public" / "deep" / "index.html").is_file()


def test_empty_note_and_empty_content(tmp_path: Path) -> None:
    project = make_project(tmp_path, shipped=False)
    proc = run(project)
    assert proc.returncode == 0, proc.stderr
    assert "아직 글이 없습니다" in parse_html(project / "public" / "index.html").norm_text()
    (project / "content" / "empty.md").write_text("", encoding="utf-8")
    proc = run(project)
    assert proc.returncode == 0, proc.stderr
    assert (project / "public" / "empty" / "index.html").is_file()


def test_symlink_loop_in_content_is_skipped(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"posts/a.md": '+++\ntitle = "a"\n+++\n'}, shipped=False)
    (project / "content" / "posts" / "loop").symlink_to(project / "content")
    (project / "content" / "self").symlink_to("self")
    proc = run(project)
    assert proc.returncode == 0, proc.stderr
    assert "symlink loop" in proc.stderr
    assert (project / "public" / "posts" / "a" / "index.html").is_file()


def test_large_note_builds(tmp_path: Path) -> None:
    paragraph = "VPC 엔드포인트는 프라이빗 엑세스 기능이다. `curl` 로 확인한다.\n\n"
    body = paragraph * (10_000_000 // len(paragraph.encode()))
    project = make_project(
        tmp_path, {"big.md": '+++\ntitle = "큰 노트"\n+++\n' + body}, shipped=False
    )
    proc = run(project, "--no-cache")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert (project / "public" / "big" / "index.html").stat().st_size > 10_000_000


def test_note_deleted_while_building_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A note listed by discovery but gone when read (deleted mid-build): a clear error,
    no traceback, nothing written."""
    import awsnotes_site.pipeline.load as build_module
    from awsnotes_site.diagnostics import BuildError
    from awsnotes_site.pipeline import Builder, BuildOptions

    project = make_project(tmp_path, {"posts/a.md": '+++\ntitle = "a"\n+++\n'}, shipped=False)
    real_discover = build_module.discover

    def discover_then_delete(
        content: Path, *folders: list[Path]
    ) -> tuple[list[Path], list[object]]:
        paths, diags = real_discover(content, *folders)
        doomed = content / "posts" / "a.md"
        doomed.unlink()  # deleted between discovery and reading
        return paths, diags

    monkeypatch.setattr(build_module, "discover", discover_then_delete)
    with pytest.raises(BuildError) as info:
        Builder(project, BuildOptions(use_cache=False)).build()
    messages = [d.format() for d in info.value.diagnostics]
    assert any("posts/a.md" in m and "disappeared while building" in m for m in messages), messages
    assert not (project / "public").exists()


def test_missing_link_target_warns_in_build_and_fails_strict(tmp_path: Path) -> None:
    project = make_project(
        tmp_path,
        {
            "posts/links.md": '+++\ntitle = "링크"\n+++\n\n[없는 글](/posts/nope/)\n\n'
            "![없는 그림](/static/none.png)\n\n[있는 글](/posts/aws-network-2/)\n",
        },
    )
    proc = run(project)
    assert proc.returncode == 0, proc.stderr
    assert (
        "content/posts/links.md:5: warning: link target '/posts/nope/' is not in the site"
        in proc.stderr
    )
    assert (
        "content/posts/links.md:7: warning: image '/static/none.png' is not in the site"
        in proc.stderr
    )
    assert "aws-network-2" not in proc.stderr
    strict = run(project, "--strict")
    assert strict.returncode == 1
    assert "build failed: warnings (--strict)" in strict.stderr


def test_markup_html_parser_gives_up_on_passes_through(tmp_path: Path) -> None:
    """html.parser raises AssertionError on some malformed markup (an unknown marked
    section such as ``<![x y=1``); the build goes on and the raw HTML is kept as written."""
    project = make_project(
        tmp_path,
        {
            "posts/odd.md": '+++\ntitle = "이상한 HTML"\n+++\n\n<div>\n<![x y=1\n</div>\n\n본문 계속\n',
        },
        shipped=False,
    )
    proc = run(project)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    page = (project / "public" / "posts" / "odd" / "index.html").read_text(encoding="utf-8")
    assert "<![x y=1" in page and "본문 계속" in page


def test_template_not_utf8_is_an_error_with_file_and_line(tmp_path: Path) -> None:
    project = make_project(tmp_path, shipped=False)
    (project / "content" / "n.md").write_text('+++\ntitle = "n"\n+++\n', encoding="utf-8")
    base = project / "templates" / "base.html"
    text = base.read_bytes()
    cut = text.index(b"<body")
    base.write_bytes(text[:cut] + "<!-- 한글 -->".encode("cp949") + text[cut:])
    proc = run(project)
    assert proc.returncode == 1
    line = text[:cut].count(b"\n") + 1
    assert f"templates/base.html:{line}: error: template is not UTF-8 text" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (project / "public").exists()
