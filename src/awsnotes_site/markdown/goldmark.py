"""Markdown like Hugo's Goldmark defaults: typographer, definition lists, emoji.

Each is a switch of :func:`goldmark_plugin` (Hugo: ``[markup.goldmark.extensions]``
``typographer`` and ``definitionList`` default on; ``enableEmoji`` defaults off).

- **Typographer** as Goldmark's: ``"…"`` and ``'…'`` become curly quotes (an apostrophe
  inside a word too), ``---`` an em dash, ``--`` an en dash, ``...`` an ellipsis, ``<<``
  and ``>>`` guillemets. Only Markdown text changes: code spans, code blocks, math,
  raw HTML, shortcodes, autolinks and backslash-escaped characters stay as written.
  Goldmark writes the HTML entities (``&ldquo;``); here the characters themselves are
  written, which a browser shows the same, and search and the TOC read as text. Quotes
  pair as in Goldmark (CommonMark's flanking rules) with two changes for Korean text: a
  quote right before a particle closes (``"서버리스"는``), and an opening quote that
  nothing closes stays straight (Goldmark curls it anyway).
- **Definition lists** (``Term`` / ``: definition``) with ``mdit_py_plugins.deflist``,
  the same ``<dl>/<dt>/<dd>`` Goldmark writes.
- **Emoji** ``:smile:`` with the GitHub (gemoji) short names that Hugo's ``enableEmoji``
  knows, from GitHub's gemoji table shipped as ``gemoji.json`` (1,913 names, ``:+1:`` and
  ``:thumbsup:`` alike). The ``emoji`` package used before lists a name only as an alias
  when it differs from the CLDR name, so ``:rocket:`` was missing; CLDR names such as
  ``:grinning_face:`` are not GitHub's and stay text, as in Hugo. Emoji are tokens of
  their own (``emoji``): heading ids are made from their short names, as Hugo's are.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin

from awsnotes_site.markdown.speedups.dispatch import inline_first_chars

QUOTES = "\u201c\u201d\u2018\u2019"  # “ ” ‘ ’
APOSTROPHE = "\u2019"
SUBSTITUTIONS = {
    "---": "\u2014",  # em dash
    "--": "\u2013",  # en dash
    "...": "\u2026",  # ellipsis
    "<<": "\u00ab",
    ">>": "\u00bb",
}
_SUBSTITUTE = re.compile(r"---|--|\.\.\.|<<|>>")
_EMOJI_NAME = re.compile(r":([a-z0-9_+\-]+):")
_AUTO_LINKS = frozenset({"autolink", "linkify"})


def _substitute(text: str) -> str:
    return _SUBSTITUTE.sub(lambda m: SUBSTITUTIONS[m.group(0)], text)


def _needs_substitution(text: str) -> bool:
    return "--" in text or "..." in text or "<<" in text or ">>" in text


def _is_punct(ch: str) -> bool:
    """CommonMark's Unicode punctuation: general categories P and S."""
    return unicodedata.category(ch)[0] in "PS"


def _flanking(before: str, after: str) -> tuple[bool, bool]:
    """Whether a one-character delimiter run between ``before`` and ``after`` is left-
    flanking (may open) and right-flanking (may close), as CommonMark defines them."""
    space_before, space_after = before.isspace(), after.isspace()
    punct_before, punct_after = _is_punct(before), _is_punct(after)
    left = not space_after and (not punct_after or space_before or punct_before)
    right = not space_before and (not punct_before or space_after or punct_after)
    return left, right


def _neighbour(children: list[Token], i: int, step: int) -> str:
    """The character next to child ``i`` in direction ``step``; a space at a line break."""
    j = i + step
    while 0 <= j < len(children):
        child = children[j]
        if child.type in ("softbreak", "hardbreak"):
            return " "
        if child.content:
            return child.content[-1] if step < 0 else child.content[0]
        j += step
    return " "


class _Quotes:
    """Curly quotes for one paragraph: Goldmark's flanking rules, with pairs matched on a
    stack (an opener stays straight when nothing closes it) and one addition for Korean:
    a quote between a letter and a non-ASCII letter closes an open quote, since particles
    follow quotes directly (``"서버리스"는``, ``'가용 영역'을``)."""

    def __init__(self, children: list[Token]) -> None:
        self.children = children
        self.chars: dict[int, list[str]] = {}  # child index -> its characters, changed
        self.stack: list[tuple[int, int, str]] = []  # open quotes: child, index, quote

    def run(self, skip: set[int]) -> None:
        for i, child in enumerate(self.children):
            if (
                child.type == "text"
                and i not in skip
                and ("'" in child.content or '"' in child.content)
            ):
                chars = self.chars[i] = list(child.content)
                for k, ch in enumerate(chars):
                    if ch == "'" or ch == '"':
                        self._quote(i, k, ch)
        for i, k, ch in self.stack:  # never closed
            if ch == "'":
                self.chars[i][k] = APOSTROPHE
        for i, chars in self.chars.items():
            self.children[i].content = "".join(chars)

    def _quote(self, i: int, k: int, ch: str) -> None:
        chars = self.chars[i]
        before = chars[k - 1] if k > 0 else _neighbour(self.children, i, -1)
        after = chars[k + 1] if k + 1 < len(chars) else _neighbour(self.children, i, 1)
        can_open, can_close = _flanking(before, after)
        in_word = can_open and can_close
        closes = not in_word or not after.isascii() or _is_punct(after)
        if can_close and closes and self._close(ch):
            chars[k] = QUOTES[1] if ch == '"' else QUOTES[3]
        elif ch == "'" and (in_word or not can_open):
            chars[k] = APOSTROPHE  # it's, Smiths'
        elif can_open and not in_word:
            self.stack.append((i, k, ch))

    def _close(self, ch: str) -> bool:
        for depth in range(len(self.stack) - 1, -1, -1):
            i, k, opener = self.stack[depth]
            if opener == ch:
                self.chars[i][k] = QUOTES[0] if ch == '"' else QUOTES[2]
                for j, m, skipped in self.stack[depth + 1 :]:
                    if skipped == "'":
                        self.chars[j][m] = APOSTROPHE
                del self.stack[depth:]
                return True
        return False


def _autolink_text(children: list[Token]) -> set[int]:
    """Indices of the children inside autolinks (their text is a URL)."""
    inside, depth = set(), 0
    for i, child in enumerate(children):
        if child.type == "link_open" and child.markup in _AUTO_LINKS:
            depth += 1
        elif child.type == "link_close" and depth and child.markup in _AUTO_LINKS:
            depth -= 1
        elif depth:
            inside.add(i)
    return inside


def typographer_rule(state: StateCore) -> None:
    """Quotes, dashes, ellipses and guillemets in the text of every inline token."""
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        content = token.content
        quotes = "'" in content or '"' in content
        if not quotes and not _needs_substitution(content):
            continue
        children = token.children
        skip = _autolink_text(children)
        for i, child in enumerate(children):
            if child.type == "text" and i not in skip and _needs_substitution(child.content):
                child.content = _substitute(child.content)
        if quotes:
            _Quotes(children).run(skip)


def use_typographer(md: MarkdownIt) -> None:
    """Goldmark's substitutions on Markdown text, before escaped characters join it."""
    md.core.ruler.before("text_join", "goldmark_typographer", typographer_rule)


def emoji_table() -> dict[str, str]:
    """GitHub short name (``smile``) -> emoji: GitHub's own gemoji table (``gemoji.json``
    beside this module, from github/gemoji 4.1.0, MIT), the names Hugo's ``enableEmoji``
    knows (``:rocket:`` yes, the CLDR ``:grinning_face:`` no)."""
    import json
    from pathlib import Path

    data = json.loads((Path(__file__).with_name("gemoji.json")).read_text(encoding="utf-8"))
    return dict(data["emoji"])


def make_emoji_rule(table: dict[str, str]) -> Callable[[StateInline, bool], bool]:
    @inline_first_chars(":")
    def emoji_rule(state: StateInline, silent: bool) -> bool:
        src, pos = state.src, state.pos
        if src[pos] != ":":
            return False
        m = _EMOJI_NAME.match(src, pos, state.posMax)
        if m is None:
            return False
        char = table.get(m.group(1))
        if char is None:
            return False
        if not silent:  # its own token type: text_join would merge a "text" one away
            token = state.push("emoji", "", 0)
            token.content = char
            token.markup = m.group(0)
        state.pos = m.end()
        return True

    return emoji_rule


def goldmark_plugin(
    md: MarkdownIt, typographer: bool = True, deflist: bool = True, emoji: bool = False
) -> None:
    """Goldmark's defaults, each a switch (Hugo's defaults: on, on, off)."""
    if typographer:
        use_typographer(md)
    if deflist:
        md.use(deflist_plugin)
    if emoji:
        md.inline.ruler.after("text", "emoji", make_emoji_rule(emoji_table()))
        md.add_render_rule("emoji", _render_emoji)


def _render_emoji(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return escapeHtml(tokens[idx].content)
