"""The Go-template interpreter on its own: errors with file:line:col, the API, the context.

Output equality with real Hugo is in ``test_gotemplate_hugo.py``; here are the things Hugo
cannot tell us (our error messages and positions, diagnostics, reuse of compiled templates).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from awsnotes_site.diagnostics import Severity
from awsnotes_site.gotemplate import (
    HTML,
    Page,
    RenderOptions,
    Shortcode,
    Site,
    TemplateError,
    compile,
)

FIXTURES = Path(__file__).parent / "fixtures" / "gotemplate"
PATH = "layouts/shortcodes/case.html"


def read_error_cases() -> list[tuple[str, str]]:
    text = (FIXTURES / "errors.txt").read_text(encoding="utf-8")
    cases = []
    for chunk in re.split(r"^=== ", text, flags=re.M)[1:]:
        expected, _, source = chunk.partition("\n")
        cases.append((expected, source.rstrip("\n")))
    return cases


ERROR_CASES = read_error_cases()


@pytest.mark.parametrize(("expected", "source"), ERROR_CASES, ids=[e for e, _ in ERROR_CASES])
def test_compile_error_names_file_line_column(expected: str, source: str) -> None:
    with pytest.raises(TemplateError) as info:
        compile(source, PATH)
    assert str(info.value) == f"{PATH}:{expected}"
    line, col, message = expected.split(":", 2)
    assert (info.value.path, info.value.line, info.value.col) == (PATH, int(line), int(col))
    assert info.value.message == message.strip()


def render(source: str, ctx: Shortcode | None = None, **options: object) -> str:
    return compile(source, PATH).render(ctx or Shortcode(), RenderOptions(**options))  # type: ignore[arg-type]


RUNTIME_ERRORS = [
    ("{{ index 5 1 }}", "1:4: error calling index: can't index item of type int"),
    ("{{ len nil }}", "1:4: error calling len: len of nil pointer"),
    ("\n {{ range 2.5 }}{{ end }}", "2:5: range can't iterate over 2.5"),
    ('{{ range "abc" }}{{ end }}', "1:4: range can't iterate over abc"),
    (
        "{{ with .Page }}{{ .Resources }}{{ end }}",
        '1:20: unsupported field or method "Resources" of *hugolib.pageState',
    ),
    ('{{ errorf "bad %s at %d" "tab" 3 }}', "1:4: bad tab at 3"),
    ("{{ 1 2 }}", "1:4: can't give argument to non-function"),
    ("{{ upper }}", "1:4: wrong number of args for upper: want 1 got 0"),
    ('{{ replace "a" }}', "1:4: wrong number of args for replace: want at least 3 got 1"),
    (
        '{{ markdownify "*x*" }}',
        "1:4: error calling markdownify: markdownify is not available here",
    ),
    ("{{ first -1 (slice 1) }}", "1:4: error calling first: sequence length must be non-negative"),
    ('{{ (dict "a" 1).a.b }}', "1:4: can't evaluate field b in type int"),
    ("{{ .Params.x.y }}", "1:4: can't evaluate field x in type []interface {}"),
    ("{{ (dict).x.y }}", "1:4: nil pointer evaluating interface {}.y"),
    ('{{ .Get "a" "b" }}', "1:4: error calling Get: wrong number of args for Get: want 1 got 2"),
    ("{{ .Inner 1 }}", "1:4: error calling Inner: Inner is not a method but has arguments"),
    ("{{ dict 1 2 }}", "1:4: error calling dict: dictionary keys must be strings, got int"),
    ('{{ add "x" 1 }}', "1:4: error calling add: can't apply the operator to the values: 'x'"),
    ("{{ div 1 0 }}", "1:4: error calling div: can't divide the value by 0"),
]


@pytest.mark.parametrize(("source", "expected"), RUNTIME_ERRORS, ids=[s for s, _ in RUNTIME_ERRORS])
def test_runtime_error_names_file_line_column(source: str, expected: str) -> None:
    with pytest.raises(TemplateError) as info:
        render(source)
    assert str(info.value) == f"{PATH}:{expected}"


def test_error_becomes_a_diagnostic() -> None:
    with pytest.raises(TemplateError) as info:
        compile('<p>\n  {{ partial "x" . }}</p>', PATH)
    diag = info.value.to_diagnostic()
    assert (diag.path, diag.line, diag.col, diag.severity) == (PATH, 2, 6, Severity.ERROR)
    assert diag.format() == f'{PATH}:2:6: error: unsupported function "partial"'


def test_compiled_template_is_reusable() -> None:
    template = compile('<b class="{{ .Get 0 }}">{{ .Inner }}</b>', PATH)
    outputs = [
        template.render(Shortcode(params=[cls], inner=inner))
        for cls, inner in [("a", "one"), ('"q"', "<i>two</i>"), ("c", "")]
    ]
    assert outputs == [
        '<b class="a">one</b>',
        '<b class="&#34;q&#34;"><i>two</i></b>',
        '<b class="c"></b>',
    ]


def test_context_objects_reach_page_and_site() -> None:
    site = Site(
        title="사이트", base_url="https://e.org/", params={"Author": "Kim"}, language_code="ko"
    )
    page = Page(
        title="글",
        params={"Tags": ["a", "b"]},
        permalink="https://e.org/p/",
        rel_permalink="/p/",
        section="posts",
        site=site,
    )
    ctx = Shortcode(name="x", params={"k": "v"}, page=page, ordinal=3, position="content/p.md:4:1")
    source = (
        "{{ .Name }}|{{ .Ordinal }}|{{ .Position }}|{{ .Page.Section }}|{{ .Page.Kind }}|"
        "{{ .Site.LanguageCode }}|{{ .Site.Params.author }}|{{ range .Page.Params.tags }}{{ . }}{{ end }}|"
        '{{ .Page.Param "author" }}|{{ .Page.Param "tags" }}|{{ $.Page.Site.Title }}|{{ .Get "k" }}'
    )
    assert render(source, ctx) == "x|3|content/p.md:4:1|posts|page|ko|Kim|ab|Kim|[a b]|사이트|v"


def test_params_are_case_insensitive_at_every_depth() -> None:
    site = Site(params={"Social": {"GitHub": "kim", "links": {"Blog": "b"}}})
    ctx = Shortcode(page=Page(site=site, params={"showToc": True}))
    source = (
        "{{ .Site.Params.social.github }}|{{ .Site.Params.SOCIAL.Links.blog }}|"
        '{{ index .Site.Params "social" "GITHUB" }}|{{ .Page.Params.showtoc }}|{{ .Page.Params.ShowTOC }}'
    )
    assert render(source, ctx) == "kim|b|kim|true|true"


def test_get_follows_hugo_for_kind_mismatch_and_missing() -> None:
    named = Shortcode(params={"a": "1"})
    positional = Shortcode(params=["x"])
    source = '[{{ .Get 0 | printf "%v" }}|{{ .Get "a" | printf "%v" }}|{{ .Get 5 | printf "%v" }}|{{ .Get "zz" | printf "%q" }}]'
    assert render(source, named) == "[&lt;nil&gt;|1|&lt;nil&gt;|&#34;&#34;]"
    assert render(source, positional) == "[x|&lt;nil&gt;||%!q(&lt;nil&gt;)]"


def test_typed_values_skip_their_escaper() -> None:
    ctx = Shortcode(params={"u": "javascript:x()", "h": "<b>&</b>"})
    source = '<a href="{{ .Get "u" | safeURL }}">{{ .Get "h" | safeHTML }}</a><a href="{{ .Get "u" }}">{{ .Get "h" }}</a>'
    assert (
        render(source, ctx)
        == '<a href="javascript:x%28%29"><b>&</b></a><a href="#ZgotmplZ">&lt;b&gt;&amp;&lt;/b&gt;</a>'
    )


def test_inner_is_trusted_html_and_markdownify_uses_the_callback() -> None:
    seen: list[str] = []

    def md(text: str) -> str:
        seen.append(text)
        return f"<p>{text.upper()}</p>\n"

    ctx = Shortcode(inner="<em>x</em>")
    assert (
        render("{{ .Inner }}|{{ .Inner | markdownify }}", ctx, markdownify=md)
        == "<em>x</em>|<EM>X</EM>"
    )
    assert seen == ["<em>x</em>"]
    assert isinstance(Shortcode(inner="a").go_field("Inner", []), HTML)


def test_warnf_reports_through_the_callback() -> None:
    seen: list[str] = []
    assert render('a{{ warnf "careful: %q" "x" }}b', warn=seen.append) == "ab"
    assert seen == ['careful: "x"']


def test_scratch_and_store() -> None:
    source = (
        '{{ .Scratch.Set "a" 1 }}{{ .Scratch.Add "a" 2 }}{{ .Store.Add "s" "x" }}{{ .Store.Add "s" "y" }}'
        '{{ .Scratch.Set "l" (slice 1) }}{{ .Scratch.Add "l" (slice 2 3) }}{{ .Scratch.Add "l" 4 }}'
        '{{ .Scratch.SetInMap "m" "b" 2 }}{{ .Scratch.SetInMap "m" "a" 1 }}'
        '{{ .Scratch.Get "a" }} {{ .Scratch.Get "s" }} {{ .Scratch.Get "l" }} {{ .Scratch.GetSortedMapValues "m" }}'
        '{{ .Scratch.DeleteInMap "m" "a" }}{{ .Scratch.Delete "a" }} {{ .Scratch.Get "a" }} {{ .Scratch.Values }}'
    )
    assert render(source) == "3 xy [1 2 3 4] [1 2]  map[l:[1 2 3 4] m:map[b:2] s:xy]"


def test_translate_callback_answers_t() -> None:
    out = render(
        '{{ T "more" }}|{{ i18n "gone" | default "기본" }}', translate={"more": "더 보기"}.get
    )
    assert out == "더 보기|기본"


def test_ref_and_relref_use_the_resolver() -> None:
    pages = {"posts/a.md": "/posts/a/"}

    def resolve(path: str, absolute: bool) -> str:
        return ("https://e.org" if absolute else "") + pages[path]

    source = (
        '{{ ref . "posts/a.md" }} {{ relref .Page "posts/a.md" }} '
        '{{ .Page.RelRef "posts/a.md" }} {{ .Page.Ref (dict "path" "posts/a.md") }}'
    )
    out = render(source, Shortcode(page=Page()), resolve_ref=resolve)
    assert out == "https://e.org/posts/a/ /posts/a/ /posts/a/ https://e.org/posts/a/"
    with pytest.raises(TemplateError) as info:
        render('\n{{ relref . "nope.md" }}', resolve_ref=resolve)
    assert (
        str(info.value)
        == f'{PATH}:2:4: error calling relref: REF_NOT_FOUND: Ref "nope.md": page not found'
    )


def test_relurl_absurl_use_the_base_url() -> None:
    source = '{{ relURL "a/b" }} {{ absURL "a/b" }} {{ relURL "/c" }} {{ absURL "/c" }} {{ relURL "" }} {{ absURL "" }}'
    out = render(source, base_url="https://e.org/docs/")
    assert out == "/docs/a/b https://e.org/docs/a/b /c https://e.org/c /docs/ https://e.org/docs/"


def test_html_comments_and_js_comments_are_removed_from_template_text() -> None:
    source = "<p>a<!-- x -->b</p><script>var a = 1; // note\nvar b = 2; /* c */ var c;</script>"
    assert render(source) == "<p>ab</p><script>var a = 1; \nvar b = 2;   var c;</script>"


_FRAGMENTS = [
    "{{",
    "}}",
    "{{-",
    "-}}",
    " ",
    "\n",
    "{{/*",
    "*/}}",
    ".Get",
    "0",
    '"a"',
    "`r`",
    "$x",
    ":=",
    "=",
    "|",
    "(",
    ")",
    "if",
    "else",
    "end",
    "range",
    "with",
    "break",
    "printf",
    '"%s"',
    '<a href="',
    '">',
    "<script>",
    "</script>",
    "<style>",
    "<!--",
    "-->",
    "'",
    '"',
    "<",
    ">",
    "index",
    ".Inner",
    ".Page.Title",
    "$",
    ".",
    "nil",
    "true",
    "1.5",
    "-3",
    "and",
    "or",
    "not",
    "eq",
    "dict",
    "slice",
    "style=",
    "onclick=",
    "<textarea>",
    "{{ end }}",
    "{{ else }}",
    "{{ if .Get 0 }}",
    ",",
    "$i",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=25))
def test_any_input_compiles_or_fails_with_a_position(pieces: list[str]) -> None:
    source = "".join(pieces)
    try:
        template = compile(source, PATH)
    except TemplateError as exc:
        assert exc.path == PATH and exc.line >= 1 and exc.col >= 1
        return
    for ctx in (Shortcode(), Shortcode(params=["x", "<y>"], inner="<i>z</i>")):
        try:
            assert isinstance(template.render(ctx), str)
        except TemplateError as exc:
            assert exc.path == PATH and exc.line >= 1 and exc.col >= 1
