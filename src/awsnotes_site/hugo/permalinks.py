"""Hugo's URL rules: ``[permalinks]`` patterns and the sanitising of path segments.

``expand("/:year/:month/:slug/", facts)`` gives the page's URL path the way Hugo 0.16x does
(checked against Hugo itself by the Hugo-compatibility tests)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

_HEX = frozenset("0123456789abcdefABCDEF")
_ALLOWED_PUNCT = frozenset("./\\_#+~-@")
TOKEN = re.compile(
    r":(slugorcontentbasename|slugorfilename|contentbasename|monthname|weekdayname|yearday|sections(?:\[[0-9:]*\])?|filename|section|weekday|month|title|slug|year|day|lang)"
)  # noqa: E501
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
KINDS = ("page", "section", "taxonomy", "term")
WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]


def _allowed(s: str, i: int, ch: str) -> bool:
    if ch == " ":
        return False
    category = unicodedata.category(ch)
    if category[0] in "LNM" and (category[0] != "N" or category == "Nd"):
        return True
    if ch in _ALLOWED_PUNCT:
        return True
    return ch == "%" and i + 2 < len(s) and s[i + 1] in _HEX and s[i + 2] in _HEX


def sanitize(text: str) -> str:
    """Hugo's path sanitiser: keeps letters, digits, marks and ``./\\_#+~-@`` (and ``%XX``);
    spaces and hyphens between kept characters become one ``-``; the rest is dropped."""
    out: list[str] = []
    hyphen = False
    for i, ch in enumerate(text):
        if _allowed(text, i, ch) and ch != "-":
            if hyphen:
                out.append("-")
                hyphen = False
            out.append(ch)
        elif out and (ch == "-" or ch.isspace()):
            hyphen = True
    if hyphen and text.endswith("-"):
        out.append("-")
    return "".join(out)


def urlize(text: str, lower: bool = True) -> str:
    """A title or slug as a URL segment (Hugo's ``urlize`` without the escaping)."""
    text = unicodedata.normalize("NFC", text.strip())
    text = sanitize(text)
    return text.lower() if lower else text


@dataclass(frozen=True)
class PageFacts:
    """What a permalink pattern can name about a page."""

    title: str
    date: dt.datetime | None
    section: str  # first folder under content/ ("" for the home section)
    sections: tuple[str, ...] = ()  # the section path, e.g. ("docs", "aws")
    slug: str = ""  # front matter slug
    filename: str = ""  # file name without extension; a bundle's folder name
    contentbasename: str = ""
    lang: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def _sections(spec: str, sections: tuple[str, ...]) -> str:
    if spec == "sections":
        return "/".join(sections)
    inner = spec[len("sections[") : -1]
    if ":" in inner:
        lo, _, hi = inner.partition(":")
        return "/".join(sections[int(lo) if lo else 0 : int(hi) if hi else None])
    index = int(inner)
    return sections[index] if 0 <= index < len(sections) else ""


def _date_token(name: str, date: dt.datetime | None) -> str | None:
    if name not in ("year", "month", "day", "monthname", "weekday", "weekdayname", "yearday"):
        return None
    if date is None:
        date = dt.datetime(1, 1, 1)
    values = {
        "year": f"{date.year:04d}",
        "month": f"{date.month:02d}",
        "day": f"{date.day:02d}",
        "monthname": MONTHS[date.month - 1],
        "weekday": str((date.weekday() + 1) % 7),
        "weekdayname": WEEKDAYS[(date.weekday() + 1) % 7],
        "yearday": str(date.timetuple().tm_yday),
    }
    return values[name]


def _token(name: str, facts: PageFacts, lower: bool) -> str:
    date = _date_token(name, facts.date)
    if date is not None:
        return date
    if name.startswith("sections"):
        return _sections(name, facts.sections)
    base = facts.contentbasename or facts.filename
    values = {
        "section": facts.section,
        "title": urlize(facts.title, lower),
        "slug": urlize(facts.slug or facts.title, lower),
        "slugorfilename": urlize(facts.slug, lower) if facts.slug else facts.filename,
        "slugorcontentbasename": urlize(facts.slug, lower) if facts.slug else base,
        "filename": facts.filename,
        "contentbasename": base,
        "lang": facts.lang,
    }
    return values[name]


def expand(pattern: str, facts: PageFacts, lower: bool = True) -> str:
    """The URL path (leading and trailing ``/`` as in the pattern) for a page."""
    path = TOKEN.sub(lambda m: _token(m.group(1), facts, lower), pattern)
    path = re.sub(r"/{2,}", "/", path)
    return path.lower() if lower else path


def permalink_rules(permalinks: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """``[permalinks]`` by page kind: ``{"page": {section: pattern}, "section": …,
    "taxonomy": {plural: pattern}, "term": …}``. Hugo 0.120's form has a table per kind;
    in the old flat form (``posts = "/:year/:slug/"``) a key names a section, whose pages
    it places, or a taxonomy, whose term pages it places (as Hugo reads it)."""
    rules: dict[str, dict[str, str]] = {kind: {} for kind in KINDS}
    for key, value in permalinks.items():
        if isinstance(value, str):
            rules["page"][key] = rules["term"][key] = value
    for kind in KINDS:
        table = permalinks.get(kind)
        if isinstance(table, Mapping):
            rules[kind].update({str(k): str(v) for k, v in table.items() if isinstance(v, str)})
    return rules
