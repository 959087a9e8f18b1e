"""The persistent caches in ``.cache/``.

- ``render/<k[:2]>/<k>.json``: one rendered note per file, keyed by content hash, note
  path, renderer version, config and shortcode templates; read only when a note needs it,
  written only when a note was rendered.
- ``pages.json``: per output file, the signature of its inputs and the hash of what was
  written, so an unchanged page is taken from the published folder.

JSON, not pickle: a foreign or corrupt entry is ignored with a warning and can never run
code."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from awsnotes_site.diagnostics import Diagnostic, Severity
from awsnotes_site.markdown import RenderedNote
from awsnotes_site.markdown.context import LinkRef, TocEntry

FORMAT = "awsnotes-render-cache/3"
LEGACY_FILE = "render.json"  # the single-file cache of earlier versions, removed by clear


def key(digest: str, rel: str, context: str) -> str:
    return hashlib.sha256(f"{digest}\0{rel}\0{context}".encode()).hexdigest()


def _encode(r: RenderedNote) -> dict[str, Any]:
    return {
        "html": r.html,
        "toc": [[t.level, t.id, t.title] for t in r.toc],
        "links": [[lk.url, lk.line, lk.kind] for lk in r.links],
        "diagnostics": [
            [d.path, d.line, d.severity.value, d.message, d.col, d.hint] for d in r.diagnostics
        ],
        "refs": r.refs,
        "shortcodes": sorted(r.shortcodes),
        "text": r.text,
    }


def _decode(d: dict[str, Any]) -> RenderedNote:
    return RenderedNote(
        html=str(d["html"]),
        toc=[TocEntry(int(a), str(b), str(c)) for a, b, c in d["toc"]],
        links=[LinkRef(str(a), int(b), str(c)) for a, b, c in d["links"]],
        diagnostics=[
            Diagnostic(str(p), ln, Severity(s), str(m), col, hint)
            for p, ln, s, m, col, hint in d["diagnostics"]
        ],
        refs={str(k): (None if v is None else str(v)) for k, v in d["refs"].items()},
        shortcodes=set(d["shortcodes"]),
        text=str(d["text"]),
    )


RENDER_DIR = "render"


class RenderStore:
    """Rendered notes on disk, one JSON file each."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder / RENDER_DIR
        self.problems: list[str] = []

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> RenderedNote | None:
        path = self._path(key)
        try:
            raw = path.read_text(encoding="utf-8")
        except OSError:
            return None
        try:
            data = json.loads(raw)
            if not isinstance(data, dict) or data.get("format") != FORMAT:
                self.problems.append(f"ignoring {path}: not a cache of this version")
                return None
            if data.get("key") != key:
                raise ValueError("entry filed under the wrong key")
            return _decode(data["entry"])
        except (ValueError, KeyError, TypeError) as exc:
            self.problems.append(f"ignoring corrupt cache {path}: {exc.__class__.__name__}")
            return None

    def put(self, key: str, rendered: RenderedNote) -> None:
        blob = json.dumps(
            {"format": FORMAT, "key": key, "entry": _encode(rendered)},
            ensure_ascii=False,
            sort_keys=True,
        )
        _atomic_write(self.folder / key[:2], f"{key}.json", blob)


def clear(folder: Path) -> None:
    shutil.rmtree(folder / RENDER_DIR, ignore_errors=True)
    for name in (LEGACY_FILE, PAGES_FILE):
        with contextlib.suppress(OSError):
            (folder / name).unlink()


PAGES_FILE = "pages.json"
PAGES_FORMAT = "awsnotes-page-cache/1"


def load_pages(folder: Path, output: Path) -> dict[str, tuple[str, str]]:
    """Page path -> (input signature, sha256 of the written bytes) for ``output``."""
    try:
        data = json.loads((folder / PAGES_FILE).read_text(encoding="utf-8"))
        if data.get("format") != PAGES_FORMAT or data.get("output") != str(output):
            return {}
        return {str(k): (str(v[0]), str(v[1])) for k, v in data["pages"].items()}
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return {}


def save_pages(folder: Path, output: Path, pages: dict[str, tuple[str, str]]) -> None:
    blob = json.dumps(
        {
            "format": PAGES_FORMAT,
            "output": str(output),
            "pages": {k: list(v) for k, v in sorted(pages.items())},
        }
    )
    _atomic_write(folder, PAGES_FILE, blob)


def _atomic_write(folder: Path, name: str, blob: str) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(blob)
        os.replace(tmp, folder / name)
    except OSError:
        pass  # a cache that cannot be written only costs time
