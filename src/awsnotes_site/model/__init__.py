"""The model: a note, what templates see of it and of the site, taxonomies, and the
pages a build plans (page kinds, their templates and typed contexts)."""

from __future__ import annotations

from awsnotes_site.model.note import Note, slugify_name
from awsnotes_site.model.pages import PAGE_KINDS, PageKind, PageSpec, Resource
from awsnotes_site.model.series import SeriesBox
from awsnotes_site.model.taxonomies import Term
from awsnotes_site.model.views import (
    DependencyTracker,
    NoteView,
    Paginator,
    SearchPart,
    SiteView,
)

__all__ = [
    "PAGE_KINDS",
    "DependencyTracker",
    "Note",
    "NoteView",
    "PageKind",
    "PageSpec",
    "Paginator",
    "Resource",
    "SearchPart",
    "SeriesBox",
    "SiteView",
    "Term",
    "slugify_name",
]
