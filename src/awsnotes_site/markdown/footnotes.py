"""The page's footnote block, made once: for the note's body, never for shortcode text.

mdit-py-plugins' ``footnote_tail`` core rule appends the footnote block (``<hr>`` and the
list) to every token stream parsed with an ``env`` that holds footnotes. Shortcodes render
their parameters and inner text with the page's ``env`` (a ``figure`` caption, a
``details`` summary, a template's ``inner_html``), so each of those got a copy of the
page's footnotes: a second ``id="fn1"``, and ``↩︎`` in an image's alt text. Here the rule
places the block only in the first block-level parse of a note (the body: shortcode text
is parsed while the body renders, after it); other parses only drop their footnote
definitions, as the stock rule does before it builds the block.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from mdit_py_plugins.footnote.index import footnote_tail

from awsnotes_site.markdown.context import get_env


def page_footnote_tail(state: StateCore) -> None:
    if "footnotes" not in state.env:
        return
    env = get_env(state.env)
    if not state.inlineMode and not env.footnotes_placed:
        env.footnotes_placed = True
        footnote_tail(state)
        return
    # Not the page's body: definitions are dropped, no block is made.
    footnotes = state.env["footnotes"]
    state.env["footnotes"] = {"refs": footnotes.get("refs", {}), "list": {}}
    try:
        footnote_tail(state)
    finally:
        state.env["footnotes"] = footnotes


def footnotes_plugin(md: MarkdownIt) -> None:
    """Put :func:`page_footnote_tail` in place of mdit-py-plugins' ``footnote_tail``."""
    md.core.ruler.at("footnote_tail", page_footnote_tail)
