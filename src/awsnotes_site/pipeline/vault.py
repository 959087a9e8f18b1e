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

Rendering a vault note depends on which files exist and on the notes it embeds: the render
context of a vault (:meth:`VaultSite.context`) covers every file's path and every note's
bytes, so a change anywhere renders the vault's notes again (exact; a vault is small)."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from awsnotes_site.config import SiteConfig
from awsnotes_site.markdown.context import RenderEnv
from awsnotes_site.markdown.wikilinks import WikiResolver, wikilinks_plugin
from awsnotes_site.model.note import Note, slugify_name
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
    """The vault's files for one build: the link index and the notes by vault path."""

    def __init__(self, config: SiteConfig, notes: Sequence[Note]) -> None:
        self.config = config
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
        self.md: MarkdownIt | None = None

    def context(self) -> str:
        """What every note's rendering depends on: the vault's paths and notes' bytes."""
        h = hashlib.sha256()
        for f in self.index.files:
            note = self.notes.get(f.path)
            h.update(f"{f.path}\0{f.url}\0{note.digest if note else ''}\n".encode())
        return ":vault:" + h.hexdigest()[:16]

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
        return self.site.index.resolve(target, source)

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


def backlinks(views: Sequence[Any]) -> None:
    """Give each view (``NoteView``) the notes that link to it, with each link's sentence,
    and fold them into its card (its page's signature covers them: a link added to or
    removed from another note renders this note's page again)."""
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
        view.backlinks = links
        if links:
            blob = "\0".join(f"{b.title}\1{b.url}\1{chr(2).join(b.contexts)}" for b in links)
            view.card = hashlib.sha256(f"{view.card}\0{blob}".encode()).hexdigest()


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
