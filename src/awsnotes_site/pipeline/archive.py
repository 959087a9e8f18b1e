"""Stage 4, continued: the archive page (every note by year and month) and, when the site
has a ``categories`` taxonomy, a page per category and the categories page."""

from __future__ import annotations

from collections.abc import Callable

from awsnotes_site.config import CONFIG_NAME, SiteConfig
from awsnotes_site.diagnostics import BuildError, error
from awsnotes_site.model import pages as kinds
from awsnotes_site.model.archive import archive_context, category_terms
from awsnotes_site.model.pages import PageKind, PageSpec, context_of
from awsnotes_site.model.strings import strings_for
from awsnotes_site.model.taxonomies import Term
from awsnotes_site.model.views import NoteView
from awsnotes_site.pipeline.offline import plan_offline

Paginate = Callable[[SiteConfig, list[NoteView], str, PageKind, str, Term | None], list[PageSpec]]


def has_categories(config: SiteConfig) -> bool:
    return "categories" in config.taxonomies.values()


def plan_reader_pages(
    config: SiteConfig, views: list[NoteView], paginate: Paginate
) -> list[PageSpec]:
    """The archive, categories, the service worker and manifest (checks ``[comments]``,
    which note pages use, first)."""
    check_comments(config)
    return plan_archive(config, views, paginate) + plan_offline(config, views)


def plan_archive(config: SiteConfig, views: list[NoteView], paginate: Paginate) -> list[PageSpec]:
    """The archive page, and the category pages when the site has categories."""
    kind = kinds.ARCHIVE
    context = archive_context(views, config.language, kind.name)
    all_notes = tuple(v.note for v in views)
    specs = [PageSpec(kind.path, kind.template, all_notes, (kind.name,), context_of(context))]
    if not has_categories(config) or config.kind == "hugo":
        return specs  # a Hugo site's taxonomies (categories among them) are planned apart
    by_rel = {v.note.rel: v for v in views}
    terms = category_terms(list(all_notes))
    for term in terms:
        members = [by_rel[n.rel] for n in term.notes]
        specs += paginate(config, members, term.url, kinds.CATEGORY, term.name, term)
    title = strings_for(config.language)["categories"]
    index = kinds.TermsContext(terms, title, kinds.CATEGORIES.name)
    specs.append(
        PageSpec(
            kinds.CATEGORIES.path,
            kinds.CATEGORIES.template,
            all_notes,
            (kinds.CATEGORIES.name,),
            context_of(index),
        )
    )
    return specs


GISCUS_KEYS = ("repo", "repo_id", "category", "category_id")


def check_comments(config: SiteConfig) -> None:
    """``[comments]``: off when empty; ``provider = "giscus"`` needs every key of
    :data:`GISCUS_KEYS` (a missing one is an error naming it)."""
    comments = config.comments
    if not comments:
        return
    where = config.root / CONFIG_NAME
    provider = comments.get("provider")
    if provider != "giscus":
        raise BuildError(
            [error(where, None, f'[comments] provider must be "giscus", not {provider!r}')]
        )
    missing = [k for k in GISCUS_KEYS if not str(comments.get(k) or "").strip()]
    if missing:
        problems = [error(where, None, f"[comments] is missing {k!r} (giscus)") for k in missing]
        raise BuildError(problems)
