"""Korean-aware text helpers: plain text, reading time, dates, summaries."""

from __future__ import annotations

import datetime as dt
import math
import re

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_LATIN_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'._-]*")

KOREAN_SYLLABLES_PER_MINUTE = 500
LATIN_WORDS_PER_MINUTE = 200


# Characters whose UTF-8 lead byte (0xEA-0xED) is that of a Hangul syllable's
# (U+AC00-D7A3) but which are not Hangul syllables.
_NOT_HANGUL_SAME_LEAD = re.compile("[\ua000-\uabff\ud7a4-\udfff]")


def hangul_syllables(text: str) -> int:
    """How many Hangul syllables TEXT has: its UTF-8 lead bytes 0xEA-0xED counted in C
    (a note's ~1,500 syllables are not made into strings), unless a character sharing
    those lead bytes is present."""
    if _NOT_HANGUL_SAME_LEAD.search(text) is not None:
        return len(_HANGUL.findall(text))
    data = text.encode("utf-8", "surrogatepass")
    return sum(map(data.count, (b"\xea", b"\xeb", b"\xec", b"\xed")))


def reading_minutes(text: str) -> int:
    """About 500 Hangul syllables and 200 Latin words a minute; at least one minute.
    (Not memoised: it runs once per rendering, kept in the note's facts; a memo keyed by
    the text kept every version of every note a preview session rendered.)"""
    syllables = hangul_syllables(text)
    words = len(_LATIN_WORD.findall(text))
    minutes = syllables / KOREAN_SYLLABLES_PER_MINUTE + words / LATIN_WORDS_PER_MINUTE
    return max(1, math.ceil(minutes))


def korean_date(value: dt.date | dt.datetime | None) -> str:
    """``2023년 3월 26일``."""
    if value is None:
        return ""
    return f"{value.year}년 {value.month}월 {value.day}일"


def summarize(text: str, limit: int = 160) -> str:
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,.") + "…"


_SCRIPT_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def script_safe_json(text: str) -> str:
    """JSON text that cannot close a ``<script>`` (or an HTML comment) it is put in:
    ``<``, ``>``, ``&`` and U+2028/9 become ``\\uXXXX`` escapes, which JSON reads back."""
    for ch, rep in _SCRIPT_ESCAPES:
        text = text.replace(ch, rep)
    return text
