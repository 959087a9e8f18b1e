"""The executor: walks a compiled tree with a dot, a variable stack and the function table."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .context import Page, Shortcode
from .convert import FuncError, UserError
from .errors import Position, TemplateError
from .escapers import ESCAPERS
from .funcs import LAZY, ROOTED, FuncSpec, RenderOptions, render_markdown, resolve_ref
from .nodes import (
    Action,
    Branch,
    Chain,
    Command,
    Const,
    Dot,
    Field,
    Identifier,
    Jump,
    Nil,
    Node,
    Operand,
    Pipe,
    Text,
    Variable,
)
from .values import HTML, GoObject, Params, sorted_keys, truth, type_name

_MISSING = object()


class Executor:
    """One render: output buffer, variables, and what the functions need."""

    def __init__(
        self, pos: Position, funcs: Mapping[str, FuncSpec], options: RenderOptions, root: Any
    ) -> None:
        self.pos = pos
        self.funcs = funcs
        self.options = options
        self.out: list[str] = []
        self.vars: list[list[Any]] = [["$", root]]

    def fail(self, offset: int, message: str) -> TemplateError:
        return self.pos.error(offset, message)

    # -- statements ----------------------------------------------------------------------
    def walk(self, nodes: list[Node], dot: Any) -> str | None:
        """Run ``nodes``; returns "break"/"continue" when a jump leaves the list."""
        for node in nodes:
            if isinstance(node, Text):
                self.out.append(node.text)
            elif isinstance(node, Action):
                self.action(node, dot)
            elif isinstance(node, Branch):
                jump = self.range(node, dot) if node.kind == "range" else self.if_with(node, dot)
                if jump:
                    return jump
            elif isinstance(node, Jump):
                return node.kind
        return None

    def action(self, node: Action, dot: Any) -> None:
        value = self.pipe(node.pipe, dot)
        if node.pipe.decl:
            return
        for name in node.escapers:
            value = ESCAPERS[name](value)
        self.out.append(value if isinstance(value, str) else str(value))

    def if_with(self, node: Branch, dot: Any) -> str | None:
        mark = len(self.vars)
        try:
            value = self.pipe(node.pipe, dot)
            if truth(value):
                return self.walk(node.body, value if node.kind == "with" else dot)
            if node.else_list is not None:
                return self.walk(node.else_list, dot)
            return None
        finally:
            del self.vars[mark:]

    def range(self, node: Branch, dot: Any) -> str | None:
        mark = len(self.vars)
        try:
            value = self.pipe(node.pipe, dot, declare=False)
            items = self.range_items(value, node.offset)
            if not items:
                return self.walk(node.else_list, dot) if node.else_list is not None else None
            names = node.pipe.decl
            for key, item in items:
                if len(names) == 1:
                    self.vars.append([names[0], item])
                elif len(names) == 2:
                    self.vars.append([names[0], key])
                    self.vars.append([names[1], item])
                jump = self.walk(node.body, item)
                del self.vars[mark:]
                if jump == "break":
                    break
            return None
        finally:
            del self.vars[mark:]

    def range_items(self, value: Any, offset: int) -> list[tuple[Any, Any]]:
        if value is None:
            return []
        if isinstance(value, Mapping):
            return [(k, value[k]) for k in sorted_keys(value)]
        if isinstance(value, (list, tuple)):
            return list(enumerate(value))
        if isinstance(value, int) and not isinstance(value, bool):
            return [(i, i) for i in range(value)]
        raise self.fail(offset, f"range can't iterate over {value}")

    # -- pipelines and commands ----------------------------------------------------------
    def pipe(self, pipe: Pipe, dot: Any, declare: bool = True) -> Any:
        value: Any = _MISSING
        for cmd in pipe.cmds:
            value = self.command(cmd, dot, value)
        if declare and pipe.decl:
            if pipe.is_assign:
                self.assign(pipe.decl[0], value, pipe.offset)
            else:
                self.vars.append([pipe.decl[0], value])
        return value

    def assign(self, name: str, value: Any, offset: int) -> None:
        for slot in reversed(self.vars):
            if slot[0] == name:
                slot[1] = value
                return
        raise self.fail(offset, f"undefined variable: {name}")

    def lookup(self, name: str, offset: int) -> Any:
        for slot in reversed(self.vars):
            if slot[0] == name:
                return slot[1]
        raise self.fail(offset, f"undefined variable: {name}")

    def command(self, cmd: Command, dot: Any, final: Any) -> Any:
        first = cmd.args[0]
        rest = cmd.args[1:]
        if isinstance(first, Identifier):
            return self.call(first, rest, dot, final)
        if isinstance(first, Field):
            return self.fields(dot, first.names, rest, dot, final, first.offset)
        if isinstance(first, Variable):
            value = self.lookup(first.name, first.offset)
            if not first.names:
                self.not_a_function(cmd, final)
                return value
            return self.fields(value, first.names, rest, dot, final, first.offset)
        if isinstance(first, Chain):
            receiver = self.arg(first.node, dot)
            return self.fields(receiver, first.names, rest, dot, final, first.offset)
        self.not_a_function(cmd, final)
        return self.arg(first, dot)

    def not_a_function(self, cmd: Command, final: Any) -> None:
        if len(cmd.args) > 1 or final is not _MISSING:
            raise self.fail(cmd.offset, "can't give argument to non-function")

    def arg(self, node: Operand, dot: Any) -> Any:
        return _ARG[type(node)](self, node, dot)

    def _arg_const(self, node: Const, dot: Any) -> Any:
        return node.value

    def _arg_dot(self, node: Dot, dot: Any) -> Any:
        return dot

    def _arg_nil(self, node: Nil, dot: Any) -> Any:
        return None

    def _arg_field(self, node: Field, dot: Any) -> Any:
        return self.fields(dot, node.names, [], dot, _MISSING, node.offset)

    def _arg_variable(self, node: Variable, dot: Any) -> Any:
        value = self.lookup(node.name, node.offset)
        if node.names:
            value = self.fields(value, node.names, [], dot, _MISSING, node.offset)
        return value

    def _arg_pipe(self, node: Pipe, dot: Any) -> Any:
        mark = len(self.vars)
        try:
            return self.pipe(node, dot)
        finally:
            del self.vars[mark:]

    def _arg_chain(self, node: Chain, dot: Any) -> Any:
        receiver = self.arg(node.node, dot)
        return self.fields(receiver, node.names, [], dot, _MISSING, node.offset)

    def _arg_ident(self, node: Identifier, dot: Any) -> Any:
        return self.call(node, [], dot, _MISSING)

    # -- fields and functions ------------------------------------------------------------
    def fields(
        self,
        receiver: Any,
        names: tuple[str, ...],
        arg_nodes: list[Operand],
        dot: Any,
        final: Any,
        offset: int,
    ) -> Any:
        for name in names[:-1]:
            receiver = self.field(receiver, name, [], offset)
        args = [self.arg(a, dot) for a in arg_nodes]
        if final is not _MISSING:
            args.append(final)
        return self.field(receiver, names[-1], args, offset)

    def field(self, receiver: Any, name: str, args: list[Any], offset: int) -> Any:
        if isinstance(receiver, Page) and name in _PAGE_METHODS:
            return _PAGE_METHODS[name](self, args, offset)
        if isinstance(receiver, GoObject):
            try:
                return receiver.go_field(name, args)
            except LookupError:
                raise self.fail(
                    offset, f'unsupported field or method "{name}" of {receiver.go_type}'
                ) from None
            except TypeError as exc:
                raise self.fail(offset, f"error calling {name}: {exc}") from None
        if isinstance(receiver, Mapping):
            if args:
                raise self.fail(offset, f"{name} is not a method but has arguments")
            if isinstance(receiver, Params):
                return receiver.lookup(name)[1]
            return receiver.get(name)
        if receiver is None:
            raise self.fail(offset, f"nil pointer evaluating interface {{}}.{name}")
        raise self.fail(offset, f"can't evaluate field {name} in type {type_name(receiver)}")

    def call(self, ident: Identifier, arg_nodes: list[Operand], dot: Any, final: Any) -> Any:
        name = ident.name
        if name in LAZY:
            return self.and_or(ident, arg_nodes, dot, final)
        if name in ROOTED:
            if arg_nodes or final is not _MISSING:
                raise self.fail(ident.offset, f"wrong number of args for {name}: want 0")
            root = self.vars[0][1]
            return root.page.site if isinstance(root, Shortcode) else None
        spec = self.funcs[name]
        args = [self.arg(a, dot) for a in arg_nodes]
        if final is not _MISSING:
            args.append(final)
        count = len(args)
        if count < spec.min_args or (spec.max_args is not None and count > spec.max_args):
            want = spec.min_args if spec.max_args == spec.min_args else f"at least {spec.min_args}"
            raise self.fail(
                ident.offset, f"wrong number of args for {name}: want {want} got {count}"
            )
        try:
            if spec.needs_options:
                return spec.fn(self.options, *args)
            return spec.fn(*args)
        except TemplateError:
            raise
        except UserError as exc:
            raise self.fail(ident.offset, str(exc)) from None
        except (FuncError, ValueError, TypeError, IndexError, KeyError) as exc:
            raise self.fail(ident.offset, f"error calling {name}: {exc}") from None

    def and_or(self, ident: Identifier, arg_nodes: list[Operand], dot: Any, final: Any) -> Any:
        if not arg_nodes and final is _MISSING:
            raise self.fail(
                ident.offset, f"wrong number of args for {ident.name}: want at least 1 got 0"
            )
        want = ident.name == "or"
        value: Any = None
        for node in arg_nodes:
            value = self.arg(node, dot)
            if truth(value) == want:
                return value
        if final is not _MISSING:
            value = final
        return value


def render_string(run: Executor, args: list[Any], offset: int) -> Any:
    """``.Page.RenderString [OPTIONS] MARKDOWN``: markdownify, kept whole with display=block."""
    if not args or len(args) > 2:
        raise run.fail(offset, f"wrong number of args for RenderString: want 1 got {len(args)}")
    block = len(args) == 2 and isinstance(args[0], Mapping) and args[0].get("display") == "block"
    try:
        return HTML(render_markdown(run.options, args[-1], inline=not block))
    except FuncError as exc:
        raise run.fail(offset, f"error calling RenderString: {exc}") from None


def page_ref(run: Executor, args: list[Any], offset: int, absolute: bool) -> Any:
    name = "Ref" if absolute else "RelRef"
    if len(args) != 1:
        raise run.fail(offset, f"wrong number of args for {name}: want 1 got {len(args)}")
    try:
        return resolve_ref(run.options, args[0], absolute)
    except FuncError as exc:
        raise run.fail(offset, f"error calling {name}: {exc}") from None


_ARG: dict[type, Callable[[Executor, Any, Any], Any]] = {
    Const: Executor._arg_const,
    Dot: Executor._arg_dot,
    Nil: Executor._arg_nil,
    Field: Executor._arg_field,
    Variable: Executor._arg_variable,
    Pipe: Executor._arg_pipe,
    Chain: Executor._arg_chain,
    Identifier: Executor._arg_ident,
}

_PAGE_METHODS: dict[str, Callable[[Executor, list[Any], int], Any]] = {
    "RenderString": render_string,
    "Ref": lambda run, args, offset: page_ref(run, args, offset, True),
    "RelRef": lambda run, args, offset: page_ref(run, args, offset, False),
}
