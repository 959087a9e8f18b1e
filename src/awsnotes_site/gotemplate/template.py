"""``compile`` and ``Template``: the entry points of the Go-template interpreter."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .check import FieldChecker
from .errors import Position
from .escape import Escaper
from .execute import Executor
from .funcs import FuncSpec, RenderOptions, builtin_functions
from .nodes import Node
from .parser import Parser

_DEFAULT_OPTIONS = RenderOptions()


class Template:
    """A parsed and escaped shortcode template; ``render`` may be called any number of times."""

    __slots__ = ("path", "_nodes", "_pos", "_funcs")

    def __init__(
        self, path: str, nodes: list[Node], pos: Position, funcs: Mapping[str, FuncSpec]
    ) -> None:
        self.path = path
        self._nodes = nodes
        self._pos = pos
        self._funcs = funcs

    def render(self, ctx: Any, options: RenderOptions | None = None) -> str:
        """Execute with ``ctx`` as dot (and ``$``); raises ``TemplateError`` on failure."""
        run = Executor(self._pos, self._funcs, options or _DEFAULT_OPTIONS, ctx)
        run.walk(self._nodes, ctx)
        return "".join(run.out)


def compile(source: str, path: str) -> Template:  # noqa: A001 - the API the caller asked for
    """Parse ``source`` (the template at ``path``) and choose its escapers.

    Raises ``TemplateError`` with ``path:line:col`` for a syntax error or a construct
    outside the subset (``template``, ``define``, ``block``, an unknown function, ...).
    """
    pos = Position(source, path)
    funcs = builtin_functions()
    tree = Parser(source, pos, funcs).parse()
    FieldChecker(pos).run(tree.nodes)
    Escaper(pos).run(tree.nodes)
    return Template(path, tree.nodes, pos, funcs)
