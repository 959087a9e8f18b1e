"""Where a request goes: content types, request paths -> routes, and path safety.

Nothing here does I/O except :func:`open_static`, which opens a static file only when it
really lies inside ``static/`` (``Path.resolve`` + ``is_relative_to``, no symlink out).
"""

from __future__ import annotations

import os
import stat
import unicodedata
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import BinaryIO

from awsnotes_site.urls import nfc, output_path, raw_base_path

INTERNAL = "__awsnotes"  # the server's own files live under {base}__awsnotes/
HTML_TYPE = "text/html; charset=utf-8"

CONTENT_TYPES: Mapping[str, str] = MappingProxyType(
    {
        ".html": HTML_TYPE,
        ".htm": HTML_TYPE,
        ".css": "text/css; charset=utf-8",
        ".js": "text/javascript; charset=utf-8",
        ".mjs": "text/javascript; charset=utf-8",
        ".json": "application/json",
        ".map": "application/json",
        ".webmanifest": "application/manifest+json",
        ".xml": "application/xml",
        ".txt": "text/plain; charset=utf-8",
        ".md": "text/plain; charset=utf-8",
        ".svg": "image/svg+xml",
        ".png": "image/png",
        ".jpg": "image/jpeg",
        ".jpeg": "image/jpeg",
        ".gif": "image/gif",
        ".webp": "image/webp",
        ".avif": "image/avif",
        ".ico": "image/x-icon",
        ".woff": "font/woff",
        ".woff2": "font/woff2",
        ".ttf": "font/ttf",
        ".otf": "font/otf",
        ".pdf": "application/pdf",
        ".mp4": "video/mp4",
        ".webm": "video/webm",
        ".mp3": "audio/mpeg",
        ".wasm": "application/wasm",
    }
)


def content_type(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    dot = name.rfind(".")
    ext = name[dot:].lower() if dot > 0 else ""
    return CONTENT_TYPES.get(ext, "application/octet-stream")


def url_host(bind: str) -> str:
    """The host to put in URLs for a bind address."""
    if bind in ("", "0.0.0.0"):
        return "127.0.0.1"
    if bind == "::":
        return "[::1]"
    return f"[{bind}]" if ":" in bind else bind


def preview_base_url(configured: str, host: str, port: int) -> str:
    """``https://user.github.io/notes/`` -> ``http://127.0.0.1:1313/notes/``: the host is
    the preview's, the path stays as configured."""
    return f"http://{host}:{port}{raw_base_path(configured)}"


def internal_url(base: str, name: str) -> str:
    """The URL of one of the server's own files: ``/notes/__awsnotes/livereload.js``."""
    return urllib.parse.quote(base, safe="/") + f"{INTERNAL}/{name}"


@dataclass(frozen=True)
class Route:
    """Where a request path leads: ``file`` (output path), ``internal`` (a name under
    ``__awsnotes/``), ``redirect`` (a Location), ``missing`` (404) or ``bad`` (400)."""

    kind: str
    target: str = ""


def _decode_segment(raw: str) -> str | None:
    """A percent-encoded path segment as text; None when it is not UTF-8."""
    try:
        return urllib.parse.unquote_to_bytes(raw.encode("latin-1")).decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None


def _safe_segment(seg: str) -> bool:
    return (
        seg not in ("", ".", "..")
        and "/" not in seg
        and "\\" not in seg
        and not any(ord(c) < 0x20 or ord(c) == 0x7F for c in seg)
    )


def _segments(path: str) -> tuple[list[str], bool] | Route:
    """The decoded segments of a request path and whether it ends in a slash, or the
    route (bad, missing) when a segment is not acceptable."""
    raw_segments = path[1:].split("/")
    trailing = raw_segments[-1] == ""
    if trailing:
        raw_segments.pop()
    segments: list[str] = []
    for raw in raw_segments:
        seg = _decode_segment(raw)
        if seg is None:
            return Route("bad")
        if not _safe_segment(seg):
            return Route("missing")
        segments.append(seg)
    return segments, trailing


def resolve_path(target: str, base: str, exists: Callable[[str], bool]) -> Route:
    """Map a request target (as on the request line) to a :class:`Route`.

    Every segment is percent-decoded on its own, so ``%2f`` cannot make a new segment, and
    a segment that is empty, ``.``, ``..``, or holds a slash, backslash or control
    character makes the whole path missing: nothing ever climbs out of the site.
    """
    path, _, query = target.partition("#")[0].partition("?")
    if not path.startswith("/"):
        return Route("bad")
    split = _segments(path)
    if isinstance(split, Route):
        return split
    segments, trailing = split
    base_segments = [nfc(s) for s in base.split("/") if s]
    suffix = f"?{_clean_query(query)}" if query else ""
    head = [nfc(s) for s in segments[: len(base_segments)]]
    # A path that stops short of the base path (or at it, without the slash) leads there.
    short = len(segments) < len(base_segments) or (
        len(segments) == len(base_segments) and not trailing
    )
    if short and head == base_segments[: len(segments)]:
        return Route("redirect", urllib.parse.quote(base, safe="/") + suffix)
    if head != base_segments:
        return Route("missing")
    rest = segments[len(base_segments) :]
    if rest and rest[0] == INTERNAL:
        return Route("internal", "/".join(rest[1:]) + ("/" if trailing else ""))
    rel = "/".join(rest)
    if not rest or trailing:
        return Route("file", output_path(f"{rel}/" if rel else ""))
    if exists(rel):
        return Route("file", rel)
    if exists(output_path(f"{rel}/")):
        location = urllib.parse.quote(base + rel + "/", safe="/")
        return Route("redirect", location + suffix)
    return Route("missing", rel)


def _clean_query(query: str) -> str:
    return "".join(c for c in query if 0x20 < ord(c) < 0x7F)


def variants(key: str) -> list[str]:
    """KEY as requested, in NFC and in NFD: a file is found whichever form the browser
    (or the file system the note came from) used."""
    return list(dict.fromkeys([key, nfc(key), unicodedata.normalize("NFD", key)]))


def open_static(source: Path, static_dir: Path) -> tuple[BinaryIO, int] | None:
    """SOURCE opened for reading, with its size, when it is a regular file inside
    STATIC_DIR now (a symlink pointing elsewhere counts as missing); else None."""
    try:
        real = source.resolve(strict=True)
        if not real.is_relative_to(static_dir.resolve(strict=True)):
            return None
        fd = os.open(real, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except (OSError, RuntimeError):
        return None
    fh = os.fdopen(fd, "rb")
    st = os.fstat(fh.fileno())
    if not stat.S_ISREG(st.st_mode):
        fh.close()
        return None
    return fh, st.st_size
