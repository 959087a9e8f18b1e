"""Markdown like Hugo's Goldmark defaults: typographer, definition lists, emoji.

Each is a switch of :func:`goldmark_plugin` (Hugo: ``[markup.goldmark.extensions]``
``typographer`` and ``definitionList`` default on; ``enableEmoji`` defaults off).

- **Typographer** as Goldmark's: ``"…"`` and ``'…'`` become curly quotes (an apostrophe
  inside a word too), ``---`` an em dash, ``--`` an en dash, ``...`` an ellipsis, ``<<``
  and ``>>`` guillemets. Only Markdown text changes: code spans, code blocks, math,
  raw HTML, shortcodes, autolinks and backslash-escaped characters stay as written.
  Goldmark writes the HTML entities (``&ldquo;``); here the characters themselves are
  written, which a browser shows the same, and search and the TOC read as text.
- **Definition lists** (``Term`` / ``: definition``) with ``mdit_py_plugins.deflist``,
  the same ``<dl>/<dt>/<dd>`` Goldmark writes.
- **Emoji** ``:smile:`` with the GitHub (gemoji) short names that Hugo's ``enableEmoji``
  knows, taken from the alias table of the ``emoji`` package (maintained, 1,600+ GitHub
  aliases; CLDR names such as ``:grinning_face:`` are not GitHub's and stay text).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.deflist import deflist_plugin

from awsnotes_site.markdown.dispatch import inline_first_chars

QUOTES = "\u201c\u201d\u2018\u2019"  # “ ” ‘ ’
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


def typographer_rule(state: StateCore) -> None:
    """Dashes, ellipses and guillemets in the text of every inline token."""
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        if not _needs_substitution(token.content):
            continue
        in_autolink = 0
        for child in token.children:
            kind = child.type
            if kind == "link_open" and child.markup in _AUTO_LINKS:
                in_autolink += 1
            elif kind == "link_close" and in_autolink and child.markup in _AUTO_LINKS:
                in_autolink -= 1
            elif kind == "text" and not in_autolink and _needs_substitution(child.content):
                child.content = _substitute(child.content)


def use_typographer(md: MarkdownIt) -> None:
    """markdown-it's smart quotes (Goldmark's quote rules are the same flanking rules)
    plus Goldmark's substitutions; markdown-it's other replacements ((c), +-) stay off."""
    md.options["typographer"] = True
    md.options["quotes"] = QUOTES
    md.core.ruler.enable("smartquotes")
    md.core.ruler.disable("replacements", ignoreInvalid=True)
    md.core.ruler.after("smartquotes", "goldmark_typographer", typographer_rule)


def emoji_table() -> dict[str, str]:
    """GitHub short name (``smile``) -> emoji, from the ``emoji`` package."""
    import emoji

    table: dict[str, str] = {}
    for char, data in emoji.EMOJI_DATA.items():
        for alias in data.get("alias", ()):
            name = alias.strip(":")
            # a name listed for two characters: the fully qualified one (with VS16) wins
            if name not in table or len(char) > len(table[name]):
                table[name] = char
    return table


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
        if not silent:
            token = state.push("text", "", 0)
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
