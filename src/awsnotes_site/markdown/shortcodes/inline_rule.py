"""The inline rule: a shortcode inside a paragraph (``{{< ref "x" >}}``), comments
printed as written without their ``/* */``, and malformed tags reported."""

from __future__ import annotations

from typing import Any

from markdown_it.rules_inline import StateInline

from awsnotes_site.markdown.shortcodes.common import Registry, error_token
from awsnotes_site.markdown.shortcodes.lexer import (
    ShortcodeSyntaxError,
    find_closing,
    parse_tag,
    trim_inner,
)
from awsnotes_site.markdown.speedups.dispatch import InlineRule, inline_first_chars


def make_inline_rule(registry: Registry) -> InlineRule:
    """The inline rule of a parser whose shortcodes ``registry`` knows."""

    @inline_first_chars("{")
    def inline_rule(state: StateInline, silent: bool) -> bool:
        pos = state.pos
        src = state.src
        if not (src.startswith("{{<", pos) or src.startswith("{{%", pos)):
            return False
        try:
            tag = parse_tag(src, pos)
        except ShortcodeSyntaxError as exc:
            if not silent:
                error_token(state, str(exc), pos)
            state.pos = exc.end if exc.end is not None else len(src)
            return True
        if silent:
            state.pos = tag.end
            return True
        if tag.comment:
            token = state.push("text", "", 0)
            token.content = tag.literal
            state.pos = tag.end
            return True
        if tag.closing:
            error_token(state, f"closing shortcode '/{tag.name}' has no opening shortcode", pos)
            state.pos = tag.end
            return True
        meta: dict[str, Any] = {"tag": tag, "pos": pos}
        closing = None if tag.self_closing else find_closing(src, tag, tag.end)
        if closing is None and not tag.self_closing and registry.requires_inner(tag.name):
            error_token(state, f"shortcode '{tag.name}' is never closed", pos)
            state.pos = tag.end
            return True
        if closing is not None:
            meta["inner"] = trim_inner(src[tag.end : closing[0]])
            state.pos = closing[1]
        else:
            state.pos = tag.end
        token = state.push("shortcode", "", 0)
        token.meta = meta
        return True

    return inline_rule
