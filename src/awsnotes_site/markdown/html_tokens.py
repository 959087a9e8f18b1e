"""A lossless HTML tokenizer on top of :mod:`html.parser`, for rewriting raw HTML in notes.

Every event keeps its exact source text, so parts we do not touch are written back
byte for byte; the tags we change are serialised from their parsed attributes.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it.token import Token

VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    ]
)


@dataclass(slots=True)
class Event:
    kind: str  # "start", "end", "data", "other"
    raw: str
    tag: str = ""
    attrs: list[tuple[str, str | None]] = field(default_factory=list)
    self_closing: bool = False
    changed: bool = False
    # the changed start tag as serialised, until the next change (rules join a token's
    # events after each rewrite: a figure's <img> would be serialised three times)
    serialized: str | None = field(default=None, compare=False, repr=False)

    def get(self, name: str) -> str | None:
        for key, value in self.attrs:
            if key == name:
                return value
        return None

    def set(self, name: str, value: str | None) -> None:
        for i, (key, _) in enumerate(self.attrs):
            if key == name:
                self.attrs[i] = (name, value)
                break
        else:
            self.attrs.append((name, value))
        self.changed = True
        self.serialized = None

    def remove(self, name: str) -> None:
        before = len(self.attrs)
        self.attrs = [(k, v) for k, v in self.attrs if k != name]
        self.changed = self.changed or len(self.attrs) != before
        self.serialized = None

    def text(self) -> str:
        if self.changed and self.kind == "start":
            if self.serialized is None:
                self.serialized = serialize_start(self.tag, self.attrs)
            return self.serialized
        return self.raw


def serialize_start(tag: str, attrs: list[tuple[str, str | None]]) -> str:
    parts = [tag]
    for key, value in attrs:
        parts.append(key if value is None else f'{key}="{html.escape(value, quote=True)}"')
    return "<" + " ".join(parts) + ">"


_NEWLINE = re.compile("\n")


class _Tokenizer(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.line_starts = [0, *(m.end() for m in _NEWLINE.finditer(source))]
        self.events: list[tuple[int, Event]] = []

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def _add(self, event: Event) -> None:
        self.events.append((self._offset(), event))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._add(Event("start", "", tag, list(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._add(Event("start", "", tag, list(attrs), self_closing=True))

    def handle_endtag(self, tag: str) -> None:
        self._add(Event("end", "", tag))

    def handle_data(self, data: str) -> None:
        self._add(Event("data", ""))

    def handle_entityref(self, name: str) -> None:
        self._add(Event("data", ""))

    def handle_charref(self, name: str) -> None:
        self._add(Event("data", ""))

    def handle_comment(self, data: str) -> None:
        self._add(Event("other", ""))

    def handle_decl(self, decl: str) -> None:
        self._add(Event("other", ""))

    def handle_pi(self, data: str) -> None:
        self._add(Event("other", ""))

    def unknown_decl(self, data: str) -> None:
        self._add(Event("other", ""))


# Strictly well-formed HTML, read by one regex: text without "<" or "&", end tags, and
# start tags whose attributes are ASCII names with quoted or plain values. On such input
# html.parser (whose own patterns are looser: any of it is read the same by them) gives
# the same events; anything else (comments, entities, raw-text elements, stray "<",
# unusual names or spacing) goes to html.parser. tests/test_render_fastpaths.py checks.
_WS = r"[ \t\n\r\f]"
_NAME = r"[a-zA-Z_:][-a-zA-Z0-9_:.]*"
_QUOTED = r"\"[^\"]*\"|'[^']*'"
_PLAIN = r"[^\s\"'=<>`/]+"  # then whitespace or ">": html.parser reads "a=b/>" as b/
_EVENT = re.compile(
    rf"([^<&]+)"
    rf"|<([a-zA-Z][a-zA-Z0-9-]*)"
    rf"((?:{_WS}+{_NAME}(?:{_WS}*={_WS}*(?:{_QUOTED}|{_PLAIN}(?={_WS}|>)))?)*)"
    rf"{_WS}*(/?)>"
    rf"|</([a-zA-Z][a-zA-Z0-9-]*){_WS}*>"
)
# The attributes alone (a start tag's group 3, already matched above).
_ATTRS = re.compile(rf"{_WS}+({_NAME})(?:{_WS}*={_WS}*({_QUOTED}|{_PLAIN}))?")


def _simple_events(source: str) -> list[Event] | None:
    events: list[Event] = []
    pos, end = 0, len(source)
    match = _EVENT.match
    while pos < end:
        m = match(source, pos)
        if m is None:
            return None
        kind = m.lastindex  # 1: text; 4: a start tag (groups 2-4); 5: an end tag
        if kind == 1:
            events.append(Event("data", m.group()))
        elif kind == 4:
            tag, attr_text, slash = m.group(2, 3, 4)
            tag = tag.lower()
            if tag in _RAW_TEXT:
                return None
            attrs: list[tuple[str, str | None]] = [
                (name.lower(), (value[1:-1] if value[0] in "\"'" else value) if value else None)
                for name, value in _ATTRS.findall(attr_text)
            ]  # (a value is never empty: findall's "" is an attribute without one)
            events.append(Event("start", m.group(), tag, attrs, bool(slash)))
        else:
            events.append(Event("end", m.group(), m.group(5).lower()))
        pos = m.end()
    return events


def tokenize(source: str) -> list[Event]:
    """Split ``source`` into events whose ``raw`` texts concatenate back to ``source``."""
    if "&" not in source:
        simple = _simple_events(source)
        if simple is not None:
            return simple
    return parsed_events(source)


def parsed_events(source: str) -> list[Event]:
    """:func:`tokenize` through html.parser, for any input."""
    parser = _Tokenizer(source)
    try:
        parser.feed(source)
        parser.close()
    except AssertionError:
        # html.parser gives up on some malformed markup (``<![x y=1``: "unknown status
        # keyword in marked section"); the author's raw HTML then passes through as is.
        return [Event("other", source)] if source else []
    events: list[Event] = []
    marks = parser.events
    # Any text before the first event (should not happen) is kept as data.
    if marks and marks[0][0] > 0:
        events.append(Event("data", source[: marks[0][0]]))
    for i, (start, event) in enumerate(marks):
        end = marks[i + 1][0] if i + 1 < len(marks) else len(source)
        if end <= start and event.kind == "data":
            continue
        event.raw = source[start:end]
        events.append(event)
    if not marks and source:
        events.append(Event("data", source))
    return events


def join(events: list[Event]) -> str:
    return "".join(e.text() for e in events)


# A raw HTML token's events travel in token.meta from rule to rule (URLs, figures,
# responsive images), with the content they were joined to: a rule that changes the
# content some other way leaves events that are no longer trusted.
_EVENTS, _SPELLS = "events", "events_of"


def keep_events(token: Token, events: list[Event]) -> None:
    """Set ``token.content`` to the markup of ``events`` and keep them for later rules."""
    text = join(events)
    token.content = text
    token.meta = {**(token.meta or {}), _EVENTS: events, _SPELLS: text}


def kept_events(token: Token) -> list[Event] | None:
    """The events :func:`keep_events` kept, while ``token.content`` is what they spell."""
    meta = token.meta
    if meta and meta.get(_SPELLS) is token.content:
        events: list[Event] = meta[_EVENTS]
        return events
    return None


def events_text(events: list[Event]) -> str:
    """The text content of tokenized HTML (data only, entities decoded)."""
    return html.unescape("".join(e.raw for e in events if e.kind == "data"))


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


# A tag without attributes (``<br>``, ``</U>``, ``<br/>``): what html.parser reports as a
# start, end or start-end tag, and nothing else; elements whose content html.parser (in
# some Python version) does not read as markup are left to it.
_BARE_TAG = re.compile(
    r"<([A-Za-z][A-Za-z0-9]*)[ \t\n\r\f]*/?>|</([A-Za-z][A-Za-z0-9]*)[ \t\n\r\f]*>"
)
_RAW_TEXT = frozenset(
    {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes"}
    | {"noscript", "plaintext"}
)


def plain_text(source: str) -> str:
    """The text content of an HTML fragment, entities decoded."""
    if "<" not in source and "&" not in source:
        return source
    if "&" not in source:
        # Fast path: text and bare tags only, as in ``<br>`` or ``<U>제목</U>``.
        parts = _BARE_TAG.split(source)
        texts = parts[::3]
        if not any("<" in t for t in texts) and not any(
            name.lower() in _RAW_TEXT for name in parts[1::3] if name
        ):
            return "".join(texts)
    parser = _TextCollector()
    parser.feed(source)
    parser.close()
    return "".join(parser.parts)
