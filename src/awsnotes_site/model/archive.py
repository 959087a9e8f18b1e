"""The archive (every note by year and month, with counts), categories (a Hugo-style
taxonomy read from the ``categories`` front matter key) and pinned notes (``pin = true``)
first on the home page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from awsnotes_site.model.note import Note, slugify_name
from awsnotes_site.model.strings import month_label, strings_for
from awsnotes_site.model.taxonomies import Term
from awsnotes_site.model.views import NoteView


@dataclass
class ArchiveMonth:
    year: int
    month: int
    label: str
    notes: list[NoteView] = field(default_factory=list)


@dataclass
class ArchiveYear:
    year: int
    label: str
    months: list[ArchiveMonth] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(m.notes) for m in self.months)


@dataclass
class ArchiveContext:
    """The archive page: years (newest first), their months, their notes; undated notes
    last."""

    years: list[ArchiveYear]
    undated: list[NoteView]
    total: int
    title: str
    kind: str


def archive_years(views: list[NoteView], language: str) -> tuple[list[ArchiveYear], list[NoteView]]:
    """Dated notes grouped by year and month (newest first), and the undated ones."""
    years: dict[int, ArchiveYear] = {}
    months: dict[tuple[int, int], ArchiveMonth] = {}
    undated: list[NoteView] = []
    year_label = strings_for(language)["archive_year"]
    dated = sorted((v for v in views if v.note.date), key=_newest_first)
    for v in dated:
        date = v.note.date
        assert date is not None
        year = years.get(date.year)
        if year is None:
            year = years[date.year] = ArchiveYear(date.year, year_label.format(year=date.year))
        month = months.get((date.year, date.month))
        if month is None:
            label = month_label(date.year, date.month, language)
            month = months[(date.year, date.month)] = ArchiveMonth(date.year, date.month, label)
            year.months.append(month)
        month.notes.append(v)
    undated = [v for v in views if not v.note.date]
    return list(years.values()), undated


def _newest_first(v: NoteView) -> tuple[float, str]:
    date = v.note.date
    return (-date.timestamp() if date else 0.0, v.note.rel)


def archive_context(views: list[NoteView], language: str, kind: str) -> ArchiveContext:
    years, undated = archive_years(views, language)
    title = strings_for(language)["archive"]
    return ArchiveContext(years, undated, len(views), title, kind)


def is_pinned(note: Note) -> bool:
    return note.params.get("pin") is True


def pinned_first(views: list[NoteView]) -> list[NoteView]:
    """Pinned notes first (in their order), then the others (a stable sort)."""
    return sorted(views, key=lambda v: not is_pinned(v.note))


def category_names(note: Note) -> list[str]:
    """The note's ``categories`` (a list, or one string)."""
    value: Any = note.params.get("categories")
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, list):
        return [str(x) for x in value if str(x).strip()]
    return []


def category_terms(notes: list[Note], prefix: str = "categories") -> list[Term]:
    """The categories and their notes (input order kept), by name."""
    by_slug: dict[str, Term] = {}
    for note in notes:
        for name in category_names(note):
            slug = slugify_name(name) or "_"
            term = by_slug.get(slug)
            if term is None:
                term = by_slug[slug] = Term(name, slug, f"{prefix}/{slug}/")
            term.notes.append(note)
    return sorted(by_slug.values(), key=lambda t: t.name.lower())
