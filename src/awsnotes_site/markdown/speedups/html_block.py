"""markdown-it's ``html_block`` rule with one regex match for its seven start conditions.

The stock rule logs a debug message on every call and then tries the start pattern of
each of the seven CommonMark HTML block kinds in turn (``search`` of patterns anchored
with ``^``). Here the seven patterns are one alternation tried at the line's start:
Python's ``re`` takes the first alternative that matches, which is the kind the stock
loop would have taken. Everything after that is the stock rule's code. Notes with raw
HTML (``<br>``, ``<img>``, ``<figcaption>``) reach this rule on dozens of lines each,
also as a terminator check on every continuation line of a paragraph that starts with
``<``. tests/test_render_fastpaths.py compares the tokens with the stock rule's.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_block.html_block import HTML_SEQUENCES

from awsnotes_site.markdown.speedups.dispatch import block_first_chars, replace_block_rule


def _joined() -> tuple[re.Pattern[str], dict[int, tuple[re.Pattern[str], re.Pattern[str], bool]]]:
    parts = []
    for i, (start, _, _) in enumerate(HTML_SEQUENCES):
        flags = "i" if start.flags & re.IGNORECASE else ""
        body = f"(?{flags}:{start.pattern})" if flags else start.pattern
        parts.append(f"(?P<_k{i}>{body})")
    joined = re.compile("|".join(parts))
    kinds = {joined.groupindex[f"_k{i}"]: seq for i, seq in enumerate(HTML_SEQUENCES)}
    return joined, kinds


_START, _KIND = _joined()


def use_fast_html_block(md: MarkdownIt) -> None:
    """Put :func:`html_block` in place of markdown-it's rule, keeping its chains."""
    replace_block_rule(md, "html_block", html_block)


@block_first_chars("<")
def html_block(state: StateBlock, startLine: int, endLine: int, silent: bool) -> bool:
    pos = state.bMarks[startLine] + state.tShift[startLine]
    maximum = state.eMarks[startLine]

    if state.is_code_block(startLine):
        return False

    if not state.md.options.get("html", None):
        return False

    if state.src[pos : pos + 1] != "<":
        return False

    lineText = state.src[pos:maximum]

    m = _START.match(lineText)
    if m is None:
        return False
    html_seq = _KIND[m.lastindex or 0]

    if silent:
        # true if this sequence can be a terminator, false otherwise
        return html_seq[2]

    nextLine = startLine + 1

    # Kinds 6 and 7 end on a blank line (their end pattern is `^$`); the others end only
    # at their closing sequence.
    endsOnBlankLine = bool(html_seq[1].search(""))

    if not html_seq[1].search(lineText):
        while nextLine < endLine:
            if state.sCount[nextLine] < state.blkIndent and (
                endsOnBlankLine or not state.isEmpty(nextLine)
            ):
                break

            pos = state.bMarks[nextLine] + state.tShift[nextLine]
            maximum = state.eMarks[nextLine]
            lineText = state.src[pos:maximum]

            if html_seq[1].search(lineText):
                if len(lineText) != 0:
                    nextLine += 1
                break
            nextLine += 1

    state.line = nextLine

    token = state.push("html_block", "", 0)
    token.map = [startLine, nextLine]
    token.content = state.getLines(startLine, nextLine, state.blkIndent, True)

    return True
