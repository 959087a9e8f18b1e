"""The site's own URLs checked against its output: every link, image, stylesheet and
``#fragment`` a page uses must name a file (and an id) the site serves, under its base path.

A problem in a URL written in a note is reported at the note's path and line (through the
note's recorded links, :class:`NoteLinks`); one from a template at the output file and its
line. URLs to other hosts are collected for :mod:`awsnotes_site.check.external`."""

from __future__ import annotations

import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import SplitResult, quote, unquote, urljoin, urlsplit

from awsnotes_site.check.parse import ParsedPage, SiteFiles, UrlUse, parse_all
from awsnotes_site.diagnostics import Diagnostic, error
from awsnotes_site.markdown.context import LinkRef
from awsnotes_site.outputindex import OutputIndex
from awsnotes_site.urls import base_path_of, nfc, page_url, with_base

FAKE_ORIGIN = "http://awsnotes.invalid"  # resolves URLs when base_url has no host
_HTML_SUFFIXES = (".html", ".htm")
_URL_WS = re.compile(r"[\t\n\r]")
_WHAT = {
    "image": "missing image",
    "stylesheet": "missing stylesheet",
    "script": "missing script",
    "link": "broken link",
    "media": "missing media file",
    "frame": "broken frame",
    "form": "broken form action",
    "resource": "missing file",
}

Place = tuple[str, int | None]  # (path, line) a problem is reported at


# -- mapping problems back to notes ---------------------------------------------------
def _key(url: str) -> str:
    return nfc(unquote(_URL_WS.sub("", url.strip())))


class NoteLinks:
    """The links a note wrote, matched in order to the URLs found on its page."""

    def __init__(self, path: str, refs: Sequence[LinkRef], base_path: str) -> None:
        self.path = path
        self.refs = list(refs)
        self.by_key: dict[str, list[int]] = {}
        for i, ref in enumerate(self.refs):
            keys = {_key(ref.url), _key(with_base(ref.url.strip(), base_path))}
            for key in keys:
                self.by_key.setdefault(key, []).append(i)
        self.used: set[int] = set()

    def line_for(self, url: str) -> int | None:
        indexes = self.by_key.get(_key(url))
        if not indexes:
            return None
        for i in indexes:
            if i not in self.used:
                self.used.add(i)
                return self.refs[i].line or None
        return self.refs[indexes[-1]].line or None


@dataclass(frozen=True)
class Source:
    """The note behind one output page and the URLs it wrote."""

    path: str
    refs: tuple[LinkRef, ...]


# -- results --------------------------------------------------------------------------
@dataclass
class CheckStats:
    pages: int = 0
    stylesheets: int = 0
    urls: int = 0
    internal: int = 0
    fragments: int = 0
    external: int = 0
    unresolved: int = 0  # internal URLs not found (any reason)
    seconds: float = 0.0


@dataclass
class CheckResult:
    problems: list[Diagnostic]
    external: dict[str, list[Place]]  # URL -> places (path, line)
    stats: CheckStats


@dataclass(frozen=True)
class SiteAddress:
    """Where the site lives: which URLs are its own."""

    base_path: str  # decoded, NFC, with leading and trailing slash
    origin: str  # scheme://host[:port] of the base URL, or FAKE_ORIGIN
    hosts: frozenset[str]  # netlocs that are this site

    @classmethod
    def of(cls, base_url: str) -> SiteAddress:
        parts = urlsplit(base_url)
        base_path = nfc(base_path_of(base_url))
        if parts.scheme in ("http", "https") and parts.netloc:
            netloc = parts.netloc.lower()
            hosts = {netloc}
            host, _, port = netloc.rpartition(":")
            if port in ("80", "443") and host:
                hosts.add(host)
            elif ":" not in netloc or netloc.endswith("]"):
                hosts.update({f"{netloc}:80", f"{netloc}:443"})
            return cls(base_path, f"{parts.scheme}://{parts.netloc}", frozenset(hosts))
        return cls(base_path, FAKE_ORIGIN, frozenset())

    def owns(self, target: SplitResult) -> bool:
        """Whether an absolute URL (``https://host/path``, split) is a page of this site."""
        if target.netloc.lower() not in self.hosts:
            return False
        return (nfc(unquote(target.path)) + "/").startswith(self.base_path)


def _shown(url: str) -> str:
    try:
        return nfc(unquote(url, errors="strict"))
    except UnicodeDecodeError:
        return url


def _is_relative(raw: str) -> bool:
    """A path-relative URL (``post/``, ``../x``): it points elsewhere from every folder a
    page is served in, such as 404.html, which is served for missing paths at any depth."""
    return bool(raw) and not raw.startswith(("/", "#"))


class _Checker:
    """Checks the URLs of parsed pages against the output; collects the problems (each
    once per place) and the external URLs with the places that use them."""

    def __init__(
        self, site: SiteAddress, index: OutputIndex, parsed: Mapping[str, ParsedPage]
    ) -> None:
        self.site = site
        self.index = index
        self.parsed = parsed
        self.stats = CheckStats()
        self.problems: list[Diagnostic] = []
        self.external: dict[str, list[Place]] = {}
        self._seen: set[tuple[str, int | None, str]] = set()

    def report(self, where: Place, message: str, hint: str | None = None) -> None:
        if (where[0], where[1], message) not in self._seen:
            self._seen.add((where[0], where[1], message))
            self.problems.append(error(where[0], where[1], message, hint=hint))

    def check_page(self, rel: str, page: ParsedPage, display: str, source: Source | None) -> None:
        site = self.site
        links = NoteLinks(source.path, source.refs, site.base_path) if source else None
        here = site.origin + quote(site.base_path + page_url(rel))
        if page.base_href:
            here = urljoin(here, page.base_href)
        is_css = rel.lower().endswith(".css")
        for use in page.uses:
            self.stats.urls += 1
            line: int | None = links.line_for(use.url) if links else None
            where = (links.path, line) if links and line else (display, use.line)
            self.check_use(use, rel, here, is_css, where)

    def check_use(self, use: UrlUse, rel: str, here: str, is_css: bool, where: Place) -> None:
        raw = _URL_WS.sub("", use.url.strip(" \t\n\r\f"))
        scheme = urlsplit(raw).scheme.lower()
        if scheme and scheme not in ("http", "https"):
            return  # mailto:, data:, javascript:, ...
        if (scheme or raw.startswith("//")) and self._external(urljoin(here, raw), where):
            return
        if rel == "404.html" and not is_css and not scheme and _is_relative(raw):
            self.report(
                where,
                f"relative URL {_shown(raw)} in 404.html: the page is served for "
                "missing paths at any depth, where it points elsewhere",
                "use a root-relative URL (the url filter in templates)",
            )
            return
        target = urlsplit(urljoin(here, raw))
        self.stats.internal += 1
        found = self._find(use, raw, nfc(unquote(target.path)), where)
        if found is not None and target.fragment and not is_css:
            self._check_fragment(found, target.fragment, where)

    def _external(self, absolute: str, where: Place) -> bool:
        """Collect ABSOLUTE when it is another site's URL (then True)."""
        target = urlsplit(absolute)
        if self.site.owns(target) or not target.netloc:
            return False
        self.external.setdefault(absolute.split("#", 1)[0], []).append(where)
        return True

    def _find(self, use: UrlUse, raw: str, path: str, where: Place) -> str | None:
        """The output file PATH (decoded) names, or None after reporting why not."""
        base_path = self.site.base_path
        if path + "/" == base_path:
            path = base_path
        if not path.startswith(base_path):
            self.stats.unresolved += 1
            hint = (
                "root-relative URLs must include the base path; templates should use "
                "the url filter (or url_for), notes get it added (but on a Hugo site, "
                "which keeps them as written as Hugo does: write it, or a relative link)"
                if raw.startswith("/")
                else None
            )
            self.report(where, f"{_shown(raw)} is not under the base path {base_path}", hint)
            return None
        target_rel = path[len(base_path) :]
        found = self.index.find(target_rel)
        if found is None:
            self.stats.unresolved += 1
            self._missing(use, raw, target_rel, where)
        return found

    def _missing(self, use: UrlUse, raw: str, target_rel: str, where: Place) -> None:
        base_path = self.site.base_path
        other = self.index.find_other_case(target_rel)
        if other is not None:
            self.report(
                where,
                f"wrong case: {_shown(raw)} should be {base_path}{other} "
                "(URLs are case-sensitive on GitHub Pages)",
            )
            return
        what = _WHAT.get(use.kind, "broken link")
        written, resolved = _shown(raw.split("#", 1)[0]), base_path + target_rel
        via = "" if written == resolved else f" -> {resolved}"
        self.report(where, f"{what}: {written}{via} does not exist in the output")

    def _check_fragment(self, found: str, fragment: str, where: Place) -> None:
        page = self.parsed.get(found)
        if page is None or not found.lower().endswith(_HTML_SUFFIXES):
            return  # a fragment into an image, a feed, a PDF: not ours to check
        self.stats.fragments += 1
        frag = nfc(unquote(fragment))
        if frag in page.ids or frag == "top" or frag.startswith(":~:"):
            return
        self.report(where, f"missing anchor #{frag} on {self.site.base_path}{page_url(found)}")


def _to_parse(index: OutputIndex) -> list[tuple[str, bool]]:
    """(path, is a stylesheet) of every page and stylesheet, in path order."""
    todo: list[tuple[str, bool]] = []
    for rel in sorted(index.files):
        lower = rel.lower()
        if lower.endswith(_HTML_SUFFIXES):
            todo.append((rel, False))
        elif lower.endswith(".css"):
            todo.append((rel, True))
    return todo


def check_site(
    files: SiteFiles, base_url: str, sources: Mapping[str, Source] | None = None, jobs: int = 0
) -> CheckResult:
    """Check every HTML page (and stylesheet) of FILES against the files themselves."""
    started = time.perf_counter()
    index = OutputIndex(files.paths)
    todo = _to_parse(index)
    parsed = dict(zip([rel for rel, _ in todo], parse_all(files, todo, jobs), strict=True))
    checker = _Checker(SiteAddress.of(base_url), index, parsed)
    stats = checker.stats
    stats.stylesheets = sum(is_css for _, is_css in todo)
    stats.pages = len(todo) - stats.stylesheets
    for rel, page in parsed.items():
        checker.check_page(rel, page, files.display(rel), (sources or {}).get(rel))
    stats.external = len(checker.external)
    stats.seconds = time.perf_counter() - started
    problems = sorted(checker.problems, key=lambda d: (d.path, d.line or 0, d.message))
    return CheckResult(problems, checker.external, stats)
