"""markdown-it's ``normalize`` core rule without its two regex substitutions.

The stock rule rewrites every line ending with ``re.sub(r"\\r\\n?|\\n", "\\n", src)``
(a substitution per line, a new string each time) and then every NUL. Notes written on
Linux or macOS have neither ``\\r`` nor NUL, so here the text is only copied when one of
them is in it, with the same result: ``\\r\\n`` and a lone ``\\r`` become ``\\n``, NUL
becomes U+FFFD. tests/test_render_fastpaths.py compares it with the stock rule.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore


def normalize(state: StateCore) -> None:
    src = state.src
    if "\r" in src:
        src = src.replace("\r\n", "\n").replace("\r", "\n")
    if "\0" in src:
        src = src.replace("\0", "\ufffd")
    state.src = src


def use_fast_normalize(md: MarkdownIt) -> None:
    """Put :func:`normalize` in place of markdown-it's rule."""
    md.core.ruler.at("normalize", normalize)
