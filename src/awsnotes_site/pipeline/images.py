"""The images stage (issue 21): the site's images before the notes render, their
responsive variants and the notes' share cards after.

Before rendering, :meth:`ImageStage.prepare` probes every published image (through the
probe cache in ``.cache/images/probes.json``: a ``stat`` each when unchanged) and plans
the variants; the Markdown rule asks the resulting :class:`ImageCatalog` about each
``<img>`` (forked render workers inherit it). After rendering, :meth:`ImageStage.publish`
makes the missing variants in ``.cache/images/`` (nothing to do when nothing changed),
chooses each note's ``og:image`` (front matter, else its first image, else a drawn card)
and adds the cached files to the published static files: they are copied, never made
again.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from awsnotes_site.config import CONFIG_NAME, SiteConfig
from awsnotes_site.diagnostics import Reporter, warning
from awsnotes_site.images.cache import PROBES_FILE, images_dir, write_atomic
from awsnotes_site.images.cards import (
    CardFont,
    card,
    front_matter_image,
    og_image,
    remembered_font,
)
from awsnotes_site.images.catalog import ImageCatalog, dark_sibling
from awsnotes_site.images.probe import ImageWork, ProbeCache, is_image_path
from awsnotes_site.images.refs import REFS_FILE, ImageRefs, image_shortcodes
from awsnotes_site.images.variants import ImageSettings, make
from awsnotes_site.markdown import RenderedNote
from awsnotes_site.model.views import NoteView
from awsnotes_site.pipeline.resources import content_images, shortcode_folders

CARD_NAME = "og.png"  # a note's drawn share card, next to its page
FIRST_FILE = "first.json"  # under .cache/images: each render key's first image URL


def card_output(url: str) -> str:
    """The output path of the card of the page at ``url`` (``posts/x/`` ->
    ``posts/x/og.png``; ``posts/x.html`` -> ``posts/x.og.png``)."""
    if url.endswith("/") or not url:
        return f"{url}{CARD_NAME}"
    stem = url.rsplit(".", 1)[0] if "." in url.rsplit("/", 1)[-1] else url
    return f"{stem}.{CARD_NAME}"


class ImageStage:
    """Kept by the Builder between builds: the probe cache, the catalog of the last
    build, the notes' first images by render key and the notes' ``og:image`` URLs."""

    def __init__(self) -> None:
        self.work = ImageWork()
        self.catalog: ImageCatalog | None = None
        self.probes: ProbeCache | None = None
        self.folder: Path | None = None  # .cache/images
        self.share: dict[str, str] = {}  # note rel -> absolute og:image URL
        self.first: dict[str, str | None] = {}  # render key -> first image URL
        self._first_loaded: Path | None = None
        self._font: CardFont | None = None
        self._scratch: tempfile.TemporaryDirectory[str] | None = None  # no .cache/ to use
        self.refs = ImageRefs()  # what each note file names, for its render key

    def prepare(
        self,
        config: SiteConfig,
        static: dict[str, Path],
        cache_root: Path | None,
        reporter: Reporter,
    ) -> ImageCatalog | None:
        """Probe the published images and plan their variants; None when images are off
        (``[images] enabled = false``: notes render as without this stage)."""
        settings, problems = ImageSettings.from_config(config.images)
        for problem in problems:
            reporter.add(
                warning(config.root / CONFIG_NAME, None, problem, hint="the default is used")
            )
        self.share = {}
        if not settings.enabled:
            self.catalog = None
            return None
        if cache_root is None:  # (``check``, --no-cache: the project is left alone)
            if self._scratch is None:
                self._scratch = tempfile.TemporaryDirectory(prefix="awsnotes-images-")
            cache_root = Path(self._scratch.name)
        folder = images_dir(cache_root)
        probes = self.probes
        if probes is None or self.folder != folder or probes.max_pixels != settings.max_pixels:
            probes = self.probes = ProbeCache.load(folder / PROBES_FILE, settings.max_pixels)
        self.folder = folder
        images = {out: path for out, path in static.items() if is_image_path(path)}
        for out, path in list(images.items()):
            if not os.access(path, os.R_OK):  # (a link to nothing, no permission)
                reporter.add(warning(path, None, "image cannot be read; not published"))
                del static[out]
        candidates = content_images(config)
        catalog = ImageCatalog(images, settings, config.base_path, probes, self.work, candidates)
        catalog.scan()
        if self.catalog is not None and self.catalog.same_as(catalog):
            catalog = self.catalog  # (and what it resolved; a Markdown parser kept with it)
        self.refs.load(folder / REFS_FILE)
        self.refs.start()
        catalog.refs = self.refs
        catalog.image_shortcodes = image_shortcodes(shortcode_folders(config))
        self.catalog = catalog
        return catalog

    def publish(
        self,
        config: SiteConfig,
        views: list[NoteView],
        static: dict[str, Path],
        rendered: Mapping[str, RenderedNote],
        reporter: Reporter,
    ) -> None:
        """Make the missing variants, choose the notes' ``og:image`` (drawing the cards
        that are missing) and add the cached files to ``static`` (output -> file)."""
        catalog, folder = self.catalog, self.folder
        if catalog is None or folder is None:
            return
        linked = self._linked(catalog, views, static)
        made = make([*catalog.derivatives, *catalog.derivatives_for(linked)], folder, self.work)
        for derivative, problem in made.problems:
            reporter.add(warning(derivative.source, None, f"no {derivative.output}: {problem}"))
        static.update(made.files)
        self._load_first(folder)
        live: dict[str, str | None] = {}
        warned = False
        for view in views:
            url = self._share(config, view, rendered, static, live)
            if self._font is not None and not self._font.has_hangul and not warned:
                warned = True
                reporter.add(
                    warning(
                        view.note.display_path,
                        None,
                        "no Korean font for share cards: their Hangul is left out",
                        hint="install fonts-noto-cjk (or another Hangul font)",
                    )
                )
            if url:
                self.share[view.note.rel] = url
        self.first = live

    @staticmethod
    def _linked(catalog: ImageCatalog, views: list[NoteView], static: dict[str, Path]) -> set[str]:
        """The candidate images the notes link (a vault's attachments, published by the
        builder with the notes' other files), with their dark siblings, which are
        published here: their variants are made like the published images'."""
        linked = {
            rel
            for view in views
            for rel in view.facts.wiki.get("files", ())
            if rel in catalog.candidates
        }
        for rel in list(linked):
            dark = dark_sibling(rel)
            if dark in catalog.candidates and dark not in static:
                static[dark] = catalog.candidates[dark]
                linked.add(dark)
        return linked

    def share_url(self, page: Any) -> str:
        """The Jinja global ``share_image(page)``: the note's absolute ``og:image`` URL,
        "" when there is none (images off)."""
        rel = getattr(page, "rel", None)
        return self.share.get(rel, "") if isinstance(rel, str) else ""

    def save(self) -> None:
        """Keep the probe results and the first images for the next build."""
        if self.folder is None:
            return
        if self.probes is not None:
            self.probes.save(self.folder / PROBES_FILE)
        self.refs.save(self.folder / REFS_FILE)
        with contextlib.suppress(OSError):
            data = json.dumps(self.first, ensure_ascii=False, sort_keys=True).encode()
            target = self.folder / FIRST_FILE
            if not target.exists() or target.read_bytes() != data:
                write_atomic(target, data)

    def _load_first(self, folder: Path) -> None:
        if self._first_loaded == folder:
            return
        self._first_loaded = folder
        with contextlib.suppress(OSError, ValueError):
            data = json.loads((folder / FIRST_FILE).read_bytes())
            if isinstance(data, dict):
                for key, url in data.items():
                    if isinstance(key, str) and (url is None or isinstance(url, str)):
                        self.first.setdefault(key, url)

    def _first_image(
        self, view: NoteView, rendered: Mapping[str, RenderedNote], live: dict[str, str | None]
    ) -> str | None:
        key = view.key
        if key in self.first:
            first = self.first[key]
        else:
            note = view.loaded or rendered.get(key) or view.load()
            first = note.first_image
        live[key] = first
        return first

    def _share(
        self,
        config: SiteConfig,
        view: NoteView,
        rendered: Mapping[str, RenderedNote],
        static: dict[str, Path],
        live: dict[str, str | None],
    ) -> str | None:
        note = view.note
        named = front_matter_image(note.params)
        first = None if named else self._first_image(view, rendered, live)
        if named or first:
            return og_image(note.params, first, None, config.base_url, note.url)
        output = card_output(note.url)
        static[output] = self._card(config, view)
        return og_image(note.params, None, output, config.base_url, note.url)

    def _card(self, config: SiteConfig, view: NoteView) -> Path:
        assert self.folder is not None
        if self._font is None:
            self._font = remembered_font(self.folder)
        note = view.note
        date = note.date.strftime("%Y-%m-%d") if note.date else ""
        return card(self.folder, note.title, config.title, date, self._font, self.work)
