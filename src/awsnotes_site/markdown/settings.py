"""The site's Markdown switches: ``[markdown]`` of ``site.toml`` (``config.markdown``; a
Hugo site's reader fills it from ``[markup.goldmark]``, ``enableEmoji`` and
``[markup.highlight]``) into :func:`~awsnotes_site.markdown.create_markdown` arguments.

Keys: ``math``, ``mermaid``, ``callouts`` (on by default), ``typographer``,
``definition_list`` (on by default for a Hugo site, as Goldmark's defaults; off for our
own sites and vaults, whose output stays as it was), ``emoji`` (off by default, as
Hugo's ``enableEmoji``) and ``highlight`` (Hugo's ``[markup.highlight]`` table).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from awsnotes_site.diagnostics import Diagnostic, error, warning
from awsnotes_site.markdown import MarkdownFeatures
from awsnotes_site.markdown.code_options import HighlightDefaults, OptionError, highlight_defaults

SWITCHES = ("math", "mermaid", "callouts", "typographer", "definition_list", "emoji")
KNOWN = (*SWITCHES, "highlight")


@dataclass(frozen=True)
class MarkdownSettings:
    features: MarkdownFeatures
    highlight: HighlightDefaults
    diagnostics: tuple[Diagnostic, ...] = ()


def markdown_settings(markdown: dict[str, Any], kind: str, where: str) -> MarkdownSettings:
    """The switches for a site of ``kind`` ("site", "hugo", "vault") configured in
    ``where``; bad values are reported (and their defaults used)."""
    hugo = kind == "hugo"
    values: dict[str, bool] = {
        "math": True,
        "mermaid": True,
        "callouts": True,
        "typographer": hugo,
        "definition_list": hugo,
        "emoji": False,
    }
    diags: list[Diagnostic] = []
    for key, value in markdown.items():
        if key not in KNOWN:
            diags.append(warning(where, None, f"unknown key 'markdown.{key}' is ignored"))
        elif key in SWITCHES:
            if isinstance(value, bool):
                values[key] = value
            else:
                diags.append(error(where, None, f"'markdown.{key}' must be true or false"))
    table = markdown.get("highlight")
    highlight = highlight_defaults(None)
    if table is not None and not isinstance(table, dict):
        diags.append(error(where, None, "'markdown.highlight' must be a table"))
    elif table:
        try:
            highlight = highlight_defaults(table)
        except OptionError as exc:
            diags.append(error(where, None, f"markdown.highlight: {exc}"))
    if highlight.ignored:
        keys = ", ".join(highlight.ignored)
        verb = "has" if len(highlight.ignored) == 1 else "have"
        diags.append(warning(where, None, f"markdown.highlight: {keys} {verb} no effect here"))
    if highlight.unknown:
        keys = ", ".join(highlight.unknown)
        diags.append(warning(where, None, f"markdown.highlight: unknown option(s) {keys}"))
    return MarkdownSettings(MarkdownFeatures(**values), highlight, tuple(diags))
