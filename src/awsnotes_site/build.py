"""The build pipeline: discover -> load -> render Markdown -> assemble -> write.

Everything is read and rendered in memory first; only a build without errors is written,
aside, and then swapped in, so a failed build never touches the published site.
Each output page records the notes and templates it depends on (``PageSpec``); the
:class:`Builder` keeps rendered notes and pages between builds and re-renders only what
changed, which is what ``serve`` and the build cache rely on.
"""

from __future__ import annotations

import datetime as dt
import filecmp
import hashlib
import multiprocessing as mp
import os
import shutil
import time
import unicodedata
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup
from pygments import __version__ as pygments_version

from awsnotes_site import cache as render_cache
from awsnotes_site.config import SiteConfig, load_config
from awsnotes_site.content import Note, discover, is_published, load_note, slugify_name
from awsnotes_site.diagnostics import BuildError, Diagnostic, Reporter, Severity, error
from awsnotes_site.feeds import FEED_LIMIT, FeedItem, atom, robots, rss, sitemap
from awsnotes_site.gitdates import git_lastmod
from awsnotes_site.markdown import RENDERER_VERSION, RenderedNote, create_markdown, render_markdown
from awsnotes_site.markdown.headings import toc_tree
from awsnotes_site.markdown.highlight import stylesheet
from awsnotes_site.markdown.registry import RefResolver, ShortcodeRegistry
from awsnotes_site.markdown.urls import with_base
from awsnotes_site.search import (
    SearchDoc,
    build_manifest,
    build_shard,
    shard_count,
    shard_of,
    shard_path,
)
from awsnotes_site.taxonomies import Term, group_terms, related_notes, series_order
from awsnotes_site.templating import (
    TemplateHashes,
    create_environment,
    iri_to_uri,
    template_error,
)
from awsnotes_site.text import reading_minutes, summarize


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


@dataclass
class NoteView:
    """What templates see as ``page`` on a note (and as items of lists)."""

    note: Note
    rendered: RenderedNote
    text: str
    reading_time: int
    summary: str
    tags: list[Term] = field(default_factory=list)
    series: list[dict[str, Any]] = field(default_factory=list)
    prev: NoteView | None = None
    next: NoteView | None = None
    related: list[NoteView] = field(default_factory=list)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.note, name)

    @property
    def content(self) -> Markup:
        return Markup(self.rendered.html)

    @property
    def toc(self) -> list[dict[str, Any]]:
        return toc_tree(self.rendered.toc)

    @property
    def kind(self) -> str:
        return "note"


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
    files: dict[str, bytes]
    static: dict[str, Path]
    diagnostics: list[Diagnostic]
    notes: list[NoteView]
    page_sources: dict[str, str]
    stats: BuildStats
    deps: dict[str, frozenset[str]]
    unchanged: frozenset[str] = frozenset()  # files read back from the published output

    def all_paths(self) -> set[str]:
        return set(self.files) | set(self.static)


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
        self._pages: dict[str, tuple[str, bytes]] = {}
        self._rendered_count = 0
        self._reused: set[str] = set()
        self._disk_pages: dict[str, tuple[str, str]] | None = None
        self._jinja: tuple[str, jinja2.Environment, tuple[Any, ...], TemplateHashes] | None = None

    # -- the pipeline ---------------------------------------------------------------
    def build(self) -> BuildResult:
        started = time.perf_counter()
        reporter = Reporter()
        self._reused = set()
        config, warns = load_config(self.root, self.options.base_url, self.options.output)
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
        views = self._render_notes(config, published, jinja, hashes, reporter)
        specs = assemble(config, views, self.options) + plan_generated(config, views)
        files: dict[str, bytes] = {}
        page_sources: dict[str, str] = {}
        stats = BuildStats(notes=len(views), rendered_notes=self._rendered_count)
        deps: dict[str, frozenset[str]] = {}
        self._render_pages(config, specs, jinja, hashes, files, page_sources, deps, stats, reporter)
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
        _missing_targets(config, views, [*files, *static], reporter)
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
        paths, diags = discover(config.content_dir)
        reporter.extend(diags)
        notes: list[Note] = []
        seen: dict[Path, tuple[tuple[int, int], Note]] = {}
        for path in paths:
            try:
                st = path.stat()
            except OSError:
                reporter.add(error(path, None, "note disappeared while building"))
                continue
            stamp = (st.st_mtime_ns, st.st_size)
            cached = self._notes.get(path)
            if cached and cached[0] == stamp:
                note = cached[1]
            else:
                try:
                    note = load_note(path, config)
                except BuildError as exc:
                    reporter.extend(exc.diagnostics)
                    continue
            seen[path] = (stamp, note)
            reporter.extend(note.diagnostics)
            notes.append(note)
        self._notes = seen
        return notes

    def _render_notes(
        self,
        config: SiteConfig,
        notes: list[Note],
        jinja: jinja2.Environment,
        hashes: TemplateHashes,
        reporter: Reporter,
    ) -> list[NoteView]:
        resolver = RefResolver({n.rel: n.url for n in notes})
        registry = ShortcodeRegistry(
            config.templates_dir, jinja, resolver, config.base_path, config.absolute_base
        )
        jinja.globals["site"] = site_view(config)
        md = create_markdown(registry, config.base_path, config.toc_min_level, config.toc_max_level)
        shortcode_hash = _shortcodes_digest(config.templates_dir)
        context = f"{RENDERER_VERSION}:{config.fingerprint()}:{shortcode_hash}"
        keys = [render_cache.key(n.digest, n.rel, context) for n in notes]
        todo: list[tuple[str, Note]] = []
        store = render_cache.RenderStore(config.root / ".cache") if self.options.use_cache else None
        for key, note in zip(keys, notes, strict=True):
            cached = self._rendered.get(key)
            if cached is None and store is not None:
                cached = store.get(key)
                if cached is not None:
                    self._rendered[key] = cached
            if cached is None or any(
                resolver.resolve(t, note.rel) != url for t, url in cached.refs.items()
            ):
                todo.append((key, note))
        rendered_list = render_all(
            md, [n for _, n in todo], self.options.jobs, self.options.progress
        )
        self._rendered_count = len(rendered_list)
        for (key, _), rendered in zip(todo, rendered_list, strict=True):
            self._rendered[key] = rendered
            if store is not None and self.options.save_cache:
                store.put(key, rendered)
        if store is not None:
            shown = store.problems[:CACHE_PROBLEMS_SHOWN]
            hidden = len(store.problems) - len(shown)
            for problem in shown:
                reporter.add(Diagnostic(".cache", None, Severity.WARNING, problem))
            if hidden:
                reporter.add(
                    Diagnostic(
                        ".cache",
                        None,
                        Severity.WARNING,
                        f"... and {hidden} more cache entries ignored",
                    )
                )
        views: list[NoteView] = []
        for key, note in zip(keys, notes, strict=True):
            rendered = self._rendered[key]
            reporter.extend(rendered.diagnostics)
            text = rendered.text
            summary = note.description or summarize(text)
            views.append(NoteView(note, rendered, text, reading_minutes(text), summary))
        return views

    def _render_pages(
        self,
        config: SiteConfig,
        specs: list[PageSpec],
        jinja: jinja2.Environment,
        hashes: TemplateHashes,
        files: dict[str, bytes],
        page_sources: dict[str, str],
        deps: dict[str, frozenset[str]],
        stats: BuildStats,
        reporter: Reporter,
    ) -> None:
        fp = config.fingerprint() + str(self.options.live_reload)
        pages: dict[str, tuple[str, bytes]] = {}
        for spec in specs:
            if spec.path in files:
                owner = page_sources.get(spec.path, spec.path)
                reporter.add(
                    error(
                        spec.source or spec.path,
                        None,
                        f"two pages on one URL /{spec.path} (also {owner})",
                    )
                )
                continue
            template_digest = hashes.digest(spec.template) if spec.template else ""
            signature = _signature(spec, template_digest, fp)
            cached = self._pages.get(spec.path)
            data_or_none = cached[1] if cached and cached[0] == signature else None
            if data_or_none is None:
                data_or_none = self._published_page(config, spec.path, signature)
            if data_or_none is not None:
                data = data_or_none
            elif spec.render is not None:
                data = spec.render()
            else:
                try:
                    template = jinja.get_template(spec.template)
                    data = template.render(**spec.context()).encode("utf-8")
                except (jinja2.TemplateError, TypeError, ValueError, AttributeError) as exc:
                    reporter.add(template_error(exc, config.templates_dir, config.root))
                    continue
                stats.rendered_pages += 1
            pages[spec.path] = (signature, data)
            files[spec.path] = data
            page_sources[spec.path] = spec.source
            deps[spec.path] = frozenset(
                [
                    *(n.display_path for n in spec.deps),
                    *(
                        f"templates/{t}"
                        for t in (hashes.closure(spec.template) if spec.template else ())
                    ),
                ]
            )
        self._pages = pages

    def _templates(self, config: SiteConfig) -> tuple[jinja2.Environment, TemplateHashes]:
        """The Jinja environment (kept while the config is the same, so compiled templates
        are reused; Jinja reloads a template whose file changed) and template hashes
        (kept while no file in templates/ changed)."""
        stamp = _tree_stamp(config.templates_dir)
        fingerprint = config.fingerprint() + str(config.root)
        if self._jinja is None or self._jinja[0] != fingerprint:
            env = create_environment(config)
            self._jinja = (fingerprint, env, stamp, TemplateHashes(env, config.templates_dir))
        elif self._jinja[2] != stamp:
            env = self._jinja[1]
            self._jinja = (fingerprint, env, stamp, TemplateHashes(env, config.templates_dir))
        return self._jinja[1], self._jinja[3]

    # -- the persistent caches --------------------------------------------------------
    def _published_page(self, config: SiteConfig, path: str, signature: str) -> bytes | None:
        """The page as the last build wrote it, if its inputs are unchanged and the file
        still holds exactly what was written (checked by hash)."""
        if not self.options.use_cache:
            return None
        if self._disk_pages is None:
            self._disk_pages = render_cache.load_pages(config.root / ".cache", config.output_path)
        entry = self._disk_pages.get(path)
        if entry is None or entry[0] != signature:
            return None
        try:
            data = (config.output_path / path).read_bytes()
        except OSError:
            return None
        if hashlib.sha256(data).hexdigest() != entry[1]:
            return None
        self._reused.add(path)
        return data

    def save_page_cache(self, config: SiteConfig) -> None:
        """Remember each written page's inputs, for the next CLI build."""
        if self.options.use_cache:
            render_cache.save_pages(
                config.root / ".cache",
                config.output_path,
                {
                    path: (sig, hashlib.sha256(data).hexdigest())
                    for path, (sig, data) in self._pages.items()
                },
            )


# -- rendering notes, in parallel when there are many -------------------------------
PARALLEL_THRESHOLD = 64
CACHE_PROBLEMS_SHOWN = 3
_WORKER_MD: MarkdownIt | None = None


def _page_stub(note: Note) -> dict[str, Any]:
    return {"title": note.title, "rel": note.rel, "url": note.url, "params": note.params}


def _render_one(md: MarkdownIt, note: Note) -> RenderedNote:
    return render_markdown(md, note.body, note.display_path, note.body_line, _page_stub(note))


def _worker_render(args: tuple[str, str, int, dict[str, Any]]) -> RenderedNote:
    body, path, line, page = args
    assert _WORKER_MD is not None
    return render_markdown(_WORKER_MD, body, path, line, page)


Progress = Callable[[int, int], None]


def render_all(
    md: MarkdownIt, notes: list[Note], jobs: int, progress: Progress | None = None
) -> list[RenderedNote]:
    """Render notes; with many notes and several CPUs, in forked worker processes that
    inherit the configured parser (Markdown rendering is pure: same input, same output).
    ``progress(done, total)`` is called as notes finish."""
    workers = jobs or os.cpu_count() or 1
    results: list[RenderedNote] = []
    if workers < 2 or len(notes) < PARALLEL_THRESHOLD or "fork" not in mp.get_all_start_methods():
        for note in notes:
            results.append(_render_one(md, note))
            if progress:
                progress(len(results), len(notes))
        return results
    global _WORKER_MD
    _WORKER_MD = md
    try:
        ctx = mp.get_context("fork")
        tasks = [(n.body, n.display_path, n.body_line, _page_stub(n)) for n in notes]
        chunk = max(1, len(tasks) // (workers * 8))
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            for rendered in pool.map(_worker_render, tasks, chunksize=chunk):
                results.append(rendered)
                if progress and len(results) % chunk == 0:
                    progress(len(results), len(notes))
        if progress:
            progress(len(results), len(notes))
        return results
    finally:
        _WORKER_MD = None


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


@lru_cache(maxsize=200_000)
def _internal_target(page_url: str, url: str, base: str) -> str | None:
    """The site-relative path an internal URL written on ``page_url`` points at."""
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


def _missing_targets(
    config: SiteConfig, views: list[NoteView], paths: list[str], reporter: Reporter
) -> None:
    """Warn about internal links and images in notes whose target is not in the site
    (``check`` and ``--strict`` make these errors; ``check`` also verifies fragments)."""
    from awsnotes_site.check import OutputIndex

    index = OutputIndex(paths)
    base = config.base_path
    for view in views:
        for ref in view.rendered.links:
            if ref.kind not in ("link", "image"):
                continue
            rel = _internal_target(view.note.url, ref.url, base)
            if rel is not None and index.find(rel) is None:
                what = "image" if ref.kind == "image" else "link target"
                reporter.add(
                    Diagnostic(
                        view.note.display_path,
                        ref.line or None,
                        Severity.WARNING,
                        f"{what} {ref.url!r} is not in the site",
                    )
                )


def _now(config: SiteConfig) -> dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=config.tz)
    return dt.datetime.now(tz=config.tz)


def _signature(spec: PageSpec, template_digest: str, fp: str) -> str:
    h = hashlib.sha256()
    h.update(f"{spec.template}:{template_digest}:{fp}:{spec.key!r}".encode())
    for note in spec.deps:
        lastmod = note.lastmod.isoformat() if note.lastmod else ""
        h.update(f"\0{note.rel}:{note.digest}:{lastmod}".encode())
    return h.hexdigest()


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
    related = _related([v.note for v in views])
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


def _related(notes: list[Note]) -> dict[str, list[str]]:
    """Related notes (by path), recomputed only when some note's path, order or tags
    changed."""
    key = tuple((n.rel, tuple(n.tags)) for n in notes)
    cached = _RELATED_CACHE.get(key)
    if cached is None:
        cached = {rel: [o.rel for o in others] for rel, others in related_notes(notes).items()}
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


def plan_generated(config: SiteConfig, views: list[NoteView]) -> list[PageSpec]:
    """Feeds, sitemap, robots.txt, the search index and other generated files, planned
    like pages (with their dependencies) so unchanged ones are reused."""
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

    def search_shard(members: list[NoteView]) -> Callable[[], str]:
        return lambda: build_shard(
            [
                SearchDoc(
                    v.note.url,
                    v.note.title,
                    v.note.date.date().isoformat() if v.note.date else "",
                    v.note.tags,
                    v.text,
                )
                for v in members
            ]
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
            _generated(shard_path(k, count), tuple(v.note for v in members), search_shard(members))
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


def write_site(result: BuildResult, out_dir: Path) -> WriteStats:
    """Write the site into a sibling folder, reusing unchanged files (hard links keep their
    modification times), then swap it in place of ``out_dir``."""
    out_dir = out_dir.resolve()
    parent = out_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    stage = parent / f".{out_dir.name}.new-{os.getpid()}"
    old = parent / f".{out_dir.name}.old-{os.getpid()}"
    for leftover in (stage, old):
        if leftover.exists():
            shutil.rmtree(leftover)
    if _already_published(result, out_dir):
        return WriteStats(unchanged=len(result.files) + len(result.static))
    stage.mkdir()
    writer = _Stager(stage.resolve(), out_dir, result.unchanged)
    try:
        for rel, data in sorted(result.files.items()):
            writer.data(rel, data)
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


def _already_published(result: BuildResult, out_dir: Path) -> bool:
    """True when the output folder holds exactly this build already: every generated file
    was read back from it (hash-checked), every static file matches by size and time,
    and there is no other file. Then there is nothing to write."""
    if not out_dir.is_dir() or not set(result.files) <= result.unchanged:
        return False
    for rel, source in result.static.items():
        try:
            src, dst = source.stat(), (out_dir / rel).stat()
        except OSError:
            return False
        if (src.st_size, src.st_mtime_ns) != (dst.st_size, dst.st_mtime_ns):
            return False
    expected = len(result.files) + len(result.static)
    found = 0
    for _, _, filenames in os.walk(out_dir):
        found += len(filenames)
        if found > expected:
            return False
    return found == expected


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
    """``awsnotes-site build``: build everything in memory, then write it out."""
    builder = Builder(root, options)
    result = builder.build()
    stats = write_site(result, result.config.output_path)
    builder.save_page_cache(result.config)
    return result, stats
