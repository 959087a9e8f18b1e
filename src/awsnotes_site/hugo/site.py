"""A Hugo site's configuration as our :class:`~awsnotes_site.config.SiteConfig` values:
what ``build``, ``serve`` and ``check`` use in a folder with ``hugo.toml`` (or
``config.toml``, ``config.yaml``, ``config/_default/``) and no ``site.toml``."""

from __future__ import annotations

from typing import Any

from awsnotes_site.diagnostics import Diagnostic, warning
from awsnotes_site.hugo.config import HugoConfig, Language
from awsnotes_site.urls import raw_base_path


def _language(hc: HugoConfig) -> str:
    """The page language: ``languageCode``'s primary tag, else ``defaultContentLanguage``."""
    code = hc.language_code or hc.default_language
    return code.split("-")[0].split("_")[0].lower() or "en"


def default_language(hc: HugoConfig) -> Language | None:
    """The language built at the site root of a multilingual site
    (``defaultContentLanguage``'s)."""
    for lang in hc.languages:
        if lang.code.lower() == hc.default_language.lower():
            return lang
    return hc.languages[0] if hc.languages else None


def built_languages(hc: HugoConfig) -> tuple[list[Language], list[Language]]:
    """(built, skipped): every language (``disabled`` ones and ``disableLanguages`` are
    not languages of the site), with its own ``contentDir`` or sharing one (Hugo's
    file-suffix style, ``index.en.md``); but those with a ``baseURL`` of their own (a
    multihost site, one site per host), which are skipped."""
    default = default_language(hc)
    if default is None:
        return [], []
    built: list[Language] = [default]
    skipped: list[Language] = []
    for lang in hc.languages:
        if lang is not default:
            (skipped if lang.base_url else built).append(lang)
    return built, skipped


def _language_values(hc: HugoConfig, lang: Language) -> dict[str, Any]:
    """What language LANG changes of the site's values: title, content folder, UI
    language, params (the site's, then its own) and the description among them."""
    params = {**hc.params, **lang.params}
    description = params.get("description")
    return {
        "title": lang.title or hc.title or "Hugo site",
        "description": description if isinstance(description, str) else "",
        "language": lang.language_code.split("-")[0].split("_")[0].lower() or lang.code,
        "content_dirname": lang.content_dir,
        "params": params,
    }


def markdown_options(hc: HugoConfig) -> dict[str, Any]:
    """Goldmark's switches and site-wide highlight settings, for the Markdown renderer:
    ``typographer``, ``definition_list``, ``emoji`` (bools) and ``highlight``
    (``[markup.highlight]``, lower-cased keys). Only keys the renderer knows (see
    :mod:`awsnotes_site.markdown.settings`): ``renderer.unsafe`` and ``hasCJKLanguage``
    change nothing here (raw HTML is always kept), so they are not passed on to be
    reported as unknown ``markdown.*`` keys on every build."""
    return {
        "typographer": hc.goldmark_extension("typographer"),
        "definition_list": hc.goldmark_extension("definitionList"),
        "emoji": hc.enable_emoji,
        "highlight": dict(hc.highlight),
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


def _skipped_warning(hc: HugoConfig, skipped: list[Language]) -> Diagnostic:
    return warning(
        str(hc.path),
        None,
        "multihost site: languages with a baseURL of their own are not built; skipped: "
        f"{', '.join(lang.code for lang in skipped)}",
        hint="build each host as a site of its own, or drop their baseURL to build them "
        "under /CODE/",
    )


def site_values(hc: HugoConfig) -> tuple[dict[str, Any], list[Diagnostic]]:
    """SiteConfig keyword values for the Hugo site HC, and the warnings about it. A
    multilingual site: the default language's values at the root, and ``languages``, what
    each language built under ``/CODE/`` changes (:mod:`awsnotes_site.pipeline.hugo_languages`)."""
    diags: list[Diagnostic] = []
    description = hc.params.get("description")
    own: dict[str, Any] = {
        "title": hc.title or "Hugo site",
        "description": description if isinstance(description, str) else "",
        "language": _language(hc),
        "content_dirname": hc.content_dir,
        "params": dict(hc.params),
    }
    built, skipped = built_languages(hc)
    languages = {lang.code: _language_values(hc, lang) for lang in built}
    if built:
        own = languages[built[0].code]
        if not hc.default_language_in_subdir:
            del languages[built[0].code]
    if skipped:
        diags.append(_skipped_warning(hc, skipped))
    if hc.canonify_urls and raw_base_path(hc.base_url) != "/":
        diags.append(
            warning(
                str(hc.path),
                None,
                "canonifyURLs is not supported: root-relative links in notes stay as "
                f"written, and those that leave the base path {raw_base_path(hc.base_url)} "
                "are warned about",
                hint="write links relative to the page, or with the base path",
            )
        )
    if hc.unused:
        diags.append(
            warning(str(hc.path), None, f"Hugo settings not used here: {', '.join(hc.unused)}")
        )
    values: dict[str, Any] = {
        "kind": "hugo",
        **own,
        "author": hc.author,
        "base_url": hc.base_url,
        "output_dir": hc.publish_dir,
        "paginate": max(1, hc.paginate),
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
    if built:
        values["hugo_language"] = built[0].code
        values["languages"] = languages
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
