"""Property tests (Hypothesis, a fixed number of examples so CI time is bounded): the
front matter splitter, the shortcode lexer and the full render of random Markdown with
shortcodes and raw HTML never raise anything but our own error type, and always give
valid UTF-8 and a page our HTML tokenizer reads back byte for byte."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from awsnotes_site.content.frontmatter import decode_source, split_front_matter
from awsnotes_site.diagnostics import BuildError
from awsnotes_site.markdown import create_markdown, render_markdown
from awsnotes_site.markdown.html_tokens import join, tokenize
from awsnotes_site.markdown.registry import RefResolver, ShortcodeRegistry
from awsnotes_site.markdown.shortcodes import ShortcodeSyntaxError, parse_tag

EXAMPLES = settings(
    max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)

PIECES = st.sampled_from(
    [
        "# 3장 VPC 고급\n",
        "## 01. 엔드포인트 {#x}\n",
        "- 목록\n",
        "  - 중첩\n",
        "> 인용\n",
        "1. 하나\n",
        "`코드`",
        "**굵게**",
        "<br>\n",
        "<U>밑줄</U>",
        "\n\n",
        "| a | b |\n|---|---|\n",
        '<img class="img-zoomable" src="/static/x.png" >\n<figcaption align="center">캡션</figcaption>\n',
        "<figcaption>",
        "</figure>",
        "<div>",
        "</div>",
        "<script>",
        "<!--",
        "-->",
        "&amp;",
        "&#0;",
        '{{< highlight bash "linenos=true" >}}\necho 1\n{{< /highlight >}}\n',
        "{{< highlight",
        "{{< /highlight >}}",
        '{{% details summary="s" %}}\n',
        "{{% /details %}}\n",
        "{{<",
        ">}}",
        '{{< figure src="/x.png" caption="c" >}}',
        "{{</* x */>}}",
        '{{< ref "nope" >}}',
        "```go {linenos=table,hl_lines=[1]}\nx\n```\n",
        "```\n",
        "[^1]\n\n[^1]: 각주\n",
        "[링크](/posts/x/)",
        '![그림](/static/y.png "제목")',
        "- [ ] 할 일\n",
        "~~취소~~",
        "\x00",
        "\ud7a3",
        "\u2028",
        "\t",
        "\\",
        "https://example.com/",
    ]
)
MARKDOWN = st.lists(st.one_of(PIECES, st.text(max_size=20)), max_size=30).map("".join)


def _markdown() -> object:
    registry = ShortcodeRegistry(
        Path("/nonexistent"),
        jinja2.Environment(autoescape=True),
        RefResolver({"posts/x.md": "posts/x/"}),
        "/notes/",
        "/notes/",
    )
    return create_markdown(registry, "/notes/")


MD = _markdown()


@EXAMPLES
@given(st.binary(max_size=400))
def test_front_matter_splitter_raises_only_build_errors(raw: bytes) -> None:
    try:
        text = decode_source(raw, "x.md")
        fm = split_front_matter(text, "x.md")
    except BuildError as exc:
        assert exc.diagnostics and all(d.path == "x.md" for d in exc.diagnostics)
        return
    assert isinstance(fm.data, dict)
    assert fm.body_line >= 1


@EXAMPLES
@given(st.sampled_from(["+++", "---"]), st.text(max_size=200), st.text(max_size=100))
def test_front_matter_with_fences(fence: str, inner: str, body: str) -> None:
    text = f"{fence}\n{inner}\n{fence}\n{body}"
    try:
        fm = split_front_matter(text, "x.md")
    except BuildError as exc:
        assert all(d.line is None or d.line >= 1 for d in exc.diagnostics)
        return
    assert fm.body == body or fm.body.endswith(body) or fence in inner


@pytest.mark.parametrize(
    ("text", "fm_text", "body", "body_line"),
    [
        ('+++\ntitle = "a"\n+++\n본문\n', 'title = "a"', "본문\n", 4),
        ("+++\n+++\nbody", "", "body", 3),
        ("+++\n+++", "", "", 3),  # closing fence at the end, no newline
        ("---\na: 1\nb: 2\n---  \n\n# h\n", "a: 1\nb: 2", "\n# h\n", 5),
        ("+++\na = 1\n\n+++\n+++\n", "a = 1\n", "+++\n", 5),  # the first fence closes
    ],
)
def test_front_matter_split_exactly(text: str, fm_text: str, body: str, body_line: int) -> None:
    fm = split_front_matter(text, "x.md")
    assert (fm.text, fm.body, fm.body_line) == (fm_text, body, body_line)
    assert text.endswith(fm.body)


@EXAMPLES
@given(st.text(max_size=120))
def test_shortcode_lexer_raises_only_its_own_error(tail: str) -> None:
    for opener in ("{{<", "{{%"):
        src = opener + tail
        try:
            tag = parse_tag(src, 0)
        except ShortcodeSyntaxError:
            continue
        assert 0 < tag.end <= len(src)
        assert tag.comment or tag.name


@EXAMPLES
@given(MARKDOWN)
def test_full_render_never_crashes_and_round_trips(text: str) -> None:
    result = render_markdown(MD, text, "content/x.md", 5, {"rel": "x.md", "title": "t"})  # type: ignore[arg-type]
    html = result.html
    html.encode("utf-8")  # no lone surrogates
    assert join(tokenize(html)) == html
    for diag in result.diagnostics:
        assert diag.path == "content/x.md"
        assert diag.line is None or diag.line >= 5


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(MARKDOWN, st.text(max_size=30))
def test_full_build_gives_complete_pages_or_our_error(
    tmp_path_factory: object, body: str, title: str
) -> None:
    from awsnotes_site.pipeline import Builder, BuildOptions
    from sitefactory import make_project

    tmp = tmp_path_factory.mktemp("prop")  # type: ignore[attr-defined]
    project = make_project(tmp, shipped=False)
    escaped = title.replace("\\", "\\\\").replace('"', '\\"')
    note = f'+++\ntitle = "{escaped}"\ndate = 2023-03-26\ntags = ["t"]\n+++\n{body}'
    (project / "content" / "n.md").write_text(note, encoding="utf-8", errors="replace")
    try:
        result = Builder(project, BuildOptions(use_cache=False)).build()
    except BuildError as exc:
        assert exc.diagnostics
        return
    pages = [(p, d) for p, d in result.files.items() if p.endswith(".html")]
    assert pages
    for path, data in pages:
        text = data.decode("utf-8")
        assert text.startswith("<!DOCTYPE html>"), path
        assert text.rstrip().endswith("</html>"), path
        assert join(tokenize(text)) == text
