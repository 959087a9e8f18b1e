"""Warnings for internal links and images in notes whose target is not in the site."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from awsnotes_site.config import SiteConfig
from awsnotes_site.diagnostics import Diagnostic, Reporter, Severity
from awsnotes_site.incremental.keys import site_files_digest
from awsnotes_site.incremental.store import load_links, save_links
from awsnotes_site.model.views import NoteView
from awsnotes_site.outputindex import OutputIndex
from awsnotes_site.urls import nfc, with_base


def internal_target(page_url: str, url: str, base: str) -> str | None:
    """The site-relative path an internal URL written on ``page_url`` points at."""
    if url.startswith("/") and not url.startswith("//"):
        return _site_target("", url, base)  # root-relative: the same on every page
    return _site_target(page_url, url, base)


@lru_cache(maxsize=200_000)
def _site_target(page_url: str, url: str, base: str) -> str | None:
    parts = urlsplit(url.strip())
    if parts.scheme or parts.netloc or not parts.path:
        return None
    if parts.path.startswith("/") and "/." not in parts.path:
        target = with_base(parts.path, base)  # root-relative: nothing to resolve
    else:
        target = urlsplit(
            urljoin("http://site" + base + page_url, with_base(parts.path, base))
        ).path
    target = nfc(unquote(target))
    return target[len(base) :] if target.startswith(base) else None


class MissingTargets:
    """Warnings for internal links and images in notes whose target is not in the site
    (``check`` and ``--strict`` make these errors; ``check`` also verifies fragments).
    Remembers each note's findings while the site's file list stays the same, so a
    rebuild looks only at the notes that changed; the notes with no finding are also
    kept in ``.cache/links.json`` for the next CLI build of the same file list."""

    def __init__(self) -> None:
        self._paths: frozenset[str] = frozenset()
        self._found: dict[tuple[str, str], Sequence[Diagnostic]] = {}
        self._digest = ""  # of the file list, when read from or saved to a cache folder
        self._saved: set[tuple[str, str]] = set()  # the clean notes that folder holds

    def check(
        self,
        config: SiteConfig,
        views: list[NoteView],
        paths: list[str],
        reporter: Reporter,
        folder: Path | None = None,
    ) -> None:
        """Report the missing targets of VIEWS' notes in the site of PATHS; FOLDER: the
        cache folder to read the last CLI build's clean notes from."""
        site = frozenset(paths)  # as a set: the order of a build's files varies
        if site != self._paths:
            self._paths, self._found, self._digest = site, {}, ""
            if folder is not None:
                self._digest = site_files_digest(site, config.base_path, _hugo_base(config))
                self._saved = load_links(folder, self._digest)
                self._found = dict.fromkeys(self._saved, ())
        found: dict[tuple[str, str], Sequence[Diagnostic]] = {}
        index: OutputIndex | None = None
        for view in views:
            memo = (view.key, view.note.url)
            diags = self._found.get(memo)
            if diags is None:
                index = index or OutputIndex(paths)
                diags = _missing_in(view, index, config.base_path, _hugo_base(config))
            found[memo] = diags
            reporter.extend(diags)
        self._found = found

    def save(self, folder: Path) -> None:
        """Keep the notes with no finding for the next CLI build (if they changed)."""
        if not self._digest:
            return
        clean = {memo for memo, diags in self._found.items() if not diags}
        if clean != self._saved:
            save_links(folder, self._digest, clean)
            self._saved = clean


def _hugo_base(config: SiteConfig) -> str | None:
    """A Hugo site's base path (the whole site's, for a language under /CODE/); None for
    other sites, whose notes' root-relative links get the base path."""
    if config.kind != "hugo":
        return None
    return config.base_path[: len(config.base_path) - len(config.language_dir)]


def _escapes(url: str, base: str | None) -> bool:
    """A root-relative URL, left as written (as Hugo does), that is not under BASE."""
    if base is None or not url.startswith("/") or url.startswith("//") or base == "/":
        return False
    return not (nfc(unquote(urlsplit(url).path)) + "/").startswith(nfc(unquote(base)))


def _missing_in(
    view: NoteView, index: OutputIndex, base: str, hugo_base: str | None
) -> list[Diagnostic]:
    diags: list[Diagnostic] = []
    for ref in view.facts.links:
        if ref.kind not in ("link", "image"):
            continue
        if _escapes(ref.url, hugo_base):  # Hugo keeps root-relative links as written
            diags.append(
                Diagnostic(
                    view.note.display_path,
                    ref.line or None,
                    Severity.WARNING,
                    f"{ref.url!r} leaves the site's base path {hugo_base}: Hugo sites keep "
                    "root-relative links as written, so it points outside the site",
                    hint=f"write {hugo_base}{ref.url[1:]}, a relative link, or "
                    '{{< relref "..." >}}',
                )
            )
            continue
        if hugo_base is not None and ref.url.startswith("/") and not ref.url.startswith("//"):
            path = nfc(unquote(urlsplit(ref.url).path))  # as written: under BASE or not ours
            rel = path[len(base) :] if path.startswith(base) else None
        else:
            rel = internal_target(view.note.url, ref.url, base)
        if rel is not None and index.find(rel) is None:
            what = "image" if ref.kind == "image" else "link target"
            diags.append(
                Diagnostic(
                    view.note.display_path,
                    ref.line or None,
                    Severity.WARNING,
                    f"{what} {ref.url!r} is not in the site",
                )
            )
    return diags
