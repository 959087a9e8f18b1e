"""Pygments' RegexLexer loop with one regex match per token instead of one per rule.

``RegexLexer.get_tokens_unprocessed`` tries the rules of the current state one after the
other until one matches; for Python code that is about 25 ``match`` calls per token. Here
each state's rules are also joined into one alternation, ``(?:rule0)(?P<_r0>)|(?:rule1)…``:
Python's ``re`` tries the alternatives in order and takes the first that matches, so the
alternative that matches is the rule the stock loop would have taken, with the same
match; the empty group after it tells which. In the alternation the rules' own groups
are made non-capturing, so most alternatives begin with a character test that ``re``
makes before entering them. Token-type actions use the joined match directly; callback
actions (``bygroups``, ``using`` …) get the rule's own match, as before. States whose
rules cannot be joined safely (backreferences, verbose or differing flags, a failed
compile) keep the stock loop, and the state transitions are Pygments' own code.
tests/test_render_fastpaths.py compares the tokens with Pygments' on real and random code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Generator, Iterator
from functools import partial
from typing import Any

from pygments.lexer import Lexer, RegexLexer
from pygments.token import Error, Text, _TokenType

Whitespace = Text.Whitespace
_BACKREF = re.compile(r"\\[1-9]|\(\?P=|\(\?\(")
_GLOBAL_FLAGS = re.compile(r"\(\?([aimsu]+)\)")

# a state's joined match (or None) and its group index -> rule index
_Joined = tuple[Callable[..., Any] | None, dict[int, int]]
_LEADING_FLAGS = re.compile(r"\(\?([aiLmsux]+)\)")


class LazyMatch:
    """A rule's ``re.compile(pattern, flags).match``, compiled when first called.

    Pygments compiles every rule of every state of a lexer when the lexer is first made
    (13 languages: ~560 regexes, a good part of a small site's build); the joined loop
    compiles each state it enters as one alternation and needs a rule's own regex only
    for callback actions and states that cannot be joined (see :func:`lazy_lexer`)."""

    __slots__ = ("_match", "flags", "pattern")

    def __init__(self, pattern: str, flags: int) -> None:
        self.pattern = pattern
        self.flags = flags
        self._match: Callable[..., Any] | None = None

    def compiled(self) -> Callable[..., Any]:
        if self._match is None:
            self._match = re.compile(self.pattern, self.flags).match
        return self._match

    def __call__(self, text: str, pos: int = 0) -> re.Match[str] | None:
        match: re.Match[str] | None = self.compiled()(text, pos)
        return match


def _lazy_regex(cls: type, regex: Any, rflags: int, state: str) -> LazyMatch:
    """``RegexLexerMeta._process_regex``, compiling later."""
    get = getattr(regex, "get", None)  # pygments.lexer.words and other Futures
    return LazyMatch(get() if callable(get) else regex, rflags)


def lazy_lexer(cls: type[Lexer]) -> type[Lexer]:
    """A subclass of the RegexLexer ``cls`` whose rules compile when first used (see
    :class:`LazyMatch`); ``cls`` itself when it is not a plain RegexLexer. Its instances
    lex exactly as ``cls``'s: same rules, same actions, same states."""
    if (
        not issubclass(cls, RegexLexer)
        or cls.get_tokens_unprocessed is not RegexLexer.get_tokens_unprocessed
        or getattr(cls, "token_variants", False)
    ):
        return cls
    name = cls.__name__
    namespace = {"_process_regex": classmethod(_lazy_regex), "__module__": cls.__module__}
    return type(name, (cls,), namespace)


def _rule_text(rexmatch: Any, flags: int) -> str | None:
    """A rule's pattern for the alternation (its leading inline flags scoped to it), or
    None when it cannot be joined: bytes, backreferences, verbose, other flags."""
    if isinstance(rexmatch, LazyMatch):
        text, own = rexmatch.pattern, rexmatch.flags
        leading = _LEADING_FLAGS.match(text) if isinstance(text, str) else None
        if leading and ("x" in leading.group(1) or "L" in leading.group(1)):
            return None
        compiled_flags = re.compile("", own).flags  # the lexer's flags, as ``re`` adds them
    else:
        pattern = getattr(rexmatch, "__self__", None)
        if not isinstance(pattern, re.Pattern):
            return None
        text, compiled_flags = pattern.pattern, pattern.flags
    if not isinstance(text, str) or _BACKREF.search(text) or compiled_flags & re.VERBOSE:
        return None
    inline = _GLOBAL_FLAGS.match(text)
    if inline:
        return f"(?{inline.group(1)}:{text[inline.end() :]})"
    if compiled_flags != flags:
        return None
    return text


def _join(rules: list[tuple[Any, Any, Any]], flags: int) -> _Joined:
    """The rules of one state as one alternation compiled with the lexer's ``flags``; a
    rule's own leading inline flags, ``(?s)…``, are scoped to it: ``(?s:…)``."""
    if not rules:
        return None, {}
    texts = []
    for rexmatch, _, _ in rules:
        text = _rule_text(rexmatch, flags)
        if text is None:
            return None, {}
        texts.append(text)
    # Each alternative is the rule without its capturing groups (only the rule's own
    # regex is used for its groups), followed by an empty group that names the rule:
    # re skips an alternative at once when its first character cannot match, which it
    # checks only when the alternative does not begin with a group.
    for make in (_uncaptured, str):
        parts = []
        for i, text in enumerate(texts):
            plain = make(text)
            if plain is None:
                break
            parts.append(f"(?:{plain})(?P<_r{i}>)")
        else:
            try:
                joined = re.compile("|".join(parts), flags)
            except (re.error, OverflowError, RecursionError):
                continue
            index = {joined.groupindex[f"_r{i}"]: i for i in range(len(rules))}
            return joined.match, index
    return None, {}


def _uncaptured(text: str) -> str | None:
    """``text`` with each capturing group made non-capturing (``(x)``, ``(?P<n>x)`` ->
    ``(?:x)``); None when it cannot tell (an unclosed group name)."""
    out: list[str] = []
    i, end, in_class = 0, len(text), False
    while i < end:
        ch = text[i]
        if ch == "\\":
            out.append(text[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            start = i + 1
            if text.startswith("^", start):
                start += 1
            if text.startswith("]", start):  # a "]" first in a class is a literal
                start += 1
            out.append(text[i:start])
            i = start
            continue
        elif ch == "(" and text.startswith("(?P<", i):
            close = text.find(">", i)
            if close < 0:
                return None
            out.append("(?:")
            i = close + 1
            continue
        elif ch == "(" and not text.startswith("(?", i):
            out.append("(?:")
            i += 1
            continue
        out.append(ch)
        i += 1
    return "".join(out)


class _States(dict[str, tuple[Any, Any, dict[int, int]]]):
    """One lexer's states, joined when first entered: state name -> (its rules, the
    joined match or None, group index -> rule index). Owned by the lexer instance."""

    def __init__(self, tokendefs: dict[str, Any], flags: int) -> None:
        super().__init__()
        self.tokendefs = tokendefs
        self.flags = flags

    def __missing__(self, name: str) -> tuple[Any, Any, dict[int, int]]:
        rules = self.tokendefs[name]
        match, index = _join(rules, self.flags)
        # The rules whose own match is used (all of them in Pygments' loop, callbacks in
        # the joined one) are compiled now: no LazyMatch call in the loop.
        rules = [
            (_compiled(r) if match is None or _callback(action) else r, action, new)
            for r, action, new in rules
        ]
        self[name] = entry = (rules, match, index)
        return entry


def _callback(action: Any) -> bool:
    return action is not None and type(action) is not _TokenType


def _compiled(rexmatch: Any) -> Any:
    return rexmatch.compiled() if isinstance(rexmatch, LazyMatch) else rexmatch


def _transition(statestack: list[str], new_state: Any) -> None:
    """Pygments' own state transition, on ``statestack`` in place."""
    if isinstance(new_state, tuple):
        for state in new_state:
            if state == "#pop":
                if len(statestack) > 1:
                    statestack.pop()
            elif state == "#push":
                statestack.append(statestack[-1])
            else:
                statestack.append(state)
    elif isinstance(new_state, int):
        # pop, but keep at least one state on the stack
        if abs(new_state) >= len(statestack):
            del statestack[1:]
        else:
            del statestack[new_state:]
    elif new_state == "#push":
        statestack.append(statestack[-1])
    else:
        raise AssertionError(f"wrong state def: {new_state!r}")


def _stock_step(
    self: RegexLexer, rules: Any, text: str, pos: int
) -> Generator[tuple[int, Any, str], None, tuple[int, Any] | None]:
    """Pygments' loop for a state that is not joined: the first rule that matches at
    ``pos`` gives its tokens; returns (the new position, the rule's new state), or None
    when no rule matches."""
    for rexmatch, action, new_state in rules:
        m = rexmatch(text, pos)
        if m:
            if action is not None:
                if type(action) is _TokenType:
                    yield pos, action, m.group()
                else:
                    yield from action(self, m)
            return m.end(), new_state
    return None


def _unprocessed(
    self: RegexLexer, states: _States, text: str, stack: tuple[str, ...] = ("root",)
) -> Iterator[tuple[int, Any, str]]:
    """RegexLexer.get_tokens_unprocessed (Pygments 2.17–2.21), joined-regex matching.
    The loop holds the per-token work only; state changes, states that are not joined
    and unmatched characters are handled by the helpers above."""
    pos = 0
    statestack = list(stack)
    statetokens, match, index = states[statestack[-1]]
    while 1:
        if match is not None:
            m = match(text, pos)
            if m is not None:
                rexmatch, action, new_state = statetokens[index[m.lastindex]]
                if action is not None:
                    if type(action) is _TokenType:
                        yield pos, action, m.group()
                    else:
                        m = rexmatch(text, pos)
                        yield from action(self, m)
                pos = m.end()
                if new_state is not None:
                    _transition(statestack, new_state)
                    statetokens, match, index = states[statestack[-1]]
                continue
        else:
            step = yield from _stock_step(self, statetokens, text, pos)
            if step is not None:
                pos, new_state = step
                if new_state is not None:
                    _transition(statestack, new_state)
                    statetokens, match, index = states[statestack[-1]]
                continue
        # No rule matched.
        if pos >= len(text):
            break
        if text[pos] == "\n":
            # at EOL, reset state to "root"
            statestack = ["root"]
            statetokens, match, index = states["root"]
            yield pos, Whitespace, "\n"
        else:
            yield pos, Error, text[pos]
        pos += 1


def accelerate(lexer: Lexer) -> Lexer:
    """Give ``lexer`` (one instance, not its class) the joined-regex loop when it uses
    RegexLexer's own; other lexers are returned as they are."""
    if (
        isinstance(lexer, RegexLexer)
        and type(lexer).get_tokens_unprocessed is RegexLexer.get_tokens_unprocessed
    ):
        tokendefs: dict[str, Any] = lexer._tokens  # type: ignore[attr-defined]
        states = _States(tokendefs, re.compile("", lexer.flags).flags)
        lexer.get_tokens_unprocessed = partial(_unprocessed, lexer, states)  # type: ignore[method-assign]
    return lexer
