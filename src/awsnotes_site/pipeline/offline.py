"""Offline reading: the service worker (``sw.js`` at the site's base path, its scope) and
the web app manifest with its icons.

The worker is versioned by build: its build id is a hash of every versioned asset and of
the notes (their URLs and render keys), and caches of other builds are deleted when it
activates. Pages and the search index go network-first (a new deploy is seen at once
online; the copy cached when a reader opened a page serves them offline); CSS and
JavaScript go cache-first, kept under their content-hashed URL (``site.css?v=HASH``, as
the build's pages link them: theme/assets.py; a page's signature holds the hashes, so a
changed asset re-renders the pages with its new URL)."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable
from functools import partial

from awsnotes_site.config import SiteConfig
from awsnotes_site.model.pages import PageSpec
from awsnotes_site.model.views import NoteView
from awsnotes_site.pipeline.offline_worker import WORKER_SOURCE
from awsnotes_site.search import shard_count, shard_path
from awsnotes_site.text import script_safe_json
from awsnotes_site.theme.assets import AssetVersions

ICON_SIZES = (192, 512)
THEME_COLOR = "#0a5bc4"


def _no_context() -> None:
    return None


def _file(path: str, key: str, make: Callable[[], bytes]) -> PageSpec:
    return PageSpec(path, "", (), ("offline", path, key), _no_context, render=make)


def build_id(config: SiteConfig, assets: dict[str, str]) -> str:
    """Changes with any versioned asset, the worker's source or the base path (pages go
    network-first, so a new note needs no new worker)."""
    data = json.dumps([config.base_path, assets, WORKER_SOURCE], sort_keys=True)
    return hashlib.sha256(data.encode()).hexdigest()[:16]


def worker_source(config: SiteConfig, build: str, assets: dict[str, str], warm: list[str]) -> str:
    """``sw.js``: the packaged template with the build's constants filled in."""
    template = WORKER_SOURCE
    constants = {"build": build, "base": config.base_path, "assets": assets, "warm": warm}
    return template.replace("/*CONSTANTS*/{}", script_safe_json(json.dumps(constants)))


def manifest(config: SiteConfig) -> str:
    base = config.base_path
    short = config.title if len(config.title) <= 12 else config.title[:12]
    data = {
        "name": config.title,
        "short_name": short,
        "description": config.description,
        "lang": config.language,
        "start_url": base,
        "scope": base,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOR,
        "icons": [
            {
                "src": f"{base}static/icons/icon-{n}.png",
                "sizes": f"{n}x{n}",
                "type": "image/png",
                "purpose": "any maskable",
            }
            for n in ICON_SIZES
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def icon_png(size: int) -> bytes:
    """A plain icon: the theme's blue with three white lines of text (no font needed)."""
    from PIL import Image, ImageDraw  # only when an icon is drawn

    image = Image.new("RGB", (size, size), THEME_COLOR)
    draw = ImageDraw.Draw(image)
    unit = size / 16
    for row, width in enumerate((8, 8, 5)):
        top = unit * (5 + row * 2.4)
        draw.rounded_rectangle(
            (unit * 4, top, unit * (4 + width), top + unit * 1.2), radius=unit * 0.6, fill="white"
        )
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def plan_offline(config: SiteConfig, views: list[NoteView]) -> list[PageSpec]:
    """``sw.js``, ``manifest.webmanifest`` and the icons."""
    assets = AssetVersions.for_site(config.static_dir).all_versions()
    count = shard_count(len(views))
    warm = ["search/", "search-index.json", *(shard_path(k, count) for k in range(count))]
    build = build_id(config, assets)
    specs = [
        # Keyed by the shard count too: the worker warms every shard of the search index.
        _file(
            "sw.js", f"{build}:{count}", lambda: worker_source(config, build, assets, warm).encode()
        ),
        _file("manifest.webmanifest", config.fingerprint(), lambda: manifest(config).encode()),
    ]
    specs += [_file(f"static/icons/icon-{n}.png", "1", partial(icon_png, n)) for n in ICON_SIZES]
    return specs
