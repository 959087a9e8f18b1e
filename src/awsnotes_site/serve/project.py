"""An awsnotes project as the preview server builds it.

:class:`ProjectBuilder` is the site-specific half of ``serve``: it reads the configuration
(``site.toml``, or a Hugo site's ``hugo.toml``, ``config.yaml``, ``config/_default/``...)
for the base URL, keeps one :class:`~awsnotes_site.pipeline.Builder` (and so its caches)
between builds, starts a fresh one when the configuration changes, and tells a change
under ``static/`` that needs no build from one that does. It is what a
:class:`~awsnotes_site.serve.preview.PreviewServer` is given to serve a project.
"""

from __future__ import annotations

from pathlib import Path

from awsnotes_site.config import CONFIG_NAME, SiteConfig, load_config
from awsnotes_site.diagnostics import BuildError, Reporter
from awsnotes_site.hugo.config import CONFIG_NAMES as HUGO_CONFIG_NAMES
from awsnotes_site.hugo.config import EXTENSIONS as HUGO_CONFIG_EXTENSIONS
from awsnotes_site.obsidian.settings import is_vault
from awsnotes_site.pipeline import Builder, BuildOptions, BuildResult, collect_static
from awsnotes_site.serve.routes import preview_base_url

WATCHED_DIRS = ("content", "templates", "static")
# The files at the top of a project that configure it: site.toml, else a Hugo site's
# hugo.toml / config.toml (.yaml, .yml, .json), else its config/_default/ folder.
CONFIG_FILES = (
    CONFIG_NAME,
    *(f"{name}{ext}" for name in HUGO_CONFIG_NAMES for ext in HUGO_CONFIG_EXTENSIONS),
)
HUGO_CONFIG_DIR = "config"  # config/_default/*
HUGO_DIRS = ("layouts", "themes")  # shortcode templates and themes' static files


def is_config(rel: str) -> bool:
    """Whether the project-relative path REL is (part of) the configuration."""
    return rel in CONFIG_FILES or rel == HUGO_CONFIG_DIR or rel.startswith("config/_default")


def watched_folders(config: SiteConfig) -> tuple[str, ...]:
    """The top-level folders whose files the site at CONFIG is built from."""
    if config.kind != "hugo":
        return WATCHED_DIRS
    paths = (config.content_dirname, *config.static_dirs, *config.shortcode_dirs)
    tops = {p.split("/", 1)[0] for p in paths if p not in ("", ".")}
    return tuple(sorted(tops.union(WATCHED_DIRS, HUGO_DIRS, [HUGO_CONFIG_DIR])))


def initial_folders(root: Path) -> tuple[str, ...]:
    """:func:`watched_folders` before the first build; while the configuration is broken,
    those of a site.toml project or, without site.toml, of a Hugo site."""
    try:
        return watched_folders(load_config(root)[0])
    except BuildError:  # reported by the first build
        if (root / CONFIG_NAME).exists():
            return WATCHED_DIRS
        return tuple(sorted({*WATCHED_DIRS, *HUGO_DIRS, HUGO_CONFIG_DIR}))


class ProjectBuilder:
    """Builds the project at ``root`` into memory for the preview at ``host:port``."""

    config_names: tuple[str, ...] = CONFIG_FILES
    folders: tuple[str, ...] = WATCHED_DIRS

    def __init__(
        self,
        root: Path,
        *,
        drafts: bool = False,
        future: bool = False,
        base_url: str | None = None,
    ) -> None:
        self.root = Path(root).resolve()
        if is_vault(self.root):  # a vault's notes are anywhere: watch its top-level entries
            self.folders = tuple(sorted(p.name for p in self.root.iterdir() if p.name[0] != "."))
        else:
            self.folders = initial_folders(self.root)
        self.drafts = drafts
        self.future = future
        self.base_url_arg = base_url
        self.url = ""
        self._host = "127.0.0.1"
        self._port = 0
        self._builder: Builder | None = None

    def serve_at(self, host: str, port: int) -> None:
        """The preview listens at HOST:PORT: the base URL is set from there (with the path
        of site.toml's base URL, or ``/`` while site.toml is broken)."""
        self._host, self._port = host, port
        self.url = preview_base_url(self._configured_base_url(), host, port)

    def _configured_base_url(self, strict: bool = False) -> str:
        """--base-url, else site.toml's base_url; while site.toml is broken "/" (or the
        BuildError, when ``strict``)."""
        if self.base_url_arg is not None:
            return self.base_url_arg
        try:
            config, _ = load_config(self.root)
        except BuildError:
            if strict:
                raise
            return "/"
        return config.base_url

    def _new_builder(self) -> Builder:
        configured = self._configured_base_url(strict=True)
        self.url = preview_base_url(configured, self._host, self._port)
        options = BuildOptions(
            drafts=self.drafts, future=self.future, base_url=self.url, use_cache=True
        )
        return Builder(self.root, options)

    def build(self, trigger: frozenset[str]) -> BuildResult:
        """Build after the changes in TRIGGER (project-relative paths; none at first).
        Raises BuildError."""
        if self._builder is None or any(is_config(p) for p in trigger):
            self._builder = self._new_builder()
        elif (edited := self._builder.edit(sorted(trigger))) is not None:
            return edited  # notes edited in place: only the pages showing them
        result = self._builder.build()
        if not is_vault(self.root):  # the configuration may name other folders now
            self.folders = watched_folders(result.config)
        # The render cache on disk is written once per Builder: saving it after every
        # rebuild would cost more than the rebuild itself. It stays in use, though: the
        # image variants and share cards live in .cache/images/, where the first build
        # made them and the server serves them from (turning the cache off moved them
        # to a scratch folder: every variant made again, and none served).
        self._builder.options.save_cache = False
        return result

    def static_refresh(
        self, result: BuildResult, trigger: frozenset[str]
    ) -> dict[str, Path] | None:
        """When TRIGGER only modified files under static/ that RESULT already publishes, no
        page can differ: the static files to look at again. None when a build is needed
        (something else changed, or files appeared or went away, or a site file now
        overrides a theme asset or no longer does)."""
        if (
            not trigger
            or self._builder is None
            or not all(p.startswith("static/") for p in trigger)
        ):
            return None
        site_static = result.config.static_dir
        known = [result.static.get(p) for p in trigger]
        if all(
            src is not None
            and src.is_relative_to(site_static)
            and src.is_file()
            and not src.is_symlink()
            for src in known
        ):
            # Only site files already published were modified: look at just those.
            return {p: result.static[p] for p in trigger}
        found = collect_static(result.config, Reporter())
        if found != result.static:
            return None
        return result.static
