"""The build pipeline, as a list of stages: discover -> load -> render Markdown -> plan
pages -> render pages -> (publish).

Everything is read and rendered in memory first; only a build without errors is written,
aside, and then swapped in, so a failed build never touches the published site. Each
output page records the notes and templates it depends on; the :class:`Builder` keeps
rendered notes and pages between builds and re-renders only what changed, which is what
``serve`` and the build cache rely on."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from awsnotes_site.assets import feature_assets
from awsnotes_site.config import SiteConfig, load_config
from awsnotes_site.content.load import is_published
from awsnotes_site.diagnostics import BuildError, Reporter
from awsnotes_site.images.catalog import ImageCatalog
from awsnotes_site.incremental.keys import PageSigner
from awsnotes_site.incremental.records import NoteRecord
from awsnotes_site.incremental.state import CacheState
from awsnotes_site.model.note import Note
from awsnotes_site.model.views import DependencyTracker, NoteView
from awsnotes_site.pipeline.edit import apply_edit
from awsnotes_site.pipeline.generated import plan_generated
from awsnotes_site.pipeline.images import ImageStage
from awsnotes_site.pipeline.links import MissingTargets
from awsnotes_site.pipeline.load import NoteLoader, apply_git_dates, unique_urls
from awsnotes_site.pipeline.options import BuildOptions, BuildResult, BuildStats
from awsnotes_site.pipeline.pages import PageRenderer
from awsnotes_site.pipeline.plan import RelatedNotes, assemble, site_view
from awsnotes_site.pipeline.render import NoteRenderer, RenderSettings
from awsnotes_site.pipeline.resources import collect_site_files, content_files
from awsnotes_site.pipeline.static import asset_links, check_overlaps, collect_static
from awsnotes_site.pipeline.templates import TemplateCache
from awsnotes_site.publish import WriteStats, staging_folder, write_site
from awsnotes_site.search import ShardMemo
from awsnotes_site.theme.assets import PublishedAssets

if TYPE_CHECKING:
    from awsnotes_site.pipeline.hugo_languages import LanguageBuilds


class Builder:
    """Builds a site; keeps caches between builds so rebuilds do only what changed."""

    def __init__(self, root: Path, options: BuildOptions, language: str = "") -> None:
        self.root = root
        self.options = options
        self.language = language  # one language of a multilingual Hugo site, under /CODE/
        self.languages: LanguageBuilds | None = None  # the others, when this builds the root
        self.state = CacheState(options.use_cache, options.save_cache)
        self.tracker = DependencyTracker()
        self.signer = PageSigner()
        self.loader = NoteLoader()
        self.notes = NoteRenderer(self.tracker)
        self.pages = PageRenderer(self.tracker, self.signer)
        self.templates = TemplateCache()
        self.assets = PublishedAssets()  # CSS/JS content hashes, kept between builds
        self.related = RelatedNotes()
        self.missing = MissingTargets()
        self.images = ImageStage()
        self.shard_memos: dict[str, ShardMemo] = {}
        self._keys: dict[Path, str] = {}  # note file -> its render key, for notes.json
        self._reused: set[str] = set()  # pages the last build took as published
        self._drafts = 0  # draft notes left out by the last build
        self._valid_until: float | None = None  # see _next_change
        self.last: BuildResult | None = None  # the last build's, if it succeeded

    def build(self) -> BuildResult:
        started = time.perf_counter()
        self.last = None
        reporter = Reporter()
        options = self.options
        self.state.use_cache, self.state.save = options.use_cache, options.save_cache
        config, warns = load_config(self.root, options.base_url, options.output)
        if self.language:
            from awsnotes_site.pipeline.hugo_languages import language_config

            config, warns = language_config(config, self.language), []
        reporter.extend(warns)
        self.state.bind(config)
        # 1, 2: discover and load the notes; keep the published ones, newest first
        published = self._published(config, reporter)
        # 3: render their Markdown (page templates compiled meanwhile)
        templates = self.templates.get(config, self.state)
        templates.jinja.globals["site"] = site_view(config)
        templates.jinja.globals["share_image"] = self.images.share_url
        if config.static_at_root:  # a Hugo site: static/ at the root, content files
            static = collect_site_files(config, published, reporter)
        else:  # ours: static/ under /static/, content files beside their notes
            static = {
                **collect_static(config, reporter),
                **content_files(config, published, reporter),
            }
        cache = self.state.folder if self.state.use_cache else None
        catalog = self.images.prepare(config, static, cache, reporter)
        views = self._render_notes(config, published, reporter, catalog)
        self.images.publish(config, views, static, self.notes.rendered, reporter)
        if config.kind == "vault":
            from awsnotes_site.pipeline.vault import linked_files

            static.update(linked_files(config, views))
        static = {**feature_assets(v.facts for v in views), **static}
        assets = asset_links(self.assets, config, static, options.asset_hashes)
        templates.jinja.filters["asset"] = assets.filter
        # 4: plan the pages and generated files
        related = self.related([v.note for v in views], self.state.saving_folder())
        specs = assemble(config, views, related)
        specs += plan_generated(config, views, self.shard_memos)
        # 5: render the pages that changed
        self.pages.disk = self.state.page_records(config)
        parallel = (options.jobs, options.parallel_pages)
        done = self.pages.render(config, specs, templates, options.stage, parallel, assets.key)
        reporter.extend(done.problems)
        self.state.report_problems(reporter)
        # 6: static files (with the images' variants and cards, linked vault files and
        # feature assets), then links to targets that are not in the site
        check_overlaps(config, static, done.files, reporter)
        folder = self.state.saving_folder()
        self.missing.check(config, views, [*done.files, *static], reporter, folder)
        if reporter.errors or (options.strict and reporter.items):
            raise BuildError(reporter.items)
        self._reused = done.reused
        stats = BuildStats(
            notes=len(views),
            pages=sum(1 for spec in specs if spec.template),
            rendered_notes=self.notes.count,
            rendered_pages=done.rendered,
            files=len(done.files) + len(static),
            seconds=time.perf_counter() - started,
            drafts_skipped=self._drafts,
            valid_until=self._valid_until,
        )
        result = BuildResult(
            config,
            done.files,
            static,
            reporter.items,
            views,
            done.page_sources,
            stats,
            frozenset(done.reused),
            self.images.folder,
        )
        if config.languages and not config.language_dir:  # a multilingual Hugo site
            from awsnotes_site.pipeline.hugo_languages import LanguageBuilds

            self.languages = self.languages or LanguageBuilds()
            result = self.languages.add(self, config, result)
        self.last = result
        return result

    def _published(self, config: SiteConfig, reporter: Reporter) -> list[Note]:
        options = self.options
        records = self.state.note_records(config)
        notes = self.loader.load(config, records, options.jobs, reporter)
        if config.languages:  # one language of a multilingual Hugo site
            from awsnotes_site.pipeline.hugo_languages import of_language

            notes = of_language(config, notes)
        if config.lastmod == "git":
            apply_git_dates(config, notes)
        now = options.now or _now(config)
        self._drafts = 0 if options.drafts else sum(1 for n in notes if n.draft)
        self._valid_until = _next_change(notes, now)
        published = [n for n in notes if is_published(n, now, options.drafts, options.future)]
        published.sort(key=lambda n: n.sort_key)
        return unique_urls(published, reporter)

    def _render_notes(
        self,
        config: SiteConfig,
        published: list[Note],
        reporter: Reporter,
        images: ImageCatalog | None = None,
    ) -> list[NoteView]:
        """Render what changed; meanwhile (while workers render) compile the page
        templates and rank related notes."""
        run = self.render_settings(config, images)
        meanwhile = partial(self._meanwhile, published)
        records = self.state.note_records(config)
        views = self.notes.render(published, records, run, reporter, meanwhile)
        self._keys = {}
        self.signer.reset()
        for v in views:
            self.remember(v)
        return views

    def render_settings(self, config: SiteConfig, images: ImageCatalog | None) -> RenderSettings:
        memo = self.templates.memo
        assert memo is not None
        return RenderSettings(
            config,
            memo.templates.jinja,
            self.state.store,
            self.state.saving(),
            self.options.jobs,
            self.options.progress,
            images,
        )

    def remember(self, v: NoteView) -> None:
        """A rendered note's key (for ``notes.json``) and card (for page signatures)."""
        self._keys[v.note.source] = v.key
        self.signer.know(v.note.rel, v.card, v.key, v.links_key)

    def edit(self, paths: Sequence[str]) -> BuildResult | None:
        """The rebuild after ``paths`` (project-relative) were modified, when they are
        notes edited in place that only change the pages showing their bodies
        (:func:`apply_edit`); None: :meth:`build` is needed."""
        last = self.last
        if last is None or self.languages is not None or not paths:
            return None
        now = self.options.now or _now(last.config)
        if self._valid_until is not None and now.timestamp() >= self._valid_until:
            return None  # a note's date came: the published notes change
        self.last = None  # (until it is done: a failure leaves the state to a full build)
        self.last = apply_edit(self, last, paths)
        if self.last is not None:
            self._reused = set(self.last.unchanged)
        return self.last

    def _meanwhile(self, published: list[Note]) -> None:
        self.templates.compile_all()
        self.related(published, self.state.saving_folder())

    def save_caches(self, config: SiteConfig) -> None:
        """Remember, for the next CLI build, each note's front matter and facts
        (``notes.json``) and each published page's inputs and file stamp (``pages.json``)."""
        if not self.state.saving():
            return
        self.images.save()
        self.missing.save(self.state.folder)
        self.state.save_pages(config, self.pages.pages, self._reused)
        memo = self.templates.memo
        if memo is not None:
            self.state.save_templates(repr(memo.stamp), memo.templates.hashes.export())
        current: dict[str, NoteRecord] = {}
        for source, loaded in self.loader.loaded.items():
            key = self._keys.get(source, "")
            facts = self.notes.facts.get(key)
            card = self.notes.card_memo(key, loaded.note)
            current[str(source)] = NoteRecord(loaded.stamp, loaded.note, key, facts, *card)
        self.state.save_notes(config, current)


def _next_change(notes: list[Note], now: dt.datetime) -> float | None:
    """When the set of published notes next changes by itself (a date, publish date or
    expiry date passes), as a POSIX time; None when no note has a date ahead."""
    ahead = [
        when.timestamp()
        for n in notes
        for when in (n.date, n.publish_date, n.expiry_date)
        if when is not None and when > now
    ]
    return min(ahead, default=None)


def _now(config: SiteConfig) -> dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=config.tz)
    return dt.datetime.now(tz=config.tz)


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
