"""A note as loaded from its Markdown file, and the lists that say, for each of its
fields, whether the incremental caches store it and whether list pages show it.

Those two lists are the one place that decides what ``.cache/notes.json`` keeps of a note
(:mod:`awsnotes_site.incremental.records` generates its encoding from them) and what a
note's *card* covers (the digest list pages depend on). A field in neither list of a kind
is a mistake that :func:`covered` reports (and a test checks), so adding a front matter
field cannot leave list pages stale without a failure."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from awsnotes_site.diagnostics import Diagnostic


@dataclass
class Note:
    """One Markdown note and its front matter, before rendering."""

    source: Path  # absolute path of the .md file
    rel: str  # path relative to content/, POSIX, NFC (e.g. "posts/x.md")
    display_path: str  # path shown in messages (relative to the project root)
    section: str
    slug: str
    url: str  # site-relative URL path without leading slash, e.g. "posts/x/"
    title: str
    date: dt.datetime | None
    lastmod: dt.datetime | None
    description: str
    tags: list[str]
    series: list[str]
    draft: bool
    weight: int
    params: dict[str, Any]
    body: str
    body_line: int
    digest: str  # hash of the file's bytes
    diagnostics: list[Diagnostic] = field(default_factory=list)
    lastmod_from_git: bool = False
    body_loaded: bool = True  # False when restored from .cache/notes.json (body is "")
    # -- Hugo sites
    kind: str = "page"  # "page", or "section"/"home" for an _index.md (its list page's text)
    aliases: list[str] = field(default_factory=list)  # URLs that redirect to this page
    terms: dict[str, Any] = field(default_factory=dict)  # taxonomy plural -> term names
    publish_date: dt.datetime | None = None  # not published before
    expiry_date: dt.datetime | None = None  # not published after

    @cached_property
    def sort_key(self) -> tuple[float, str]:
        ts = self.date.timestamp() if self.date else float("-inf")
        return (-ts, self.rel)


# -- what the notes cache keeps of a Note (in this order), and why the rest is left out --
NOTE_STORED = (
    "rel",
    "display_path",
    "section",
    "slug",
    "url",
    "title",
    "date",
    "lastmod",  # stored empty when it came from git (git dates are applied after loading)
    "description",
    "tags",
    "series",
    "draft",
    "weight",
    "params",
    "body_line",
    "digest",
    "diagnostics",
    "kind",
    "aliases",
    "terms",
    "publish_date",
    "expiry_date",
)
NOTE_NOT_STORED = {
    "source": "the record's key",
    "body": "read again from the file when a note must be rendered",
    "lastmod_from_git": "git dates are applied after loading, on every build",
    "body_loaded": "False for every note restored from the cache",
}

# -- what a note's card covers: what other pages (lists, feeds, neighbours) show of it ----
NOTE_CARD = (
    "rel",
    "url",
    "title",
    "description",
    "section",
    "slug",
    "date",
    "lastmod",
    "tags",
    "series",
    "draft",
    "weight",
    "display_path",
    "params",
    "kind",
    "aliases",
    "terms",
    "publish_date",
    "expiry_date",
)
NOTE_NOT_IN_CARD = {
    "source": "covered by rel and display_path",
    "body": "pages that show a body depend on the whole note (its render key)",
    "body_line": "only messages use it",
    "digest": "the body's hash: part of the render key, not of the card",
    "diagnostics": "messages, not page content",
    "lastmod_from_git": "lastmod itself is in the card",
    "body_loaded": "how the note was loaded, not what it says",
}


class FieldNotCovered(TypeError):
    """A dataclass field that a declared field list neither includes nor excludes."""


def covered(cls: type[Any], included: tuple[str, ...], excluded: dict[str, str]) -> None:
    """Raise :class:`FieldNotCovered` unless every field of the dataclass ``cls`` is in
    exactly one of ``included`` and ``excluded``, and the lists name no other field."""
    names = [f.name for f in dataclasses.fields(cls)]
    missing = [n for n in names if n not in included and n not in excluded]
    both = [n for n in names if n in included and n in excluded]
    unknown = sorted((set(included) | set(excluded)) - set(names))
    if missing or both or unknown:
        raise FieldNotCovered(
            f"{cls.__name__}: fields not covered {missing}, listed twice {both}, unknown {unknown}"
        )


@lru_cache(maxsize=100_000)
def slugify_name(name: str) -> str:
    """A file name or tag as a readable URL segment: NFC, spaces to '-', lower-cased Latin."""
    name = unicodedata.normalize("NFC", name).strip()
    name = re.sub(r"[\s/\\]+", "-", name)
    name = re.sub(r"[?#%\"'<>^`{|}\x00-\x1f]", "", name).lower()
    name = re.sub(r"\.{2,}", ".", name)
    name = re.sub(r"-{2,}", "-", name).strip("-.")
    return name[:200]


# -- what the card covers of a note's rendering facts (markdown's NoteFacts) ---------------
FACTS_CARD = ("summary", "minutes")
FACTS_NOT_IN_CARD = {
    "links": "missing-target warnings are worked out per note, not shown by lists",
    "diagnostics": "messages, not page content",
    "refs": "cross-references decide whether the note is rendered again",
    "wiki": "a vault note's links and tags: backlinks are folded into the card apart",
    "features": "scripts of the note's own page (its render key covers them), not lists",
}
