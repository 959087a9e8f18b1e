"""Parser rules tried by the character they start on: same tokens, far fewer calls.

markdown-it tries every block rule, in order, on every line a block may start on (and
every rule of a terminator chain on every continuation line of a paragraph, list or
quote), and every inline rule on every character the text rule stops at; almost all of
them look at one character and give up. Here each rule chain becomes one function that
calls only the rules that can match at that character, in the original order, and
returns what the first matching one returns. A rule not known here is always called,
so the tokens are exactly those of the stock parser (tests/test_render_fastpaths.py).

What each rule waits for is read-only: markdown-it's and mdit-py-plugins' rules are in
two constant tables, and a plugin's own rule carries its characters as an attribute
(:func:`block_first_chars`). The per-character caches belong to the dispatching rulers,
so to the parser: nothing here outlives a parser or grows with the number made.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, Generic, TypeVar

from markdown_it import MarkdownIt, rules_block, rules_inline
from markdown_it.ruler import Ruler
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline

BlockRule = Callable[[StateBlock, int, int, bool], bool]
InlineRule = Callable[[StateInline, bool], bool]
R = TypeVar("R")

# What a rule needs to have a chance: a first character among a string of them
# (block rules: the line's first non-blank character), or one of these tests.
_TABLE = "<table>"  # the next line starts like a table delimiter row
_CODE = "<code>"  # the line is indented as a code block
_TEXT = "<text>"  # the character is not one the text rule stops at
_DIGITS = "0123456789"
_HINT = "first_chars"  # the attribute a plugin's rule carries its characters in


def _known(module: Any, checks: dict[str, str]) -> dict[Any, str]:
    """The rules of ``module`` named in ``checks`` (those it has), with their checks."""
    table: dict[Any, str] = {}
    for name, check in checks.items():
        rule = module
        for part in name.split("."):
            rule = getattr(rule, part, None)
        if rule is not None:
            table[rule] = check
    return table


def _stock_block() -> dict[Any, str]:
    table = _known(
        rules_block,
        {
            "table": _TABLE,
            "code": _CODE,
            "fence": "~`",
            "blockquote": ">",
            "hr": "*-_",
            "list_block": "*-+" + _DIGITS,
            "reference": "[",
            "html_block": "<",
            "heading": "#",
        },
    )
    try:
        from mdit_py_plugins.footnote import index as footnote

        table.update(_known(footnote, {"footnote_def": "["}))
    except ImportError:  # pragma: no cover - other mdit-py-plugins versions
        pass
    return table


def _stock_inline() -> dict[Any, str]:
    table = _known(
        rules_inline,
        {
            "text": _TEXT,
            "linkify": ":",
            "newline": "\n",
            "escape": "\\",
            "backtick": "`",
            "strikethrough.tokenize": "~",
            "emphasis.tokenize": "_*",
            "link": "[",
            "image": "!",
            "autolink": "<",
            "html_inline": "<",
            "entity": "&",
        },
    )
    try:
        from mdit_py_plugins.gfm_autolink import index as gfm_autolink

        table.update(
            _known(
                gfm_autolink,
                {"_www_inline_rule": "w", "_protocol_rule": ":", "_email_rule": "@"},
            )
        )
    except ImportError:  # pragma: no cover
        pass
    return table


# Read-only: made once at import, never added to.
_BLOCK: Mapping[Any, str] = MappingProxyType(_stock_block())
_INLINE: Mapping[Any, str] = MappingProxyType(_stock_inline())


def _check(table: Mapping[Any, str], rule: Any) -> str | None:
    """What ``rule`` waits for: its entry in ``table``, else the characters it carries."""
    check = table.get(rule)
    return check if check is not None else getattr(rule, _HINT, None)


def replace_block_rule(md: MarkdownIt, name: str, rule: BlockRule) -> None:
    """Put ``rule`` in place of ``md``'s block rule ``name``, in the same chains
    (``Ruler.at`` alone would drop them)."""
    ruler = md.block.ruler
    for old in ruler.__rules__:
        if old.name == name:
            ruler.at(name, rule, {"alt": list(old.alt)})


def block_first_chars(chars: str) -> Callable[[BlockRule], BlockRule]:
    """Declare that a block rule only matches lines whose first non-blank is in ``chars``."""

    def mark(rule: BlockRule) -> BlockRule:
        setattr(rule, _HINT, chars)
        return rule

    return mark


def inline_first_chars(chars: str) -> Callable[[InlineRule], InlineRule]:
    """Declare that an inline rule only matches at a character in ``chars``."""

    def mark(rule: InlineRule) -> InlineRule:
        setattr(rule, _HINT, chars)
        return rule

    return mark


Candidates = tuple[tuple[R, str | None], ...]


def _by_char(
    checks: list[tuple[R, str | None]], keep: Callable[[str | None, str], bool]
) -> tuple[dict[str, Candidates[R]], Callable[[str], Candidates[R]]]:
    """A cache of the candidates for each character seen, and how to fill it."""
    cache: dict[str, Candidates[R]] = {}
    other = tuple((rule, check) for rule, check in checks if keep(check, "\uffff"))

    def miss(ch: str) -> Candidates[R]:
        # every character a rule here waits for is ASCII
        found = tuple((r, c) for r, c in checks if keep(c, ch)) if ch < "\x80" else other
        cache[ch] = found
        return found

    return cache, miss


def _block_dispatcher(rules: list[BlockRule]) -> BlockRule:
    checks = [(rule, _check(_BLOCK, rule)) for rule in rules]
    every = tuple(checks)
    by_char, miss = _by_char(
        checks, lambda check, ch: check is None or check in (_TABLE, _CODE) or ch in check
    )

    def dispatch(state: StateBlock, line: int, end_line: int, silent: bool) -> bool:
        pos = state.bMarks[line] + state.tShift[line]
        if pos < state.eMarks[line]:
            ch = state.src[pos]
            candidates = by_char.get(ch) or miss(ch)
        else:
            candidates = every
        for rule, check in candidates:
            if check == _TABLE:
                nxt = line + 1
                if nxt >= len(state.bMarks):
                    continue
                pos = state.bMarks[nxt] + state.tShift[nxt]
                if pos >= state.eMarks[nxt] or state.src[pos] not in "|-:":
                    continue
            elif check == _CODE and state.sCount[line] - state.blkIndent < 4:
                continue
            if rule(state, line, end_line, silent):
                return True
        return False

    return dispatch


def _inline_dispatcher(rules: list[InlineRule], md: MarkdownIt) -> InlineRule:
    checks = [(rule, _check(_INLINE, rule)) for rule in rules]
    every = tuple(checks)
    stops = md.inline.terminator_re
    by_char, miss = _by_char(
        checks,
        lambda check, ch: check is None or (not stops.match(ch) if check == _TEXT else ch in check),
    )

    def dispatch(state: StateInline, silent: bool) -> bool:
        pos = state.pos
        if pos < len(state.src) and state.md.inline.terminator_re is stops:
            ch = state.src[pos]
            candidates = by_char.get(ch) or miss(ch)
        else:  # past the end, or the text rule's stop characters changed
            candidates = every
        for rule, _ in candidates:  # noqa: SIM110 (a loop is faster than any())
            if rule(state, silent):
                return True
        return False

    return dispatch


class _DispatchRuler(Ruler[R], Generic[R]):
    """A ruler whose chains are each one dispatching function (see above)."""

    def __init__(self, make: Callable[[list[R]], R]) -> None:
        super().__init__()
        self._make = make

    def __compile__(self) -> None:
        # Ruler.getRules compiles its chain cache after every change to the rules, then
        # serves chains from it: each non-empty chain becomes its dispatcher.
        super().__compile__()
        assert self.__cache__ is not None
        for chain, rules in self.__cache__.items():
            if rules:
                self.__cache__[chain] = [self._make(rules)]


def use_dispatch(md: MarkdownIt) -> None:
    """Give ``md``'s block and inline parsers dispatching rulers with the same rules."""
    block: _DispatchRuler[BlockRule] = _DispatchRuler(_block_dispatcher)
    block.__rules__ = md.block.ruler.__rules__
    md.block.ruler = block
    inline: _DispatchRuler[InlineRule] = _DispatchRuler(lambda rules: _inline_dispatcher(rules, md))
    inline.__rules__ = md.inline.ruler.__rules__
    md.inline.ruler = inline
