"""Stage 4 for a Hugo site: the pages Hugo makes for the same content, at the same URLs.

- a page per regular note (bundles and ``url``/``slug``/``[permalinks]`` decided its URL);
- the home page and a list page per section (top-level folders with pages, and every
  folder with an ``_index.md``), showing the ``_index.md`` text; paginated, with the
  ``page/1/`` redirect Hugo writes for every paginated list;
- for every configured taxonomy, a page per term and the taxonomy's page listing its
  terms, both paginated (Hugo pages the terms too);
- a redirect page per ``aliases`` entry (meta refresh and canonical link, as Hugo's);
- search and 404, as on every site."""

from __future__ import annotations

from collections.abc import Iterator
from html import escape
from urllib.parse import quote

from awsnotes_site.config import SiteConfig
from awsnotes_site.hugo.paths import (
    alias_path,
    hugo_terms,
    place_of,
    section_page_url,
    taxonomy_url,
)
from awsnotes_site.hugo.permalinks import urlize
from awsnotes_site.model import pages as kinds
from awsnotes_site.model.note import Note
from awsnotes_site.model.pages import PageSpec, context_of
from awsnotes_site.model.strings import strings_for
from awsnotes_site.model.taxonomies import Term, series_order
from awsnotes_site.model.views import NoteView, Paginator
from awsnotes_site.pipeline.generated import generated
from awsnotes_site.pipeline.plan import (
    _fixed,
    _link_neighbours,
    _note_page,
    _paginate,
    _series_boxes,
)
from awsnotes_site.urls import output_path

TAXONOMY_TITLES = {"categories": "카테고리", "authors": "저자", "topics": "주제"}


def redirect_html(config: SiteConfig, target: str) -> str:
    """Hugo's alias page: a meta refresh and a canonical link to TARGET (site URL)."""
    url = escape(quote(config.absolute_base + target, safe="/:%#?=&~@+,;"))
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(config.language)}">\n<head>\n'
        f"<title>{url}</title>\n"
        f'<link rel="canonical" href="{url}">\n<meta charset="utf-8">\n'
        '<meta name="robots" content="noindex">\n'
        f'<meta http-equiv="refresh" content="0; url={url}">\n'
        "</head>\n</html>\n"
    )


def redirect(config: SiteConfig, path: str, target: str, deps: tuple[Note, ...]) -> PageSpec:
    return generated(path, deps, lambda: redirect_html(config, target), key=target)


def _with_page_one(config: SiteConfig, specs: list[PageSpec], url: str) -> list[PageSpec]:
    """Hugo writes ``LIST/page/1/`` redirecting to the list's first page."""
    return [*specs, redirect(config, output_path(f"{url}page/1/"), url, ())]


def _owner(dirs: tuple[str, ...], folders: set[tuple[str, ...]]) -> tuple[str, ...]:
    """The section a page in DIRS (or a section at DIRS, excluded) belongs to: the
    deepest section folder above it, ``()`` for the home page."""
    for depth in range(len(dirs), 0, -1):
        if dirs[:depth] in folders:
            return dirs[:depth]
    return ()


def _sections(
    config: SiteConfig, pages: list[NoteView], index: dict[tuple[str, ...], NoteView]
) -> Iterator[tuple[tuple[str, ...], str, list[NoteView]]]:
    """(folders, URL, entries) of every section: like Hugo's ``.Pages``, its own pages
    and its subsections (their ``_index.md``), newest first."""
    lower = not config.disable_path_to_lower
    dirs_of = {v.note.rel: place_of(v.note.rel).dirs for v in pages}
    folders = {d for d in index if d} | {d[:1] for d in dirs_of.values() if d}
    entries: dict[tuple[str, ...], list[NoteView]] = {d: [] for d in folders}
    for v in pages:
        owner = _owner(dirs_of[v.note.rel], folders)
        if owner:
            entries[owner].append(v)
    for dirs, view in index.items():
        parent = _owner(dirs[:-1], folders)
        if dirs and parent:
            entries[parent].append(view)
    for dirs in sorted(folders):
        members = sorted(entries[dirs], key=lambda v: v.note.sort_key)
        own = index.get(dirs)
        url = own.note.url if own else section_page_url(dirs, config.permalinks, lower)
        yield dirs, url, members


def _taxonomy_title(plural: str, text: dict[str, str]) -> str:
    return text.get(plural) or TAXONOMY_TITLES.get(plural) or plural.capitalize()


def _taxonomy_pages(
    config: SiteConfig,
    plural: str,
    terms: list[Term],
    by_rel: dict[str, NoteView],
    title: str,
    url: str,
) -> list[PageSpec]:
    specs: list[PageSpec] = []
    for term in terms:
        members = [by_rel[n.rel] for n in term.notes]
        specs += _with_page_one(
            config,
            _paginate(config, members, term.url, kinds.TAG, term.name, term, None, (plural, title)),
            term.url,
        )
    size = config.paginate
    chunks = [terms[i : i + size] for i in range(0, len(terms), size)] or [[]]
    deps = tuple({n.rel: n for t in terms for n in t.notes}.values())
    for number, chunk in enumerate(chunks, start=1):
        page_url = url if number == 1 else f"{url}page/{number}/"
        paginator = Paginator(
            notes=[],
            number=number,
            total_pages=len(chunks),
            total_notes=len(terms),
            prev_url=(url if number == 2 else f"{url}page/{number - 1}/") if number > 1 else None,
            next_url=f"{url}page/{number + 1}/" if number < len(chunks) else None,
            url=page_url,
        )
        context = kinds.TaxonomyContext(chunk, title, kinds.TAGS.name, plural, paginator)
        specs.append(
            PageSpec(
                output_path(page_url),
                kinds.TAGS.template,
                deps,
                ("taxonomy", plural, number, len(chunks)),
                context_of(context),
            )
        )
    return _with_page_one(config, specs, url)


def assemble_hugo(
    config: SiteConfig, views: list[NoteView], related: dict[str, list[str]]
) -> list[PageSpec]:
    text = strings_for(config.language)
    lower = not config.disable_path_to_lower
    pages = [v for v in views if v.note.kind == "page"]
    index = {place_of(v.note.rel).dirs: v for v in views if v.note.kind != "page"}
    _link_neighbours(pages)
    by_rel = {v.note.rel: v for v in pages}
    notes = [v.note for v in pages]
    for v in pages:
        v.related = [by_rel[rel] for rel in related.get(v.note.rel, ()) if rel in by_rel]
    specs = [_note_page(v) for v in pages]
    home = index.get(())
    specs += _with_page_one(
        config, _paginate(config, pages, "", kinds.HOME, config.title, index=home), ""
    )
    for dirs, url, members in _sections(config, pages, index):
        own = index.get(dirs)
        title = own.note.title if own is not None else dirs[-1]
        listed = _paginate(config, members, url, kinds.SECTION, title, index=own)
        specs += _with_page_one(config, listed, url)
    for plural in config.taxonomies.values():
        prefix = plural if not lower else plural.lower()
        terms = hugo_terms(notes, plural, config.permalinks, lower)
        url = taxonomy_url(plural, config.permalinks, lower)
        if plural == "tags" and url != "tags/":  # the header links to /tags/
            specs.append(redirect(config, "tags/index.html", url, ()))
        if plural == "tags":
            slugs = {t.slug: t for t in terms}
            for v in pages:
                found = (slugs.get(urlize(name, lower) or "_") for name in v.note.tags)
                v.tags = [t for t in found if t is not None]
        if plural == "series":
            for term in terms:
                _series_boxes(term, [by_rel[n.rel] for n in series_order(term)])
        title = _taxonomy_title(plural, text)
        specs += _taxonomy_pages(config, prefix, terms, by_rel, title, url)
    for v in pages:
        for alias in v.note.aliases:
            specs.append(redirect(config, alias_path(alias, v.note.url), v.note.url, (v.note,)))
    if config.hugo_language and not config.language_dir:  # Hugo's /ko/ -> / (default)
        specs.append(redirect(config, f"{config.hugo_language}/index.html", "", ()))
    specs.append(_fixed(kinds.SEARCH, (), kinds.TitledContext(text["search"], kinds.SEARCH.name)))
    specs.append(
        _fixed(kinds.NOT_FOUND, (), kinds.TitledContext(text["not_found"], kinds.NOT_FOUND.name))
    )
    return specs
