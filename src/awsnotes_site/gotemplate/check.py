"""Compile-time check of field chains on the shortcode, its page and its site.

Where the dot is known to be the shortcode (outside ``with`` and ``range`` bodies) and on
``$``, a chain such as ``.Page.Scratch`` or ``$.Site.Menus`` that leaves the subset is an
error at compile time, naming the file, line and column, instead of failing (or not) when
a page happens to run that branch.
"""

from __future__ import annotations

from .context import Language, Page, Shortcode, Site
from .errors import Position
from .nodes import Action, Branch, Chain, Field, Identifier, Node, Operand, Pipe, Variable
from .scratch import Scratch

_SCHEMA: dict[str, dict[str, str]] = {
    "Shortcode": Shortcode.go_fields,
    "Page": Page.go_fields,
    "Site": Site.go_fields,
    "Scratch": Scratch.go_fields,
    "Language": Language.go_fields,
}
_SHOWN = {
    "Shortcode": "",
    "Page": ".Page",
    "Site": ".Site",
    "Scratch": ".Scratch",
    "Language": ".Language",
}


class FieldChecker:
    def __init__(self, pos: Position) -> None:
        self.pos = pos

    def run(self, nodes: list[Node], dot: str = "Shortcode") -> None:
        for node in nodes:
            if isinstance(node, Action):
                self.pipe(node.pipe, dot)
            elif isinstance(node, Branch):
                self.pipe(node.pipe, dot)
                self.run(node.body, dot if node.kind == "if" else "")
                if node.else_list:
                    self.run(node.else_list, dot)

    def pipe(self, pipe: Pipe, dot: str) -> None:
        for cmd in pipe.cmds:
            for arg in cmd.args:
                self.operand(arg, dot)

    def operand(self, node: Operand, dot: str) -> None:
        if isinstance(node, Field):
            self.chain(dot, node.names, node.offset)
        elif isinstance(node, Variable) and node.name == "$":
            self.chain("Shortcode", node.names, node.offset)
        elif isinstance(node, Pipe):
            self.pipe(node, dot)
        elif isinstance(node, Chain):
            if isinstance(node.node, Identifier) and node.node.name == "site":
                self.chain("Site", node.names, node.offset)
            self.operand(node.node, dot)

    def chain(self, kind: str, names: tuple[str, ...], offset: int) -> None:
        for name in names:
            fields = _SCHEMA.get(kind)
            if fields is None:
                return
            if name not in fields:
                shown = _SHOWN[kind] + "." + name
                raise self.pos.error(offset, f'unsupported field or method "{shown}"')
            kind = fields[name]
