"""The site's images by URL: what the Markdown rule asks about each ``<img>``.

The pipeline hands over every published image (output path -> source file: ``static/``,
``content/`` bundles, vault attachments); the catalog probes them through the caller's
:class:`ProbeCache`, plans the derivatives and answers :meth:`ImageCatalog.resolve`.
It is read-only after :meth:`ImageCatalog.scan`, so forked render workers share it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from awsnotes_site.images.probe import ImageInfo, ImageProblem, ImageWork, ProbeCache
from awsnotes_site.images.refs import ImageRefs, NoteSource, image_name
from awsnotes_site.images.variants import (
    Derivative,
    ImageSettings,
    PictureSource,
    Responsive,
    SourceImage,
    plan,
    responsive,
    srcset_url,
)
from awsnotes_site.urls import nfc

DARK_MEDIA = "(prefers-color-scheme: dark)"


@dataclass(frozen=True)
class ResolvedImage:
    """An image a note shows: its file's facts (or the problem with it) and its markup."""

    url: str  # as written in the HTML (base path applied)
    info: ImageInfo | None
    problem: str | None = None
    responsive: Responsive = Responsive()
    dark: tuple[PictureSource, ...] = ()  # <source media="(prefers-color-scheme: dark)">

    @property
    def sources(self) -> tuple[PictureSource, ...]:
        """Every ``<source>`` of the ``<picture>``, dark ones first (the first match wins)."""
        return (*self.dark, *self.responsive.sources)


def dark_sibling(output: str) -> str:
    """``img/x.png`` -> ``img/x.dark.png``."""
    p = PurePosixPath(output)
    return str(p.with_name(f"{p.stem}.dark{p.suffix}"))


class ImageCatalog:
    """``images``: the published images (output path -> file); ``candidates``: images
    that are published only when a note links them (a vault's attachments): they are
    probed and resolved alike, their variants planned by :meth:`derivatives_for`."""

    def __init__(
        self,
        images: Mapping[str, Path],
        settings: ImageSettings,
        base_path: str = "/",
        probes: ProbeCache | None = None,
        work: ImageWork | None = None,
        candidates: Mapping[str, Path] | None = None,
    ) -> None:
        self.images = {nfc(k): v for k, v in images.items()}
        self.candidates = {
            out: path
            for out, path in ((nfc(k), v) for k, v in (candidates or {}).items())
            if out not in self.images
        }
        self.settings = settings
        self.base_path = base_path
        self.probes = probes if probes is not None else ProbeCache(settings.max_pixels)
        self.work = work
        self.probed: dict[str, ImageInfo | ImageProblem] = {}
        self.derivatives: list[Derivative] = []
        self._by_name: dict[str, list[str]] = {}  # image_name -> outputs (and dark ones)
        self._resolved: dict[tuple[str, str], ResolvedImage | None] = {}
        self._context = self._site = ""  # context_key(), site_key()
        self._names: dict[frozenset[str], str] = {}  # names_key() by the names asked
        self.refs: ImageRefs | None = None  # what note files name (note_key)
        self.image_shortcodes: frozenset[str] = frozenset()  # shortcodes writing <img

    def scan(self) -> list[Derivative]:
        """Probe every image (a stat each when cached) and plan the derivatives of the
        published ones."""
        files = {**self.candidates, **self.images}
        self.probed = {out: self.probes.get(path, self.work) for out, path in files.items()}
        self._resolved = {}
        self._site = ""
        self._names = {}
        by_name: dict[str, list[str]] = {}
        for out in sorted(self.probed):
            name = image_name(out)
            by_name.setdefault(name, []).append(out)
            stem, dot, ext = name.rpartition(".")
            if stem.endswith(".dark"):  # x.dark.png changes the markup of x.png
                by_name.setdefault(f"{stem[: -len('.dark')]}{dot}{ext}", []).append(out)
        self._by_name = by_name
        self.derivatives = self._plan(self.images)
        return self.derivatives

    def derivatives_for(self, outputs: Iterable[str]) -> list[Derivative]:
        """The derivatives of the candidates among ``outputs`` (those being published)."""
        return self._plan({o: self.candidates[o] for o in outputs if o in self.candidates})

    def _plan(self, files: Mapping[str, Path]) -> list[Derivative]:
        sources = [
            SourceImage(out, files[out], info)
            for out in sorted(files)
            if isinstance(info := self.probed.get(out), ImageInfo)
        ]
        return plan(sources, self.settings)

    def output_of(self, url: str, page_url: str) -> str | None:
        """The output path an image URL points at (``page_url``: the note's site URL,
        ``posts/x/``, for relative URLs), or None for another site's URL. A root-relative
        URL without the base path (as a shortcode template may write it) is read as a
        site URL."""
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path:
            return None
        path = unquote(parts.path)
        if not path.startswith("/"):
            path = urljoin(self.base_path + page_url, path)
        if path.startswith(self.base_path):
            return nfc(path[len(self.base_path) :])
        return nfc(path[1:])

    def resolve(self, url: str, page_url: str = "") -> ResolvedImage | None:
        """What is known about the image at ``url``; None when it is not the site's.
        Remembered per (the page's folder, url): a relative URL means the same file
        from every page of a folder, a root-relative one from every page."""
        folder = "" if url.startswith("/") else page_url[: page_url.rfind("/") + 1]
        memo = (folder, url)
        if memo in self._resolved:
            return self._resolved[memo]
        resolved = self._resolve(url, page_url)
        self._resolved[memo] = resolved
        return resolved

    def _resolve(self, url: str, page_url: str) -> ResolvedImage | None:
        output = self.output_of(url, page_url)
        if output is None:
            return None
        probed = self.probed.get(output)
        if probed is None:
            return None
        if isinstance(probed, ImageProblem):
            return ResolvedImage(url, None, probed.message)
        clean = url.split("#", 1)[0].split("?", 1)[0]
        if clean.startswith("/") and not clean.startswith(self.base_path):
            clean = self.base_path + clean[1:]  # the variants' URLs get the base path
        offered = responsive(clean, probed, self.settings)
        return ResolvedImage(url, probed, None, offered, self._dark(output, clean))

    def context_key(self) -> str:
        """What every note's image markup depends on: the settings and the base path."""
        if not self._context:
            text = f"{self.settings!r}\x1f{self.base_path}"
            self._context = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
        return self._context

    def same_as(self, other: ImageCatalog) -> bool:
        """Whether ``other`` (scanned) knows the same images as this one, alike."""
        return (
            (self.settings, self.base_path) == (other.settings, other.base_path)
            and (self.images, self.candidates) == (other.images, other.candidates)
            and self.site_key() == other.site_key()
        )

    def note_key(self, note: NoteSource) -> str:
        """The images part of a note's render key: the images it names, or all of the
        site's when they cannot be told from its source (see :mod:`.refs`)."""
        if self.refs is None:
            return f"{self.context_key()}:*{self.site_key()}"
        body = note.body if note.body_loaded else None
        refs = self.refs.of(note.digest, note.source, body)
        if refs.embeds or not refs.shortcodes.isdisjoint(self.image_shortcodes):
            return f"{self.context_key()}:*{self.site_key()}"
        return f"{self.context_key()}:{self.names_key(refs.names)}"

    def forget(self, note: NoteSource) -> None:
        """``note``'s file changed (see :meth:`.refs.ImageRefs.forget`)."""
        if self.refs is not None:
            self.refs.forget(note.digest)

    def names_key(self, names: Iterable[str]) -> str:
        """A key of the images a note names (:func:`~.refs.image_name`s): every image of
        those names anywhere in the site (with their dark siblings) and its probe result;
        "" when none is in the site. A note whose names' key is unchanged renders the
        same image markup (see :mod:`.refs`)."""
        asked = frozenset(names)
        known = self._names.get(asked)
        if known is not None:  # (many notes name the same few images)
            return known
        outputs = sorted({o for name in asked for o in self._by_name.get(name, ())})
        key = ""
        if outputs:
            h = hashlib.blake2b(digest_size=16)
            for out in outputs:
                h.update(f"\x1f{out}\x1e{self.probed.get(out)!r}".encode())
            key = h.hexdigest()
        self._names[asked] = key
        return key

    def site_key(self) -> str:
        """A key of every image's probe result: the images part of the render key of a
        note whose images cannot be told from its source (see :mod:`.refs`)."""
        if not self._site:
            h = hashlib.blake2b(digest_size=16)
            for out in sorted(self.probed):
                h.update(f"\x1f{out}\x1e{self.probed[out]!r}".encode())
            self._site = h.hexdigest()
        return self._site

    def _dark(self, output: str, url: str) -> tuple[PictureSource, ...]:
        dark_out = dark_sibling(output)
        info = self.probed.get(dark_out)
        if not isinstance(info, ImageInfo):
            return ()
        dark_url = dark_sibling(url)
        offered = responsive(dark_url, info, self.settings, DARK_MEDIA)
        own = offered.srcset or f"{srcset_url(dark_url)} {info.width}w"
        return (*offered.sources, PictureSource("", own, DARK_MEDIA))
