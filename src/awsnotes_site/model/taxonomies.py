"""Tags, series and related notes: O(N) grouping over the published notes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from awsnotes_site.model.note import Note, slugify_name


@dataclass
class Term:
    name: str
    slug: str
    url: str  # site-relative, e.g. "tags/book/"
    notes: list[Note] = field(default_factory=list)


def group_terms(notes: Sequence[Note], kind: str, prefix: str) -> list[Term]:
    """Terms of ``kind`` ("tags" or "series") with their notes (input order kept), by name."""
    by_slug: dict[str, Term] = {}
    for note in notes:
        for name in getattr(note, kind):
            slug = slugify_name(name) or "_"
            term = by_slug.get(slug)
            if term is None:
                term = by_slug[slug] = Term(name, slug, f"{prefix}/{slug}/")
            term.notes.append(note)
    return sorted(by_slug.values(), key=lambda t: t.name.lower())


def group_hugo_terms(notes: Sequence[Note], plural: str, prefix: str, lower: bool) -> list[Term]:
    """The terms of the Hugo taxonomy PLURAL (``note.terms``), slugs as Hugo's ``urlize``
    makes them (``AWS 네트워크`` -> ``aws-네트워크``), by name."""
    from awsnotes_site.hugo.permalinks import urlize

    by_slug: dict[str, Term] = {}
    for note in notes:
        for name in note.terms.get(plural, ()):
            slug = urlize(name, lower) or "_"
            term = by_slug.get(slug)
            if term is None:
                term = by_slug[slug] = Term(name, slug, f"{prefix}/{slug}/")
            term.notes.append(note)
    return sorted(by_slug.values(), key=lambda t: t.slug)


def series_order(term: Term) -> list[Note]:
    """Series members by weight, then date (oldest first), then path."""
    return sorted(
        term.notes,
        key=lambda n: (n.weight, n.date.timestamp() if n.date else 0.0, n.rel),
    )


def related_notes(notes: Sequence[Note], limit: int = 5) -> dict[str, list[Note]]:
    """For each note, others sharing the most tags (ties: newer first). Notes with the same
    set of tags have the same candidates, so each distinct set is ranked once."""
    by_tag: dict[str, list[int]] = defaultdict(list)
    for i, note in enumerate(notes):
        for tag in note.tags:
            by_tag[tag].append(i)
    ranked_for: dict[frozenset[str], list[int]] = {}
    result: dict[str, list[Note]] = {}
    for i, note in enumerate(notes):
        key = frozenset(note.tags)
        ranked = ranked_for.get(key)
        if ranked is None:
            scores: dict[int, int] = defaultdict(int)
            for tag in key:
                peers = by_tag[tag]
                if len(peers) > 200:  # a tag on everything says nothing about relatedness
                    continue
                for other in peers:
                    scores[other] += 1
            # one more than needed: the note itself is among them, and is dropped below
            ranked = sorted(scores, key=lambda j: (-scores[j], j))[: limit + 1]
            ranked_for[key] = ranked
        result[note.rel] = [notes[j] for j in ranked if j != i][:limit]
    return result


@dataclass(frozen=True)
class Taxonomy:
    """A way of grouping notes: the Note field holding each note's terms, and the URL
    prefix of the terms' pages. Tags and series today; room for any number."""

    field: str
    prefix: str


TAGS = Taxonomy("tags", "tags")
SERIES = Taxonomy("series", "series")
TAXONOMIES = (TAGS, SERIES)
