"""Shortcode comments in code and raw HTML: ``{{</* x */>}}`` prints as ``{{< x >}}``.

Hugo reads shortcodes before Markdown, so a comment shortcode inside fenced code, a code
span or raw HTML is printed without its ``/* */`` like anywhere else (that is how Hugo
blogs show shortcode syntax in code). Paragraph text is handled by the inline rule; this
core rule runs right after inline parsing, before the URL and figure rules read HTML.
"""

from __future__ import annotations

from markdown_it.rules_core import StateCore

from awsnotes_site.markdown.shortcodes.lexer import unescape_comments

_BLOCKS = frozenset({"fence", "code_block", "html_block"})
_INLINE = frozenset({"code_inline", "html_inline"})


def unescape_code_comments(state: StateCore) -> None:
    if "/*" not in state.src:
        return  # no comment in the note (nearly every note): no token to look at
    for token in state.tokens:
        if "/*" not in token.content:
            continue
        if token.type in _BLOCKS:
            token.content = unescape_comments(token.content)
        elif token.type == "inline":
            for child in token.children or ():
                if child.type in _INLINE and "/*" in child.content:
                    child.content = unescape_comments(child.content)
