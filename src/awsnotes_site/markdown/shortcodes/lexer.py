"""The shortcode tag lexer: ``{{< name args >}}``, ``{{% name %}}``, ``{{< /name >}}``,
``{{< name />}}`` and comments ``{{</* name */>}}`` into a :class:`Tag`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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


def closer_of(delim: str) -> str:
    return ">}}" if delim == "<" else "%}}"


def closing_text(tag: Tag) -> str:
    """How the tag that closes ``tag`` is written: ``{{< /name >}}``."""
    return "{{" + tag.delim + " /" + tag.name + " " + closer_of(tag.delim)


def _skip_ws(src: str, j: int) -> int:
    n = len(src)
    while j < n and src[j] in " \t\n":
        j += 1
    return j


def _parse_comment(src: str, pos: int, delim: str, closer: str) -> Tag:
    """``{{</* x */>}}`` at ``pos``: a tag that prints ``{{< x >}}``."""
    i = pos + 3
    end = src.find("*/" + closer, i + 2)
    if end < 0:
        raise ShortcodeSyntaxError("shortcode comment '{{" + delim + "/*' is never closed", pos)
    inner = src[i + 2 : end]
    return Tag(
        delim, "", pos, end + 2 + len(closer), comment=True, literal="{{" + delim + inner + closer
    )


def parse_tag(src: str, pos: int) -> Tag:
    """Lex the shortcode tag starting at ``src[pos]`` (which must be ``{{<`` or ``{{%``)."""
    delim = src[pos + 2]
    closer = closer_of(delim)
    i = pos + 3
    if src.startswith("/*", i):
        return _parse_comment(src, pos, delim, closer)
    i = _skip_ws(src, i)
    tag = Tag(delim, "", pos, pos)
    if i < len(src) and src[i] == "/":
        tag.closing = True
        i = _skip_ws(src, i + 1)
    m = _NAME.match(src, i)
    if not m:
        raise ShortcodeSyntaxError("shortcode has no name", pos)
    tag.name = m.group(0)
    _parse_arguments(src, m.end(), tag, closer)
    if tag.positional and tag.named:
        raise ShortcodeSyntaxError(
            f"shortcode '{tag.name}' mixes positional and named arguments", pos, tag.end
        )
    return tag


def _parse_arguments(src: str, i: int, tag: Tag, closer: str) -> None:
    """Read the arguments of ``tag`` from ``src[i]`` up to and with its closer; sets its
    arguments, ``end`` and ``self_closing``."""
    pos = tag.start
    while True:
        i = _skip_ws(src, i)
        if i >= len(src):
            raise ShortcodeSyntaxError(f"shortcode '{tag.name}' is not closed with '{closer}'", pos)
        if src.startswith(closer, i):
            tag.end = i + len(closer)
            return
        if src.startswith("/" + closer, i):
            tag.self_closing = True
            tag.end = i + 1 + len(closer)
            return
        if src.startswith("}}", i) or src.startswith("{{", i):
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


def trim_inner(inner: str) -> str:
    """A paired shortcode's inner text without the line break after the opening tag and
    the one before the closing tag."""
    if inner.startswith("\n"):
        inner = inner[1:]
    elif inner.startswith("\r\n"):
        inner = inner[2:]
    return inner[:-1] if inner.endswith("\n") else inner


_COMMENT = re.compile(r"\{\{([<%])/\*")


def unescape_comments(text: str) -> str:
    """``text`` with each shortcode comment ``{{</* x */>}}`` printed as ``{{< x >}}`` (and
    ``{{%/* x */%}}`` as ``{{% x %}}``); an unclosed one stays as written."""
    if "/*" not in text:
        return text
    out: list[str] = []
    pos = 0
    for m in _COMMENT.finditer(text):
        if m.start() < pos:
            continue  # inside the comment before
        delim = m.group(1)
        try:
            tag = _parse_comment(text, m.start(), delim, closer_of(delim))
        except ShortcodeSyntaxError:
            continue
        out.append(text[pos : m.start()])
        out.append(tag.literal)
        pos = tag.end
    return "".join(out) + text[pos:] if out else text
