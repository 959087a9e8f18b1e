"""The page's footnote block, made once: for the note's body, never for shortcode text.

mdit-py-plugins' ``footnote_tail`` core rule appends the footnote block (``<hr>`` and the
list) to every token stream parsed with an ``env`` that holds footnotes. Shortcodes render
their parameters and inner text with the page's ``env`` (a ``figure`` caption, a
``details`` summary, a template's ``inner_html``), so each of those got a copy of the
page's footnotes: a second ``id="fn1"``, and ``↩︎`` in an image's alt text. Here the rule
places the block only in the first block-level parse of a note (the body: shortcode text
is parsed while the body renders, after it); other parses only drop their footnote
definitions, as the stock rule does before it builds the block.

Shortcode text is rendered after the body was parsed: a reference there (``[^2]`` in a
``figure`` caption, a ``details`` body) is numbered while the page renders, after the
block was made. A ``footnote_late`` token before the block remembers the definitions and
what the block holds; when it renders and more references were met meanwhile, it puts the
block made again from every reference in place of the old one.
"""

from __future__ import annotations

from collections.abc import MutableSequence
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import OptionsDict
from mdit_py_plugins.footnote.index import footnote_tail

from awsnotes_site.markdown.context import get_env


def _placed(env: Any, labels: frozenset[str]) -> dict[int, dict[str, Any]]:
    """The footnotes referenced so far that the block shows: inline ones (``^[…]``) and
    those defined in the body (LABELS; a definition in shortcode text is dropped)."""
    found: dict[int, dict[str, Any]] = env["footnotes"].get("list", {})
    return {i: n for i, n in found.items() if "tokens" in n or n.get("label") in labels}


def _numbered(placed: dict[int, dict[str, Any]]) -> list[tuple[int, int]]:
    """Which footnotes the block holds and how many references each."""
    return [(i, int(note.get("count", 0))) for i, note in placed.items()]


def _definitions(tokens: list[Token]) -> list[Token]:
    """The definitions' tokens (``footnote_reference_open`` … ``_close``), as parsed."""
    kept: list[Token] = []
    inside = False
    for token in tokens:
        if token.type == "footnote_reference_open":
            inside = True
        if inside:
            kept.append(token)
        if token.type == "footnote_reference_close":
            inside = False
    return kept


@dataclass
class _Rebuild:
    """What ``footnote_tail`` reads of a core state: its tokens and env."""

    tokens: list[Token]
    env: Any


def _body_tail(state: StateCore) -> None:
    """The block for the references met so far, and a ``footnote_late`` before it."""
    definitions = _definitions(state.tokens)
    footnote_tail(state)
    late = Token("footnote_late", "", 0)
    late.hidden = True
    labels = frozenset(t.meta["label"] for t in definitions if t.type == "footnote_reference_open")
    numbered = _numbered(_placed(state.env, labels))
    late.meta = {"definitions": definitions, "labels": labels, "numbered": numbered}
    tokens = state.tokens
    opened = next((i for i, t in enumerate(tokens) if t.type == "footnote_block_open"), None)
    tokens.insert(len(tokens) if opened is None else opened, late)


def _render_late(
    self: RendererHTML, tokens: MutableSequence[Token], idx: int, options: OptionsDict, env: Any
) -> str:
    """Nothing, unless shortcode text referenced footnotes after the block was made: then
    the block made again takes the old one's place (rendered next)."""
    meta = tokens[idx].meta
    placed = _placed(env, meta["labels"]) if "footnotes" in env else {}
    if _numbered(placed) == meta["numbered"]:
        return ""
    rebuild = _Rebuild(list(meta["definitions"]), {"footnotes": {"list": placed}})
    footnote_tail(rebuild)  # type: ignore[arg-type]
    end = idx + 1
    if end < len(tokens) and tokens[end].type == "footnote_block_open":
        while tokens[end].type != "footnote_block_close":
            end += 1
        end += 1
    tokens[idx + 1 : end] = rebuild.tokens
    meta["numbered"] = _numbered(placed)
    return ""


def page_footnote_tail(state: StateCore) -> None:
    if "footnotes" not in state.env:
        return
    env = get_env(state.env)
    if not state.inlineMode and not env.footnotes_placed:
        env.footnotes_placed = True
        _body_tail(state)
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
    md.add_render_rule("footnote_late", _render_late)
