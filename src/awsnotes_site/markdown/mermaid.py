"""Mermaid diagrams: ```` ```mermaid ```` fences and the ``{{< mermaid >}}`` shortcode.

A diagram is written out as ``<pre class="mermaid">`` holding its source, readable where
scripts do not run; ``assets/mermaid/mermaid-init.js`` draws it with the Mermaid library
shipped in ``assets/mermaid/mermaid.min.js`` (never a CDN), themed for the colour mode.
The page asks for those scripts only when it has a diagram: rendering one adds
``"mermaid"`` to the note's features (``RenderEnv.features``, kept as
``RenderedNote.features``).

The build checks what it can without a JavaScript engine: the first line that is not a
comment, a directive or front matter must name a diagram type Mermaid knows, and in a
flowchart a node's shape opened after its id (``A[``, ``A(``, ``A{``) must close on its
line; anything else is a warning with the note's line (tests compare this check with
Mermaid's own parser: it never flags a diagram Mermaid accepts). The browser shows
Mermaid's own parse errors in place of the diagram.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from awsnotes_site.diagnostics import Severity
from awsnotes_site.markdown.context import RenderEnv, get_env

FEATURE = "mermaid"
# The diagram keywords of Mermaid 11 (its detectors in dist/mermaid.js), exact words.
DIAGRAM_TYPES = frozenset(
    {
        "graph",
        "flowchart",
        "flowchart-elk",
        "sequenceDiagram",
        "classDiagram",
        "classDiagram-v2",
        "stateDiagram",
        "stateDiagram-v2",
        "erDiagram",
        "journey",
        "gantt",
        "pie",
        "quadrantChart",
        "requirement",
        "requirementDiagram",
        "gitGraph",
        "C4Context",
        "C4Container",
        "C4Component",
        "C4Dynamic",
        "C4Deployment",
        "mindmap",
        "timeline",
        "sankey",
        "sankey-beta",
        "xychart",
        "xychart-beta",
        "block",
        "block-beta",
        "packet",
        "packet-beta",
        "architecture",
        "architecture-beta",
        "kanban",
        "radar-beta",
        "treemap",
        "treemap-beta",
        "treeView-beta",
        "info",
        "swimlane-beta",
        "eventmodeling",
        "venn-beta",
        "cynefin-beta",
    }
)
# Mermaid matches these without regard to case
DIAGRAM_TYPES_ANY_CASE = frozenset(
    {
        "ishikawa",
        "ishikawa-beta",
        "wardley-beta",
        "railroad-beta",
        "railroad-ebnf-beta",
        "railroad-abnf-beta",
        "railroad-peg-beta",
    }
)


_QUOTED = re.compile(r'"[^"]*"|\|[^|]*\|')  # quoted text, edge labels
_SHAPE_START = re.compile(r"(?<=\w)[\[({]")
_CLOSERS = {"[": "]", "(": ")", "{": "}"}


def _first_statement(source: str) -> tuple[int, str] | None:
    """``(line index, text)`` of the first line that is not blank, a ``%%`` comment or
    directive, or part of a leading ``---`` front matter block."""
    lines = source.split("\n")
    i = 0
    if lines and lines[0].strip() == "---":
        i = 1
        while i < len(lines) and lines[i].strip() != "---":
            i += 1
        i += 1
    while i < len(lines):
        text = lines[i].strip()
        if text and not text.startswith("%%"):
            return i, text
        i += 1
    return None


def diagram_problem(source: str) -> tuple[int, str] | None:
    """``(line index in source, message)`` when the diagram cannot be drawn, else None
    (index -1: the line before the source)."""
    first = _first_statement(source)
    if first is None:
        return -1, "empty diagram"  # reported on the line of the fence or tag
    index, text = first
    word = text.split(None, 1)[0].rstrip(";:")
    if word in ("graph", "flowchart"):
        return _unclosed_shape(source.split("\n"), index + 1)
    if word in DIAGRAM_TYPES or word.lower() in DIAGRAM_TYPES_ANY_CASE:
        return None
    return index, (
        f"unknown diagram type {word!r} (the first line names the type, "
        "e.g. 'flowchart LR' or 'sequenceDiagram')"
    )


def _unclosed_shape(lines: list[str], start: int) -> tuple[int, str] | None:
    """The first flowchart line where a node's shape (``A[``, ``A(``, ``A{``: a bracket
    right after the node's id) is never closed on that line, outside quoted text, edge
    labels and comments: Mermaid cannot parse it (``A[요청 --> B``)."""
    for index in range(start, len(lines)):
        text = _QUOTED.sub("", lines[index].split("%%", 1)[0])
        for m in _SHAPE_START.finditer(text):
            if _CLOSERS[m.group(0)] not in text[m.end() :]:
                return index, f"'{m.group(0)}' after a node id is never closed on this line"
    return None


def mark_feature(state: RenderEnv, name: str) -> None:
    """Record that the note needs ``name`` (its scripts) on its page."""
    state.features.add(name)


def render_mermaid(source: str, state: RenderEnv, line: int | None) -> str:
    """The HTML for one diagram; ``line`` is the file line of its first source line."""
    problem = diagram_problem(source)
    if problem is not None:
        index, message = problem
        at = None if line is None else line + index
        state.report(Severity.WARNING, at, f"mermaid: {message}")
    mark_feature(state, FEATURE)
    body = html.escape(source.strip("\n"), quote=False)
    return f'<pre class="mermaid" tabindex="0">{body}</pre>\n'


def mermaid_shortcode(inner: str | None, env: Any, line: int | None) -> str:
    """``{{< mermaid >}}…{{< /mermaid >}}`` (``line``: the file line of the shortcode)."""
    state = get_env(env)
    if not inner or not inner.strip():
        state.report(Severity.WARNING, line, "mermaid: empty diagram")
        return ""
    offset = 0 if line is None else 1  # the source starts on the line after the tag
    return render_mermaid(inner, state, None if line is None else line + offset)


BoundRule = Callable[[Sequence[Token], int, OptionsDict, Any], str]  # rules as stored


def mermaid_plugin(md: MarkdownIt) -> None:
    """Render ```` ```mermaid ```` fences as diagrams; other fences as before."""
    renderer = md.renderer
    assert isinstance(renderer, RendererHTML)
    previous: BoundRule | None = renderer.rules.get("fence")

    def render_fence(
        self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any
    ) -> str:
        token = tokens[idx]
        info = token.info.strip()
        lang = info.split(None, 1)[0] if info else ""
        if lang != "mermaid":
            if previous is not None:
                return previous(tokens, idx, options, env)
            return self.fence(tokens, idx, options, env)
        state = get_env(env)
        line = state.file_line(token.map[0] + 1 if token.map else None)
        return render_mermaid(token.content, state, line)

    md.add_render_rule("fence", render_fence)
