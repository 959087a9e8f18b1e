"""A multilingual Hugo site (``[languages.X]`` with their own ``contentDir``; the
file-suffix style is compared with Hugo in test_hugo_site.py): every language built, the default one at the root (or under ``/ko/`` with
``defaultContentLanguageInSubdir``), each with its own title, params and UI strings; and
root-relative links in a Hugo site's Markdown kept as written, as Hugo keeps them, with a
warning when one leaves the base path. (The URL sets and page structures are compared with
Hugo's in test_hugo_site.py.)"""

from __future__ import annotations

import io
import posixpath
import re
import shutil
import subprocess
import sys
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

from PIL import Image

from awsnotes_site.cli import main
from awsnotes_site.pipeline import Builder
from awsnotes_site.pipeline.builder import build
from awsnotes_site.pipeline.options import BuildOptions, BuildResult
from awsnotes_site.serve.preview import PreviewServer
from awsnotes_site.serve.project import ProjectBuilder
from awsnotes_site.urls import output_path
from test_hugo_site import FIXTURES

CLI = Path(sys.executable).parent / "awsnotes-site"


class _Page(HTMLParser):
    """The ``lang``, ``<title>``, (header) search placeholder, links and refresh target of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang = ""
        self.title = ""
        self.placeholder = ""
        self.hrefs: list[str] = []
        self.refresh = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = a.get("lang", "")
        elif tag == "title":
            self._in_title = True
        elif tag == "input" and a.get("type") == "search" and not self.placeholder:
            self.placeholder = a.get("placeholder", "")
        elif tag == "a" and "href" in a:
            self.hrefs.append(a["href"])
        elif tag == "meta" and a.get("http-equiv") == "refresh":
            self.refresh = a.get("content", "")

    def handle_endtag(self, tag: str) -> None:
        self._in_title = self._in_title and tag != "title"

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def _page(out: Path, rel: str) -> _Page:
    parser = _Page()
    parser.feed((out / rel).read_text(encoding="utf-8"))
    return parser


def _site(tmp_path: Path, subdir: bool = False) -> Path:
    site = tmp_path / "bilingual"
    shutil.copytree(FIXTURES / "bilingual", site)
    if subdir:
        config = site / "hugo.toml"
        text = config.read_text(encoding="utf-8")
        config.write_text(text.replace("InSubdir = false", "InSubdir = true"), encoding="utf-8")
    return site


def _build(site: Path, base_url: str | None = None) -> BuildResult:
    options = BuildOptions(use_cache=False, save_cache=False, jobs=1, base_url=base_url)
    result, _ = build(site, options)
    return result


def test_each_language_has_its_title_lang_and_ui_strings(tmp_path: Path) -> None:
    result = _build(_site(tmp_path))
    out = result.config.output_path
    assert not [d for d in result.diagnostics if d.is_error]
    ko, en = _page(out, "posts/hello/index.html"), _page(out, "en/posts/hello/index.html")
    assert (ko.lang, ko.title) == ("ko", "안녕하세요 | 두 언어 블로그")
    assert (en.lang, en.title) == ("en", "Hello | Two Languages")
    search = _page(out, "en/search/index.html")
    assert (search.lang, search.placeholder) == ("en", "Search ( / )")
    assert _page(out, "search/index.html").placeholder == "검색 ( / )"
    assert _page(out, "en/404.html").title == "Page not found | Two Languages"
    # as Hugo's: /sitemap.xml lists each language's sitemap, robots.txt names it
    assert re.findall(r"<loc>([^<]+)</loc>", (out / "sitemap.xml").read_text()) == [
        "https://two.example.kr/ko/sitemap.xml",
        "https://two.example.kr/en/sitemap.xml",
    ]
    assert "<loc>https://two.example.kr/posts/" in (out / "ko/sitemap.xml").read_text()
    assert "<loc>https://two.example.kr/en/posts/" in (out / "en/sitemap.xml").read_text()
    assert "Sitemap: https://two.example.kr/sitemap.xml" in (out / "robots.txt").read_text()
    # the default language's /ko/ redirects to the root, as Hugo's does
    assert _page(out, "ko/index.html").refresh == "0; url=https://two.example.kr/"


def test_static_once_at_the_root_and_bundles_beside_their_language(tmp_path: Path) -> None:
    result = _build(_site(tmp_path))
    out = result.config.output_path
    assert (out / "favicon.ico").is_file()
    assert not (out / "en" / "favicon.ico").exists()  # Hugo copies static/ once
    assert (out / "en/posts/trip/photo.png").is_file()
    assert (out / "posts/여행/사진.png").is_file()
    assert not (out / "en/posts/여행").exists()


def test_default_language_in_subdir(tmp_path: Path) -> None:
    site = _site(tmp_path, subdir=True)
    result = _build(site)
    out = result.config.output_path
    not_found = _page(out, "404.html")  # the default language's: its links name /ko/
    assert "/ko/search/" in not_found.hrefs and "/search/" not in not_found.hrefs
    proc = subprocess.run(
        [str(CLI), "check", "-s", str(site)], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    assert _page(out, "index.html").refresh == "0; url=https://two.example.kr/ko/"
    assert _page(out, "ko/posts/hello/index.html").title == "안녕하세요 | 두 언어 블로그"
    assert _page(out, "en/posts/hello/index.html").lang == "en"
    assert not (out / "posts").exists()  # nothing of the default language at the root
    assert (out / "favicon.ico").is_file()
    assert (out / "robots.txt").is_file()
    assert "<loc>https://two.example.kr/ko/sitemap.xml</loc>" in (out / "sitemap.xml").read_text()
    assert "<loc>https://two.example.kr/ko/posts/" in (out / "ko/sitemap.xml").read_text()
    assert not (out / "posts/여행/사진.png").exists()
    assert (out / "ko/posts/여행/사진.png").is_file()
    # each note once, under its language
    assert sorted(v.note.display_path for v in result.notes) == [
        "content/en/_index.md",
        "content/en/posts/hello.md",
        "content/en/posts/trip/index.md",
        "content/ko/_index.md",
        "content/ko/posts/hello.md",
        "content/ko/posts/여행/index.md",
    ]


def test_languages_under_a_base_path_and_check_passes(tmp_path: Path) -> None:
    site = _site(tmp_path)
    result = _build(site, base_url="https://u.github.io/blog/")
    out = result.config.output_path
    en = _page(out, "en/posts/trip/index.html")
    assert "/blog/en/posts/hello/" in en.hrefs  # "../hello/", resolved by the browser
    assert "/blog/en/" in en.hrefs or "/blog/en" in en.hrefs  # the header's home link
    proc = subprocess.run(
        [str(CLI), "check", "-s", str(site)], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr


def test_rebuild_keeps_every_language(tmp_path: Path) -> None:
    """``serve`` keeps one Builder: a second build after an edit in another language."""
    site = _site(tmp_path)
    builder = Builder(site.resolve(), BuildOptions(use_cache=False, save_cache=False, jobs=1))
    first = builder.build()
    hello = site / "content/en/posts/hello.md"
    hello.write_text(
        hello.read_text(encoding="utf-8").replace("## Greeting", "## Hi there"),
        encoding="utf-8",
    )
    second = builder.build()
    assert set(first.files) == set(second.files)
    page = second.files["en/posts/hello/index.html"].decode()
    assert 'id="hi-there"' in page
    assert second.stats.rendered_notes < first.stats.rendered_notes


def test_root_relative_links_stay_as_written_on_hugo_sites(tmp_path: Path) -> None:
    """Hugo leaves ``[x](/posts/a/)`` as written under a sub-path base URL (only
    ``relURL`` in templates or ``canonifyURLs`` add it): so do we, and warn that the link
    leaves the site."""
    site = tmp_path / "blog"
    (site / "content/posts").mkdir(parents=True)
    (site / "hugo.toml").write_text(
        'baseURL = "https://u.github.io/blog/"\ntitle = "t"\n', encoding="utf-8"
    )
    (site / "content/posts/a.md").write_text(
        "---\ntitle: A\n---\n[b](/posts/b/) and [b again](/blog/posts/b/) and [up](../b/)\n",
        encoding="utf-8",
    )
    (site / "content/posts/b.md").write_text("---\ntitle: B\n---\nb\n", encoding="utf-8")
    result = _build(site)
    page = _page(result.config.output_path, "posts/a/index.html")
    assert {"/posts/b/", "/blog/posts/b/", "../b/"} <= set(page.hrefs)
    warnings = [d for d in result.diagnostics if "leaves the site's base path" in d.message]
    assert [(d.path, d.line) for d in warnings] == [("content/posts/a.md", 4)]
    assert "'/posts/b/'" in warnings[0].message
    assert warnings[0].hint is not None and "/blog/posts/b/" in warnings[0].hint
    proc = subprocess.run(
        [str(CLI), "check", "-s", str(site)], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 1
    assert "content/posts/a.md:4" in proc.stderr
    assert "not under the base path /blog/" in proc.stderr


def test_site_toml_sites_still_get_the_base_path(tmp_path: Path) -> None:
    site = tmp_path / "notes"
    (site / "content").mkdir(parents=True)
    (site / "site.toml").write_text(
        'title = "t"\nbase_url = "https://u.github.io/blog/"\n', encoding="utf-8"
    )
    (site / "content/a.md").write_text("---\ntitle: A\n---\n[b](/b/)\n", encoding="utf-8")
    (site / "content/b.md").write_text("---\ntitle: B\n---\nb\n", encoding="utf-8")
    result = _build(site)
    view = next(v for v in result.notes if v.note.title == "A")
    page = _page(result.config.output_path, output_path(view.note.url))
    assert "/blog/b/" in page.hrefs and "/b/" not in page.hrefs


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_init_from_hugo_round_trip_keeps_every_language(tmp_path: Path) -> None:
    """``init --from-hugo`` writes the languages into site.toml: with the Hugo
    configuration gone, the site builds to the same files."""
    for subdir in (False, True):
        site = _site(tmp_path / str(subdir), subdir)
        before = _files(_build(site).config.output_path)
        assert main(["init", "--from-hugo", str(site)]) == 0
        text = (site / "site.toml").read_text(encoding="utf-8")
        assert "[languages.en]" in text
        (site / "hugo.toml").unlink()
        result = _build(site)
        assert not [d for d in result.diagnostics if d.is_error]
        after = _files(result.config.output_path)
        assert sorted(after) == sorted(before)
        assert [rel for rel in before if before[rel] != after[rel]] == []


def test_serve_sends_every_language(tmp_path: Path) -> None:
    """The preview serves each language's pages, its bundle files and the image
    variants its pages name, and the static files at the root."""
    site = _site(tmp_path)
    Image.new("RGB", (1600, 900), (200, 30, 30)).save(site / "content/en/posts/trip/photo.png")
    server = PreviewServer(ProjectBuilder(site), port=0, out=io.StringIO(), err=io.StringIO())
    server.start()
    try:
        assert server.wait_for_build(1, 60).ok
        base = f"http://127.0.0.1:{server.port}"
        with urllib.request.urlopen(base + "/en/posts/trip/", timeout=30) as response:
            html = response.read().decode()
        page = _Page()
        page.feed(html)
        assert page.lang == "en"
        srcs = _image_urls(html, "/en/posts/trip/")
        assert {"/en/posts/trip/photo.png", "/en/posts/trip/photo.1600w.webp"} <= set(srcs)
        for url in [*srcs, "/posts/여행/사진.png", "/favicon.ico"]:
            with urllib.request.urlopen(base + quote(url), timeout=30) as response:
                assert response.status == 200, url
    finally:
        server.stop()


def _image_urls(html: str, url: str) -> list[str]:
    """Every image URL (src and srcset candidates) of the content of the page at URL."""
    found = re.findall(r'<img [^>]*?(?:src|srcset)="([^"]+)"', html)
    found += re.findall(r'<source [^>]*?srcset="([^"]+)"', html)
    urls = [part.strip().split(" ")[0] for value in found for part in value.split(",")]
    return [posixpath.normpath(posixpath.join(url, u)) for u in urls if "://" not in u]


def test_second_cached_build_is_the_same(tmp_path: Path) -> None:
    """The languages read .cache/ but leave the root build's records to it: a second
    build with the cache publishes the same files and takes the root's pages as they are."""
    site = _site(tmp_path, subdir=False)
    options = BuildOptions(jobs=1)
    first, _ = build(site, options)
    before = _files(first.config.output_path)
    second, stats = build(site, BuildOptions(jobs=1))
    assert _files(second.config.output_path) == before
    assert second.stats.rendered_notes < first.stats.rendered_notes
    assert stats.unchanged > 0
