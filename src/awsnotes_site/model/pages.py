"""The contract between the pipeline and the templates, in one place: every kind of page,
the template it is rendered with and the typed context that template receives, and the
:class:`PageSpec` that plans one output file (where it goes, what it depends on).

A context's fields are exactly the template's variables (``title is defined`` is false on
a note page, whose context has no title). Room is left, as types and fields only, for what
comes next: page bundles (``resources``), section pages from ``_index.md``
(``index_note``), any number of taxonomies (:class:`~.taxonomies.Taxonomy`), backlinks
(``backlinks_of``) and image derivatives as outputs (:class:`Resource` of kind
``derivative``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from awsnotes_site.model.archive import ArchiveContext
from awsnotes_site.model.note import Note
from awsnotes_site.model.taxonomies import Term
from awsnotes_site.model.views import NoteView, Paginator


# -- typed contexts: one per page kind ------------------------------------------------------
@dataclass
class NoteContext:
    page: NoteView


@dataclass
class TitledContext:
    """A page with a title and nothing else to show (search, 404)."""

    title: str
    kind: str


@dataclass
class ListContext:
    """A paginated list of notes: the home page and section pages."""

    paginator: Paginator
    url: str
    title: str
    kind: str
    # a Hugo section's or home's _index.md (its text shown on the list)
    index: NoteView | None = field(default=None, kw_only=True)


@dataclass
class TermListContext(ListContext):
    """The notes of one taxonomy term (a tag page)."""

    term: Term
    # a Hugo site: the taxonomy (``categories``) and its title (``카테고리``); "" for tags
    plural: str = field(default="", kw_only=True)
    taxonomy_title: str = field(default="", kw_only=True)


@dataclass
class TermsContext:
    """Every term of a taxonomy (the tags page)."""

    terms: list[Term]
    title: str
    kind: str


@dataclass
class TaxonomyContext(TermsContext):
    """One page of the terms of any taxonomy of a Hugo site (``/categories/page/2/``)."""

    plural: str
    paginator: Paginator


@dataclass
class SeriesContext(TermListContext):
    """One page of a series' notes, in reading order (``paginator.notes``; ``notes`` is
    the same list, for templates written before series pages were paginated), the first
    of them at place ``offset`` (from 0) in the series."""

    notes: list[NoteView] = field(default_factory=list, kw_only=True)
    offset: int = field(default=0, kw_only=True)


@dataclass
class SeriesIndexContext(TermsContext):
    series_members: dict[str, int]


PageContext = (
    NoteContext
    | TitledContext
    | ListContext
    | TermListContext
    | TermsContext
    | SeriesContext
    | SeriesIndexContext
    | TaxonomyContext
    | ArchiveContext
)


def template_vars(context: PageContext) -> dict[str, Any]:
    """The context as a template's variables (its fields, not copied deeply)."""
    return dict(vars(context))


# -- page kinds -------------------------------------------------------------------------
@dataclass(frozen=True)
class PageKind:
    """A kind of page: ``kind`` as templates see it, its template, its context type, and
    the output path of a kind that has one page only."""

    name: str
    template: str
    context: type[Any]
    path: str = ""


NOTE = PageKind("note", "note.html", NoteContext)
HOME = PageKind("home", "list.html", ListContext)
SECTION = PageKind("section", "list.html", ListContext)
TAG = PageKind("tag", "tag.html", TermListContext)
TAGS = PageKind("tags", "tags.html", TermsContext, "tags/index.html")
SERIES = PageKind("series", "series.html", SeriesContext)
SERIES_INDEX = PageKind("series-index", "series_list.html", SeriesIndexContext, "series/index.html")
SEARCH = PageKind("search", "search.html", TitledContext, "search/index.html")
NOT_FOUND = PageKind("404", "404.html", TitledContext, "404.html")
ARCHIVE = PageKind("archive", "archive.html", ArchiveContext, "archive/index.html")
CATEGORY = PageKind("category", "tag.html", TermListContext)
CATEGORIES = PageKind("categories", "tags.html", TermsContext, "categories/index.html")
PAGE_KINDS = {
    k.name: k
    for k in (NOTE, HOME, SECTION, TAG, TAGS, SERIES, SERIES_INDEX, SEARCH, NOT_FOUND)
    + (ARCHIVE, CATEGORY, CATEGORIES)
}


# -- planned outputs ----------------------------------------------------------------------
@dataclass(frozen=True)
class Resource:
    """A file published alongside a page (not produced yet): a bundle's resource copied as
    is, or a derivative made from a source image by ``recipe`` (size, format)."""

    source: Path
    path: str  # output path relative to the site root
    kind: Literal["copy", "derivative"] = "copy"
    recipe: str = ""


@dataclass
class PageSpec:
    """One output file: where it goes, the template, and what it depends on."""

    path: str  # output path relative to the site root, e.g. "posts/x/index.html"
    template: str
    deps: tuple[Note, ...]
    key: tuple[Any, ...]
    context: Callable[[], PageContext | None]
    source: str = ""  # display path of the note behind the page, if any
    render: Callable[[], bytes] | None = None  # for generated files (no template)
    resources: tuple[Resource, ...] = ()  # page bundles, image derivatives (none yet)
    index_note: Note | None = None  # a section's _index.md (not read yet)
    backlinks_of: str | None = None  # depends on the notes linking to this note (not yet)


def context_of(value: PageContext) -> Callable[[], PageContext]:
    return lambda: value
