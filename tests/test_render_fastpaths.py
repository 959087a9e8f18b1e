"""The rendering shortcuts give exactly what the plain way gives: rule dispatch by first
character (markdown/dispatch.py) against markdown-it's own rule loops, the joined-regex
lexer loop (markdown/fastlex.py) against Pygments' own, and the HTML tokenizer's and
plain_text's regex paths against html.parser."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it.utils import read_fixture_file
from pygments import lex
from pygments.lexer import RegexLexer
from pygments.lexers import find_lexer_class_by_name, get_lexer_by_name
from pygments.lexers.special import RawTokenLexer

from awsnotes_site.content.frontmatter import _simple_toml, tomllib
from awsnotes_site.markdown import render_markdown
from awsnotes_site.markdown.highlight import css_class, get_lexer, highlight_lines
from awsnotes_site.markdown.html_tokens import _TextCollector, parsed_events, plain_text, tokenize
from awsnotes_site.markdown.speedups.fastlex import LazyMatch, accelerate, lazy_lexer
from markdown_fixture import FIXTURES, PAGE, fixture_markdown
from test_properties import MARKDOWN

EXAMPLES = settings(
    max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)


FAST, STOCK = fixture_markdown(), fixture_markdown(dispatch=False)


def _render(md: Any, text: str) -> Any:
    try:
        r = render_markdown(md, text, "content/posts/current.md", 3, PAGE)
    except Exception as exc:  # the same failure either way is fine here
        return repr(exc)
    return (r.html, r.text, r.toc, r.links, r.diagnostics, r.refs, r.shortcodes)


def _tokens(md: Any, text: str) -> list[Any]:
    try:
        tokens = md.parse(text, {})
    except Exception as exc:
        return [repr(exc)]
    out = []
    stack = list(reversed(tokens))
    while stack:
        t = stack.pop()
        out.append((t.type, t.tag, t.nesting, t.map, t.content, t.markup, t.info, t.attrs))
        stack.extend(reversed(t.children or []))
    return out


def test_dispatch_is_on_by_default() -> None:
    assert len(FAST.block.ruler.getRules("")) == 1
    assert len(STOCK.block.ruler.getRules("")) > 1


def test_dispatch_renders_every_fixture_the_same() -> None:
    cases = [
        text for path in sorted(FIXTURES.glob("*.md")) for _, _, text, _ in read_fixture_file(path)
    ]
    assert len(cases) >= 40
    for text in cases:
        assert _render(FAST, text) == _render(STOCK, text), text


def test_dispatch_renders_the_shipped_note_the_same() -> None:
    root = Path(__file__).resolve().parent.parent / "content"
    notes = sorted(root.rglob("*.md"))
    assert notes
    for note in notes:
        text = note.read_text(encoding="utf-8")
        assert _render(FAST, text) == _render(STOCK, text), note


@EXAMPLES
@given(MARKDOWN)
def test_dispatch_gives_the_stock_tokens(text: str) -> None:
    assert _tokens(FAST, text) == _tokens(STOCK, text)
    assert _render(FAST, text) == _render(STOCK, text)


BLOCK_HTML_BITS = st.sampled_from(
    [
        "<div>",
        "</DIV>",
        "<pre>",
        "</pre>",
        "<Script type=x>",
        "</script>",
        "<style",
        "<textarea>",
        "<!-- c",
        "-->",
        "<?php",
        "?>",
        "<!DOCTYPE html>",
        "<![CDATA[",
        "]]>",
        "<table>",
        "</td >",
        "<figcaption align=center>",
        '<img src="/x.png" >',
        "<br>",
        "<U>",
        "<a1>",
        "<x-y/>",
        "<1>",
        "< div>",
        "텍스트",
        "text",
        " ",
        "\t",
        "",
        "- ",
        "> ",
        "1. ",
        "    ",
    ]
)


def test_fast_html_block_is_in_use() -> None:
    from awsnotes_site.markdown.speedups.html_block import html_block

    rules = {r.name: r for r in FAST.block.ruler.__rules__}
    assert rules["html_block"].fn is html_block
    assert rules["html_block"].alt == ["paragraph", "reference", "blockquote"]


@EXAMPLES
@given(st.lists(st.lists(BLOCK_HTML_BITS, max_size=5).map("".join), max_size=8).map("\n".join))
def test_fast_html_block_gives_the_stock_tokens(text: str) -> None:
    assert _tokens(FAST, text) == _tokens(STOCK, text)


HTML_BITS = st.sampled_from(
    [
        "<br>",
        "<BR/>",
        "<br />",
        "<br / >",
        "< br>",
        "<U>",
        "</U>",
        "</u >",
        "</br/>",
        "<b\n>",
        "<script>",
        "</script>",
        "<Style>",
        "<textarea>",
        "<title>",
        "<a1>",
        "<1>",
        "<!--",
        "-->",
        "&amp;",
        "&",
        "<",
        ">",
        "/",
        "텍스트",
        " ",
        "\n",
        "x",
    ]
)


@EXAMPLES
@given(
    st.one_of(
        st.lists(HTML_BITS, max_size=12).map("".join),
        st.text(alphabet="<>/ &;brBRsciptyl\n\tx가=\"'!-", max_size=60),
    )
)
def test_plain_text_matches_html_parser(source: str) -> None:
    parser = _TextCollector()
    parser.feed(source)
    parser.close()
    assert plain_text(source) == "".join(parser.parts)


LANGS = ["python", "go", "bash", "yaml", "json", "javascript", "typescript", "java", "kotlin"]
LANGS += ["rust", "sql", "css", "html", "xml", "toml", "ini", "docker", "nginx", "haskell"]
ROOT = Path(__file__).resolve().parent.parent
SOURCES = [
    p.read_text(encoding="utf-8")
    for p in sorted([*(ROOT / "src").rglob("*.py"), *(ROOT / "bench").glob("*.py")])
] + [
    "def f(x: int) -> str:\n    return f\"{x!r:>{w}} {{}}\" + rb\"\\d\" '''doc'''\n",
    "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(`raw`, 0x1F, 1e3, 'a') }\n",
    "key: value\nlist:\n  - a\n  - {b: 1}\n# c\n",
    "cat <<EOF\n$HOME ${x:-y} $(date)\nEOF\necho 'a' \"b\" | grep -E '^x' > /dev/null\n",
]


@pytest.mark.parametrize("lang", LANGS)
def test_fast_lexer_gives_pygments_tokens(lang: str) -> None:
    stock = get_lexer_by_name(lang, stripnl=False, ensurenl=True)
    fast = accelerate(get_lexer_by_name(lang, stripnl=False, ensurenl=True))
    for text in SOURCES:
        assert list(fast.get_tokens(text)) == list(stock.get_tokens(text)), text[:200]


@pytest.mark.parametrize("lang", [*LANGS, "hcl", "terraform", "php", "ruby", "c", "cpp"])
def test_lexer_with_rules_compiled_on_use_gives_pygments_tokens(lang: str) -> None:
    """get_lexer's lexers compile a rule when first used (joined states as one regex):
    same tokens as Pygments' own lexer, and rules of states never entered stay
    uncompiled."""
    stock = get_lexer_by_name(lang, stripnl=False, ensurenl=True)
    cls = find_lexer_class_by_name(lang)
    lazy = accelerate(lazy_lexer(cls)(stripnl=False, ensurenl=True))
    assert isinstance(lazy, type(stock))
    for text in [*SOURCES[-4:], *SOURCES[:3]]:
        assert list(lazy.get_tokens(text)) == list(stock.get_tokens(text)), text[:200]
    if cls.get_tokens_unprocessed is not RegexLexer.get_tokens_unprocessed:  # (YAML's own)
        assert lazy_lexer(cls) is cls
        return
    rules = [r for state in type(lazy)._tokens.values() for r, _, _ in state]  # type: ignore[attr-defined]
    lazies = [r for r in rules if isinstance(r, LazyMatch)]
    assert lazies, "the lexer's rules are not the lazy ones"
    if lang == "python":
        assert any(r._match is None for r in lazies)  # e.g. the f-string states of 'rb'


def test_get_lexer_is_lazy_and_stock_lexers_are_left_alone() -> None:
    fresh = get_lexer("python")
    assert fresh is not None
    assert type(fresh) is not type(PY) and isinstance(fresh, type(PY))
    assert not any(isinstance(r, LazyMatch) for s in type(PY)._tokens.values() for r, _, _ in s)  # type: ignore[attr-defined]


CODE_CHARS = "ab_1 \n\t<>&\"'#{}[]:,-0x/*`$()=;\\@.%!?r"
PY = get_lexer_by_name("python", stripnl=False, ensurenl=True)
GO = get_lexer_by_name("go", stripnl=False, ensurenl=True)
FAST_PY = accelerate(get_lexer_by_name("python", stripnl=False, ensurenl=True))
FAST_GO = accelerate(get_lexer_by_name("go", stripnl=False, ensurenl=True))


@EXAMPLES
@given(st.text(alphabet=CODE_CHARS, max_size=200))
def test_fast_lexer_on_random_code(text: str) -> None:
    assert list(FAST_PY.get_tokens(text)) == list(PY.get_tokens(text))
    assert list(FAST_GO.get_tokens(text)) == list(GO.get_tokens(text))


def _reference_lines(code: str, lexer: Any) -> list[str]:
    """highlight_lines by its definition: Pygments' tokens (empty ones dropped), adjacent
    tokens of one class merged, cut into lines, each piece escaped and wrapped in a span
    of its class (none for the class-less)."""
    runs: list[tuple[str, str]] = []
    for ttype, value in lex(code, lexer):
        if not value:
            continue
        cls = css_class(ttype)
        if runs and runs[-1][0] == cls:
            runs[-1] = (cls, runs[-1][1] + value)
        else:
            runs.append((cls, value))
    lines: list[str] = []
    current: list[str] = []
    for cls, text in runs:
        for i, part in enumerate(text.split("\n")):
            if i:
                lines.append("".join(current))
                current = []
            if part:
                escaped = html.escape(part, quote=False)
                current.append(f'<span class="{cls}">{escaped}</span>' if cls else escaped)
    if current:
        lines.append("".join(current))
    return lines


@pytest.mark.parametrize("lang", [*LANGS, "text", "raw"])
def test_highlight_lines_follows_its_definition(lang: str) -> None:
    lexer = get_lexer(lang) if lang != "raw" else RawTokenLexer()
    assert lexer is not None
    for text in [*SOURCES, "", "\n", "a", "a\n\n", "\n\nx", "x < y && z"]:
        assert highlight_lines(text, lexer) == _reference_lines(text, lexer), text[:200]


@EXAMPLES
@given(st.text(alphabet=CODE_CHARS, max_size=200))
def test_highlight_lines_on_random_code(text: str) -> None:
    for lexer in (FAST_PY, FAST_GO, get_lexer("bash"), get_lexer("text")):
        assert highlight_lines(text, lexer) == _reference_lines(text, lexer)


TAG_BITS = st.sampled_from(
    [
        "<img",
        "<IMG",
        "<br",
        "<figcaption",
        "</figcaption>",
        "</FIGCAPTION >",
        "</a>",
        "<x-y",
        "<script>",
        "<textarea>",
        "<svg:rect",
        "<h1",
        "</h1\n>",
        " ",
        "\n",
        "\t",
        "\r",
        "\f",
        "\u3000",
        "\x0b",
        "src",
        "CLASS",
        "data-x",
        "on:click",
        "a.b",
        "=",
        " = ",
        '"v"',
        "'v'",
        '"a>b"',
        '"/x/"',
        "plain",
        "/x/",
        "c/",
        "/",
        "/>",
        ">",
        "텍스트",
        "<",
        "&amp;",
        "`",
        '"',
        "<!--",
        "-->",
        "<!DOCTYPE",
        "<?x",
        "<1",
        "x=y=z",
    ]
)
FIGURE_HTML = (
    '<img class="img-zoomable __web-inspector-hide-shortcut__" src="/static/x.png" >\n'
    '<figcaption align = "center">[Picture 1] VPC 엔드포인트</figcaption>\n'
)


def _events(fn: Any, source: str) -> Any:
    try:
        return fn(source)
    except Exception as exc:  # html.parser's own failures must stay the same
        return repr(exc)


@pytest.mark.parametrize(
    "source",
    [
        "<img src>",
        "<input disabled>",
        '<img alt="" src="/x.png">',
        "<img alt='' title=t>",
        '<p CLASS="A" Data-X=1 hidden/>',
    ],
)
def test_tokenizer_fast_path_reads_attributes_as_html_parser(source: str) -> None:
    """Attributes with no value, an empty value, plain and quoted values, upper case."""
    from awsnotes_site.markdown.html_tokens import _simple_events

    assert _simple_events(source) == parsed_events(source)


def test_tokenizer_fast_path_is_taken_for_figures() -> None:
    assert tokenize(FIGURE_HTML) == parsed_events(FIGURE_HTML)
    from awsnotes_site.markdown.html_tokens import _simple_events

    assert _simple_events(FIGURE_HTML) is not None


FIGURE_TEXT = st.lists(st.sampled_from([*"가a &\"<>'/=", "&amp;", "\n"]), max_size=12).map("".join)


@EXAMPLES
@given(
    src=FIGURE_TEXT,
    alt=FIGURE_TEXT,
    caption=st.sampled_from(["", "[Picture 1] VPC", "<b>굵게</b> &amp; <code>x</code>", "a\nb"]),
    title=FIGURE_TEXT,
    link=FIGURE_TEXT,
    width=st.sampled_from(["", "640"]),
    extra=st.lists(st.tuples(st.sampled_from(["data-x", "id", "hidden"]), st.none() | FIGURE_TEXT)),
    trailing=st.booleans(),
)
def test_figure_events_are_what_the_tokenizer_reads_from_the_figure(
    src: str,
    alt: str,
    caption: str,
    title: str,
    link: str,
    width: str,
    extra: list[tuple[str, str | None]],
    trailing: bool,
) -> None:
    """The figure rule hands its events on instead of the images rule parsing the figure
    again: the same tags and attributes in the same order, joining to the same markup."""
    from awsnotes_site.markdown.figures import Figure, figure_events, figure_html
    from awsnotes_site.markdown.html_tokens import join

    fig = Figure(src=src, alt=alt, caption_html=caption, title=title, link=link, width=width)
    fig.extra_attrs = extra
    made = figure_events(fig, trailing_newline=trailing)
    markup = figure_html(fig) if trailing else figure_html(fig).rstrip("\n")
    assert join(made) == "".join(e.raw for e in made) == markup

    def tags(events: list[Any]) -> list[Any]:
        return [(e.kind, e.tag, e.attrs, e.raw) for e in events if e.kind != "data"]

    assert tags(made) == tags(tokenize(markup))


@settings(
    max_examples=1500, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(st.lists(TAG_BITS, max_size=14).map("".join))
def test_tokenizer_matches_html_parser(source: str) -> None:
    assert _events(tokenize, source) == _events(parsed_events, source)


@given(
    st.text(
        alphabet=st.sampled_from(
            list("가힣각 aZ9.\n")
            + [
                "\ua000",
                "\uabff",
                "\uac00",
                "\ud7a3",
                "\ud7a4",
                "\ud7ff",
                "\ud800",
                "\udfff",
                "\ue000",
                "\u3131",
                "\u4e00",
                "😀",
            ]
        ),
        max_size=80,
    )
)
@settings(max_examples=500, deadline=None)
def test_hangul_count_from_utf8_lead_bytes_equals_the_regex_count(text: str) -> None:
    """Reading time counts Hangul syllables by their UTF-8 lead bytes; characters that
    share those bytes (Yi, Jamo extensions, lone surrogates) fall back to the regex."""
    from awsnotes_site.text import _HANGUL, hangul_syllables

    assert hangul_syllables(text) == len(_HANGUL.findall(text))


TOML_BITS = st.sampled_from(
    [
        "title",
        "date",
        "tags",
        "a-b_1",
        "a.b",
        '"key"',
        " = ",
        "=",
        " ",
        "\t",
        '"',
        '"노트 [Book]"',
        '"a\\"b"',
        '"tab\there"',
        "\\",
        "'lit'",
        "[",
        "]",
        ", ",
        '"x", ',
        "true",
        "false",
        "True",
        "0",
        "-0",
        "01",
        "+1",
        "1234567890123456789",
        "1_0",
        "2023-03-26",
        "2023-02-30",
        "2024-12-31",
        "T20:47:00",
        "T24:00:00",
        " 20:47:00",
        ".5",
        "+09:00",
        "-05:30",
        "+24:00",
        "Z",
        "z",
        "# c",
        "\x01",
        "\x7f",
        "\u3000",
        "[params]",
    ]
)


TOML_STRINGS = st.sampled_from(
    ['"x"', '""', '"노트 [Book]"', '"a\\"b"', '"t\tb"', "'x'", '"\x01"', '"\x7f"']
)
TOML_VALUES = st.one_of(
    TOML_STRINGS,
    st.lists(TOML_STRINGS, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]"),
    st.lists(TOML_STRINGS, max_size=3).map(lambda xs: "[ " + " ,".join(xs) + ", ]"),
    st.sampled_from(["true", "false", "True", "0", "-0", "01", "+1", "-12", "1_0", "1e3"]),
    st.tuples(
        st.sampled_from(["2023-03-26", "2024-02-29", "2023-02-29", "2023-13-01", "2023-1-01"]),
        st.sampled_from(["", "T20:47:00", "T00:00:59", "T24:00:00", "T20:47:60", " 20:47:00"]),
        st.sampled_from(["", "Z", "z", "+09:00", "-05:30", "+24:00", "+09:60", ".5"]),
    ).map("".join),
)
TOML_LINE = st.tuples(
    st.sampled_from(["title", "date", "tags", "a-b_1", "1", '"q"', "a.b", "", "제목"]),
    st.sampled_from([" = ", "=", "\t=  ", " : "]),
    TOML_VALUES,
    st.sampled_from(["", " ", "\t", " # c", ","]),
).map("".join)


def _check_simple_toml(text: str) -> None:
    simple = _simple_toml(text)
    if simple is not None:  # else tomllib parses it (and reports its errors)
        assert repr(simple) == repr(tomllib.loads(text))


@EXAMPLES
@given(TOML_LINE)
def test_simple_toml_line_gives_what_tomllib_gives(line: str) -> None:
    _check_simple_toml(line)


@EXAMPLES
@given(st.lists(st.one_of(TOML_LINE, st.lists(TOML_BITS, max_size=8).map("".join)), max_size=6))
def test_simple_toml_gives_what_tomllib_gives(lines: list[str]) -> None:
    _check_simple_toml("\n".join(lines))
    _check_simple_toml("\n".join(lines[:1] * 2))  # a key twice


def test_simple_toml_takes_the_usual_front_matter() -> None:
    shipped = ROOT / "content" / "posts" / "aws-network-2.md"
    text = shipped.read_text(encoding="utf-8")
    front = text.split("+++")[1]
    assert _simple_toml(front) == tomllib.loads(front)
    usual = (
        'title = "노트"\ndate = 2024-12-31T20:47:00+09:00\ntags = ["VPC", "보안"]\ndraft = false'
    )
    assert _simple_toml(usual) == tomllib.loads(usual)
    for odd in (
        'title = "a\\tb"',
        "title = 'x'",
        "[params]\nx = 1",
        'a = "x" # c',
        "a = 2023-02-30",
    ):
        assert _simple_toml(odd) is None, odd


def test_display_paths_with_folders_resolved_once(tmp_path: Path) -> None:
    """Notes loaded in one pass share their folders' resolution; a symlinked note or
    folder still shows the path it resolves to, as Path.resolve() gives it."""
    from awsnotes_site.config import load_config
    from awsnotes_site.pipeline.load import load_all
    from sitefactory import make_project

    project = make_project(tmp_path, {"posts/a.md": "+++\ntitle = 'a'\n+++\n"})
    content = project / "content"
    elsewhere = project / "elsewhere"
    (elsewhere / "deep").mkdir(parents=True)
    (elsewhere / "b.md").write_text("+++\ntitle = 'b'\n+++\n", encoding="utf-8")
    (elsewhere / "deep" / "c.md").write_text("+++\ntitle = 'c'\n+++\n", encoding="utf-8")
    (content / "posts" / "b.md").symlink_to(elsewhere / "b.md")  # a linked note
    (content / "linked").symlink_to(elsewhere / "deep", target_is_directory=True)
    (content / "posts" / "d.md").write_text("+++\ntitle = 'd'\n+++\n", encoding="utf-8")
    config, _ = load_config(project)
    paths = sorted([*(content / "posts").iterdir(), content / "linked" / "c.md"])
    loaded = load_all(paths, config, jobs=1)
    shown = {p.name: getattr(loaded[p], "display_path", None) for p in paths}
    assert shown == {p.name: p.resolve().relative_to(project.resolve()).as_posix() for p in paths}
    assert shown["b.md"] == "elsewhere/b.md" and shown["c.md"] == "elsewhere/deep/c.md"
    assert shown["a.md"] == "content/posts/a.md"


def test_fast_normalize_is_in_use() -> None:
    from awsnotes_site.markdown.speedups.normalize import normalize

    rules = {r.name: r for r in FAST.core.ruler.__rules__}
    assert rules["normalize"].fn is normalize


@EXAMPLES
@given(st.lists(st.sampled_from(["\r\n", "\r", "\n", "\0", "\r\r\n", "a", "가", " ", "\n\r"])))
def test_fast_normalize_gives_the_stock_text(parts: list[str]) -> None:
    from markdown_it.rules_core import StateCore
    from markdown_it.rules_core.normalize import normalize as stock

    from awsnotes_site.markdown.speedups.normalize import normalize

    text = "".join(parts)
    ours, theirs = StateCore(text, FAST, {}), StateCore(text, STOCK, {})
    normalize(ours)
    stock(theirs)
    assert ours.src == theirs.src


def test_fast_block_state_is_in_use() -> None:
    from awsnotes_site.markdown.speedups.block_state import FastParserBlock

    assert isinstance(FAST.block, FastParserBlock)
    assert FAST.block.ruler is not STOCK.block.ruler and FAST.block.ruler.__rules__


BLOCK_LINE_BITS = st.sampled_from(["\n", " ", "\t", "  \t ", "a", "가", "- ", "> ", "\r", "\xa0"])


@EXAMPLES
@given(st.lists(BLOCK_LINE_BITS, max_size=30).map("".join))
def test_fast_block_state_has_the_stock_markers(text: str) -> None:
    from markdown_it.rules_block import StateBlock

    from awsnotes_site.markdown.speedups.block_state import FastStateBlock

    ours = vars(FastStateBlock(text, FAST, {}, []))
    theirs = vars(StateBlock(text, STOCK, {}, []))
    assert ours.keys() == theirs.keys()
    for name in ours.keys() - {"md"}:  # (the parsers differ; their rules do not)
        assert ours[name] == theirs[name], name


def test_uncaptured_rules_match_as_the_rules_do() -> None:
    """fastlex joins a state's rules with their capturing groups made non-capturing: for
    every rule of every Pygments RegexLexer, that pattern compiles with no group left, and
    for the lexers we test it matches what the rule matches at every position of code."""
    import re
    import warnings

    from pygments.lexer import RegexLexer
    from pygments.lexers import find_lexer_class_by_name, get_all_lexers

    from awsnotes_site.markdown.speedups.fastlex import _BACKREF, _uncaptured

    samples = [text[:400] for text in SOURCES[-4:]] + ["(a) [b] {c} <d> 'e' \"f\" \\g\n"]
    checked = 0
    for _, aliases, _, _ in get_all_lexers():
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                lexer = find_lexer_class_by_name(aliases[0])()
        except Exception:  # lexers that need options or extra packages
            continue
        if not isinstance(lexer, RegexLexer):
            continue
        deep = aliases[0] in LANGS
        for rules in lexer._tokens.values():
            for rexmatch, _, _ in rules:
                rule = getattr(rexmatch, "__self__", None)
                if not isinstance(rule, re.Pattern) or not isinstance(rule.pattern, str):
                    continue
                if _BACKREF.search(rule.pattern) or rule.flags & re.VERBOSE:
                    continue  # such states are not joined
                plain = _uncaptured(rule.pattern)
                assert plain is not None, rule.pattern
                compiled = re.compile(plain, rule.flags)
                assert compiled.groups == 0, (rule.pattern, plain)
                checked += 1
                if deep:
                    for text in samples:
                        for pos in range(len(text)):
                            a, b = rule.match(text, pos), compiled.match(text, pos)
                            assert (a and a.span()) == (b and b.span()), (rule.pattern, pos)
    assert checked > 10_000


def test_uncaptured_examples() -> None:
    from awsnotes_site.markdown.speedups.fastlex import _uncaptured

    assert _uncaptured(r"(a)[(]\((?P<n>b)(?:c)(?=d)[]()](?i:e)[^]x(]\\(f)") == (
        r"(?:a)[(]\((?:b)(?:c)(?=d)[]()](?i:e)[^]x(]\\(?:f)"
    )
    assert _uncaptured("(?P<broken") is None


def test_fast_lheading_is_in_use() -> None:
    from awsnotes_site.markdown.speedups.lheading import lheading

    rules = {r.name: r for r in FAST.block.ruler.__rules__}
    assert rules["lheading"].fn is lheading


SETEXT_BITS = st.sampled_from(
    [
        "제목\n",
        "===\n",
        "---\n",
        "  ---\n",
        "   ==\n",
        "    ---\n",
        "\t-\n",
        "-\n",
        "= x\n",
        "- a\n",
        "  b\n",
        "  ---\n",
        "1. x\n",
        "> q\n",
        ">\n",
        "\n",
        "<div>\n",
        "</div>\n",
        "| a |\n",
        "|---|\n",
        "```\n",
        "***\n",
        "# h\n",
        "[r]: /u\n",
        "text",
        " ",
        "\t",
    ]
)


@EXAMPLES
@given(st.lists(SETEXT_BITS, max_size=14).map("".join))
def test_fast_lheading_gives_the_stock_tokens(text: str) -> None:
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_block.lheading import lheading as stock

    from awsnotes_site.markdown.speedups.lheading import lheading

    assert _tokens(FAST, text) == _tokens(STOCK, text)
    # the rule alone, on the first line: same answer, same state left behind
    ours, theirs = StateBlock(text, STOCK, {}, []), StateBlock(text, STOCK, {}, [])
    if ours.lineMax:
        assert lheading(ours, 0, ours.lineMax, False) == stock(theirs, 0, theirs.lineMax, False)
        assert {k: v for k, v in vars(ours).items() if k != "tokens"} == {
            k: v for k, v in vars(theirs).items() if k != "tokens"
        }
        assert [(t.type, t.content, t.map) for t in ours.tokens] == [
            (t.type, t.content, t.map) for t in theirs.tokens
        ]
