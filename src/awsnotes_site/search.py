"""Korean full-text search: the static index (``search-index.json`` and its shards) and a
reference query.

Why not a word index
--------------------
Korean glues particles and endings to words (``엔드포인트를``, ``배치한다``) and writes
compounds with or without spaces, so an index of space-separated words (Pagefind, lunr)
misses a query for ``엔드포인트`` or for the middle of a word. This index works on
characters instead:

Keys (all computed on *folded* text: NFC, lower case, invisible characters dropped)
  * **grams** -- for Hangul (and kana/Han): every *syllable bigram* of every run of such
    characters, where runs separated only by spaces count as one run (``배치 그룹`` gives
    ``배치``, ``치그``, ``그룹``), so spacing does not matter; a run of one character is
    kept as a *unigram* key. Any query of two or more syllables, whether from the start,
    the middle or the end of a word, has all its bigrams among a matching note's keys.
  * **words** -- every maximal run of other letters and digits (``imdsv2``, ``curl``,
    ``169``, ``254``). A query run matches every word key that *contains* it (the client
    scans the word list), so ``ipv`` finds ``public-ipv4`` and case never matters.
  * initial consonants (choseong, ``ㅂㅊㄱㄹ``) get no keys of their own: 19 letters make
    keys that nearly every note has, which cost more bytes than they filter (measured in
    ``bench/search_bench.py``). They are matched by scanning a *choseong view* of each
    note, which the client derives from the stored text: spaces dropped, each syllable
    replaced by its initial consonant (``배치 그룹`` -> ``ㅂㅊㄱㄹ``), other characters kept.

Shards
  ``search-index.json`` is a small manifest: ``version``, ``suffixes`` and ``shards``, the
  paths of the shard files relative to the manifest (``search-index/00.json``...), so a
  site under a sub-path works. A note's shard is the CRC-32 of its URL modulo the shard
  count (:func:`shard_of`), a power of two with at most 128 notes per shard on average
  (:func:`shard_count`; one shard up to 128 notes). A note therefore stays in its shard
  when others are added, and an edit rebuilds only its shard: the build plans each shard
  as a generated file depending on its notes. More shards would make an edit cheaper still
  but repeat common keys in every shard (8 shards: +23 % gzipped bytes at 1,000 notes,
  ``bench/search_bench.py``).

Each shard has its own ``docs`` and its own ``grams`` and ``words`` tables. Each key maps
to the ids (positions in the shard's ``docs``) of the notes that have it, encoded as a
short ASCII string (see :func:`encode_postings`): ``*`` for every note, ``~`` and a
6-bits-per-character bitmap for common keys, else gaps between ids as base-32 varints.

Docs
  ``docs`` keeps, per note (newest first within a shard), ``url`` (site-relative),
  ``title``, ``date``, ``tags`` and the whole plain ``text`` (NFC, whitespace collapsed to
  single spaces): keys only pick candidates, the text verifies them and gives the snippet.

Query (this module's :func:`search` is the reference; ``static/js/search.js`` does the same)
  1. The query is folded and split on spaces into *terms* (all must match). A term made of
     initial consonants (and maybe letters/digits, but no syllables) is a *choseong* term.
     A text term ending in a particle or common ending (``는``, ``를``, ``에서``, ``한다``...)
     also gets its *stem* as a fallback variant, if a stem of two or more syllables (or
     ending in a letter/digit: ``VPC의``) remains.
  2. Candidates, in each shard: per variant, AND of its runs' keys (bigrams of a Hangul
     run; for a single syllable, every gram key containing it; for a letter/digit run,
     every word key containing it); OR over variants; AND over terms. A term with no keys (choseong,
     punctuation) does not narrow the candidates.
  3. Verification, per candidate and term, in the title, each tag and the text: the exact
     term as written, else with spaces ignored (``배치그룹`` in ``배치 그룹``); its stem
     likewise; a choseong term as written, else in the choseong view. A candidate that
     misses a term in all of them is dropped.
  4. Ranking: the number of terms found in the title first; then the score, the sum over
     terms of points per occurrence in the text (exact: 4 as written, 3 with spaces
     ignored; stem: 2 or 1 more; choseong view: 3), each count capped at 10, plus 8 for a
     term found in a tag, plus up to 32 for terms close together (the smallest stretch of
     text holding every term); then the newer date; then the URL (as JavaScript compares
     strings). One ranking for the hits of all shards, so the sharding never shows.

The particle list travels in the manifest (``suffixes``), so the client and this module
cannot disagree about stems.

Every file is valid UTF-8 (lone surrogates replaced) and ``<``, ``>``, ``&``, U+2028 and
U+2029 are written as ``\\u`` escapes, so the index can be inlined in a ``<script>``.
"""

from __future__ import annotations

import json
import operator
import posixpath
import re
import unicodedata
import zlib
from bisect import insort
from collections import defaultdict, deque
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
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


@lru_cache(maxsize=32_768)
def _stored(url: str, title: str, date: str, tags: tuple[str, ...], text: str) -> dict[str, Any]:
    """A doc's stored fields; memoised (by values whose hashes Python keeps with the
    strings), so a live-preview rebuild cleans only the edited notes' text again."""
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
        "docs": [_stored(d.url, d.title, d.date, tuple(d.tags), d.text) for d in docs],
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


# -- the reference query (static/js/search.js implements the same) -------------------------
@dataclass
class Field:
    """One searchable string of a doc, with its views built on demand."""

    text: str
    folded: str = ""
    _compact: tuple[str, list[int]] | None = None
    _choseong: tuple[str, list[int]] | None = None

    def __post_init__(self) -> None:
        self.folded = fold(self.text)

    def view(self, kind: str) -> tuple[str, list[int] | None]:
        if kind == "literal":
            return self.folded, None
        if kind == "compact":
            if self._compact is None:
                self._compact = compact_view(self.folded)
            return self._compact
        if self._choseong is None:
            self._choseong = choseong_view(self.folded)
        return self._choseong


@dataclass
class Term:
    text: str
    choseong: bool
    variants: list[str]
    has_gram: bool


@dataclass
class Hit:
    shard: int  # position of the note's shard in the manifest
    id: int  # position of the note in its shard
    url: str
    title: str
    date: str
    title_hits: int
    score: int
    ranges: dict[str, list[tuple[int, int]]] = field(default_factory=dict)


def strip_suffix(term: str) -> str | None:
    """The stem of TERM without a trailing particle/ending, if a useful stem is left."""
    for suffix in SUFFIXES:
        if len(term) > len(suffix) and term.endswith(suffix):
            stem = term[: -len(suffix)]
            tail = 0
            while tail < len(stem) and is_gram_char(stem[-1 - tail]):
                tail += 1
            if tail == 0 or tail >= 2:
                return stem
            return None
    return None


def parse_query(query: str) -> list[Term]:
    terms: list[Term] = []
    seen: set[str] = set()
    for raw in fold(clean(query)).split(" "):
        text = raw[:MAX_TERM_CHARS]
        if not text or text in seen:
            continue
        seen.add(text)
        has_syllable = any(HANGUL_FIRST <= ord(c) <= HANGUL_LAST for c in text)
        choseong = not has_syllable and any(c in _CHOSEONG_SET for c in text)
        variants = [text]
        if not choseong:
            stem = strip_suffix(text)
            if stem:
                variants.append(stem)
        terms.append(Term(text, choseong, variants, any(is_gram_char(c) for c in text)))
        if len(terms) == MAX_TERMS:
            break
    return terms


@dataclass
class Shard:
    docs: list[dict[str, Any]]
    grams: dict[str, str]
    words: dict[str, str]

    @property
    def n(self) -> int:
        return len(self.docs)


@dataclass
class LoadedIndex:
    """The manifest's particle list and every shard of a site's index."""

    suffixes: list[str]
    shards: list[Shard]

    @property
    def docs(self) -> list[dict[str, Any]]:
        """Every note of every shard, shard by shard."""
        return [d for shard in self.shards for d in shard.docs]

    @property
    def n(self) -> int:
        return sum(shard.n for shard in self.shards)


def _checked(text: str, what: str) -> dict[str, Any]:
    data = json.loads(text)
    if not isinstance(data, dict) or data.get("version") != INDEX_VERSION:
        version = data.get("version") if isinstance(data, dict) else None
        raise ValueError(f"{what}: search index version {version!r} is not {INDEX_VERSION}")
    return data


def load_index(
    files: Mapping[str, str] | Callable[[str], str], manifest: str = MANIFEST
) -> LoadedIndex:
    """The index whose manifest is at the site-relative path MANIFEST; FILES gives the text
    of a site-relative path (a mapping such as :func:`build_index`'s result, or a function
    reading the built site). Shard paths are resolved against the manifest's folder."""
    read = files.__getitem__ if isinstance(files, Mapping) else files
    data = _checked(read(manifest), manifest)
    folder = posixpath.dirname(manifest)
    shards = []
    for rel in data["shards"]:
        path = posixpath.normpath(posixpath.join(folder, rel))
        part = _checked(read(path), path)
        shards.append(Shard(part["docs"], part["grams"], part["words"]))
    return LoadedIndex(list(data["suffixes"]), shards)


def _runs(text: str) -> Iterable[tuple[bool, str]]:
    """(is_gram, run) for the n-gram-script runs and letter/digit runs of TEXT."""
    for m in re.finditer(f"[{GRAM_RANGES}]+|[^\\W_{GRAM_RANGES}]+", text):
        yield is_gram_char(m.group()[0]), m.group()


def candidates_for(shard: Shard, variant: str, choseong: bool) -> set[int] | None:
    """Ids of the notes of SHARD that may contain VARIANT; None when its keys do not narrow
    anything."""
    result: set[int] | None = None
    n = shard.n
    for is_gram, run in _runs(variant):
        if is_gram and choseong:
            continue  # initial consonants have no keys
        if is_gram and len(run) >= 2:
            ids: set[int] = set(range(n))
            for i in range(len(run) - 1):
                code = shard.grams.get(run[i : i + 2])
                ids &= set(decode_postings(code, n)) if code else set()
        else:
            keys = shard.grams if is_gram else shard.words
            ids = set()
            for key, code in keys.items():
                if run in key:
                    ids.update(decode_postings(code, n))
        result = ids if result is None else result & ids
    return result


def _find(fld: Field, needle: str, kind: str) -> list[tuple[int, int]]:
    """Up to MAX_HITS non-overlapping occurrences of NEEDLE in a view of FLD, as ranges of
    FLD.text."""
    haystack, where = fld.view(kind)
    ranges: list[tuple[int, int]] = []
    start = haystack.find(needle)
    while start >= 0 and len(ranges) < MAX_HITS:
        end = start + len(needle)
        ranges.append((start, end) if where is None else (where[start], where[end - 1] + 1))
        start = haystack.find(needle, end)
    return ranges


def _find_best(fld: Field, needle: str, second: str | None) -> tuple[int, list[tuple[int, int]]]:
    """Occurrences as written (rank 1), else in the SECOND view (rank 0); rank -1: none."""
    found = _find(fld, needle, "literal")
    if found or second is None:
        return (1 if found else -1), found
    found = _find(fld, needle, second)
    return (0 if found else -1), found


def locate(fld: Field, term: Term) -> tuple[int, list[tuple[int, int]]]:
    """(score, ranges in FLD.text) of TERM in FLD; score 0 when it is not there.

    Exact term: 4 points per occurrence as written, else 3 with spaces ignored (choseong
    term: 3 in the choseong view); its stem adds 2 (as written) or 1 (spaces ignored) per
    occurrence; counts are capped at COUNT_CAP.
    """
    if term.choseong:
        rank, ranges = _find_best(fld, term.text, "choseong")
        return (3 + rank) * min(len(ranges), COUNT_CAP), ranges
    compact = "compact" if term.has_gram else None
    exact = term.variants[0]
    rank, ranges = _find_best(fld, exact, compact if len(exact) > 1 else None)
    score = (3 + rank) * min(len(ranges), COUNT_CAP) if ranges else 0
    if len(term.variants) > 1:
        stem = term.variants[1]
        srank, sranges = _find_best(fld, stem, compact if len(stem) > 1 else None)
        if sranges:
            score += (1 + srank) * min(len(sranges), COUNT_CAP)
            ranges = ranges + sranges
    return score, ranges


def proximity(ranges: list[list[tuple[int, int]]]) -> int:
    """Bonus for the smallest span of text holding one occurrence of every term."""
    if len(ranges) < 2 or any(not r for r in ranges):
        return 0
    events = sorted((start, t) for t, rs in enumerate(ranges) for start, _ in rs)
    need = len(ranges)
    counts = [0] * need
    have = 0
    best = -1
    left = 0
    for right_pos, t in events:
        counts[t] += 1
        if counts[t] == 1:
            have += 1
        while have == need:
            left_pos, lt = events[left]
            span = right_pos - left_pos
            best = span if best < 0 else min(best, span)
            counts[lt] -= 1
            if counts[lt] == 0:
                have -= 1
            left += 1
    return max(0, PROXIMITY_MAX - best // 4) if best >= 0 else 0


def search(index: LoadedIndex, query: str) -> list[Hit]:
    """Ranked hits for QUERY in every shard of INDEX (see the module docstring)."""
    terms = parse_query(query)
    if not terms:
        return []
    hits: list[Hit] = []
    for k, shard in enumerate(index.shards):
        hits += _search_shard(k, shard, terms)
    hits.sort(key=lambda h: h.url.encode("utf-16-be"))  # as JavaScript compares strings
    hits.sort(key=lambda h: h.date, reverse=True)
    hits.sort(key=lambda h: (h.title_hits, h.score), reverse=True)
    return hits


def _search_shard(k: int, shard: Shard, terms: list[Term]) -> list[Hit]:
    cand: set[int] | None = None
    for term in terms:
        term_ids: set[int] | None = set()
        for variant in term.variants:
            ids = candidates_for(shard, variant, term.choseong)
            if ids is None or term_ids is None:
                term_ids = None
            else:
                term_ids |= ids
        if term_ids is not None:
            cand = term_ids if cand is None else cand & term_ids
    hits: list[Hit] = []
    for doc_id in sorted(range(shard.n) if cand is None else cand):
        doc = shard.docs[doc_id]
        title, text = Field(doc["title"]), Field(doc["text"])
        tags = [Field(t) for t in doc["tags"]]
        title_hits = score = 0
        text_ranges: list[list[tuple[int, int]]] = []
        title_ranges: list[tuple[int, int]] = []
        ok = True
        for term in terms:
            _, in_title = locate(title, term)
            in_tag = any(locate(t, term)[1] for t in tags)
            points, in_text = locate(text, term)
            if not (in_title or in_tag or in_text):
                ok = False
                break
            title_hits += bool(in_title)
            title_ranges += in_title
            score += points + (TAG_BONUS if in_tag else 0)
            text_ranges.append(in_text)
        if not ok:
            continue
        score += proximity(text_ranges)
        hits.append(
            Hit(
                k,
                doc_id,
                doc["url"],
                doc["title"],
                doc["date"],
                title_hits,
                score,
                {"title": title_ranges, "text": sorted(r for rs in text_ranges for r in rs)},
            )
        )
    return hits
