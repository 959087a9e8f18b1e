"""The page templates: a Jinja environment kept while the settings are the same (compiled
templates are reused until a file in the site's ``templates/`` or in the packaged theme
changes), and their hashes."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

import jinja2

from awsnotes_site.config import SiteConfig
from awsnotes_site.diagnostics import BuildError
from awsnotes_site.incremental.keys import jinja_fingerprint, tree_stamp
from awsnotes_site.incremental.state import CacheState
from awsnotes_site.pipeline.pages import Templates
from awsnotes_site.templating import (
    TemplateHashes,
    create_environment,
    forget_templates,
    template_dirs,
)


@dataclass
class TemplatesMemo:
    fingerprint: str
    stamp: tuple[Any, ...]
    templates: Templates


class TemplateCache:
    def __init__(self) -> None:
        self.memo: TemplatesMemo | None = None

    def get(self, config: SiteConfig, state: CacheState) -> Templates:
        """The environment and hashes (kept while no file in the site's templates/ or the
        theme's changed; across CLI builds in .cache/)."""
        dirs = template_dirs(config)
        stamp = tuple(entry for folder in dirs for entry in tree_stamp(folder))
        fingerprint = jinja_fingerprint(config)
        memo = self.memo
        if memo is None or memo.fingerprint != fingerprint:
            env = create_environment(config, state.jinja_folder())
        elif memo.stamp != stamp:
            env = memo.templates.jinja
            forget_templates(env)
        else:
            return memo.templates
        hashes = TemplateHashes(env, dirs, config.root)
        hashes.preload(state.template_hashes(repr(stamp)))
        self.memo = TemplatesMemo(fingerprint, stamp, Templates(env, hashes))
        return self.memo.templates

    def compile_all(self) -> None:
        """Compile and hash every page template (done while workers render notes: the page
        workers inherit them). Problems are left for the pages phase, which reports
        those of the templates it uses (a broken file no page uses stays harmless)."""
        if self.memo is None:
            return
        jinja, hashes = self.memo.templates.jinja, self.memo.templates.hashes
        for name in jinja.list_templates(filter_func=_is_page_template):
            with contextlib.suppress(jinja2.TemplateError, ValueError, OSError, BuildError):
                jinja.get_template(name)
                hashes.digest(name)


def _is_page_template(name: str) -> bool:
    """Templates of pages and their parts (shortcode templates render inside notes)."""
    return not name.startswith("shortcodes/") and name.endswith((".html", ".xml"))
