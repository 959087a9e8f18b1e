"""The build pipeline: discover -> load -> render Markdown -> assemble -> write.

Everything is read and rendered in memory first; only a build without errors is written,
aside, and then swapped in, so a failed build never touches the published site.
Each output page records the notes and templates it depends on (``PageSpec``); the
:class:`Builder` keeps rendered notes and pages between builds and re-renders only what
changed, which is what ``serve`` and the build cache rely on.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import filecmp
import gc
import hashlib
import json
import operator
import os
import posixpath
import shutil
import time
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup
from pygments import __version__ as pygments_version

from awsnotes_site import cache as render_cache
from awsnotes_site.cache import SearchPart
from awsnotes_site.config import SiteConfig, load_config
from awsnotes_site.content import Note, discover, is_published, load_note, slugify_name
from awsnotes_site.diagnostics import BuildError, Diagnostic, Reporter, Severity, error
from awsnotes_site.feeds import FEED_LIMIT, FeedItem, atom, robots, rss, sitemap
from awsnotes_site.gitdates import git_lastmod
from awsnotes_site.markdown import (
    RENDERER_VERSION,
    NoteFacts,
    RenderedNote,
    create_markdown,
    render_markdown,
)
from awsnotes_site.markdown.headings import toc_tree
from awsnotes_site.markdown.highlight import stylesheet
from awsnotes_site.markdown.registry import RefResolver, ShortcodeRegistry
from awsnotes_site.markdown.urls import with_base
from awsnotes_site.outputindex import OutputIndex
from awsnotes_site.search import (
    SearchDoc,
    ShardMemo,
    build_manifest,
    build_shard,
    packed_keys,
    shard_count,
    shard_of,
    shard_path,
)
from awsnotes_site.taxonomies import Term, group_terms, related_notes, series_order
from awsnotes_site.templating import (
    TemplateHashes,
    create_environment,
    forget_templates,
    iri_to_uri,
    template_error,
)


@dataclass
class BuildOptions:
    drafts: bool = False
    future: bool = False
    base_url: str | None = None
    output: str | None = None
    strict: bool = False
    use_cache: bool = True
    save_cache: bool = True  # write newly rendered notes to .cache/ (serve: off)
    progress: Callable[[int, int], None] | None = None  # (notes rendered, to render)
    live_reload: bool = False
    now: dt.datetime | None = None
    jobs: int = 0  # worker processes for rendering notes; 0 = one per CPU
    stage: Path | None = None  # a new, empty folder: workers may write pages into it
    parallel_pages: int = 200  # render pages in workers when at least this many changed


# Notes whose body, HTML, text or TOC the page being rendered used (see NoteView.rendered):
# a page depends on the whole of those notes, and only on the front matter, summary and
# reading time of the others it lists.
_USED: set[str] | None = None


@dataclass(eq=False)
class NoteView:
    """What templates see as ``page`` on a note (and as items of lists). The rendered
    note is loaded on first use (``load``), so a rebuild that reuses most pages never
    reads most notes' HTML."""

    note: Note
    facts: NoteFacts
    load: Callable[[], RenderedNote]
    load_search: Callable[[], SearchPart] | None = None  # text and keys alone, when cheaper
    key: str = ""  # render cache key: changes with the note's bytes and the renderer
    card: str = ""  # digest of what lists show of the note (front matter, summary...)
    tags: list[Term] = field(default_factory=list)
    series: list[dict[str, Any]] = field(default_factory=list)
    prev: NoteView | None = None
    next: NoteView | None = None
    related: list[NoteView] = field(default_factory=list)
    loaded: RenderedNote | None = None

    def __getattr__(self, name: str) -> Any:
        if name == "body" and _USED is not None:
            _USED.add(self.note.rel)
        return getattr(self.note, name)

    @property
    def rendered(self) -> RenderedNote:
        if _USED is not None:
            _USED.add(self.note.rel)
        if self.loaded is None:
            self.loaded = self.load()
        return self.loaded

    @property
    def text(self) -> str:
        return self.rendered.text

    @property
    def search_part(self) -> SearchPart:
        """The note's plain text and packed search keys: a use of its body, like
        ``rendered``, but read without its HTML when not in memory."""
        if self.loaded is not None or self.load_search is None:
            rendered = self.rendered
            return rendered.text, rendered.search_keys
        if _USED is not None:
            _USED.add(self.note.rel)
        return self.load_search()

    @property
    def summary(self) -> str:
        return self.facts.summary

    @property
    def reading_time(self) -> int:
        return self.facts.minutes

    @property
    def content(self) -> Markup:
        return Markup(self.rendered.html)

    @property
    def toc(self) -> list[dict[str, Any]]:
        return toc_tree(self.rendered.toc)

    @property
    def kind(self) -> str:
        return "note"


# The note's front matter fields that templates read most, as properties: a lookup that
# fails over to __getattr__ costs an AttributeError each time (tens of thousands a build).
for _field in ("rel", "url", "title", "date", "lastmod", "slug", "section", "description"):
    setattr(NoteView, _field, property(operator.attrgetter(f"note.{_field}")))


@dataclass
class PageSpec:
    """One output page: where it goes, the template, and what it depends on."""

    path: str  # output path relative to the site root, e.g. "posts/x/index.html"
    template: str
    deps: tuple[Note, ...]
    key: tuple[Any, ...]
    context: Callable[[], dict[str, Any]]
    source: str = ""  # display path of the note behind the page, if any
    render: Callable[[], bytes] | None = None  # for generated files (no template)


@dataclass
class BuildStats:
    notes: int = 0
    pages: int = 0
    rendered_notes: int = 0
    rendered_pages: int = 0
    files: int = 0
    seconds: float = 0.0


@dataclass
class BuildResult:
    config: SiteConfig
    files: PageFiles
    static: dict[str, Path]
    diagnostics: list[Diagnostic]
    notes: list[NoteView]
    page_sources: dict[str, str]
    stats: BuildStats
    deps: dict[str, frozenset[str]]
    unchanged: frozenset[str] = frozenset()  # files read back from the published output

    def all_paths(self) -> set[str]:
        return set(self.files) | set(self.static)


class PageFiles(Mapping[str, bytes]):
    """The generated files of a build: rendered now (in memory), or reused as the last
    build published them (read from the output folder only when asked for)."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.fresh: dict[str, bytes] = {}
        self.reused: set[str] = set()
        self.in_stage: set[str] = set()

    def __setitem__(self, path: str, data: bytes) -> None:
        self.fresh[path] = data
        self.reused.discard(path)

    def reuse(self, path: str) -> None:
        self.reused.add(path)
        self.fresh.pop(path, None)

    def staged(self, path: str) -> None:
        """Written by a worker into the staging folder, which becomes the output folder."""
        self.in_stage.add(path)

    def __getitem__(self, path: str) -> bytes:
        if path in self.fresh:
            return self.fresh[path]
        if path in self.reused or path in self.in_stage:
            return (self.out_dir / path).read_bytes()
        raise KeyError(path)

    def __contains__(self, path: object) -> bool:
        return path in self.fresh or path in self.reused or path in self.in_stage

    def __iter__(self) -> Iterator[str]:
        yield from self.fresh
        yield from self.reused
        yield from self.in_stage

    def __len__(self) -> int:
        return len(self.fresh) + len(self.reused) + len(self.in_stage)


def output_path(url: str) -> str:
    """``posts/x/`` -> ``posts/x/index.html``; ``""`` -> ``index.html``."""
    return f"{url}index.html" if url.endswith("/") or not url else url


class Builder:
    """Builds a site; keeps caches between builds so rebuilds do only what changed."""

    def __init__(self, root: Path, options: BuildOptions) -> None:
        self.root = root
        self.options = options
        self._notes: dict[Path, tuple[tuple[int, int], Note]] = {}
        self._rendered: dict[str, RenderedNote] = {}
        self._facts: dict[str, NoteFacts] = {}
        self._records: dict[str, render_cache.NoteRecord] | None = None
        self._keys: dict[Path, str] = {}
        self._pages: dict[str, tuple[str, frozenset[str], bytes | None]] = {}
        self._rendered_count = 0
        self._reused: set[str] = set()
        self._shard_memos: dict[str, ShardMemo] = {}
        self._disk_pages: dict[str, render_cache.PageRecord] | None = None
        self._page_used: dict[str, frozenset[str]] = {}
        self._card_parts: dict[str, str] = {}  # note path -> its card, for signatures
        self._key_parts: dict[str, str] = {}  # note path -> its render key, for signatures
        self._store: render_cache.RenderStore | None = None
        self._problems: list[str] = []
        self._out = Path()
        self._missing = MissingTargets()
        self._parser: (
            tuple[dict[str, str], str, jinja2.Environment, RefResolver, MarkdownIt] | None
        ) = None
        self._folders: tuple[tuple[tuple[str, int], ...], list[Path], list[Diagnostic]] | None
        self._folders = None
        self._card_memo: dict[tuple[str, str], str] = {}
        self._jinja: tuple[str, jinja2.Environment, tuple[Any, ...], TemplateHashes] | None = None

    # -- the pipeline ---------------------------------------------------------------
    def build(self) -> BuildResult:
        started = time.perf_counter()
        reporter = Reporter()
        self._reused = set()
        config, warns = load_config(self.root, self.options.base_url, self.options.output)
        self._out = config.output_path
        reporter.extend(warns)
        now = self.options.now or _now(config)
        notes = self._load_notes(config, reporter)
        if config.lastmod == "git":
            _apply_git_dates(config, notes)
        published = [
            n for n in notes if is_published(n, now, self.options.drafts, self.options.future)
        ]
        published.sort(key=lambda n: n.sort_key)
        published = _unique_urls(published, reporter)
        jinja, hashes = self._templates(config)
        meanwhile = partial(self._prepare_pages, config, published, jinja, hashes)
        views = self._render_notes(config, published, jinja, reporter, meanwhile)
        specs = assemble(config, views, self.options) + plan_generated(
            config, views, self._shard_memos
        )
        files = PageFiles(config.output_path)
        page_sources: dict[str, str] = {}
        stats = BuildStats(notes=len(views), rendered_notes=self._rendered_count)
        deps: dict[str, frozenset[str]] = {}
        self._render_pages(config, specs, jinja, hashes, files, page_sources, deps, stats, reporter)
        if self._store is not None:
            self._problems += self._store.problems
            self._store.problems = []
        _report_cache_problems(self._problems, reporter)
        self._problems = []
        static = collect_static(config, reporter)
        for path in static:
            if path in files:
                reporter.add(
                    error(
                        config.static_dir / path.removeprefix("static/"),
                        None,
                        f"static file would overwrite generated /{path}",
                    )
                )
        self._missing.check(config, views, [*files, *static], reporter)
        if reporter.errors or (self.options.strict and reporter.items):
            raise BuildError(reporter.items)
        stats.pages = sum(1 for spec in specs if spec.template)
        stats.files = len(files) + len(static)
        stats.seconds = time.perf_counter() - started
        return BuildResult(
            config,
            files,
            static,
            reporter.items,
            views,
            page_sources,
            stats,
            deps,
            frozenset(self._reused),
        )

    def _load_notes(self, config: SiteConfig, reporter: Reporter) -> list[Note]:
        """Every note's front matter: from this Builder's memory or ``.cache/notes.json``
        when the file's size and modification time are unchanged, else read and parsed
        (by worker processes when there are many)."""
        paths, diags = self._discover(config.content_dir)
        reporter.extend(diags)
        records = self._disk_records(config)
        found: list[tuple[Path, tuple[int, int], Note | None]] = []
        for path in paths:
            try:
                st = path.stat()
            except OSError:
                reporter.add(error(path, None, "note disappeared while building"))
                continue
            stamp = (st.st_mtime_ns, st.st_size)
            cached = self._notes.get(path)
            record = records.get(str(path))
            if cached and cached[0] == stamp:
                found.append((path, stamp, cached[1]))
            elif record is not None and record.stamp == stamp:
                found.append((path, stamp, record.note))
            else:
                found.append((path, stamp, None))
        loaded = load_all(
            [path for path, _, note in found if note is None], config, self.options.jobs
        )
        notes: list[Note] = []
        seen: dict[Path, tuple[tuple[int, int], Note]] = {}
        for path, stamp, known in found:
            note_or_error = known if known is not None else loaded[path]
            if isinstance(note_or_error, BuildError):
                reporter.extend(note_or_error.diagnostics)
                continue
            seen[path] = (stamp, note_or_error)
            reporter.extend(note_or_error.diagnostics)
            notes.append(note_or_error)
        self._notes = seen
        return notes

    def _discover(self, content_dir: Path) -> tuple[list[Path], list[Diagnostic]]:
        """:func:`discover`, skipped while no folder it walked changed (a folder's
        modification time changes when a file in it is added, removed or renamed)."""
        if self._folders is not None:
            stamps, paths, diags = self._folders
            try:
                if all(os.stat(f).st_mtime_ns == t for f, t in stamps):
                    return list(paths), list(diags)
            except OSError:
                pass
        folders: list[Path] = []
        paths, diags = discover(content_dir, folders)
        self._folders = None
        if folders:  # (no content folder: nothing to watch, look again next time)
            with contextlib.suppress(OSError):
                stamps = tuple((str(f), os.stat(f).st_mtime_ns) for f in folders)
                self._folders = (stamps, paths, diags)
        return list(paths), list(diags)

    def _disk_records(self, config: SiteConfig) -> dict[str, render_cache.NoteRecord]:
        """``.cache/notes.json`` of the last CLI build, read once per Builder."""
        if not self.options.use_cache:
            return {}
        if self._records is None:
            self._records, problem = render_cache.load_notes(
                config.root / ".cache", self._notes_context(config), config.tz
            )
            if problem:
                self._problems.append(problem)
        return self._records

    @staticmethod
    def _notes_context(config: SiteConfig) -> str:
        return f"{RENDERER_VERSION}:{code_digest()}:{config.fingerprint()}:{config.root}"

    def _render_notes(
        self,
        config: SiteConfig,
        notes: list[Note],
        jinja: jinja2.Environment,
        reporter: Reporter,
        meanwhile: Callable[[], None] | None = None,
    ) -> list[NoteView]:
        """Render the notes that need it (``meanwhile``: see :func:`render_all`) and
        return a view of every note."""
        urls = {n.rel: n.url for n in notes}
        shortcode_hash = _shortcodes_digest(config.templates_dir)
        context = f"{RENDERER_VERSION}:{code_digest()}:{config.fingerprint()}:{shortcode_hash}"
        jinja.globals["site"] = site_view(config)
        if self._parser is not None and self._parser[:3] == (urls, context, jinja):
            resolver, md = self._parser[3], self._parser[4]  # same notes, URLs and settings
        else:
            resolver = RefResolver(urls)
            registry = ShortcodeRegistry(
                config.templates_dir, jinja, resolver, config.base_path, config.absolute_base
            )
            md = create_markdown(
                registry, config.base_path, config.toc_min_level, config.toc_max_level
            )
            self._parser = (urls, context, jinja, resolver, md)
        keys = [render_cache.key(n.digest, n.rel, context) for n in notes]
        store = render_cache.RenderStore(config.root / ".cache") if self.options.use_cache else None
        records = self._disk_records(config)
        todo: list[tuple[str, Note]] = []
        for key, note in zip(keys, notes, strict=True):
            facts = self._facts.get(key)
            if facts is None:
                record = records.get(str(note.source))
                if record is not None and record.key == key and record.facts is not None:
                    facts = self._facts[key] = record.facts
            if facts is None and store is not None:
                rendered = store.get(key)
                if rendered is not None:
                    self._rendered[key] = rendered
                    facts = self._facts[key] = NoteFacts.of(note.description, rendered)
            if facts is None or any(
                resolver.resolve(t, note.rel) != url for t, url in facts.refs.items()
            ):
                todo.append((key, _with_body(note, config)))
        saver = store if store is not None and self.options.save_cache else None
        rendered_list = render_all(
            md, todo, self.options.jobs, self.options.progress, saver, meanwhile
        )
        self._rendered_count = len(rendered_list)
        for (key, _), (rendered, facts) in zip(todo, rendered_list, strict=True):
            self._rendered[key] = rendered
            self._facts[key] = facts
        self._store = store
        views: list[NoteView] = []
        for key, note in zip(keys, notes, strict=True):
            facts = self._facts[key]
            reporter.extend(facts.diagnostics)
            load = partial(self._load_rendered, key, note, md, store, config)
            views.append(
                NoteView(
                    note,
                    facts,
                    load,
                    partial(self._load_search, key, store, load),
                    key,
                    self._card(key, note, facts),
                    loaded=self._rendered.get(key),
                )
            )
        self._keys = {n.source: k for n, k in zip(notes, keys, strict=True)}
        self._card_parts = {v.note.rel: f"\0{v.note.rel}:{v.card}" for v in views}
        self._key_parts = {v.note.rel: f"\1{v.note.rel}:{v.key}" for v in views}
        live = set(keys)
        self._rendered = {k: r for k, r in self._rendered.items() if k in live}
        self._facts = {k: f for k, f in self._facts.items() if k in live}
        self._card_memo = {m: c for m, c in self._card_memo.items() if m[0] in live}
        return views

    def _prepare_pages(
        self,
        config: SiteConfig,
        notes: list[Note],
        jinja: jinja2.Environment,
        hashes: TemplateHashes,
    ) -> None:
        """What the pages phase needs that no rendered note changes, done while workers
        render: every page template compiled (the page workers inherit them) and hashed,
        and the related notes ranked. Problems are left for the pages phase, which reports
        those of the templates it uses (a broken file no page uses stays harmless)."""
        for name in jinja.list_templates(filter_func=_is_page_template):
            with contextlib.suppress(jinja2.TemplateError, ValueError, OSError, BuildError):
                jinja.get_template(name)
                hashes.digest(name)
        _related(notes, config.root / ".cache" if self.options.use_cache else None)

    def _card(self, key: str, note: Note, facts: NoteFacts) -> str:
        """:func:`_card`, remembered per render key (which covers the note's bytes, hence
        its front matter and facts) and date from git."""
        memo = (key, note.lastmod.isoformat() if note.lastmod else "")
        card = self._card_memo.get(memo)
        if card is None:
            card = self._card_memo[memo] = _card(note, facts)
        return card

    def _load_rendered(
        self,
        key: str,
        note: Note,
        md: MarkdownIt,
        store: render_cache.RenderStore | None,
        config: SiteConfig,
    ) -> RenderedNote:
        """A note's HTML for a page being rendered: from memory, the cache, or rendered now
        (when its cache entry has gone since the last build)."""
        rendered = self._rendered.get(key)
        if rendered is None and store is not None:
            rendered = store.get(key)
        if rendered is None:
            rendered = _render_one(md, _with_body(note, config))
            if store is not None and self.options.save_cache:
                store.put(key, rendered)
        self._rendered[key] = rendered
        return rendered

    def _load_search(
        self, key: str, store: render_cache.RenderStore | None, load: Callable[[], RenderedNote]
    ) -> SearchPart:
        """A note's text and search keys for a search shard: from memory, from the first
        line of its cache entry, or from the whole note (``load``)."""
        if key not in self._rendered and store is not None:
            part = store.get_search(key)
            if part is not None:
                return part
        rendered = load()
        return rendered.text, rendered.search_keys

    def _render_pages(
        self,
        config: SiteConfig,
        specs: list[PageSpec],
        jinja: jinja2.Environment,
        hashes: TemplateHashes,
        files: PageFiles,
        page_sources: dict[str, str],
        deps: dict[str, frozenset[str]],
        stats: BuildStats,
        reporter: Reporter,
    ) -> None:
        fp = f"{code_digest()}:{config.fingerprint()}:{self.options.live_reload}"
        pages: dict[str, tuple[str, frozenset[str], bytes | None]] = {}
        used_by: dict[str, frozenset[str]] = {}
        todo: list[tuple[PageSpec, str]] = []
        for spec in specs:
            if spec.path in page_sources:
                owner = page_sources[spec.path] or spec.path
                reporter.add(
                    error(
                        spec.source or spec.path,
                        None,
                        f"two pages on one URL /{spec.path} (also {owner})",
                    )
                )
                continue
            page_sources[spec.path] = spec.source
            template_digest = hashes.digest(spec.template) if spec.template else ""
            head = _signature_head(spec, template_digest, fp)
            deps[spec.path] = frozenset(
                [
                    *(n.display_path for n in spec.deps),
                    *(
                        f"templates/{t}"
                        for t in (hashes.closure(spec.template) if spec.template else ())
                    ),
                ]
            )
            reused = self._reuse(config, spec, head)
            if reused is None:
                todo.append((spec, head))
                continue
            signature, used, data = reused
            used_by[spec.path] = used
            pages[spec.path] = (signature, used, data)
            if data is not None:
                files[spec.path] = data
            else:
                files.reuse(spec.path)
                self._reused.add(spec.path)
        stage = self.options.stage
        if stage is not None and len(todo) >= self.options.parallel_pages:
            done = _render_pages_forked(self, todo, jinja, config, stage, self.options.jobs)
        else:
            done = [self._render_page(spec, head, jinja, config, None) for spec, head in todo]
        for page in done:
            if page.problem is not None:
                reporter.add(page.problem)
                page_sources.pop(page.path, None)
                deps.pop(page.path, None)
                continue
            stats.rendered_pages += page.templated
            used_by[page.path] = page.used
            pages[page.path] = (page.signature, page.used, page.data)
            if page.data is not None:
                files[page.path] = page.data
            else:
                files.staged(page.path)
        self._pages = pages
        self._page_used = used_by

    def _render_page(
        self,
        spec: PageSpec,
        head: str,
        jinja: jinja2.Environment,
        config: SiteConfig,
        stage: Path | None,
    ) -> RenderedPage:
        """Render one page, noting which notes' bodies it used; with ``stage``, write it
        there and keep no bytes (worker processes)."""
        global _USED
        _USED = set()
        try:
            if spec.render is not None:
                data = spec.render()
            else:
                template = jinja.get_template(spec.template)
                data = template.render(**spec.context()).encode("utf-8")
        except (jinja2.TemplateError, TypeError, ValueError, AttributeError) as exc:
            problem = template_error(exc, config.templates_dir, config.root)
            return RenderedPage(spec.path, "", frozenset(), None, 0, problem)
        finally:
            used = frozenset(_USED)
            _USED = None
        signature = self._signature(head, spec, used)
        templated = 0 if spec.render is not None else 1
        if stage is None:
            return RenderedPage(spec.path, signature, used, data, templated)
        _write_staged(stage, spec.path, data)
        return RenderedPage(spec.path, signature, used, None, templated)

    def _signature(self, head: str, spec: PageSpec, used: frozenset[str]) -> str:
        """What a page is made of: its template, settings and key (``head``), what it shows
        of each note it lists (``card``), and all of the notes whose body or HTML it used
        when last rendered (render key). Same signature, same bytes."""
        cards, keys = self._card_parts, self._key_parts
        text = "".join(
            [
                head,
                *[cards.get(n.rel) or f"\0{n.rel}:" for n in spec.deps],
                *[keys.get(rel) or f"\1{rel}:?" for rel in sorted(used)],
            ]
        )
        return hashlib.sha256(text.encode()).hexdigest()

    def _reuse(
        self, config: SiteConfig, spec: PageSpec, head: str
    ) -> tuple[str, frozenset[str], bytes | None] | None:
        """The page from the last build if its inputs are unchanged: from memory (serve), or
        as published by the last CLI build (``data`` None: the file in the output folder
        is it, unchanged since it was written, by size and modification time)."""
        cached = self._pages.get(spec.path)
        if cached is not None:
            signature = self._signature(head, spec, cached[1])
            if signature == cached[0]:
                return signature, cached[1], cached[2]
        if not self.options.use_cache:
            return None
        if self._disk_pages is None:
            self._disk_pages = render_cache.load_pages(config.root / ".cache", self._out)
        entry = self._disk_pages.get(spec.path)
        if entry is None:
            return None
        signature = self._signature(head, spec, entry.used)
        if signature != entry.signature:
            return None
        try:
            st = os.stat(os.path.join(self._out, spec.path))
        except OSError:
            return None
        if (st.st_size, st.st_mtime_ns) != (entry.size, entry.mtime_ns):
            return None
        return signature, entry.used, None

    def _templates(self, config: SiteConfig) -> tuple[jinja2.Environment, TemplateHashes]:
        """The Jinja environment (kept while the config is the same, so compiled templates
        are reused until a file in templates/ changes) and template hashes
        (kept while no file in templates/ changed; across CLI builds in .cache/)."""
        stamp = _tree_stamp(config.templates_dir)
        fingerprint = config.fingerprint() + str(config.root)
        folder = config.root / ".cache"
        if self._jinja is None or self._jinja[0] != fingerprint:
            env = create_environment(
                config, folder / JINJA_DIR if self.options.use_cache else None
            )
        elif self._jinja[2] != stamp:
            env = self._jinja[1]
            forget_templates(env)
        else:
            return self._jinja[1], self._jinja[3]
        hashes = TemplateHashes(env, config.templates_dir, config.root)
        if self.options.use_cache:
            hashes.preload(render_cache.load_templates(folder, repr(stamp)))
        self._jinja = (fingerprint, env, stamp, hashes)
        return env, hashes

    # -- the persistent caches --------------------------------------------------------
    def save_caches(self, config: SiteConfig) -> None:
        """Remember, for the next CLI build, each note's front matter and facts
        (``notes.json``) and each published page's inputs and file stamp (``pages.json``)."""
        if not self.options.use_cache or not self.options.save_cache:
            return
        folder = config.root / ".cache"
        out = config.output_path
        pages: dict[str, render_cache.PageRecord] = {}
        old = self._disk_pages or {}
        for path, used in self._page_used.items():
            fresh = self._pages.get(path)
            if fresh is None:
                if path in old:
                    pages[path] = old[path]
                continue
            if path in self._reused and path in old and old[path].signature == fresh[0]:
                pages[path] = old[path]  # as published before; its stamp was checked
                continue
            try:
                st = os.stat(out / path)
            except OSError:
                continue
            pages[path] = render_cache.PageRecord(fresh[0], st.st_size, st.st_mtime_ns, used)
        render_cache.save_pages(folder, out, pages)
        if self._jinja is not None:
            render_cache.save_templates(folder, repr(self._jinja[2]), self._jinja[3].export())
        records: dict[str, render_cache.NoteRecord] = {}
        previous = self._records or {}
        for source, (stamp, note) in self._notes.items():
            key = self._keys.get(source, "")
            facts = self._facts.get(key)
            old_record = previous.get(str(source))
            if (
                old_record is not None
                and old_record.stamp == stamp
                and old_record.key == key
                and (
                    (old_record.note is note and old_record.facts is facts)  # the usual case
                    or (old_record.note == note and old_record.facts == facts)
                )
            ):
                records[str(source)] = old_record  # unchanged: written back as read
            else:
                records[str(source)] = render_cache.NoteRecord(stamp, note, key, facts)
        if records != self._records:
            render_cache.save_notes(folder, self._notes_context(config), records, config.tz)
            self._records = records


# -- rendering notes, in parallel when there are many -------------------------------
PARALLEL_THRESHOLD = 64
# Loading is cheap (~0.16 ms a note): below this many notes, worker processes cost more
# than they save (1,000 notes: 0.16 s in-process, 0.17-0.19 s with 2 workers; 10,000:
# 1.6 s and 1.3 s).
PARALLEL_LOAD_MIN = 2000
CHUNKS_PER_WORKER = 32  # work is handed out in chunks of 1/(workers * this) of the whole
JINJA_DIR = "jinja"  # compiled templates (Jinja's own bytecode cache)
CACHE_PROBLEMS_SHOWN = 3
_WORKER_MD: MarkdownIt | None = None
_WORKER_STORE: render_cache.RenderStore | None = None
_WORKER_TODO: list[tuple[str, Note]] = []


def _load_or_error(
    path: Path, config: SiteConfig, folders: dict[Path, str] | None = None
) -> Note | BuildError:
    try:
        return load_note(path, config, folders)
    except BuildError as exc:
        return exc


_WORKER_CONFIG: SiteConfig | None = None
_WORKER_FOLDERS: dict[Path, str] = {}  # a forked worker's resolved note folders


def _worker_load(path: Path) -> Note | BuildError:
    assert _WORKER_CONFIG is not None
    return _load_or_error(path, _WORKER_CONFIG, _WORKER_FOLDERS)


def load_all(paths: list[Path], config: SiteConfig, jobs: int) -> dict[Path, Note | BuildError]:
    """Read and parse notes; many of them (a cold build) in forked worker processes."""
    workers = _workers(jobs)
    if workers < 2 or len(paths) < PARALLEL_LOAD_MIN:
        folders: dict[Path, str] = {}
        return {path: _load_or_error(path, config, folders) for path in paths}
    global _WORKER_CONFIG
    _WORKER_CONFIG = config
    _WORKER_FOLDERS.clear()
    try:
        chunk = max(1, len(paths) // (workers * CHUNKS_PER_WORKER))
        with _forked_pool(workers) as pool:
            return dict(zip(paths, pool.map(_worker_load, paths, chunksize=chunk), strict=True))
    finally:
        _WORKER_CONFIG = None


def _is_page_template(name: str) -> bool:
    """Templates of pages and their parts (shortcode templates render inside notes)."""
    return not name.startswith("shortcodes/") and name.endswith((".html", ".xml"))


def _workers(jobs: int) -> int:
    """Worker processes to use: ``jobs``, else one per CPU; 1 where processes cannot fork."""
    return (jobs or os.cpu_count() or 1) if hasattr(os, "fork") else 1


@contextlib.contextmanager
def _forked_pool(workers: int) -> Iterator[Any]:
    """A pool of forked workers that inherit this process's state (parser, notes, site).
    The collector is frozen meanwhile, so the workers' collections leave the inherited
    objects (and the memory pages they sit on) alone."""
    import multiprocessing as mp  # imported here: small rebuilds run in-process
    from concurrent.futures import ProcessPoolExecutor

    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("fork")) as pool:
            yield pool
    finally:
        gc.unfreeze()


def _page_stub(note: Note) -> dict[str, Any]:
    return {"title": note.title, "rel": note.rel, "url": note.url, "params": note.params}


def _render_one(md: MarkdownIt, note: Note) -> RenderedNote:
    rendered = render_markdown(md, note.body, note.display_path, note.body_line, _page_stub(note))
    rendered.search_keys = packed_keys(note.title, note.tags, rendered.text)
    return rendered


def _render_and_keep(
    md: MarkdownIt, store: render_cache.RenderStore | None, key: str, note: Note
) -> tuple[RenderedNote, NoteFacts]:
    """Render a note, put it into the cache and work out its facts (in a worker, when
    there are many: the cache entries are written by the workers)."""
    rendered = _render_one(md, note)
    if store is not None:
        store.put(key, rendered)
    return rendered, NoteFacts.of(note.description, rendered)


def _worker_render(bounds: tuple[int, int]) -> list[tuple[RenderedNote, NoteFacts]]:
    """Render the tasks ``bounds`` of the list the worker inherited (only two numbers
    travel to the worker, not the notes' text)."""
    assert _WORKER_MD is not None
    todo = _WORKER_TODO
    return [_render_and_keep(_WORKER_MD, _WORKER_STORE, *todo[i]) for i in range(*bounds)]


@dataclass
class RenderedPage:
    path: str
    signature: str
    used: frozenset[str]
    data: bytes | None  # None: written into the staging folder by a worker
    templated: int  # 1 for a page from a template, 0 for a generated file
    problem: Diagnostic | None = None


_WORKER_PAGES: tuple[Builder, list[tuple[PageSpec, str]], jinja2.Environment, SiteConfig, Path]
_WORKER_PAGES = None  # type: ignore[assignment]


def _worker_pages(indices: list[int]) -> list[RenderedPage]:
    builder, todo, jinja, config, stage = _WORKER_PAGES
    return [builder._render_page(*todo[i], jinja, config, stage) for i in indices]


def _render_pages_forked(
    builder: Builder,
    todo: list[tuple[PageSpec, str]],
    jinja: jinja2.Environment,
    config: SiteConfig,
    stage: Path,
    jobs: int,
) -> list[RenderedPage]:
    """Render pages in forked workers that inherit the assembled site and write each page
    straight into the staging folder: only paths, signatures and problems come back."""
    workers = _workers(jobs)
    _MADE.clear()  # a new staging folder (the workers fork with this empty)
    if workers < 2:
        return [builder._render_page(spec, head, jinja, config, stage) for spec, head in todo]
    global _WORKER_PAGES
    for name in sorted({spec.template for spec, _ in todo if spec.template}):
        with contextlib.suppress(jinja2.TemplateError):
            jinja.get_template(name)  # compiled once, before the fork
    _WORKER_PAGES = (builder, todo, jinja, config, stage)
    try:
        # Generated files (search shards, feeds: the slowest) first and small chunks, so
        # that no worker is left with a long last chunk while the others wait.
        order = sorted(range(len(todo)), key=lambda i: todo[i][0].render is None)
        size = max(1, len(todo) // (workers * CHUNKS_PER_WORKER))
        chunks = [order[i : i + size] for i in range(0, len(order), size)]
        results: list[RenderedPage | None] = [None] * len(todo)
        with _forked_pool(workers) as pool:
            for indices, part in zip(chunks, pool.map(_worker_pages, chunks), strict=True):
                for i, page in zip(indices, part, strict=True):
                    results[i] = page
        return [page for page in results if page is not None]
    finally:
        _WORKER_PAGES = None  # type: ignore[assignment]


Progress = Callable[[int, int], None]


def render_all(
    md: MarkdownIt,
    todo: list[tuple[str, Note]],
    jobs: int,
    progress: Progress | None = None,
    store: render_cache.RenderStore | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> list[tuple[RenderedNote, NoteFacts]]:
    """Render notes (``(cache key, note)``) and put each into ``store``; with many notes and
    several CPUs, in forked worker processes that inherit the configured parser and the
    notes (Markdown rendering is pure: same input, same output), are handed index ranges
    and write the cache entries themselves.
    ``progress(done, total)`` is called as notes finish. ``meanwhile()`` is called once the
    workers have their work, so that this process does it while they render (only
    then: a small build runs it nowhere, and its pages phase does what it needs)."""
    workers = _workers(jobs)
    results: list[tuple[RenderedNote, NoteFacts]] = []
    if workers < 2 or len(todo) < PARALLEL_THRESHOLD:
        for key, note in todo:
            results.append(_render_and_keep(md, store, key, note))
            if progress:
                progress(len(results), len(todo))
        return results
    global _WORKER_MD, _WORKER_STORE, _WORKER_TODO
    _WORKER_MD, _WORKER_STORE, _WORKER_TODO = md, store, todo
    try:
        chunk = max(1, len(todo) // (workers * CHUNKS_PER_WORKER))
        bounds = [(i, min(i + chunk, len(todo))) for i in range(0, len(todo), chunk)]
        with _forked_pool(workers) as pool:
            finished = pool.map(_worker_render, bounds)  # (every chunk is handed out now)
            if meanwhile is not None:
                meanwhile()
            for done in finished:
                results.extend(done)
                if progress:
                    progress(len(results), len(todo))
        return results
    finally:
        _WORKER_MD = _WORKER_STORE = None
        _WORKER_TODO = []


def _apply_git_dates(config: SiteConfig, notes: list[Note]) -> None:
    """``lastmod = "git"``: a note without its own ``lastmod`` takes its last commit's date."""
    dates = git_lastmod(config.root, [n.source for n in notes])
    for note in notes:
        when = dates.get(note.source)
        if when is not None and (note.lastmod is None or note.lastmod_from_git):
            note.lastmod = when.astimezone(config.tz)
            note.lastmod_from_git = True


def _tree_stamp(folder: Path) -> tuple[Any, ...]:
    """Names, sizes and modification times of every file below ``folder``."""
    out: list[tuple[str, int, int]] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(filenames):
            try:
                st = os.stat(os.path.join(dirpath, name))
            except OSError:
                continue
            out.append((os.path.join(dirpath, name), st.st_mtime_ns, st.st_size))
    return tuple(out)


def _internal_target(page_url: str, url: str, base: str) -> str | None:
    """The site-relative path an internal URL written on ``page_url`` points at."""
    if url.startswith("/") and not url.startswith("//"):
        return _site_target("", url, base)  # root-relative: the same on every page
    return _site_target(page_url, url, base)


@lru_cache(maxsize=200_000)
def _site_target(page_url: str, url: str, base: str) -> str | None:
    parts = urlsplit(url.strip())
    if parts.scheme or parts.netloc or not parts.path:
        return None
    if parts.path.startswith("/") and "/." not in parts.path:
        target = with_base(parts.path, base)  # root-relative: nothing to resolve
    else:
        target = urlsplit(
            urljoin("http://site" + base + page_url, with_base(parts.path, base))
        ).path
    target = unicodedata.normalize("NFC", unquote(target))
    return target[len(base) :] if target.startswith(base) else None


class MissingTargets:
    """Warnings for internal links and images in notes whose target is not in the site
    (``check`` and ``--strict`` make these errors; ``check`` also verifies fragments).
    Remembers each note's findings while the site's file list stays the same, so a
    rebuild looks only at the notes that changed."""

    def __init__(self) -> None:
        self._paths: frozenset[str] = frozenset()
        self._found: dict[tuple[str, str], list[Diagnostic]] = {}

    def check(
        self, config: SiteConfig, views: list[NoteView], paths: list[str], reporter: Reporter
    ) -> None:
        site = frozenset(paths)  # as a set: the order of a build's files varies
        if site != self._paths:
            self._paths, self._found = site, {}
        found: dict[tuple[str, str], list[Diagnostic]] = {}
        index: OutputIndex | None = None
        for view in views:
            memo = (view.key, view.note.url)
            diags = self._found.get(memo)
            if diags is None:
                index = index or OutputIndex(paths)
                diags = _missing_in(view, index, config.base_path)
            found[memo] = diags
            reporter.extend(diags)
        self._found = found


def _missing_in(view: NoteView, index: OutputIndex, base: str) -> list[Diagnostic]:
    diags: list[Diagnostic] = []
    for ref in view.facts.links:
        if ref.kind not in ("link", "image"):
            continue
        rel = _internal_target(view.note.url, ref.url, base)
        if rel is not None and index.find(rel) is None:
            what = "image" if ref.kind == "image" else "link target"
            diags.append(
                Diagnostic(
                    view.note.display_path,
                    ref.line or None,
                    Severity.WARNING,
                    f"{what} {ref.url!r} is not in the site",
                )
            )
    return diags


def _now(config: SiteConfig) -> dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=config.tz)
    return dt.datetime.now(tz=config.tz)


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A hash of this package's own source: a new version, or any change to the code,
    invalidates every cache entry and page signature (the code is what turns inputs into
    outputs, so an upgrade must never reuse what an older version made)."""
    h = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode() + b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _signature_head(spec: PageSpec, template_digest: str, fp: str) -> str:
    return f"{spec.template}:{template_digest}:{fp}:{spec.key!r}"


def _card(note: Note, facts: NoteFacts) -> str:
    """A digest of what other pages can show of a note without its body: every front
    matter field and what is derived from them, the summary and the reading time."""
    fields = [
        note.rel,
        note.url,
        note.title,
        note.description,
        note.section,
        note.slug,
        note.date.isoformat() if note.date else "",
        note.lastmod.isoformat() if note.lastmod else "",
        note.tags,
        note.series,
        note.draft,
        note.weight,
        note.display_path,
        facts.summary,
        facts.minutes,
    ]
    blob = json.dumps([fields, note.params], ensure_ascii=False, default=repr, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


def _with_body(note: Note, config: SiteConfig) -> Note:
    """The note with its body (notes restored from ``.cache/notes.json`` have none)."""
    return note if note.body_loaded else load_note(note.source, config)


def _report_cache_problems(problems: list[str], reporter: Reporter) -> None:
    shown = problems[:CACHE_PROBLEMS_SHOWN]
    hidden = len(problems) - len(shown)
    for problem in shown:
        reporter.add(Diagnostic(".cache", None, Severity.WARNING, problem))
    if hidden:
        reporter.add(
            Diagnostic(
                ".cache", None, Severity.WARNING, f"... and {hidden} more cache entries ignored"
            )
        )


def _shortcodes_digest(templates_dir: Path) -> str:
    h = hashlib.sha256()
    sc = templates_dir / "shortcodes"
    if sc.is_dir():
        for f in sorted(sc.glob("*.html")):
            h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:16]


def _unique_urls(notes: Sequence[Note], reporter: Reporter) -> list[Note]:
    """Report notes that share a URL; only the first of them is kept."""
    owners: dict[str, Note] = {}
    for note in notes:
        other = owners.get(note.url)
        if other is not None:
            reporter.add(
                error(
                    note.display_path,
                    1,
                    f"two notes on one URL /{note.url}: this one and {other.display_path}",
                    hint="give one of them a different slug",
                )
            )
        else:
            owners[note.url] = note
    return list(owners.values())


def site_view(config: SiteConfig) -> dict[str, Any]:
    return {
        "title": config.title,
        "description": config.description,
        "author": config.author,
        "language": config.language,
        "base_url": config.base_url,
        "base_path": config.base_path,
        "params": config.params,
    }


# -- assemble: lists, tags, series, search, feeds -------------------------------------
def assemble(config: SiteConfig, views: list[NoteView], options: BuildOptions) -> list[PageSpec]:
    """Link notes together and plan every page. Cheap: nothing is rendered here."""
    _link_neighbours(views)
    by_rel = {v.note.rel: v for v in views}
    related = _related(
        [v.note for v in views], config.root / ".cache" if options.use_cache else None
    )
    tags = group_terms([v.note for v in views], "tags", "tags")
    series = group_terms([v.note for v in views], "series", "series")
    tag_by_slug = {t.slug: t for t in tags}
    for v in views:
        v.related = [by_rel[rel] for rel in related[v.note.rel]]
        v.tags = [tag_by_slug[slugify_name(t) or "_"] for t in v.note.tags]
    for term in series:
        ordered = [by_rel[n.rel] for n in series_order(term)]
        for i, v in enumerate(ordered):
            v.series.append(
                {
                    "name": term.name,
                    "url": term.url,
                    "notes": ordered,
                    "index": i,
                    "prev": ordered[i - 1] if i > 0 else None,
                    "next": ordered[i + 1] if i + 1 < len(ordered) else None,
                }
            )
    base: dict[str, Any] = {"live_reload": options.live_reload}
    specs: list[PageSpec] = []
    for v in views:
        deps = _note_deps(v)
        specs.append(
            PageSpec(
                output_path(v.note.url),
                "note.html",
                deps,
                ("note",),
                _ctx(base, page=v),
                v.note.display_path,
            )
        )
    specs += _paginate(
        config, views, "", "list.html", base, {"title": config.title, "kind": "home"}
    )
    sections: dict[str, list[NoteView]] = {}
    for v in views:
        if v.note.section:
            sections.setdefault(v.note.section, []).append(v)
    for name, members in sorted(sections.items()):
        specs += _paginate(
            config, members, f"{name}/", "list.html", base, {"title": name, "kind": "section"}
        )
    for term in tags:
        members = [by_rel[n.rel] for n in term.notes]
        specs += _paginate(
            config,
            members,
            term.url,
            "tag.html",
            base,
            {"title": term.name, "kind": "tag", "term": term},
        )
    specs.append(
        PageSpec(
            "tags/index.html",
            "tags.html",
            tuple(v.note for v in views),
            ("tags",),
            _ctx(base, terms=tags, title="태그", kind="tags"),
        )
    )
    for term in series:
        members = [by_rel[n.rel] for n in series_order(term)]
        specs.append(
            PageSpec(
                output_path(term.url),
                "series.html",
                tuple(m.note for m in members),
                ("series", term.name),
                _ctx(base, term=term, notes=members, title=term.name, kind="series"),
            )
        )
    if series:
        specs.append(
            PageSpec(
                "series/index.html",
                "series_list.html",
                tuple(v.note for v in views),
                ("series-index",),
                _ctx(
                    base,
                    terms=series,
                    title="시리즈",
                    kind="series-index",
                    series_members={s.name: len(s.notes) for s in series},
                ),
            )
        )
    specs.append(
        PageSpec(
            "search/index.html",
            "search.html",
            (),
            ("search",),
            _ctx(base, title="검색", kind="search"),
        )
    )
    specs.append(
        PageSpec(
            "404.html",
            "404.html",
            (),
            ("404",),
            _ctx(base, title="페이지를 찾을 수 없습니다", kind="404"),
        )
    )
    return specs


_RELATED_CACHE: dict[tuple[tuple[str, tuple[str, ...]], ...], dict[str, list[str]]] = {}


def _related(notes: list[Note], folder: Path | None = None) -> dict[str, list[str]]:
    """Related notes (by path), recomputed only when some note's path, order or tags
    changed: kept in memory (serve) and, with ``folder``, in ``related.json`` there."""
    key = tuple((n.rel, tuple(n.tags)) for n in notes)
    cached = _RELATED_CACHE.get(key)
    if cached is not None:
        return cached
    digest = hashlib.sha256(json.dumps(key, ensure_ascii=False).encode()).hexdigest()
    if folder is not None:
        cached = render_cache.load_related(folder, digest)
    if cached is None:
        cached = {rel: [o.rel for o in others] for rel, others in related_notes(notes).items()}
        if folder is not None:
            render_cache.save_related(folder, digest, cached)
    _RELATED_CACHE.clear()
    _RELATED_CACHE[key] = cached
    return cached


def _ctx(base: dict[str, Any], **values: Any) -> Callable[[], dict[str, Any]]:
    merged = {**base, **values}
    return lambda: merged


def _note_deps(v: NoteView) -> tuple[Note, ...]:
    deps: dict[str, Note] = {v.note.rel: v.note}
    for other in (v.prev, v.next, *v.related):
        if other is not None:
            deps[other.note.rel] = other.note
    for box in v.series:
        for member in box["notes"]:
            deps[member.note.rel] = member.note
    return tuple(deps.values())


def _link_neighbours(views: list[NoteView]) -> None:
    """Previous/next note within a section (views are newest first)."""
    by_section: dict[str, list[NoteView]] = {}
    for v in views:
        by_section.setdefault(v.note.section, []).append(v)
    for members in by_section.values():
        for i, v in enumerate(members):
            v.next = members[i - 1] if i > 0 else None  # newer
            v.prev = members[i + 1] if i + 1 < len(members) else None  # older


def _paginate(
    config: SiteConfig,
    views: list[NoteView],
    url: str,
    template: str,
    base: dict[str, Any],
    extra: dict[str, Any],
) -> list[PageSpec]:
    size = config.paginate
    chunks = [views[i : i + size] for i in range(0, len(views), size)] or [[]]
    total = len(chunks)
    specs = []
    for number, chunk in enumerate(chunks, start=1):
        page_url = url if number == 1 else f"{url}page/{number}/"
        paginator = {
            "notes": chunk,
            "number": number,
            "total_pages": total,
            "total_notes": len(views),
            "prev_url": (url if number == 2 else f"{url}page/{number - 1}/")
            if number > 1
            else None,
            "next_url": f"{url}page/{number + 1}/" if number < total else None,
            "url": page_url,
        }
        specs.append(
            PageSpec(
                output_path(page_url),
                template,
                tuple(v.note for v in chunk),
                (template, url, number, total, len(views)),
                _ctx(base, paginator=paginator, url=page_url, **extra),
            )
        )
    return specs


def plan_generated(
    config: SiteConfig, views: list[NoteView], shard_memos: dict[str, ShardMemo] | None = None
) -> list[PageSpec]:
    """Feeds, sitemap, robots.txt, the search index and other generated files, planned
    like pages (with their dependencies) so unchanged ones are reused. ``shard_memos``:
    per search shard, what its last build posted (kept by a Builder between builds)."""
    shard_memos = {} if shard_memos is None else shard_memos
    absolute = config.absolute_base
    home = iri_to_uri(absolute)
    all_notes = tuple(v.note for v in views)

    def feeds(members: list[NoteView], url: str, title: str, full: bool = False) -> list[PageSpec]:
        """Atom and RSS for MEMBERS; the site feeds carry whole notes, tag feeds only
        summaries (as Hugo does), so 60 tags do not mean 60 copies of every note."""
        page = iri_to_uri(absolute + url)
        deps = tuple(v.note for v in members[:FEED_LIMIT])

        def item(v: NoteView) -> FeedItem:
            return FeedItem(
                v.note.title,
                iri_to_uri(absolute + v.note.url),
                v.note.date,
                v.note.lastmod,
                v.summary,
                v.rendered.html if full else "",
                v.note.tags,
            )

        return [
            _generated(
                f"{url}atom.xml",
                deps,
                lambda: atom(
                    config,
                    [item(v) for v in members[:FEED_LIMIT]],
                    page + "atom.xml",
                    page,
                    title,
                ),
            ),
            _generated(
                f"{url}index.xml",
                deps,
                lambda: rss(
                    config,
                    [item(v) for v in members[:FEED_LIMIT]],
                    page + "index.xml",
                    page,
                    title,
                ),
            ),
        ]

    def sitemap_xml() -> str:
        newest = max((v.note.lastmod or v.note.date for v in views if v.note.date), default=None)
        entries = [(home, newest)]
        entries += [
            (iri_to_uri(absolute + v.note.url), v.note.lastmod or v.note.date) for v in views
        ]
        return sitemap(entries)

    def search_shard(members: list[NoteView], memo: ShardMemo) -> Callable[[], str]:
        return lambda: build_shard(
            [
                SearchDoc(
                    v.note.url,
                    v.note.title,
                    v.note.date.date().isoformat() if v.note.date else "",
                    v.note.tags,
                    text,
                    packed=keys,
                )
                for v in members
                for text, keys in [v.search_part]
            ],
            memo,
        )

    count = shard_count(len(views))
    shards: list[list[NoteView]] = [[] for _ in range(count)]
    for v in views:
        shards[shard_of(v.note.url, count)].append(v)

    specs = feeds(views, "", config.title, full=True)
    by_rel = {v.note.rel: v for v in views}
    for term in group_terms(list(all_notes), "tags", "tags"):
        members = [by_rel[n.rel] for n in term.notes]
        specs += feeds(members, term.url, f"{config.title} - {term.name}")
    specs += [
        _generated("sitemap.xml", all_notes, sitemap_xml),
        _generated("robots.txt", (), lambda: robots(home + "sitemap.xml")),
        *(
            _generated(
                shard_path(k, count),
                tuple(v.note for v in members),
                search_shard(members, shard_memos.setdefault(shard_path(k, count), ShardMemo())),
            )
            for k, members in enumerate(shards)
        ),
        _generated("search-index.json", (), lambda: build_manifest(count), key=str(count)),
        _generated("static/css/syntax.css", (), stylesheet, key=pygments_version),
        _generated(".nojekyll", (), lambda: ""),
    ]
    if config.cname:
        specs.append(_generated("CNAME", (), lambda: config.cname.strip() + "\n"))
    return specs


def _generated(
    path: str, deps: tuple[Note, ...], make: Callable[[], str], key: str = ""
) -> PageSpec:
    return PageSpec(
        path, "", deps, ("generated", path, key), dict, render=lambda: make().encode("utf-8")
    )


def collect_static(config: SiteConfig, reporter: Reporter) -> dict[str, Path]:
    """Files under ``static/``, published under ``/static/``; links out of it are skipped."""
    result: dict[str, Path] = {}
    root = config.static_dir
    if not root.is_dir():
        return result
    real_root = root.resolve()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames):
            if name.startswith(".") and name != ".well-known":
                continue
            path = Path(dirpath) / name
            if not path.resolve().is_relative_to(real_root):
                reporter.add(
                    Diagnostic(
                        str(path), None, Severity.WARNING, "symlink points outside static/; skipped"
                    )
                )
                continue
            rel = path.relative_to(root).as_posix()
            result[f"static/{rel}"] = path
    return result


# -- write: stage aside, then swap ---------------------------------------------------
@dataclass
class WriteStats:
    written: int = 0
    unchanged: int = 0


def write_site(result: BuildResult, out_dir: Path, stage: Path | None = None) -> WriteStats:
    """Publish the build into ``out_dir``. A few changed files (an edit) are written next to
    their targets and renamed into place once all are written; a larger change is written
    into a sibling folder, reusing unchanged files (hard links keep their modification
    times), which is then swapped in place of ``out_dir``. Either way a failure while
    writing leaves the published site as it was. ``stage``: the sibling folder, when the
    build's workers already wrote pages into it."""
    out_dir = out_dir.resolve()
    parent = out_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    old = parent / f".{out_dir.name}.old-{os.getpid()}"
    if old.exists():
        shutil.rmtree(old)
    if result.files.in_stage:
        assert stage is not None, "pages were staged without a staging folder"
    else:
        if stage is not None:
            shutil.rmtree(stage, ignore_errors=True)
        stage = staging_folder(out_dir)
        if stage.exists():
            shutil.rmtree(stage)
        if out_dir.is_dir():
            stats = _write_in_place(result, out_dir)
            if stats is not None:
                return stats
        stage.mkdir()
    writer = _Stager(stage.resolve(), out_dir, result.unchanged)
    writer.stats.written = len(result.files.in_stage)
    try:
        for rel in sorted(result.files):
            if rel in result.files.fresh:
                writer.data(rel, result.files.fresh[rel])
            elif rel in result.files.reused:
                writer.reused(rel)
        for rel, source in sorted(result.static.items()):
            writer.copy(rel, source)
        if out_dir.exists():
            os.rename(out_dir, old)
        os.rename(stage, out_dir)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        if old.exists() and not out_dir.exists():
            os.rename(old, out_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)
    return writer.stats


def staging_folder(out_dir: Path) -> Path:
    """Where a build is written before it replaces ``out_dir`` (a hidden sibling)."""
    out_dir = out_dir.resolve()
    return out_dir.parent / f".{out_dir.name}.new-{os.getpid()}"


IN_PLACE_LIMIT = 64  # more changed files than this (and than a quarter of all): stage + swap


class _Conflict(Exception):
    """The new layout needs a folder where the old one has a file (or the reverse)."""


def _published_files(out_dir: Path) -> set[str]:
    """Every file below ``out_dir`` as a site-relative POSIX path; like ``os.walk``,
    symlinks to folders are neither listed nor followed."""
    found: set[str] = set()
    folders = [(str(out_dir), "")]
    while folders:
        folder, prefix = folders.pop()
        try:
            entries = os.scandir(folder)
        except OSError:
            continue
        with entries:
            for entry in entries:
                if entry.is_dir():
                    if not entry.is_symlink():
                        folders.append((entry.path, f"{prefix}{entry.name}/"))
                else:
                    found.add(prefix + entry.name)
    return found


def _write_in_place(result: BuildResult, out_dir: Path) -> WriteStats | None:
    """Update ``out_dir`` file by file; None when the change is too large or reshapes
    folders (the caller then stages and swaps)."""
    existing = _published_files(out_dir)
    changes: list[tuple[str, bytes | Path]] = []
    for rel, data in result.files.fresh.items():
        target = out_dir / rel
        if rel in existing:
            try:
                if target.stat().st_size == len(data) and target.read_bytes() == data:
                    continue
            except OSError:
                pass
        changes.append((rel, data))
    if any(rel not in existing for rel in result.files.reused):
        return None
    for rel, source in result.static.items():
        if rel in existing:
            try:
                src, dst = source.stat(), (out_dir / rel).stat()
                if src.st_size == dst.st_size and (
                    src.st_mtime_ns == dst.st_mtime_ns
                    or filecmp.cmp(source, out_dir / rel, shallow=False)
                ):
                    continue
            except OSError:
                pass
        changes.append((rel, source))
    wanted = set(result.files) | set(result.static)
    stale = sorted(existing - wanted)
    total = len(wanted)
    if len(changes) + len(stale) > max(IN_PLACE_LIMIT, total // 4):
        return None
    temps: list[tuple[Path, Path]] = []
    made: list[Path] = []
    try:
        for rel, item in sorted(changes, key=lambda c: c[0]):
            target = _safe_target(out_dir, rel)
            if target.is_dir():
                raise _Conflict(rel)
            _make_parents(target.parent, out_dir, made)
            tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            if isinstance(item, Path):
                shutil.copy2(item, tmp)  # keeps the source's modification time
            else:
                tmp.write_bytes(item)
            temps.append((tmp, target))
    except BaseException as exc:
        for tmp, _ in temps:
            with contextlib.suppress(OSError):
                tmp.unlink()
        for folder in reversed(made):
            with contextlib.suppress(OSError):
                folder.rmdir()
        if isinstance(exc, _Conflict):
            return None
        raise
    for tmp, target in temps:
        os.replace(tmp, target)
    for rel in stale:
        path = out_dir / rel
        with contextlib.suppress(OSError):
            path.unlink()
        folder = path.parent
        while folder != out_dir and folder.is_relative_to(out_dir):
            try:
                folder.rmdir()  # only when empty
            except OSError:
                break
            folder = folder.parent
    return WriteStats(written=len(temps), unchanged=total - len(temps))


_MADE: set[str] = set()  # folders this process made in the staging folder


def _write_staged(stage: Path, rel: str, data: bytes) -> None:
    """Write a page into the staging folder, a fresh folder only the build writes to (so
    it holds no symlinks): a lexical check keeps the path inside it."""
    norm = posixpath.normpath(rel)
    if norm.startswith(("/", "../")) or norm in ("..", ".") or "\0" in norm:
        raise BuildError([error(rel, None, "output path leaves the output folder")])
    target = os.path.join(stage, norm)
    folder = os.path.dirname(target)
    if folder not in _MADE:
        os.makedirs(folder, exist_ok=True)
        _MADE.add(folder)
    with open(target, "wb") as fh:
        fh.write(data)


def _safe_target(out_dir: Path, rel: str) -> Path:
    target = (out_dir / rel).resolve()
    if not target.is_relative_to(out_dir):
        raise BuildError([error(rel, None, "output path leaves the output folder")])
    return target


def _make_parents(folder: Path, out_dir: Path, made: list[Path]) -> None:
    missing: list[Path] = []
    while not folder.is_dir():
        if folder.exists() or folder == out_dir:
            raise _Conflict(str(folder))
        missing.append(folder)
        folder = folder.parent
    for new in reversed(missing):
        new.mkdir()
        made.append(new)


class _Stager:
    """Puts files into the staging folder: links the published copy when it is known or
    found to be identical, writes otherwise."""

    def __init__(self, stage: Path, current: Path, unchanged: frozenset[str]) -> None:
        self.stage = stage
        self.current = current
        self.unchanged = unchanged
        self.stats = WriteStats()
        self._dirs: set[Path] = {stage}

    def _target(self, rel: str) -> Path:
        target = (self.stage / rel).resolve()
        if not target.is_relative_to(self.stage):
            raise BuildError([error(rel, None, "output path leaves the output folder")])
        if target.parent not in self._dirs:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(target.parent)
        return target

    def _link(self, existing: Path, target: Path) -> bool:
        try:
            os.link(existing, target)
        except OSError:
            try:
                shutil.copy2(existing, target)
            except OSError:
                return False
        self.stats.unchanged += 1
        return True

    def reused(self, rel: str) -> None:
        """A file the build took unchanged from the published folder."""
        target = self._target(rel)
        existing = self.current / rel
        if not self._link(existing, target):
            raise BuildError(
                [error(rel, None, "published file vanished during the build; build again")]
            )

    def data(self, rel: str, data: bytes) -> None:
        target = self._target(rel)
        existing = self.current / rel
        if rel in self.unchanged and self._link(existing, target):
            return  # read back from the published file and hash-checked this build
        try:
            same = existing.stat().st_size == len(data) and existing.read_bytes() == data
        except OSError:
            same = False
        if same and self._link(existing, target):
            return
        target.write_bytes(data)
        self.stats.written += 1

    def copy(self, rel: str, source: Path) -> None:
        target = self._target(rel)
        existing = self.current / rel
        try:
            src, dst = source.stat(), existing.stat()
            same = src.st_size == dst.st_size and (
                src.st_mtime_ns == dst.st_mtime_ns or filecmp.cmp(source, existing, shallow=False)
            )
        except OSError:
            same = False
        if same and self._link(existing, target):
            return
        shutil.copy2(source, target)  # keeps the source's modification time
        self.stats.written += 1


def build(root: Path, options: BuildOptions) -> tuple[BuildResult, WriteStats]:
    """``awsnotes-site build``: build everything (pages rendered by worker processes go
    straight into a staging folder), then publish it."""
    options.stage = None
    try:
        config, _ = load_config(root, options.base_url, options.output)
    except BuildError:
        pass  # reported by the build itself
    else:
        stage = staging_folder(config.output_path)
        shutil.rmtree(stage, ignore_errors=True)
        config.output_path.parent.mkdir(parents=True, exist_ok=True)
        stage.mkdir()
        options.stage = stage
    try:
        builder = Builder(root, options)
        result = builder.build()
        stats = write_site(result, result.config.output_path, options.stage)
    except BaseException:
        if options.stage is not None:
            shutil.rmtree(options.stage, ignore_errors=True)
        raise
    builder.save_caches(result.config)
    return result, stats
