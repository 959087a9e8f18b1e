"""The persistent render cache: ``.cache/render.json``, keyed by content hash, note path,
renderer version, config and shortcode templates. JSON, not pickle: a foreign or corrupt
cache is ignored with a warning and can never run code."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from awsnotes_site.diagnostics import Diagnostic, Severity
from awsnotes_site.markdown import RenderedNote
from awsnotes_site.markdown.context import LinkRef, TocEntry

FORMAT = "awsnotes-render-cache/2"
FILE = "render.json"
MAX_ENTRIES = 50_000


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


def load(folder: Path) -> tuple[dict[str, RenderedNote], str | None]:
    path = folder / FILE
    if not path.exists():
        return {}, None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return {}, f"ignoring {path}: not a cache of this version"
        return {str(k): _decode(v) for k, v in data["entries"].items()}, None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return {}, f"ignoring corrupt cache {path}: {exc.__class__.__name__}"


def save(folder: Path, entries: dict[str, RenderedNote]) -> None:
    items = list(entries.items())[-MAX_ENTRIES:]
    blob = json.dumps(
        {"format": FORMAT, "entries": {k: _encode(v) for k, v in items}},
        ensure_ascii=False,
        sort_keys=True,
    )
    _atomic_write(folder, FILE, blob)


def clear(folder: Path) -> None:
    for name in (FILE, PAGES_FILE):
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
