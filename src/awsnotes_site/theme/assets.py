"""Content hashes of the theme's CSS and JavaScript as published (a site's ``static/``
file of the same path wins), for asset URLs (``site.css?v=HASH``) and the service worker,
which keeps an asset cached by that hash."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from awsnotes_site.theme import STATIC_DIR

VERSIONED_SUFFIXES = (".css", ".js", ".svg")


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
        if source is None:
            return ""
        st = source.stat()
        stamp = (st.st_size, st.st_mtime_ns)
        known = self._memo.get(source)
        if known is not None and known[0] == stamp:
            return known[1]
        digest = hashlib.sha256(source.read_bytes()).hexdigest()[:12]
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
