"""Load a note: read its file, split and check its front matter, make a :class:`Note`."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import unicodedata
from pathlib import Path, PurePosixPath
from typing import Any

from awsnotes_site.config import SiteConfig
from awsnotes_site.content.frontmatter import FrontMatter, decode_source, split_front_matter
from awsnotes_site.diagnostics import BuildError, Diagnostic, error, warning
from awsnotes_site.model.note import Note, slugify_name

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
    if config.kind == "hugo":
        from awsnotes_site.content.hugo_note import load_hugo_note

        return load_hugo_note(path, raw, rel, display, fm, config)
    diags: list[Diagnostic] = []
    data = dict(fm.data)
    title = _get_str(data, "title", fm, display, diags)
    if not title:
        title = unicodedata.normalize("NFC", path.stem)
        if config.kind != "vault":  # a vault's notes are named by their files
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
    parent = PurePosixPath(rel).parent
    bundle = path.stem == "index" and bool(parent.parts)  # x/index.md + its files -> /x/
    slug = slugify_name(slug or (parent.name if bundle else path.stem))
    if not slug or slug in (".", ".."):
        slug = "note"
    if bundle:
        parent = parent.parent
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
    if note.expiry_date is not None and note.expiry_date <= now:
        return False
    if note.publish_date is not None and note.publish_date > now and not future:
        return False
    return not (note.date and note.date > now and not future)
