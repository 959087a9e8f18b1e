"""The search index: keys, postings, shards and the manifest (see the package's notes)."""

from __future__ import annotations

import json
import operator
import re
import unicodedata
import zlib
from bisect import insort
from collections import defaultdict, deque
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import repeat
from typing import Any

from awsnotes_site.text import script_safe_json

INDEX_VERSION = 2
MANIFEST = "search-index.json"
SHARD_DIR = "search-index"
SHARD_DOCS = 128  # at most this many notes per shard on average (see shard_count)

# Scripts indexed by character n-grams: Hangul jamo, kana, compatibility jamo, Han, syllables.
GRAM_RANGES = (
    "\u1100-\u11ff\u3040-\u30ff\u3131-\u318e\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uf900-\ufaff"
)
_GRAM_RUN = re.compile(f"[{GRAM_RANGES}]+(?: [{GRAM_RANGES}]+)*")
_WORD_RUN = re.compile(f"[^\\W_{GRAM_RANGES}]+")
_RUN_PAIRS = re.compile("[^\0][^\0]")  # in runs joined by "\0": pairs from a run's start
_RUN_ODD_PAIRS = re.compile("(?<=[^\0])[^\0][^\0]")  # ... and from its second character
_RUN_SINGLES = re.compile("(?<![^\0])[^\0](?![^\0])")  # runs of one character
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
_SPACES = re.compile(r"\s+")
_SURROGATE = re.compile("[\ud800-\udfff]")

HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3
CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_CHOSEONG_SET = frozenset(CHOSEONG)

# Particles and common endings stripped from the end of a query term (longest first).
_PARTICLES = """
    에서부터 으로부터 에게서는 이라는 이라고 에서는 에서도 에서의 에게는 으로는 으로도 으로의
    으로써 으로서 이라도 까지는 부터는 보다는 로부터 에게서 처럼 만큼 에서 에게 한테 께서 까지
    부터 보다 마다 조차 밖에 이나 이란 이며 이고 이다 이랑 라는 라고 로는 로도 로의 로써 로서
    와는 과는 와의 과의 에는 에도 에만 은 는 이 가 을 를 의 에 도 만 와 과 로 랑 나
"""
_ENDINGS = """
    합니다 됩니다 한다 했다 하는 하고 하면 하여 해서 하기 하지 했던 하며 된다 되는 되어 됐다 되면
    되고 하다 되다 할 한 함 된 됨
"""
SUFFIXES: tuple[str, ...] = tuple(
    sorted(set(_PARTICLES.split() + _ENDINGS.split()), key=lambda s: (-len(s), s))
)

MAX_TERMS = 10
MAX_TERM_CHARS = 64
MAX_HITS = 10  # occurrences looked at per term and field (= COUNT_CAP)
COUNT_CAP = 10
TAG_BONUS = 8
PROXIMITY_MAX = 32

_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
_DIGIT = {c: i for i, c in enumerate(_ALPHABET)}


@dataclass(frozen=True)
class SearchDoc:
    url: str  # site-relative URL path, e.g. "posts/x/"
    title: str
    date: str  # ISO date or ""
    tags: list[str]
    text: str  # plain text of the note
    # (grams, words) from note_key_sets(title, tags, text), each "\0"-joined, if known
    # already (the build keeps them with each rendered note, so a shard is rebuilt
    # without re-tokenizing it)
    packed: tuple[str, str] | None = None


# -- text --------------------------------------------------------------------------------
def clean(text: str) -> str:
    """What the index stores: NFC, no invisible characters, single spaces, valid UTF-8."""
    # The usual case, checked in C: nothing but NFC and the outer spaces to fix (every
    # whitespace but " ", invisible character and surrogate is not printable).
    if text.isprintable() and "  " not in text:
        return unicodedata.normalize("NFC", text).strip(" ")
    text = _SURROGATE.sub("\ufffd", text)
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    return _SPACES.sub(" ", text).strip()


def fold(text: str) -> str:
    """Lower case without changing the length (so positions stay valid for the original)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def is_gram_char(ch: str) -> bool:
    return _GRAM_RUN.fullmatch(ch) is not None  # (one pattern less to compile at import)


def gram_keys(folded: str) -> set[str]:
    """Bigrams of n-gram-script runs (spaces inside a run ignored); unigrams of 1-char runs."""
    # All runs at once, spaces dropped, "\0" between runs, read by three regexes (no
    # Python loop per run or per pair): the pairs at even offsets of each run, those at
    # odd offsets, and the runs of one character.
    joined = "\0".join(_GRAM_RUN.findall(folded)).replace(" ", "")
    keys = set(_RUN_PAIRS.findall(joined))
    keys.update(_RUN_ODD_PAIRS.findall(joined))
    keys.update(_RUN_SINGLES.findall(joined))
    return keys


def word_keys(folded: str) -> set[str]:
    """Maximal runs of letters and digits outside the n-gram scripts."""
    return set(_WORD_RUN.findall(folded))


def choseong_of(ch: str) -> str:
    code = ord(ch)
    if HANGUL_FIRST <= code <= HANGUL_LAST:
        return CHOSEONG[(code - HANGUL_FIRST) // 588]
    return ch


def compact_view(folded: str) -> tuple[str, list[int]]:
    """The text without spaces, and for each of its characters the index in ``folded``."""
    chars: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(folded):
        if ch != " ":
            chars.append(ch)
            where.append(i)
    return "".join(chars), where


def choseong_view(folded: str) -> tuple[str, list[int]]:
    """:func:`compact_view` with every syllable replaced by its initial consonant."""
    text, where = compact_view(folded)
    return "".join(choseong_of(c) for c in text), where


# -- postings ----------------------------------------------------------------------------
def encode_postings(ids: Sequence[int], n: int) -> str:
    """Sorted doc ids as a compact ASCII string.

    ``*``: all ``n`` docs. ``~`` + bitmap: 6 docs per character (doc ``6k+j`` is bit ``j``
    of character ``k``), trailing zero characters dropped. Otherwise the gaps
    ``id[0]``, ``id[i] - id[i-1] - 1`` as base-32 numbers, most significant digit first;
    a digit ``d`` is ``_ALPHABET[d]`` when it is the last of its number, else
    ``_ALPHABET[32 + d]``.
    """
    if len(ids) == n and n > 0:
        return "*"
    if ids and ids[-1] < len(_GAP) - 1:  # small ids (every shard): table look-ups in C
        if len(ids) == 1:  # most keys are in one note
            return _GAP[ids[0] + 1]
        bitmap_len = (n + 5) // 6 + 1
        if len(ids) <= bitmap_len:
            varint = "".join(map(_GAP.__getitem__, map(operator.sub, ids, [-1, *ids])))
            if len(varint) <= bitmap_len:
                return varint
        return _bitmap(ids, n)
    bitmap_len = (n + 5) // 6 + 1
    if len(ids) > bitmap_len:  # every gap takes a character: the varint cannot be shorter
        return _bitmap(ids, n)
    out: list[str] = []
    prev = -1
    for i in ids:
        gap = i - prev - 1
        prev = i
        digits = [_ALPHABET[gap & 31]]
        gap >>= 5
        while gap:
            digits.append(_ALPHABET[32 + (gap & 31)])
            gap >>= 5
        out.extend(reversed(digits))
    varint = "".join(out)
    if len(varint) <= bitmap_len:
        return varint
    return _bitmap(ids, n)


# _GAP[d]: the base-32 digits of the gap d - 1 (d = id - previous id), for ids < 1024.
_GAP = [""] + [
    _ALPHABET[i] if i < 32 else _ALPHABET[32 + (i >> 5)] + _ALPHABET[i & 31] for i in range(1024)
]
_POW2 = [1 << i for i in range(1024)]
# Two octal digits (low, high) -> the bitmap character of those 6 bits.
_OCTAL_PAIR = {f"{lo}{hi}": _ALPHABET[lo + 8 * hi] for lo in range(8) for hi in range(8)}
_PAIRS = re.compile("..")


def _bitmap(ids: Sequence[int], n: int) -> str:
    if ids[-1] < len(_POW2):  # the bits as one int, its octal digits read in pairs
        digits = format(sum(map(_POW2.__getitem__, ids)), "o")[::-1]
        if len(digits) % 2:
            digits += "0"
        return "~" + "".join(map(_OCTAL_PAIR.__getitem__, _PAIRS.findall(digits)))
    bits = [0] * ((n + 5) // 6)
    for i in ids:
        bits[i // 6] |= 1 << (i % 6)
    return "~" + "".join([_ALPHABET[b] for b in bits]).rstrip("0")


def decode_postings(code: str, n: int) -> list[int]:
    if code == "*":
        return list(range(n))
    if code.startswith("~"):
        return [6 * k + j for k, c in enumerate(code[1:]) for j in range(6) if _DIGIT[c] >> j & 1]
    ids: list[int] = []
    prev = -1
    value = 0
    for c in code:
        d = _DIGIT[c]
        if d >= 32:
            value = value * 32 + d - 32
        else:
            prev = prev + value * 32 + d + 1
            ids.append(prev)
            value = 0
    return ids


# -- building ----------------------------------------------------------------------------
def note_key_sets(title: str, tags: Sequence[str], text: str) -> tuple[set[str], set[str]]:
    """A note's distinct gram and word keys, from its title, tags and plain text."""
    folded = fold(" ".join([clean(title), *[clean(t) for t in tags], clean(text)]))
    return gram_keys(folded), word_keys(folded)


def packed_keys(title: str, tags: Sequence[str], text: str) -> tuple[str, str]:
    """:func:`note_key_sets`, each set as one "\\0"-joined string (no key holds a NUL):
    two objects per note instead of thousands, as the build keeps them in memory and in
    the render cache (``SearchDoc.packed``)."""
    grams, words = note_key_sets(title, tags, text)
    return "\0".join(grams), "\0".join(words)


@lru_cache(maxsize=100_000)
def _text_keys(title: str, tags: tuple[str, ...], text: str) -> tuple[set[str], set[str]]:
    """:func:`note_key_sets` memoised, for docs given without their keys: a rebuild after
    editing one note re-tokenizes only that note."""
    return note_key_sets(title, tags, text)


StoredKey = tuple[str, str, str, tuple[str, ...], str]  # url, title, date, tags, text


def _stored(url: str, title: str, date: str, tags: tuple[str, ...], text: str) -> dict[str, Any]:
    """A doc's stored fields (kept per shard by :meth:`ShardMemo.stored`)."""
    return {
        "url": clean(url),
        "title": clean(title),
        "date": clean(date),
        "tags": [clean(t) for t in tags],
        "text": clean(text),
    }


def shard_count(n_docs: int) -> int:
    """Shards for N_DOCS notes: a power of two with at most SHARD_DOCS notes per shard on
    average (1 up to SHARD_DOCS notes), so an edit re-encodes about 1/count of the index."""
    count = 1
    while n_docs > count * SHARD_DOCS:
        count *= 2
    return count


def shard_of(url: str, count: int) -> int:
    """The shard of the note at URL: CRC-32 of its UTF-8 bytes, so it is the same on every
    run and machine and does not move when other notes are added (while COUNT holds;
    when COUNT doubles, shard k splits into k and k + count)."""
    return zlib.crc32(url.encode("utf-8", "surrogatepass")) % count


def shard_path(k: int, count: int) -> str:
    """Site-relative path of shard K of COUNT, e.g. ``search-index/03.json``."""
    width = max(2, len(str(count - 1)))
    return f"{SHARD_DIR}/{k:0{width}d}.json"


Keys = tuple[Collection[str], Collection[str]]  # a doc's distinct gram and word keys


@dataclass
class ShardMemo:
    """What :func:`build_shard` posted for one shard: its docs' URLs and keys (as given:
    packed strings are the rendered notes' own objects), the postings and their codes.
    A rebuild of the same docs in the same order re-posts only the docs whose keys
    differ (a live-preview edit: one doc), instead of every key of every doc."""

    urls: list[str] = field(default_factory=list)
    keys: list[tuple[str, str] | None] = field(default_factory=list)  # SearchDoc.packed
    postings: tuple[dict[str, list[int]], dict[str, list[int]]] = field(
        default_factory=lambda: ({}, {})
    )
    codes: tuple[dict[str, str], dict[str, str]] = field(default_factory=lambda: ({}, {}))
    fields: dict[StoredKey, dict[str, Any]] = field(default_factory=dict)  # this build's docs

    def stored(self, docs: Sequence[SearchDoc]) -> list[dict[str, Any]]:
        """Each doc's stored fields, cleaned again only for the docs that changed since the
        last build of this shard (by values whose hashes Python keeps with the strings);
        what the memo keeps is this build's docs only, so a long preview session does not
        keep every version of every note's text."""
        before = self.fields
        now: dict[StoredKey, dict[str, Any]] = {}
        out: list[dict[str, Any]] = []
        for d in docs:
            key = (d.url, d.title, d.date, tuple(d.tags), d.text)
            now[key] = stored = before.get(key) or _stored(*key)
            out.append(stored)
        self.fields = now
        return out

    def reset(self, docs: Sequence[SearchDoc]) -> None:
        grams: defaultdict[str, list[int]] = defaultdict(list)
        words: defaultdict[str, list[int]] = defaultdict(list)
        for doc_id, d in enumerate(docs):
            doc_grams, doc_words = _keys_of(d)
            # ids[key].append(doc_id) for every key, looped in C
            _drain(map(list.append, map(grams.__getitem__, doc_grams), repeat(doc_id)))
            _drain(map(list.append, map(words.__getitem__, doc_words), repeat(doc_id)))
        self.urls = [d.url for d in docs]
        self.keys = [d.packed for d in docs]
        self.postings = (dict(grams), dict(words))
        self.codes = ({}, {})

    def update(self, docs: Sequence[SearchDoc]) -> None:
        """Re-post the docs whose keys changed (same URLs, same order as last time)."""
        for doc_id, d in enumerate(docs):
            now = d.packed
            before = self.keys[doc_id]
            if now is before or (now is not None and now == before):
                continue  # None (keys from the text): always re-posted
            old = _unpack(before) if before is not None else ((), ())
            for kind, (new_keys, old_keys) in enumerate(zip(_keys_of(d), old, strict=True)):
                postings, codes = self.postings[kind], self.codes[kind]
                new_set, old_set = set(new_keys), set(old_keys)
                for key in old_set - new_set:
                    ids = postings[key]
                    ids.remove(doc_id)
                    if not ids:
                        del postings[key]
                    codes.pop(key, None)
                for key in new_set - old_set:
                    insort(postings.setdefault(key, []), doc_id)
                    codes.pop(key, None)
            self.keys[doc_id] = now

    def encoded(self, kind: int, n: int) -> dict[str, str]:
        postings, codes = self.postings[kind], self.codes[kind]
        out: dict[str, str] = {}
        for key in sorted(postings):
            code = codes.get(key)
            if code is None:
                code = codes[key] = encode_postings(postings[key], n)
            out[key] = code
        return out


def _unpack(packed: tuple[str, str]) -> Keys:
    grams, words = packed
    return (grams.split("\0") if grams else []), (words.split("\0") if words else [])


def _keys_of(d: SearchDoc) -> Keys:
    if d.packed is not None:
        return _unpack(d.packed)
    return _text_keys(d.title, tuple(d.tags), d.text)


def build_shard(docs: Sequence[SearchDoc], memo: ShardMemo | None = None) -> str:
    """The JSON text of one shard holding DOCS (ids are positions in DOCS). With MEMO,
    what the last build of this shard posted is updated instead of rebuilt when the docs
    are the same notes in the same order."""
    memo = memo if memo is not None else ShardMemo()
    if memo.urls == [d.url for d in docs] and memo.urls:
        memo.update(docs)
    else:
        memo.reset(docs)
    n = len(docs)
    shard = {
        "version": INDEX_VERSION,
        "docs": memo.stored(docs),
        "grams": memo.encoded(0, n),
        "words": memo.encoded(1, n),
    }
    return _dump(shard)


def build_manifest(count: int) -> str:
    """The JSON text of ``search-index.json``: the version, the particle list and the
    paths of the COUNT shards, relative to the manifest (so a site under a sub-path
    works)."""
    manifest = {
        "version": INDEX_VERSION,
        "suffixes": list(SUFFIXES),
        "shards": [shard_path(k, count) for k in range(count)],
    }
    return _dump(manifest)


def build_index(docs: Sequence[SearchDoc], count: int | None = None) -> dict[str, str]:
    """Every file of the index for DOCS as {site-relative path: JSON text}: the manifest
    (``search-index.json``) and COUNT shards (default :func:`shard_count`), each shard's
    notes in the order of DOCS. The build plans the same files one by one."""
    count = shard_count(len(docs)) if count is None else count
    groups: list[list[SearchDoc]] = [[] for _ in range(count)]
    for d in docs:
        groups[shard_of(d.url, count)].append(d)
    files = {MANIFEST: build_manifest(count)}
    for k, group in enumerate(groups):
        files[shard_path(k, count)] = build_shard(group)
    return files


_drain: Callable[[Iterable[Any]], None] = deque(maxlen=0).extend  # runs an iterator out


def _dump(data: dict[str, Any]) -> str:
    return script_safe_json(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
