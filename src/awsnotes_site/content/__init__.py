"""Content: find the notes (:mod:`.discover`), split and read their front matter
(:mod:`.frontmatter`), load each into a :class:`~awsnotes_site.model.Note` (:mod:`.load`),
and take last-modified dates from git (:mod:`.gitdates`)."""

from __future__ import annotations

from awsnotes_site.content.discover import discover
from awsnotes_site.content.load import is_published, load_note, parse_date

__all__ = ["discover", "is_published", "load_note", "parse_date"]
