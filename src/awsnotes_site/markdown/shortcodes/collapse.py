"""The last core rule: shortcode tokens learn their lines, and each
``shortcode_open … shortcode_close`` is folded into one token holding the inner blocks."""

from __future__ import annotations

from markdown_it.rules_core import StateCore
from markdown_it.token import Token


def set_lines_and_collapse(state: StateCore) -> None:
    # Inline shortcode tokens learn their file line from their paragraph.
    for token in state.tokens:
        if token.type == "inline" and token.map:
            if "{{" not in token.content:  # inline shortcodes start with {{< or {{%
                continue
            for child in token.children or []:
                if child.type == "shortcode" and child.meta:
                    child.meta["line"] = token.map[0] + token.content.count(
                        "\n", 0, child.meta.get("pos", 0)
                    )
        elif token.type in ("shortcode", "shortcode_open") and token.map:
            token.meta["line"] = token.map[0]
    state.tokens = collapse(state.tokens)


def collapse(tokens: list[Token]) -> list[Token]:
    """Fold ``shortcode_open … shortcode_close`` into one token whose children are the inner
    block tokens, so the shortcode renders them as a unit. Iterative, no recursion."""
    out: list[Token] = []
    stack: list[tuple[Token, list[Token]]] = []
    for token in tokens:
        if token.type == "shortcode_open":
            stack.append((token, []))
            continue
        if token.type == "shortcode_close" and stack:
            opener, inner = stack.pop()
            folded = Token(
                "shortcode", "", 0, map=opener.map, block=True, meta=opener.meta, children=inner
            )
            (stack[-1][1] if stack else out).append(folded)
            continue
        (stack[-1][1] if stack else out).append(token)
    return out
