"""Stage 5: render the planned pages, reusing each page whose signature (template,
settings, the cards of the notes it lists, the render keys of the notes whose body it
used) is unchanged; many pages in forked workers that write into the staging folder."""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from awsnotes_site.config import SiteConfig
from awsnotes_site.diagnostics import Diagnostic, error
from awsnotes_site.incremental.keys import PageSigner, page_fingerprint, signature_head
from awsnotes_site.incremental.state import PageMemo
from awsnotes_site.incremental.store import PageRecord
from awsnotes_site.model.pages import PageSpec, template_vars
from awsnotes_site.model.views import DependencyTracker
from awsnotes_site.parallel import chunk_size, fork_map, workers
from awsnotes_site.pipeline.options import PageFiles
from awsnotes_site.publish import StageWriter
from awsnotes_site.templating import TemplateHashes, template_error


@dataclass
class RenderedPage:
    path: str
    signature: str
    used: frozenset[str]
    data: bytes | None  # None: written into the staging folder by a worker
    templated: int  # 1 for a page from a template, 0 for a generated file
    problem: Diagnostic | None = None


@dataclass
class PagesOutcome:
    """What rendering the pages produced."""

    files: PageFiles
    page_sources: dict[str, str] = field(default_factory=dict)
    rendered: int = 0  # pages rendered from a template
    reused: set[str] = field(default_factory=set)  # taken unchanged from the output folder
    problems: list[Diagnostic] = field(default_factory=list)


@dataclass
class Templates:
    jinja: jinja2.Environment
    hashes: TemplateHashes


class PageRenderer:
    """Renders pages and remembers them (signatures, used notes, bytes) between builds."""

    def __init__(self, tracker: DependencyTracker, signer: PageSigner) -> None:
        self.tracker = tracker
        self.signer = signer
        self.pages: dict[str, PageMemo] = {}
        self.disk: dict[str, PageRecord] = {}  # pages.json of the last CLI build, if used
        self.planned: dict[str, tuple[PageSpec, str]] = {}  # the last build's: spec, head
        self._users: dict[str, set[str]] | None = None  # note -> pages that used its body

    def render(
        self,
        config: SiteConfig,
        specs: list[PageSpec],
        templates: Templates,
        stage: Path | None,
        parallel: tuple[int, int],
        assets: str = "",
    ) -> PagesOutcome:
        """``parallel``: (jobs, at least this many pages to render for workers); ``assets``:
        the key of the asset URLs the pages link (``AssetLinks.key``, theme/assets.py)."""
        out = PagesOutcome(PageFiles(config.output_path))
        fp = page_fingerprint(config, assets)
        pages: dict[str, PageMemo] = {}
        todo: list[tuple[PageSpec, str]] = []
        published = str(out.files.out_dir)  # resolved once, not once a page
        self.planned = planned = {}
        self._users = None
        for spec in specs:
            head = self._plan(spec, templates.hashes, fp, out)
            if head is None:
                continue
            planned[spec.path] = (spec, head)
            reused = self._reuse(published, spec, head)
            if reused is None:
                todo.append((spec, head))
                continue
            pages[spec.path] = reused
            if reused.data is not None:
                out.files[spec.path] = reused.data
            else:
                out.files.reuse(spec.path)
                out.reused.add(spec.path)
        jobs, least = parallel
        if stage is not None and len(todo) >= least:
            done = self._render_forked(todo, templates.jinja, config, stage, jobs)
        else:
            done = [self.render_page(spec, head, templates.jinja, config) for spec, head in todo]
        for page in done:
            if page.problem is not None:
                out.problems.append(page.problem)
                out.page_sources.pop(page.path, None)
                continue
            out.rendered += page.templated
            pages[page.path] = PageMemo(page.signature, page.used, page.data)
            if page.data is not None:
                out.files[page.path] = page.data
            else:
                out.files.staged(page.path)
        self.pages = pages
        return out

    def rerender(
        self, bodies: set[str], cards: set[str], jinja: jinja2.Environment, config: SiteConfig
    ) -> list[RenderedPage] | None:
        """Render again, as the last build planned them, the pages that used the body of a
        note in ``bodies`` or list one in ``cards`` (notes edited in place: nothing else of
        them changed); None, and nothing kept, when one fails (a full build then reports
        it)."""
        users = self._users
        if users is None:  # (once after a full build)
            users = self._users = {}
            for path, memo in self.pages.items():
                for rel in memo.used:
                    users.setdefault(rel, set()).add(path)
        paths = {path for rel in bodies for path in users.get(rel, ())}
        if cards:
            paths.update(
                path
                for path, (spec, _) in self.planned.items()
                if path in self.pages and any(n.rel in cards for n in spec.deps)
            )
        done: list[RenderedPage] = []
        for path in sorted(paths):
            page = self.render_page(*self.planned[path], jinja, config)
            if page.problem is not None:
                self._users = None
                return None
            done.append(page)
        for page in done:
            for rel in self.pages[page.path].used - page.used:
                users[rel].discard(page.path)
            for rel in page.used:
                users.setdefault(rel, set()).add(page.path)
            self.pages[page.path] = PageMemo(page.signature, page.used, page.data)
        return done

    @staticmethod
    def _plan(spec: PageSpec, hashes: TemplateHashes, fp: str, out: PagesOutcome) -> str | None:
        """Record the page's source and return its signature head; None (and an error) when
        another page already took its path."""
        if spec.path in out.page_sources:
            owner = out.page_sources[spec.path] or spec.path
            out.problems.append(
                error(
                    spec.source or spec.path,
                    None,
                    f"two pages on one URL /{spec.path} (also {owner})",
                )
            )
            return None
        out.page_sources[spec.path] = spec.source
        digest = hashes.digest(spec.template) if spec.template else ""
        return signature_head(spec.template, digest, fp, spec.key)

    def render_page(
        self,
        spec: PageSpec,
        head: str,
        jinja: jinja2.Environment,
        config: SiteConfig,
        writer: StageWriter | None = None,
    ) -> RenderedPage:
        """Render one page, noting which notes' bodies it used; with ``writer``, write it
        into the staging folder and keep no bytes (worker processes)."""
        with self.tracker.recording() as used_now:
            try:
                if spec.render is not None:
                    data = spec.render()
                else:
                    context = spec.context()
                    variables = template_vars(context) if context is not None else {}
                    data = jinja.get_template(spec.template).render(variables).encode("utf-8")
            except (jinja2.TemplateError, TypeError, ValueError, AttributeError) as exc:
                problem = template_error(exc, config.templates_dir, config.root)
                return RenderedPage(spec.path, "", frozenset(), None, 0, problem)
        used = frozenset(used_now)
        signature = self.signer.sign(head, spec.deps, used)
        templated = 0 if spec.render is not None else 1
        if writer is None:
            return RenderedPage(spec.path, signature, used, data, templated)
        writer.write(spec.path, data)
        return RenderedPage(spec.path, signature, used, None, templated)

    def _reuse(self, published: str, spec: PageSpec, head: str) -> PageMemo | None:
        """The page from the last build if its inputs are unchanged: from memory (serve), or
        as published by the last CLI build (``data`` None: the file in the output folder
        is it, unchanged since it was written, by size and modification time)."""
        cached = self.pages.get(spec.path)
        if cached is not None:
            signature = self.signer.sign(head, spec.deps, cached.used)
            if signature == cached.signature:
                return PageMemo(signature, cached.used, cached.data)
        entry = self.disk.get(spec.path)
        if entry is None:
            return None
        signature = self.signer.sign(head, spec.deps, entry.used)
        if signature != entry.signature:
            return None
        try:
            st = os.stat(os.path.join(published, spec.path))
        except OSError:
            return None
        if (st.st_size, st.st_mtime_ns) != (entry.size, entry.mtime_ns):
            return None
        return PageMemo(signature, entry.used, None)

    def _render_forked(
        self,
        todo: list[tuple[PageSpec, str]],
        jinja: jinja2.Environment,
        config: SiteConfig,
        stage: Path,
        jobs: int,
    ) -> list[RenderedPage]:
        """Render pages in forked workers that inherit the planned site and write each page
        straight into the staging folder: only paths, signatures and problems come back."""
        job = PageJob(self, todo, jinja, config, StageWriter(stage))
        count = workers(jobs)
        if count < 2:
            return _render_pages(job, range(len(todo)))
        for name in sorted({spec.template for spec, _ in todo if spec.template}):
            with contextlib.suppress(jinja2.TemplateError):
                jinja.get_template(name)  # compiled once, before the fork
        # Generated files (search shards, feeds: the slowest) first and small chunks, so
        # that no worker is left with a long last chunk while the others wait.
        order = sorted(range(len(todo)), key=lambda i: todo[i][0].render is None)
        size = chunk_size(len(todo), count)
        chunks = [order[i : i + size] for i in range(0, len(order), size)]
        results: list[RenderedPage | None] = [None] * len(todo)
        for indices, part in zip(chunks, fork_map(_render_pages, job, chunks, count), strict=True):
            for i, page in zip(indices, part, strict=True):
                results[i] = page
        return [page for page in results if page is not None]


@dataclass
class PageJob:
    """What page workers inherit: the renderer (with its signer and tracker), the work
    list and where to write."""

    renderer: PageRenderer
    todo: list[tuple[PageSpec, str]]
    jinja: jinja2.Environment
    config: SiteConfig
    writer: StageWriter


def _render_pages(job: PageJob, indices: list[int] | range) -> list[RenderedPage]:
    return [
        job.renderer.render_page(*job.todo[i], job.jinja, job.config, job.writer) for i in indices
    ]
