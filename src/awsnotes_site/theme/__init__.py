"""The theme that ships inside the package: page templates and the assets they use.

A site's own ``templates/NAME.html`` overrides the theme's file of that name (one file at a
time) and a site's ``static/`` adds files or overrides the theme's of the same path
(:mod:`awsnotes_site.templating`, :mod:`awsnotes_site.pipeline.static`);
``awsnotes-site theme export`` copies the theme into a site for editing."""

from __future__ import annotations

from pathlib import Path

THEME_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = THEME_DIR / "templates"
STATIC_DIR = THEME_DIR / "static"  # published under /static/, like a site's static/
