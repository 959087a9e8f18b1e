"""Read a Hugo site's configuration (``hugo.toml``, ``config.toml``, ``config.yaml``, ``…json``
or ``config/_default/``) into :class:`HugoConfig`.

Hugo's keys are case-insensitive (``baseURL`` = ``baseurl``); everything is read through
lower-cased keys. Keys that change nothing we build are collected in ``unused`` so the
caller can warn once."""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from awsnotes_site.diagnostics import BuildError, error
from awsnotes_site.hugo.permalinks import KINDS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CONFIG_NAMES = ("hugo", "config")
EXTENSIONS = (".toml", ".yaml", ".yml", ".json")
DEFAULT_TAXONOMIES = {"tag": "tags", "category": "categories"}

# Keys that are read (lower case). Everything else is reported as unused.
USED_KEYS = frozenset(
    {
        "title", "baseurl", "languagecode", "defaultcontentlanguage",
        "defaultcontentlanguageinsubdir", "languages", "params", "taxonomies", "permalinks",
        "contentdir", "staticdir", "pagination", "summarylength",
        "hascjklanguage", "disablepathtolower", "enableemoji", "markup", "theme", "themesdir",
        "timezone", "author", "copyright", "publishdir", "builddrafts", "buildfuture",
        "disablekinds", "enablerobotstxt", "unknown_shortcodes", "disablelanguages",
        "canonifyurls",
    }
)  # fmt: skip
# Keys people commonly have whose absence of effect is harmless and expected: no warning.
QUIET_KEYS = frozenset(
    {"menu", "menus", "outputs", "outputformats", "mediatypes", "module", "services",
     "privacy", "minify", "caches", "imaging", "related", "sitemap", "build", "security",
     "server", "deployment", "frontmatter", "googleanalytics", "disqusshortname",
     "enablegitinfo", "enableinlineshortcodes", "ignorefiles", "pluralizelisttitles",
     "relativeurls", "rsslimit", "sectionpageslimit", "cleandestinationdir",
     "newcontentdir", "archetypedir", "layoutdir", "resourcedir", "assetdir", "datadir",
     "i18ndir", "enablemissingtranslationplaceholders", "notimes", "buildexpired",
     "titlecasestyle", "footnotereturnlinkcontents", "removepathaccents", "disablealiases"}
)  # fmt: skip


@dataclass(frozen=True)
class Language:
    code: str  # "ko"
    title: str
    content_dir: str  # relative to the site root
    weight: int
    params: dict[str, Any]
    language_code: str  # "ko-KR"
    base_url: str = ""  # its own baseURL: a multihost site
    disabled: bool = False


@dataclass(frozen=True)
class HugoConfig:
    root: Path
    path: Path  # the file (or folder) it was read from
    title: str = ""
    base_url: str = "/"
    language_code: str = ""
    default_language: str = "en"
    default_language_in_subdir: bool = False
    languages: tuple[Language, ...] = ()
    params: dict[str, Any] = field(default_factory=dict)
    taxonomies: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_TAXONOMIES))
    # [permalinks]: section or taxonomy -> pattern, and kind -> that (permalink_rules)
    permalinks: dict[str, Any] = field(default_factory=dict)
    content_dir: str = "content"
    static_dirs: tuple[str, ...] = ("static",)
    publish_dir: str = "public"
    paginate: int = 10
    summary_length: int = 70
    has_cjk_language: bool = False
    disable_path_to_lower: bool = False
    enable_emoji: bool = False
    highlight: dict[str, Any] = field(default_factory=dict)  # [markup.highlight], lower keys
    goldmark: dict[str, Any] = field(default_factory=dict)  # [markup.goldmark], lower keys
    themes: tuple[str, ...] = ()
    themes_dir: str = "themes"
    timezone: str = ""
    author: str = ""
    copyright: str = ""
    unknown_shortcodes: str = "error"
    canonify_urls: bool = False
    unused: tuple[str, ...] = ()  # top-level keys that change nothing here

    @property
    def theme_dirs(self) -> list[Path]:
        return [self.root / self.themes_dir / name for name in self.themes]

    def goldmark_extension(self, name: str, default: bool = True) -> bool:
        ext = self.goldmark.get("extensions", {})
        value = ext.get(name.lower(), default) if isinstance(ext, dict) else default
        if isinstance(value, dict):  # e.g. typographer = {disable = true, …}
            return not value.get("disable", False)
        return bool(value)


def find_config(root: Path) -> Path | None:
    """The Hugo configuration of the site at ROOT: a file, or ``config/_default/``."""
    for name in CONFIG_NAMES:
        for ext in EXTENSIONS:
            path = root / f"{name}{ext}"
            if path.is_file():
                return path
    folder = root / "config" / "_default"
    return folder if folder.is_dir() else None


def lower_keys(value: Any) -> Any:
    """Hugo's keys are case-insensitive: lower-case every mapping key, recursively."""
    if isinstance(value, dict):
        return {str(k).lower(): lower_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [lower_keys(v) for v in value]
    return value


def _parse_toml(path: Path, text: str) -> Any:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"at line (\d+)", str(exc))
        line = getattr(exc, "lineno", None) or (int(found.group(1)) if found else None)
        raise BuildError([error(path, line, f"invalid TOML: {exc}")]) from None


def _parse_yaml(path: Path, text: str) -> Any:
    import yaml  # imported here: most sites have no YAML configuration

    try:
        return yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise BuildError([error(path, line, f"invalid YAML: {exc}")]) from None


def _parse(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise BuildError([error(path, None, "not UTF-8")]) from None
    if path.suffix == ".toml":
        data = _parse_toml(path, text)
    elif path.suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise BuildError([error(path, exc.lineno, f"invalid JSON: {exc.msg}")]) from None
    else:
        data = _parse_yaml(path, text)
    if not isinstance(data, dict):
        raise BuildError([error(path, None, "the configuration must be a table of keys")])
    result = lower_keys(data)
    assert isinstance(result, dict)
    return result


def _merge(into: dict[str, Any], other: dict[str, Any]) -> None:
    for key, value in other.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value


def read_raw(path: Path) -> dict[str, Any]:
    """Every key of the configuration at PATH, lower-cased; a ``config/_default/`` folder
    merges ``hugo.*``/``config.*`` with one file per top-level key (``params.toml``…)."""
    if path.is_file():
        return _parse(path)
    raw: dict[str, Any] = {}
    for file in sorted(path.iterdir()):
        if file.suffix not in EXTENSIONS or not file.is_file():
            continue
        data = _parse(file)
        stem = file.stem.lower()
        if stem in CONFIG_NAMES:
            _merge(raw, data)
        else:
            base = stem.split(".")[0]  # menus.ko.toml -> menus
            _merge(raw, {base: data})
    return raw


def _str(raw: dict[str, Any], key: str, default: str = "") -> str:
    value = raw.get(key, default)
    return str(value) if value is not None else default


def _int(raw: dict[str, Any], key: str, default: int) -> int:
    value = raw.get(key, default)
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _strs(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,) if value else ()
    if isinstance(value, list):
        return tuple(str(v) for v in value if v)
    return ()


def _permalinks(raw: Any) -> dict[str, Any]:
    """``[permalinks]`` as written (flat keys, and tables per kind), what is not a pattern
    left out; :func:`permalink_rules` reads it."""
    if not isinstance(raw, dict):
        return {}
    result: dict[str, Any] = {k: v for k, v in raw.items() if isinstance(v, str)}
    for kind in KINDS:
        table = raw.get(kind)
        if isinstance(table, dict):
            result[kind] = {str(k): v for k, v in table.items() if isinstance(v, str)}
    return result


def _languages(raw: dict[str, Any], content_dir: str) -> tuple[Language, ...]:
    langs = raw.get("languages")
    if not isinstance(langs, dict):
        return ()
    result = []
    for code, spec in langs.items():
        if not isinstance(spec, dict):
            continue
        params = spec.get("params") if isinstance(spec.get("params"), dict) else {}
        result.append(
            Language(
                code=code,
                title=_str(spec, "title", _str(raw, "title")),
                content_dir=_str(spec, "contentdir", content_dir),
                weight=_int(spec, "weight", 0),
                params=params or {},
                language_code=_str(spec, "languagecode", code),
                base_url=_str(spec, "baseurl"),
                disabled=bool(spec.get("disabled", False)),
            )
        )
    result.sort(key=lambda lang: (lang.weight or 1 << 30, lang.code))
    off = {str(code).lower() for code in _strs(raw.get("disablelanguages"))}
    return tuple(lang for lang in result if not lang.disabled and lang.code not in off)


def _paginate(raw: dict[str, Any]) -> int:
    """``[pagination] pagerSize``, else 10. The old ``paginate`` key is ignored, as Hugo
    0.16x ignores it (it is listed among the unused keys)."""
    pagination = raw.get("pagination")
    if isinstance(pagination, dict) and isinstance(pagination.get("pagersize"), int):
        return int(pagination["pagersize"])
    return 10


def load_hugo_config(root: Path) -> HugoConfig | None:
    """The Hugo configuration of ROOT, or None when ROOT is not a Hugo site."""
    path = find_config(root)
    if path is None:
        return None
    raw = read_raw(path)
    markup = raw.get("markup") if isinstance(raw.get("markup"), dict) else {}
    assert isinstance(markup, dict)
    taxonomies = raw.get("taxonomies")
    content_dir = _str(raw, "contentdir", "content")
    params = raw.get("params") if isinstance(raw.get("params"), dict) else {}
    unused = sorted(k for k in raw if k not in USED_KEYS and k not in QUIET_KEYS)
    return HugoConfig(
        root=root,
        path=path,
        title=_str(raw, "title"),
        base_url=_str(raw, "baseurl", "/") or "/",
        language_code=_str(raw, "languagecode"),
        default_language=_str(raw, "defaultcontentlanguage", "en"),
        default_language_in_subdir=bool(raw.get("defaultcontentlanguageinsubdir", False)),
        languages=_languages(raw, content_dir),
        params=params or {},
        taxonomies=(
            {str(k): str(v) for k, v in taxonomies.items() if v}
            if isinstance(taxonomies, dict)
            else dict(DEFAULT_TAXONOMIES)
        ),
        permalinks=_permalinks(raw.get("permalinks")),
        content_dir=content_dir,
        static_dirs=_strs(raw.get("staticdir", "static")) or ("static",),
        publish_dir=_str(raw, "publishdir", "public"),
        paginate=_paginate(raw),
        summary_length=_int(raw, "summarylength", 70),
        has_cjk_language=bool(raw.get("hascjklanguage", False)),
        disable_path_to_lower=bool(raw.get("disablepathtolower", False)),
        enable_emoji=bool(raw.get("enableemoji", False)),
        highlight=dict(markup.get("highlight") or {}),
        goldmark=dict(markup.get("goldmark") or {}),
        themes=_strs(raw.get("theme")),
        themes_dir=_str(raw, "themesdir", "themes"),
        timezone=_str(raw, "timezone"),
        author=_author(raw, params or {}),
        copyright=_str(raw, "copyright"),
        unknown_shortcodes=_str(raw, "unknown_shortcodes", "error"),
        canonify_urls=bool(raw.get("canonifyurls", False)),
        unused=tuple(unused),
    )


def _author(raw: dict[str, Any], params: dict[str, Any]) -> str:
    for value in (params.get("author"), raw.get("author")):
        if isinstance(value, str) and value:
            return value
        if isinstance(value, dict) and isinstance(value.get("name"), str):
            return str(value["name"])
    return ""
