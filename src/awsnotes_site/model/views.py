"""What templates see: a note (``page``, and the items of lists), the site, a paginator and
a series box (:mod:`.series`), as dataclasses (attribute lookups in Jinja are faster on
them than on dicts), and the :class:`DependencyTracker` through which a page records
whose body it used."""

from __future__ import annotations

import contextlib
import operator
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from awsnotes_site.markdown import NoteFacts, RenderedNote
from awsnotes_site.markdown.headings import toc_tree
from awsnotes_site.model.note import Note
from awsnotes_site.model.series import SeriesBox
from awsnotes_site.model.taxonomies import Term

SearchPart = tuple[str, tuple[str, str] | None]  # a note's plain text, packed search keys
BACKLINKS = "\0backlinks\0"  # + a note's path: the dependency on its backlinks


class DependencyTracker:
    """Which notes' whole content (body, HTML, text, TOC) the page being rendered used.
    A page depends on the whole of those notes, and only on the card (front matter,
    summary, reading time) of the others it lists. Views report a use through
    :meth:`note_dependency`; :meth:`recording` collects the uses of one page."""

    def __init__(self) -> None:
        self._used: set[str] | None = None

    def note_dependency(self, rel: str) -> None:
        if self._used is not None:
            self._used.add(rel)

    @contextlib.contextmanager
    def recording(self) -> Iterator[set[str]]:
        """Collect the notes used meanwhile into the set yielded (complete on exit)."""
        used: set[str] = set()
        self._used = used
        try:
            yield used
        finally:
            self._used = None


@dataclass
class SiteView:
    """``site`` in templates (and shortcode templates)."""

    title: str
    description: str
    author: str
    language: str
    base_url: str
    base_path: str
    params: dict[str, Any]


@dataclass
class Paginator:
    """``paginator`` on list pages: one page of a list of notes."""

    notes: list[NoteView]
    number: int
    total_pages: int
    total_notes: int
    prev_url: str | None
    next_url: str | None
    url: str


@dataclass(eq=False)
class NoteView:
    """What templates see as ``page`` on a note (and as items of lists). The rendered
    note is loaded on first use (``load``), so a rebuild that reuses most pages never
    reads most notes' HTML. Every use of the note's body goes to ``tracker``."""

    note: Note
    facts: NoteFacts
    load: Callable[[], RenderedNote]
    tracker: DependencyTracker
    load_search: Callable[[], SearchPart] | None = None  # text and keys alone, when cheaper
    key: str = ""  # render cache key: changes with the note's bytes and the renderer
    card: str = ""  # digest of what lists show of the note (front matter, summary...)
    tags: list[Term] = field(default_factory=list)
    series: list[SeriesBox] = field(default_factory=list)
    prev: NoteView | None = None
    next: NoteView | None = None
    related: list[NoteView] = field(default_factory=list)
    loaded: RenderedNote | None = None
    links_in: list[Any] = field(default_factory=list)  # vault: pipeline.vault.Backlink
    links_key: str | None = None  # digest of links_in ("": none; None: not a vault note)

    def __getattr__(self, name: str) -> Any:
        if name == "body":
            self.tracker.note_dependency(self.note.rel)
        return getattr(self.note, name)

    @property
    def rendered(self) -> RenderedNote:
        self.tracker.note_dependency(self.note.rel)
        if self.loaded is None:
            self.loaded = self.load()
        return self.loaded

    @property
    def backlinks(self) -> list[Any]:
        """The notes linking to this one (a vault's), a dependency of the page showing
        them apart from the note's content."""
        if self.links_key is not None:
            self.tracker.note_dependency(BACKLINKS + self.note.rel)
        return self.links_in

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
        self.tracker.note_dependency(self.note.rel)
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
