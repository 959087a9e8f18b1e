"""Obsidian syntax: wikilinks ``[[노트#제목|글]]``, embeds ``![[그림.png|300]]`` and
``![[노트]]``, inline tags ``#태그/하위``, comments ``%%…%%`` and block ids ``^id``.

Links are resolved by a :class:`WikiResolver` the build gives (it knows every file of the
vault); the rules only parse and make tokens. A link that resolves becomes an ordinary
``link_open``/``link_close`` pair with a root-relative href, so base paths, ``check`` and
backlinks treat it like any Markdown link. One that does not is a warning with note:line
and renders as plain text marked missing."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from awsnotes_site.diagnostics import Severity
from awsnotes_site.markdown.context import get_env
from awsnotes_site.markdown.headings import slugify
from awsnotes_site.obsidian.embeds import PageIds

IMAGE_EXTENSIONS = frozenset({"png", "jpg", "jpeg", "gif", "webp", "svg", "avif", "bmp"})
AUDIO_EXTENSIONS = frozenset({"mp3", "wav", "m4a", "ogg", "flac", "webm3"})
VIDEO_EXTENSIONS = frozenset({"mp4", "webm", "ogv", "mov", "mkv"})
MAX_EMBED_DEPTH = 5
_SIZE = re.compile(r"^\s*(\d+)\s*(?:x\s*(\d+)\s*)?$")
_TAG = re.compile(
    r"#([^\s#!@$%^&*()=+\[\]{};:'\",.<>/?`~\\|]+(?:/[^\s#!@$%^&*()=+\[\]{};:'\",.<>/?`~\\|]+)*)"
)  # noqa: E501
_BLOCK_ID = re.compile(r"\s\^([A-Za-z0-9-]+)$")
WIKI_ENV = "wikilinks"  # env key: WikiState


class Target(Protocol):
    @property
    def path(self) -> str: ...

    @property
    def url(self) -> str: ...

    @property
    def is_note(self) -> bool: ...


class WikiResolver(Protocol):
    def resolve(self, target: str, source: str) -> Target | None:
        """The file a link names, from the note at vault path SOURCE."""

    def embed(self, target: Target, fragment: str, env: MutableMapping[str, Any]) -> str:
        """The HTML of note TARGET (its section FRAGMENT, when given) rendered for
        embedding; ENV is a new env whose WikiState carries the embedding chain."""

    def tag_url(self, tag: str) -> str:
        """The root-relative URL of a tag's page."""


@dataclass
class WikiState:
    """What the rules found in a note, for the build: resolved link targets (backlinks,
    dependencies), embedded notes, inline tags; and the chain of notes being embedded.

    ``resolved`` and ``embedded`` are what the note's HTML depends on besides its own
    bytes: every ``(linking note, target)`` it asked the resolver about (its own links and
    those of the notes it embeds, at any depth), and every note whose content it shows."""

    source: str = ""  # vault path of the note being rendered
    targets: list[str] | None = None
    embeds: list[str] | None = None
    tags: list[str] | None = None
    files: list[str] | None = None  # non-note files linked or embedded (published)
    links: list[tuple[str, str]] | None = None  # (note linked to, the sentence around)
    chain: tuple[str, ...] = ()
    resolved: dict[tuple[str, str], None] = field(default_factory=dict)  # an ordered set
    embedded: list[str] | None = None  # notes shown inside this one, at any depth
    ids: PageIds | None = None  # the ids of the page being rendered (shared by embeds)
    tokens: list[Token] | None = None  # the note's token stream (its first parse: the body)

    def add(self, field: str, value: str) -> None:
        items = getattr(self, field)
        if items is None:
            items = []
            setattr(self, field, items)
        if value not in items:
            items.append(value)

    def absorb(self, inner: WikiState) -> None:
        """What an embedded note's rendering depended on is this note's too."""
        self.resolved.update(inner.resolved)
        for path in inner.embedded or ():
            self.add("embedded", path)


def resolve(resolver: WikiResolver, wiki: WikiState, target: str) -> Target | None:
    """The file TARGET names from the note being rendered, recorded as a dependency."""
    wiki.resolved[(wiki.source, target)] = None
    return resolver.resolve(target, wiki.source)


def wiki_state(env: MutableMapping[str, Any]) -> WikiState:
    state = env.get(WIKI_ENV)
    if not isinstance(state, WikiState):
        page = get_env(env).page
        state = WikiState(source=str(page.get("rel", "")))
        env[WIKI_ENV] = state
    return state


@dataclass(frozen=True)
class Link:
    target: str  # "노트", "" for this note
    fragment: str  # "제목", "^block", ""
    alias: str | None  # the text after "|"

    @classmethod
    def parse(cls, inner: str) -> Link:
        inner = inner.replace("\\|", "|")
        target, bar, alias = inner.partition("|")
        target, _, fragment = target.partition("#")
        return cls(target.strip(), fragment.strip(), alias.strip() if bar else None)

    @property
    def shown(self) -> str:
        """What the reader sees: the alias, else what was written."""
        if self.alias:
            return self.alias
        if self.target and self.fragment:
            return f"{self.target} > {self.fragment}"
        return self.target or self.fragment

    def href_fragment(self) -> str:
        if not self.fragment:
            return ""
        if self.fragment.startswith("^"):  # the id keeps its "^"; a URL writes it %5E
            return "#%5E" + self.fragment[1:]
        return "#" + slugify(self.fragment.split("#")[-1])


def _find_close(src: str, start: int, end: int) -> int:
    """Index of the ``]]`` closing a link opened before START, on the same line; -1."""
    close = src.find("]]", start, end)
    if close < 0:
        return -1
    newline = src.find("\n", start, close)
    opener = src.find("[[", start, close)
    return -1 if newline >= 0 or opener >= 0 or close == start else close


def _scan(
    state: StateInline, silent: bool, opener: str, push: Callable[[StateInline, Link], None]
) -> bool:
    """An inline rule for ``[[…]]`` (OPENER ``[[``) or ``![[…]]``: PUSH makes its tokens."""
    src, pos = state.src, state.pos
    if not src.startswith(opener, pos):
        return False
    start = pos + len(opener)
    close = _find_close(src, start, state.posMax)
    if close < 0:
        return False
    if not silent:
        push(state, Link.parse(src[start:close]))
    state.pos = close + 2
    return True


class WikiRules:
    """The inline rules, bound to the resolver of one build."""

    def __init__(self, resolver: WikiResolver) -> None:
        self.resolver = resolver

    def link(self, state: StateInline, silent: bool) -> bool:
        return _scan(state, silent, "[[", self._push_link)

    def _push_link(self, state: StateInline, link: Link) -> None:
        wiki = wiki_state(state.env)
        if not link.target:  # [[#제목]]: this note
            self._push_anchor(state, link.href_fragment(), link.shown)
            return
        found = resolve(self.resolver, wiki, link.target)
        if found is None:
            self._missing(state, link)
            return
        wiki.add("targets", found.path)
        if not found.is_note:
            wiki.add("files", found.path)
        fragment = link.href_fragment() if found.is_note else _file_fragment(link.fragment)
        target = found.path if found.is_note else ""
        self._push_anchor(state, "/" + found.url + fragment, link.shown, target)

    @staticmethod
    def _push_anchor(state: StateInline, href: str, text: str, target: str = "") -> None:
        token = state.push("link_open", "a", 1)
        token.attrs = {"href": href, "class": "wikilink"}
        token.markup = "wikilink"
        if target:
            token.meta = {"target": target}
        state.push("text", "", 0).content = text
        state.push("link_close", "a", -1).markup = "wikilink"

    @staticmethod
    def _missing(state: StateInline, link: Link) -> None:
        """Reported with its line by :func:`report_lines` once the paragraph is parsed."""
        token = state.push("wikilink_missing", "span", 0)
        token.content = link.shown
        token.meta = {"target": link.target}

    def embed(self, state: StateInline, silent: bool) -> bool:
        return _scan(state, silent, "![[", self._push_embed)

    def _push_embed(self, state: StateInline, link: Link) -> None:
        wiki = wiki_state(state.env)
        found = resolve(self.resolver, wiki, link.target) if link.target else None
        if found is None:
            self._missing(state, link)
            return
        wiki.add("targets", found.path)
        if found.is_note:
            wiki.add("embeds", found.path)
            wiki.links = [*(wiki.links or ()), (found.path, "")]
            token = state.push("wikiembed_note", "div", 0)
            token.meta = {"file": found, "fragment": link.fragment}
            return
        wiki.add("files", found.path)
        _push_file_embed(state, found, link)

    def tag(self, state: StateInline, silent: bool) -> bool:
        src, pos = state.src, state.pos
        if src[pos] != "#" or (pos > 0 and not src[pos - 1].isspace()):
            return False
        match = _TAG.match(src, pos, state.posMax)
        if match is None or match.group(1).replace("/", "").isdigit():
            return False
        if not silent:
            name = match.group(1).strip("/")
            wiki_state(state.env).add("tags", name)
            token = state.push("link_open", "a", 1)
            token.attrs = {"href": self.resolver.tag_url(name), "class": "tag"}
            token.markup = "wikitag"
            state.push("text", "", 0).content = "#" + name
            state.push("link_close", "a", -1).markup = "wikitag"
        state.pos = match.end()
        return True


def _file_fragment(fragment: str) -> str:
    return "#" + fragment if fragment else ""


def _push_file_embed(state: StateInline, found: Target, link: Link) -> None:
    ext = found.path.rsplit(".", 1)[-1].lower() if "." in found.path else ""
    url = "/" + found.url
    name = found.path.rsplit("/", 1)[-1]
    if ext in IMAGE_EXTENSIONS:
        token = state.push("image", "img", 0)
        size = _SIZE.match(link.alias or "")
        alt = name.rsplit(".", 1)[0] if size or not link.alias else link.alias
        token.attrs = {"src": url, "alt": ""}
        if size:
            token.attrs["width"] = size.group(1)
            if size.group(2):
                token.attrs["height"] = size.group(2)
        text = Token("text", "", 0)
        text.content = alt
        token.children = [text]
        token.content = alt
        return
    if ext in AUDIO_EXTENSIONS or ext in VIDEO_EXTENSIONS:
        token = state.push("wikiembed_media", "audio" if ext in AUDIO_EXTENSIONS else "video", 0)
        token.attrs = {"src": url}
        token.content = name
        return
    WikiRules._push_anchor(state, url + _file_fragment(link.fragment), link.alias or name)


def comment_inline(state: StateInline, silent: bool) -> bool:
    """``%%…%%`` inside a paragraph: dropped."""
    src, pos = state.src, state.pos
    if not src.startswith("%%", pos):
        return False
    close = src.find("%%", pos + 2, state.posMax)
    if close < 0:
        return False
    state.pos = close + 2
    return True


def comment_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A block comment: a line starting with ``%%`` up to the line ending with ``%%``."""
    first = state.bMarks[start] + state.tShift[start]
    line_text = state.src[first : state.eMarks[start]]
    if not line_text.startswith("%%") or state.sCount[start] - state.blkIndent >= 4:
        return False
    if silent:
        return True
    rest = line_text[2:]
    line = start
    while "%%" not in rest and line + 1 < end:
        line += 1
        rest = state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]
    token = state.push("obsidian_comment", "", 0)
    token.map = [start, line + 1]
    token.hidden = True
    state.line = line + 1
    return True


def block_ids(state: StateCore) -> None:
    """``문단 ^abc`` -> the paragraph gets ``id="^abc"`` and loses the marker."""
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.type != "inline" or i == 0 or not token.children:
            continue
        last = token.children[-1]
        match = _BLOCK_ID.search(last.content) if last.type == "text" else None
        opener = tokens[i - 1]
        if match is None or opener.type not in ("paragraph_open", "list_item_open"):
            continue
        last.content = last.content[: match.start()]
        opener.attrSet("id", "^" + match.group(1))


def _hoist_embeds(tokens: list[Token]) -> None:
    """A note embed alone in its paragraph renders as a block (no ``<p>`` around its
    ``<div>``); one among other text becomes a link to the note."""
    for i, token in enumerate(tokens):
        if token.type != "inline" or not token.children or i == 0:
            continue
        kinds = {c.type for c in token.children if c.type != "softbreak"}
        if "wikiembed_note" not in kinds:
            continue
        if kinds == {"wikiembed_note"} and tokens[i - 1].type == "paragraph_open":
            tokens[i - 1].hidden = tokens[i + 1].hidden = True
            continue
        children: list[Token] = []
        for child in token.children:
            if child.type != "wikiembed_note":
                children.append(child)
                continue
            found = child.meta["file"]
            opener = Token("link_open", "a", 1)
            opener.attrs = {"href": "/" + found.url, "class": "wikilink"}
            text = Token("text", "", 0)
            text.content = found.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
            children += [opener, text, Token("link_close", "a", -1)]
        token.children = children


def report_lines(state: StateCore) -> None:
    """Warn about each missing link target with the line of its paragraph, and give note
    embeds that line (inline rules do not know lines; block tokens do)."""
    env = get_env(state.env)
    wiki = wiki_state(state.env)
    if wiki.tokens is None:
        wiki.tokens = state.tokens
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        line = env.file_line(token.map[0]) if token.map else None
        for child in token.children:
            if child.type == "wikilink_missing":
                target = child.meta.get("target", "")
                env.report(Severity.WARNING, line, f"link target '{target}' not found")
            elif child.type == "wikiembed_note":
                child.meta["line"] = line
    _hoist_embeds(state.tokens)


def _render_missing(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any
) -> str:
    token = tokens[idx]
    title = html.escape(f"없는 노트: {token.meta.get('target', '')}")
    return f'<span class="wikilink-missing" title="{title}">{html.escape(token.content)}</span>'


def _render_media(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any
) -> str:
    token = tokens[idx]
    src = html.escape(str(token.attrs.get("src", "")))
    name = html.escape(token.content)
    return f'<{token.tag} controls preload="none" src="{src}">{name}</{token.tag}>'


class EmbedRenderer:
    def __init__(self, resolver: WikiResolver) -> None:
        self.resolver = resolver

    def render(self, tokens: Sequence[Token], idx: int, env: Any) -> str:
        token = tokens[idx]
        found: Target = token.meta["file"]
        wiki = wiki_state(env)
        chain = wiki.chain or (wiki.source,)
        name = html.escape(found.path.rsplit("/", 1)[-1].rsplit(".", 1)[0])
        if found.path in chain or len(chain) > MAX_EMBED_DEPTH:
            reason = "loop" if found.path in chain else "too deep"
            get_env(env).report(
                Severity.WARNING, token.meta.get("line"), f"embed of '{found.path}': {reason}"
            )
            return f'<p class="embed-skipped"><a href="/{html.escape(found.url)}">{name}</a></p>\n'
        if wiki.ids is None:  # the page's own ids, before its first embed
            wiki.ids = PageIds(wiki.tokens or ())
        inner_wiki = WikiState(source=found.path, chain=(*chain, found.path), ids=wiki.ids)
        sub_env: dict[str, Any] = {WIKI_ENV: inner_wiki, "docId": wiki.ids.footnote_prefix()}
        inner = self.resolver.embed(found, token.meta.get("fragment", ""), sub_env)
        wiki.add("embedded", found.path)
        wiki.absorb(inner_wiki)
        inner_env = sub_env.get("awsnotes")
        if inner_env is not None and inner_env is not get_env(env):
            outer = get_env(env)
            outer.diagnostics.extend(inner_env.diagnostics)
            outer.features |= inner_env.features
        href = html.escape("/" + found.url)
        return (
            f'<div class="note-embed" data-src="{href}">'
            f'<p class="note-embed-title"><a href="{href}">{name}</a></p>\n{inner}</div>\n'
        )


_SENTENCE_END = re.compile(r"[.!?。](?=\s|$)|\n")
CONTEXT_MAX = 200  # characters of a backlink's sentence


def sentence(text: str, start: int, end: int) -> str:
    """The sentence of TEXT around the span START..END, at most ``CONTEXT_MAX`` long."""
    first = 0
    for match in _SENTENCE_END.finditer(text, 0, start):
        first = match.end()
    after = _SENTENCE_END.search(text, end)
    last = after.end() if after else len(text)
    if last - first > CONTEXT_MAX:
        half = CONTEXT_MAX // 2
        first, last = max(first, start - half), min(last, end + half)
    return " ".join(text[first:last].split())


class LinkRecorder:
    """A core rule: Markdown links to vault files (``[글](폴더/노트.md)``, spaces,
    parentheses and %-encoding alike) become links to their pages; every link to a note
    is recorded with its sentence (backlinks)."""

    def __init__(self, resolver: WikiResolver) -> None:
        self.resolver = resolver

    def __call__(self, state: StateCore) -> None:
        wiki = wiki_state(state.env)
        for token in state.tokens:
            if token.type == "inline" and token.children:
                self._rewrite(token.children, wiki)
                _record(token.children, wiki)

    def _rewrite(self, children: list[Token], wiki: WikiState) -> None:
        for child in children:
            attr = "href" if child.type == "link_open" else "src" if child.type == "image" else ""
            value = str(child.attrs.get(attr, "")) if attr and child.markup != "wikilink" else ""
            if not value or value.startswith(("/", "#")) or _SCHEME.match(value):
                continue
            path, _, fragment = unquote(value).partition("#")
            found = resolve(self.resolver, wiki, path) if path else None
            if found is None:
                continue
            wiki.add("targets", found.path)
            if found.is_note:
                child.meta = {**(child.meta or {}), "target": found.path}
                suffix = Link(path, fragment, None).href_fragment()
            else:
                wiki.add("files", found.path)
                suffix = _file_fragment(fragment)
            child.attrs[attr] = "/" + found.url + suffix


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_TEXT_TYPES = frozenset({"text", "code_inline", "wikilink_missing"})


def _record(children: list[Token], wiki: WikiState) -> None:
    parts: list[str] = []
    marks: list[tuple[str, int, int]] = []
    length = 0
    opened: tuple[str, int] | None = None
    for child in children:
        kind = child.type
        if kind == "link_open" and child.meta and child.meta.get("target"):
            opened = (child.meta["target"], length)
        elif kind == "link_close" and opened is not None:
            marks.append((opened[0], opened[1], length))
            opened = None
        piece = child.content if kind in _TEXT_TYPES else " " if kind.endswith("break") else ""
        parts.append(piece)
        length += len(piece)
    if marks:
        text = "".join(parts)
        wiki.links = [*(wiki.links or ()), *((t, sentence(text, a, b)) for t, a, b in marks)]


def wiki_record(env: MutableMapping[str, Any]) -> dict[str, Any]:
    """What the build keeps of a note's :class:`WikiState`: tags, files, links, and what
    its HTML depends on (``note``: its path, ``resolved``: ``[note, target]`` pairs asked
    of the resolver, ``embedded``: the notes it shows)."""
    state = env.get(WIKI_ENV)
    if not isinstance(state, WikiState):
        return {}
    out: dict[str, Any] = {"note": state.source}
    if state.tags:
        out["tags"] = list(state.tags)
    if state.files:
        out["files"] = list(state.files)
    if state.links:
        out["links"] = [list(link) for link in state.links]
    if state.resolved:
        out["resolved"] = [list(pair) for pair in state.resolved]
    if state.embedded:
        out["embedded"] = list(state.embedded)
    return out


def wikilinks_plugin(md: MarkdownIt, resolver: WikiResolver, tags: bool = True) -> None:
    rules = WikiRules(resolver)
    md.inline.ruler.before("link", "wikilink", rules.link)
    md.inline.ruler.before("image", "wikiembed", rules.embed)
    md.inline.ruler.before("text", "obsidian_comment", comment_inline)
    if tags:
        md.inline.ruler.before("text", "obsidian_tag", rules.tag)
    md.block.ruler.before("paragraph", "obsidian_comment", comment_block)
    # before the URL rule (base paths, link records) when it is there
    core = md.core.ruler
    names = [rule.name for rule in core.__rules__]
    urls = "awsnotes_urls"
    add = partial(core.before, urls) if urls in names else core.push
    add("obsidian_block_ids", block_ids)
    add("obsidian_lines", report_lines)
    add("obsidian_links", LinkRecorder(resolver))
    md.add_render_rule("wikilink_missing", _render_missing)
    md.add_render_rule("wikiembed_media", _render_media)
    embedder = EmbedRenderer(resolver)

    def render_embed(
        self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any
    ) -> str:
        return embedder.render(tokens, idx, env)

    md.add_render_rule("wikiembed_note", render_embed)
    md.add_render_rule("obsidian_comment", lambda *a: "")
