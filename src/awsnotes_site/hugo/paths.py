"""Where Hugo puts a page, a section and a content file (checked against Hugo 0.168):

- a page's folders and name (a leaf bundle's folder name) are sanitised and, unless
  ``disablePathToLower``, lower-cased, section folders too; ``slug`` replaces the name;
- ``[permalinks]`` patterns apply to the pages and sections of a top-level section (and
  every section below it), to term pages and taxonomy pages;
- front matter ``url`` is taken as written (case and spaces kept);
- ``aliases`` are kept as written; a relative one is relative to the page's parent;
- a file in a leaf bundle is published beside its page under its own name; any other
  content file under the nearest section's URL, the rest of its path as written."""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from awsnotes_site.hugo.permalinks import PageFacts, expand, permalink_rules, urlize
from awsnotes_site.model.note import Note
from awsnotes_site.model.taxonomies import Term, group_hugo_terms

PAGE, SECTION, HOME = "page", "section", "home"


@dataclass(frozen=True)
class Place:
    """What a content file's path says about its page."""

    kind: str  # "page", "section" (an _index.md) or "home" (content/_index.md)
    dirs: tuple[str, ...]  # the folders above the page (a bundle: above its folder)
    name: str  # file name without extension; a leaf bundle's folder name


def place_of(rel: str) -> Place:
    parts = PurePosixPath(rel).parts
    name = parts[-1]
    if name == "_index.md":
        dirs = tuple(parts[:-1])
        return Place(SECTION if dirs else HOME, dirs, dirs[-1] if dirs else "")
    if name == "index.md" and len(parts) > 1:
        return Place(PAGE, tuple(parts[:-2]), parts[-2])
    return Place(PAGE, tuple(parts[:-1]), PurePosixPath(name).stem)


def language_of(name: str, codes: Iterable[str]) -> str:
    """The language code in a content file's name (``hello.en.md`` -> ``en``, Hugo's
    file-suffix style) when it is one of CODES; ``""`` otherwise."""
    parts = name.split(".")
    return parts[-2] if len(parts) > 2 and parts[-2] in codes else ""


def without_language(rel: str, codes: Iterable[str]) -> str:
    """REL without its language suffix: ``posts/hello.en.md`` -> ``posts/hello.md``."""
    folder, _, name = rel.rpartition("/")
    code = language_of(name, codes)
    if not code:
        return rel
    stem = name[: -len(f".{code}.md")] + ".md"
    return f"{folder}/{stem}" if folder else stem


def section_url(dirs: Iterable[str], lower: bool) -> str:
    """``("posts", "Linux")`` -> ``posts/linux/``; ``()`` -> ``""`` (the home page)."""
    segments = [urlize(d, lower) for d in dirs]
    return "".join(f"{s}/" for s in segments if s)


def _front_url(url: str) -> str:
    path = url.strip().lstrip("/")
    if not path or path.endswith("/") or posixpath.splitext(path)[1]:
        return path
    return path + "/"


def page_url(
    place: Place,
    title: str,
    date: dt.datetime | None,
    slug: str,
    url: str,
    permalinks: Mapping[str, Any],
    lower: bool,
) -> str:
    """The site-relative URL (no leading slash) of a page or section, as Hugo makes it:
    front matter ``url``, else the ``[permalinks]`` pattern of its top-level section and
    kind (:func:`permalink_rules`), else its path."""
    if url:
        return _front_url(url)
    if place.kind == HOME:
        return ""
    rules = permalink_rules(permalinks)
    section = place.dirs[0] if place.dirs else ""
    pattern = rules[place.kind].get(section)
    if pattern:
        facts = PageFacts(
            title=title,
            date=date,
            section=section,
            sections=place.dirs,
            slug=slug if place.kind == PAGE else "",  # Hugo: no slug for sections
            filename=place.name,
            contentbasename=place.name,
        )
        return expand(pattern, facts, lower).lstrip("/")
    if place.kind != PAGE:
        return section_url(place.dirs, lower)
    name = urlize(slug or place.name, lower)
    return section_url(place.dirs, lower) + (f"{name}/" if name else "")


def section_page_url(dirs: tuple[str, ...], permalinks: Mapping[str, Any], lower: bool) -> str:
    """The URL of the section at DIRS that has no ``_index.md`` (a top-level folder)."""
    return page_url(Place(SECTION, dirs, dirs[-1]), dirs[-1], None, "", "", permalinks, lower)


def term_url(plural: str, name: str, permalinks: Mapping[str, Any], lower: bool) -> str | None:
    """The URL of the term NAME of taxonomy PLURAL by its ``[permalinks]`` pattern; None
    without one."""
    pattern = permalink_rules(permalinks)["term"].get(plural)
    if not pattern:
        return None
    facts = PageFacts(title=name, date=None, section=plural, sections=(plural,), slug=name)
    return expand(pattern, facts, lower).lstrip("/")


def hugo_terms(
    notes: Sequence[Note], plural: str, permalinks: Mapping[str, Any], lower: bool
) -> list[Term]:
    """The terms of taxonomy PLURAL, each at its URL (``[permalinks.term]``)."""
    prefix = plural.lower() if lower else plural
    terms = group_hugo_terms(notes, plural, prefix, lower)
    for term in terms:
        term.url = term_url(plural, term.name, permalinks, lower) or term.url
    return terms


def taxonomy_url(plural: str, permalinks: Mapping[str, Any], lower: bool) -> str:
    """The URL of the page listing the terms of taxonomy PLURAL."""
    pattern = permalink_rules(permalinks)["taxonomy"].get(plural)
    if not pattern:
        return f"{plural.lower() if lower else plural}/"
    facts = PageFacts(title=plural, date=None, section=plural, sections=(plural,))
    return expand(pattern, facts, lower).lstrip("/")


def alias_path(alias: str, page: str) -> str:
    """The output path of an alias of the page at URL PAGE (site-relative)."""
    alias = alias.strip()
    if not alias.startswith("/"):
        parent = posixpath.dirname(page.rstrip("/"))
        alias = f"/{parent}/{alias}" if parent else f"/{alias}"
    path = posixpath.normpath(alias).lstrip("/")
    if path in ("", "."):
        return "index.html"
    if alias.endswith("/") or not posixpath.splitext(path)[1]:
        return f"{path}/index.html"
    return path


def resource_path(rel: str, bundles: dict[str, str], sections: dict[str, str]) -> str:
    """The output path of the content file REL: BUNDLES maps a leaf bundle's folder to its
    page URL, SECTIONS a section's folder to its URL."""
    parts = PurePosixPath(rel).parts
    for depth in range(len(parts) - 1, 0, -1):
        folder = "/".join(parts[:depth])
        owner = bundles.get(folder)
        if owner is None:
            owner = sections.get(folder)
        if owner is not None:
            return owner + "/".join(parts[depth:])
    return rel
