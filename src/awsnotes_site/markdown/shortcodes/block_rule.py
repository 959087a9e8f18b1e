"""The block rule: a shortcode that stands on its own lines. ``{{% x %}}…{{% /x %}}``
parses its inner text as Markdown blocks; ``{{< x >}}…{{< /x >}}`` keeps it as text."""

from __future__ import annotations

from typing import Any

from markdown_it.rules_block import StateBlock
from markdown_it.token import Token

from awsnotes_site.markdown.shortcodes.common import Registry, error_token
from awsnotes_site.markdown.shortcodes.lexer import (
    ShortcodeSyntaxError,
    Tag,
    closing_text,
    find_closing,
    parse_tag,
    trim_inner,
)
from awsnotes_site.markdown.speedups.dispatch import BlockRule, block_first_chars


def line_end(state: StateBlock, line: int, end: int) -> int:
    """The index of the line containing offset ``end - 1``."""
    while line < state.lineMax and state.eMarks[line] < end - 1:
        line += 1
    return line


def standalone_tag(state: StateBlock, start_line: int) -> tuple[Tag, int] | None:
    """The shortcode that fills ``start_line`` (and maybe the lines after it, up to the
    line it ends on, returned with it), or None when the line is something else."""
    if state.sCount[start_line] - state.blkIndent >= 4:
        return None
    pos = state.bMarks[start_line] + state.tShift[start_line]
    src = state.src
    if not (src.startswith("{{<", pos) or src.startswith("{{%", pos)):
        return None
    try:
        tag = parse_tag(src, pos)
    except ShortcodeSyntaxError:
        return None  # the inline rule reports it with the paragraph's line
    if tag.comment:
        return None
    tag_line = line_end(state, start_line, tag.end)
    if src[tag.end : state.eMarks[tag_line]].strip():
        return None
    return tag, tag_line


def _closing_line(state: StateBlock, tag: Tag, tag_line: int, end_line: int) -> Any:
    """``(closing tag's offsets, its line)`` when the closing tag stands on its own line
    before ``end_line``; ``False`` when it is inline somewhere (then the opening line is a
    paragraph); None when there is none."""
    closing = None if tag.self_closing else find_closing(state.src, tag, tag.end)
    if closing is None:
        return None
    close_line = line_end(state, tag_line, closing[1])
    if (
        close_line >= end_line
        or state.bMarks[close_line] + state.tShift[close_line] != closing[0]
        or state.src[closing[1] : state.eMarks[close_line]].strip()
    ):
        return False
    return closing, close_line


def _push_nested(state: StateBlock, meta: dict[str, Any], lines: tuple[int, int, int]) -> None:
    """``{{% x %}}``: open, the inner lines parsed as blocks, close."""
    start_line, tag_line, close_line = lines
    old_parent, old_max = state.parentType, state.lineMax
    opener = state.push("shortcode_open", "", 1)
    opener.meta = meta
    opener.map = [start_line, close_line + 1]
    opener.block = True
    state.parentType = "shortcode"
    state.lineMax = close_line
    state.md.block.tokenize(state, tag_line + 1, close_line)
    state.parentType, state.lineMax = old_parent, old_max
    closer = state.push("shortcode_close", "", -1)
    closer.block = True


def _leaf(state: StateBlock, token: Token, first: int, last: int) -> None:
    """``token`` (just pushed) covers lines ``first`` to ``last``; parsing goes on after."""
    token.map = [first, last + 1]
    token.block = True
    state.line = last + 1


def make_block_rule(registry: Registry) -> BlockRule:
    """The block rule of a parser whose shortcodes ``registry`` knows."""

    @block_first_chars("{")
    def block_rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        found = standalone_tag(state, start_line)
        if found is None:
            return False
        tag, tag_line = found
        if silent:
            return True
        if tag.closing:
            message = f"closing '{closing_text(tag)}' has no opening shortcode"
            _leaf(state, error_token(state, message, tag.start), start_line, tag_line)
            return True
        closing = _closing_line(state, tag, tag_line, end_line)
        if closing is False:
            return False  # closed inline somewhere: treat as a paragraph
        meta: dict[str, Any] = {"tag": tag}
        if closing is None:
            if not tag.self_closing and registry.requires_inner(tag.name):
                message = f"shortcode '{tag.name}' is never closed; add {closing_text(tag)}"
                token = error_token(state, message, tag.start)
            else:
                token = state.push("shortcode", "", 0)
                token.meta = meta
            _leaf(state, token, start_line, tag_line)
            return True
        (close_start, _), close_line = closing
        if tag.delim == "%":
            _push_nested(state, meta, (start_line, tag_line, close_line))
            state.line = close_line + 1
        else:
            meta["inner"] = trim_inner(state.src[tag.end : close_start])
            token = state.push("shortcode", "", 0)
            token.meta = meta
            _leaf(state, token, start_line, close_line)
        return True

    return block_rule
