"""Shared helpers for the awsnotes-site test suite.

Import from tests as ``from helpers import ...`` (``tests/`` is put on ``sys.path`` by
pytest because ``tests/conftest.py`` lives there).  The fixtures that wrap these
helpers are in ``tests/conftest.py``.

Nothing here depends on the site generator's internals: the site is built through its
command line (``python -m awsnotes_site build``), HTML is checked with the Nu Html
Checker (``vnu.jar`` from the ``vnu-jar`` npm package), accessibility with axe-core
(from the ``axe-core`` npm package) inside Debian's Chromium driven by Playwright.
"""

from __future__ import annotations

import contextlib
import json
import os
import posixpath
import re
import shutil
import socket
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from email.utils import formatdate
from html.parser import HTMLParser
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
NODE_MODULES = ROOT / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
# The npm package "vnu-jar" ships the jar at build/dist/vnu.jar (checked in 26.9.27).
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})

BUILD_TIMEOUT = 600


# --------------------------------------------------------------------------- building


def _env_with_src(env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for a child Python that can import the package from src/.

    With the editable install from .ci/run this changes nothing; on a checkout where the
    package is not installed it still lets ``python -m awsnotes_site`` run.
    """
    merged = dict(os.environ if env is None else env)
    parts = [str(SRC)]
    if merged.get("PYTHONPATH"):
        parts.append(merged["PYTHONPATH"])
    merged["PYTHONPATH"] = os.pathsep.join(parts)
    merged.setdefault("PYTHONUTF8", "1")
    return merged


def run_cli(
    *args: str,
    cwd: str | os.PathLike[str] = ROOT,
    env: dict[str, str] | None = None,
    timeout: float = BUILD_TIMEOUT,
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m awsnotes_site *args`` in CWD and return the result.

    Never raises on a non-zero exit: look at ``.returncode``, ``.stdout``, ``.stderr``.
    """
    return subprocess.run(
        [sys.executable, "-m", "awsnotes_site", *args],
        cwd=str(cwd),
        env=_env_with_src(env),
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        stdin=subprocess.DEVNULL,
        timeout=timeout,
        check=False,
    )


def build_site(
    out_dir: str | os.PathLike[str],
    *args: str,
    cwd: str | os.PathLike[str] = ROOT,
    env: dict[str, str] | None = None,
    timeout: float = BUILD_TIMEOUT,
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m awsnotes_site build --output OUT_DIR *args`` and return the result."""
    return run_cli("build", "--output", str(out_dir), *args, cwd=cwd, env=env, timeout=timeout)


def describe_process(proc: subprocess.CompletedProcess[str]) -> str:
    """A readable account of a finished command, for assertion messages."""
    args = proc.args if isinstance(proc.args, str) else " ".join(map(str, proc.args))
    return (
        f"command: {args}\nexit code: {proc.returncode}\n"
        f"--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}"
    )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ---------------------------------------------------------------------------- serving


class PrefixServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer that serves one directory under one URL prefix."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, directory: Path, prefix: str, port: int = 0) -> None:
        if not prefix.startswith("/") or not prefix.endswith("/"):
            raise ValueError(f"prefix must start and end with '/': {prefix!r}")
        self.directory = Path(directory).resolve()
        self.prefix = prefix
        super().__init__(("127.0.0.1", port), PrefixRequestHandler)


class PrefixRequestHandler(SimpleHTTPRequestHandler):
    """Serves like GitHub Pages does for a project site at ``/<prefix>/``.

    * ``/notes`` redirects to ``/notes/``; a folder without its slash redirects to it
      with the slash; a folder is served by its ``index.html`` (never a listing);
    * ``/notes/page`` is served from ``page.html`` when there is no ``page`` itself;
    * a path that is missing gets the site's ``404.html`` with status 404 (a plain 404
      when the site has none);
    * a path outside the prefix, or one that climbs out of it with ``..`` (raw or
      percent-encoded), is a plain 404 and never touches the disk outside the folder.
    """

    server: PrefixServer
    server_version = "awsnotes-test-server"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".html": "text/html; charset=utf-8",
        ".htm": "text/html; charset=utf-8",
        ".css": "text/css; charset=utf-8",
        ".js": "text/javascript; charset=utf-8",
        ".mjs": "text/javascript; charset=utf-8",
        ".json": "application/json",
        ".webmanifest": "application/manifest+json",
        ".xml": "application/xml",
        ".txt": "text/plain; charset=utf-8",
        ".svg": "image/svg+xml",
        ".woff": "font/woff",
        ".woff2": "font/woff2",
        ".png": "image/png",
        ".webp": "image/webp",
        ".ico": "image/x-icon",
    }

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep pytest output clean

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _open(self, path: Path, status: int) -> IO[bytes]:
        f = path.open("rb")
        try:
            fs = os.fstat(f.fileno())
            self.send_response(status)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Length", str(fs.st_size))
            self.send_header("Last-Modified", formatdate(fs.st_mtime, usegmt=True))
            self.end_headers()
            return f
        except BaseException:
            f.close()
            raise

    def _not_found(self) -> IO[bytes] | None:
        page = self.server.directory / "404.html"
        if page.is_file():
            return self._open(page, HTTPStatus.NOT_FOUND)
        self.send_error(HTTPStatus.NOT_FOUND)
        return None

    def _inside(self, path: Path) -> bool:
        try:
            path.resolve().relative_to(self.server.directory)
        except ValueError:
            return False
        return True

    def send_head(self) -> IO[bytes] | None:  # type: ignore[override]
        parts = urllib.parse.urlsplit(self.path)
        decoded = urllib.parse.unquote(parts.path)
        prefix = self.server.prefix
        if "\x00" in decoded or "\\" in decoded or not decoded.startswith("/"):
            self.send_error(HTTPStatus.NOT_FOUND)
            return None
        norm = posixpath.normpath(decoded)
        if norm.startswith("//"):
            norm = "/" + norm.lstrip("/")
        if decoded.endswith("/") and norm != "/":
            norm += "/"
        if norm + "/" == prefix:
            self._redirect(prefix + (f"?{parts.query}" if parts.query else ""))
            return None
        if not norm.startswith(prefix):
            self.send_error(HTTPStatus.NOT_FOUND)
            return None
        rel = norm[len(prefix) :]
        target = self.server.directory.joinpath(*[p for p in rel.split("/") if p])
        if not self._inside(target):
            self.send_error(HTTPStatus.NOT_FOUND)
            return None
        if target.is_dir():
            if not parts.path.endswith("/"):
                self._redirect(parts.path + "/" + (f"?{parts.query}" if parts.query else ""))
                return None
            index = target / "index.html"
            if index.is_file():
                return self._open(index, HTTPStatus.OK)
            return self._not_found()
        if target.is_file():
            return self._open(target, HTTPStatus.OK)
        with_html = target.with_name(target.name + ".html")
        if rel and not rel.endswith("/") and with_html.is_file() and self._inside(with_html):
            return self._open(with_html, HTTPStatus.OK)
        return self._not_found()


@contextlib.contextmanager
def serve_directory(
    directory: str | os.PathLike[str], prefix: str = "/notes/", port: int = 0
) -> Iterator[str]:
    """Serve DIRECTORY at ``http://127.0.0.1:PORT{prefix}`` in a thread; yields that URL.

    ``port=0`` picks a free port.  The server stops when the ``with`` block ends.
    """
    server = PrefixServer(Path(directory), prefix, port)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# -------------------------------------------------------------------------- html tree

VOID_ELEMENTS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "keygen",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
# Elements whose text a reader never sees: text() leaves them out below another element.
HIDDEN_TEXT_ELEMENTS = frozenset({"script", "style", "template", "noscript"})
_P_CLOSERS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "details",
        "dialog",
        "div",
        "dl",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "ul",
    ]
)
_SCOPE = frozenset(
    ["html", "body", "table", "td", "th", "caption", "button", "template", "object", "marquee"]
)
# start tag -> (open elements it closes implicitly, elements that stop the search)
_IMPLIED_END: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "li": (frozenset({"li"}), frozenset({"ul", "ol", "menu"}) | _SCOPE),
    "dt": (frozenset({"dt", "dd"}), frozenset({"dl"}) | _SCOPE),
    "dd": (frozenset({"dt", "dd"}), frozenset({"dl"}) | _SCOPE),
    "option": (frozenset({"option"}), frozenset({"select", "datalist", "optgroup"})),
    "optgroup": (frozenset({"option", "optgroup"}), frozenset({"select"})),
    "tr": (frozenset({"tr"}), frozenset({"table", "thead", "tbody", "tfoot"})),
    "td": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "th": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "thead": (frozenset({"thead", "tbody", "tfoot"}), frozenset({"table"})),
    "tbody": (frozenset({"thead", "tbody", "tfoot"}), frozenset({"table"})),
    "tfoot": (frozenset({"thead", "tbody", "tfoot"}), frozenset({"table"})),
}
for _tag in _P_CLOSERS:
    _IMPLIED_END.setdefault(_tag, (frozenset({"p"}), _SCOPE))

AttrMatcher = Any  # str | bool | None | re.Pattern[str] | Callable[[str | None], bool]


def _attr_name(key: str) -> str:
    """``class_`` -> ``class``, ``aria_label`` -> ``aria-label``, ``data_x`` -> ``data-x``."""
    return key.rstrip("_").replace("_", "-")


class Element:
    """One element of a parsed HTML document.

    ``tag`` is lower-case (``"#document"`` for the root), ``attrs`` a dict of lower-case
    names to values (a bare attribute has ``""``), ``children`` a list of ``Element`` and
    ``str`` (text, entities already decoded), ``parent`` the enclosing element, ``line``
    the 1-based source line of the start tag.
    """

    __slots__ = ("tag", "attrs", "children", "parent", "line")

    def __init__(
        self,
        tag: str,
        attrs: dict[str, str] | None = None,
        parent: Element | None = None,
        line: int = 0,
    ) -> None:
        self.tag = tag
        self.attrs: dict[str, str] = attrs or {}
        self.children: list[Element | str] = []
        self.parent = parent
        self.line = line

    # attributes
    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrs.get(name, default)

    def __getitem__(self, name: str) -> str:
        return self.attrs[name]

    def __contains__(self, name: object) -> bool:
        return name in self.attrs

    @property
    def id(self) -> str | None:
        return self.attrs.get("id")

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    # navigation
    @property
    def elements(self) -> list[Element]:
        """The child elements (text left out)."""
        return [c for c in self.children if isinstance(c, Element)]

    def iter(self) -> Iterator[Element]:
        """Every descendant element, in document order (not this one)."""
        stack = list(reversed(self.elements))
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.elements))

    def ancestors(self) -> Iterator[Element]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def closest(self, tag: str) -> Element | None:
        """This element or its nearest ancestor with TAG."""
        if self.tag == tag:
            return self
        return next((a for a in self.ancestors() if a.tag == tag), None)

    # searching
    def matches(
        self,
        tag: str | Iterable[str] | None = None,
        attrs: dict[str, AttrMatcher] | None = None,
        **kwattrs: AttrMatcher,
    ) -> bool:
        if tag is not None:
            if isinstance(tag, str):
                if self.tag != tag.lower():
                    return False
            elif self.tag not in {t.lower() for t in tag}:
                return False
        wanted = dict(attrs or {})
        wanted.update({_attr_name(k): v for k, v in kwattrs.items()})
        return all(self._attr_matches(name, want) for name, want in wanted.items())

    def _attr_matches(self, name: str, want: AttrMatcher) -> bool:
        value = self.attrs.get(name)
        if want is True:
            return value is not None
        if want is False or want is None:
            return value is None
        if isinstance(want, re.Pattern):
            return value is not None and want.search(value) is not None
        if callable(want):
            return bool(want(value))
        if value is None:
            return False
        if name == "class" and value != want:
            return str(want) in value.split()
        return value == str(want)

    def find_all(
        self,
        tag: str | Iterable[str] | None = None,
        attrs: dict[str, AttrMatcher] | None = None,
        **kwattrs: AttrMatcher,
    ) -> list[Element]:
        """Descendants matching TAG (a name, several names, or None for any) and attributes.

        An attribute wanted is given as ``attrs={"data-x": ...}`` or as a keyword
        (``class_="toc"``, ``aria_label="..."``; a trailing ``_`` is dropped, other
        ``_`` become ``-``).  A value matches: a string exactly (for ``class`` also as
        one of its words), ``True`` when present, ``False``/``None`` when absent, a
        compiled regex by ``search``, a callable by its result on the value (or None).
        """
        return [el for el in self.iter() if el.matches(tag, attrs, **kwattrs)]

    def find(
        self,
        tag: str | Iterable[str] | None = None,
        attrs: dict[str, AttrMatcher] | None = None,
        **kwattrs: AttrMatcher,
    ) -> Element | None:
        """The first match of :meth:`find_all`, or None."""
        return next((el for el in self.iter() if el.matches(tag, attrs, **kwattrs)), None)

    def get_by_id(self, id_: str) -> Element | None:
        return self.find(id=id_)

    # text
    def text(self) -> str:
        """All text below this element, as written (entities decoded).

        Text inside descendant ``script``, ``style``, ``template`` and ``noscript`` is
        left out (call ``text()`` on such an element itself to get its content).
        """
        out: list[str] = []
        stack: list[Element | str] = list(reversed(self.children))
        while stack:
            node = stack.pop()
            if isinstance(node, str):
                out.append(node)
            elif node.tag not in HIDDEN_TEXT_ELEMENTS:
                stack.extend(reversed(node.children))
        return "".join(out)

    def norm_text(self) -> str:
        """:meth:`text` with runs of whitespace made one space, stripped."""
        return " ".join(self.text().split())

    def __repr__(self) -> str:
        attrs = "".join(f" {k}={v!r}" for k, v in self.attrs.items())
        return f"<{self.tag}{attrs} line={self.line} children={len(self.children)}>"


class Document(Element):
    """The root of a parsed document; ``doctype`` is the doctype's text (or None)."""

    __slots__ = ("doctype", "source")

    def __init__(self, source: str | None = None) -> None:
        super().__init__("#document")
        self.doctype: str | None = None
        self.source = source

    @property
    def html(self) -> Element | None:
        return self.find("html")

    @property
    def head(self) -> Element | None:
        return self.find("head")

    @property
    def body(self) -> Element | None:
        return self.find("body")

    @property
    def title(self) -> str | None:
        el = self.find("title")
        return None if el is None else el.text()


class _TreeBuilder(HTMLParser):
    def __init__(self, doc: Document) -> None:
        super().__init__(convert_charrefs=True)
        self.doc = doc
        self.stack: list[Element] = [doc]

    def _close_implied(self, tag: str) -> None:
        rule = _IMPLIED_END.get(tag)
        if rule is None:
            return
        closes, stops = rule
        for i in range(len(self.stack) - 1, 0, -1):
            open_tag = self.stack[i].tag
            if open_tag in closes:
                del self.stack[i:]
                return
            if open_tag in stops:
                return

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._close_implied(tag)
        merged: dict[str, str] = {}
        for name, value in attrs:
            merged.setdefault(name, "" if value is None else value)
        parent = self.stack[-1]
        el = Element(tag, merged, parent, self.getpos()[0])
        parent.children.append(el)
        if tag not in VOID_ELEMENTS:
            self.stack.append(el)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS and self.stack[-1].tag == tag:
            self.stack.pop()  # <svg><path/></svg>: a self-closed foreign element

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_ELEMENTS:
            return
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return
        # a stray end tag: ignored, as a browser would

    def handle_data(self, data: str) -> None:
        parent = self.stack[-1]
        if parent.children and isinstance(parent.children[-1], str):
            parent.children[-1] += data
        else:
            parent.children.append(data)

    def handle_decl(self, decl: str) -> None:
        if decl.lower().startswith("doctype") and self.doc.doctype is None:
            self.doc.doctype = decl


def parse_html_string(markup: str) -> Document:
    """Parse HTML text into a :class:`Document` (a small DOM; see :class:`Element`)."""
    doc = Document(markup)
    builder = _TreeBuilder(doc)
    builder.feed(markup)
    builder.close()
    return doc


def parse_html(path: str | os.PathLike[str]) -> Document:
    """Parse the UTF-8 HTML file at PATH into a :class:`Document`."""
    return parse_html_string(Path(path).read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------- checkers


def run_vnu(
    paths_or_dir: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *extra_args: str,
    timeout: float = 600,
) -> list[dict[str, Any]]:
    """Check HTML files (or every ``*.html`` under folders) with the Nu Html Checker.

    Returns the messages of type ``error`` and ``non-document-error`` (warnings come as
    type ``info`` and are dropped).  Each is vnu's JSON object: ``url`` (a ``file:``
    URL), ``message``, ``lastLine``, ``extract``, ... ``extra_args`` go to vnu before
    the paths (e.g. ``"--filterpattern", ".*foo.*"``).
    """
    if isinstance(paths_or_dir, (str, os.PathLike)):
        targets = [str(paths_or_dir)]
    else:
        targets = [str(p) for p in paths_or_dir]
    if not targets:
        raise ValueError("run_vnu: nothing to check")
    java = shutil.which("java")
    if java is None:
        raise RuntimeError("run_vnu: no java on PATH (the CI installs it; see .ci/run)")
    if not VNU_JAR.is_file():
        raise RuntimeError(f"run_vnu: {VNU_JAR} is missing; run `npm ci` at the repo root")
    cmd = [
        java,
        "-Xss8m",  # deeply nested documents overflow the default thread stack
        "-jar",
        str(VNU_JAR),
        "--format",
        "json",
        "--skip-non-html",
        *extra_args,
        *targets,
    ]
    proc = subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        stdin=subprocess.DEVNULL,
        timeout=timeout,
        check=False,
    )
    # vnu writes its JSON report to stderr (exit 1 when it found errors, else 0).
    report_text = proc.stderr.strip() or proc.stdout.strip()
    start = report_text.find("{")
    try:
        report = json.loads(report_text[start:]) if start >= 0 else None
    except json.JSONDecodeError:
        report = None
    if not isinstance(report, dict) or "messages" not in report:
        raise RuntimeError(f"run_vnu: no JSON report\n{describe_process(proc)}")
    messages: list[dict[str, Any]] = report["messages"]
    return [m for m in messages if m.get("type") != "info"]


def format_vnu(messages: Iterable[dict[str, Any]]) -> str:
    """vnu messages as ``file:line: message`` lines, for assertion messages."""
    lines = []
    for m in messages:
        url = str(m.get("url", "?"))
        path = urllib.parse.unquote(url.removeprefix("file:"))
        lines.append(f"{path}:{m.get('lastLine', '?')}: {m.get('message', m)}")
    return "\n".join(lines)


def run_axe(
    page: Page, context: Any = None, options: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Run axe-core in PAGE (already loaded) and return its violations.

    axe is injected from ``node_modules/axe-core/axe.min.js`` with
    ``page.add_script_tag(path=...)``; when a Content-Security-Policy blocks that
    inline script, the same file is evaluated through the DevTools protocol instead
    (which CSP does not govern).  CONTEXT and OPTIONS are passed to ``axe.run``
    (None: the whole document with axe's default rules).
    """
    if not AXE_JS.is_file():
        raise RuntimeError(f"run_axe: {AXE_JS} is missing; run `npm ci` at the repo root")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        with contextlib.suppress(Exception):
            page.add_script_tag(path=str(AXE_JS))
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate("source => { (0, eval)(source); }", AXE_JS.read_text("utf-8"))
    result: dict[str, Any] = page.evaluate(
        """async ([context, options]) => {
            const r = await window.axe.run(context ?? document, options ?? {});
            return JSON.parse(JSON.stringify(r.violations));
        }""",
        [context, options],
    )
    return list(result)  # type: ignore[arg-type]


def format_axe(violations: Iterable[dict[str, Any]]) -> str:
    """axe violations as readable lines, for assertion messages."""
    lines = []
    for v in violations:
        lines.append(f"[{v.get('impact')}] {v.get('id')}: {v.get('help')} ({v.get('helpUrl')})")
        for node in v.get("nodes", [])[:10]:
            lines.append(f"    {', '.join(map(str, node.get('target', [])))}: {node.get('html')}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------- network


def record_requests(page: Page) -> list[str]:
    """Start recording the URL of every request made in PAGE's browser context.

    Returns a list that fills as requests happen (subresources, navigations, fetches,
    workers).  Check it after the page has settled (e.g. after ``page.goto`` and any
    ``page.wait_for_load_state("networkidle")``).
    """
    urls: list[str] = []
    page.context.on("request", lambda request: urls.append(request.url))
    return urls


def is_local_url(url: str, allowed_hosts: Iterable[str] = LOCAL_HOSTS) -> bool:
    """Whether URL stays on this machine (loopback host, or no network at all:
    ``data:``, ``blob:``, ``about:``, ``javascript:``)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme in {"data", "blob", "about", "javascript"}:
        return True
    return (parts.hostname or "") in set(allowed_hosts)


def non_local_requests(
    urls: Iterable[str], allowed_hosts: Iterable[str] = LOCAL_HOSTS
) -> list[str]:
    """The URLs among URLS that would leave the machine."""
    hosts = set(allowed_hosts)
    return [u for u in urls if not is_local_url(u, hosts)]


def record_console_errors(page: Page) -> list[str]:
    """Start recording console errors and uncaught exceptions of PAGE; returns the list."""
    errors: list[str] = []
    page.on(
        "console",
        lambda msg: (
            errors.append(f"console.{msg.type}: {msg.text}") if msg.type == "error" else None
        ),
    )
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    return errors


NON_LOCAL_URL = re.compile(
    r"^(?:https?|wss?|ftp)://(?!(?:127\.0\.0\.1|localhost|\[::1\])(?:[:/]|$))"
)


def block_non_local(page_or_context: Any, on_block: Callable[[str], None] | None = None) -> None:
    """Abort every request of PAGE_OR_CONTEXT that would leave loopback.

    The ``page`` fixture does this already; request events still fire, so
    :func:`record_requests` sees the blocked URLs too.
    """

    def _abort(route: Any) -> None:
        if on_block is not None:
            on_block(route.request.url)
        route.abort("blockedbyclient")

    page_or_context.route(NON_LOCAL_URL, _abort)
