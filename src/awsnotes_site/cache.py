"""The persistent caches in ``.cache/``: what lets a CLI build after a one-note edit read,
render and write little more than that note.

- ``notes.json``: every note's front matter (without its body) and the *facts* of its
  rendering (summary, reading time, links, warnings, refs), keyed by the file's size and
  modification time; the first line holds a checksum of the rest. A note whose file did
  not change is neither read nor parsed.
- ``render/<k[:2]>/<k>.json``: one rendered note (HTML, text, TOC) per file, keyed by
  content hash, note path, renderer version, config and shortcode templates; read only
  when a page that shows the note's body has to be rendered (a search shard reads only
  the first line: the note's text and search keys).
- ``pages.json``: per output file, the signature of its inputs (template, settings, what
  it shows of each note, the whole of the notes whose body it used), and its size and
  modification time as written: an unchanged page stays as published, unread.
- ``related.json``: related notes, valid for one list of (note path, tags) in order.
- ``templates.json``: template hashes and their include/extends closure, valid while no
  file in ``templates/`` changed; ``jinja/``: Jinja's bytecode cache of compiled
  templates (Jinja checks each entry against its source and its own version).

JSON, not pickle: a foreign or corrupt entry is ignored with a warning and can never run
code."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import Any

from awsnotes_site.content import Note
from awsnotes_site.diagnostics import Diagnostic, Severity
from awsnotes_site.markdown import NoteFacts, RenderedNote
from awsnotes_site.markdown.context import LinkRef, TocEntry

FORMAT = "awsnotes-render-cache/4"
LEGACY_FILE = "render.json"  # the single-file cache of earlier versions, removed by clear


def key(digest: str, rel: str, context: str) -> str:
    return hashlib.sha256(f"{digest}\0{rel}\0{context}".encode()).hexdigest()


SearchPart = tuple[str, tuple[str, str] | None]  # a note's plain text, packed search keys


def _encode(r: RenderedNote) -> dict[str, Any]:
    """Everything of a rendered note but its search part (the first line of its file)."""
    return {
        "html": r.html,
        "toc": [[t.level, t.id, t.title] for t in r.toc],
        "links": [[lk.url, lk.line, lk.kind] for lk in r.links],
        "diagnostics": [
            [d.path, d.line, d.severity.value, d.message, d.col, d.hint] for d in r.diagnostics
        ],
        "refs": r.refs,
        "shortcodes": sorted(r.shortcodes),
    }


def _decode(d: dict[str, Any], search: SearchPart) -> RenderedNote:
    return RenderedNote(
        html=str(d["html"]),
        toc=[TocEntry(int(a), str(b), str(c)) for a, b, c in d["toc"]],
        links=[LinkRef(str(a), int(b), str(c)) for a, b, c in d["links"]],
        diagnostics=[
            Diagnostic(str(p), ln, Severity(s), str(m), col, hint)
            for p, ln, s, m, col, hint in d["diagnostics"]
        ],
        refs={str(k): (None if v is None else str(v)) for k, v in d["refs"].items()},
        shortcodes=set(d["shortcodes"]),
        text=search[0],
        search_keys=search[1],
    )


def _keys(v: Any) -> tuple[str, str] | None:
    if v is None:
        return None
    grams, words = v
    if not isinstance(grams, str) or not isinstance(words, str):
        raise TypeError("search keys must be strings")
    return grams, words


RENDER_DIR = "render"


class RenderStore:
    """Rendered notes on disk, one file each, of two JSON lines: first the format, the key
    and the note's search part (plain text and search keys), then the rest (HTML, TOC,
    links...). Rebuilding a search shard decodes only the first line of its notes."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder / RENDER_DIR
        self.problems: list[str] = []

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def _read(self, key: str, whole: bool) -> tuple[SearchPart, RenderedNote | None] | None:
        """The entry's search part and, if ``whole``, the rendered note; None (and a
        problem noted) if it is missing, of another version or corrupt."""
        path = self._path(key)
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        try:
            first, _, rest = raw.partition(b"\n")
            head = json.loads(first)
            if not isinstance(head, dict) or head.get("format") != FORMAT:
                self.problems.append(f"ignoring {path}: not a cache of this version")
                return None
            if head.get("key") != key:
                raise ValueError("entry filed under the wrong key")
            search = (str(head["text"]), _keys(head["search_keys"]))
            return search, (_decode(json.loads(rest), search) if whole else None)
        except (ValueError, KeyError, TypeError) as exc:
            self.problems.append(f"ignoring corrupt cache {path}: {exc.__class__.__name__}")
            return None

    def get(self, key: str) -> RenderedNote | None:
        found = self._read(key, whole=True)
        return None if found is None else found[1]

    def get_search(self, key: str) -> SearchPart | None:
        """A note's plain text and search keys, without decoding its HTML."""
        found = self._read(key, whole=False)
        return None if found is None else found[0]

    def put(self, key: str, rendered: RenderedNote) -> None:
        head = json.dumps(
            {
                "format": FORMAT,
                "key": key,
                "text": rendered.text,
                "search_keys": (
                    None if rendered.search_keys is None else list(rendered.search_keys)
                ),
            },
            ensure_ascii=False,
        )
        body = json.dumps(_encode(rendered), ensure_ascii=False, sort_keys=True)
        _atomic_write(self.folder / key[:2], f"{key}.json", head + "\n" + body)


def clear(folder: Path) -> None:
    shutil.rmtree(folder / RENDER_DIR, ignore_errors=True)
    shutil.rmtree(folder / "jinja", ignore_errors=True)
    for name in (LEGACY_FILE, PAGES_FILE, NOTES_FILE, TEMPLATES_FILE, RELATED_FILE):
        with contextlib.suppress(OSError):
            (folder / name).unlink()


PAGES_FILE = "pages.json"
PAGES_FORMAT = "awsnotes-page-cache/2"


@dataclass(frozen=True)
class PageRecord:
    """A published file: the signature of its inputs, its size and modification time as
    written, and the notes whose whole body or HTML it used."""

    signature: str
    size: int
    mtime_ns: int
    used: frozenset[str]


def load_pages(folder: Path, output: Path) -> dict[str, PageRecord]:
    """Page path -> :class:`PageRecord` for ``output``; empty if missing or foreign."""
    data = _read_json(folder, PAGES_FILE, PAGES_FORMAT, "output", str(output))
    try:
        return {
            str(k): PageRecord(str(v[0]), int(v[1]), int(v[2]), frozenset(map(str, v[3])))
            for k, v in data["pages"].items()
        }
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return {}


def save_pages(folder: Path, output: Path, pages: dict[str, PageRecord]) -> None:
    blob = json.dumps(
        {
            "format": PAGES_FORMAT,
            "output": str(output),
            "pages": {
                k: [v.signature, v.size, v.mtime_ns, sorted(v.used)]
                for k, v in sorted(pages.items())
            },
        },
        ensure_ascii=False,
    )
    _atomic_write(folder, PAGES_FILE, blob)


# -- notes.json: every note's front matter and facts --------------------------------------
NOTES_FILE = "notes.json"
NOTES_FORMAT = "awsnotes-notes-cache/3"


@dataclass
class NoteRecord:
    """A note as the last build loaded it (without its body), keyed by the file's
    modification time and size, with the facts of its rendering under ``key``."""

    stamp: tuple[int, int]
    note: Note
    key: str
    facts: NoteFacts | None
    line: str | None = field(default=None, compare=False)  # as read, to write back as is


def _enc_value(v: Any) -> Any:
    """Front matter values as JSON; dates and tables tagged so they come back as such."""
    if v is None or isinstance(v, (str, bool, int, float)):
        return v
    if isinstance(v, dt.datetime):
        return {"$dt": v.isoformat()}
    if isinstance(v, dt.date):
        return {"$d": v.isoformat()}
    if isinstance(v, dt.time):
        return {"$t": v.isoformat()}
    if isinstance(v, list):
        return [_enc_value(x) for x in v]
    if isinstance(v, dict):
        return {"$m": {str(k): _enc_value(x) for k, x in v.items()}}
    raise TypeError(f"cannot keep {type(v).__name__} in the notes cache")


def _dec_value(v: Any) -> Any:
    if isinstance(v, list):
        return [_dec_value(x) for x in v]
    if isinstance(v, dict):
        ((tag, inner),) = v.items()
        if tag == "$dt":
            return dt.datetime.fromisoformat(inner)
        if tag == "$d":
            return dt.date.fromisoformat(inner)
        if tag == "$t":
            return dt.time.fromisoformat(inner)
        if tag == "$m":
            return {k: _dec_value(x) for k, x in inner.items()}
        raise ValueError(f"unknown tag {tag}")
    return v


def _enc_when(when: dt.datetime | None, tz: dt.tzinfo) -> Any:
    """A note date; one in the site's time zone is kept naive and given the zone back."""
    if when is None:
        return None
    if when.tzinfo is tz:
        return [when.replace(tzinfo=None).isoformat()]
    return when.isoformat()


def _dec_when(v: Any, tz: dt.tzinfo) -> dt.datetime | None:
    if v is None:
        return None
    if isinstance(v, list):
        return dt.datetime.fromisoformat(v[0]).replace(tzinfo=tz)
    return dt.datetime.fromisoformat(v)


def _enc_diag(d: Diagnostic) -> list[Any]:
    return [d.path, d.line, d.severity.value, d.message, d.col, d.hint]


def _dec_diag(v: list[Any]) -> Diagnostic:
    p, ln, sev, m, col, hint = v
    return Diagnostic(str(p), ln, Severity(sev), str(m), col, hint)


def _enc_record(source: str, r: NoteRecord, tz: dt.tzinfo) -> list[Any]:
    """A record as positional arrays (the order of :func:`_dec_record`): JSON arrays
    decode about twice as fast as objects, which matters at one record per note.
    ``source``: the note's path, the record's key (and its ``Note.source``)."""
    n = r.note
    note = [
        n.rel,
        n.display_path,
        n.section,
        n.slug,
        n.url,
        n.title,
        _enc_when(n.date, tz),
        None if n.lastmod_from_git else _enc_when(n.lastmod, tz),
        n.description,
        n.tags,
        n.series,
        n.draft,
        n.weight,
        _enc_value(n.params),
        n.body_line,
        n.digest,
        [_enc_diag(d) for d in n.diagnostics],
    ]
    facts = None
    if r.facts is not None:
        f = r.facts
        facts = [
            f.summary,
            f.minutes,
            [x for lk in f.links for x in lk],  # flat: url, line, kind, url, ...
            [_enc_diag(d) for d in f.diagnostics],
            f.refs,
        ]
    return [source, list(r.stamp), r.key, note, facts]


def _strs(values: Any) -> list[str]:
    if type(values) is not list or not all(type(v) is str for v in values):
        raise TypeError("expected a list of strings")
    return values


def _str(value: Any) -> str:
    if type(value) is not str:
        raise TypeError("expected a string")
    return value


def _int(value: Any) -> int:
    if type(value) is not int:
        raise TypeError("expected an integer")
    return value


def _links(flat: Any) -> list[LinkRef]:
    """Links from ``[url, line, kind, url, ...]``, type-checked in C (``map(type, ...)``)."""
    if type(flat) is not list or len(flat) % 3:
        raise TypeError("links must be a list of url, line, kind triples")
    urls, lines, kinds = flat[0::3], flat[1::3], flat[2::3]
    if not ({*map(type, urls), *map(type, kinds)} <= {str} and {*map(type, lines)} <= {int}):
        raise TypeError("links must be a list of url, line, kind triples")
    triples = zip(urls, lines, kinds, strict=True)
    return list(map(tuple.__new__, repeat(LinkRef), triples))  # LinkRef(*t), looped in C


def _dec_record(v: list[Any], tz: dt.tzinfo) -> NoteRecord:
    source, (mtime, size), key, fields, f = v
    (
        rel,
        display_path,
        section,
        slug,
        url,
        title,
        date,
        lastmod,
        description,
        tags,
        series,
        draft,
        weight,
        params,
        body_line,
        digest,
        diagnostics,
    ) = fields
    note = Note(
        source=Path(_str(source)),
        rel=_str(rel),
        display_path=_str(display_path),
        section=_str(section),
        slug=_str(slug),
        url=_str(url),
        title=_str(title),
        date=_dec_when(date, tz),
        lastmod=_dec_when(lastmod, tz),
        description=_str(description),
        tags=_strs(tags),
        series=_strs(series),
        draft=bool(draft),
        weight=_int(weight),
        params=_dec_value(params),
        body="",
        body_line=_int(body_line),
        digest=_str(digest),
        diagnostics=[_dec_diag(d) for d in diagnostics],
        body_loaded=False,
    )
    facts = None
    if f is not None:
        summary, minutes, links, fact_diags, refs = f
        if type(refs) is not dict:
            raise TypeError("refs must be an object")
        facts = NoteFacts(
            _str(summary),
            _int(minutes),
            _links(links),
            [_dec_diag(d) for d in fact_diags],
            {_str(k): (None if x is None else _str(x)) for k, x in refs.items()},
        )
    return NoteRecord((_int(mtime), _int(size)), note, _str(key), facts)


def load_notes(
    folder: Path, context: str, tz: dt.tzinfo
) -> tuple[dict[str, NoteRecord], str | None]:
    """Source path -> :class:`NoteRecord`, and a problem to warn about. Nothing is taken
    from a file that is missing, made for other settings (``context``: renderer version,
    code, config fingerprint and project) or corrupt (its first line holds a checksum of
    the rest, one note per line, and every field is type-checked)."""
    path = folder / NOTES_FILE
    try:
        raw = path.read_bytes()
    except OSError:
        return {}, None
    try:
        head_raw, _, payload = raw.partition(b"\n")
        head = json.loads(head_raw)
        if head.get("format") != NOTES_FORMAT or head.get("context") != context:
            return {}, None
        if head.get("sha256") != hashlib.sha256(payload).hexdigest():
            raise ValueError("checksum mismatch")
        records: dict[str, NoteRecord] = {}
        lines = payload.decode("utf-8").split("\n") if payload else []
        values = json.loads("[" + ",".join(lines) + "]")  # one parse for all the lines
        for line, value in zip(lines, values, strict=True):
            record = _dec_record(value, tz)
            record.line = line
            records[str(value[0])] = record
        return records, None
    except (ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        return {}, f"ignoring corrupt cache {path}: {exc.__class__.__name__}"


def save_notes(
    folder: Path, context: str, records: dict[str, NoteRecord], tz: dt.tzinfo
) -> None:
    """Write the records, one line each; a record read from the file and not changed since
    is written back as it was read."""
    lines: list[str] = []
    for path, record in records.items():
        if record.line is None:
            try:
                record.line = json.dumps(_enc_record(path, record, tz), ensure_ascii=False)
            except TypeError:
                continue  # a value JSON cannot hold: this note is simply read again next time
        lines.append(record.line)
    payload = "\n".join(lines)
    digest = hashlib.sha256(payload.encode()).hexdigest()
    head = json.dumps({"format": NOTES_FORMAT, "context": context, "sha256": digest})
    _atomic_write(folder, NOTES_FILE, head + "\n" + payload)


# -- templates.json: template hashes, valid while no file in templates/ changed -------------
TEMPLATES_FILE = "templates.json"
TEMPLATES_FORMAT = "awsnotes-template-hashes/1"


def load_templates(folder: Path, stamp: str) -> dict[str, Any]:
    hashes = _read_json(folder, TEMPLATES_FILE, TEMPLATES_FORMAT, "stamp", stamp).get("hashes")
    return hashes if isinstance(hashes, dict) else {}


def save_templates(folder: Path, stamp: str, hashes: dict[str, Any]) -> None:
    if load_templates(folder, stamp) == hashes:
        return
    blob = json.dumps({"format": TEMPLATES_FORMAT, "stamp": stamp, "hashes": hashes})
    _atomic_write(folder, TEMPLATES_FILE, blob)


# -- related.json: related notes, valid for one set of (path, tags) in order ---------------
RELATED_FILE = "related.json"
RELATED_FORMAT = "awsnotes-related/1"


def load_related(folder: Path, digest: str) -> dict[str, list[str]] | None:
    data = _read_json(folder, RELATED_FILE, RELATED_FORMAT, "key", digest)
    try:
        return {str(k): [str(r) for r in v] for k, v in data["related"].items()}
    except (KeyError, TypeError, AttributeError):
        return None


def save_related(folder: Path, digest: str, related: dict[str, list[str]]) -> None:
    blob = json.dumps(
        {"format": RELATED_FORMAT, "key": digest, "related": related}, ensure_ascii=False
    )
    _atomic_write(folder, RELATED_FILE, blob)


def _read_json(folder: Path, name: str, fmt: str, field: str, value: str) -> dict[str, Any]:
    """``folder/name`` as JSON if it is a dict made in format ``fmt`` with ``field`` equal
    to ``value`` (the settings it was made for); else ``{}`` (missing, corrupt, foreign)."""
    try:
        data = json.loads((folder / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != fmt or data.get(field) != value:
        return {}
    return data


def _atomic_write(folder: Path, name: str, blob: str) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(blob)
        os.replace(tmp, folder / name)
    except OSError:
        pass  # a cache that cannot be written only costs time
