"""Which images a note can show, read from its source before it renders: the part of
its render key that covers images (issue 21).

A note's image markup depends only on the images it names, so its render key covers the
catalog's images whose file name (``shot.png``, compared without case, after
%-decoding and NFC) appears in its text, with their dark siblings
(:meth:`~awsnotes_site.images.catalog.ImageCatalog.names_key`): adding an image
re-renders only the notes that mention an image by that name. The scan over-approximates
(a name in a code block or in prose counts too; every suffix of the text before an image
extension that starts after a separator is a candidate, so names with spaces, brackets
or Hangul are found; not: a name of more than 160 characters or with one of
``/\\"<>|*?``). Two kinds of notes show images their text does not name; they take the
key of every image:

- a shortcode whose template (the site's Jinja or Go shortcodes) writes ``<img``: its
  template may build the name from its arguments;
- an embed ``![[...]]`` of something that is not an image (a vault note shows the
  embedded note's images).

What a note names is remembered by its file's digest (:class:`ImageRefs`, saved in
``.cache/images/refs.json``), so a build with nothing changed reads no note again.
"""

from __future__ import annotations

import contextlib
import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote

from awsnotes_site.images.cache import write_atomic
from awsnotes_site.images.probe import EXTENSION_FORMATS
from awsnotes_site.urls import nfc

REFS_FILE = "refs.json"  # under .cache/images
REFS_VERSION = 1

_EXT = "|".join(sorted(e[1:] for e in EXTENSION_FORMATS))
_EXTENSION = re.compile(rf"\.(?:{_EXT})(?![\w-])")  # in lower-cased text
_IMAGE = re.compile(rf".*\.(?:{_EXT})", re.DOTALL)
_SHORTCODE = re.compile(r"\{\{[<%]\s*/?\s*([\w./-]+)")
_EMBED = re.compile(r"!\[\[([^\]|#^]*)")
SEGMENT = 160  # characters before an extension that a file name may take
BOUNDARY = frozenset(" \t/\\\"'`()[]<>=|:,;*?#!{}")  # what a name may follow
NOT_FIRST = BOUNDARY - frozenset("(")  # what a name does not start with
NOT_IN = frozenset('/\\"<>|*?`\n')  # what no name has (as no file name in practice)


class NoteSource(Protocol):
    """What the scan needs of a note (:class:`awsnotes_site.model.note.Note`)."""

    @property
    def digest(self) -> str: ...
    @property
    def source(self) -> Path: ...
    @property
    def body(self) -> str: ...
    @property
    def body_loaded(self) -> bool: ...


@dataclass(frozen=True)
class NoteRefs:
    """What a note's file names: image file names (lower case), shortcodes, and whether
    it embeds something other than an image."""

    names: frozenset[str]
    shortcodes: frozenset[str]
    embeds: bool

    def row(self) -> list[object]:
        return [sorted(self.names), sorted(self.shortcodes), self.embeds]

    @classmethod
    def of_row(cls, row: object) -> NoteRefs | None:
        if not isinstance(row, list) or len(row) != 3:
            return None
        names, shortcodes, embeds = row
        if not isinstance(names, list) or not isinstance(shortcodes, list):
            return None
        return cls(frozenset(map(str, names)), frozenset(map(str, shortcodes)), bool(embeds))


def image_name(path: str) -> str:
    """The name an image is known by: its file name, lower case."""
    return path.rsplit("/", 1)[-1].lower()


def _candidates(segment: str, names: set[str]) -> None:
    """Every name ``segment`` (text ending in an image extension) may end with: each
    suffix that starts after a boundary (a name may hold spaces and brackets)."""
    for i in range(len(segment) - 4, -1, -1):  # (shortest first: stop at a / or a quote)
        ch = segment[i]
        if ch in NOT_IN:
            break
        if ch == "[" and segment.startswith("[[", i - 1):
            break  # (an Obsidian embed's brackets)
        if (i == 0 or segment[i - 1] in BOUNDARY) and ch not in NOT_FIRST and ch != ".":
            names.add(nfc(segment[i:]))


def _forms(segment: str) -> set[str]:
    """A segment as written and as Markdown or HTML would read it (%-decoded, entities,
    backslash escapes)."""
    forms = {segment}
    if "%" in segment:
        forms.add(unquote(segment))
    if "&" in segment:
        forms.update([html.unescape(f) for f in forms])
    if "\\" in segment:
        forms.update([f.replace("\\", "") for f in forms])
    return forms


def scan(text: str) -> NoteRefs:
    """The image names, shortcode names and non-image embeds a note's source has."""
    lowered = text.lower()
    names: set[str] = set()
    after = 0  # the end of the last name: a name holds no earlier extension
    for m in _EXTENSION.finditer(lowered):
        start = max(lowered.rfind("\n", 0, m.start()) + 1, m.start() - SEGMENT, after)
        after = m.end()
        for form in _forms(lowered[start : m.end()]):
            _candidates(form, names)
    shortcodes = {m.group(1).lower() for m in _SHORTCODE.finditer(text)} if "{{" in text else set()
    embeds = False
    if "![[" in text:
        targets = (m.group(1).strip().lower() for m in _EMBED.finditer(text))
        embeds = any(not _IMAGE.fullmatch(t) for t in targets)
    return NoteRefs(frozenset(names), frozenset(shortcodes), embeds)


def image_shortcodes(folders: Iterable[Path]) -> frozenset[str]:
    """The shortcodes (by name, lower case) whose template writes ``<img``."""
    found: set[str] = set()
    for folder in folders:
        if not folder.is_dir():
            continue
        for template in folder.glob("*.html"):
            with contextlib.suppress(OSError):
                if "<img" in template.read_text(encoding="utf-8", errors="replace").lower():
                    found.add(template.stem.lower())
    return frozenset(found)


class ImageRefs:
    """What each note file names, by content digest; kept by the image stage between
    builds and saved with its other caches."""

    def __init__(self) -> None:
        self.by_digest: dict[str, NoteRefs] = {}
        self.live: set[str] = set()  # digests asked about by this build
        self._loaded: Path | None = None
        self._saved: bytes = b""

    def load(self, file: Path) -> None:
        """Read the saved scans (once per file)."""
        if self._loaded == file:
            return
        self._loaded = file
        with contextlib.suppress(OSError, ValueError):
            data = json.loads(file.read_bytes())
            if isinstance(data, dict) and data.get("version") == REFS_VERSION:
                rows = data.get("notes")
                for digest, row in (rows if isinstance(rows, dict) else {}).items():
                    refs = NoteRefs.of_row(row)
                    if refs is not None:
                        self.by_digest.setdefault(str(digest), refs)

    def start(self) -> None:
        """A build begins: forget the scans the last build did not ask about."""
        if self.live:
            self.by_digest = {d: r for d, r in self.by_digest.items() if d in self.live}
        self.live = set()

    def of(self, digest: str, source: Path, body: str | None) -> NoteRefs:
        """The scan of the note whose file's bytes hash to ``digest``: of its ``body``
        when loaded, else of its file (a superset: front matter too), read now; an
        unreadable file names every image."""
        self.live.add(digest)
        refs = self.by_digest.get(digest)
        if refs is None:
            text = body
            if text is None:
                with contextlib.suppress(OSError):
                    text = source.read_text(encoding="utf-8", errors="replace")
            refs = scan(text) if text is not None else NoteRefs(frozenset(), frozenset(), True)
            self.by_digest[digest] = refs
        return refs

    def forget(self, digest: str) -> None:
        """A note's file no longer has these bytes (a preview's quick rebuild of an edited
        note): its old scan is not kept until the next full build."""
        self.live.discard(digest)
        self.by_digest.pop(digest, None)

    def save(self, file: Path) -> None:
        """Keep the scans of the notes this build asked about."""
        rows = {d: self.by_digest[d].row() for d in sorted(self.live) if d in self.by_digest}
        data = json.dumps({"version": REFS_VERSION, "notes": rows}, ensure_ascii=False).encode()
        if data == self._saved:
            return
        with contextlib.suppress(OSError):
            if not file.exists() or file.read_bytes() != data:
                write_atomic(file, data)
            self._saved = data
