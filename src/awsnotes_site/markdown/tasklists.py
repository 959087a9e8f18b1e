"""GFM task list items with an accessible name: the checkbox is labelled with the item's
own text (markdown-it's default leaves it unlabelled, which axe reports as critical)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import OptionsDict


def _item_text(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any
) -> str:
    depth = 0
    for token in tokens[idx + 1 :]:
        if token.type == "list_item_open":
            depth += 1
        elif token.type == "list_item_close":
            if depth == 0:
                break
            depth -= 1
        elif token.type == "inline" and depth == 0:
            return str(self.renderInlineAsText(token.children, options, env)).strip()
    return ""


def tasklists_plugin(md: MarkdownIt) -> None:
    def list_item_open(
        self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any
    ) -> str:
        token = tokens[idx]
        result = str(self.renderToken(tokens, idx, options, env))
        if token.meta and "checked" in token.meta:
            checked = ' checked=""' if token.meta["checked"] else ""
            label = escapeHtml(_item_text(self, tokens, idx, options, env) or "할 일")
            result += (
                f'<input class="task-list-item-checkbox" disabled="" type="checkbox"'
                f'{checked} aria-label="{label}"> '
            )
        return result

    md.add_render_rule("list_item_open", list_item_open)
