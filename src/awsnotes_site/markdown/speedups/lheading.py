"""markdown-it's ``lheading`` (setext heading) rule, run only where it can match.

The stock rule is tried on every line a paragraph may start on. It walks the lines that
follow, trying every paragraph-terminating rule on each, to find a ``===`` or ``---``
underline; almost no paragraph has one, and the paragraph rule then walks the same lines
again. Here those lines (up to the next blank one) are first scanned for one that could
be an underline: first non-blank character ``=`` or ``-``, indented at most three
columns past the block's indent. Without such a line the stock rule cannot match and is
not run; it would have left ``state.parentType`` set to ``"paragraph"`` (markdown-it's
own quirk, which later rules see), so that is done here too.
tests/test_render_fastpaths.py compares the tokens with the stock rule's.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_block.lheading import lheading as stock_lheading

from awsnotes_site.markdown.speedups.dispatch import replace_block_rule


def may_have_underline(state: StateBlock, start_line: int, end_line: int) -> bool:
    src, begins, shifts, ends, counts = (
        state.src,
        state.bMarks,
        state.tShift,
        state.eMarks,
        state.sCount,
    )
    lowest, highest = state.blkIndent, state.blkIndent + 3
    line = start_line + 1
    while line < end_line:
        pos = begins[line] + shifts[line]
        if pos >= ends[line]:
            return False  # a blank line ends the paragraph
        if src[pos] in "-=" and lowest <= counts[line] <= highest:
            return True
        line += 1
    return False


def lheading(state: StateBlock, startLine: int, endLine: int, silent: bool) -> bool:
    if may_have_underline(state, startLine, endLine):
        return stock_lheading(state, startLine, endLine, silent)
    if not state.is_code_block(startLine):
        state.parentType = "paragraph"  # as the stock rule leaves it without an underline
    return False


def use_fast_lheading(md: MarkdownIt) -> None:
    """Put :func:`lheading` in place of markdown-it's rule, keeping its chains."""
    replace_block_rule(md, "lheading", lheading)
