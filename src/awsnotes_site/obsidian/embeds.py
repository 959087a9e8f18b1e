"""Ids on a page that embeds notes (``![[노트]]``): one page, one of each id.

An embedded note brings its own heading ids, block ids (``^id``) and footnotes, which
may be the page's own ids again (two notes with a ``## 개요``). :class:`PageIds` holds the
ids of the page being rendered, shared by every note embedded in it at any depth: an
embedded note's ids are claimed in page order, one already taken gets a number
(``개요`` -> ``개요-1``, as repeated headings of one note do) and the note's own links to
it (``[[#개요]]``) follow; its footnotes get a prefix of their own (``fn-embed1-1``). The
page's own ids never change, so ``[[노트#제목]]`` from elsewhere lands where it did: on the
page's first heading of that name, its own or an embedded one."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import unquote

from markdown_it.token import Token


def _walk(tokens: Iterable[Token]) -> Iterable[Token]:
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)


class PageIds:
    """The ids taken on one page (made from its token stream)."""

    def __init__(self, tokens: Iterable[Token]) -> None:
        self.used: dict[str, int] = {}
        self.embeds = 0
        for token in tokens:
            if token.nesting == 1:
                taken = token.attrGet("id")
                if taken:
                    self.used.setdefault(str(taken), 0)

    def footnote_prefix(self) -> str:
        """A ``docId`` for the footnotes of the next embedded note."""
        self.embeds += 1
        return f"embed{self.embeds}"

    def claim(self, tokens: list[Token]) -> None:
        """Give the embedded note's TOKENS ids not yet on the page, and point its links to
        its own ids at them."""
        from awsnotes_site.markdown.headings import unique_id  # (markdown imports this)

        renamed: dict[str, str] = {}
        for token in tokens:
            old = token.attrGet("id") if token.nesting == 1 else None
            if not old:
                continue
            new = unique_id(str(old), self.used)
            if new != old:
                token.attrSet("id", new)
                renamed.setdefault(str(old), new)
        if not renamed:
            return
        for token in _walk(tokens):
            href = token.attrGet("href") if token.type == "link_open" else None
            if isinstance(href, str) and href.startswith("#"):
                new_id = renamed.get(unquote(href[1:]))
                if new_id is not None:
                    token.attrSet("href", "#" + new_id.replace("^", "%5E"))
