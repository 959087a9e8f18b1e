"""Site-wide code block defaults: Hugo's ``[markup.highlight]`` given to create_markdown."""

from __future__ import annotations

from typing import Any

import pytest

from awsnotes_site.markdown import create_markdown, render_markdown
from awsnotes_site.markdown.code_options import OptionError, highlight_defaults
from awsnotes_site.markdown.registry import RefResolver, ShortcodeRegistry
from markdown_fixture import FIXTURES

FENCE = "```go\nx := 1\ny := 2\n```\n"
SHORTCODE = "{{< highlight go >}}\nx := 1\ny := 2\n{{< /highlight >}}\n"


def render(text: str, highlight: dict[str, Any] | None = None) -> str:
    registry = ShortcodeRegistry(FIXTURES / "templates", None, RefResolver({}), "/", "/")
    md = create_markdown(registry, "/", highlight=highlight)
    result = render_markdown(md, text, "note.md", 1)
    assert [d.message for d in result.diagnostics] == []
    return result.html


@pytest.mark.parametrize("text", [FENCE, SHORTCODE], ids=["fence", "shortcode"])
def test_site_line_numbers_apply_to_every_block(text: str) -> None:
    inline = render(text, {"lineNos": True, "lineNumbersInTable": False})
    assert inline.count('<span class="ln" aria-hidden="true">') == 2
    assert "lntable" not in inline
    table = render(text, {"lineNos": True})  # lineNumbersInTable is true by default
    assert table.count('<span class="lnt">') == 2


def test_a_block_overrides_the_site() -> None:
    site = {"lineNos": True, "lineNumbersInTable": False, "hl_Lines": "2"}
    html = render("```go {linenos=false, hl_lines=[1]}\nx := 1\ny := 2\n```\n", site)
    assert 'class="ln"' not in html
    assert html.count('class="line hl"') == 1
    assert html.index('class="line hl"') < html.index("y")
    table = render("```go {linenos=true}\nx\n```\n", {"lineNumbersInTable": False})
    assert "lntable" not in table and 'class="ln"' in table
    assert "lntable" in render(
        '{{< highlight go "linenos=true, lineNumbersInTable=true" >}}\nx\n{{< /highlight >}}\n',
        {"lineNumbersInTable": False},
    )


def test_site_options_with_the_keys_hugo_uses() -> None:
    html = render(
        FENCE,
        {
            "lineNoStart": 10,
            "lineNos": "inline",
            "wrapperClass": "code",
            "anchorLineNos": True,
            "lineAnchors": "L",
        },
    )
    assert html.startswith('<div class="code">')
    assert (
        '<span class="line" id="L-10"><span class="ln"><a href="#L-10" class="lnlinks">10</a>'
        in html
    )


def test_options_that_change_nothing_are_ignored() -> None:
    settings = {"style": "monokai", "noClasses": False, "tabWidth": 2, "noHl": False}
    assert render(FENCE, settings) == render(FENCE)
    defaults = highlight_defaults({**settings, "colour": "red"})
    assert defaults.ignored == ("style", "noclasses", "tabwidth", "nohl")
    assert defaults.unknown == ("colour",)


def test_code_fences_off_leaves_fences_plain() -> None:
    html = render(FENCE, {"codeFences": False})
    assert html == '<pre><code class="language-go">x := 1\ny := 2\n</code></pre>\n'
    assert 'class="chroma"' in render(SHORTCODE, {"codeFences": False})


def test_guess_syntax_highlights_code_without_a_language() -> None:
    code = "```\n#!/usr/bin/env python3\nimport os\ndef f():\n    return os.sep\n```\n"
    assert '<span class="kn">import</span>' in render(code, {"guessSyntax": True})
    assert '<span class="kn">' not in render(code)


def test_a_bad_site_value_is_an_error() -> None:
    with pytest.raises(OptionError, match="linenos must be true or false"):
        highlight_defaults({"lineNos": "maybe"})
    with pytest.raises(OptionError, match="hl_lines"):
        create_markdown(
            ShortcodeRegistry(FIXTURES / "templates", None, RefResolver({}), "/", "/"),
            highlight={"hl_Lines": "two"},
        )
