"""Stage 3: render the notes' Markdown, only those whose render key (their bytes, the
renderer, the settings) or cross-references changed; many of them in forked workers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

import jinja2
from markdown_it import MarkdownIt

from awsnotes_site.config import SiteConfig
from awsnotes_site.content.load import load_note
from awsnotes_site.diagnostics import Diagnostic, Reporter, Severity
from awsnotes_site.images.catalog import ImageCatalog
from awsnotes_site.incremental.keys import card_digest, render_context, render_key
from awsnotes_site.incremental.records import NoteRecord
from awsnotes_site.incremental.store import RenderStore
from awsnotes_site.markdown import NoteFacts, RenderedNote, create_markdown, render_markdown
from awsnotes_site.markdown.goshortcodes import GoShortcodes, GoSite
from awsnotes_site.markdown.registry import (
    RefResolver,
    ShortcodeRegistry,
    unknown_hint,
    unknown_name,
)
from awsnotes_site.markdown.settings import markdown_settings
from awsnotes_site.model.note import FACTS_NOT_IN_CARD, Note
from awsnotes_site.model.strings import strings_for
from awsnotes_site.model.views import DependencyTracker, NoteView, SearchPart
from awsnotes_site.parallel import chunk_size, fork_map, workers
from awsnotes_site.pipeline.options import Progress
from awsnotes_site.search import packed_keys

if TYPE_CHECKING:  # (imported when a vault is built)
    from awsnotes_site.pipeline.vault import VaultSite

# Notes render in worker processes when there is enough work for them: at least this
# many characters of Markdown (prose: ~0.1 s in one process here, at ~1.3 MB/s; code
# blocks cost more: the small blog's 53 notes, 363,000 characters with 450 blocks, take
# 0.9 s; starting a pool of 2 costs ~40 ms, and this process meanwhile compiles the page
# templates) and at least PARALLEL_THRESHOLD notes. A count of notes alone misjudged both
# a few long notes and many short ones.
PARALLEL_CHARS = 150_000
PARALLEL_THRESHOLD = 2


@dataclass
class Parser:
    """The configured Markdown parser, kept while the notes' URLs, the settings and the
    Jinja environment stay the same."""

    urls: dict[str, str]
    context: str
    jinja: jinja2.Environment
    resolver: RefResolver
    md: MarkdownIt
    diagnostics: tuple[Diagnostic, ...] = ()  # about the Markdown settings
    vault: VaultSite | None = None  # an Obsidian vault's files (refreshed every build)
    images: ImageCatalog | None = None  # what ``md`` asks about images


@dataclass
class RenderSettings:
    """What rendering needs besides the notes."""

    config: SiteConfig
    jinja: jinja2.Environment
    store: RenderStore | None
    save: bool  # put newly rendered notes into ``store``
    jobs: int
    progress: Progress | None
    images: ImageCatalog | None = None  # the site's images (issue 21), None: off


class NoteRenderer:
    """Rendered notes and their facts, by render key, kept between builds."""

    def __init__(self, tracker: DependencyTracker) -> None:
        self.tracker = tracker
        self.rendered: dict[str, RenderedNote] = {}
        self.facts: dict[str, NoteFacts] = {}
        self.count = 0  # notes rendered by the last build
        self._parser: Parser | None = None
        self._cards: dict[tuple[str, str], str] = {}

    def parser(self, config: SiteConfig, notes: list[Note], run: RenderSettings) -> Parser:
        jinja = run.jinja
        urls = {n.rel: n.url for n in notes}
        images = run.images
        context = render_context(config, images.context_key() if images else "")
        old = self._parser
        kept = old is not None and old.images is images  # (kept by the stage while alike)
        if (
            kept
            and old is not None
            and (old.urls, old.context, old.jinja) == (urls, context, jinja)
        ):
            if old.vault is not None:
                old.vault.refresh(notes)
            return old  # same notes, URLs, settings and images
        vault = None
        if config.kind == "vault":
            from awsnotes_site.pipeline.vault import VaultSite

            vault = VaultSite(config, notes)
        resolver = RefResolver(urls)
        go = GoShortcodes.scan(
            config.root,
            config.shortcode_dirs,
            GoSite(
                config.title,
                config.absolute_base,
                config.params,
                config.language,
                config.base_path,
            ),
        )
        registry = ShortcodeRegistry(
            config.templates_dir,
            jinja,
            resolver,
            config.base_path,
            config.absolute_base,
            go=go,
            site_params=config.params,
            unknown=config.unknown_shortcodes,
        )
        where = "site.toml" if config.kind != "hugo" else "Hugo config"
        settings = markdown_settings(config.markdown, config.kind, where)
        md = create_markdown(
            registry,
            "/" if config.kind == "hugo" else config.base_path,  # Hugo: links as written
            config.toc_min_level,
            config.toc_max_level,
            highlight=settings.highlight,
            features=settings.features,
            images=images.resolve if images else None,
            anchor_label=strings_for(config.language)["heading_anchor"],
        )
        if vault:
            vault.attach(md)
        self._parser = Parser(
            urls, context, jinja, resolver, md, settings.diagnostics, vault, images
        )
        return self._parser

    def render(
        self,
        notes: list[Note],
        records: dict[str, NoteRecord],
        run: RenderSettings,
        reporter: Reporter,
        meanwhile: Callable[[], None] | None = None,
    ) -> list[NoteView]:
        """Render the notes that need it (``meanwhile``: see :func:`render_all`) and
        return a view of every note."""
        parser = self.parser(run.config, notes, run)
        keys = bases = [_key(n, parser) for n in notes]
        vault = parser.vault
        if vault is not None:  # and what the notes' last renderings depended on
            known = [*self.facts.values(), *(r.facts for r in records.values() if r.facts)]
            keys = vault.keys(notes, bases, known)
        todo = [
            (key, with_body(note, run.config))
            for key, note in zip(keys, notes, strict=True)
            if self._stale(key, note, records, run.store, parser.resolver)
        ]
        saver = run.store if run.save else None
        kept = saver if vault is None else None  # a vault's: once their keys are settled
        done = render_all(parser.md, todo, run.jobs, run.progress, kept, meanwhile)
        if vault is not None:
            todo = vault.settle(todo, done, dict(zip(keys, bases, strict=True)), keys, saver)
        self.count = len(done)
        for (key, _), (rendered, facts) in zip(todo, done, strict=True):
            self.rendered[key] = rendered
            self.facts[key] = facts
        pairs = zip(keys, notes, strict=True)
        reporter.extend(list(parser.diagnostics))
        if run.config.kind == "vault":
            from awsnotes_site.pipeline.vault import merge_tags

            merge_tags(notes, [self.facts[key].wiki for key in keys])
        unknown = UnknownShortcodes()
        views = [self._view(key, note, parser.md, run, unknown) for key, note in pairs]
        unknown.report(reporter, run.config.unknown_shortcodes == "warn")
        if run.config.kind == "vault":
            from awsnotes_site.pipeline.vault import backlinks

            backlinks(views)
        live = set(keys)
        self.rendered = {k: r for k, r in self.rendered.items() if k in live}
        self.facts = {k: f for k, f in self.facts.items() if k in live}
        self._cards = {m: c for m, c in self._cards.items() if m[0] in live}
        return views

    def rerender(self, view: NoteView, note: Note, run: RenderSettings, quiet: bool) -> bool | None:
        """Render ``note``, an edit of ``view``'s note with the same front matter, with the
        last build's parser. When its facts beyond the card (links, images, features,
        messages) and its first image are unchanged, put it in ``view`` in place and
        return whether its card changed (its summary or reading time: then the pages
        listing it differ too, else only those that used its body). None otherwise
        (``view`` untouched): a full build is needed. ``quiet``: the last build said
        nothing about the note, so its links may have moved to other lines (a missing
        target's warning would name the line)."""
        parser = self._parser
        if parser is None or parser.vault is not None:
            return None
        key = _key(note, parser)
        rendered = self.rendered.get(key) or render_one(parser.md, note)
        facts = NoteFacts.of(note.description, rendered)
        before = view.loaded or view.load()
        moved = {"links"} if quiet and _targets(facts) == _targets(view.facts) else set()
        if rendered.first_image != before.first_image or any(
            getattr(facts, name) != getattr(view.facts, name)
            for name in FACTS_NOT_IN_CARD
            if name not in moved
        ):
            return None
        card = self._card(key, note, facts)
        changed = card != view.card
        if run.store is not None and run.save:
            run.store.put(key, rendered)
        if key != view.key:
            self.rendered.pop(view.key, None)
            self.facts.pop(view.key, None)
            self._cards.pop((view.key, _lastmod(view.note)), None)
        if parser.images is not None and note.digest != view.note.digest:
            parser.images.forget(view.note)
        self.rendered[key], self.facts[key] = rendered, facts
        load = partial(self._load_rendered, key, note, parser.md, run)
        view.note, view.facts, view.key, view.card = note, facts, key, card
        view.loaded, view.load = rendered, load
        view.load_search = partial(self._load_search, key, run.store, load)
        return changed

    def _stale(
        self,
        key: str,
        note: Note,
        records: dict[str, NoteRecord],
        store: RenderStore | None,
        resolver: RefResolver,
    ) -> bool:
        """Whether the note must be rendered: no facts for ``key`` in memory, in its record
        or in the render store, or a cross-reference that now resolves elsewhere."""
        facts = self.facts.get(key)
        if facts is None:
            record = records.get(str(note.source))
            if record is not None and record.key == key and record.facts is not None:
                facts = self.facts[key] = record.facts
                if record.card:
                    self._cards[(key, record.card_lastmod)] = record.card
        if facts is None and store is not None:
            rendered = store.get(key)
            if rendered is not None:
                self.rendered[key] = rendered
                facts = self.facts[key] = NoteFacts.of(note.description, rendered)
        return facts is None or any(
            resolver.resolve(t, note.rel) != url for t, url in facts.refs.items()
        )

    def _view(
        self, key: str, note: Note, md: MarkdownIt, run: RenderSettings, sink: UnknownShortcodes
    ) -> NoteView:
        facts = self.facts[key]
        sink.extend(facts.diagnostics)
        load = partial(self._load_rendered, key, note, md, run)
        return NoteView(
            note,
            facts,
            load,
            self.tracker,
            partial(self._load_search, key, run.store, load),
            key,
            self._card(key, note, facts),
            loaded=self.rendered.get(key),
        )

    def _card(self, key: str, note: Note, facts: NoteFacts) -> str:
        """:func:`card_digest`, remembered per render key (which covers the note's bytes,
        hence its front matter and facts) and date from git; kept in the note's record
        (``notes.json``) for the next CLI build."""
        memo = (key, _lastmod(note))
        card = self._cards.get(memo)
        if card is None:
            card = self._cards[memo] = card_digest(note, facts)
        return card

    def card_memo(self, key: str, note: Note) -> tuple[str, str]:
        """The remembered card of ``note`` under ``key`` and the ``lastmod`` it was made
        with (for its record), or empty strings."""
        lastmod = _lastmod(note)
        card = self._cards.get((key, lastmod))
        return (card, lastmod) if card is not None else ("", "")

    def _load_rendered(
        self, key: str, note: Note, md: MarkdownIt, run: RenderSettings
    ) -> RenderedNote:
        """A note's HTML for a page being rendered: from memory, the cache, or rendered now
        (when its cache entry has gone since the last build)."""
        rendered = self.rendered.get(key)
        if rendered is None and run.store is not None:
            rendered = run.store.get(key)
        if rendered is None:
            rendered = render_one(md, with_body(note, run.config))
            if run.store is not None and run.save:
                run.store.put(key, rendered)
        self.rendered[key] = rendered
        return rendered

    def _load_search(
        self, key: str, store: RenderStore | None, load: Callable[[], RenderedNote]
    ) -> SearchPart:
        """A note's text and search keys for a search shard: from memory, from the first
        line of its cache entry, or from the whole note (``load``)."""
        if key not in self.rendered and store is not None:
            part = store.get_search(key)
            if part is not None:
                return part
        rendered = load()
        return rendered.text, rendered.search_keys


class UnknownShortcodes:
    """Gathers the notes' diagnostics for the build, the per-use "unknown shortcode" ones
    into one per shortcode name listing every ``file:line`` that uses it."""

    def __init__(self) -> None:
        self.others: list[Diagnostic] = []
        self.uses: dict[str, list[Diagnostic]] = {}

    def extend(self, diags: list[Diagnostic]) -> None:
        for diag in diags:
            name = unknown_name(diag)
            if name is None:
                self.others.append(diag)
            else:
                self.uses.setdefault(name, []).append(diag)

    def report(self, reporter: Reporter, warn: bool) -> None:
        reporter.extend(self.others)
        severity = Severity.WARNING if warn else Severity.ERROR
        for name, uses in sorted(self.uses.items()):
            uses.sort(key=lambda d: (d.path, d.line or 0))
            where = ", ".join(d.path + (f":{d.line}" if d.line else "") for d in uses)
            count = f"{len(uses)} uses" if len(uses) > 1 else "1 use"
            message = f"unknown shortcode '{name}' ({count}: {where})"
            if warn:
                message += "; shown marked on the page"
            first = uses[0]
            reporter.add(
                Diagnostic(first.path, first.line, severity, message, hint=unknown_hint(name))
            )


def _targets(facts: NoteFacts) -> list[tuple[str, str]]:
    """A note's links without their lines."""
    return [(link.url, link.kind) for link in facts.links]


def _key(note: Note, parser: Parser) -> str:
    """:func:`render_key` of ``note`` under ``parser``'s settings and images."""
    images = parser.images.note_key(note) if parser.images else ""
    return render_key(note.digest, note.rel, parser.context, images)


def _lastmod(note: Note) -> str:
    return note.lastmod.isoformat() if note.lastmod else ""


def with_body(note: Note, config: SiteConfig) -> Note:
    """The note with its body (notes restored from ``.cache/notes.json`` have none)."""
    return note if note.body_loaded else load_note(note.source, config)


def page_stub(note: Note) -> dict[str, Any]:
    return {"title": note.title, "rel": note.rel, "url": note.url, "params": note.params}


def render_one(md: MarkdownIt, note: Note) -> RenderedNote:
    rendered = render_markdown(md, note.body, note.display_path, note.body_line, page_stub(note))
    rendered.search_keys = packed_keys(note.title, note.tags, rendered.text)
    return rendered


@dataclass
class RenderJob:
    """What rendering workers inherit: the parser, the store and the whole work list
    (only index ranges travel to them, not the notes' text)."""

    md: MarkdownIt
    store: RenderStore | None
    todo: list[tuple[str, Note]]


def _render_and_keep(job: RenderJob, i: int) -> tuple[RenderedNote, NoteFacts]:
    """Render a note, put it into the cache and work out its facts (in a worker, when
    there are many: the cache entries are written by the workers)."""
    key, note = job.todo[i]
    rendered = render_one(job.md, note)
    if job.store is not None:
        job.store.put(key, rendered)
    return rendered, NoteFacts.of(note.description, rendered)


def _render_range(job: RenderJob, bounds: tuple[int, int]) -> list[tuple[RenderedNote, NoteFacts]]:
    return [_render_and_keep(job, i) for i in range(*bounds)]


def _size(todo: list[tuple[str, Note]]) -> int:
    return sum(len(note.body) for _, note in todo)


def render_all(
    md: MarkdownIt,
    todo: list[tuple[str, Note]],
    jobs: int,
    progress: Progress | None = None,
    store: RenderStore | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> list[tuple[RenderedNote, NoteFacts]]:
    """Render notes (``(cache key, note)``) and put each into ``store``; with many notes and
    several CPUs, in forked worker processes that inherit the configured parser and the
    notes (Markdown rendering is pure: same input, same output).
    ``progress(done, total)`` is called as notes finish. ``meanwhile()`` is called once the
    workers have their work, so that this process does it while they render (only
    then: a small build runs it nowhere, and its pages phase does what it needs)."""
    job = RenderJob(md, store, todo)
    count = workers(jobs)
    results: list[tuple[RenderedNote, NoteFacts]] = []
    if count < 2 or len(todo) < PARALLEL_THRESHOLD or _size(todo) < PARALLEL_CHARS:
        for i in range(len(todo)):
            results.append(_render_and_keep(job, i))
            if progress:
                progress(len(results), len(todo))
        return results
    size = chunk_size(len(todo), count)
    bounds = [(i, min(i + size, len(todo))) for i in range(0, len(todo), size)]
    for done in fork_map(_render_range, job, bounds, count, meanwhile):
        results.extend(done)
        if progress:
            progress(len(results), len(todo))
    return results
