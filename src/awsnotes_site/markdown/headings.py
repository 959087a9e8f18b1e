"""Heading ids the way GitHub and Hugo make them (Hangul kept), anchor links, and the TOC."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from awsnotes_site.markdown.context import TocEntry, get_env

_EXPLICIT_ID = re.compile(r"\s*\{#([^\s{}]+)\}\s*$")


def slugify(text: str) -> str:
    """GitHub-style heading id: lower-case, punctuation dropped, spaces to hyphens.

    >>> slugify("3장 VPC 고급")
    '3장-vpc-고급'
    >>> slugify("01. VPC 엔드포인트")
    '01-vpc-엔드포인트'
    """
    text = unicodedata.normalize("NFC", text).strip().lower()
    kept = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch in "-_" or cat[0] in "LNM":
            kept.append(ch)
        elif ch == " ":
            kept.append("-")
    return "".join(kept)


def unique_id(base: str, used: dict[str, int]) -> str:
    base = base or "heading"
    if base not in used:
        used[base] = 0
        return base
    while True:
        used[base] += 1
        candidate = f"{base}-{used[base]}"
        if candidate not in used:
            used[candidate] = 0
            return candidate


def _inline_text(children: Sequence[Token], as_written: bool = False) -> str:
    """The text of a heading; ``as_written``: emoji by their short names (``:rocket:``),
    as Hugo makes heading ids from the text before emoji are put in."""
    parts = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "emoji":  # (markdown/goldmark.py)
            parts.append(child.markup if as_written else child.content)
        elif child.children:
            parts.append(_inline_text(child.children, as_written))
    return "".join(parts)


def _strip_explicit_id(inline: Token) -> str | None:
    children = inline.children or []
    if not children or children[-1].type != "text":
        return None
    m = _EXPLICIT_ID.search(children[-1].content)
    if not m:
        return None
    children[-1].content = children[-1].content[: m.start()]
    inline.content = _EXPLICIT_ID.sub("", inline.content)
    return m.group(1)


# The anchor's label when the caller gives none: the Korean one (``heading_anchor`` in
# model/strings.py, which the pipeline passes for the site's language).
DEFAULT_ANCHOR_LABEL = "이 제목의 링크"


def headings_plugin(
    md: MarkdownIt, min_level: int = 1, max_level: int = 3, anchor_label: str = DEFAULT_ANCHOR_LABEL
) -> None:
    """Heading ids and TOC entries (levels MIN_LEVEL to MAX_LEVEL), and after each heading
    an anchor link labelled ANCHOR_LABEL (the site's language's ``heading_anchor``)."""
    label = html.escape(anchor_label, quote=True)

    def assign_ids(state: StateCore) -> None:
        env = get_env(state.env)
        used: dict[str, int] = {}
        tokens = state.tokens
        for i, token in enumerate(tokens):
            if token.type != "heading_open" or i + 1 >= len(tokens):
                continue
            inline = tokens[i + 1]
            explicit = _strip_explicit_id(inline)
            title = _inline_text(inline.children or []).strip()
            written = _inline_text(inline.children or [], as_written=True).strip()
            hid = unique_id(explicit or slugify(written), used)
            token.attrSet("id", hid)
            level = int(token.tag[1])
            if min_level <= level <= max_level:
                env.toc.append(TocEntry(level, hid, title))

    def render_close(
        self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any
    ) -> str:
        # The matching heading_open is the token two before (open, inline, close).
        opener = tokens[idx - 2] if idx >= 2 else None
        hid = opener.attrGet("id") if opener is not None else None
        close = f"</{tokens[idx].tag}>"
        if not hid:
            return close + "\n"
        href = html.escape(f"#{hid}", quote=True)
        return f'<a class="heading-anchor" href="{href}" aria-label="{label}">#</a>{close}\n'

    md.core.ruler.push("awsnotes_headings", assign_ids)
    md.add_render_rule("heading_close", render_close)


def toc_tree(entries: Sequence[TocEntry]) -> list[dict[str, Any]]:
    """Nest a flat TOC into ``[{entry, children: [...]}]`` without recursion."""
    root: list[dict[str, Any]] = []
    stack: list[tuple[int, list[dict[str, Any]]]] = [(0, root)]
    for entry in entries:
        while len(stack) > 1 and stack[-1][0] >= entry.level:
            stack.pop()
        node: dict[str, Any] = {"entry": entry, "children": []}
        stack[-1][1].append(node)
        stack.append((entry.level, node["children"]))
    return root
