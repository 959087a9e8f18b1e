"""A Hugo site's configuration as our :class:`~awsnotes_site.config.SiteConfig` values:
what ``build``, ``serve`` and ``check`` use in a folder with ``hugo.toml`` (or
``config.toml``, ``config.yaml``, ``config/_default/``) and no ``site.toml``."""

from __future__ import annotations

from typing import Any

from awsnotes_site.diagnostics import Diagnostic, warning
from awsnotes_site.hugo.config import HugoConfig, Language


def _language(hc: HugoConfig) -> str:
    """The page language: ``languageCode``'s primary tag, else ``defaultContentLanguage``."""
    code = hc.language_code or hc.default_language
    return code.split("-")[0].split("_")[0].lower() or "en"


def default_language(hc: HugoConfig) -> Language | None:
    """The language built for a multilingual site (``defaultContentLanguage``'s)."""
    for lang in hc.languages:
        if lang.code.lower() == hc.default_language.lower():
            return lang
    return hc.languages[0] if hc.languages else None


def markdown_options(hc: HugoConfig) -> dict[str, Any]:
    """Goldmark's switches and site-wide highlight settings, for the Markdown renderer:
    ``typographer``, ``definition_list``, ``emoji`` (bools), ``unsafe`` (raw HTML kept),
    ``highlight`` (``[markup.highlight]``, lower-cased keys) and ``has_cjk_language``."""
    renderer = hc.goldmark.get("renderer")
    unsafe = bool(renderer.get("unsafe", False)) if isinstance(renderer, dict) else False
    return {
        "typographer": hc.goldmark_extension("typographer"),
        "definition_list": hc.goldmark_extension("definitionList"),
        "emoji": hc.enable_emoji,
        "unsafe": unsafe,
        "highlight": dict(hc.highlight),
        "has_cjk_language": hc.has_cjk_language,
    }


def shortcode_dirs(hc: HugoConfig) -> tuple[str, ...]:
    """Go-template shortcode folders, first wins: the site's, then each theme's."""
    dirs = [hc.root / "layouts" / "shortcodes"]
    dirs += [theme / "layouts" / "shortcodes" for theme in hc.theme_dirs]
    return tuple(str(d.relative_to(hc.root)) for d in dirs if d.is_dir())


def static_dirs(hc: HugoConfig) -> tuple[str, ...]:
    """The site's static folders, then each theme's ``static/`` (first wins)."""
    themes = [theme / "static" for theme in hc.theme_dirs]
    extra = tuple(str(d.relative_to(hc.root)) for d in themes if d.is_dir())
    return hc.static_dirs + extra


def site_values(hc: HugoConfig) -> tuple[dict[str, Any], list[Diagnostic]]:
    """SiteConfig keyword values for the Hugo site HC, and the warnings about it."""
    diags: list[Diagnostic] = []
    where = str(hc.path)
    params = dict(hc.params)
    title, content_dir = hc.title, hc.content_dir
    lang = default_language(hc)
    values_lang = ""
    language = _language(hc)
    if lang is not None:
        title = lang.title or title
        content_dir = lang.content_dir
        params.update(lang.params)
        language = lang.language_code.split("-")[0].lower() or lang.code
        values_lang = lang.code
        skipped = [other.code for other in hc.languages if other is not lang]
        if skipped:
            diags.append(
                warning(
                    where,
                    None,
                    f"multilingual site: only the default language {lang.code!r} is built; "
                    f"skipped: {', '.join(skipped)}",
                )
            )
        if hc.default_language_in_subdir:
            diags.append(
                warning(
                    where,
                    None,
                    f"defaultContentLanguageInSubdir: the {lang.code!r} pages are built at the "
                    f"site root, not under /{lang.code}/",
                    hint=f"until that is supported, set base_url to end in /{lang.code}/ "
                    "and publish the output folder there",
                )
            )
    if hc.unused:
        diags.append(warning(where, None, f"Hugo settings not used here: {', '.join(hc.unused)}"))
    description = params.get("description")
    values: dict[str, Any] = {
        "kind": "hugo",
        "title": title or "Hugo site",
        "description": description if isinstance(description, str) else "",
        "author": hc.author,
        "language": language,
        "base_url": hc.base_url,
        "output_dir": hc.publish_dir,
        "paginate": max(1, hc.paginate),
        "params": params,
        "content_dirname": content_dir,
        "static_dirs": static_dirs(hc),
        "static_at_root": True,
        "taxonomies": dict(hc.taxonomies),
        "permalinks": dict(hc.permalinks),
        "disable_path_to_lower": hc.disable_path_to_lower,
        "summary_length": hc.summary_length,
        "markdown": markdown_options(hc),
        "shortcode_dirs": shortcode_dirs(hc),
        "unknown_shortcodes": hc.unknown_shortcodes
        if hc.unknown_shortcodes in ("error", "warn")
        else "error",
    }
    if values_lang:
        values["hugo_language"] = values_lang
    if hc.timezone:
        values["timezone"] = hc.timezone
    return values, diags


def site_toml(hc: HugoConfig) -> str:
    """The ``site.toml`` equivalent to HC (``init --from-hugo``)."""
    values, _ = site_values(hc)
    lines = ["# Written by `awsnotes-site init --from-hugo` from " + hc.path.name, ""]
    tables: list[str] = []
    for key, value in values.items():
        if isinstance(value, dict):
            if value:
                tables.append(_table(key, value))
            continue
        lines.append(f"{key} = {_toml(value)}")
    return "\n".join(lines + [""] + tables)


def _table(name: str, value: dict[str, Any]) -> str:
    plain = [f"{_key(k)} = {_toml(v)}" for k, v in value.items() if not isinstance(v, dict)]
    nested = [_table(f"{name}.{_key(k)}", v) for k, v in value.items() if isinstance(v, dict)]
    return "\n".join([f"[{name}]", *plain, ""] + nested)


def _key(key: str) -> str:
    return key if key.replace("_", "").replace("-", "").isalnum() and key.isascii() else _toml(key)


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)} = {_toml(v)}" for k, v in value.items()) + "}"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'
