"""Which images a note can show, read from its source before it renders: the part of
its render key that covers images (issue 21).

A note's image markup depends only on the images it names, so its render key covers the
catalog's images whose file name (``shot.png``, compared without case, after
%-decoding and NFC) appears in its file, with their dark siblings
(:meth:`~awsnotes_site.images.catalog.ImageCatalog.names_key`): adding an image
re-renders only the notes that mention an image by that name. The scan over-approximates
(a name in a code block counts too), never under-approximates, but for two cases where
the images come from elsewhere; those notes take the key of every image:

- a shortcode whose template (the site's Jinja or Go shortcodes) writes ``<img``: its
  template may build the name from its arguments;
- an embed ``![[...]]`` of something that is not an image (a vault note shows the
  embedded note's images).

What a file names is remembered by its content digest (:class:`ImageRefs`, saved in
``.cache/images/refs.json``), so a build with nothing changed reads no note again.
"""

from __future__ import annotations

import contextlib
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
# a file name with an image extension: what is left of it after the last separator
_NAME = re.compile(rf"""([^\s/\\"'`()<>\[\]|=,;:*?#]*\.(?:{_EXT}))(?![\w-])""", re.IGNORECASE)
_SHORTCODE = re.compile(r"\{\{[<%]\s*/?\s*([\w./-]+)")
_EMBED = re.compile(r"!\[\[([^\]|#^]*)")


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


def scan(text: str) -> NoteRefs:
    """The image names, shortcode names and non-image embeds a note's source has."""
    lowered = text.lower()
    names: set[str] = set()
    if "." in text:
        decoded = nfc(unquote(lowered)) if "%" in lowered else nfc(lowered)
        names.update(m.group(1) for m in _NAME.finditer(decoded))
        names.update(m.group(1) for m in _NAME.finditer(lowered))
    shortcodes = {m.group(1).lower() for m in _SHORTCODE.finditer(text)} if "{{" in text else set()
    embeds = False
    if "![[" in text:
        embeds = any(not _NAME.fullmatch(m.group(1).strip().lower()) for m in _EMBED.finditer(text))
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
        """The scan of the note file whose bytes hash to ``digest`` (read when not known;
        an unreadable file names every image)."""
        self.live.add(digest)
        refs = self.by_digest.get(digest)
        if refs is None:
            text: str | None = body
            with contextlib.suppress(OSError):
                text = source.read_text(encoding="utf-8", errors="replace")
            refs = scan(text) if text is not None else NoteRefs(frozenset(), frozenset(), True)
            self.by_digest[digest] = refs
        return refs

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
