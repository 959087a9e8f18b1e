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
    def __init__(
        self,
        images: Mapping[str, Path],
        settings: ImageSettings,
        base_path: str = "/",
        probes: ProbeCache | None = None,
        work: ImageWork | None = None,
    ) -> None:
        self.images = {nfc(k): v for k, v in images.items()}
        self.settings = settings
        self.base_path = base_path
        self.probes = probes if probes is not None else ProbeCache(settings.max_pixels)
        self.work = work
        self.probed: dict[str, ImageInfo | ImageProblem] = {}
        self.derivatives: list[Derivative] = []

    def scan(self) -> list[Derivative]:
        """Probe every image (a stat each when cached) and plan the derivatives."""
        self.probed = {out: self.probes.get(path, self.work) for out, path in self.images.items()}
        sources = [
            SourceImage(out, self.images[out], info)
            for out, info in sorted(self.probed.items())
            if isinstance(info, ImageInfo)
        ]
        self.derivatives = plan(sources, self.settings)
        return self.derivatives

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
        """What is known about the image at ``url``; None when it is not the site's."""
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

    def dependency_key(self, urls: Iterable[str], page_url: str = "") -> str:
        """A key of everything a note's image markup depends on: for each image URL it
        shows (its ``LinkRef``s of kind "image"), the image's and its dark sibling's
        probe results, and the settings. A note whose key is unchanged renders the same
        image markup; the pipeline adds this to the note's render fingerprint."""
        h = hashlib.blake2b(digest_size=16)
        h.update(repr(self.settings).encode())
        outputs = {self.output_of(url, page_url) for url in urls} - {None}
        for output in sorted(o for o in outputs if o is not None):
            for out in (output, dark_sibling(output)):
                h.update(f"\x1f{out}\x1e{self.probed.get(out)!r}".encode())
        return h.hexdigest()

    def site_key(self) -> str:
        """A key of every image's probe result, the settings and the base path: what the
        render key of every note takes (a changed image re-renders the notes)."""
        h = hashlib.blake2b(digest_size=16)
        h.update(f"{self.settings!r}\x1f{self.base_path}".encode())
        for out in sorted(self.probed):
            h.update(f"\x1f{out}\x1e{self.probed[out]!r}".encode())
        return h.hexdigest()

    def _dark(self, output: str, url: str) -> tuple[PictureSource, ...]:
        dark_out = dark_sibling(output)
        info = self.probed.get(dark_out)
        if not isinstance(info, ImageInfo):
            return ()
        dark_url = dark_sibling(url)
        offered = responsive(dark_url, info, self.settings, DARK_MEDIA)
        own = offered.srcset or f"{srcset_url(dark_url)} {info.width}w"
        return (*offered.sources, PictureSource("", own, DARK_MEDIA))
