"""A Hugo site's Go-template shortcodes run in the registry (issue 19): precedence (Jinja,
the site's own Go templates, our built-ins, the themes' Go templates), nesting, ``{{% %}}``
inner text rendered, template errors at file:line:col, compiled once per build and part
of the render key. The notes are rendered by the build's own renderer
(``pipeline.render.NoteRenderer``) with a config naming the template folders, as the Hugo
reader fills it."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import jinja2
import pytest

from awsnotes_site.config import SiteConfig
from awsnotes_site.content.load import load_note
from awsnotes_site.incremental.keys import render_context
from awsnotes_site.markdown import RenderedNote
from awsnotes_site.markdown.goshortcodes import GoShortcodes, GoSite
from awsnotes_site.model.views import DependencyTracker
from awsnotes_site.pipeline.render import NoteRenderer, RenderSettings, render_one
from helpers import Document, parse_html_string

HUGO = Path(__file__).parent / "fixtures" / "hugo" / "devlog"
DIRS = ("layouts/shortcodes", "themes/LoveIt/layouts/shortcodes")
BADGE = '<span class="badge">{{ .Get 0 }}</span>'
BROKEN = '<p>\n  {{ template "x" . }}\n</p>'


def _settings(config: SiteConfig, jinja: jinja2.Environment) -> RenderSettings:
    """The render settings of an in-process build without cache, workers or images."""
    return RenderSettings(config, jinja, None, False, 1, None)


def _project(tmp: Path) -> Path:
    root = tmp / "site"
    shutil.copytree(HUGO / "layouts", root / "layouts")
    shutil.copytree(HUGO / "themes", root / "themes")
    (root / "themes/LoveIt/layouts/shortcodes/badge.html").write_text(BADGE, encoding="utf-8")
    (root / "content").mkdir()
    return root


def _render(root: Path, body: str, jinja_notice: str | None = None) -> RenderedNote:
    config = SiteConfig(
        root=root, title="데브로그", params={"author": "홍길동"}, shortcode_dirs=DIRS
    )
    if jinja_notice is not None:
        folder = root / "templates" / "shortcodes"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "notice.html").write_text(jinja_notice, encoding="utf-8")
    note_path = root / "content" / "note.md"
    note_path.write_text(f'+++\ntitle = "글"\n+++\n{body}', encoding="utf-8")
    note = load_note(note_path, config)
    jinja = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(root / "templates")), autoescape=True
    )
    parser = NoteRenderer(DependencyTracker()).parser(config, [note], _settings(config, jinja))
    return render_one(parser.md, note)


def _doc(rendered: RenderedNote) -> Document:
    return parse_html_string(rendered.html)


def test_the_sites_own_go_template_runs(tmp_path: Path) -> None:
    out = _render(_project(tmp_path), "{{< notice warning >}}\n조심 **하세요**\n{{< /notice >}}\n")
    assert out.diagnostics == []
    box = _doc(out).find("div", class_="notice-warning")
    assert box is not None
    title = box.find("p", class_="notice-title")
    assert title is not None and title.text() == "주의"
    strong = box.find("strong")
    assert strong is not None and strong.text() == "하세요"


def test_a_theme_admonition_gives_way_to_the_built_in(tmp_path: Path) -> None:
    out = _render(_project(tmp_path), '{{< admonition tip "제목" >}}\n본문\n{{< /admonition >}}\n')
    doc = _doc(out)
    assert doc.find("div", class_="admonition") is None
    callout = doc.find("div", class_="callout-tip")
    assert callout is not None and "제목" in callout.text() and "본문" in callout.text()


def test_a_theme_template_runs_when_nothing_else_has_the_name(tmp_path: Path) -> None:
    out = _render(_project(tmp_path), '배지 {{< badge "새 글" >}} 끝\n')
    badge = _doc(out).find("span", class_="badge")
    assert badge is not None and badge.text() == "새 글"


def test_the_sites_own_template_beats_the_built_in(tmp_path: Path) -> None:
    root = _project(tmp_path)
    theme = root / "themes/LoveIt/layouts/shortcodes/admonition.html"
    shutil.copy(theme, root / "layouts/shortcodes/admonition.html")
    out = _render(root, "{{< admonition note >}}\n본문\n{{< /admonition >}}\n")
    assert _doc(out).find("div", class_="admonition") is not None
    assert _doc(out).find(class_="callout") is None


def test_a_jinja_template_beats_the_go_template(tmp_path: Path) -> None:
    jinja = '<aside class="jinja-notice">{{ inner_html }}</aside>'
    out = _render(_project(tmp_path), "{{< notice >}}\n본문\n{{< /notice >}}\n", jinja)
    doc = _doc(out)
    assert doc.find("aside", class_="jinja-notice") is not None
    assert doc.find("div", class_="notice") is None


def test_nested_shortcodes_run_first(tmp_path: Path) -> None:
    body = '{{< notice tip >}}\n앞 {{< badge "안쪽" >}} 뒤\n{{< /notice >}}\n'
    out = _render(_project(tmp_path), body)
    box = _doc(out).find("div", class_="notice-tip")
    assert box is not None
    badge = box.find("span", class_="badge")
    assert badge is not None and badge.text() == "안쪽"
    assert "{{" not in out.html


def test_percent_inner_text_is_passed_rendered(tmp_path: Path) -> None:
    out = _render(_project(tmp_path), "{{% notice %}}\n## 소제목\n\n- 항목\n{{% /notice %}}\n")
    box = _doc(out).find("div", class_="notice-info")
    assert box is not None and box.find("h2") is not None and box.find("li") is not None


def test_a_template_error_names_the_file_line_and_column(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "layouts/shortcodes/broken.html").write_text(BROKEN, encoding="utf-8")
    out = _render(root, "앞\n\n{{< broken >}}\n")
    formatted = [d.format() for d in out.diagnostics]
    assert any(f.startswith("layouts/shortcodes/broken.html:2:6: error:") for f in formatted)
    assert any(f.startswith("content/note.md:6: error: shortcode 'broken'") for f in formatted)


def test_templates_compile_once_and_are_part_of_the_render_key(tmp_path: Path) -> None:
    root = _project(tmp_path)
    go = GoShortcodes.scan(root, DIRS, GoSite())
    path = go.path_of("notice")
    assert path is not None and go.template(path) is go.template(path)
    config = SiteConfig(root=root, shortcode_dirs=DIRS)
    before = render_context(config)
    (root / "layouts/shortcodes/notice.html").write_text("<p>바뀜</p>", encoding="utf-8")
    assert render_context(config) != before
    assert render_context(dataclasses.replace(config, shortcode_dirs=())) != before


@pytest.mark.parametrize("mode", ["error", "warn"])
def test_unknown_names_still_reported_with_go_templates(tmp_path: Path, mode: str) -> None:
    root = _project(tmp_path)
    config = SiteConfig(root=root, shortcode_dirs=DIRS, unknown_shortcodes=mode)
    note_path = root / "content" / "note.md"
    note_path.write_text('+++\ntitle = "글"\n+++\n{{< nope >}}\n', encoding="utf-8")
    note = load_note(note_path, config)
    parser = NoteRenderer(DependencyTracker()).parser(
        config, [note], _settings(config, jinja2.Environment())
    )
    out = render_one(parser.md, note)
    assert [(d.line, d.severity.value, d.message) for d in out.diagnostics] == [
        (4, mode if mode == "error" else "warning", "unknown shortcode 'nope'")
    ]


def test_page_urls_and_refs_in_a_go_template(tmp_path: Path) -> None:
    root = _project(tmp_path)
    link = (
        '<a class="ref" href="{{ relref . "other.md" }}">{{ .Page.Title }}</a>'
        '<span class="here">{{ .Page.RelPermalink }} {{ .Page.Permalink }}</span>'
    )
    (root / "layouts/shortcodes/link.html").write_text(link, encoding="utf-8")
    config = SiteConfig(root=root, base_url="https://example.com/blog/", shortcode_dirs=DIRS)
    paths = []
    for name, body in (("note", "{{< link >}}\n"), ("other", "다른 글\n")):
        path = root / "content" / f"{name}.md"
        path.write_text(f'+++\ntitle = "{name} 글"\n+++\n{body}', encoding="utf-8")
        paths.append(path)
    notes = [load_note(p, config) for p in paths]
    parser = NoteRenderer(DependencyTracker()).parser(
        config, notes, _settings(config, jinja2.Environment())
    )
    out = render_one(parser.md, notes[0])
    assert out.diagnostics == []
    doc = _doc(out)
    ref = doc.find("a", class_="ref")
    assert ref is not None and ref.get("href") == "/blog/other/" and ref.text() == "note 글"
    here = doc.find("span", class_="here")
    assert here is not None
    assert here.text() == "/blog/note/ https://example.com/blog/note/"
    assert out.refs == {"other.md": "other/"}
