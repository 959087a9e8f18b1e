"""Obsidian vaults: a folder with ``.obsidian/`` builds with zero configuration.

* Every ``.md`` file of the vault is a note; its title is the front matter's ``title``,
  else the file name (as Obsidian shows it; a first ``# 제목`` stays in the body).
* Folders become URLs as for any site (NFC, readable Korean); non-note files that a note
  links or embeds are published at their vault path.
* ``.obsidian/``, ``.trash/`` (every dot folder), the output folder and the "Excluded
  files" of ``app.json`` are skipped.
* Wikilinks, embeds, tags and comments are :mod:`awsnotes_site.markdown.wikilinks`; this
  module gives it the vault's files (:class:`VaultSite`) and, after rendering, merges the
  inline tags into the notes' tags and gives every note its backlinks.

Rendering a vault note depends, besides its own bytes, on what each link it wrote resolves
to (which file, at which URL) and on the bytes of the notes it embeds: rendering records
those (``wiki["resolved"]``, ``wiki["embedded"]``, at any embedding depth) and the note's
render key covers their state now (:meth:`VaultSite.keys`), so an edit re-renders the
edited note and the notes that embed it, a new or removed file the notes whose links now
resolve elsewhere. A note's backlinks are no part of its rendering: the page that shows
them records them through the dependency tracker (``NoteView.backlinks``)."""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from awsnotes_site.config import SiteConfig
from awsnotes_site.incremental.keys import vault_key
from awsnotes_site.incremental.store import RenderStore
from awsnotes_site.markdown import NoteFacts, RenderedNote
from awsnotes_site.markdown.context import RenderEnv
from awsnotes_site.markdown.wikilinks import WIKI_ENV, WikiResolver, WikiState, wikilinks_plugin
from awsnotes_site.model.note import Note, slugify_name
from awsnotes_site.model.views import NoteView
from awsnotes_site.obsidian.resolve import LinkIndex, VaultFile
from awsnotes_site.obsidian.settings import VaultSettings, load_settings
from awsnotes_site.urls import nfc

# what a vault's URL characters are percent-encoded from (spaces and URL syntax)
_UNSAFE = re.compile(r"[\s%?#\"<>\\^`{|}]")


def href_path(path: str) -> str:
    """A vault path as a URL path: spaces and URL syntax percent-encoded, Hangul kept."""
    return _UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), path)


def _ignored(rel: str, settings: VaultSettings) -> bool:
    for rule in settings.ignore:
        if len(rule) > 2 and rule.startswith("/") and rule.endswith("/"):
            try:
                if re.search(rule[1:-1], rel):
                    return True
            except re.error:
                continue
        elif rule and (rel == rule.rstrip("/") or rel.startswith(rule.rstrip("/") + "/")):
            return True
    return False


def vault_notes(config: SiteConfig, paths: list[Path]) -> list[Path]:
    """The discovered note files less the excluded folders and the output folder."""
    settings = load_settings(config.root)
    output = config.output_path
    kept = []
    for path in paths:
        if path.resolve().is_relative_to(output):
            continue
        if not _ignored(nfc(path.relative_to(config.root).as_posix()), settings):
            kept.append(path)
    return kept


def vault_files(config: SiteConfig) -> dict[str, Path]:
    """Every file of the vault by vault path (NFC), less dot folders, the output folder
    and the excluded ones."""
    settings = load_settings(config.root)
    root = config.root
    output = config.output_path
    found: dict[str, Path] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not d.startswith(".") and not (here / d).resolve().is_relative_to(output)
        )
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            rel = nfc((here / name).relative_to(root).as_posix())
            if not _ignored(rel, settings):
                found[rel] = here / name
    return found


@dataclass(frozen=True)
class Backlink:
    """A note that links to the page's note, and the sentence around each link."""

    title: str
    url: str
    contexts: tuple[str, ...]


class VaultSite:
    """The vault's files for one build: the link index and the notes by vault path. A
    parser kept between builds keeps its site: :meth:`refresh` gives it the new files."""

    def __init__(self, config: SiteConfig, notes: Sequence[Note]) -> None:
        self.config = config
        self.md: MarkdownIt | None = None
        self.refresh(notes)

    def refresh(self, notes: Sequence[Note]) -> None:
        config = self.config
        self.files = vault_files(config)
        self.notes = {n.rel: n for n in notes}
        entries = []
        for rel in self.files:
            note = self.notes.get(rel)
            if rel.lower().endswith((".md", ".markdown")):
                if note is not None:  # (drafts and excluded notes: not linkable)
                    entries.append(VaultFile(rel, href_path(note.url)))
            else:
                entries.append(VaultFile(rel, href_path(rel)))
        self.index = LinkIndex(entries)
        self._found: dict[tuple[str, str], VaultFile | None] = {}

    def resolve(self, target: str, source: str) -> VaultFile | None:
        """:meth:`LinkIndex.resolve`, once per target and linking folder in a build."""
        where = (target, posixpath.dirname(source))
        if where not in self._found:
            self._found[where] = self.index.resolve(target, source)
        return self._found[where]

    def dependencies(self, wiki: Mapping[str, Any]) -> str:
        """The state now of what a rendering recorded in WIKI (``wiki_record``): where each
        link resolves, the bytes of each embedded note."""
        h = hashlib.sha256()
        resolve = self.resolve
        for source, target in wiki.get("resolved", ()):
            found = resolve(target, source)
            where = f"{found.path}\0{found.url}" if found is not None else ""
            h.update(f"{source}\0{target}\0{where}\n".encode())
        for path in wiki.get("embedded", ()):
            note = self.notes.get(path)
            h.update(f"{path}\0{note.digest if note is not None else ''}\n".encode())
        return h.hexdigest()

    def keys(
        self, notes: Sequence[Note], bases: Sequence[str], known: Iterable[NoteFacts]
    ) -> list[str]:
        """Each note's render key: its base key (its bytes, the renderer, the settings)
        and the state now of what its last rendering depended on, from KNOWN facts (of
        the last build, in memory or in ``notes.json``). A note never rendered, or whose
        edit changed what it links to, gets a provisional key: :meth:`settle` files it
        under the right one once rendered."""
        last: dict[str, Mapping[str, Any]] = {}
        for facts in known:
            if facts is not None and "note" in facts.wiki:
                last.setdefault(facts.wiki["note"], facts.wiki)
        return [
            vault_key(base, self.dependencies(last.get(note.rel, {})))
            for note, base in zip(notes, bases, strict=True)
        ]

    def settle(
        self,
        todo: list[tuple[str, Note]],
        done: Sequence[tuple[RenderedNote, NoteFacts]],
        bases: Mapping[str, str],
        keys: list[str],
        store: RenderStore | None,
    ) -> list[tuple[str, Note]]:
        """The notes just rendered (TODO: under the keys :meth:`keys` gave them, DONE:
        what came out) under the keys of what they depended on; KEYS corrected in place,
        each note put into STORE under its key."""
        settled: list[tuple[str, Note]] = []
        moved: dict[str, str] = {}
        for (key, note), (rendered, facts) in zip(todo, done, strict=True):
            new = vault_key(bases[key], self.dependencies(facts.wiki))
            if new != key:
                moved[key] = new
            if store is not None:
                store.put(new, rendered)
            settled.append((new, note))
        if moved:
            keys[:] = [moved.get(key, key) for key in keys]
        return settled

    def attach(self, md: MarkdownIt) -> None:
        self.md = md
        resolver: WikiResolver = VaultResolver(self)
        wikilinks_plugin(md, resolver)


class VaultResolver:
    """What the wikilink rules ask of the vault."""

    def __init__(self, site: VaultSite) -> None:
        self.site = site
        self.tag_prefix = site.config.taxonomies.get("tag", "tags")

    def resolve(self, target: str, source: str) -> VaultFile | None:
        return self.site.resolve(target, source)

    def tag_url(self, tag: str) -> str:
        return f"/{self.tag_prefix}/{href_path(slugify_name(tag) or '_')}/"

    def embed(self, target: Any, fragment: str, env: MutableMapping[str, Any]) -> str:
        site = self.site
        note = site.notes.get(target.path)
        md = site.md
        if note is None or md is None:
            return ""
        if not note.body_loaded:
            from awsnotes_site.content.load import load_note

            note = load_note(note.source, site.config)
        page = {"title": note.title, "rel": note.rel, "url": note.url, "params": note.params}
        shown, offset = note.display_path, note.body_line - 1
        env["awsnotes"] = RenderEnv(path=shown, line_offset=offset, page=page)
        tokens = md.parse(note.body, env)
        if fragment:
            tokens = section(tokens, fragment)
        wiki = env.get(WIKI_ENV)
        if isinstance(wiki, WikiState) and wiki.ids is not None:
            wiki.ids.claim(tokens)
        return str(md.renderer.render(tokens, md.options, env))


def section(tokens: list[Token], fragment: str) -> list[Token]:
    """The tokens of the heading FRAGMENT names and what follows it up to the next heading
    of its level or higher; a block ``^id``: that block alone."""
    from awsnotes_site.markdown.headings import slugify

    if fragment.startswith("^"):
        return _block(tokens, fragment)
    wanted = slugify(fragment.split("#")[-1])
    start = level = -1
    for i, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        depth = int(token.tag[1])
        if start >= 0 and depth <= level:
            return tokens[start:i]
        if start < 0 and slugify(tokens[i + 1].content) == wanted:
            start, level = i, depth
    return tokens[start:] if start >= 0 else []


def _block(tokens: list[Token], fragment: str) -> list[Token]:
    for i, token in enumerate(tokens):
        if token.nesting == 1 and token.attrGet("id") == fragment:
            depth = 0
            for j in range(i, len(tokens)):
                depth += tokens[j].nesting
                if depth == 0:
                    return tokens[i : j + 1]
    return []


def merge_tags(notes: Sequence[Note], wiki: Sequence[dict[str, Any]]) -> None:
    """The inline ``#태그`` of each note join its front matter tags (once)."""
    for note, record in zip(notes, wiki, strict=True):
        for tag in record.get("tags", ()):
            name = nfc(str(tag))
            if name not in note.tags:
                note.tags = [*note.tags, name]


def backlinks(views: Sequence[NoteView]) -> None:
    """Give each view the notes that link to it, with each link's sentence
    (``links_in``), and their digest (``links_key``: the page that shows them depends on
    it, through the tracker, not on the linking notes' whole content)."""
    found: dict[str, list[Backlink]] = {}
    for view in views:
        contexts: dict[str, list[str]] = {}
        for target, context in view.facts.wiki.get("links", ()):
            if target != view.note.rel:
                said = contexts.setdefault(target, [])
                if context and context not in said:
                    said.append(context)
        for target, said in contexts.items():
            link = Backlink(view.note.title, view.note.url, tuple(said))
            found.setdefault(target, []).append(link)
    for view in views:
        links = found.get(view.note.rel, [])
        view.links_in = links
        blob = "\0".join(f"{b.title}\1{b.url}\1{chr(2).join(b.contexts)}" for b in links)
        view.links_key = hashlib.sha256(blob.encode()).hexdigest()[:32] if links else ""


def linked_files(config: SiteConfig, views: Sequence[Any]) -> dict[str, Path]:
    """The non-note files the notes link to or embed, by output path (their vault path)."""
    files = vault_files(config)
    out: dict[str, Path] = {}
    for view in views:
        for rel in view.facts.wiki.get("files", ()):
            source = files.get(rel)
            if source is not None:
                out[rel] = source
    return out
