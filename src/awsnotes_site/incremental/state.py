"""The one owner of the incremental state on disk (``.cache/``): what is read from it,
read once per :class:`CacheState` (one per Builder: a long ``serve`` session reads the
files of the last CLI build once, then keeps everything in memory), and what is saved
back after a build."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from awsnotes_site.config import SiteConfig
from awsnotes_site.diagnostics import Diagnostic, Reporter, Severity
from awsnotes_site.incremental import records, store
from awsnotes_site.incremental.keys import notes_context
from awsnotes_site.incremental.records import NoteRecord
from awsnotes_site.incremental.store import PageRecord, RenderStore

CACHE_DIR = ".cache"
JINJA_DIR = "jinja"  # compiled templates (Jinja's own bytecode cache)
CACHE_PROBLEMS_SHOWN = 3


@dataclass
class PageMemo:
    """A page as the last build made it: its signature, the notes whose body it used,
    and its bytes (None: as published, or written into the staging folder)."""

    signature: str
    used: frozenset[str]
    data: bytes | None


class CacheState:
    """``.cache/`` for one project: off when ``use_cache`` is false; never written when
    ``save`` is false."""

    def __init__(self, use_cache: bool, save: bool) -> None:
        self.use_cache = use_cache
        self.save = save
        self.folder = Path(CACHE_DIR)
        self.store: RenderStore | None = None
        self.problems: list[str] = []
        self._notes: dict[str, NoteRecord] | None = None
        self._pages: dict[str, PageRecord] | None = None

    def bind(self, config: SiteConfig) -> None:
        """Use ``config``'s project (at the start of each build)."""
        self.folder = config.root / CACHE_DIR
        if not self.use_cache:
            self.store = None
        elif self.store is None or self.store.folder.parent != self.folder:
            self.store = RenderStore(self.folder)

    def note_records(self, config: SiteConfig) -> dict[str, NoteRecord]:
        """``notes.json`` of the last CLI build, read once."""
        if not self.use_cache:
            return {}
        if self._notes is None:
            self._notes, problem = records.load_notes(self.folder, notes_context(config), config.tz)
            if problem:
                self.problems.append(problem)
        return self._notes

    def page_records(self, config: SiteConfig) -> dict[str, PageRecord]:
        """``pages.json`` of the last CLI build, read once."""
        if not self.use_cache:
            return {}
        if self._pages is None:
            self._pages = store.load_pages(self.folder, config.output_path)
        return self._pages

    def jinja_folder(self) -> Path | None:
        return self.folder / JINJA_DIR if self.use_cache else None

    def saving_folder(self) -> Path | None:
        """Where the caches kept beside a build (``related.json``, ``links.json``) are read
        and written: only while saving (serve saves once, in its first build)."""
        return self.folder if self.saving() else None

    def template_hashes(self, stamp: str) -> dict[str, Any]:
        return store.load_templates(self.folder, stamp) if self.use_cache else {}

    def report_problems(self, reporter: Reporter) -> None:
        """Warn about the ignored cache entries met since the last report (a few)."""
        if self.store is not None:
            self.problems += self.store.problems
            self.store.problems = []
        problems, self.problems = self.problems, []
        shown = problems[:CACHE_PROBLEMS_SHOWN]
        hidden = len(problems) - len(shown)
        for problem in shown:
            reporter.add(Diagnostic(CACHE_DIR, None, Severity.WARNING, problem))
        if hidden:
            message = f"... and {hidden} more cache entries ignored"
            reporter.add(Diagnostic(CACHE_DIR, None, Severity.WARNING, message))

    # -- saving -----------------------------------------------------------------------
    def saving(self) -> bool:
        return self.use_cache and self.save

    def save_pages(
        self, config: SiteConfig, pages: Mapping[str, PageMemo], reused: set[str]
    ) -> None:
        """Each published page's signature, used notes and file stamp (``pages.json``);
        a page reused as published keeps its record."""
        out = config.output_path
        saved: dict[str, PageRecord] = {}
        old = self._pages or {}
        for path, page in pages.items():
            if path in reused and path in old and old[path].signature == page.signature:
                saved[path] = old[path]  # as published before; its stamp was checked
                continue
            try:
                st = (out / path).stat()
            except OSError:
                continue
            saved[path] = PageRecord(page.signature, st.st_size, st.st_mtime_ns, page.used)
        store.save_pages(self.folder, out, saved)

    def save_templates(self, stamp: str, hashes: dict[str, Any]) -> None:
        store.save_templates(self.folder, stamp, hashes)

    def save_notes(self, config: SiteConfig, current: dict[str, NoteRecord]) -> None:
        """Every note's front matter and facts (``notes.json``); a record unchanged since
        it was read is written back as read."""
        previous = self._notes or {}
        saved: dict[str, NoteRecord] = {}
        for source, record in current.items():
            old = previous.get(source)
            if (
                old is not None
                and old.stamp == record.stamp
                and old.key == record.key
                and old.card == record.card
                and old.card_lastmod == record.card_lastmod
                and (
                    (old.note is record.note and old.facts is record.facts)  # the usual case
                    or (old.note == record.note and old.facts == record.facts)
                )
            ):
                saved[source] = old
            else:
                saved[source] = record
        if saved != self._notes:
            store.save_notes(self.folder, notes_context(config), saved, config.tz)
            self._notes = saved
