"""``awsnotes-site check``: every internal URL of the built site must resolve.

The site is built in memory (or an existing build is read with ``--output``), then every
HTML page is parsed once with :mod:`html.parser`, collecting the ids (and ``<a name>``) it
defines and every URL it uses: ``href``, ``src``, ``srcset`` candidates, ``poster``,
``<object data>``, ``<form action>``.  Stylesheets are scanned for ``url(...)`` and
``@import`` too.  Each internal URL must

* live under the site's base path (``/notes/`` for a GitHub project page): a root-relative
  ``/static/x.png`` on such a site is an error, since it leaves the site;
* name a file in the output, the way GitHub Pages serves it (``x/`` is ``x/index.html``,
  ``x`` is also ``x/`` or ``x.html``), with the exact case (``/Posts/X/`` is reported as a
  case mistake when ``/posts/x/`` exists);
* when it has a ``#fragment`` and leads to an HTML page, name an id on that page
  (compared percent-decoded and NFC-normalised, so Korean heading ids work).

A problem in a URL written in a note is reported at the note's path and line (through
``BuildResult.page_sources`` and the note's recorded links); one from a template at the
output file and its line.  External links are only fetched with ``--external``.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import re
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote, urljoin, urlsplit

from awsnotes_site.diagnostics import BuildError, Diagnostic, error
from awsnotes_site.markdown.context import LinkRef
from awsnotes_site.markdown.urls import with_base
from awsnotes_site.outputindex import OutputIndex, nfc

if TYPE_CHECKING:
    from awsnotes_site.pipeline import BuildResult

EXTERNAL_TIMEOUT = 10.0
EXTERNAL_WORKERS = 8
PARALLEL_PAGES = 200  # below this, parsing in one process is faster than forking
MAX_PARSE_WORKERS = 8
USER_AGENT = "awsnotes-site-check/0.1"
_FAKE_ORIGIN = "http://awsnotes.invalid"  # resolves URLs when base_url has no host
_HTML_SUFFIXES = (".html", ".htm")
_SKIP_SCHEMES = frozenset(
    {
        "mailto",
        "tel",
        "sms",
        "data",
        "javascript",
        "blob",
        "about",
        "urn",
        "geo",
        "magnet",
        "irc",
        "xmpp",
    }
)
# <link rel> values whose href is a host or a hint, not a file of this site
_HINT_RELS = frozenset({"dns-prefetch", "preconnect", "pingback", "webmention", "me"})
_URL_WS = re.compile(r"[\t\n\r]")
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_CSS_URL = re.compile(
    r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')""", re.I
)


# -- parsing --------------------------------------------------------------------------
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


def _kind(tag: str, attr: str, attrs: Mapping[str, str]) -> str:
    if attr in ("srcset", "poster") or tag in ("img", "picture"):
        return "image"
    if tag == "source":
        return "image" if attrs.get("srcset") is not None or attr == "srcset" else "media"
    if tag == "input":
        return "image"
    if tag == "script":
        return "script"
    if tag == "link":
        rels = attrs.get("rel", "").lower().split()
        if "stylesheet" in rels:
            return "stylesheet"
        if "icon" in rels or "apple-touch-icon" in rels:
            return "image"
        return "resource"
    if tag in ("video", "audio", "track", "embed", "object"):
        return "media"
    if tag == "iframe":
        return "frame"
    if tag == "form":
        return "form"
    return "link"


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
        line = self.getpos()[0]
        for attr in ("href", "src", "poster", "data", "action", "srcset"):
            value = values.get(attr)
            if value is None:
                continue
            if attr == "data" and tag != "object" or attr == "action" and tag != "form":
                continue
            if tag == "link" and attr == "href":
                rels = set(values.get("rel", "").lower().split())
                if rels & _HINT_RELS:
                    continue
            kind = _kind(tag, attr, values)
            if attr == "srcset":
                page.uses.extend(UrlUse(u, line, kind) for u in srcset_urls(value))
            else:
                page.uses.append(UrlUse(value, line, kind))


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


@dataclass
class SiteFiles:
    """What ``check`` needs of a site: its paths and a way to read a file."""

    paths: set[str]
    read: Callable[[str], bytes]
    display: Callable[[str], str]  # how an output file is named in messages


_WORK: tuple[SiteFiles, list[tuple[str, bool]]] | None = None  # shared with forked workers


def _parse_one(item: tuple[SiteFiles, str, bool] | int) -> ParsedPage:
    if isinstance(item, int):
        assert _WORK is not None
        files, todo = _WORK
        rel, is_css = todo[item]
    else:
        files, rel, is_css = item
    text = files.read(rel).decode("utf-8", "replace")
    return parse_css(text) if is_css else parse_page(text)


def parse_all(files: SiteFiles, todo: list[tuple[str, bool]], jobs: int = 0) -> list[ParsedPage]:
    """Parse pages (and stylesheets); a big site is spread over forked worker processes."""
    workers = min(jobs or os.cpu_count() or 1, MAX_PARSE_WORKERS)
    if workers < 2 or len(todo) < PARALLEL_PAGES or "fork" not in mp.get_all_start_methods():
        return [_parse_one((files, rel, is_css)) for rel, is_css in todo]
    global _WORK
    _WORK = (files, todo)
    try:
        chunk = max(1, len(todo) // (workers * 4))
        with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("fork")) as pool:
            return list(pool.map(_parse_one, range(len(todo)), chunksize=chunk))
    finally:
        _WORK = None


# -- the site's files -----------------------------------------------------------------
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


# -- checking -------------------------------------------------------------------------
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
    external: dict[str, list[tuple[str, int | None]]]  # URL -> places (path, line)
    stats: CheckStats


@dataclass(frozen=True)
class _Site:
    base_path: str  # decoded, NFC, with leading and trailing slash
    origin: str  # scheme://host[:port] of the base URL, or _FAKE_ORIGIN
    hosts: frozenset[str]  # netlocs that are this site


def _site(base_url: str) -> _Site:
    parts = urlsplit(base_url)
    path = parts.path or "/"
    path = path if path.startswith("/") else "/" + path
    path = path if path.endswith("/") else path + "/"
    base_path = nfc(unquote(path))
    if parts.scheme in ("http", "https") and parts.netloc:
        netloc = parts.netloc.lower()
        hosts = {netloc}
        host, _, port = netloc.rpartition(":")
        if port in ("80", "443") and host:
            hosts.add(host)
        elif ":" not in netloc or netloc.endswith("]"):
            hosts.update({f"{netloc}:80", f"{netloc}:443"})
        return _Site(base_path, f"{parts.scheme}://{parts.netloc}", frozenset(hosts))
    return _Site(base_path, _FAKE_ORIGIN, frozenset())


def page_url(rel: str) -> str:
    """The URL path (relative to the base) a file is served at."""
    if rel == "index.html":
        return ""
    if rel.endswith("/index.html"):
        return rel[: -len("index.html")]
    return rel


def check_site(
    files: SiteFiles, base_url: str, sources: Mapping[str, Source] | None = None, jobs: int = 0
) -> CheckResult:
    """Check every HTML page (and stylesheet) of FILES; see the module docstring."""
    started = time.perf_counter()
    site = _site(base_url)
    index = OutputIndex(files.paths)
    stats = CheckStats()
    todo: list[tuple[str, bool]] = []
    for rel in sorted(index.files):
        lower = rel.lower()
        if lower.endswith(_HTML_SUFFIXES):
            todo.append((rel, False))
            stats.pages += 1
        elif lower.endswith(".css"):
            todo.append((rel, True))
            stats.stylesheets += 1
    parsed = dict(zip([rel for rel, _ in todo], parse_all(files, todo, jobs), strict=True))
    problems: list[Diagnostic] = []
    seen: set[tuple[str, int | None, str]] = set()
    external: dict[str, list[tuple[str, int | None]]] = {}

    def report(where: tuple[str, int | None], message: str, hint: str | None = None) -> None:
        if (where[0], where[1], message) not in seen:
            seen.add((where[0], where[1], message))
            problems.append(error(where[0], where[1], message, hint=hint))

    for rel, page in parsed.items():
        source = (sources or {}).get(rel)
        links = NoteLinks(source.path, source.refs, site.base_path) if source else None
        here = site.origin + quote(site.base_path + page_url(rel))
        if page.base_href:
            here = urljoin(here, page.base_href)
        is_css = rel.lower().endswith(".css")
        for use in page.uses:
            stats.urls += 1
            line: int | None = links.line_for(use.url) if links else None
            where = (links.path, line) if links and line else (files.display(rel), use.line)
            _check_use(use, rel, here, is_css, site, index, parsed, stats, external, where, report)
    stats.external = len(external)
    stats.seconds = time.perf_counter() - started
    problems.sort(key=lambda d: (d.path, d.line or 0, d.message))
    return CheckResult(problems, external, stats)


def _shown(url: str) -> str:
    try:
        return nfc(unquote(url, errors="strict"))
    except UnicodeDecodeError:
        return url


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


def _check_use(
    use: UrlUse,
    rel: str,
    here: str,
    is_css: bool,
    site: _Site,
    index: OutputIndex,
    parsed: Mapping[str, ParsedPage],
    stats: CheckStats,
    external: dict[str, list[tuple[str, int | None]]],
    where: tuple[str, int | None],
    report: Callable[[tuple[str, int | None], str, str | None], None],
) -> None:
    raw = _URL_WS.sub("", use.url.strip(" \t\n\r\f"))
    parts = urlsplit(raw)
    scheme = parts.scheme.lower()
    if scheme and scheme not in ("http", "https"):
        return  # mailto:, data:, javascript:, ...
    if scheme or raw.startswith("//"):
        absolute = urljoin(here, raw)
        target = urlsplit(absolute)
        ours = target.netloc.lower() in site.hosts and (nfc(unquote(target.path)) + "/").startswith(
            site.base_path
        )
        if not ours and target.netloc:
            external.setdefault(absolute.split("#", 1)[0], []).append(where)
            return
    if rel == "404.html" and not is_css and raw and not raw.startswith(("/", "#")) and not scheme:
        report(
            where,
            f"relative URL {_shown(raw)} in 404.html: the page is served for "
            "missing paths at any depth, where it points elsewhere",
            "use a root-relative URL (the url filter in templates)",
        )
        return
    absolute = urljoin(here, raw)
    target = urlsplit(absolute)
    path = nfc(unquote(target.path))
    stats.internal += 1
    if path + "/" == site.base_path:
        path = site.base_path
    if not path.startswith(site.base_path):
        stats.unresolved += 1
        hint = (
            "root-relative URLs must include the base path; templates should use "
            "the url filter (or url_for), notes get it added"
            if raw.startswith("/")
            else None
        )
        report(where, f"{_shown(raw)} is not under the base path {site.base_path}", hint)
        return
    target_rel = path[len(site.base_path) :]
    found = index.find(target_rel)
    if found is None:
        stats.unresolved += 1
        other = index.find_other_case(target_rel)
        if other is not None:
            report(
                where,
                f"wrong case: {_shown(raw)} should be {site.base_path}{other} "
                "(URLs are case-sensitive on GitHub Pages)",
                None,
            )
        else:
            what = _WHAT.get(use.kind, "broken link")
            written, resolved = _shown(raw.split("#", 1)[0]), site.base_path + target_rel
            via = "" if written == resolved else f" -> {resolved}"
            report(where, f"{what}: {written}{via} does not exist in the output", None)
        return
    fragment = target.fragment
    if not fragment or is_css:
        return
    page = parsed.get(found)
    if page is None or not found.lower().endswith(_HTML_SUFFIXES):
        return  # a fragment into an image, a feed, a PDF: not ours to check
    stats.fragments += 1
    frag = nfc(unquote(fragment))
    if frag in page.ids or frag == "top" or frag.startswith(":~:"):
        return
    report(where, f"missing anchor #{frag} on {site.base_path}{page_url(found)}", None)


# -- external links -------------------------------------------------------------------
def _ascii_url(url: str) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc
    if not netloc.isascii():
        host = parts.hostname or ""
        idna = host.encode("idna").decode("ascii")
        netloc = netloc.replace(host, idna)
    rest = quote(url[len(f"{parts.scheme}://{parts.netloc}") :], safe=":/?#[]@!$&'()*+,;=%~")
    return f"{parts.scheme}://{netloc}{rest}"


def fetch(url: str, timeout: float = EXTERNAL_TIMEOUT) -> str | None:
    """None when URL answers below 400 (HEAD, then GET if HEAD fails); else the reason."""
    try:
        target = _ascii_url(url)
    except (UnicodeError, ValueError) as exc:
        return f"bad URL ({exc})"
    problem: str | None = None
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(
            target, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                if method == "GET":
                    response.read(1024)
                return None
        except urllib.error.HTTPError as exc:
            problem = f"HTTP {exc.code} {exc.reason}".strip()
            exc.close()
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            problem = f"cannot fetch: {reason}"
            if "timed out" in str(reason):
                return f"no answer within {timeout:g} s"
    return problem


def check_external(
    urls: Mapping[str, list[tuple[str, int | None]]],
    fetcher: Callable[[str], str | None] = fetch,
    workers: int = EXTERNAL_WORKERS,
) -> list[Diagnostic]:
    """Fetch each external URL once (at most WORKERS at a time); a problem per place."""
    if not urls:
        return []
    ordered = sorted(urls)

    def safely(url: str) -> str | None:
        try:
            return fetcher(url)
        except Exception as exc:  # a bug in one fetch must not hide the others
            return f"cannot fetch: {exc!r}"

    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(ordered)))) as pool:
        results = list(pool.map(safely, ordered))
    problems: list[Diagnostic] = []
    for url, result in zip(ordered, results, strict=True):
        if result is None:
            continue
        for path, line in dict.fromkeys(urls[url]):
            problems.append(error(path, line, f"external link {url}: {result}"))
    return problems


# -- the command ----------------------------------------------------------------------
def _disk_files(out_dir: Path, shown: str) -> SiteFiles:
    paths: set[str] = set()
    for path in out_dir.rglob("*"):
        if path.is_file():
            paths.add(path.relative_to(out_dir).as_posix())
    real = {nfc(p): p for p in paths}

    def read(rel: str) -> bytes:
        return (out_dir / real.get(rel, rel)).read_bytes()

    return SiteFiles(set(real), read, lambda rel: f"{shown}/{rel}")


def _build(root: Path, args: Any, output: str | None) -> BuildResult:
    from awsnotes_site.pipeline import Builder, BuildOptions

    options = BuildOptions(
        drafts=bool(getattr(args, "drafts", False)),
        future=bool(getattr(args, "future", False)),
        base_url=getattr(args, "base_url", None),
        output=output,
        use_cache=False,
    )
    return Builder(root, options).build()


def _sources(result: BuildResult, same: Callable[[str, bytes], bool]) -> dict[str, Source]:
    """Output path -> note, for pages whose HTML is what SAME says is checked."""
    by_note = {v.note.display_path: v for v in result.notes}
    sources: dict[str, Source] = {}
    for path, note_path in result.page_sources.items():
        view = by_note.get(note_path)
        if view is not None and path in result.files and same(path, result.files[path]):
            sources[nfc(path)] = Source(note_path, tuple(view.facts.links))
    return sources


def _print(diags: Iterable[Diagnostic]) -> None:
    for d in diags:
        print(d.format(), file=sys.stderr)


def check_command(root: Path, args: argparse.Namespace | Any) -> int:
    """``awsnotes-site check [--output DIR] [--external]``: 0 when every link resolves."""
    started = time.perf_counter()
    verbose = bool(getattr(args, "verbose", False))
    output = getattr(args, "output", None)
    if output:
        from awsnotes_site.config import load_config

        out_dir = Path(output)
        if not out_dir.is_dir():
            print(
                f"{output}: error: no such folder (build first, or drop --output)", file=sys.stderr
            )
            return 2
        try:
            config, warns = load_config(root, getattr(args, "base_url", None))
        except BuildError as exc:
            _print(exc.diagnostics)
            return 1
        files = _disk_files(out_dir, output.rstrip("/\\") or output)
        base_url = config.base_url
        sources: dict[str, Source] = {}
        if config.content_dir.is_dir():
            # Point at notes where the pages on disk are exactly what the notes build to.
            built: BuildResult | None
            try:
                built = _build(root, args, None)
            except BuildError:
                built = None
            if built is not None:
                sources = _sources(
                    built, lambda p, data: p in files.paths and files.read(p) == data
                )
        build_diags: list[Diagnostic] = list(warns)
    else:
        try:
            result = _build(root, args, None)
        except BuildError as exc:
            _print(sorted(exc.diagnostics, key=lambda d: not d.is_error))
            print("check failed: the site does not build", file=sys.stderr)
            return 1
        data, static = result.files, result.static
        shown = result.config.output_dir.rstrip("/") or "public"

        def read(rel: str) -> bytes:
            return data[rel] if rel in data else Path(static[rel]).read_bytes()

        files = SiteFiles(result.all_paths(), read, lambda rel: f"{shown}/{rel}")
        base_url = result.config.base_url
        sources = _sources(result, lambda p, d: True)
        build_diags = list(result.diagnostics)
    checked = check_site(files, base_url, sources)
    problems = list(checked.problems)
    fetched = bool(getattr(args, "external", False))
    if fetched:
        problems += check_external(checked.external)
    if verbose:
        _print(d for d in build_diags if not d.is_error)
    _print(problems)
    s = checked.stats
    ext = (
        f"{s.external} external checked"
        if fetched
        else f"{s.external} external not fetched (--external)"
    )
    summary = (
        f"checked {s.pages} pages and {s.stylesheets} stylesheets: {s.internal} "
        f"internal URLs, {s.fragments} anchors, {ext} "
        f"in {time.perf_counter() - started:.2f}s"
    )
    if problems:
        if (
            output
            and getattr(args, "base_url", None) is None
            and s.internal
            and s.unresolved * 2 > s.internal
        ):
            print(
                f"hint: most internal URLs do not resolve under {base_url}; if {output} "
                "was built with --base-url, give check the same --base-url",
                file=sys.stderr,
            )
        print(f"{summary}: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"{summary}: no problems")
    return 0
