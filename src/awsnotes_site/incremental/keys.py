"""Every cache key and fingerprint recipe of the incremental build, written once.

- :func:`code_digest`: this package's own source (a change invalidates everything).
- :func:`render_context` / :func:`render_key`: a rendered note (its bytes, its path, the
  renderer, the code, the settings, the shortcode templates).
- :func:`notes_context`: ``.cache/notes.json`` (renderer, code, settings, project).
- :func:`card_digest`: what list pages show of a note (from the model's field list).
- :func:`page_fingerprint`, :func:`signature_head` and :class:`PageSigner`: an output page.
- :func:`tree_stamp`, :func:`jinja_fingerprint`: the templates folder and environment.
- :func:`related_key` / :func:`related_digest`: the related-notes ranking.
- :func:`site_files_digest`: the site's file list, for the missing-target warnings.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from awsnotes_site.config import SiteConfig
from awsnotes_site.markdown import RENDERER_VERSION, NoteFacts
from awsnotes_site.model.note import (
    FACTS_CARD,
    FACTS_NOT_IN_CARD,
    NOTE_CARD,
    NOTE_NOT_IN_CARD,
    Note,
    covered,
)
from awsnotes_site.model.views import BACKLINKS


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A hash of this package's own source: a new version, or any change to the code,
    invalidates every cache entry and page signature (the code is what turns inputs into
    outputs, so an upgrade must never reuse what an older version made)."""
    h = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode() + b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def shortcodes_digest(templates_dir: Path) -> str:
    h = hashlib.sha256()
    sc = templates_dir / "shortcodes"
    if sc.is_dir():
        for f in sorted(sc.glob("*.html")):
            h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:16]


def go_shortcodes_digest(root: Path, dirs: tuple[str, ...]) -> str:
    """The Go-template shortcodes of a Hugo site (``config.shortcode_dirs``, in order)."""
    h = hashlib.sha256()
    for rel in dirs:
        folder = root / rel
        h.update(rel.encode() + b"\0")
        if folder.is_dir():
            for f in sorted(folder.glob("*.html")):
                h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:16]


def render_context(config: SiteConfig, images: str = "") -> str:
    """What every rendered note depends on besides its own file: the renderer and its
    code, the settings (``config.markdown``'s switches among them, through the config's
    fingerprint), the shortcode templates, Jinja and Go, and ``images``: the image
    settings' key (:meth:`~awsnotes_site.images.catalog.ImageCatalog.context_key`; the
    images themselves are in each note's own key, :func:`render_key`)."""
    shortcodes = shortcodes_digest(config.templates_dir)
    if config.shortcode_dirs:
        shortcodes += ":" + go_shortcodes_digest(config.root, config.shortcode_dirs)
    return f"{RENDERER_VERSION}:{code_digest()}:{config.fingerprint()}:{shortcodes}:{images}"


def render_key(digest: str, rel: str, context: str, images: str = "") -> str:
    """A rendered note's key: its file's hash, its path, :func:`render_context` and
    ``images``: the images it shows
    (:meth:`~awsnotes_site.images.catalog.ImageCatalog.note_key`: a changed, added or
    removed image re-renders the notes that name it)."""
    return hashlib.sha256(f"{digest}\0{rel}\0{context}\0{images}".encode()).hexdigest()


def notes_context(config: SiteConfig) -> str:
    return f"{RENDERER_VERSION}:{code_digest()}:{config.fingerprint()}:{config.root}"


def page_fingerprint(config: SiteConfig, assets: str = "") -> str:
    """What every output page depends on besides its template, key and notes: the code,
    the settings and ``assets``, the content hashes in the CSS/JS URLs pages link
    (:attr:`~awsnotes_site.theme.assets.AssetLinks.key`: an edited stylesheet gives
    every page its new URL)."""
    return f"{code_digest()}:{config.fingerprint()}:{assets}"


def signature_head(template: str, template_digest: str, fp: str, key: tuple[Any, ...]) -> str:
    return f"{template}:{template_digest}:{fp}:{key!r}"


def jinja_fingerprint(config: SiteConfig) -> str:
    """The Jinja environment is kept while this is the same."""
    return config.fingerprint() + str(config.root)


def tree_stamp(folder: Path) -> tuple[Any, ...]:
    """Names, sizes and modification times of every file below ``folder``."""
    out: list[tuple[str, int, int]] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(filenames):
            try:
                st = os.stat(os.path.join(dirpath, name))
            except OSError:
                continue
            out.append((os.path.join(dirpath, name), st.st_mtime_ns, st.st_size))
    return tuple(out)


RelatedKey = tuple[tuple[str, tuple[str, ...]], ...]


def related_key(notes: Iterable[Note]) -> RelatedKey:
    """Related notes change only when some note's path, order or tags changed."""
    return tuple((n.rel, tuple(n.tags)) for n in notes)


def related_digest(key: RelatedKey) -> str:
    return hashlib.sha256(json.dumps(key, ensure_ascii=False).encode()).hexdigest()


def site_files_digest(paths: Iterable[str], base: str, hugo_base: str | None) -> str:
    """What a note's missing-target warnings depend on besides its links and URL: the
    code, the site's file list (in any order) and the base paths links resolve against."""
    blob = "\0".join([code_digest(), base, str(hugo_base), *sorted(paths)])
    return hashlib.sha256(blob.encode()).hexdigest()


covered(Note, NOTE_CARD, NOTE_NOT_IN_CARD)
covered(NoteFacts, FACTS_CARD, FACTS_NOT_IN_CARD)


def _card_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.datetime) else value


def card_digest(note: Note, facts: NoteFacts) -> str:
    """A digest of what other pages can show of a note without its body: the fields the
    model lists in ``NOTE_CARD`` and ``FACTS_CARD`` (summary and reading time)."""
    fields = [
        *[_card_value(getattr(note, name)) for name in NOTE_CARD],
        *[getattr(facts, name) for name in FACTS_CARD],
    ]
    blob = json.dumps(fields, ensure_ascii=False, default=repr, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


class PageSigner:
    """Signs pages: what a page is made of is its template, settings and key (the
    head), what it shows of each note it lists (card), and all of the notes whose body or
    HTML it used when last rendered (render key). Same signature, same bytes."""

    def __init__(self) -> None:
        self.cards: dict[str, str] = {}  # note path -> its card part
        self.keys: dict[str, str] = {}  # note path -> its render key part

    def know(self, rel: str, card: str, key: str, links: str | None = None) -> None:
        """A note's card and render key; LINKS: its backlinks' digest (a vault's)."""
        self.cards[rel] = f"\0{rel}:{card}"
        self.keys[rel] = f"\1{rel}:{key}"
        if links:
            self.keys[BACKLINKS + rel] = f"\1{BACKLINKS}{rel}:{links}"

    def reset(self) -> None:
        self.cards, self.keys = {}, {}

    def sign(self, head: str, deps: tuple[Note, ...], used: frozenset[str]) -> str:
        cards, keys = self.cards, self.keys
        text = "".join(
            [
                head,
                *[cards.get(n.rel) or f"\0{n.rel}:" for n in deps],
                *[keys.get(rel) or f"\1{rel}:?" for rel in sorted(used)],
            ]
        )
        return hashlib.sha256(text.encode()).hexdigest()


def vault_key(base: str, dependencies: str) -> str:
    """A vault note's render key: its :func:`render_key` and the state of what its HTML
    depends on in the vault (``pipeline.vault.VaultSite.dependencies``)."""
    return hashlib.sha256(f"{base}\0{dependencies}".encode()).hexdigest()
