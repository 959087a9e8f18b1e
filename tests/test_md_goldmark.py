"""Goldmark's defaults: typographer, definition lists and emoji, each a switch."""

from __future__ import annotations

from functools import partial

import pytest

from awsnotes_site.markdown import render_markdown
from awsnotes_site.markdown.goldmark import emoji_table, goldmark_plugin
from awsnotes_site.markdown.math import math_plugin
from helpers import parse_html_string
from markdown_fixture import PAGE, fixture_markdown
from mdext_support import (
    NOTE_PATH,
    fixture_cases,
    fixture_tests,
    plain_parser,
    render_plain,
    render_site,
    site_parser,
)

CASES = fixture_cases("goldmark")
EVERYTHING = partial(goldmark_plugin, emoji=True)
test_fixture_on_the_site_parser, test_fixture_on_a_plain_parser = fixture_tests(
    "goldmark", EVERYTHING
)


SAMPLE = '"따옴표" -- 대시... :smile:\n\n용어\n: 정의\n'


@pytest.mark.parametrize(
    ("switches", "present", "absent"),
    [
        ({}, ["“", "–", "…", "<dl>"], ["😄"]),
        ({"typographer": False}, ["&quot;", "--", "...", "<dl>"], ["“", "–", "…"]),
        ({"deflist": False}, ["“"], ["<dl>"]),
        ({"emoji": True}, ["😄"], [":smile:"]),
        (
            {"typographer": False, "deflist": False, "emoji": False},
            [":smile:", "--"],
            ["<dl>", "“"],
        ),
    ],
)
def test_each_feature_is_a_switch(
    switches: dict[str, bool], present: list[str], absent: list[str]
) -> None:
    html = render_plain(plain_parser(partial(goldmark_plugin, **switches)), SAMPLE)[0]
    for text in present:
        assert text in html
    for text in absent:
        assert text not in html


def test_never_inside_code_or_math() -> None:
    md = plain_parser(EVERYTHING, math_plugin)
    text = '`"a" -- b...` $a--b$ :smile:\n\n    "indented" -- code...\n'
    doc = parse_html_string(render_plain(md, text)[0])
    codes = [el.text() for el in doc.find_all("code")]
    assert codes == ['"a" -- b...', '"indented" -- code...\n']
    math = doc.find("math")
    assert math is not None and "–" not in math.text()


def test_typographer_reaches_headings_toc_and_search_text() -> None:
    md = site_parser(EVERYTHING)
    result = render_markdown(md, '## "따옴표" -- 제목\n\n본문...\n', NOTE_PATH, 1, PAGE)
    assert result.toc[0].title == "“따옴표” – 제목"
    assert result.text == "“따옴표” – 제목 본문…"


def test_emoji_names_are_githubs() -> None:
    table = emoji_table()
    assert table["+1"] == table["thumbsup"] == "👍"
    assert table["heart"] == "❤️"
    assert table["rocket"] == "🚀"  # no alias in the emoji package: its CLDR name is GitHub's
    assert "grinning_face" not in table  # a CLDR name, not a GitHub one (Hugo 0.168 too)
    assert "red_heart" not in table
    assert len(table) > 1800


def test_same_output_with_and_without_the_dispatching_parser() -> None:
    text = "\n".join(c[2] for c in CASES)
    fast, slow = fixture_markdown(), fixture_markdown(dispatch=False)
    fast.use(EVERYTHING)
    slow.use(EVERYTHING)
    assert render_site(fast, text) == render_site(slow, text)
