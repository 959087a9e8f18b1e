"""Stage 4, continued: the generated files (feeds, sitemap, robots.txt, search index
shards, the syntax stylesheet...), planned like pages, with their dependencies, so that
unchanged ones are reused."""

from __future__ import annotations

from collections.abc import Callable

from pygments import __version__ as pygments_version

from awsnotes_site.config import SiteConfig
from awsnotes_site.feeds import FEED_LIMIT, FeedItem, atom, robots, rss, sitemap
from awsnotes_site.hugo.paths import hugo_terms
from awsnotes_site.markdown.highlight import stylesheet
from awsnotes_site.model.note import Note
from awsnotes_site.model.pages import PageSpec
from awsnotes_site.model.taxonomies import TAGS, Term, group_terms
from awsnotes_site.model.views import NoteView
from awsnotes_site.search import (
    SearchDoc,
    ShardMemo,
    build_manifest,
    build_shard,
    shard_count,
    shard_of,
    shard_path,
)
from awsnotes_site.templating import iri_to_uri


def _no_context() -> None:
    return None


def generated(
    path: str, deps: tuple[Note, ...], make: Callable[[], str], key: str = ""
) -> PageSpec:
    return PageSpec(
        path, "", deps, ("generated", path, key), _no_context, render=lambda: make().encode()
    )


def _feeds(
    config: SiteConfig, members: list[NoteView], url: str, title: str, full: bool = False
) -> list[PageSpec]:
    """Atom and RSS for MEMBERS; the site feeds carry whole notes, tag feeds only
    summaries (as Hugo does), so 60 tags do not mean 60 copies of every note."""
    absolute = config.absolute_base
    page = iri_to_uri(absolute + url)
    deps = tuple(v.note for v in members[:FEED_LIMIT])

    def item(v: NoteView) -> FeedItem:
        return FeedItem(
            v.note.title,
            iri_to_uri(absolute + v.note.url),
            v.note.date,
            v.note.lastmod,
            v.summary,
            v.rendered.html if full else "",
            v.note.tags,
        )

    def items() -> list[FeedItem]:
        return [item(v) for v in members[:FEED_LIMIT]]

    return [
        generated(
            f"{url}atom.xml", deps, lambda: atom(config, items(), page + "atom.xml", page, title)
        ),
        generated(
            f"{url}index.xml", deps, lambda: rss(config, items(), page + "index.xml", page, title)
        ),
    ]


def _sitemap(config: SiteConfig, views: list[NoteView]) -> Callable[[], str]:
    absolute = config.absolute_base

    def make() -> str:
        newest = max((v.note.lastmod or v.note.date for v in views if v.note.date), default=None)
        entries = [(iri_to_uri(absolute), newest)]
        entries += [
            (iri_to_uri(absolute + v.note.url), v.note.lastmod or v.note.date) for v in views
        ]
        return sitemap(entries)

    return make


def _search_shard(members: list[NoteView], memo: ShardMemo) -> Callable[[], str]:
    return lambda: build_shard(
        [
            SearchDoc(
                v.note.url,
                v.note.title,
                v.note.date.date().isoformat() if v.note.date else "",
                v.note.tags,
                text,
                packed=keys,
            )
            for v in members
            for text, keys in [v.search_part]
        ],
        memo,
    )


def _feed_terms(config: SiteConfig, notes: list[Note]) -> list[Term]:
    """The terms with feeds: tags; on a Hugo site every term of every taxonomy."""
    if config.kind != "hugo":
        return group_terms(notes, TAGS.field, TAGS.prefix)
    lower = not config.disable_path_to_lower
    return [
        term
        for plural in config.taxonomies.values()
        for term in hugo_terms(notes, plural, config.permalinks, lower)  # [permalinks.term]
    ]


def plan_generated(
    config: SiteConfig, views: list[NoteView], shard_memos: dict[str, ShardMemo] | None = None
) -> list[PageSpec]:
    """Feeds, sitemap, robots.txt, the search index and other generated files.
    ``shard_memos``: per search shard, what its last build posted (kept by a Builder
    between builds)."""
    shard_memos = {} if shard_memos is None else shard_memos
    views = [v for v in views if v.note.kind == "page"]  # not a Hugo _index.md
    home = iri_to_uri(config.absolute_base)
    all_notes = tuple(v.note for v in views)
    count = shard_count(len(views))
    shards: list[list[NoteView]] = [[] for _ in range(count)]
    for v in views:
        shards[shard_of(v.note.url, count)].append(v)

    specs = _feeds(config, views, "", config.title, full=True)
    by_rel = {v.note.rel: v for v in views}
    for term in _feed_terms(config, list(all_notes)):
        members = [by_rel[n.rel] for n in term.notes]
        specs += _feeds(config, members, term.url, f"{config.title} - {term.name}")
    specs += [
        generated("sitemap.xml", all_notes, _sitemap(config, views)),
        generated("robots.txt", (), lambda: robots(home + "sitemap.xml")),
        *(
            generated(
                shard_path(k, count),
                tuple(v.note for v in members),
                _search_shard(members, shard_memos.setdefault(shard_path(k, count), ShardMemo())),
            )
            for k, members in enumerate(shards)
        ),
        generated("search-index.json", (), lambda: build_manifest(count), key=str(count)),
        generated("static/css/syntax.css", (), stylesheet, key=pygments_version),
        generated(".nojekyll", (), lambda: ""),
    ]
    if config.cname:
        specs.append(generated("CNAME", (), lambda: config.cname.strip() + "\n"))
    return specs
