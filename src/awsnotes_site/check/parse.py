"""Reading the output's pages and stylesheets: the ids each HTML page defines and every
URL it uses (``href``, ``src``, ``srcset`` candidates, ``poster``, ``<object data>``,
``<form action>``), and the ``url(...)`` / ``@import`` references of stylesheets.

Each file is parsed once; a big site is spread over forked workers
(:func:`awsnotes_site.parallel.fork_map`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser

from awsnotes_site.parallel import fork_map, workers
from awsnotes_site.urls import nfc

PARALLEL_PAGES = 200  # below this, parsing in one process is faster than forking
MAX_PARSE_WORKERS = 8
CHUNKS_PER_WORKER = 4  # each worker is handed this many runs of files, in turn

# <link rel> values whose href is a host or a hint, not a file of this site
_HINT_RELS = frozenset({"dns-prefetch", "preconnect", "pingback", "webmention", "me"})
_URL_ATTRS = ("href", "src", "poster", "data", "action", "srcset")
_ATTR_TAG = {"data": "object", "action": "form"}  # attributes that are URLs on one tag only
_TAG_KIND = {
    "script": "script",
    "video": "media",
    "audio": "media",
    "track": "media",
    "embed": "media",
    "object": "media",
    "iframe": "frame",
    "form": "form",
}
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_CSS_URL = re.compile(
    r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')""", re.I
)


@dataclass(frozen=True)
class UrlUse:
    """One URL a page uses: the attribute value (one ``srcset`` candidate each)."""

    url: str
    line: int
    kind: str  # link, image, stylesheet, script, media, frame, form, resource


@dataclass
class ParsedPage:
    ids: set[str] = field(default_factory=set)
    uses: list[UrlUse] = field(default_factory=list)
    base_href: str | None = None


@dataclass
class SiteFiles:
    """What ``check`` needs of a site: its paths and a way to read a file."""

    paths: set[str]
    read: Callable[[str], bytes]
    display: Callable[[str], str]  # how an output file is named in messages


def _link_kind(attrs: Mapping[str, str]) -> str:
    rels = attrs.get("rel", "").lower().split()
    if "stylesheet" in rels:
        return "stylesheet"
    if "icon" in rels or "apple-touch-icon" in rels:
        return "image"
    return "resource"


def _kind(tag: str, attr: str, attrs: Mapping[str, str]) -> str:
    if attr in ("srcset", "poster") or tag in ("img", "picture", "input"):
        return "image"
    if tag == "source":
        return "image" if attrs.get("srcset") is not None else "media"
    if tag == "link":
        return _link_kind(attrs)
    return _TAG_KIND.get(tag, "link")


def srcset_urls(value: str) -> list[str]:
    """The URLs of a ``srcset`` (``a.png 1x, b.png 2x``); commas inside URLs are kept."""
    urls: list[str] = []
    pos, n = 0, len(value)
    while pos < n:
        while pos < n and (value[pos].isspace() or value[pos] == ","):
            pos += 1
        start = pos
        while pos < n and not value[pos].isspace():
            pos += 1
        url = value[start:pos]
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            while pos < n and value[pos] != ",":  # skip the descriptor
                pos += 1
        if url:
            urls.append(url)
    return urls


def _is_hint(tag: str, attrs: Mapping[str, str]) -> bool:
    """A ``<link rel=preconnect>`` and the like: its href names a host, not a file."""
    return tag == "link" and not _HINT_RELS.isdisjoint(attrs.get("rel", "").lower().split())


class _PageParser(HTMLParser):
    def __init__(self, page: ParsedPage) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values: dict[str, str] = {}
        for name, value in attrs:
            values.setdefault(name, value or "")
        page = self.page
        ident = values.get("id")
        if ident:
            page.ids.add(nfc(ident))
        if tag == "a" and values.get("name"):
            page.ids.add(nfc(values["name"]))
        if tag == "base":
            if page.base_href is None and values.get("href"):
                page.base_href = values["href"]
            return
        self._uses(tag, values)

    def _uses(self, tag: str, values: Mapping[str, str]) -> None:
        line = self.getpos()[0]
        uses = self.page.uses
        for attr in _URL_ATTRS:
            value = values.get(attr)
            if value is None or _ATTR_TAG.get(attr, tag) != tag:
                continue
            if attr == "href" and _is_hint(tag, values):
                continue
            kind = _kind(tag, attr, values)
            if attr == "srcset":
                uses.extend(UrlUse(u, line, kind) for u in srcset_urls(value))
            else:
                uses.append(UrlUse(value, line, kind))


def parse_page(text: str) -> ParsedPage:
    """Ids and URLs of one HTML page, in one pass."""
    page = ParsedPage()
    parser = _PageParser(page)
    parser.feed(text)
    parser.close()
    return page


def parse_css(text: str) -> ParsedPage:
    """The ``url(...)`` and ``@import`` references of a stylesheet, with their lines."""
    page = ParsedPage()
    clean = _CSS_COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    for m in _CSS_URL.finditer(clean):
        url = next((g for g in m.groups() if g is not None), "")
        if url:
            page.uses.append(UrlUse(url, clean.count("\n", 0, m.start()) + 1, "resource"))
    return page


def parse_file(files: SiteFiles, rel: str, is_css: bool) -> ParsedPage:
    text = files.read(rel).decode("utf-8", "replace")
    return parse_css(text) if is_css else parse_page(text)


@dataclass(frozen=True)
class _ParseJob:
    """What the forked parse workers inherit: the files and the list of what to parse."""

    files: SiteFiles
    todo: Sequence[tuple[str, bool]]  # (output path, is a stylesheet)


def _parse_run(job: _ParseJob, span: tuple[int, int]) -> list[ParsedPage]:
    return [parse_file(job.files, rel, is_css) for rel, is_css in job.todo[span[0] : span[1]]]


def parse_all(
    files: SiteFiles, todo: Sequence[tuple[str, bool]], jobs: int = 0
) -> list[ParsedPage]:
    """Parse pages (and stylesheets), in order; a big site is spread over forked workers,
    each handed runs of files (indices only: the workers inherit FILES)."""
    count = workers(jobs, MAX_PARSE_WORKERS) if len(todo) >= PARALLEL_PAGES else 1
    if count < 2:
        return [parse_file(files, rel, is_css) for rel, is_css in todo]
    size = max(1, len(todo) // (count * CHUNKS_PER_WORKER))
    spans = [(start, start + size) for start in range(0, len(todo), size)]
    runs = fork_map(_parse_run, _ParseJob(files, todo), spans, count)
    return [page for run in runs for page in run]
