"""Discover notes under ``content/`` and load each into a :class:`Note`."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

from awsnotes_site.config import SiteConfig
from awsnotes_site.diagnostics import BuildError, Diagnostic, error, warning
from awsnotes_site.frontmatter import FrontMatter, decode_source, split_front_matter

KNOWN_FIELDS = (
    "title",
    "date",
    "lastmod",
    "description",
    "tags",
    "series",
    "draft",
    "slug",
    "weight",
)


@dataclass
class Note:
    """One Markdown note and its front matter, before rendering."""

    source: Path  # absolute path of the .md file
    rel: str  # path relative to content/, POSIX, NFC (e.g. "posts/x.md")
    display_path: str  # path shown in messages (relative to the project root)
    section: str
    slug: str
    url: str  # site-relative URL path without leading slash, e.g. "posts/x/"
    title: str
    date: dt.datetime | None
    lastmod: dt.datetime | None
    description: str
    tags: list[str]
    series: list[str]
    draft: bool
    weight: int
    params: dict[str, Any]
    body: str
    body_line: int
    digest: str  # hash of the file's bytes
    diagnostics: list[Diagnostic] = field(default_factory=list)
    lastmod_from_git: bool = False
    body_loaded: bool = True  # False when restored from .cache/notes.json (body is "")

    @cached_property
    def sort_key(self) -> tuple[float, str]:
        ts = self.date.timestamp() if self.date else float("-inf")
        return (-ts, self.rel)


def discover(
    content_dir: Path, folders: list[Path] | None = None
) -> tuple[list[Path], list[Diagnostic]]:
    """Every ``.md`` file below ``content_dir``, sorted; symlink loops skipped with a warning.
    ``folders``, if given, receives every folder walked."""
    found: list[Path] = []
    diags: list[Diagnostic] = []
    if not content_dir.is_dir():
        return found, diags
    seen_dirs: set[Path] = set()
    stack = [content_dir]
    while stack:
        current = stack.pop()
        real = current.resolve()
        if real in seen_dirs:
            diags.append(warning(current, None, "symlink loop: folder already visited, skipped"))
            continue
        seen_dirs.add(real)
        if folders is not None:
            folders.append(current)
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError as exc:
            diags.append(error(current, None, f"cannot read folder: {exc.strerror}"))
            continue
        for entry in entries:
            if entry.name.startswith((".", "_")):
                continue
            path = Path(entry.path)
            try:
                if entry.is_dir():
                    stack.append(path)
                elif entry.is_file() and entry.name.endswith(".md"):
                    found.append(path)
            except OSError as exc:  # e.g. a symlink that points at itself
                diags.append(warning(path, None, f"skipped: {exc.strerror}"))
    found.sort(key=lambda p: p.as_posix())
    return found, diags


@lru_cache(maxsize=100_000)
def slugify_name(name: str) -> str:
    """A file name or tag as a readable URL segment: NFC, spaces to '-', lower-cased Latin."""
    name = unicodedata.normalize("NFC", name).strip()
    name = re.sub(r"[\s/\\]+", "-", name)
    name = re.sub(r"[?#%\"'<>^`{|}\x00-\x1f]", "", name).lower()
    name = re.sub(r"\.{2,}", ".", name)
    name = re.sub(r"-{2,}", "-", name).strip("-.")
    return name[:200]


def load_note(path: Path, config: SiteConfig, folders: dict[Path, str] | None = None) -> Note:
    """Read and validate one note; raises :class:`BuildError` with every problem found.
    ``folders``: resolved note folders, shared by the calls of one pass over the notes."""
    display = _display_path(path, config.root, folders)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BuildError([error(display, None, f"cannot read note: {exc.strerror}")]) from None
    text = decode_source(raw, display)
    fm = split_front_matter(text, display)
    rel = unicodedata.normalize("NFC", path.relative_to(config.content_dir).as_posix())
    diags: list[Diagnostic] = []
    data = dict(fm.data)
    title = _get_str(data, "title", fm, display, diags)
    if not title:
        title = unicodedata.normalize("NFC", path.stem)
        diags.append(
            warning(
                display,
                fm.line_of("title") if fm.format else 1,
                "note has no title; using the file name",
                hint='add title = "…" to the front matter',
            )
        )
    date = _get_date(data, "date", fm, display, config, diags)
    lastmod = _get_date(data, "lastmod", fm, display, config, diags)
    description = _get_str(data, "description", fm, display, diags)
    tags = _get_list(data, "tags", fm, display, diags)
    series = _get_list(data, "series", fm, display, diags)
    draft = _get_bool(data, "draft", fm, display, diags)
    weight = _get_int(data, "weight", fm, display, diags)
    slug = _get_str(data, "slug", fm, display, diags)
    if slug and ("/" in slug or "\\" in slug or slug in (".", "..") or ".." in slug.split("/")):
        diags.append(
            error(display, fm.line_of("slug"), f"slug {slug!r} may not contain '/', '\\' or '..'")
        )
        slug = ""
    slug = slugify_name(slug or path.stem)
    if not slug or slug in (".", ".."):
        slug = "note"
    parent = PurePosixPath(rel).parent
    section = parent.parts[0] if parent.parts else ""
    url = "/".join([*parent.parts, slug]) + "/"
    url = "/".join(slugify_name(p) for p in url.split("/")[:-1]) + "/"
    if any(d.is_error for d in diags):
        raise BuildError(diags)
    params = {k: v for k, v in data.items() if k not in KNOWN_FIELDS}
    return Note(
        source=path,
        rel=rel,
        display_path=display,
        section=section,
        slug=slug,
        url=url,
        title=title,
        date=date,
        lastmod=lastmod,
        description=description,
        tags=tags,
        series=series,
        draft=draft,
        weight=weight,
        params=params,
        body=fm.body,
        body_line=fm.body_line,
        digest=hashlib.sha256(raw).hexdigest(),
        diagnostics=diags,
    )


def _display_path(path: Path, root: Path, folders: dict[Path, str] | None = None) -> str:
    """``path`` relative to ``root`` with symlinks resolved (as messages show it). Each
    folder is resolved once per pass (``folders``: folder -> its shown prefix): resolving
    costs a system call per path component, and notes share their folders."""
    if folders is None or os.path.islink(path):
        return _shown(path.resolve(), root, path)
    prefix = folders.get(path.parent)
    if prefix is None:
        shown = _shown(path.parent.resolve(), root, path.parent)
        prefix = folders[path.parent] = "" if shown == "." else shown + "/"
    return prefix + path.name


def _shown(resolved: Path, root: Path, path: Path) -> str:
    try:
        return resolved.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _get_str(
    data: dict[str, Any], key: str, fm: FrontMatter, path: str, diags: list[Diagnostic]
) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        diags.append(error(path, fm.line_of(key), f"'{key}' must be a string, not {value!r}"))
        return ""
    return value.strip()


def _get_bool(
    data: dict[str, Any], key: str, fm: FrontMatter, path: str, diags: list[Diagnostic]
) -> bool:
    value = data.get(key, False)
    if isinstance(value, str) and value.lower() in ("true", "false"):
        diags.append(
            warning(path, fm.line_of(key), f"'{key}' should be true or false without quotes")
        )
        return value.lower() == "true"
    if not isinstance(value, bool):
        diags.append(error(path, fm.line_of(key), f"'{key}' must be true or false, not {value!r}"))
        return False
    return value


def _get_int(
    data: dict[str, Any], key: str, fm: FrontMatter, path: str, diags: list[Diagnostic]
) -> int:
    value = data.get(key, 0)
    if isinstance(value, bool) or not isinstance(value, int):
        diags.append(error(path, fm.line_of(key), f"'{key}' must be a whole number, not {value!r}"))
        return 0
    return value


def _get_list(
    data: dict[str, Any], key: str, fm: FrontMatter, path: str, diags: list[Diagnostic]
) -> list[str]:
    value = data.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        diags.append(
            warning(
                path,
                fm.line_of(key),
                f"'{key}' should be a list; taking {value!r} as one item",
                hint=f'{key} = ["{value}"]',
            )
        )
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        diags.append(error(path, fm.line_of(key), f"'{key}' must be a list of strings"))
        return []
    out: list[str] = []
    for v in value:
        s = unicodedata.normalize("NFC", str(v)).strip()
        if s and s not in out:
            out.append(s)
    return out


_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d", "%Y.%m.%d")


def parse_date(value: Any, tz: dt.tzinfo) -> dt.datetime | None:
    """TOML dates and datetimes, ISO strings; naive values are in the site's time zone."""
    if isinstance(value, dt.datetime):
        result = value
    elif isinstance(value, dt.date):
        result = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        s = value.strip()
        try:
            result = dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
        except ValueError:
            for fmt in _DATE_FORMATS:
                try:
                    result = dt.datetime.strptime(s, fmt)
                    break
                except ValueError:
                    continue
            else:
                return None
    else:
        return None
    if result.tzinfo is None:
        result = result.replace(tzinfo=tz)
    return result


def _get_date(
    data: dict[str, Any],
    key: str,
    fm: FrontMatter,
    path: str,
    config: SiteConfig,
    diags: list[Diagnostic],
) -> dt.datetime | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    if key == "lastmod" and value == "git":
        return None
    parsed = parse_date(value, config.tz)
    if parsed is None:
        diags.append(
            error(
                path,
                fm.line_of(key),
                f"'{key}' is not a date: {value!r}",
                hint='write it as "2023-03-26" or 2023-03-26T10:00:00+09:00',
            )
        )
    return parsed


def is_published(note: Note, now: dt.datetime, drafts: bool, future: bool) -> bool:
    if note.draft and not drafts:
        return False
    return not (note.date and note.date > now and not future)
