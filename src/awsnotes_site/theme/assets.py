"""Content hashes of the CSS and JavaScript a site publishes, for asset URLs
(``site.css?v=HASH``, :class:`AssetLinks`) and the service worker, which keeps an asset
cached by that URL.

Why a query and not a hashed file name (``site.3f2a1b9c.css``): for the service worker
and for HTTP caches the two are the same, a new content hash is a new URL, so a changed
asset is fetched again and an unchanged one is never; the worker's cache key is the full
URL with its ``?v=``.  The query keeps every file at its one path, so a site's
``static/css/site.css`` still overrides the theme's, templates of older sites that link
``static/css/site.css`` keep working, ``serve`` (which links plain URLs) swaps an edited
stylesheet in place, and a page cached offline by an older build still finds the current
stylesheet (the worker falls back to the same path under another ``?v=``)."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path

import jinja2

from awsnotes_site.theme import STATIC_DIR

VERSIONED_SUFFIXES = (".css", ".js", ".svg")  # what the service worker keeps
LINKED_SUFFIXES = (".css", ".js")  # what pages link with a content hash
HASH_LENGTH = 12


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:HASH_LENGTH]


class AssetVersions:
    """``static/...`` path -> short content hash, read again when a file's size or
    modification time changes (a stat per use)."""

    def __init__(self, roots: tuple[Path, ...]) -> None:
        self.roots = roots  # later roots override earlier ones
        self._memo: dict[Path, tuple[tuple[int, int], str]] = {}

    @classmethod
    def for_site(cls, static_dir: Path) -> AssetVersions:
        return cls((STATIC_DIR, static_dir))

    def source(self, path: str) -> Path | None:
        rel = path.removeprefix("static/")
        for root in reversed(self.roots):
            candidate = root / rel
            if candidate.is_file() and candidate.resolve().is_relative_to(root.resolve()):
                return candidate
        return None

    def version(self, path: str) -> str:
        """The hash of the published ``path`` (``""`` if there is none)."""
        source = self.source(path)
        return "" if source is None else self.file_version(source)

    def file_version(self, source: Path) -> str:
        """The hash of the file SOURCE (``""`` if it cannot be read)."""
        try:
            st = source.stat()
        except OSError:
            return ""
        stamp = (st.st_size, st.st_mtime_ns)
        known = self._memo.get(source)
        if known is not None and known[0] == stamp:
            return known[1]
        try:
            digest = content_hash(source.read_bytes())
        except OSError:
            return ""
        self._memo[source] = (stamp, digest)
        return digest

    def all_versions(self) -> dict[str, str]:
        """Every published CSS/JS/SVG file of the roots and its hash."""
        found: dict[str, str] = {}
        for root in self.roots:
            for dirpath, _dirs, names in os.walk(root):
                for name in names:
                    if name.endswith(VERSIONED_SUFFIXES) and not name.startswith("."):
                        rel = (Path(dirpath) / name).relative_to(root).as_posix()
                        found[f"static/{rel}"] = ""
        return {path: self.version(path) for path in sorted(found)}


class AssetLinks:
    """The URLs templates link CSS and JavaScript by: ``{{ 'static/css/site.css' | asset }}``
    is ``{base}static/css/site.css?v=HASH`` when the build versions assets (``versions``:
    published path -> content hash), the plain ``{base}static/css/site.css`` otherwise
    (``serve``) and for a path with no hash.  ``key`` is what output pages depend on
    (part of their signature: :func:`~awsnotes_site.incremental.keys.page_fingerprint`)."""

    def __init__(self, base_path: str, versions: Mapping[str, str] | None = None) -> None:
        self.base_path = base_path
        self.versions = dict(versions or {})
        self.key = json.dumps(sorted(self.versions.items())) if self.versions else ""
        urls = {path: f"{base_path}{path}?v={v}" for path, v in self.versions.items() if v}
        get = urls.get

        # A filter is called directly by compiled templates (a function in the globals
        # goes through Context.call).  pass_context keeps Jinja from evaluating it on a
        # constant path at compile time: compiled templates are cached by their source.
        @jinja2.pass_context
        def asset(_context: jinja2.runtime.Context, path: str) -> str:
            return get(path) or base_path + path

        self.filter = asset


class PublishedAssets:
    """Content hashes of a build's published CSS and JavaScript: the static files (the
    theme's, the site's, the feature assets) by their bytes, remembered per file by size
    and modification time, and generated ones by their text, remembered per generator
    key.  Kept by the :class:`~awsnotes_site.pipeline.builder.Builder` between builds."""

    def __init__(self) -> None:
        self._files = AssetVersions(())
        self._texts: dict[tuple[str, str], str] = {}

    def links(
        self,
        base_path: str,
        static: Mapping[str, Path],
        generated: Mapping[str, tuple[str, Callable[[], str]]],
        versioned: bool,
    ) -> AssetLinks:
        """The build's :class:`AssetLinks` (plain URLs when not ``versioned``).
        ``generated``: published path -> (key, text maker) of generated assets
        (``static/css/syntax.css``, keyed by the Pygments version)."""
        if not versioned:
            return AssetLinks(base_path)
        versions = {
            path: self._files.file_version(source)
            for path, source in static.items()
            if path.endswith(LINKED_SUFFIXES)
        }
        for path, (key, make) in generated.items():
            known = self._texts.get((path, key))
            if known is None:
                known = content_hash(make().encode("utf-8"))
                self._texts[(path, key)] = known
            versions[path] = known
        return AssetLinks(base_path, dict(sorted(versions.items())))
