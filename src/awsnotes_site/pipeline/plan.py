"""Stage 4: plan every page (nothing is rendered here): link notes to their neighbours,
related notes and series, then one :class:`PageSpec` per note, list page, taxonomy term,
series and fixed page, each of a kind of :mod:`awsnotes_site.model.pages`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from awsnotes_site.config import SiteConfig
from awsnotes_site.incremental.keys import RelatedKey, related_digest, related_key
from awsnotes_site.incremental.store import load_related, save_related
from awsnotes_site.model import pages as kinds
from awsnotes_site.model.archive import pinned_first
from awsnotes_site.model.note import Note, slugify_name
from awsnotes_site.model.pages import PageKind, PageSpec, context_of
from awsnotes_site.model.series import series_boxes
from awsnotes_site.model.strings import strings_for
from awsnotes_site.model.taxonomies import SERIES, TAGS, Term, group_terms, series_order
from awsnotes_site.model.taxonomies import related_notes as rank_related
from awsnotes_site.model.views import NoteView, Paginator, SiteView
from awsnotes_site.pipeline.archive import plan_reader_pages as _archive_pages
from awsnotes_site.urls import output_path


def site_view(config: SiteConfig) -> SiteView:
    return SiteView(
        title=config.title,
        description=config.description,
        author=config.author,
        language=config.language,
        base_url=config.base_url,
        base_path=config.base_path,
        params=config.params,
    )


class RelatedNotes:
    """Related notes (by path), recomputed only when some note's path, order or tags
    changed: kept in memory (serve) and, with a cache folder, in ``related.json``."""

    def __init__(self) -> None:
        self._key: RelatedKey | None = None
        self._related: dict[str, list[str]] = {}

    def __call__(self, notes: list[Note], folder: Path | None = None) -> dict[str, list[str]]:
        key = related_key(notes)
        if key == self._key:
            return self._related
        digest = related_digest(key)
        found = load_related(folder, digest) if folder is not None else None
        if found is None:
            found = {rel: [o.rel for o in others] for rel, others in rank_related(notes).items()}
            if folder is not None:
                save_related(folder, digest, found)
        self._key, self._related = key, found
        return found


def assemble(
    config: SiteConfig, views: list[NoteView], related: dict[str, list[str]]
) -> list[PageSpec]:
    """Link notes together and plan every page. Cheap: nothing is rendered here."""
    if config.kind == "hugo":
        from awsnotes_site.pipeline.hugo_pages import assemble_hugo

        return assemble_hugo(config, views, related) + _archive_pages(config, views, _paginate)
    text = strings_for(config.language)
    _link_neighbours(views)
    by_rel = {v.note.rel: v for v in views}
    tags = group_terms([v.note for v in views], TAGS.field, TAGS.prefix)
    series = group_terms([v.note for v in views], SERIES.field, SERIES.prefix)
    tag_by_slug = {t.slug: t for t in tags}
    for v in views:
        v.related = [by_rel[rel] for rel in related[v.note.rel]]
        v.tags = [tag_by_slug[slugify_name(t) or "_"] for t in v.note.tags]
    for term in series:
        _series_boxes(term, [by_rel[n.rel] for n in series_order(term)], config.paginate)
    specs = [_note_page(v) for v in views]
    specs += _paginate(config, pinned_first(views), "", kinds.HOME, config.title)
    specs += _archive_pages(config, views, _paginate)
    sections: dict[str, list[NoteView]] = {}
    for v in views:
        if v.note.section:
            sections.setdefault(v.note.section, []).append(v)
    for name, members in sorted(sections.items()):
        url = f"{slugify_name(name)}/" if config.kind == "vault" else f"{name}/"  # as notes'
        specs += _paginate(config, members, url, kinds.SECTION, name)
    for term in tags:
        members = [by_rel[n.rel] for n in term.notes]
        specs += _paginate(config, members, term.url, kinds.TAG, term.name, term)
    all_notes = tuple(v.note for v in views)
    specs.append(
        _fixed(kinds.TAGS, all_notes, kinds.TermsContext(tags, text["tags"], kinds.TAGS.name))
    )
    for term in series:
        specs += _series_pages(config, term, [by_rel[n.rel] for n in series_order(term)])
    if series:
        counts = {s.name: len(s.notes) for s in series}
        index = kinds.SeriesIndexContext(series, text["series"], kinds.SERIES_INDEX.name, counts)
        specs.append(_fixed(kinds.SERIES_INDEX, all_notes, index))
    specs.append(_fixed(kinds.SEARCH, (), kinds.TitledContext(text["search"], kinds.SEARCH.name)))
    specs.append(
        _fixed(kinds.NOT_FOUND, (), kinds.TitledContext(text["not_found"], kinds.NOT_FOUND.name))
    )
    return specs


def _series_boxes(term: Term, ordered: list[NoteView], per_page: int = 0) -> None:
    """Each note's box of the series ``term`` (a window, see :mod:`.model.series`)."""
    series_boxes(term, ordered, per_page)


def _series_pages(config: SiteConfig, term: Term, ordered: list[NoteView]) -> list[PageSpec]:
    """The series page, paginated like lists (``series/x/page/2/``): each page depends on
    the notes it lists, the series' length (in the key) and its name."""
    specs = _paginate(config, ordered, term.url, kinds.SERIES, term.name, term)
    for spec in specs:
        listed = spec.context()
        if isinstance(listed, kinds.TermListContext):
            offset = (listed.paginator.number - 1) * config.paginate
            page = kinds.SeriesContext(**vars(listed), notes=listed.paginator.notes, offset=offset)
            spec.context = context_of(page)
    return specs


def _note_page(v: NoteView) -> PageSpec:
    return PageSpec(
        output_path(v.note.url),
        kinds.NOTE.template,
        _note_deps(v),
        _note_key(v),
        context_of(kinds.NoteContext(v)),
        v.note.display_path,
    )


def _fixed(kind: PageKind, deps: tuple[Note, ...], context: kinds.PageContext) -> PageSpec:
    """The one page of its kind (the tags page, search, 404...)."""
    return PageSpec(kind.path, kind.template, deps, (kind.name,), context_of(context))


def _note_deps(v: NoteView) -> tuple[Note, ...]:
    deps: dict[str, Note] = {v.note.rel: v.note}
    for other in (v.prev, v.next, *v.related):
        if other is not None:
            deps[other.note.rel] = other.note
    for box in v.series:
        for member in box.window:
            deps[member.note.rel] = member.note
    return tuple(deps.values())


def _note_key(v: NoteView) -> tuple[Any, ...]:
    """A note page's key: what its series boxes and tag links show beyond their notes'
    cards (a tag is shown as its newest note spells it)."""
    return ("note", _tag_names([v]), *(box.key() for box in v.series))


def _tag_names(views: list[NoteView]) -> tuple[str, ...]:
    return tuple(t.name for v in views for t in v.tags)


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
    kind: PageKind,
    title: str,
    term: Term | None = None,
    index: NoteView | None = None,
    taxonomy: tuple[str, str] = ("", ""),
) -> list[PageSpec]:
    """The pages of a list of notes; ``index``: the _index.md shown on them, ``taxonomy``:
    (plural, title) of a term's taxonomy (Hugo sites)."""
    size = config.paginate
    chunks = [views[i : i + size] for i in range(0, len(views), size)] or [[]]
    total = len(chunks)
    specs = []
    for number, chunk in enumerate(chunks, start=1):
        page_url = url if number == 1 else f"{url}page/{number}/"
        paginator = Paginator(
            notes=chunk,
            number=number,
            total_pages=total,
            total_notes=len(views),
            prev_url=(url if number == 2 else f"{url}page/{number - 1}/") if number > 1 else None,
            next_url=f"{url}page/{number + 1}/" if number < total else None,
            url=page_url,
        )
        context: kinds.ListContext
        if term is None:
            context = kinds.ListContext(paginator, page_url, title, kind.name, index=index)
        else:
            context = kinds.TermListContext(
                paginator,
                page_url,
                title,
                kind.name,
                term,
                index=index,
                plural=taxonomy[0],
                taxonomy_title=taxonomy[1],
            )
        deps = tuple(v.note for v in chunk) + ((index.note,) if index is not None else ())
        specs.append(
            PageSpec(
                output_path(page_url),
                kind.template,
                deps,
                # the title too: a term's name comes from its newest note, which pages
                # after the first do not list
                (kind.template, url, number, total, len(views), title, *taxonomy)
                + _tag_names(chunk),
                context_of(context),
            )
        )
    return specs
