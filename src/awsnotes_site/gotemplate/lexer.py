"""Lexer for Go's text/template syntax: text, ``{{ }}`` actions, trim markers, comments."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from .errors import Position


class Tok(Enum):
    TEXT = "text"
    LEFT = "{{"
    RIGHT = "}}"
    IDENT = "identifier"
    KEYWORD = "keyword"
    FIELD = "field"
    VAR = "variable"
    DOT = "."
    STRING = "string"
    RAWSTRING = "raw string"
    CHAR = "character constant"
    NUMBER = "number"
    BOOL = "bool"
    NIL = "nil"
    DECLARE = ":="
    ASSIGN = "="
    PIPE = "|"
    LPAREN = "("
    RPAREN = ")"
    COMMA = ","
    SPACE = "space"
    EOF = "EOF"


KEYWORDS = frozenset(
    {"if", "else", "end", "range", "with", "define", "template", "block", "break", "continue"}
)


@dataclass(frozen=True, slots=True)
class Token:
    kind: Tok
    value: str
    offset: int


_WS = " \t\r\n"
_WS_CHARS = (" ", "\t", "\r", "\n")
_NUMBER = re.compile(
    r"[+-]?(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+"
    r"|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?)i?"
)
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# ``strings.HasPrefix`` or ``site.Params.x``: a function name, maybe with fields after it.
_DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_RAW = re.compile(r"`[^`]*`")
_CHAR = re.compile(r"'(?:[^'\\\n]|\\.[^']*)'")
_PUNCT = {"|": Tok.PIPE, "(": Tok.LPAREN, ")": Tok.RPAREN, ",": Tok.COMMA, "=": Tok.ASSIGN}


class Lexer:
    """Turns a template source into a flat token list (text, then action tokens)."""

    def __init__(self, source: str, pos: Position) -> None:
        self.src = source
        self.pos = pos
        self.tokens: list[Token] = []

    def run(self) -> list[Token]:
        src = self.src
        at = 0
        trim_next = False
        while at < len(src):
            start = src.find("{{", at)
            end = len(src) if start == -1 else start
            text = src[at:end]
            offset = at
            if (
                start != -1
                and src.startswith("{{-", start)
                and src[start + 3 : start + 4] in _WS_CHARS
            ):
                text = text.rstrip(_WS)
            if trim_next:
                stripped = text.lstrip(_WS)
                offset += len(text) - len(stripped)
                text = stripped
            if text:
                self.tokens.append(Token(Tok.TEXT, text, offset))
            if start == -1:
                break
            at, trim_next = self._action(start)
        self.tokens.append(Token(Tok.EOF, "", len(src)))
        return self.tokens

    def _action(self, start: int) -> tuple[int, bool]:
        """Lex one action from ``{{``; returns where text resumes and whether to trim it."""
        src = self.src
        at = start + 2
        if src.startswith("-", at) and src[at + 1 : at + 2] in _WS and at + 1 < len(src):
            at += 2
        if src.startswith("/*", at):
            return self._comment(start, at)
        self.tokens.append(Token(Tok.LEFT, "{{", start))
        while True:
            if at >= len(src):
                raise self.pos.error(start, "unclosed action")
            c = src[at]
            if c in _WS:
                if src.startswith("-}}", at + 1):
                    self.tokens.append(Token(Tok.RIGHT, "}}", at))
                    return at + 4, True
                at = self._space(at)
                continue
            if src.startswith("}}", at):
                self.tokens.append(Token(Tok.RIGHT, "}}", at))
                return at + 2, False
            at = self._token(at)

    def _comment(self, start: int, at: int) -> tuple[int, bool]:
        src = self.src
        close = src.find("*/", at + 2)
        if close == -1:
            raise self.pos.error(start, "unclosed comment")
        after = close + 2
        if after < len(src) and src[after] in _WS and src.startswith("-}}", after + 1):
            return after + 4, True
        if src.startswith("}}", after):
            return after + 2, False
        raise self.pos.error(start, "comment ends before closing delimiter")

    def _space(self, at: int) -> int:
        src = self.src
        begin = at
        at += 1
        while at < len(src) and src[at] in _WS and not src.startswith("-}}", at + 1):
            at += 1
        self.tokens.append(Token(Tok.SPACE, src[begin:at], begin))
        return at

    def _token(self, at: int) -> int:
        src = self.src
        c = src[at]
        if c == ":" and src.startswith(":=", at):
            self.tokens.append(Token(Tok.DECLARE, ":=", at))
            return at + 2
        if c in _PUNCT:
            self.tokens.append(Token(_PUNCT[c], c, at))
            return at + 1
        if c == '"':
            return self._match(_STRING, Tok.STRING, at, "unterminated quoted string")
        if c == "`":
            return self._match(_RAW, Tok.RAWSTRING, at, "unterminated raw quoted string")
        if c == "'":
            return self._match(_CHAR, Tok.CHAR, at, "unterminated character constant")
        if c == "$":
            m = _IDENT.match(src, at + 1)
            end = m.end() if m else at + 1
            self.tokens.append(Token(Tok.VAR, src[at:end], at))
            return end
        if c == "." and not src[at + 1 : at + 2].isdigit():
            m = _IDENT.match(src, at + 1)
            if m is None:
                self.tokens.append(Token(Tok.DOT, ".", at))
                return at + 1
            self.tokens.append(Token(Tok.FIELD, m.group(), at))
            return m.end()
        if c.isdigit() or c in "+-.":
            return self._match(_NUMBER, Tok.NUMBER, at, f"bad number syntax: {c!r}")
        m = _DOTTED.match(src, at)
        if m is None:
            raise self.pos.error(at, f"unexpected {c!r} in command")
        word, end = m.group(), m.end()
        kind = Tok.IDENT
        if word in KEYWORDS:
            kind = Tok.KEYWORD
        elif word in ("true", "false"):
            kind = Tok.BOOL
        elif word == "nil":
            kind = Tok.NIL
        self.tokens.append(Token(kind, word, at))
        return end

    def _match(self, rx: re.Pattern[str], kind: Tok, at: int, message: str) -> int:
        m = rx.match(self.src, at)
        if m is None or m.end() == at:
            raise self.pos.error(at, message)
        self.tokens.append(Token(kind, m.group(), at))
        return m.end()
