"""The reference query over a loaded index (``static/js/search.js`` does the same)."""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from awsnotes_site.search.index import (
    _CHOSEONG_SET,
    COUNT_CAP,
    GRAM_RANGES,
    HANGUL_FIRST,
    HANGUL_LAST,
    INDEX_VERSION,
    MANIFEST,
    MAX_HITS,
    MAX_TERM_CHARS,
    MAX_TERMS,
    PROXIMITY_MAX,
    SUFFIXES,
    TAG_BONUS,
    choseong_view,
    clean,
    compact_view,
    decode_postings,
    fold,
    is_gram_char,
)


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
