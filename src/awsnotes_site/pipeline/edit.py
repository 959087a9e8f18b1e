"""A rebuild after notes were edited in place, without the pipeline's passes over every
note and page (``serve``'s usual case: a note saved while its page is open).

When every changed file is a note of the last build, still published, whose front matter
reads the same and whose new rendering shows other pages the same (card, links, images,
features, messages: :meth:`NoteRenderer.rerender`), nothing a page depends on changed but
those notes' bodies: the pages whose rendering used one of them (their recorded ``used``
notes) are rendered again as the last build planned them, and every other output is the
last build's. This is the full build's own reuse rule (a page's signature covers its
template, settings, key, the cards of the notes it lists and the render keys of those
whose body it used) applied to a change known in advance. Anything else, or any doubt,
returns None and the caller builds in full."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from awsnotes_site.content.load import load_note
from awsnotes_site.diagnostics import BuildError
from awsnotes_site.model.note import NOTE_CARD, Note
from awsnotes_site.model.views import NoteView
from awsnotes_site.pipeline.options import BuildResult, PageFiles

if TYPE_CHECKING:
    from awsnotes_site.pipeline.builder import Builder


def apply_edit(builder: Builder, last: BuildResult, paths: Sequence[str]) -> BuildResult | None:
    """The build after ``paths`` (project-relative) were modified, from ``last``, the
    last build's result (still served); None when a full build is needed."""
    started = time.perf_counter()
    config = last.config
    if config.kind == "vault" or config.languages or config.lastmod == "git":
        return None  # backlinks and file links, languages, dates from git: not covered
    views = {v.note.rel: v for v in last.notes}
    edited: list[NoteView] = []
    cards: set[str] = set()  # the edited notes whose card changed (summary, reading time)
    run = builder.render_settings(config, builder.images.catalog)
    for rel in sorted(set(paths)):
        source = config.root / rel
        loaded = builder.loader.loaded.get(source)
        view = views.get(loaded.note.rel) if loaded is not None else None
        if view is None or loaded is None or view.note.source != source:
            return None  # not a published note of the last build
        try:
            st = source.stat()
            note = load_note(source, config)
        except (OSError, BuildError):
            return None
        if not _same_front_matter(loaded.note, note):
            return None
        quiet = all(d.path != view.note.display_path for d in last.diagnostics)
        card = builder.notes.rerender(view, note, run, quiet)
        if card is None:
            return None
        builder.loader.update(source, (st.st_mtime_ns, st.st_size), note)
        edited.append(view)
        if card:
            cards.add(view.note.rel)
    if not edited:
        return None
    for view in edited:
        builder.remember(view)
    memo = builder.templates.memo
    assert memo is not None  # (the last build compiled them)
    bodies = {v.note.rel for v in edited}
    pages = builder.pages.rerender(bodies, cards, memo.templates.jinja, config)
    if pages is None:
        return None
    files = PageFiles(last.files.out_dir)
    files.fresh, files.reused = dict(last.files.fresh), set(last.files.reused)
    for page in pages:
        assert page.data is not None  # (rendered in this process)
        files[page.path] = page.data
    stats = dataclasses.replace(
        last.stats,
        rendered_notes=len(edited),
        rendered_pages=sum(page.templated for page in pages),
        seconds=time.perf_counter() - started,
        quick=True,
    )
    unchanged = last.unchanged - {page.path for page in pages}
    return dataclasses.replace(last, files=files, stats=stats, unchanged=unchanged)


def _same_front_matter(old: Note, new: Note) -> bool:
    """Whether ``new`` shows other pages what ``old`` did (its card's fields) and gives
    the same messages about its front matter."""
    return old.diagnostics == new.diagnostics and all(
        getattr(old, name) == getattr(new, name) for name in NOTE_CARD
    )
