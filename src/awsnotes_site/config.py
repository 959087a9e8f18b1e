"""Site configuration: ``site.toml`` at the project root."""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from awsnotes_site import urls
from awsnotes_site.diagnostics import BuildError, Diagnostic, error, warning

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CONFIG_NAME = "site.toml"

# What ``awsnotes-site init`` writes for base_url: the GitHub Pages form, to be filled in.
PLACEHOLDER_BASE_URL = "https://USERNAME.github.io/REPOSITORY/"
_PLACEHOLDER_PARTS = ("USERNAME", "REPOSITORY")
_LOOPBACK_HOSTS = frozenset({"localhost", "0.0.0.0", "::1", "::"})


@dataclass(frozen=True)
class SiteConfig:
    root: Path
    title: str = "awsnotes"
    description: str = ""
    author: str = ""
    language: str = "ko"
    base_url: str = "/"
    output_dir: str = "public"
    paginate: int = 10
    timezone: str = "Asia/Seoul"
    toc_min_level: int = 1
    toc_max_level: int = 3
    cname: str = ""
    lastmod: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    # -- where the site's files are and how URLs are made (Hugo sites and vaults differ)
    kind: str = "site"  # "site" (site.toml), "hugo" (a Hugo folder), "vault" (Obsidian)
    content_dirname: str = "content"  # relative to root; "." for a vault
    static_dirs: tuple[str, ...] = ("static",)
    static_at_root: bool = False  # Hugo: static/x.png -> /x.png; ours: /static/x.png
    taxonomies: dict[str, str] = field(
        default_factory=lambda: {"tag": "tags", "series": "series"}
    )  # singular -> plural (the URL segment and front matter key)
    permalinks: dict[str, Any] = field(default_factory=dict)  # Hugo's [permalinks]
    disable_path_to_lower: bool = False
    summary_length: int = 0  # 0: our summary; N: Hugo's first N words
    # -- Markdown and shortcodes
    markdown: dict[str, Any] = field(default_factory=dict)  # typographer, emoji, math, …
    shortcode_dirs: tuple[str, ...] = ()  # Go-template shortcode folders, first wins
    unknown_shortcodes: str = "error"  # or "warn": render the inner text, marked
    hugo_language: str = ""  # a multilingual Hugo site: the language built ("ko")
    # and those built under /CODE/: code -> the values it changes (pipeline.hugo_languages)
    languages: dict[str, dict[str, Any]] = field(default_factory=dict)
    language_dir: str = ""  # "CODE/" when this is one of those, built under base_url + CODE/
    # -- features
    images: dict[str, Any] = field(default_factory=dict)  # [images] enabled, widths, …
    comments: dict[str, Any] = field(default_factory=dict)  # [comments] provider = "giscus"

    @property
    def base_path(self) -> str:
        """The URL path the site lives under, always with leading and trailing slash."""
        return urls.raw_base_path(self.base_url)

    @property
    def absolute_base(self) -> str:
        """``scheme://host/base/`` when the base URL is absolute, else the base path."""
        return urls.absolute_base(self.base_url)

    @property
    def content_dir(self) -> Path:
        return (self.root / self.content_dirname) if self.content_dirname != "." else self.root

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def static_dir(self) -> Path:
        return self.root / self.static_dirs[0]

    @property
    def output_path(self) -> Path:
        return (self.root / self.output_dir).resolve()

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def fingerprint(self) -> str:
        """A hash of every setting that can change rendered output."""
        data = {k: v for k, v in self.__dict__.items() if k != "root"}
        blob = json.dumps(data, sort_keys=True, default=str).encode()
        return hashlib.sha256(blob).hexdigest()[:16]


_TYPES: dict[str, type | tuple[type, ...]] = {
    "title": str,
    "description": str,
    "author": str,
    "language": str,
    "base_url": str,
    "output_dir": str,
    "paginate": int,
    "timezone": str,
    "toc_min_level": int,
    "toc_max_level": int,
    "cname": str,
    "lastmod": str,
    "params": dict,
    "taxonomies": dict,
    "permalinks": dict,
    "markdown": dict,
    "unknown_shortcodes": str,
    "images": dict,
    "comments": dict,
    # what `init --from-hugo` writes for a Hugo site
    "kind": str,
    "content_dirname": str,
    "static_dirs": list,
    "static_at_root": bool,
    "disable_path_to_lower": bool,
    "summary_length": int,
    "shortcode_dirs": list,
    "hugo_language": str,
    "languages": dict,
}


def validate(raw: dict[str, Any], path: str) -> tuple[dict[str, Any], list[Diagnostic]]:
    """Check every key at once; return the accepted values and all diagnostics."""
    diags: list[Diagnostic] = []
    values: dict[str, Any] = {}
    for key, value in raw.items():
        expected = _TYPES.get(key)
        if expected is None:
            diags.append(warning(path, None, f"unknown key '{key}' is ignored"))
            continue
        if isinstance(value, bool) and expected is int or not isinstance(value, expected):
            name = expected.__name__ if isinstance(expected, type) else str(expected)
            diags.append(error(path, None, f"'{key}' must be a {name}, not {value!r}"))
            continue
        values[key] = value
    if "paginate" in values and values["paginate"] < 1:
        diags.append(error(path, None, "'paginate' must be at least 1"))
    for key in ("toc_min_level", "toc_max_level"):
        if key in values and not 1 <= values[key] <= 6:
            diags.append(error(path, None, f"'{key}' must be between 1 and 6"))
    if "timezone" in values:
        try:
            ZoneInfo(values["timezone"])
        except (ZoneInfoNotFoundError, ValueError):
            diags.append(error(path, None, f"'timezone' {values['timezone']!r} is not a time zone"))
    if "base_url" in values:
        parts = urlsplit(values["base_url"])
        if parts.scheme not in ("", "http", "https") or (parts.scheme and not parts.netloc):
            diags.append(error(path, None, f"'base_url' {values['base_url']!r} is not an URL"))
    if values.get("unknown_shortcodes") not in (None, "error", "warn"):
        diags.append(error(path, None, '\'unknown_shortcodes\' must be "error" or "warn"'))
    _check_hugo_keys(values, path, diags)
    if values.get("lastmod") not in (None, "", "git"):
        diags.append(error(path, None, "'lastmod' may only be \"git\""))
    return values, diags


def _check_hugo_keys(values: dict[str, Any], path: str, diags: list[Diagnostic]) -> None:
    """The keys ``init --from-hugo`` writes: ``kind`` and the folder lists."""
    if values.get("kind") not in (None, "site", "hugo"):
        diags.append(error(path, None, '\'kind\' must be "site" or "hugo"'))
    for key in ("static_dirs", "shortcode_dirs"):
        if key in values:
            values[key] = tuple(str(v) for v in values[key])
    if any(not isinstance(v, dict) for v in values.get("languages", {}).values()):
        diags.append(error(path, None, "each of 'languages' must be a table ([languages.en])"))


def load_config(
    root: Path, base_url: str | None = None, output: str | None = None
) -> tuple[SiteConfig, list[Diagnostic]]:
    """Read ``site.toml`` (optional), apply command-line overrides; return config and warnings."""
    root = root.resolve()
    path = root / CONFIG_NAME
    raw: dict[str, Any] = {}
    diags: list[Diagnostic] = []
    if not path.exists():  # a Hugo site or an Obsidian vault (their modules load only then)
        from awsnotes_site.hugo.config import load_hugo_config
        from awsnotes_site.hugo.site import site_values

        hugo = load_hugo_config(root)
        if hugo is not None:
            values, diags = site_values(hugo)
            return _with_overrides(root, values, diags, base_url, output)
    else:
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
        except tomllib.TOMLDecodeError as exc:
            line = getattr(exc, "lineno", None)
            raise BuildError([error(path, line, f"invalid TOML: {exc}")]) from None
        except UnicodeDecodeError:
            raise BuildError([error(path, None, "not UTF-8")]) from None
    values, diags = validate(raw, str(path))
    if not path.exists():  # an Obsidian vault builds with no configuration
        from awsnotes_site.obsidian.settings import vault_defaults

        values = {**vault_defaults(root), **values}
    return _with_overrides(root, values, diags, base_url, output)


def _with_overrides(
    root: Path,
    values: dict[str, Any],
    diags: list[Diagnostic],
    base_url: str | None,
    output: str | None,
) -> tuple[SiteConfig, list[Diagnostic]]:
    if base_url is not None:
        values["base_url"] = base_url
    if output is not None:
        values["output_dir"] = output
    if any(d.is_error for d in diags):
        raise BuildError(diags)
    return SiteConfig(root=root, **values), diags


def _is_loopback(host: str) -> bool:
    host = host.lower().rstrip(".")
    if host in _LOOPBACK_HOSTS or host.endswith(".localhost"):
        return True
    import ipaddress

    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def base_url_warning(base_url: str, where: str = CONFIG_NAME) -> Diagnostic | None:
    """A warning when BASE_URL (from WHERE) is still the placeholder ``init`` wrote or a
    loopback address: a published build would put it into canonical links, ``og:url``,
    the sitemap and the feeds. None when it looks like a real address (or is a path)."""
    host = urlsplit(base_url).hostname or ""
    if any(part in base_url for part in _PLACEHOLDER_PARTS):
        problem = f"base_url is still the placeholder {base_url!r}"
    elif host and _is_loopback(host):
        problem = f"base_url {base_url!r} is a loopback address (this computer)"
    else:
        return None
    return warning(
        where,
        None,
        f"{problem}: canonical links, og:url, the sitemap and the feeds will point there",
        hint="set base_url in site.toml to the address the site is published at "
        "(GitHub Pages: https://<user>.github.io/<repository>/), or build with --base-url; "
        "`awsnotes-site serve` needs neither",
    )
