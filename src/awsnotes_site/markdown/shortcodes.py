"""Hugo shortcodes: ``{{< name args >}}``, ``{{% name %}}…{{% /name %}}``, self-closing
``{{< name />}}`` and comments ``{{</* name */>}}`` (printed literally).

The lexer turns a tag into a :class:`Tag`; a block rule handles shortcodes that stand on
their own lines (``%`` inner content is parsed as Markdown blocks), an inline rule handles
the rest. Fenced code and code spans are consumed by their own rules first, so shortcodes
inside them stay text. Rendering is done by :mod:`awsnotes_site.markdown.registry`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from awsnotes_site.diagnostics import Severity
from awsnotes_site.markdown.context import get_env
from awsnotes_site.markdown.dispatch import block_first_chars, inline_first_chars

_NAME = re.compile(r"[A-Za-z0-9_][\w./-]*")
_KEY = re.compile(r"([A-Za-z_][\w-]*)=")


class ShortcodeSyntaxError(ValueError):
    def __init__(self, message: str, offset: int, end: int | None = None) -> None:
        super().__init__(message)
        self.offset = offset
        self.end = end  # where the malformed tag ends, when known


@dataclass
class Tag:
    delim: str  # "<" or "%"
    name: str
    start: int
    end: int
    closing: bool = False
    self_closing: bool = False
    comment: bool = False
    positional: list[str] = field(default_factory=list)
    named: dict[str, str] = field(default_factory=dict)
    literal: str = ""  # for comments: the text to print


def _closer(delim: str) -> str:
    return ">}}" if delim == "<" else "%}}"


def parse_tag(src: str, pos: int) -> Tag:
    """Lex the shortcode tag starting at ``src[pos]`` (which must be ``{{<`` or ``{{%``)."""
    delim = src[pos + 2]
    closer = _closer(delim)
    i = pos + 3
    if src.startswith("/*", i):
        end = src.find("*/" + closer, i + 2)
        if end < 0:
            raise ShortcodeSyntaxError("shortcode comment '{{" + delim + "/*' is never closed", pos)
        inner = src[i + 2 : end]
        return Tag(
            delim,
            "",
            pos,
            end + 2 + len(closer),
            comment=True,
            literal="{{" + delim + inner + closer,
        )
    n = len(src)

    def skip_ws(j: int) -> int:
        while j < n and src[j] in " \t\n":
            j += 1
        return j

    i = skip_ws(i)
    tag = Tag(delim, "", pos, pos)
    if i < n and src[i] == "/":
        tag.closing = True
        i = skip_ws(i + 1)
    m = _NAME.match(src, i)
    if not m:
        raise ShortcodeSyntaxError("shortcode has no name", pos)
    tag.name = m.group(0)
    i = m.end()
    while True:
        i = skip_ws(i)
        if i >= n:
            raise ShortcodeSyntaxError(f"shortcode '{tag.name}' is not closed with '{closer}'", pos)
        if src.startswith(closer, i):
            tag.end = i + len(closer)
            break
        if src.startswith("/" + closer, i):
            tag.self_closing = True
            tag.end = i + 1 + len(closer)
            break
        if src.startswith("}}", i) or src.startswith("{{", i) or src[i] == "\n" and False:
            raise ShortcodeSyntaxError(f"shortcode '{tag.name}' is not closed with '{closer}'", pos)
        key = None
        km = _KEY.match(src, i)
        if km:
            key = km.group(1)
            i = km.end()
        value, i = _lex_value(src, i, tag.name, closer)
        if tag.closing:
            raise ShortcodeSyntaxError(f"closing shortcode '/{tag.name}' takes no arguments", pos)
        if key is None:
            tag.positional.append(value)
        else:
            tag.named[key] = value
    if tag.positional and tag.named:
        raise ShortcodeSyntaxError(
            f"shortcode '{tag.name}' mixes positional and named arguments", pos, tag.end
        )
    return tag


def _lex_value(src: str, i: int, name: str, closer: str) -> tuple[str, int]:
    n = len(src)
    if i < n and src[i] == '"':
        out = []
        j = i + 1
        while j < n and src[j] != '"':
            if src[j] == "\\" and j + 1 < n:
                j += 1
            out.append(src[j])
            j += 1
        if j >= n:
            raise ShortcodeSyntaxError(f"unterminated string in shortcode '{name}'", i)
        return "".join(out), j + 1
    if i < n and src[i] == "`":
        j = src.find("`", i + 1)
        if j < 0:
            raise ShortcodeSyntaxError(f"unterminated raw string in shortcode '{name}'", i)
        return src[i + 1 : j], j + 1
    j = i
    while (
        j < n
        and src[j] not in " \t\n"
        and not src.startswith(closer, j)
        and not src.startswith("/" + closer, j)
    ):
        j += 1
    return src[i:j], j


def find_closing(src: str, tag: Tag, start: int) -> tuple[int, int] | None:
    """Offsets (start, end) of the tag that closes ``tag``, nesting respected."""
    pattern = re.compile(r"\{\{([<%])\s*(/?)\s*" + re.escape(tag.name) + r"(?=[\s/>%])")
    depth = 1
    pos = start
    while True:
        m = pattern.search(src, pos)
        if not m:
            return None
        try:
            other = parse_tag(src, m.start())
        except ShortcodeSyntaxError:
            pos = m.end()
            continue
        if other.closing:
            depth -= 1
            if depth == 0:
                return other.start, other.end
        elif not other.self_closing and not other.comment:
            depth += 1
        pos = other.end


class Registry(Protocol):
    def exists(self, name: str) -> bool: ...
    def requires_inner(self, name: str) -> bool: ...
    def render(self, md: MarkdownIt, token: Token, options: OptionsDict, env: Any) -> str: ...
    def link_target(self, tag: Tag, env: Any, line: int) -> str: ...


def _error_token(state: StateBlock | StateInline, message: str, pos: int) -> Token:
    token = state.push("shortcode", "", 0)
    token.meta = {"error": message, "pos": pos}
    return token


def _line_end(state: StateBlock, line: int, end: int) -> int:
    """The index of the line containing offset ``end - 1``."""
    while line < state.lineMax and state.eMarks[line] < end - 1:
        line += 1
    return line


def shortcodes_plugin(md: MarkdownIt, registry: Registry) -> None:
    @block_first_chars("{")
    def block_rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        if state.sCount[start_line] - state.blkIndent >= 4:
            return False
        pos = state.bMarks[start_line] + state.tShift[start_line]
        src = state.src
        if not (src.startswith("{{<", pos) or src.startswith("{{%", pos)):
            return False
        try:
            tag = parse_tag(src, pos)
        except ShortcodeSyntaxError:
            return False  # the inline rule reports it with the paragraph's line
        if tag.comment:
            return False
        tag_line = _line_end(state, start_line, tag.end)
        if src[tag.end : state.eMarks[tag_line]].strip():
            return False
        if silent:
            return True
        if tag.closing:
            closing_tag = "{{" + tag.delim + " /" + tag.name + " " + _closer(tag.delim)
            token = _error_token(state, f"closing '{closing_tag}' has no opening shortcode", pos)
            token.map = [start_line, tag_line + 1]
            token.block = True
            state.line = tag_line + 1
            return True
        closing = None if tag.self_closing else find_closing(src, tag, tag.end)
        if closing is not None:
            close_line = _line_end(state, tag_line, closing[1])
            if (
                close_line >= end_line
                or state.bMarks[close_line] + state.tShift[close_line] != closing[0]
                or src[closing[1] : state.eMarks[close_line]].strip()
            ):
                closing = None  # closed inline somewhere: treat as a paragraph
                return False
        meta: dict[str, Any] = {"tag": tag}
        if closing is None:
            if not tag.self_closing and registry.requires_inner(tag.name):
                closing_tag = "{{" + tag.delim + " /" + tag.name + " " + _closer(tag.delim)
                token = _error_token(
                    state, f"shortcode '{tag.name}' is never closed; add {closing_tag}", pos
                )
            else:
                token = state.push("shortcode", "", 0)
                token.meta = meta
            token.map = [start_line, tag_line + 1]
            token.block = True
            state.line = tag_line + 1
            return True
        if tag.delim == "%":
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
        else:
            inner = src[tag.end : closing[0]]
            meta["inner"] = _trim_inner(inner)
            token = state.push("shortcode", "", 0)
            token.meta = meta
            token.map = [start_line, close_line + 1]
            token.block = True
        state.line = close_line + 1
        return True

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
                _error_token(state, str(exc), pos)
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
            _error_token(state, f"closing shortcode '/{tag.name}' has no opening shortcode", pos)
            state.pos = tag.end
            return True
        meta: dict[str, Any] = {"tag": tag, "pos": pos}
        closing = None if tag.self_closing else find_closing(src, tag, tag.end)
        if closing is None and not tag.self_closing and registry.requires_inner(tag.name):
            _error_token(state, f"shortcode '{tag.name}' is never closed", pos)
            state.pos = tag.end
            return True
        if closing is not None:
            meta["inner"] = _trim_inner(src[tag.end : closing[0]])
            state.pos = closing[1]
        else:
            state.pos = tag.end
        token = state.push("shortcode", "", 0)
        token.meta = meta
        return True

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
        state.tokens = _collapse(state.tokens)

    def render(
        self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any
    ) -> str:
        token = tokens[idx]
        meta = token.meta or {}
        state = get_env(env)
        line = state.file_line(meta.get("line"))
        if "error" in meta:
            state.report(Severity.ERROR, line, str(meta["error"]))
            return ""
        state.shortcodes.add(meta["tag"].name)
        return registry.render(md, token, options, env)

    @inline_first_chars("[")
    def ref_link_rule(state: StateInline, silent: bool) -> bool:
        """``[text]({{< ref "x.md" >}})``: Hugo expands shortcodes before Markdown, so a
        ref in a link destination must make a link; markdown-it's own link rule cannot
        parse it (spaces), so this rule runs first and builds the link tokens."""
        src, start = state.src, state.pos
        if src[start] != "[":
            return False
        label_end = state.md.helpers.parseLinkLabel(state, start, True)
        if label_end < 0 or not src.startswith("(", label_end + 1):
            return False
        pos = label_end + 2
        while pos < state.posMax and src[pos] in " \t":
            pos += 1
        if not src.startswith("{{<", pos) and not src.startswith("{{%", pos):
            return False
        try:
            tag = parse_tag(src, pos)
        except ShortcodeSyntaxError:
            return False
        end = tag.end
        while end < state.posMax and src[end] in " \t":
            end += 1
        if tag.name not in ("ref", "relref") or not src.startswith(")", end):
            return False
        if not silent:
            old_max = state.posMax
            opener = state.push("link_open", "a", 1)
            opener.attrs = {"href": ""}
            opener.meta = {"ref": tag, "pos": pos}
            state.pos, state.posMax = start + 1, label_end
            state.linkLevel += 1
            state.md.inline.tokenize(state)
            state.linkLevel -= 1
            state.posMax = old_max
            state.push("link_close", "a", -1)
        state.pos = end + 1
        return True

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

    md.inline.ruler.before("link", "shortcode_ref_link", ref_link_rule)
    md.core.ruler.after("inline", "shortcode_ref_links", resolve_ref_links)
    md.block.ruler.before(
        "paragraph",
        "shortcode",
        block_rule,
        {"alt": ["paragraph", "reference", "blockquote", "list"]},
    )
    md.inline.ruler.after("text", "shortcode", inline_rule)
    md.core.ruler.push("shortcode_collapse", set_lines_and_collapse)
    md.add_render_rule("shortcode", render)


def _trim_inner(inner: str) -> str:
    if inner.startswith("\n"):
        inner = inner[1:]
    elif inner.startswith("\r\n"):
        inner = inner[2:]
    return inner[:-1] if inner.endswith("\n") else inner


def _collapse(tokens: list[Token]) -> list[Token]:
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
