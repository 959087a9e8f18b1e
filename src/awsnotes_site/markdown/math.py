"""Math at build time: ``$…$``, ``$$…$$``, ``\\(…\\)`` and ``\\[…\\]`` to MathML.

Formulas become MathML with ``latex2mathml`` (pure Python), which browsers draw without a
script or a font download. Dollars follow Pandoc's rules, so prices and shell variables
stay prose: an opening ``$`` has a non-space right after it, a closing ``$`` has a
non-space right before it and no digit right after it (``$0.023/GB``, ``$HOME``, ``5$``,
``$5 and $10`` are text). ``\\$`` is a literal dollar. Korean notes add one rule: Hangul
between single dollars outside ``\\text{…}`` is prose (``$HOME 과 가격 5$ 는``), as a
formula writes its words in ``\\text{}``.

Tokens: ``math_inline`` (inside paragraphs; ``meta["display"]`` is True for ``$$…$$`` and
``\\[…\\]`` written inside a paragraph) and ``math_block`` (a ``$$`` or ``\\[`` block on
lines of its own). A token's ``content`` is the TeX source, so plain-text consumers
(search, summaries) can use it; ``math_inline`` also carries one ``text`` child holding
the source, so a heading's TOC title and id read ``E=mc^2`` for ``$E=mc^2$``.

A formula that does not convert is a warning with its line and shows as
``<code class="math-error">`` holding the source.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from latex2mathml.converter import convert
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from awsnotes_site.diagnostics import Severity
from awsnotes_site.markdown.context import get_env
from awsnotes_site.markdown.speedups.dispatch import block_first_chars, inline_first_chars

MATHML_NS = "{http://www.w3.org/1998/Math/MathML}"
# MathML elements and the number of children each must have
_ARITY = {"mfrac": 2, "msup": 2, "msub": 2, "mroot": 2, "munder": 2, "mover": 2}
_ARITY3 = {"msubsup": 3, "munderover": 3}
_UNKNOWN_COMMAND = re.compile(r"^\\[A-Za-z]+$")
_DELIMS = {"$": "$", "$$": "$$", "\\(": "\\)", "\\[": "\\]"}
# environments latex2mathml lacks, written as ones it has that look the same
_ENVIRONMENTS = {"aligned": "align*", "gathered": "array}{c", "gather": "array}{c"}
# a text group of a formula, and Hangul outside of one (then it is prose, not a formula)
_TEXT_GROUP = re.compile(r"\\(?:text[a-z]*|mathrm|mbox|operatorname)\s*\{[^{}]*\}")
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
_ENVIRONMENT = re.compile(r"\\(begin|end)\{(aligned|gathered|gather)\*?\}")


class MathError(ValueError):
    pass


def _check(mathml: str) -> None:
    """Raise MathError for what latex2mathml lets through: unknown commands (kept as an
    ``<mi>\\foo</mi>``) and fractions, scripts and roots missing an argument."""
    root = ET.fromstring(mathml)
    for el in root.iter():
        tag = el.tag.removeprefix(MATHML_NS)
        want = _ARITY.get(tag) or _ARITY3.get(tag)
        if want is not None and len(el) != want:
            raise MathError(f"\\{tag.removeprefix('m')}: expected {want} arguments, got {len(el)}")
        if tag == "mi" and el.text and _UNKNOWN_COMMAND.match(el.text):
            raise MathError(f"unknown command {el.text}")


_MESSAGES = {  # latex2mathml's exceptions, said in words
    "NumeratorNotFoundError": "\\frac without a numerator",
    "DenominatorNotFoundError": "\\frac without a denominator",
    "ExtraLeftOrMissingRightError": "\\left without a matching \\right",
    "MissingSuperScriptOrSubscriptError": "^ or _ with nothing after it",
    "DoubleSubscriptsError": "two subscripts in a row (x_a_b): add braces",
    "DoubleSuperscriptsError": "two superscripts in a row (x^a^b): add braces",
    "NoAvailableTokensError": "a command or a brace group is missing what it needs",
    "MissingEndError": "\\begin without a matching \\end",
}


def _words(name: str) -> str:
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).lower()


def _environment(m: re.Match[str]) -> str:
    name = _ENVIRONMENTS[m.group(2)]
    if m.group(1) == "end":
        name = name.split("}")[0]
    return f"\\{m.group(1)}{{{name}}}"


@lru_cache(maxsize=4096)
def render_tex(source: str, display: bool) -> tuple[str, str | None]:
    """``(mathml, None)`` for a formula, or ``("", error message)``; cached."""
    tex = _ENVIRONMENT.sub(_environment, source.strip())
    try:
        mathml = convert(tex, display="block" if display else "inline")
        _check(mathml)
    except MathError as exc:
        return "", str(exc)
    except ET.ParseError:
        return "", "not supported by latex2mathml (an environment or command it cannot convert)"
    except Exception as exc:  # latex2mathml raises many exception types for bad input
        name = type(exc).__name__
        detail = f": {exc}" if str(exc) else ""
        return "", _MESSAGES.get(name) or _words(name.removesuffix("Error")) + detail
    return mathml, None


def _closing_dollar(src: str, start: int, end: int) -> int:
    """Pandoc's closing ``$``: the first unescaped one after ``start``; -1 (no math) when
    it has a space before it or a digit after it."""
    j = start
    while j < end:
        ch = src[j]
        if ch == "\\":
            j += 2
            continue
        if ch == "$":
            if src[j - 1].isspace() or (j + 1 < end and src[j + 1].isdigit()):
                return -1
            return j
        j += 1
    return -1


def _find_inline(src: str, pos: int, end: int) -> tuple[str, int, int] | None:
    """``(opening delimiter, content end, position after the closing delimiter)``."""
    if src.startswith("$$", pos):
        close = src.find("$$", pos + 2, end)
        if close < 0 or not src[pos + 2 : close].strip():
            return None
        return "$$", close, close + 2
    if src[pos] == "$":
        if pos + 1 >= end or src[pos + 1].isspace():
            return None
        close = _closing_dollar(src, pos + 1, end)
        if close < 0 or _HANGUL.search(_TEXT_GROUP.sub("", src[pos + 1 : close])):
            return None
        return "$", close, close + 1
    opener = src[pos : pos + 2]
    if opener not in ("\\(", "\\["):
        return None
    close = src.find(_DELIMS[opener], pos + 2, end)
    if close < 0 or not src[pos + 2 : close].strip():
        return None
    return opener, close, close + 2


@inline_first_chars("$\\")
def math_inline_rule(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if src[pos] not in "$\\":
        return False
    found = _find_inline(src, pos, state.posMax)
    if found is None:
        return False
    opener, close, after = found
    if not silent:
        source = src[pos + len(opener) : close]
        token = state.push("math_inline", "math", 0)
        token.content = source
        token.markup = opener
        token.meta = {"display": opener in ("$$", "\\[")}
        token.children = [Token("text", "", 0, content=source)]
    state.pos = after
    return True


def _line_text(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


def _block_close(state: StateBlock, start: int, end: int, close: str) -> int | None:
    """The line that ends with ``close`` after ``start``; None when a blank line, the end
    of the container or the end of the document comes first."""
    line = start + 1
    while line < end:
        if state.isEmpty(line) or state.sCount[line] < state.blkIndent:
            return None
        if _line_text(state, line).rstrip().endswith(close):
            return line
        line += 1
    return None


@block_first_chars("$\\")
def math_block_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    first = _line_text(state, start).rstrip()
    opener = first[:2]
    if opener not in ("$$", "\\["):
        return False
    close = _DELIMS[opener]
    rest = first[2:]
    if rest.endswith(close) and len(rest) >= 2:  # $$ x $$ on one line
        last, content = start, rest[:-2]
    else:
        if close in rest:  # "$$x$$ and more": inline math in a paragraph
            return False
        found = _block_close(state, start, end, close)
        if found is None:
            return False
        last = found
        middle = state.getLines(start + 1, last, state.blkIndent, False)
        tail = _line_text(state, last).rstrip()[:-2]
        content = "\n".join(part for part in (rest, middle.rstrip("\n"), tail) if part)
    if not content.strip():
        return False
    if silent:
        return True
    token = state.push("math_block", "math", 0)
    token.block = True
    token.content = content
    token.markup = opener
    token.map = [start, last + 1]
    token.meta = {"display": True}
    state.line = last + 1
    return True


def _set_lines(state: StateCore) -> None:
    """Inline math learns its 0-based body line from its paragraph and the breaks before."""
    for token in state.tokens:
        if token.type != "inline" or not token.map or not token.children:
            continue
        content = token.content
        if "$" not in content and "\\" not in content:
            continue
        line = token.map[0]
        for child in token.children:
            kind = child.type
            if kind == "softbreak" or kind == "hardbreak":
                line += 1
            elif kind == "math_inline":
                child.meta["line"] = line
                line += child.content.count("\n")


def _render(token: Token, env: Any, line: int | None, display: bool) -> str:
    mathml, error = render_tex(token.content, display)
    if error is None:
        return mathml
    state = get_env(env)
    close = _DELIMS.get(token.markup, token.markup)
    state.report(Severity.WARNING, state.file_line(line), f"math: {error}")
    source = html.escape(token.markup + token.content + close)
    return f'<code class="math-error">{source}</code>'


def render_math_inline(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any
) -> str:
    token = tokens[idx]
    return _render(token, env, token.meta.get("line"), bool(token.meta.get("display")))


def render_math_block(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any
) -> str:
    token = tokens[idx]
    line = token.map[0] if token.map else None
    return f'<div class="math-display">{_render(token, env, line, True)}</div>\n'


def math_plugin(md: MarkdownIt) -> None:
    """Add math to ``md``: rules before ``escape`` (``\\(``) and before ``fence``."""
    md.inline.ruler.before("escape", "math_inline", math_inline_rule)
    md.block.ruler.before(
        "fence",
        "math_block",
        math_block_rule,
        {"alt": ["paragraph", "reference", "blockquote", "list"]},
    )
    md.core.ruler.after("inline", "math_lines", _set_lines)  # tokens still flat here
    md.add_render_rule("math_inline", render_math_inline)
    md.add_render_rule("math_block", render_math_block)
