"""Images that never shift the page: ``width``/``height`` from the file, lazy loading but
for the page's first image, and responsive variants (``srcset``/``sizes``, ``<picture>``
with WebP/AVIF and dark-mode ``<source>``s).

A core rule after every other one annotates Markdown ``image`` tokens and ``<img>`` tags
in raw HTML tokens (through the lossless HTML tokenizer, so nothing else changes); the
``shortcode`` render rule is wrapped so images a shortcode renders (``figure``, user
templates) get the same treatment. What is known about an image comes from a resolver
the caller gives (:meth:`awsnotes_site.images.catalog.ImageCatalog.resolve`); problems
with an image file become warnings at the note's line.
"""

from __future__ import annotations

import html
from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from awsnotes_site.diagnostics import Severity
from awsnotes_site.images.catalog import ResolvedImage
from awsnotes_site.images.variants import PictureSource
from awsnotes_site.markdown.context import RenderEnv, get_env
from awsnotes_site.markdown.html_tokens import Event, join, keep_events, kept_events, tokenize

# resolve(url as written in the HTML, the note's site URL such as "posts/x/")
Resolver = Callable[[str, str], "ResolvedImage | None"]

ENV_KEY = "awsnotes_images"
FIRST = "awsnotes_image_first"  # shortcode token meta: its first image is the page's first
# Shortcode token meta: its content (parsed when it renders) may hold the page's first image.
FIRST_INNER = "awsnotes_image_first_inside"


@dataclass
class PageImages:
    """Per-note state, kept in markdown-it's env: has the first image been seen, and which
    problems were reported (once per URL)."""

    first_done: bool = False
    first_url: str | None = None  # the first image's URL as in the HTML (for og:image)
    warned: set[str] = field(default_factory=set)


def page_images(env: MutableMapping[str, Any]) -> PageImages:
    state = env.get(ENV_KEY)
    if not isinstance(state, PageImages):
        state = PageImages()
        env[ENV_KEY] = state
    return state


class _Img(Protocol):
    def get(self, name: str) -> str | None: ...
    def set(self, name: str, value: str | None) -> None: ...
    def remove(self, name: str) -> None: ...


class _TokenImg:
    """A Markdown ``image`` token seen through :class:`_Img`."""

    def __init__(self, token: Token) -> None:
        self.token = token

    def get(self, name: str) -> str | None:
        value = self.token.attrs.get(name)
        return None if value is None else str(value)

    def set(self, name: str, value: str | None) -> None:
        self.token.attrSet(name, "" if value is None else value)

    def remove(self, name: str) -> None:
        self.token.attrs.pop(name, None)


def _scaled(value: str | None, num: int, den: int) -> str | None:
    if value is None or not value.strip().isdigit():
        return None
    return str(max(1, round(int(value) * num / den)))


def loading_hints(img: _Img, first: bool) -> None:
    """The page's first image loads at once and early; the others when scrolled near."""
    if first:
        if img.get("loading") == "lazy":
            img.remove("loading")
        img.set("fetchpriority", "high")
    elif img.get("loading") is None:
        img.set("loading", "lazy")
    if img.get("decoding") is None:
        img.set("decoding", "async")


def set_size(img: _Img, width: int, height: int) -> None:
    """The file's size, unless the author gave both; one given scales the other."""
    given_w, given_h = img.get("width"), img.get("height")
    if given_w is None and given_h is None:
        img.set("width", str(width))
        img.set("height", str(height))
    elif given_h is None:
        img.set("height", _scaled(given_w, height, width) or str(height))
    elif given_w is None:
        img.set("width", _scaled(given_h, width, height) or str(width))


def annotate(img: _Img, resolved: ResolvedImage | None, first: bool) -> tuple[PictureSource, ...]:
    """Set an ``<img>``'s loading hints, sizes and srcset; the ``<source>``s for a
    ``<picture>`` around it (none when it needs no ``<picture>``)."""
    loading_hints(img, first)
    info = resolved.info if resolved is not None else None
    if resolved is None or info is None:
        return ()
    set_size(img, info.width, info.height)
    if img.get("srcset") is not None:  # the author's own srcset stays as written
        return ()
    offered = resolved.responsive
    if offered.srcset:
        img.set("srcset", offered.srcset)
        img.set("sizes", offered.sizes)
    sources = resolved.sources
    if sources or offered.srcset:
        img.set("data-full", resolved.url)  # the zoom view opens the original
    return sources


def sources_html(sources: Sequence[PictureSource], sizes: str) -> str:
    parts = []
    for s in sources:
        attrs = []
        if s.media:
            attrs.append(f'media="{html.escape(s.media)}"')
        if s.type:
            attrs.append(f'type="{s.type}"')
        attrs.append(f'srcset="{html.escape(s.srcset)}"')
        if sizes and "w," in s.srcset + ",":
            attrs.append(f'sizes="{html.escape(sizes)}"')
        parts.append(f"<source {' '.join(attrs)}>")
    return "".join(parts)


class _Annotator:
    def __init__(self, resolve: Resolver, env: RenderEnv, page: PageImages) -> None:
        self.resolve = resolve
        self.env = env
        self.page = page
        self.page_url = str(env.page.get("url") or "")
        self.in_picture = 0  # <picture> elements open in the raw HTML being read

    def take_first(self, url: str | None) -> bool:
        first = not self.page.first_done
        self.page.first_done = True
        if first and url:
            self.page.first_url = url
        return first

    def lookup(self, src: str | None, line: int | None) -> ResolvedImage | None:
        if not src:
            return None
        resolved = self.resolve(src, self.page_url)
        if resolved is not None and resolved.problem and src not in self.page.warned:
            self.page.warned.add(src)
            self.env.report(
                Severity.WARNING,
                line,
                f"image {src!r} {resolved.problem}",
                hint="the file is published as it is, without sizes or smaller variants",
            )
        return resolved

    def image_token(self, children: list[Token], i: int, line: int | None) -> int:
        """Annotate ``children[i]``; the index after it (after a closing ``</picture>``)."""
        token = children[i]
        src = str(token.attrGet("src") or "")
        first = self.take_first(src)
        resolved = self.lookup(src, line)
        sources = annotate(_TokenImg(token), resolved, first)
        if not sources or resolved is None:
            return i + 1
        opening = Token("html_inline", "", 0)
        opening.content = "<picture>" + sources_html(sources, resolved.responsive.sizes)
        closing = Token("html_inline", "", 0)
        closing.content = "</picture>"
        children[i : i + 1] = [opening, token, closing]
        return i + 3

    def html(self, source: str, events: list[Event] | None, line: int | None) -> list[Event] | None:
        """Annotated raw HTML's events, or None when it has no ``<img>``. ``events``: the
        source's events when known (other rules keep them in token.meta)."""
        if "<" not in source:
            return None
        lowered = source.lower()  # (tags: <img>, and <picture> whose nesting is tracked)
        if "<img" not in lowered and "<picture" not in lowered and "</picture" not in lowered:
            return None
        if events is None:
            events = tokenize(source)
        out: list[Event] = []
        offset = line
        found = False
        for ev in events:
            if ev.tag == "picture" and ev.kind in ("start", "end"):
                self.in_picture = max(0, self.in_picture + (1 if ev.kind == "start" else -1))
            if ev.kind == "start" and ev.tag == "img":
                found = True
                out.extend(self._html_img(ev, self.in_picture > 0, offset))
            else:
                out.append(ev)
            if offset is not None:
                offset += ev.raw.count("\n")
        return out if found else None

    def _html_img(self, ev: Event, in_picture: bool, line: int | None) -> list[Event]:
        first = self.take_first(ev.get("src"))
        resolved = self.lookup(ev.get("src"), line)
        sources = annotate(ev, resolved, first)
        if not sources or in_picture or resolved is None:
            return [ev]
        opening = "<picture>" + sources_html(sources, resolved.responsive.sizes)
        return [Event("other", opening), ev, Event("other", "</picture>")]


def _walk(tokens: Sequence[Token], work: _Annotator, line: int | None) -> None:
    env = work.env
    for token in tokens:
        if token.map is not None:
            line = env.file_line(token.map[0])
        kind = token.type
        if kind == "inline" and token.children:
            _walk_inline(token.children, work, line)
        elif kind == "html_block":
            work.in_picture = 0
            _rewrite_html_token(token, work, line)
        elif kind == "shortcode":
            _mark_shortcode(token, work)
            if token.children:
                _walk(token.children, work, line)


def _mark_shortcode(token: Token, work: _Annotator) -> None:
    """Shortcodes render later: note now whether a figure's image is the page's first,
    or whether the first may be in content that is parsed when the shortcode renders."""
    meta = token.meta or {}
    tag = meta.get("tag")
    if tag is None or work.page.first_done:
        if tag is not None and getattr(tag, "name", "") == "figure":
            meta[FIRST] = False
        return
    if getattr(tag, "name", "") == "figure":
        meta[FIRST] = work.take_first(tag.named.get("src"))
        return
    inner = meta.get("inner")
    if isinstance(inner, str) and ("![" in inner or "img" in inner.lower() or "{{" in inner):
        meta[FIRST_INNER] = work.take_first(None)


def _walk_inline(children: list[Token], work: _Annotator, line: int | None) -> None:
    work.in_picture = 0  # an author's <picture> may span several html_inline tokens
    i = 0
    while i < len(children):
        child = children[i]
        if child.type == "image":
            i = work.image_token(children, i, line)
            continue
        if child.type == "html_inline":
            _rewrite_html_token(child, work, line)
        elif child.type == "shortcode":
            _mark_shortcode(child, work)
        elif child.type == "softbreak" and line is not None:
            line += 1
        i += 1


def _rewrite_html_token(token: Token, work: _Annotator, line: int | None) -> None:
    events = work.html(token.content, kept_events(token), line)
    if events is not None:
        keep_events(token, events)


def images_plugin(md: MarkdownIt, resolve: Resolver) -> None:
    """Use after every other plugin (its core rule must run last, and it wraps the
    ``shortcode`` render rule when there is one)."""

    def rule(state: StateCore) -> None:
        src = state.src
        if "![" not in src and "img" not in src.lower() and "{{" not in src:
            return
        env = get_env(state.env)
        _walk(state.tokens, _Annotator(resolve, env, page_images(state.env)), None)

    md.core.ruler.push("awsnotes_images", rule)
    inner = getattr(md.renderer, "rules", {}).get("shortcode")
    if inner is None:
        return

    def render_shortcode(
        _renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
    ) -> str:
        token = tokens[idx]
        meta = token.meta or {}
        page = page_images(env)
        if meta.get(FIRST_INNER):  # the page's first image may be in the content
            page.first_done = False
            out = str(inner(tokens, idx, options, env))
            page.first_done = True
        else:
            out = str(inner(tokens, idx, options, env))
        if "<img" not in out.lower() or token.children or meta.get("inner") is not None:
            # (a shortcode with content: its images were annotated with that content,
            # and a template's own <img> around it is left as it is)
            return out
        state = get_env(env)
        work = _Annotator(resolve, state, page)
        line = state.file_line(meta.get("line"))
        if FIRST in meta:  # the core rule decided whether the figure's image is the first
            seen, page.first_done = page.first_done, not meta[FIRST]
            events = work.html(out, None, line)
            page.first_done = seen or page.first_done
        else:
            events = work.html(out, None, line)
        return out if events is None else join(events)

    md.add_render_rule("shortcode", render_shortcode)
