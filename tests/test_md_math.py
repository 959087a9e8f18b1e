"""Math: ``$…$``, ``$$…$$``, ``\\(…\\)``, ``\\[…\\]`` to MathML at build time."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsnotes_site.markdown import render_markdown
from awsnotes_site.markdown.math import math_plugin, render_tex
from helpers import format_vnu, parse_html_string, run_vnu
from markdown_fixture import PAGE, fixture_markdown
from mdext_support import (
    NOTE_PATH,
    all_features_html,
    fixture_cases,
    fixture_tests,
    plain_parser,
    render_plain,
    render_site,
    site_parser,
    write_page,
)

CASES = fixture_cases("math")
test_fixture_on_the_site_parser, test_fixture_on_a_plain_parser = fixture_tests("math", math_plugin)


@pytest.mark.parametrize(
    "prose",
    [
        "S3 요금은 $0.023/GB 입니다.",
        "echo $HOME 그리고 $PATH",
        "이 책은 5$ 입니다.",
        "$5 and $10",
        "US$5 에서 US$10 까지",
        "$ x$",
        "\\$x$",
    ],
)
def test_a_dollar_in_prose_is_never_math(prose: str) -> None:
    html = render_plain(plain_parser(math_plugin), prose)[0]
    assert "<math" not in html and "math-error" not in html


def test_hangul_in_text_is_mtext() -> None:
    html = render_plain(plain_parser(math_plugin), "$\\text{넓이} = \\pi r^2$")[0]
    doc = parse_html_string(html)
    mtext = doc.find("mtext")
    assert mtext is not None and mtext.text() == "넓이"
    math = doc.find("math")
    assert math is not None and math["display"] == "inline"


def test_display_math_is_a_block_math_element() -> None:
    doc = parse_html_string(render_plain(plain_parser(math_plugin), "$$\nx\n$$\n")[0])
    block = doc.find("div", class_="math-display")
    assert block is not None
    math = block.find("math")
    assert math is not None and math["display"] == "block"


def test_same_output_with_and_without_the_dispatching_parser() -> None:
    text = "\n".join(c[2] for c in CASES)
    fast = fixture_markdown()
    slow = fixture_markdown(dispatch=False)
    fast.use(math_plugin)
    slow.use(math_plugin)
    assert render_site(fast, text) == render_site(slow, text)


def test_formulas_are_rendered_once_and_cached() -> None:
    source = "\\sqrt{cached + 1}"
    before = render_tex.cache_info()
    render_plain(plain_parser(math_plugin), f"${source}$ 와 ${source}$")
    after = render_tex.cache_info()
    assert after.misses - before.misses == 1
    assert after.hits - before.hits >= 1
    assert render_tex(source, False) is render_tex(source, False)


def test_warning_lines_count_from_the_file() -> None:
    md = site_parser(math_plugin)
    result = render_markdown(md, "첫 줄\n둘째 줄 $\\frac{1}$\n", NOTE_PATH, 7, PAGE)
    [diag] = result.diagnostics
    assert (diag.line, diag.severity.value) == (8, "warning")
    assert diag.format().startswith(f"{NOTE_PATH}:8: warning: math:")


def test_heading_with_math_reads_as_tex_in_the_toc() -> None:
    md = site_parser(math_plugin)
    result = render_markdown(md, "## 에너지 $E=mc^2$\n", NOTE_PATH, 1, PAGE)
    [entry] = result.toc
    assert entry.title == "에너지 E=mc^2"
    assert entry.id == "에너지-emc2"


def test_the_token_content_is_the_tex_source() -> None:
    md = plain_parser(math_plugin)
    tokens = md.parse("본문 $a+b$\n\n$$\n\\frac{1}{2}\n$$\n")
    inline = [c for t in tokens if t.children for c in t.children if c.type == "math_inline"]
    assert [t.content for t in inline] == ["a+b"]
    assert [t.content for t in tokens if t.type == "math_block"] == ["\\frac{1}{2}"]


def test_the_nu_checker_finds_no_error_on_a_page_with_every_feature(tmp_path: Path) -> None:
    page = write_page(tmp_path / "page", all_features_html())
    errors = run_vnu(page)
    assert not errors, format_vnu(errors)


def test_warnings_inside_shortcode_content_have_lines() -> None:
    md = site_parser(math_plugin)
    text = '앞\n\n{{% details summary="풀이" %}}\n첫 줄\n잘못 $x^$\n{{% /details %}}\n'
    result = render_markdown(md, text, NOTE_PATH, 1, PAGE)
    assert [(d.line, d.message.split(":")[0]) for d in result.diagnostics] == [(5, "math")]
    assert '<code class="math-error">$x^$</code>' in result.html
