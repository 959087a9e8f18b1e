"""A note of a Hugo site: front matter keys case-insensitive (``Title:``, ``Tags:``), every
configured taxonomy, ``url``, ``slug``, ``aliases``, ``publishDate``, ``expiryDate``,
page bundles and ``_index.md``, URLs as Hugo makes them (:mod:`awsnotes_site.hugo.paths`)."""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path
from typing import Any

from awsnotes_site.config import SiteConfig
from awsnotes_site.content import load as base
from awsnotes_site.content.frontmatter import FrontMatter
from awsnotes_site.diagnostics import BuildError, Diagnostic, error
from awsnotes_site.hugo.paths import PAGE, page_url, place_of, without_language
from awsnotes_site.hugo.permalinks import urlize
from awsnotes_site.model.note import Note

# Front matter keys that become Note fields (lower case); the rest stays in params.
HUGO_FIELDS = frozenset(
    {"title", "date", "lastmod", "modified", "description", "draft", "slug", "weight", "url",
     "aliases", "publishdate", "expirydate", "pubdate", "published"}
)  # fmt: skip
# Where Hugo takes a page's date from, in its order
_DATE_KEYS = ("date", "publishdate", "pubdate", "published", "lastmod", "modified")


MORE = "<!--more-->"


def lead_summary(body: str) -> str:
    """Hugo's manual summary: the text before ``<!--more-->`` ("" without one)."""
    if MORE not in body:
        return ""
    from markdown_it import MarkdownIt

    from awsnotes_site.text import summarize

    lead = body.split(MORE, 1)[0]
    words: list[str] = []
    for token in MarkdownIt("commonmark").parse(lead):
        for child in token.children or ():
            if child.type in ("text", "code_inline"):
                words.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                words.append(" ")
        if token.type == "paragraph_close":
            words.append(" ")
    return summarize(" ".join("".join(words).split()), 10_000)


class _Reader:
    """Typed front matter values of one note, problems collected."""

    def __init__(self, fm: FrontMatter, display: str, config: SiteConfig) -> None:
        self.data = {str(k).lower(): v for k, v in fm.data.items()}
        self.fm = fm
        self.display = display
        self.config = config
        self.diags: list[Diagnostic] = []

    def text(self, key: str) -> str:
        return base._get_str(self.data, key, self.fm, self.display, self.diags)

    def names(self, key: str) -> list[str]:
        return base._get_list(self.data, key, self.fm, self.display, self.diags)

    def date(self, key: str) -> Any:
        return base._get_date(self.data, key, self.fm, self.display, self.config, self.diags)


def load_hugo_note(
    path: Path, raw: bytes, rel: str, display: str, fm: FrontMatter, config: SiteConfig
) -> Note:
    r = _Reader(fm, display, config)
    if config.languages:  # Hugo's file-suffix style: hello.en.md is the page hello.md
        rel = without_language(rel, (config.hugo_language, *config.languages))
    place = place_of(rel)
    title = r.text("title")
    if not title and place.kind != PAGE:
        title = place.name
    if not title:
        title = unicodedata.normalize("NFC", place.name or path.stem)
    date = next((d for d in (r.date(k) for k in _DATE_KEYS) if d is not None), None)
    slug = r.text("slug")
    url = r.text("url")
    if ".." in url.split("/"):
        r.diags.append(error(display, fm.line_of("url"), f"url {url!r} may not contain '..'"))
        url = ""
    terms = {plural: r.names(plural) for plural in config.taxonomies.values()}
    terms = {k: v for k, v in terms.items() if v}
    lower = not config.disable_path_to_lower
    note = Note(
        source=path,
        rel=rel,
        display_path=display,
        section=place.dirs[0] if place.dirs else "",
        slug=urlize(slug or place.name, lower),
        url=page_url(place, title, date, slug, url, config.permalinks, lower),
        title=title,
        date=date,
        lastmod=r.date("lastmod"),
        description=r.text("description") or r.text("summary") or lead_summary(fm.body),
        tags=terms.get("tags", []),
        series=terms.get("series", []),
        draft=base._get_bool(r.data, "draft", fm, display, r.diags),
        weight=base._get_int(r.data, "weight", fm, display, r.diags),
        params={k: v for k, v in r.data.items() if k not in HUGO_FIELDS and k not in terms},
        body=fm.body,
        body_line=fm.body_line,
        digest=hashlib.sha256(raw).hexdigest(),
        diagnostics=r.diags,
        kind=place.kind,
        aliases=r.names("aliases"),
        terms=terms,
        publish_date=r.date("publishdate"),
        expiry_date=r.date("expirydate"),
    )
    if any(d.is_error for d in r.diags):
        raise BuildError(r.diags)
    return note
