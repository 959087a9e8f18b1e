"""The contextual escaping pass: picks the escapers of every action, as html/template does.

It runs once at compile time over the parse tree, tracking the HTML context through the
template text (``htmlctx``), and

* gives each output action the chain of escaper names for its context;
* rewrites template text the way Go does: HTML, JS and CSS comments are removed and a
  ``<`` in text that starts no tag becomes ``&lt;``;
* rejects templates whose branches end in different contexts, URLs in ambiguous
  contexts and templates that end in a non-text context.
"""

from __future__ import annotations

from dataclasses import replace

from .errors import Position
from .htmlctx import COMMENTS, Context, context_after_text, nudge
from .nodes import Action, Branch, Jump, Node, Text

_URL_STATES = frozenset({"url", "cssdq", "csssq", "cssurl", "cssdqurl", "csssqurl"})
_SIMPLE = {
    "jsdq": "jsstr",
    "jssq": "jsstr",
    "jstmpl": "jstmpl",
    "jsregexp": "jsregexp",
    "css": "cssvalue",
    "text": "html",
    "rcdata": "rcdata",
    "srcset": "srcset",
}


def escaper_chain(c: Context, pos: Position, offset: int) -> tuple[Context, tuple[str, ...]]:
    c = nudge(c)
    chain: list[str] = []
    state = c.state
    if state in _URL_STATES:
        if c.url_part == "unknown":
            raise pos.error(offset, "action appears in an ambiguous context within a URL")
        if c.url_part == "query":
            chain.append("urlesc")
        else:
            if c.url_part == "":
                chain.append("urlfilter")
            chain.append("css" if state in ("cssdq", "csssq") else "urlnorm")
    elif state == "js":
        chain.append("jsval")
        c = replace(c, js_ctx="div")
    elif state in _SIMPLE:
        chain.append(_SIMPLE[state])
    elif state in ("attrname", "tag"):
        c = replace(c, state="attrname")
        chain.append("name")
    elif state in COMMENTS:
        chain.append("comment")
    elif state != "attr":
        raise pos.error(offset, f"action in unexpected context {c.describe()}")
    if c.delim == " ":
        chain.append("nospace")
    elif c.delim:
        chain.append("attr")
    return c, tuple(chain)


def _join(a: Context, b: Context) -> Context | None:
    if a == b:
        return a
    if replace(a, url_part="") == replace(b, url_part=""):
        return replace(a, url_part="unknown")
    if replace(a, js_ctx="") == replace(b, js_ctx=""):
        return replace(a, js_ctx="unknown")
    na, nb = nudge(a), nudge(b)
    if (na, nb) != (a, b) and na == nb:
        return na
    return None


class Escaper:
    def __init__(self, pos: Position) -> None:
        self.pos = pos

    def run(self, nodes: list[Node]) -> None:
        c = self.walk(Context(), nodes, commit=True)
        if c.state != "text":
            at = nodes[-1].offset if nodes else 0
            raise self.pos.error(at, f"template ends in a non-text context: {c.describe()}")

    def walk(self, c: Context, nodes: list[Node], commit: bool) -> Context:
        for node in nodes:
            if isinstance(node, Text):
                c = self.text(c, node, commit)
            elif isinstance(node, Action):
                if node.pipe.decl:
                    continue
                c, chain = escaper_chain(c, self.pos, node.offset)
                if commit:
                    node.escapers = chain
            elif isinstance(node, Branch):
                c = self.branch(c, node, commit)
            elif isinstance(node, Jump):
                continue
        return c

    def branch(self, c: Context, node: Branch, commit: bool) -> Context:
        c0 = self.walk(c, node.body, commit)
        if node.kind == "range":
            again = self.walk(c0, node.body, commit=False)
            c0 = self.join(c0, again, node)
        c1 = self.walk(c, node.else_list or [], commit)
        return self.join(c0, c1, node)

    def join(self, a: Context, b: Context, node: Branch) -> Context:
        joined = _join(a, b)
        if joined is None:
            raise self.pos.error(
                node.offset,
                f"{{{{{node.kind}}}}} branches end in different contexts: "
                f"{a.describe()}, {b.describe()}",
            )
        return joined

    def text(self, c: Context, node: Text, commit: bool) -> Context:
        s = node.text
        out: list[str] = []
        written = 0
        i = 0
        while i != len(s):
            try:
                c1, nread = context_after_text(c, s[i:])
            except ValueError as exc:
                raise self.pos.error(node.offset + i, str(exc)) from None
            i1 = i + nread
            if c.state in ("text", "rcdata"):
                written = self._escape_lt(s, i, i1, c, c1, out, written)
            elif c.state in COMMENTS and not c.delim:
                if c.state == "jsblockcmt":
                    body = s[written:i1]
                    out.append("\n" if any(ch in body for ch in "\n\r\u2028\u2029") else " ")
                elif c.state == "cssblockcmt":
                    out.append(" ")
                written = i1
            if c.state != c1.state and c1.state in COMMENTS and not c1.delim:
                start = i1 - (4 if c1.state == "htmlcmt" else 2)
                out.append(s[written:start])
                written = i1
            c, i = c1, i1
        if commit and written:
            if c.state not in COMMENTS or c.delim:
                out.append(s[written:])
            node.text = "".join(out)
        return c

    @staticmethod
    def _escape_lt(
        s: str, i: int, i1: int, c: Context, c1: Context, out: list[str], written: int
    ) -> int:
        end = i1
        if c1.state != c.state:
            at = s.rfind("<", i, i1)
            if at != -1:
                end = at
        at = s.find("<", i, end)
        while at != -1:
            if not s[at : at + 9].upper().startswith("<!DOCTYPE"):
                out.append(s[written:at])
                out.append("&lt;")
                written = at + 1
            at = s.find("<", at + 1, end)
        return written
