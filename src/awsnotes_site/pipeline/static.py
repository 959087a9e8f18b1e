"""Stage 6: the static files, published under ``/static/`` as they are: the packaged
theme's assets, then the site's ``static/`` on top (a site file of the same path replaces
the theme's)."""

from __future__ import annotations

import os
from collections.abc import Container, Mapping
from pathlib import Path

from pygments import __version__ as pygments_version

from awsnotes_site.assets import ASSETS
from awsnotes_site.config import SiteConfig
from awsnotes_site.diagnostics import Diagnostic, Reporter, Severity, error
from awsnotes_site.images.cache import images_dir
from awsnotes_site.incremental.state import CACHE_DIR
from awsnotes_site.markdown.highlight import stylesheet
from awsnotes_site.theme import STATIC_DIR as THEME_STATIC
from awsnotes_site.theme.assets import AssetLinks, PublishedAssets


def static_roots(config: SiteConfig) -> tuple[Path, ...]:
    """The folders published under ``/static/``, later ones overriding earlier ones."""
    return (THEME_STATIC, config.static_dir)


def static_root(config: SiteConfig, source: Path) -> Path:
    """The folder of :func:`static_roots` a published SOURCE comes from (what a file served
    from it must stay inside); the site's ``static/`` when it is none of them."""
    made = images_dir(config.root / CACHE_DIR)  # image variants and share cards
    if source.is_relative_to(made):
        return made
    for root in (*reversed(static_roots(config)), ASSETS):  # ASSETS: notes-ext.css, Mermaid
        if source.is_relative_to(root):
            return root
    return config.static_dir


def collect_static(config: SiteConfig, reporter: Reporter) -> dict[str, Path]:
    """Files under the theme's and the site's ``static/`` (the site's win), published under
    ``/static/``; links out of a folder are skipped."""
    result: dict[str, Path] = {}
    for root in static_roots(config):
        _collect(root, result, reporter)
    return result


def _collect(root: Path, result: dict[str, Path], reporter: Reporter) -> None:
    if not root.is_dir():
        return
    real_root = root.resolve()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames):
            if name.startswith(".") and name != ".well-known":
                continue
            path = Path(dirpath) / name
            if not path.resolve().is_relative_to(real_root):
                reporter.add(
                    Diagnostic(
                        str(path), None, Severity.WARNING, "symlink points outside static/; skipped"
                    )
                )
                continue
            rel = path.relative_to(root).as_posix()
            result[f"static/{rel}"] = path


def check_overlaps(
    config: SiteConfig, static: dict[str, Path], generated: Container[str], reporter: Reporter
) -> None:
    """A static file may not take the place of a generated one."""
    for path, source in static.items():
        if path in generated:
            reporter.add(error(source, None, f"static file would overwrite generated /{path}"))


def asset_links(
    assets: PublishedAssets, config: SiteConfig, static: Mapping[str, Path], versioned: bool
) -> AssetLinks:
    """How the build's pages link its CSS and JavaScript (``path | asset`` in templates):
    with ``?v=`` and the content hash of the published file when ``versioned`` (the build
    command), plain otherwise (``serve``).  STATIC: every published static file; the
    generated syntax stylesheet (pipeline/generated.py) is hashed by its text."""
    generated = {"static/css/syntax.css": (pygments_version, stylesheet)}
    return assets.links(config.base_path, static, generated, versioned)
