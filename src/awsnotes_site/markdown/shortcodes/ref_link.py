"""``[text]({{< ref "x.md" >}})``: Hugo expands shortcodes before Markdown, so a ref in a
link destination must make a link. markdown-it's own link rule cannot parse it (spaces),
so :func:`ref_link_rule` runs first and builds the link tokens; the core rule made by
:func:`make_resolve_ref_links` fills in their URLs."""

from __future__ import annotations

from collections.abc import Callable

from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline

from awsnotes_site.markdown.shortcodes.common import Registry
from awsnotes_site.markdown.shortcodes.lexer import ShortcodeSyntaxError, Tag, parse_tag
from awsnotes_site.markdown.speedups.dispatch import inline_first_chars


def _ref_tag(state: StateInline, label_end: int) -> tuple[Tag, int] | None:
    """The ``ref``/``relref`` tag that is the whole destination after ``](``, and the
    offset of the ``)`` that ends the destination."""
    src = state.src
    if not src.startswith("(", label_end + 1):
        return None
    pos = label_end + 2
    while pos < state.posMax and src[pos] in " \t":
        pos += 1
    if not src.startswith("{{<", pos) and not src.startswith("{{%", pos):
        return None
    try:
        tag = parse_tag(src, pos)
    except ShortcodeSyntaxError:
        return None
    end = tag.end
    while end < state.posMax and src[end] in " \t":
        end += 1
    if tag.name not in ("ref", "relref") or not src.startswith(")", end):
        return None
    return tag, end


@inline_first_chars("[")
def ref_link_rule(state: StateInline, silent: bool) -> bool:
    src, start = state.src, state.pos
    if src[start] != "[":
        return False
    label_end = state.md.helpers.parseLinkLabel(state, start, True)
    if label_end < 0:
        return False
    found = _ref_tag(state, label_end)
    if found is None:
        return False
    tag, end = found
    if not silent:
        old_max = state.posMax
        opener = state.push("link_open", "a", 1)
        opener.attrs = {"href": ""}
        opener.meta = {"ref": tag, "pos": tag.start}
        state.pos, state.posMax = start + 1, label_end
        state.linkLevel += 1
        state.md.inline.tokenize(state)
        state.linkLevel -= 1
        state.posMax = old_max
        state.push("link_close", "a", -1)
    state.pos = end + 1
    return True


def make_resolve_ref_links(registry: Registry) -> Callable[[StateCore], None]:
    def resolve_ref_links(state: StateCore) -> None:
        for token in state.tokens:
            # a ref link's destination is a shortcode: {{< or {{% in the inline source
            if token.type != "inline" or not token.children or "{{" not in token.content:
                continue
            for child in token.children:
                if child.type == "link_open" and child.meta and "ref" in child.meta:
                    line = (token.map[0] if token.map else 0) + token.content.count(
                        "\n", 0, child.meta["pos"]
                    )
                    href = registry.link_target(child.meta["ref"], state.env, line)
                    child.attrSet("href", href)

    return resolve_ref_links
