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

from typing import TYPE_CHECKING, Any

from awsnotes_site.search.index import (
    CHOSEONG,
    COUNT_CAP,
    GRAM_RANGES,
    INDEX_VERSION,
    MANIFEST,
    MAX_HITS,
    MAX_TERM_CHARS,
    MAX_TERMS,
    PROXIMITY_MAX,
    SHARD_DIR,
    SHARD_DOCS,
    SUFFIXES,
    TAG_BONUS,
    Keys,
    SearchDoc,
    ShardMemo,
    build_index,
    build_manifest,
    build_shard,
    choseong_of,
    choseong_view,
    clean,
    compact_view,
    decode_postings,
    encode_postings,
    fold,
    gram_keys,
    is_gram_char,
    note_key_sets,
    packed_keys,
    shard_count,
    shard_of,
    shard_path,
    word_keys,
)

if TYPE_CHECKING:
    from awsnotes_site.search.query import (
        Field,
        Hit,
        LoadedIndex,
        Shard,
        Term,
        candidates_for,
        load_index,
        locate,
        parse_query,
        proximity,
        search,
        strip_suffix,
    )


def __getattr__(name: str) -> Any:
    """The reference query (``search.query``), imported when first asked for: a build
    needs only the index. (A name of ``__all__`` that reaches here is one of its.)"""
    if name in __all__:
        from awsnotes_site.search import query

        return getattr(query, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CHOSEONG",
    "COUNT_CAP",
    "Field",
    "GRAM_RANGES",
    "Hit",
    "INDEX_VERSION",
    "Keys",
    "LoadedIndex",
    "MANIFEST",
    "MAX_HITS",
    "MAX_TERMS",
    "MAX_TERM_CHARS",
    "PROXIMITY_MAX",
    "SHARD_DIR",
    "SHARD_DOCS",
    "SUFFIXES",
    "SearchDoc",
    "Shard",
    "ShardMemo",
    "TAG_BONUS",
    "Term",
    "build_index",
    "build_manifest",
    "build_shard",
    "candidates_for",
    "choseong_of",
    "choseong_view",
    "clean",
    "compact_view",
    "decode_postings",
    "encode_postings",
    "fold",
    "gram_keys",
    "is_gram_char",
    "load_index",
    "locate",
    "note_key_sets",
    "packed_keys",
    "parse_query",
    "proximity",
    "search",
    "shard_count",
    "shard_of",
    "shard_path",
    "strip_suffix",
    "word_keys",
]
