"""The real site built for a GitHub project page (``/notes/``), crawled in Chromium.

``built_site_subpath`` builds the repo's site with ``--base-url http://127.0.0.1:PORT/notes/``
and ``subpath_server`` serves it there the way GitHub Pages does (404.html for anything
missing).  Every page reachable from ``/notes/`` is opened in headless Chromium: no request
may fail or leave 127.0.0.1, every same-site ``#fragment`` must name an id on its page.
"""

from __future__ import annotations

import unicodedata
import urllib.parse
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest

from helpers import block_non_local, non_local_requests

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Response

ALLOWED_HOSTS = {"127.0.0.1"}
NOTE_URL = "posts/aws-network-2/"
NOTE_IMAGES = 10
MAX_PAGES = 500

PAGE_FACTS = """() => ({
    url: location.href,
    ids: [...document.querySelectorAll('[id]')].map(e => e.id)
        .concat([...document.querySelectorAll('a[name]')].map(e => e.name)),
    links: [...document.querySelectorAll('a[href], area[href]')].map(a => a.href),
})"""


@dataclass
class Crawl:
    base: str
    ids: dict[str, set[str]] = field(default_factory=dict)  # page URL -> its ids
    anchors: list[tuple[str, str, str]] = field(default_factory=list)  # from, page, fragment
    files: set[str] = field(default_factory=set)  # same-site links that are not pages
    failures: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _is_page(path: str) -> bool:
    return path.endswith("/") or path.endswith((".html", ".htm"))


def _watch(context: Any, crawl: Crawl) -> None:
    def on_response(response: Response) -> None:
        if response.status >= 400:
            crawl.failures.append(f"HTTP {response.status} {response.url}")

    context.on("request", lambda request: crawl.requests.append(request.url))
    context.on("response", on_response)
    context.on(
        "requestfailed",
        lambda request: crawl.failures.append(f"failed {request.url}: {request.failure}"),
    )


@pytest.fixture(scope="module")
def crawl(browser: Browser, subpath_server: str) -> Crawl:
    base = subpath_server
    origin = urllib.parse.urlsplit(base)
    result = Crawl(base)
    context = browser.new_context()
    context.set_default_timeout(15_000)
    block_non_local(context)
    _watch(context, result)
    page = context.new_page()
    queue: deque[str] = deque([base])
    seen = {base}
    try:
        while queue:
            url = queue.popleft()
            response = page.goto(url, wait_until="load")
            assert response is not None, url
            page.wait_for_load_state("networkidle")
            facts = page.evaluate(PAGE_FACTS)
            here = str(facts["url"]).split("#", 1)[0]
            result.ids[here] = {_nfc(i) for i in facts["ids"]}
            for href in facts["links"]:
                parts = urllib.parse.urlsplit(href)
                if parts.netloc != origin.netloc or not parts.path.startswith(origin.path):
                    continue
                target = urllib.parse.urlunsplit(parts._replace(query="", fragment=""))
                if not _is_page(parts.path):
                    result.files.add(target)
                    continue
                if parts.fragment:
                    result.anchors.append((here, target, parts.fragment))
                if target not in seen:
                    seen.add(target)
                    queue.append(target)
                    assert len(seen) <= MAX_PAGES, "the crawl does not end"
        for url in sorted(result.files):
            response = context.request.get(url)
            if response.status >= 400:
                result.failures.append(f"HTTP {response.status} {url}")
    finally:
        context.close()
    return result


def test_crawl_reaches_every_kind_of_page(crawl: Crawl) -> None:
    pages = {url.removeprefix(crawl.base) for url in crawl.ids}
    assert {"", NOTE_URL, "tags/", "search/"} <= pages, sorted(pages)
    assert any(p.startswith("tags/") and p != "tags/" for p in pages), sorted(pages)
    assert {f.removeprefix(crawl.base) for f in crawl.files} >= {"atom.xml", "index.xml"}


def test_crawl_has_no_failed_requests(crawl: Crawl) -> None:
    assert crawl.failures == []


def test_crawl_stays_on_127_0_0_1(crawl: Crawl) -> None:
    assert crawl.requests, "the crawl saw no requests at all"
    assert non_local_requests(crawl.requests, ALLOWED_HOSTS) == []


def test_crawl_has_no_broken_fragments(crawl: Crawl) -> None:
    broken = []
    for source, target, fragment in crawl.anchors:
        wanted = _nfc(urllib.parse.unquote(fragment))
        if wanted not in crawl.ids.get(target, set()):
            broken.append(f"{source}: #{wanted} is not an id on {target}")
    assert broken == []
    assert any(target.endswith(NOTE_URL) for _, target, _ in crawl.anchors), (
        "the note's table of contents links were not seen"
    )


@pytest.mark.parametrize("missing", ["does-not-exist/", "a/b/c/deep/", "gone.html"])
def test_missing_page_serves_404_with_its_stylesheet(
    page: Page, subpath_server: str, missing: str
) -> None:
    statuses: dict[str, int] = {}
    failed: list[str] = []
    page.on("response", lambda r: statuses.__setitem__(r.url, r.status))
    page.on("requestfailed", lambda r: failed.append(r.url))
    response = page.goto(subpath_server + missing, wait_until="load")
    assert response is not None and response.status == 404
    page.wait_for_load_state("networkidle")
    assert "페이지를 찾을 수 없습니다" in page.content()
    stylesheet = subpath_server + "static/css/site.css"  # (with its ?v= content hash)
    loaded = [u for u in statuses if u.split("?")[0] == stylesheet]
    assert loaded and all(statuses[u] == 200 for u in loaded), statuses
    sheets = page.evaluate("() => [...document.styleSheets].map(s => s.href)")
    assert any(s and s.split("?")[0] == stylesheet for s in sheets), sheets
    assert failed == []
    assert {u: s for u, s in statuses.items() if s >= 400} == {subpath_server + missing: 404}
    home = page.get_attribute("a.site-title", "href")
    assert home == urllib.parse.urlsplit(subpath_server).path


def test_the_notes_images_load(page: Page, subpath_server: str) -> None:
    statuses: dict[str, int] = {}
    page.on("response", lambda r: statuses.__setitem__(r.url, r.status))
    page.goto(subpath_server + NOTE_URL, wait_until="load")
    images = page.locator("article img")
    assert images.count() == NOTE_IMAGES
    for i in range(NOTE_IMAGES):
        image = images.nth(i)
        image.scroll_into_view_if_needed()  # they are loading="lazy"
        handle = image.element_handle()
        assert handle is not None
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=handle)
    sources = images.evaluate_all("els => els.map(e => e.currentSrc)")
    prefix = subpath_server + "static/img/post/network/"
    assert all(src.startswith(prefix) for src in sources), sources
    assert len(set(sources)) == NOTE_IMAGES
    assert all(statuses.get(src) == 200 for src in sources), statuses


def test_search_results_link_under_the_sub_path(page: Page, subpath_server: str) -> None:
    statuses: dict[str, int] = {}
    page.on("response", lambda r: statuses.__setitem__(r.url, r.status))
    page.goto(subpath_server + "search/?q=" + urllib.parse.quote("엔드포인트"))
    page.wait_for_selector("#search-results a[href]")
    assert statuses.get(subpath_server + "search-index.json") == 200, statuses
    assert statuses.get(subpath_server + "search-index/00.json") == 200, statuses
    hrefs = page.eval_on_selector_all("#search-results a[href]", "els => els.map(a => a.href)")
    assert any(h.split("#", 1)[0] == subpath_server + NOTE_URL for h in hrefs), hrefs
    assert all(h.startswith(subpath_server) for h in hrefs), hrefs
