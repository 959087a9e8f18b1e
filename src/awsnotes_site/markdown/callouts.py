"""Callouts: GitHub alerts (``> [!NOTE]``) and Obsidian callouts (``> [!tip] 제목``).

A core rule turns a blockquote whose first line is ``[!type]`` (optionally followed by
``-`` for folded, ``+`` for open, then a title) into a callout:

- ``<div class="callout callout-TYPE" data-callout="TYPE" role="note">`` with a
  ``<p class="callout-title">`` and a ``<div class="callout-content">``;
- foldable ones are ``<details class="callout …">`` with a ``<summary>`` title, closed
  for ``-`` and ``open`` for ``+``; they work without a script.

Types are Obsidian's with its aliases, and GitHub's five keep GitHub's meaning
(Obsidian files ``important`` under ``tip`` and ``caution`` under ``warning``; here they
are their own types, as on GitHub). Any other name is a callout in the ``note`` style
titled with the name as written. The title is Markdown; without one the Korean default
title of the type is shown. Icons are inline SVG, ``aria-hidden``; no ids are made.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from awsnotes_site.markdown.speedups.dispatch import block_first_chars

# canonical type -> (Korean default title, icon)
TYPES: dict[str, tuple[str, str]] = {
    "note": ("참고", "note"),
    "abstract": ("요약", "abstract"),
    "info": ("정보", "info"),
    "todo": ("할 일", "todo"),
    "tip": ("팁", "tip"),
    "important": ("중요", "important"),
    "success": ("성공", "success"),
    "question": ("질문", "question"),
    "warning": ("경고", "warning"),
    "caution": ("주의", "caution"),
    "failure": ("실패", "failure"),
    "danger": ("위험", "danger"),
    "bug": ("버그", "bug"),
    "example": ("예시", "example"),
    "quote": ("인용", "quote"),
}
# alias -> (canonical type, Korean default title): Obsidian titles a callout with the
# name as written, so each alias has its own word
ALIASES: dict[str, tuple[str, str]] = {
    "summary": ("abstract", "요약"),
    "tldr": ("abstract", "요약"),
    "hint": ("tip", "힌트"),
    "check": ("success", "확인"),
    "done": ("success", "완료"),
    "help": ("question", "도움말"),
    "faq": ("question", "자주 묻는 질문"),
    "attention": ("warning", "주의 사항"),
    "fail": ("failure", "실패"),
    "missing": ("failure", "누락"),
    "error": ("danger", "오류"),
    "cite": ("quote", "인용"),
}
_SVG_PATHS: dict[str, str] = {
    "note": '<path d="M4 20h4L19 9l-4-4L4 16z"/><path d="M13 7l4 4"/>',
    "abstract": '<rect x="5" y="3" width="14" height="18" rx="2"/><path d="M9 8h6M9 12h6M9 16h4"/>',
    "info": '<circle cx="12" cy="12" r="9"/><path d="M12 11v6M12 7.5v.5"/>',
    "todo": '<circle cx="12" cy="12" r="9"/><path d="M8 12l3 3 5-6"/>',
    "tip": '<path d="M9 18h6M10 21h4M12 3a6 6 0 0 0-4 10.5c.7.7 1 1.5 1 2.5h6c0-1 .3-1.8 1-2.5'
    'A6 6 0 0 0 12 3z"/>',
    "important": '<path d="M4 4h16v12H9l-5 4z"/><path d="M12 7v4M12 13.5v.5"/>',
    "success": '<path d="M4 12l5 5L20 6"/>',
    "question": '<circle cx="12" cy="12" r="9"/><path d="M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3'
    'c-.7.3-1 .9-1 1.7M12 17v.5"/>',
    "warning": '<path d="M12 3 2 20h20z"/><path d="M12 9v5M12 17v.5"/>',
    "caution": '<path d="M8 3h8l5 5v8l-5 5H8l-5-5V8z"/><path d="M12 8v5M12 16v.5"/>',
    "failure": '<path d="M6 6l12 12M18 6 6 18"/>',
    "danger": '<path d="M13 2 4 14h7l-1 8 9-12h-7z"/>',
    "bug": '<rect x="7" y="6" width="10" height="14" rx="5"/><path d="M12 10v10M3 13h4M17 13h4'
    'M5 7l2.5 2M19 7l-2.5 2M5 20l2.5-2M19 20l-2.5-2"/>',
    "example": '<path d="M9 6h11M9 12h11M9 18h11M4 6h.5M4 12h.5M4 18h.5"/>',
    "quote": '<path d="M6 18c0-5 1-9 5-11M14 18c0-5 1-9 5-11"/>',
}
_MARKER = re.compile(r"\[!([\w-]+)\]([+-]?)(?:[ \t]+|$)")


def icon_svg(name: str) -> str:
    """The inline SVG icon of a canonical type (decorative: hidden from screen readers)."""
    return (
        '<svg class="callout-icon" viewBox="0 0 24 24" width="20" height="20" fill="none"'
        ' stroke="currentColor" stroke-width="2" stroke-linecap="round"'
        ' stroke-linejoin="round" aria-hidden="true" focusable="false">'
        f"{_SVG_PATHS.get(name, _SVG_PATHS['note'])}</svg>"
    )


@dataclass(frozen=True)
class Callout:
    name: str  # the type as written, lower-case
    kind: str  # canonical type (CSS class and icon)
    fold: str  # "", "-" (closed) or "+" (open)

    @property
    def default_title(self) -> str:
        if self.name in ALIASES:
            return ALIASES[self.name][1]
        if self.name in TYPES:
            return TYPES[self.name][0]
        return self.name[:1].upper() + self.name[1:]


def parse_marker(first_line: str) -> tuple[Callout, int] | None:
    """``(callout, end of the marker)`` for a first line starting ``[!type]``."""
    m = _MARKER.match(first_line)
    if m is None:
        return None
    name = m.group(1).lower()
    kind = ALIASES[name][0] if name in ALIASES else name
    if kind not in TYPES:
        kind = "note"
    return Callout(name, kind, m.group(2)), m.end()


def _split_title(inline: Token, marker_end: int) -> tuple[list[Token], list[Token]]:
    """The inline children of the title line (marker removed) and of the lines after."""
    children = inline.children or []
    title: list[Token] = []
    rest: list[Token] = []
    target = title
    for child in children:
        if target is title and child.type in ("softbreak", "hardbreak"):
            target = rest
            continue
        target.append(child)
    first = title[0]
    first.content = first.content[marker_end:].lstrip()
    if not first.content:
        title.pop(0)
    while title and title[-1].type == "text" and not title[-1].content.strip():
        title.pop()
    return title, rest


def _title_token(callout: Callout, children: list[Token], line: int | None) -> Token:
    if not children:
        children = [Token("text", "", 0, content=callout.default_title)]
    content = "".join(c.content for c in children if c.type == "text")
    mapping = None if line is None else [line, line + 1]
    return Token("inline", "", 0, children=children, content=content, map=mapping)


def _closing_index(tokens: Sequence[Token], opener: int) -> int:
    level = tokens[opener].level
    for j in range(opener + 1, len(tokens)):
        token = tokens[j]
        if token.type == "blockquote_close" and token.level == level:
            return j
    return len(tokens) - 1


def _convert(tokens: list[Token], i: int) -> list[Token] | None:
    """The tokens that replace the blockquote opened at ``i`` up to its paragraph's end,
    or None when it is no callout. Modifies the first paragraph in place."""
    if i + 2 >= len(tokens) or tokens[i + 1].type != "paragraph_open":
        return None
    inline = tokens[i + 2]
    children = inline.children or []
    if not children or children[0].type != "text":
        return None
    found = parse_marker(children[0].content)
    if found is None:
        return None
    callout, marker_end = found
    opener = tokens[i]
    line = opener.map[0] if opener.map else None
    title, rest = _split_title(inline, marker_end)
    head = Token("callout_open", "div", 1, map=opener.map, block=True, level=opener.level)
    head.meta = {"callout": callout}
    head.meta["empty"] = not rest and tokens[i + 4].type == "blockquote_close"
    tail = Token("callout_title_close", "", 0, block=True, level=opener.level, meta=head.meta)
    out = [head, _title_token(callout, title, line), tail]
    if rest:
        inline.children = rest
        inline.content = inline.content.split("\n", 1)[1] if "\n" in inline.content else ""
        if inline.map:
            inline.map = [inline.map[0] + 1, inline.map[1]]
        out += [tokens[i + 1], inline, tokens[i + 3]]
    return out


def convert_callouts(tokens: list[Token]) -> list[Token]:
    """The token list with every callout blockquote replaced (nested ones too)."""
    out: list[Token] = []
    closers: dict[int, Token] = {}  # index of a converted blockquote's close -> its opener
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "blockquote_open" and "[!" in _first_inline(tokens, i):
            replaced = _convert(tokens, i)
            if replaced is not None:
                closers[_closing_index(tokens, i)] = replaced[0]
                out += replaced
                i += 4  # blockquote_open, paragraph_open, inline, paragraph_close
                continue
        if token.type == "blockquote_close" and i in closers:
            head = closers.pop(i)
            out.append(
                Token("callout_close", "div", -1, block=True, level=token.level, meta=head.meta)
            )
        else:
            out.append(token)
        i += 1
    return out


def _first_inline(tokens: Sequence[Token], i: int) -> str:
    return tokens[i + 2].content if i + 2 < len(tokens) else ""


def _rule(state: StateCore) -> None:
    tokens = state.tokens
    if any(
        token.type == "blockquote_open" and "[!" in _first_inline(tokens, i)
        for i, token in enumerate(tokens)
    ):
        state.tokens = convert_callouts(tokens)


_AD_FENCE = re.compile(r"(`{3,}|~{3,})[ \t]*ad-([\w-]+)[ \t]*$")
_AD_PARAM = re.compile(r"(title|collapse|icon|color)[ \t]*:[ \t]*(.*?)[ \t]*$")
_COLLAPSE = {"open": "+", "closed": "-"}


def _line_text(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


def _fence_end(state: StateBlock, start: int, end: int, marker: str) -> tuple[int, bool]:
    """``(line after the body, closed)`` for a fence opened with ``marker`` at ``start``;
    an unclosed fence runs to the end of its container, as a code fence does."""
    line = start + 1
    while line < end:
        if not state.isEmpty(line) and state.sCount[line] < state.blkIndent:
            return line, False
        text = _line_text(state, line)
        if (
            state.sCount[line] - state.blkIndent < 4
            and text.startswith(marker)
            and not text.lstrip(marker[0]).strip()
        ):
            return line, True
        line += 1
    return line, False


def _ad_params(state: StateBlock, start: int, end: int) -> tuple[dict[str, str], int]:
    """The Admonition parameters on the first lines of the body, and where the text starts."""
    params: dict[str, str] = {}
    line = start
    while line < end:
        m = _AD_PARAM.match(_line_text(state, line))
        if m is None:
            break
        params[m.group(1)] = m.group(2)
        line += 1
    return params, line


@block_first_chars("`~")
def admonition_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """The Obsidian Admonition plugin's ```` ```ad-note ```` fences, as callouts: the body
    is Markdown; ``title:`` and ``collapse: open|closed`` lines may start it."""
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    m = _AD_FENCE.match(_line_text(state, start))
    if m is None:
        return False
    if silent:
        return True
    body_end, closed = _fence_end(state, start, end, m.group(1))
    params, body_start = _ad_params(state, start + 1, body_end)
    found = parse_marker(f"[!{m.group(2)}]")
    assert found is not None
    callout = Callout(found[0].name, found[0].kind, _COLLAPSE.get(params.get("collapse", ""), ""))
    meta: dict[str, Any] = {"callout": callout}
    head = state.push("callout_open", "div", 1)
    head.map, head.block, head.meta = [start, body_end + closed], True, meta
    title = state.push("inline", "", 0)
    title.content = params.get("title") or callout.default_title
    title.map, title.children = [start, start + 1], []
    state.push("callout_title_close", "", 0).meta = meta
    count = len(state.tokens)
    old_max, old_parent = state.lineMax, state.parentType
    state.lineMax, state.parentType = body_end, "admonition"
    state.md.block.tokenize(state, body_start, body_end)
    state.lineMax, state.parentType = old_max, old_parent
    meta["empty"] = len(state.tokens) == count
    state.push("callout_close", "div", -1).meta = meta
    state.line = body_end + closed
    return True


def _open_html(callout: Callout) -> str:
    name = html.escape(callout.name, quote=True)
    classes = f"callout callout-{callout.kind}"
    title = f'{icon_svg(callout.kind)}<span class="callout-title-text">'
    if callout.fold:
        is_open = " open" if callout.fold == "+" else ""
        return (
            f'<details class="{classes}" data-callout="{name}"{is_open}>\n'
            f'<summary class="callout-title">{title}'
        )
    head = f'<div class="{classes}" data-callout="{name}" role="note">'
    return f'{head}\n<p class="callout-title">{title}'


def _title_end(callout: Callout, empty: bool) -> str:
    end = "</span></summary>\n" if callout.fold else "</span></p>\n"
    return end if empty else end + '<div class="callout-content">\n'


def _close_html(callout: Callout, empty: bool) -> str:
    body = "" if empty else "</div>\n"
    return body + ("</details>\n" if callout.fold else "</div>\n")


def callout_html(kind: str, title_html: str, body_html: str, fold: str | None) -> str:
    """A callout made elsewhere (the theme shortcodes ``admonition``, ``notice`` …), the
    same HTML as a ``> [!kind]`` quote: ``title_html`` empty for the type's own title,
    ``fold`` ``None``/``""``, ``"-"`` or ``"+"``."""
    callout = Callout(kind, kind if kind in TYPES else "note", fold or "")
    title = title_html or html.escape(callout.default_title)
    empty = not body_html.strip()
    return (
        _open_html(callout)
        + title
        + _title_end(callout, empty)
        + body_html
        + _close_html(callout, empty)
    )


def render_callout_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any
) -> str:
    return _open_html(tokens[idx].meta["callout"])


def render_title_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any
) -> str:
    meta = tokens[idx].meta
    return _title_end(meta["callout"], meta["empty"])


def render_callout_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any
) -> str:
    meta = tokens[idx].meta
    return _close_html(meta["callout"], meta["empty"])


def callouts_plugin(md: MarkdownIt, admonitions: bool = True) -> None:
    """Turn ``> [!type]`` blockquotes into callouts (a core rule after inline parsing) and,
    with ``admonitions``, ```` ```ad-type ```` fences too (a block rule before ``fence``)."""
    md.core.ruler.after("inline", "callouts", _rule)
    if admonitions:
        md.block.ruler.before(
            "fence", "admonition", admonition_rule, {"alt": ["paragraph", "blockquote", "list"]}
        )
    md.add_render_rule("callout_open", render_callout_open)
    md.add_render_rule("callout_title_close", render_title_close)
    md.add_render_rule("callout_close", render_callout_close)
