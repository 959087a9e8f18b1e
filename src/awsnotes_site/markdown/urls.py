"""Root-relative URLs in a note get the site's base path; every URL is recorded for ``check``.

Works on tokens: ``link_open``/``image`` attributes, and raw HTML tokens through the
lossless HTML tokenizer (``href``, ``src``, ``srcset``, ``poster``).
"""

from __future__ import annotations

from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from awsnotes_site.markdown.context import LinkRef, RenderEnv, get_env
from awsnotes_site.markdown.html_tokens import Event, join, keep_events, tokenize

URL_ATTRS = ("href", "src", "poster")


def with_base(url: str, base_path: str) -> str:
    """``/static/x.png`` -> ``/notes/static/x.png`` for base path ``/notes/``."""
    if url.startswith("/") and not url.startswith("//") and base_path != "/":
        return base_path + url[1:]
    return url


def rewrite_srcset(value: str, base_path: str) -> str:
    out = []
    for candidate in value.split(","):
        parts = candidate.strip().split(None, 1)
        if not parts:
            continue
        parts[0] = with_base(parts[0], base_path)
        out.append(" ".join(parts))
    return ", ".join(out)


def rewrite_html(source: str, base_path: str, line: int | None, state: RenderEnv) -> str:
    """Rewrite URL attributes inside a raw HTML fragment; record each URL."""
    if "=" not in source:
        return source
    return join(rewrite_events(tokenize(source), base_path, line, state))


def rewrite_events(
    events: list[Event], base_path: str, line: int | None, state: RenderEnv
) -> list[Event]:
    """Rewrite URL attributes of tokenized HTML in place; record each URL."""
    offset_line = line or 0
    for event in events:
        if event.kind == "start":
            for name in (*URL_ATTRS, "srcset"):
                value = event.get(name)
                if not value:
                    continue
                kind = "image" if event.tag in ("img", "source", "video") else "link"
                if name == "srcset":
                    for cand in value.split(","):
                        if cand.strip():
                            state.links.append(LinkRef(cand.split()[0], offset_line, kind))
                    new = rewrite_srcset(value, base_path)
                else:
                    state.links.append(LinkRef(value, offset_line, kind))
                    new = with_base(value, base_path)
                if new != value:
                    event.set(name, new)
        offset_line += event.raw.count("\n")
    return events


def _walk(tokens: Sequence[Token], base_path: str, state: RenderEnv, line: int | None) -> None:
    file_line = state.file_line
    links = state.links
    for token in tokens:
        if token.map is not None:
            line = file_line(token.map[0])
        kind = token.type
        if kind == "text":  # the most common token: no URL, no children
            continue
        if kind == "link_open":
            href = str(token.attrGet("href") or "")
            links.append(LinkRef(href, line or 0, "link"))
            token.attrSet("href", with_base(href, base_path))
        elif kind == "image":
            src = str(token.attrGet("src") or "")
            links.append(LinkRef(src, line or 0, "image"))
            token.attrSet("src", with_base(src, base_path))
        elif (kind == "html_block" or kind == "html_inline") and "=" in token.content:
            # The events stay on the token so later rules (figures) need not re-parse.
            keep_events(token, rewrite_events(tokenize(token.content), base_path, line, state))
        elif kind == "softbreak":
            if line is not None:
                line += 1
            continue
        if token.children:
            _walk(token.children, base_path, state, line)


def urls_plugin(md: MarkdownIt, base_path: str = "/") -> None:
    def rule(state: StateCore) -> None:
        _walk(state.tokens, base_path, get_env(state.env), None)

    md.core.ruler.push("awsnotes_urls", rule)
