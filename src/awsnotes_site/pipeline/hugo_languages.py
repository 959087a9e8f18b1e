"""The other languages of a multilingual Hugo site (``[languages.X]``, with a
``contentDir`` of their own or sharing one, Hugo's file-suffix style ``index.en.md``):
each is built by a :class:`~awsnotes_site.pipeline.builder.Builder` of its own as a site
under ``/CODE/`` (its title, params, UI strings, taxonomies, feeds, search) from its
notes (:func:`of_language`), and the builds are put together into one output the way Hugo
lays it out:

- the default language at the site root, ``/ko/`` redirecting there; or, with
  ``defaultContentLanguageInSubdir``, under ``/ko/`` too, and the root page redirecting
  to it;
- the static folders once, at the site root (Hugo does not copy them per language);
  each language's content files (bundles) beside its pages (a file a bundle shares
  between languages too: Hugo publishes it once and rewrites the other languages'
  links to it, ours keeps a copy so that the links work as written)."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import posixpath
from collections.abc import Iterable
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from awsnotes_site.config import SiteConfig
from awsnotes_site.diagnostics import BuildError, Diagnostic, error
from awsnotes_site.hugo.paths import language_of
from awsnotes_site.model.note import Note
from awsnotes_site.pipeline.hugo_pages import redirect_html
from awsnotes_site.pipeline.options import BuildResult, BuildStats, PageFiles
from awsnotes_site.templating import iri_to_uri
from awsnotes_site.urls import absolute_base

if TYPE_CHECKING:
    from awsnotes_site.pipeline.builder import Builder

# Root files kept when every language lives in a subfolder: the rest is the default
# language, which is built again under its /CODE/.
ROOT_KEPT = frozenset({".nojekyll", "robots.txt"})  # robots.txt names /sitemap.xml
SITEMAP = "sitemap.xml"
NOT_FOUND = "404.html"  # at the root: the default language's, whose links name /CODE/


LANGUAGE_KEYS = frozenset({"title", "description", "language", "content_dirname", "params"})


def language_config(config: SiteConfig, code: str) -> SiteConfig:
    """The configuration of language CODE of the multilingual Hugo site CONFIG (the root's,
    command-line overrides applied), built as a site under ``/CODE/``: CONFIG with what
    ``languages.CODE`` changes."""
    values = dict(config.languages.get(code, {}))
    unknown = sorted(set(values) - LANGUAGE_KEYS)
    if unknown:
        where = config.root / "site.toml"
        raise BuildError([error(where, None, f"languages.{code}: unknown keys {unknown}")])
    return dataclasses.replace(
        config,
        **values,
        base_url=f"{absolute_base(config.base_url)}{code}/",
        output_dir=posixpath.join(config.output_dir, code),
        language_dir=f"{code}/",
        # the default language's content folder, for of_language
        languages={config.hugo_language: {"content_dirname": config.content_dirname}}
        | dict(config.languages),
    )


def of_language(config: SiteConfig, notes: list[Note]) -> list[Note]:
    """The notes of the language CONFIG builds. Hugo's file-suffix style: ``x.en.md`` is
    English's; a file with no language in its name is the language's whose content folder
    it is in, the default language's when several share it."""
    if not config.languages:
        return notes
    own = config.language_dir[:-1] or config.hugo_language
    codes = (config.hugo_language, *config.languages)
    default = config.languages.get(config.hugo_language, {})
    default_dir = str(default.get("content_dirname", config.content_dirname)).rstrip("/")
    unmarked = own == config.hugo_language or config.content_dirname.rstrip("/") != default_dir
    kept = []
    for note in notes:
        code = language_of(note.source.name, codes)
        if code == own or (not code and unmarked):
            kept.append(note)
    return kept


class LanguageBuilds:
    """Kept by the root :class:`Builder`: one Builder per other language (so ``serve``
    keeps their caches in memory between builds; they save nothing to disk)."""

    def __init__(self) -> None:
        self.builders: dict[str, Builder] = {}

    def add(self, owner: Builder, config: SiteConfig, root: BuildResult) -> BuildResult:
        """ROOT (the default language's build) with every language in CONFIG's
        ``languages`` built and put under ``/CODE/``."""
        parts: list[tuple[str, BuildResult]] = []
        for code in config.languages:
            builder = self.builders.get(code)  # (type(owner): no import cycle)
            stage = owner.options.stage / code if owner.options.stage is not None else None
            # .cache/ is read (what is in it is keyed by settings and content: rendered
            # notes, image variants, which serve sends from there) but not written: its
            # notes.json and pages.json are the root build's
            options = dataclasses.replace(owner.options, stage=stage, save_cache=False)
            if builder is None:
                builder = self.builders[code] = type(owner)(owner.root, options, language=code)
            builder.options = options
            try:
                parts.append((f"{code}/", builder.build()))
            except BuildError as exc:
                raise BuildError(_unique([*root.diagnostics, *exc.diagnostics])) from None
        if config.hugo_language in config.languages:  # defaultContentLanguageInSubdir
            default = dict(parts)[f"{config.hugo_language}/"]
            root = _root_only(config, root, default, owner.options.stage)
        result = _merge(config, root, parts)
        _sitemap_index(config, result.files, owner.options.stage)
        moved = {SITEMAP, f"{config.hugo_language}/{SITEMAP}"}
        return dataclasses.replace(result, unchanged=result.unchanged - moved)


def _unique(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    """DIAGS without repeats (a note built at the root and under /CODE/ reports twice)."""
    seen: set[tuple[str, int | None, str]] = set()
    result = []
    for d in diags:
        key = (str(d.path), d.line, d.message)
        if key not in seen:
            seen.add(key)
            result.append(d)
    return result


def _root_only(
    config: SiteConfig, root: BuildResult, default: BuildResult, stage: Path | None
) -> BuildResult:
    """With ``defaultContentLanguageInSubdir``: of the root build only the static folders
    and ``.nojekyll``; a root page redirecting to ``/CODE/`` and the 404 page of DEFAULT,
    the default language's build there (its links and assets are under ``/CODE/``)."""
    files = PageFiles(root.files.out_dir)
    for rel in root.files:
        if rel in ROOT_KEPT:
            _copy(root.files, files, rel, rel)
        elif rel in root.files.in_stage and stage is not None:
            with contextlib.suppress(OSError):
                (stage / rel).unlink()  # a page a worker wrote: not published
    files["index.html"] = redirect_html(config, f"{config.hugo_language}/").encode()
    staged = stage / config.hugo_language / NOT_FOUND if stage is not None else None
    if staged is not None and NOT_FOUND in default.files.in_stage:
        files[NOT_FOUND] = staged.read_bytes()  # written there by a worker
    elif NOT_FOUND in default.files:
        files[NOT_FOUND] = default.files[NOT_FOUND]
    shared = [config.root / name for name in config.static_dirs]
    static = {rel: src for rel, src in root.static.items() if any(map(src.is_relative_to, shared))}
    return dataclasses.replace(root, files=files, static=static, notes=[], page_sources={})


def _sitemap_index(config: SiteConfig, files: PageFiles, stage: Path | None) -> None:
    """As Hugo: ``/sitemap.xml`` lists each language's, ``/CODE/sitemap.xml`` (the
    default language's moved there from the root when it is built at the root)."""
    default = f"{config.hugo_language}/{SITEMAP}"
    if SITEMAP in files.fresh and default not in files:
        files[default] = files.fresh[SITEMAP]
    elif SITEMAP in files.reused and default not in files:
        files.reuse(default)  # unchanged: where the last build moved it
    elif SITEMAP in files.in_stage and default not in files and stage is not None:
        (stage / default).parent.mkdir(parents=True, exist_ok=True)
        os.replace(stage / SITEMAP, stage / default)  # written there by a worker
        files.in_stage.discard(SITEMAP)
        files.staged(default)
    codes = dict.fromkeys((config.hugo_language, *config.languages))
    base = absolute_base(config.base_url)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
        *(
            f"<sitemap><loc>{escape(iri_to_uri(f'{base}{code}/{SITEMAP}'))}</loc></sitemap>"
            for code in codes
        ),
        "</sitemapindex>",
    ]
    files[SITEMAP] = ("\n".join(lines) + "\n").encode()


def _copy(source: PageFiles, into: PageFiles, rel: str, new: str) -> None:
    if rel in source.fresh:
        into[new] = source.fresh[rel]
    elif rel in source.reused:
        into.reuse(new)
    else:
        into.staged(new)


def _merge(
    config: SiteConfig, root: BuildResult, parts: list[tuple[str, BuildResult]]
) -> BuildResult:
    """One result: ROOT's files, then each part's under its prefix (but the static
    folders, published once at the root)."""
    files = PageFiles(root.files.out_dir)
    for rel in root.files:
        _copy(root.files, files, rel, rel)
    static = dict(root.static)
    shared = [config.root / name for name in config.static_dirs]
    notes, sources = list(root.notes), dict(root.page_sources)
    diags, unchanged = list(root.diagnostics), set(root.unchanged)
    stats = dataclasses.replace(root.stats)
    for prefix, part in parts:
        for rel in part.files:
            _copy(part.files, files, rel, prefix + rel)
        for rel, src in part.static.items():
            if not any(src.is_relative_to(folder) for folder in shared):
                static.setdefault(prefix + rel, src)
        notes += part.notes
        sources.update({prefix + k: v for k, v in part.page_sources.items()})
        diags += part.diagnostics
        unchanged.update(prefix + rel for rel in part.unchanged)
        _add_stats(stats, part.stats)
    return BuildResult(
        config,
        files,
        static,
        _unique(diags),
        notes,
        sources,
        stats,
        frozenset(unchanged),
        root.images_cache,  # (the languages' variants are in the same .cache/images/)
    )


def _add_stats(total: BuildStats, part: BuildStats) -> None:
    for name in ("notes", "pages", "rendered_notes", "rendered_pages", "files", "drafts_skipped"):
        setattr(total, name, getattr(total, name) + getattr(part, name))
