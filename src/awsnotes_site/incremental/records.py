"""How the incremental caches encode what they keep, generated from the models' field
lists: a :class:`~awsnotes_site.model.Note` (``NOTE_STORED``), the facts of its rendering
(``FACTS_STORED``) and a rendered note (``RENDERED_HEAD`` and ``RENDERED_BODY``). Each
field is encoded by the codec of its declared type (:data:`CODECS`); a field the lists do
not cover, or of a type without a codec, stops the import (:func:`field_codecs`).

``.cache/notes.json`` holds every note's front matter (without its body) and facts, one
record per line, keyed by the file's size and modification time; the first line holds a
checksum of the rest. JSON, not pickle: a foreign or corrupt entry is ignored with a
warning and can never run code."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import Any

from awsnotes_site.diagnostics import Diagnostic, Severity
from awsnotes_site.markdown import NoteFacts, RenderedNote
from awsnotes_site.markdown.context import LinkRef, TocEntry
from awsnotes_site.model.note import NOTE_NOT_STORED, NOTE_STORED, FieldNotCovered, Note, covered
from awsnotes_site.model.views import SearchPart

# -- what is kept of the rendering models (markdown's), and why the rest is left out -------
FACTS_STORED = ("summary", "minutes", "links", "diagnostics", "refs", "features", "wiki")
FACTS_NOT_STORED: dict[str, str] = {}
RENDERED_HEAD = ("text", "search_keys")  # the first line of a render cache entry
RENDERED_BODY = (
    "html", "toc", "links", "diagnostics", "refs", "shortcodes", "features", "wiki",
    "first_image",
)  # fmt: skip
RENDERED_NOT_STORED: dict[str, str] = {}


# -- codecs, by declared type ------------------------------------------------------------
@dataclass(frozen=True)
class Codec:
    enc: Callable[[Any, dt.tzinfo], Any]
    dec: Callable[[Any, dt.tzinfo], Any]


def _same(value: Any, tz: dt.tzinfo) -> Any:
    return value


def _str(value: Any, tz: dt.tzinfo | None = None) -> str:
    if type(value) is not str:
        raise TypeError("expected a string")
    return value


def _int(value: Any, tz: dt.tzinfo | None = None) -> int:
    if type(value) is not int:
        raise TypeError("expected an integer")
    return value


def _bool(value: Any, tz: dt.tzinfo) -> bool:
    return bool(value)


def _strs(values: Any, tz: dt.tzinfo) -> list[str]:
    if type(values) is not list or not all(type(v) is str for v in values):
        raise TypeError("expected a list of strings")
    return values


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


def _enc_diags(diags: list[Diagnostic], tz: dt.tzinfo) -> list[Any]:
    return [[d.path, d.line, d.severity.value, d.message, d.col, d.hint] for d in diags]


def _dec_diags(values: Any, tz: dt.tzinfo) -> list[Diagnostic]:
    return [
        Diagnostic(str(p), ln, Severity(sev), str(m), col, hint)
        for p, ln, sev, m, col, hint in values
    ]


def _enc_links(links: list[LinkRef], tz: dt.tzinfo) -> list[Any]:
    return [x for lk in links for x in lk]  # flat: url, line, kind, url, ...


def _dec_links(flat: Any, tz: dt.tzinfo) -> list[LinkRef]:
    """Links from ``[url, line, kind, url, ...]``, type-checked in C (``map(type, ...)``)."""
    if type(flat) is not list or len(flat) % 3:
        raise TypeError("links must be a list of url, line, kind triples")
    urls, lines, kinds = flat[0::3], flat[1::3], flat[2::3]
    if not ({*map(type, urls), *map(type, kinds)} <= {str} and {*map(type, lines)} <= {int}):
        raise TypeError("links must be a list of url, line, kind triples")
    triples = zip(urls, lines, kinds, strict=True)
    return list(map(tuple.__new__, repeat(LinkRef), triples))  # LinkRef(*t), looped in C


def _dec_refs(refs: Any, tz: dt.tzinfo) -> dict[str, str | None]:
    if type(refs) is not dict:
        raise TypeError("refs must be an object")
    return {_str(k): (None if x is None else _str(x)) for k, x in refs.items()}


def _enc_toc(toc: list[TocEntry], tz: dt.tzinfo) -> list[Any]:
    return [[t.level, t.id, t.title] for t in toc]


def _dec_toc(values: Any, tz: dt.tzinfo) -> list[TocEntry]:
    return [TocEntry(int(a), str(b), str(c)) for a, b, c in values]


def _dec_keys(v: Any, tz: dt.tzinfo) -> tuple[str, str] | None:
    if v is None:
        return None
    grams, words = v
    if not isinstance(grams, str) or not isinstance(words, str):
        raise TypeError("search keys must be strings")
    return grams, words


CODECS: dict[str, Codec] = {
    "str": Codec(_same, _str),
    "str | None": Codec(_same, lambda v, tz: None if v is None else _str(v)),
    "int": Codec(_same, _int),
    "bool": Codec(_same, _bool),
    "list[str]": Codec(_same, _strs),
    "dt.datetime | None": Codec(_enc_when, _dec_when),
    "dict[str, Any]": Codec(lambda v, tz: _enc_value(v), lambda v, tz: _dec_value(v)),
    "list[Diagnostic]": Codec(_enc_diags, _dec_diags),
    "list[LinkRef]": Codec(_enc_links, _dec_links),
    "dict[str, str | None]": Codec(_same, _dec_refs),
    "list[TocEntry]": Codec(_enc_toc, _dec_toc),
    "set[str]": Codec(lambda v, tz: sorted(v), lambda v, tz: set(_strs(v, tz))),
    "tuple[str, str] | None": Codec(lambda v, tz: None if v is None else list(v), _dec_keys),
}


def field_codecs(
    cls: type[Any], stored: tuple[str, ...], not_stored: dict[str, str]
) -> list[tuple[str, Codec]]:
    """The codec of each stored field of the dataclass ``cls``, in ``stored`` order; raises
    :class:`FieldNotCovered` for a field the lists do not cover or a type without codec."""
    covered(cls, stored, not_stored)
    types = {f.name: f.type for f in dataclasses.fields(cls)}
    out: list[tuple[str, Codec]] = []
    for name in stored:
        declared = types[name]
        kind = declared if isinstance(declared, str) else repr(declared)
        codec = CODECS.get(kind)
        if codec is None:
            raise FieldNotCovered(f"{cls.__name__}.{name}: no cache codec for type {kind}")
        out.append((name, codec))
    return out


NOTE_CODECS = field_codecs(Note, NOTE_STORED, NOTE_NOT_STORED)
FACTS_CODECS = field_codecs(NoteFacts, FACTS_STORED, FACTS_NOT_STORED)
RENDERED_CODECS = field_codecs(RenderedNote, RENDERED_HEAD + RENDERED_BODY, RENDERED_NOT_STORED)
_LASTMOD = NOTE_STORED.index("lastmod")
_UTC = dt.timezone.utc


# -- a rendered note (the render store's entries) -----------------------------------------
def encode_rendered(r: RenderedNote) -> tuple[dict[str, Any], dict[str, Any]]:
    """The search part (``RENDERED_HEAD``: read alone by search shards) and the rest."""
    values = {name: codec.enc(getattr(r, name), _UTC) for name, codec in RENDERED_CODECS}
    return {n: values[n] for n in RENDERED_HEAD}, {n: values[n] for n in RENDERED_BODY}


def search_part(head: dict[str, Any]) -> SearchPart:
    return _str(head["text"]), _dec_keys(head["search_keys"], _UTC)


def decode_rendered(head: dict[str, Any], body: dict[str, Any]) -> RenderedNote:
    values = {**head, **body}
    return RenderedNote(**{n: codec.dec(values[n], _UTC) for n, codec in RENDERED_CODECS})


# -- notes.json: every note's front matter and facts --------------------------------------
NOTES_FILE = "notes.json"
NOTES_FORMAT = "awsnotes-notes-cache/5"


@dataclass
class NoteRecord:
    """A note as the last build loaded it (without its body), keyed by the file's
    modification time and size, with the facts of its rendering under ``key`` and its
    card digest (``card``: :func:`~awsnotes_site.incremental.keys.card_digest` for that key
    and the note's ``lastmod``, ``card_lastmod``; "" when not known)."""

    stamp: tuple[int, int]
    note: Note
    key: str
    facts: NoteFacts | None
    card: str = ""
    card_lastmod: str = ""
    line: str | None = field(default=None, compare=False)  # as read, to write back as is


def _enc_record(source: str, r: NoteRecord, tz: dt.tzinfo) -> list[Any]:
    """A record as positional arrays (the order of the field lists): JSON arrays decode
    about twice as fast as objects, which matters at one record per note.
    ``source``: the note's path, the record's key (and its ``Note.source``)."""
    n = r.note
    note = [codec.enc(getattr(n, name), tz) for name, codec in NOTE_CODECS]
    if n.lastmod_from_git:
        note[_LASTMOD] = None  # applied again from git after loading
    facts = None
    if r.facts is not None:
        facts = [codec.enc(getattr(r.facts, name), tz) for name, codec in FACTS_CODECS]
    return [source, list(r.stamp), r.key, note, facts, r.card, r.card_lastmod]


def _decoder(cls: type[Any], codecs: list[tuple[str, Codec]], fixed: str) -> Callable[..., Any]:
    """A function ``(values, tz, **fixed) -> cls(...)`` that unpacks a record's positional
    array and decodes each field with its codec: generated from the field list, so that
    decoding costs one call per field (one record per note is decoded on every build)."""
    names = [name for name, _ in codecs]
    scope: dict[str, Any] = {"cls": cls}
    scope.update({f"dec_{name}": codec.dec for name, codec in codecs})
    args = ", ".join(f"{name}=dec_{name}({name}, tz)" for name in names)
    source = (
        f"def decode(values, tz{', ' if fixed else ''}{fixed}):\n"
        f"    ({', '.join(names)},) = values\n"
        f"    return cls({args}{', ' if fixed else ''}"
        f"{', '.join(f'{a}={a}' for a in fixed.split(', ') if a)})\n"
    )
    exec(source, scope)  # noqa: S102 (source made above from the field names only)
    decode: Callable[..., Any] = scope["decode"]
    return decode


_decode_note = _decoder(Note, NOTE_CODECS, "source, body, body_loaded")
_decode_facts = _decoder(NoteFacts, FACTS_CODECS, "")


def _dec_record(v: list[Any], tz: dt.tzinfo) -> NoteRecord:
    source, (mtime, size), key, values, f, card, card_lastmod = v
    note = _decode_note(values, tz, Path(_str(source)), "", False)
    facts = None if f is None else _decode_facts(f, tz)
    stamp = (_int(mtime), _int(size))
    return NoteRecord(stamp, note, _str(key), facts, _str(card), _str(card_lastmod))


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


def encode_notes(context: str, records: dict[str, NoteRecord], tz: dt.tzinfo) -> str:
    """The file's text, one record a line; a record read from the file and not changed
    since is written back as it was read."""
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
    return head + "\n" + payload
