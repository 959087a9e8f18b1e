"""The files a Hugo site publishes as they are: every non-Markdown file under
``content/`` (a leaf bundle's beside its page, the others under their section's URL)
and the static folders at the site root (``static/favicon.ico`` -> ``/favicon.ico``)."""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from awsnotes_site.config import SiteConfig
from awsnotes_site.diagnostics import Reporter, warning
from awsnotes_site.hugo.paths import PAGE, place_of, resource_path, section_page_url
from awsnotes_site.images.probe import is_image_path
from awsnotes_site.model.note import Note
from awsnotes_site.pipeline.static import static_root
from awsnotes_site.pipeline.vault import vault_files
from awsnotes_site.theme import STATIC_DIR as THEME_STATIC


def _files(root: Path, reporter: Reporter, markdown: bool) -> Iterator[tuple[str, Path]]:
    """(path relative to ROOT, file) of every file below ROOT but dotfiles, and but
    Markdown files unless MARKDOWN; symlinks out of ROOT skipped with a warning."""
    real_root = root.resolve()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith(".") or (not markdown and name.endswith(".md")):
                continue
            path = Path(dirpath) / name
            try:
                real = path.resolve(strict=True)
            except (OSError, RuntimeError):  # a symlink loop or a dangling link
                if markdown:  # (under content/, discovery has said so already)
                    reporter.add(warning(path, None, "symlink loop or broken link; skipped"))
                continue
            if not real.is_relative_to(real_root):
                reporter.add(warning(path, None, f"symlink points outside {root.name}/; skipped"))
                continue
            rel = unicodedata.normalize("NFC", path.relative_to(root).as_posix())
            yield rel, path


def owners(config: SiteConfig, notes: Iterable[Note]) -> tuple[dict[str, str], dict[str, str]]:
    """(leaf bundle folder -> its page's URL, section folder -> its URL), folders relative
    to the content folder."""
    lower = not config.disable_path_to_lower
    bundles: dict[str, str] = {}
    sections: dict[str, str] = {}
    for note in notes:
        place = place_of(note.rel)
        if place.kind == PAGE and note.rel.endswith("/index.md"):
            bundles[note.rel[: -len("/index.md")]] = note.url
        if place.kind != PAGE and place.dirs:
            sections["/".join(place.dirs)] = note.url  # [permalinks.section], url
        elif place.dirs:
            top = place.dirs[:1]
            sections.setdefault(top[0], section_page_url(top, config.permalinks, lower))
    return bundles, sections


def collect_site_files(
    config: SiteConfig, notes: Iterable[Note], reporter: Reporter
) -> dict[str, Path]:
    """Output path -> source file: the theme's assets under ``/static/``, the static
    folders at the root, then content files."""
    result: dict[str, Path] = {}
    for rel, path in _files(THEME_STATIC, reporter, markdown=True):  # the theme's assets
        result[f"static/{rel}"] = path
    for name in reversed(config.static_dirs):  # the first folder wins
        folder = config.root / name
        if folder.is_dir():
            for rel, path in _files(folder, reporter, markdown=True):
                result[rel] = path
    result.update(content_files(config, notes, reporter))
    return result


def content_files(config: SiteConfig, notes: Iterable[Note], reporter: Reporter) -> dict[str, Path]:
    """Output path -> file of every file under the content folder but Markdown: a leaf
    bundle's files beside its page (``x/index.md`` + ``x/a.png`` -> ``/x/a.png``), the
    others at their path, as Hugo publishes them (a vault publishes what notes link)."""
    if config.kind == "vault" or not config.content_dir.is_dir():
        return {}
    bundles, sections = owners(config, notes)
    return {
        resource_path(rel, bundles, sections): path
        for rel, path in _files(config.content_dir, reporter, markdown=False)
    }


def source_folder(config: SiteConfig, source: Path) -> Path:
    """The folder SOURCE was published from (the theme's or a static folder or, on a Hugo
    site, the content folder): serve sends a file only while it still lies inside it."""
    if config.kind != "vault" and source.is_relative_to(config.content_dir):
        return config.content_dir
    if config.static_at_root:
        folders = (*(config.root / name for name in config.static_dirs), config.content_dir)
        folders += tuple(  # the other languages' of a multilingual site
            config.root / str(values["content_dirname"])
            for values in config.languages.values()
            if "content_dirname" in values
        )
        for folder in (*folders, THEME_STATIC):
            if source.is_relative_to(folder):
                return folder
    return static_root(config, source)


def content_images(config: SiteConfig) -> dict[str, Path]:
    """Images under the content folder that are published only when a note links them
    (output path -> file): a vault's attachments, at their vault path. The image stage
    catalogues them beside the published files (a Hugo site's content files are among
    those already: :func:`collect_site_files`)."""
    if config.kind != "vault":
        return {}
    return {rel: path for rel, path in vault_files(config).items() if is_image_path(path)}


def shortcode_folders(config: SiteConfig) -> list[Path]:
    """The folders of the site's own shortcode templates, Jinja and Go."""
    return [config.templates_dir / "shortcodes", *(config.root / d for d in config.shortcode_dirs)]
