"""Parser: tokens -> parse tree, with the checks Go makes at parse time."""

from __future__ import annotations

from collections.abc import Container

from .errors import Position
from .lexer import Lexer, Tok, Token
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
    Tree,
    Variable,
)
from .strconv import parse_char, parse_number, unquote

_END_OF_COMMAND = (Tok.PIPE, Tok.RIGHT, Tok.RPAREN)
_NOT_IN_SUBSET = {
    "define": "define",
    "template": "template",
    "block": "block",
}
_LITERALS = (Tok.STRING, Tok.RAWSTRING, Tok.CHAR, Tok.NUMBER, Tok.BOOL)


class Parser:
    def __init__(self, source: str, pos: Position, functions: Container[str]) -> None:
        self.pos = pos
        self.toks = Lexer(source, pos).run()
        self.i = 0
        self.functions = functions
        self.scopes: list[list[str]] = [["$"]]
        self.range_depth = 0

    # -- token helpers -------------------------------------------------------------------
    def peek(self) -> Token:
        return self.toks[self.i]

    def next(self) -> Token:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def skip_space(self) -> Token:
        while self.toks[self.i].kind is Tok.SPACE:
            self.i += 1
        return self.toks[self.i]

    def expect(self, kind: Tok, context: str) -> Token:
        tok = self.skip_space()
        if tok.kind is not kind:
            raise self.unexpected(tok, context)
        return self.next()

    def unexpected(self, tok: Token, context: str) -> Exception:
        shown = tok.value or tok.kind.value
        return self.pos.error(tok.offset, f"unexpected {shown!r} in {context}")

    # -- lists and actions ---------------------------------------------------------------
    def parse(self) -> Tree:
        nodes, stop = self.item_list()
        if stop is not None:
            raise self.pos.error(stop.offset, f"unexpected {{{{{stop.value}}}}}")
        return Tree(nodes)

    def item_list(self) -> tuple[list[Node], Token | None]:
        """Parse until EOF or an ``{{end}}``/``{{else}}`` (returned, already consumed)."""
        nodes: list[Node] = []
        while True:
            tok = self.next()
            if tok.kind is Tok.EOF:
                self.i -= 1
                return nodes, None
            if tok.kind is Tok.TEXT:
                nodes.append(Text(tok.value, tok.offset))
                continue
            word = self.skip_space()
            if word.kind is Tok.KEYWORD and word.value in ("end", "else"):
                self.next()
                return nodes, word
            nodes.append(self.action(tok))

    def action(self, left: Token) -> Node:
        tok = self.skip_space()
        if tok.kind is Tok.KEYWORD:
            self.next()
            if tok.value in ("if", "with", "range"):
                return self.branch(tok)
            if tok.value in ("break", "continue"):
                if self.range_depth == 0:
                    raise self.pos.error(tok.offset, f"{{{{{tok.value}}}}} outside {{{{range}}}}")
                self.expect(Tok.RIGHT, tok.value)
                return Jump(tok.value, tok.offset)
            raise self.pos.error(tok.offset, f'unsupported action "{_NOT_IN_SUBSET[tok.value]}"')
        pipe = self.pipeline("command", Tok.RIGHT)
        self.next()
        return Action(pipe, left.offset)

    def branch(self, kw: Token) -> Branch:
        self.scopes.append([])
        pipe = self.pipeline(kw.value, Tok.RIGHT, allow_two=kw.value == "range")
        self.next()
        if kw.value == "range":
            self.range_depth += 1
        body, stop = self.item_list()
        if kw.value == "range":
            self.range_depth -= 1
        if stop is None:
            raise self.pos.error(kw.offset, f"unexpected EOF: {{{{{kw.value}}}}} is never closed")
        else_list: list[Node] | None = None
        if stop.value == "else":
            else_list = self.else_part(kw)
        else:
            self.expect(Tok.RIGHT, "end")
        self.scopes.pop()
        return Branch(kw.value, pipe, body, else_list, kw.offset)

    def else_part(self, kw: Token) -> list[Node]:
        tok = self.skip_space()
        if tok.kind is Tok.KEYWORD and tok.value == kw.value and kw.value in ("if", "with"):
            # ``{{else if x}}`` is ``{{else}}{{if x}}...{{end}}{{end}}`` sharing the one end.
            self.next()
            return [self.branch(tok)]
        self.expect(Tok.RIGHT, "else")
        nodes, stop = self.item_list()
        if stop is None or stop.value != "end":
            at = stop.offset if stop else kw.offset
            raise self.pos.error(at, f"expected {{{{end}}}} to close {{{{{kw.value}}}}}")
        self.expect(Tok.RIGHT, "end")
        return nodes

    # -- pipelines -----------------------------------------------------------------------
    def pipeline(self, context: str, end: Tok, allow_two: bool = False) -> Pipe:
        start = self.skip_space()
        decl, is_assign = self.declaration(allow_two)
        cmds: list[Command] = []
        while True:
            tok = self.skip_space()
            if tok.kind is end:
                break
            if tok.kind is Tok.PIPE:
                if not cmds:
                    raise self.unexpected(tok, context)
                self.next()
                continue
            if tok.kind in (Tok.RIGHT, Tok.RPAREN, Tok.EOF):
                raise self.unexpected(tok, context)
            cmds.append(self.command(len(cmds)))
        if not cmds:
            raise self.pos.error(start.offset, f"missing value for {context}")
        return Pipe(decl, is_assign, cmds, start.offset)

    def declaration(self, allow_two: bool) -> tuple[list[str], bool]:
        mark = self.i
        names: list[str] = []
        while True:
            tok = self.skip_space()
            if tok.kind is not Tok.VAR:
                break
            self.next()
            names.append(tok.value)
            op = self.skip_space()
            if op.kind in (Tok.DECLARE, Tok.ASSIGN) and (len(names) == 1 or allow_two):
                self.next()
                if op.kind is Tok.DECLARE:
                    self.scopes[-1].extend(names)
                else:
                    for name in names:
                        self.check_var(name, tok.offset)
                return names, op.kind is Tok.ASSIGN
            if op.kind is Tok.COMMA and allow_two and len(names) == 1:
                self.next()
                continue
            break
        self.i = mark
        return [], False

    def check_var(self, name: str, offset: int) -> None:
        if not any(name in scope for scope in self.scopes):
            raise self.pos.error(offset, f'undefined variable "{name}"')

    def command(self, stage: int) -> Command:
        start = self.peek()
        args: list[Operand] = []
        while True:
            tok = self.skip_space()
            if tok.kind in _END_OF_COMMAND:
                break
            args.append(self.operand())
        if stage > 0 and isinstance(args[0], (Const, Nil, Dot)):
            raise self.pos.error(
                start.offset, f"non executable command in pipeline stage {stage + 1}"
            )
        if isinstance(args[0], Nil) and len(args) == 1:
            raise self.pos.error(start.offset, "nil is not a command")
        return Command(args, start.offset)

    def fields(self) -> tuple[str, ...]:
        names: list[str] = []
        while self.peek().kind is Tok.FIELD:
            names.append(self.next().value)
        return tuple(names)

    def operand(self) -> Operand:
        tok = self.next()
        kind = tok.kind
        if kind is Tok.FIELD:
            return Field((tok.value, *self.fields()), tok.offset)
        if kind is Tok.VAR:
            self.check_var(tok.value, tok.offset)
            return Variable(tok.value, self.fields(), tok.offset)
        if kind is Tok.DOT:
            return Dot(tok.offset)
        if kind is Tok.NIL:
            return Nil(tok.offset)
        if kind is Tok.IDENT:
            return self.identifier(tok)
        if kind is Tok.LPAREN:
            inner = self.pipeline("parenthesized pipeline", Tok.RPAREN)
            self.next()
            names = self.fields()
            return Chain(inner, names, tok.offset) if names else inner
        if kind in _LITERALS:
            return Const(self.literal(tok), tok.offset)
        if kind is Tok.KEYWORD and tok.value in _NOT_IN_SUBSET:
            raise self.pos.error(tok.offset, f'unsupported action "{tok.value}"')
        raise self.unexpected(tok, "operand")

    def identifier(self, tok: Token) -> Operand:
        """A function, or a function and fields on its result (``site.Params.x``)."""
        if tok.value in self.functions:
            return Identifier(tok.value, tok.offset)
        head, *names = tok.value.split(".")
        if names and head in self.functions:
            names.extend(self.fields())
            return Chain(Identifier(head, tok.offset), tuple(names), tok.offset)
        raise self.pos.error(tok.offset, f'unsupported function "{tok.value}"')

    def literal(self, tok: Token) -> object:
        try:
            if tok.kind is Tok.STRING:
                return unquote(tok.value)
            if tok.kind is Tok.RAWSTRING:
                return tok.value[1:-1].replace("\r", "")
            if tok.kind is Tok.CHAR:
                return parse_char(tok.value)
            if tok.kind is Tok.BOOL:
                return tok.value == "true"
            return parse_number(tok.value)
        except ValueError as exc:
            raise self.pos.error(tok.offset, str(exc)) from None
