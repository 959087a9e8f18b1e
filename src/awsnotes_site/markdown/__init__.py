"""Markdown rendering: CommonMark + GFM through markdown-it-py, extended rule by rule.

``create_markdown`` wires one extension module per feature:

- :mod:`.shortcodes` (+ :mod:`.registry`): Hugo shortcodes
- :mod:`.highlight`: Pygments code blocks (fences and the ``highlight`` shortcode)
- :mod:`.headings`: heading ids, anchor links, table of contents
- :mod:`.urls`: base-path rewriting of root-relative URLs, link records for ``check``
- :mod:`.figures`: ``<img>`` + ``<figcaption>`` into ``<figure>``
- :mod:`.tasklists`: GFM task list checkboxes labelled with their item's text
- :mod:`.footnotes`: the footnote block in the body only, never in shortcode text
- :mod:`.mermaid`, :mod:`.math`, :mod:`.callouts`, :mod:`.goldmark`: diagrams, formulas,
  callouts and Goldmark's typographer, definition lists and emoji, each a switch
- :mod:`.speedups`: fast paths with the stock output (``dispatch=False`` leaves them out)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.gfm import gfm_plugin

from awsnotes_site.diagnostics import Diagnostic, Severity
from awsnotes_site.markdown.callouts import callouts_plugin
from awsnotes_site.markdown.code_options import HighlightDefaults, highlight_defaults
from awsnotes_site.markdown.context import LinkRef, RenderEnv, TocEntry
from awsnotes_site.markdown.figures import figures_plugin
from awsnotes_site.markdown.footnotes import footnotes_plugin
from awsnotes_site.markdown.goldmark import goldmark_plugin
from awsnotes_site.markdown.headings import DEFAULT_ANCHOR_LABEL, headings_plugin
from awsnotes_site.markdown.highlight import fence_plugin
from awsnotes_site.markdown.html_tokens import events_text, kept_events, plain_text
from awsnotes_site.markdown.images import Resolver, images_plugin, page_images
from awsnotes_site.markdown.math import math_plugin
from awsnotes_site.markdown.mermaid import mermaid_plugin
from awsnotes_site.markdown.shortcodes import Registry, shortcodes_plugin
from awsnotes_site.markdown.speedups.block_state import use_fast_block_state
from awsnotes_site.markdown.speedups.dispatch import use_dispatch
from awsnotes_site.markdown.speedups.html_block import use_fast_html_block
from awsnotes_site.markdown.speedups.lheading import use_fast_lheading
from awsnotes_site.markdown.speedups.normalize import use_fast_normalize
from awsnotes_site.markdown.tasklists import tasklists_plugin
from awsnotes_site.markdown.urls import urls_plugin
from awsnotes_site.markdown.wikilinks import wiki_record
from awsnotes_site.text import reading_minutes, summarize

RENDERER_VERSION = "4"
MAX_NESTING = 100


@dataclass
class RenderedNote:
    html: str
    toc: list[TocEntry] = field(default_factory=list)
    links: list[LinkRef] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    refs: dict[str, str | None] = field(default_factory=dict)
    shortcodes: set[str] = field(default_factory=set)
    features: set[str] = field(default_factory=set)  # what the page needs: "mermaid"
    text: str = ""  # plain text (search, reading time, summaries)
    search_keys: tuple[str, str] | None = None  # set by the build: NUL-joined search keys
    wiki: dict[str, Any] = field(default_factory=dict)  # vault notes: wikilinks.wiki_record
    first_image: str | None = None  # the first image's URL as in the HTML (og:image)


@dataclass
class NoteFacts:
    """What a build needs of a rendered note besides its HTML, text and TOC: small enough
    to keep for every note in ``.cache/notes.json``."""

    summary: str
    minutes: int
    links: list[LinkRef]
    diagnostics: list[Diagnostic]
    refs: dict[str, str | None]
    features: set[str] = field(default_factory=set)  # the page's scripts: "mermaid"
    wiki: dict[str, Any] = field(default_factory=dict)  # vault notes: wikilinks.wiki_record

    @classmethod
    def of(cls, description: str, rendered: RenderedNote) -> NoteFacts:
        return cls(
            description or summarize(rendered.text),
            reading_minutes(rendered.text),
            list(rendered.links),
            list(rendered.diagnostics),
            dict(rendered.refs),
            set(rendered.features),
            dict(rendered.wiki),
        )


@dataclass(frozen=True)
class MarkdownFeatures:
    """The Markdown switches of a site (``[markdown]`` in ``site.toml``; Goldmark's
    ``[markup.goldmark]`` options for a Hugo site)."""

    math: bool = True
    mermaid: bool = True
    callouts: bool = True
    typographer: bool = False
    definition_list: bool = False
    emoji: bool = False


def create_markdown(
    registry: Registry,
    base_path: str = "/",
    toc_min: int = 1,
    toc_max: int = 3,
    *,
    highlight: Mapping[str, Any] | HighlightDefaults | None = None,
    dispatch: bool = True,
    features: MarkdownFeatures | None = None,
    images: Resolver | None = None,
    anchor_label: str = DEFAULT_ANCHOR_LABEL,
) -> MarkdownIt:
    """The configured parser. ``highlight``: the site's code block defaults, Hugo's
    ``[markup.highlight]`` table as read from the config (``lineNos``,
    ``lineNumbersInTable``, ``hl_Lines``, ``lineNoStart``, ``anchorLineNos``,
    ``lineAnchors``, ``wrapperClass``, ``hl_inline``, ``codeFences``, ``guessSyntax``;
    ``style``, ``noClasses``, ``tabWidth`` and ``noHl`` are ignored), or what
    :func:`~awsnotes_site.markdown.code_options.highlight_defaults` made of it (its
    ``ignored`` and ``unknown`` keys are for the caller to report); a bad value raises
    :class:`~awsnotes_site.markdown.code_options.OptionError`.

    ``dispatch=False`` keeps markdown-it's own rule loops, block
    state and ``html_block``, ``lheading`` and ``normalize`` rules (the output is the same,
    only slower: see :mod:`.dispatch`, :mod:`.block_state`, :mod:`.html_block`,
    :mod:`.lheading` and :mod:`.normalize`).

    ``features``: which of math, Mermaid, callouts, typographer, definition lists and emoji
    are on (:class:`MarkdownFeatures`; by default the first three).  ``anchor_label``:
    the heading anchors' label, in the site's language (model/strings)."""
    features = features or MarkdownFeatures()
    md = MarkdownIt("commonmark", {"html": True, "xhtmlOut": False, "maxNesting": MAX_NESTING})
    md.use(gfm_plugin)
    md.use(footnotes_plugin)  # the footnote block only in the body, not in shortcode text
    md.options["alerts"] = False  # `> [!NOTE]` stays a quote, as in Hugo
    # Core rules run in this order after inline parsing: ids, URLs, figures, shortcodes.
    md.use(headings_plugin, min_level=toc_min, max_level=toc_max, anchor_label=anchor_label)
    md.use(urls_plugin, base_path=base_path)
    md.use(figures_plugin)
    md.use(shortcodes_plugin, registry=registry)
    if not isinstance(highlight, HighlightDefaults):
        highlight = highlight_defaults(highlight)
    md.use(fence_plugin, defaults=highlight)
    md.use(tasklists_plugin)
    if features.mermaid:
        md.use(mermaid_plugin)  # wraps the fence rule: after fence_plugin
    if features.math:
        md.use(math_plugin)
    if features.callouts:
        md.use(callouts_plugin)
    if features.typographer or features.definition_list or features.emoji:
        md.use(
            goldmark_plugin,
            typographer=features.typographer,
            deflist=features.definition_list,
            emoji=features.emoji,
        )
    if images is not None:  # sizes and variants from the site's images (last: issue 21)
        md.use(images_plugin, resolve=images)
    if dispatch:
        use_fast_html_block(md)
        use_fast_lheading(md)
        use_fast_normalize(md)
        use_fast_block_state(md)
        use_dispatch(md)  # last: it dispatches to the rules configured above
    return md


def render_markdown(
    md: MarkdownIt, body: str, path: str, body_line: int, page: dict[str, Any] | None = None
) -> RenderedNote:
    """Render a note body; problems are collected, never raised."""
    state = RenderEnv(path=path, line_offset=body_line - 1, page=page or {})
    env: dict[str, Any] = {"awsnotes": state}
    try:
        tokens = md.parse(body, env)
        html = md.renderer.render(tokens, md.options, env)
        text = tokens_text(tokens)
    except RecursionError:
        state.report(Severity.ERROR, None, "note nests too deeply to render")
        html = text = ""
    rendered = RenderedNote(
        html,
        state.toc,
        state.links,
        state.diagnostics,
        state.refs,
        state.shortcodes,
        state.features,
        text,
        first_image=page_images(env).first_url,
    )
    rendered.wiki = wiki_record(env)
    return rendered


_INLINE_TEXT = frozenset({"text", "code_inline", "image", "math_inline", "emoji"})
_BREAKS = frozenset({"softbreak", "hardbreak"})


def tokens_text(tokens: list[Token]) -> str:
    """Readable text of a parsed note: inline text, code, HTML text, shortcode content."""
    parts: list[str] = []
    append = parts.append
    stack: list[tuple[list[Token], int]] = []
    level, i = tokens, 0
    while True:
        if i >= len(level):
            if not stack:
                break
            level, i = stack.pop()
            continue
        token = level[i]
        i += 1
        kind = token.type
        if kind == "inline":
            for child in token.children or ():
                ctype = child.type
                if ctype in _INLINE_TEXT:
                    append(child.content)
                elif ctype in _BREAKS:
                    append(" ")
            append("\n")
        elif kind == "fence" or kind == "code_block":
            append(token.content)
        elif kind == "math_block":
            append(token.content + "\n")
        elif kind == "html_block" or kind == "html_inline":
            events = kept_events(token)
            append(events_text(events) if events is not None else plain_text(token.content))
            append("\n")
        elif kind == "shortcode":
            meta = token.meta or {}
            if meta.get("inner"):
                append(meta["inner"] + "\n")
            tag = meta.get("tag")
            if tag is not None and tag.name == "figure":
                append(" ".join(tag.named.get(k, "") for k in ("caption", "alt")) + "\n")
            if token.children:
                stack.append((level, i))
                level, i = token.children, 0
    # str.split() and re's \s agree on what is whitespace (str.isspace)
    return " ".join("".join(parts).split())
