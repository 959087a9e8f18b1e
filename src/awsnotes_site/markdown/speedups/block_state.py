"""markdown-it's block state with its line markers computed by string methods.

``StateBlock.__init__`` walks the note line by line in Python to record where each line
begins and ends and how far it is indented (five list appends and a scan of the leading
blanks per line). Here the same lists come from ``str.split`` and C-level ``map``: the
blanks are spaces and tabs (markdown-it's ``isStrSpace``), a tab advances the indent
column to the next multiple of four, and only lines that have a tab in their indent are
measured in Python. As in the stock state, a last line without a line break that holds
only blanks gets no marker, and one extra entry ends the lists.
tests/test_render_fastpaths.py compares the markers and tokens with the stock state's.
"""

from __future__ import annotations

import operator
from itertools import accumulate, repeat

from markdown_it import MarkdownIt
from markdown_it.parser_block import ParserBlock
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token
from markdown_it.utils import EnvType

_BLANKS = " \t"


def line_markers(src: str) -> tuple[list[int], list[int], list[int], list[int]]:
    """``bMarks``, ``eMarks``, ``tShift`` and ``sCount`` of ``src``, as StateBlock
    computes them (the closing entry included)."""
    lines = src.split("\n")
    if not lines[-1].lstrip(_BLANKS):
        lines.pop()  # after the last line break, or a blank last line: no marker
    lengths = list(map(len, lines))
    begins = list(accumulate(map(operator.add, lengths, repeat(1)), initial=0))
    begins[-1] = len(src)  # the closing entry
    ends = [*map(operator.add, begins, lengths), len(src)]
    shifts = list(map(operator.sub, lengths, map(len, map(str.lstrip, lines, repeat(_BLANKS)))))
    counts = shifts.copy()
    if "\t" in src:
        for i, shift in enumerate(shifts):
            if shift and "\t" in lines[i][:shift]:
                column = 0
                for ch in lines[i][:shift]:
                    column += 4 - column % 4 if ch == "\t" else 1
                counts[i] = column
    shifts.append(0)
    counts.append(0)
    return begins, ends, shifts, counts


class FastStateBlock(StateBlock):
    """StateBlock whose markers come from :func:`line_markers`."""

    def __init__(self, src: str, md: MarkdownIt, env: EnvType, tokens: list[Token]) -> None:
        super().__init__("", md, env, tokens)  # every other attribute, set up as usual
        self.src = src
        self.bMarks, self.eMarks, self.tShift, self.sCount = line_markers(src)
        self.bsCount = [0] * len(self.bMarks)
        self.lineMax = len(self.bMarks) - 1


class FastParserBlock(ParserBlock):
    """ParserBlock that parses with a :class:`FastStateBlock`."""

    def parse(
        self, src: str, md: MarkdownIt, env: EnvType, outTokens: list[Token]
    ) -> list[Token] | None:
        if not src:
            return None
        state = FastStateBlock(src, md, env, outTokens)
        self.tokenize(state, state.line, state.lineMax)
        return state.tokens


def use_fast_block_state(md: MarkdownIt) -> None:
    """Give ``md`` a block parser that makes :class:`FastStateBlock` states and has the
    same rules (its ruler is ``md``'s)."""
    parser = FastParserBlock()
    parser.ruler = md.block.ruler
    md.block = parser
