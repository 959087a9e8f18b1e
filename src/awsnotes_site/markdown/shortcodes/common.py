"""What the shortcode rules share: the registry they ask, and error tokens."""

from __future__ import annotations

from typing import Any, Protocol

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from awsnotes_site.markdown.shortcodes.lexer import Tag


class Registry(Protocol):
    def exists(self, name: str) -> bool: ...
    def requires_inner(self, name: str) -> bool: ...
    def render(self, md: MarkdownIt, token: Token, options: OptionsDict, env: Any) -> str: ...
    def link_target(self, tag: Tag, env: Any, line: int) -> str: ...


def error_token(state: StateBlock | StateInline, message: str, pos: int) -> Token:
    """A shortcode token that reports ``message`` when rendered."""
    token = state.push("shortcode", "", 0)
    token.meta = {"error": message, "pos": pos}
    return token
