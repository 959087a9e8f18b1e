"""Files the Markdown extensions need on the site, published under ``/static/``:
``notes-ext.css`` (callouts, math, diagrams, embeds, tabs, columns, unknown shortcodes)
always, and the Mermaid library with its start-up script only when some note has a
diagram (the ``"mermaid"`` feature of its facts)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from awsnotes_site.markdown import NoteFacts
from awsnotes_site.markdown.mermaid import FEATURE as MERMAID

ASSETS = Path(__file__).resolve().parent
STYLESHEET = {"static/css/notes-ext.css": ASSETS / "css" / "notes-ext.css"}
MERMAID_FILES = {
    "static/js/mermaid.min.js": ASSETS / "mermaid" / "mermaid.min.js",
    "static/js/mermaid-init.js": ASSETS / "mermaid" / "mermaid-init.js",
}


def feature_assets(facts: Iterable[NoteFacts]) -> dict[str, Path]:
    """Published path -> file, for a site whose notes have ``facts``."""
    files = dict(STYLESHEET)
    if any(MERMAID in f.features for f in facts):
        files.update(MERMAID_FILES)
    return files
