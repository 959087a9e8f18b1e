"""The persistent caches in ``.cache/``: what lets a CLI build after a one-note edit read,
render and write little more than that note.

- ``notes.json``: every note's front matter (without its body) and the *facts* of its
  rendering (summary, reading time, links, warnings, refs), keyed by the file's size and
  modification time; the first line holds a checksum of the rest. A note whose file did
  not change is neither read nor parsed.
- ``render/<k[:2]>/<k>.json``: one rendered note (HTML, text, TOC) per file, keyed by
  content hash, note path, renderer version, config and shortcode templates; read only
  when a page that shows the note's body has to be rendered (a search shard reads only
  the first line: the note's text and search keys).
- ``pages.json``: per output file, the signature of its inputs (template, settings, what
  it shows of each note, the whole of the notes whose body it used), and its size and
  modification time as written: an unchanged page stays as published, unread.
- ``related.json``: related notes, valid for one list of (note path, tags) in order.
- ``links.json``: the notes (render key, URL) with no link or image whose target is
  missing, valid for one list of the site's files.
- ``templates.json``: template hashes and their include/extends closure, valid while no
  file in ``templates/`` changed; ``jinja/``: Jinja's bytecode cache of compiled
  templates (Jinja checks each entry against its source and its own version).

JSON, not pickle: a foreign or corrupt entry is ignored with a warning and can never run
code."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from awsnotes_site.incremental.records import (
    NOTES_FILE,
    NoteRecord,
    decode_rendered,
    encode_notes,
    encode_rendered,
    search_part,
)
from awsnotes_site.markdown import RenderedNote
from awsnotes_site.model.views import SearchPart

FORMAT = "awsnotes-render-cache/5"
LEGACY_FILE = "render.json"  # the single-file cache of earlier versions, removed by clear


RENDER_DIR = "render"


class RenderStore:
    """Rendered notes on disk, one file each, of two JSON lines: first the format, the key
    and the note's search part (plain text and search keys), then the rest (HTML, TOC,
    links...). Rebuilding a search shard decodes only the first line of its notes."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder / RENDER_DIR
        self.problems: list[str] = []

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def _read(self, key: str, whole: bool) -> tuple[SearchPart, RenderedNote | None] | None:
        """The entry's search part and, if ``whole``, the rendered note; None (and a
        problem noted) if it is missing, of another version or corrupt."""
        path = self._path(key)
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        try:
            first, _, rest = raw.partition(b"\n")
            head = json.loads(first)
            if not isinstance(head, dict) or head.get("format") != FORMAT:
                self.problems.append(f"ignoring {path}: not a cache of this version")
                return None
            if head.get("key") != key:
                raise ValueError("entry filed under the wrong key")
            search = search_part(head)
            return search, (decode_rendered(head, json.loads(rest)) if whole else None)
        except (ValueError, KeyError, TypeError) as exc:
            self.problems.append(f"ignoring corrupt cache {path}: {exc.__class__.__name__}")
            return None

    def get(self, key: str) -> RenderedNote | None:
        found = self._read(key, whole=True)
        return None if found is None else found[1]

    def get_search(self, key: str) -> SearchPart | None:
        """A note's plain text and search keys, without decoding its HTML."""
        found = self._read(key, whole=False)
        return None if found is None else found[0]

    def put(self, key: str, rendered: RenderedNote) -> None:
        search, rest = encode_rendered(rendered)
        head = json.dumps({"format": FORMAT, "key": key, **search}, ensure_ascii=False)
        body = json.dumps(rest, ensure_ascii=False, sort_keys=True)
        atomic_write(self.folder / key[:2], f"{key}.json", head + "\n" + body)


def clear(folder: Path) -> None:
    shutil.rmtree(folder / RENDER_DIR, ignore_errors=True)
    shutil.rmtree(folder / "jinja", ignore_errors=True)
    for name in (LEGACY_FILE, PAGES_FILE, NOTES_FILE, TEMPLATES_FILE, RELATED_FILE, LINKS_FILE):
        with contextlib.suppress(OSError):
            (folder / name).unlink()


PAGES_FILE = "pages.json"
PAGES_FORMAT = "awsnotes-page-cache/2"


@dataclass(frozen=True)
class PageRecord:
    """A published file: the signature of its inputs, its size and modification time as
    written, and the notes whose whole body or HTML it used."""

    signature: str
    size: int
    mtime_ns: int
    used: frozenset[str]


def load_pages(folder: Path, output: Path) -> dict[str, PageRecord]:
    """Page path -> :class:`PageRecord` for ``output``; empty if missing or foreign."""
    data = read_json(folder, PAGES_FILE, PAGES_FORMAT, "output", str(output))
    try:
        return {
            str(k): PageRecord(str(v[0]), int(v[1]), int(v[2]), frozenset(map(str, v[3])))
            for k, v in data["pages"].items()
        }
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return {}


def save_pages(folder: Path, output: Path, pages: dict[str, PageRecord]) -> None:
    blob = json.dumps(
        {
            "format": PAGES_FORMAT,
            "output": str(output),
            "pages": {
                k: [v.signature, v.size, v.mtime_ns, sorted(v.used)]
                for k, v in sorted(pages.items())
            },
        },
        ensure_ascii=False,
    )
    atomic_write(folder, PAGES_FILE, blob)


def save_notes(folder: Path, context: str, records: dict[str, NoteRecord], tz: dt.tzinfo) -> None:
    atomic_write(folder, NOTES_FILE, encode_notes(context, records, tz))


# -- templates.json: template hashes, valid while no file in templates/ changed -------------
TEMPLATES_FILE = "templates.json"
TEMPLATES_FORMAT = "awsnotes-template-hashes/1"


def load_templates(folder: Path, stamp: str) -> dict[str, Any]:
    hashes = read_json(folder, TEMPLATES_FILE, TEMPLATES_FORMAT, "stamp", stamp).get("hashes")
    return hashes if isinstance(hashes, dict) else {}


def save_templates(folder: Path, stamp: str, hashes: dict[str, Any]) -> None:
    if load_templates(folder, stamp) == hashes:
        return
    blob = json.dumps({"format": TEMPLATES_FORMAT, "stamp": stamp, "hashes": hashes})
    atomic_write(folder, TEMPLATES_FILE, blob)


# -- related.json: related notes, valid for one set of (path, tags) in order ---------------
RELATED_FILE = "related.json"
RELATED_FORMAT = "awsnotes-related/1"


def load_related(folder: Path, digest: str) -> dict[str, list[str]] | None:
    data = read_json(folder, RELATED_FILE, RELATED_FORMAT, "key", digest)
    try:
        return {str(k): [str(r) for r in v] for k, v in data["related"].items()}
    except (KeyError, TypeError, AttributeError):
        return None


def save_related(folder: Path, digest: str, related: dict[str, list[str]]) -> None:
    blob = json.dumps(
        {"format": RELATED_FORMAT, "key": digest, "related": related}, ensure_ascii=False
    )
    atomic_write(folder, RELATED_FILE, blob)


# -- links.json: the notes without missing targets, valid for one list of the site's files --
LINKS_FILE = "links.json"
LINKS_FORMAT = "awsnotes-links/1"


def load_links(folder: Path, digest: str) -> set[tuple[str, str]]:
    """(render key, URL) of the notes whose links and images all had a target, when the
    site's files were those of ``digest`` (:func:`.keys.site_files_digest`)."""
    data = read_json(folder, LINKS_FILE, LINKS_FORMAT, "key", digest)
    try:
        return {(str(key), str(url)) for key, url in data.get("clean", [])}
    except (TypeError, ValueError):
        return set()


def save_links(folder: Path, digest: str, clean: set[tuple[str, str]]) -> None:
    blob = json.dumps(
        {"format": LINKS_FORMAT, "key": digest, "clean": sorted(clean)}, ensure_ascii=False
    )
    atomic_write(folder, LINKS_FILE, blob)


def read_json(folder: Path, name: str, fmt: str, field: str, value: str) -> dict[str, Any]:
    """``folder/name`` as JSON if it is a dict made in format ``fmt`` with ``field`` equal
    to ``value`` (the settings it was made for); else ``{}`` (missing, corrupt, foreign)."""
    try:
        data = json.loads((folder / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != fmt or data.get(field) != value:
        return {}
    return data


def atomic_write(folder: Path, name: str, blob: str) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(blob)
        os.replace(tmp, folder / name)
    except OSError:
        pass  # a cache that cannot be written only costs time
