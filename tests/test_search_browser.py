"""The search page in Chromium: the demo site built by the CLI for a sub-path (/notes/),
served like GitHub Pages, queried through ?q= and by typing.

Each of the query kinds that word indexes miss must find its note; the page's ranking must
equal the Python reference (awsnotes_site.search.search); snippets carry <mark>; note text
never becomes markup; nothing is fetched from outside 127.0.0.1.
"""

from __future__ import annotations

import json
import random
import re
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import pytest

from awsnotes_site.search import (
    MANIFEST,
    LoadedIndex,
    SearchDoc,
    build_index,
    load_index,
    search,
    shard_count,
    shard_of,
    shard_path,
)
from helpers import (
    build_site,
    describe_process,
    free_port,
    non_local_requests,
    record_console_errors,
    record_requests,
    serve_directory,
)
from sitefactory import DEMO_NOTES, IMDS_NOTE, make_project, many_notes

if TYPE_CHECKING:
    from playwright.sync_api import Dialog, Page

SEARCH_JS = Path(__file__).resolve().parent.parent / "src/awsnotes_site/theme/static/js/search.js"
PREFIX = "/notes/"
SHIPPED = "posts/aws-network-2/"
IMDS = "posts/imds/"
PAGE_SIZE = 20

# Beside DEMO_NOTES: 엔드포인트를 and IMDSv2 (the shipped note has neither), a note whose
# title is hostile markup, and notes to check the ranking.
EXTRA_NOTES: dict[str, str] = {
    "posts/imds.md": IMDS_NOTE,
    "posts/hostile.md": """+++
title = "<img src=x onerror=alert(1)> 태그 주입 시험"
date = 2023-01-05
tags = ["<b>굵게</b>"]
+++

본문에 `<script>alert(2)</script>` 와 `</script>` 를 적어 둔다. 주입시험용 문장.
""",
    "posts/routing.md": """+++
title = "라우팅 정리"
date = 2024-05-01
tags = ["AWS"]
+++

게이트웨이 게이트웨이 게이트웨이 게이트웨이 게이트웨이 게이트웨이 게이트웨이 게이트웨이.
""",
}


BULK = PAGE_SIZE + 5  # notes sharing one word, for more than a page of results
EXTRA_NOTES.update(
    {
        f"bulk/note-{i:02d}.md": f"""+++
title = "묶음 글 {i}"
date = 2022-{1 + i % 12:02d}-{1 + i:02d}
+++

페이지넘김 시험용 본문 {i}.
"""
        for i in range(BULK)
    }
)


class Site(NamedTuple):
    base: str  # http://127.0.0.1:PORT/notes/
    out: Path
    search_index: LoadedIndex


def _served_site(tmp: Path, notes: dict[str, str]) -> Iterator[Site]:
    """NOTES built by the CLI for the sub-path /notes/ and served like GitHub Pages."""
    project = make_project(tmp, notes)
    port = free_port()
    base = f"http://127.0.0.1:{port}{PREFIX}"
    out = tmp / "public"
    proc = build_site(out, "--source", str(project), "--base-url", base)
    if proc.returncode != 0:
        pytest.fail(f"building the site failed\n{describe_process(proc)}", pytrace=False)
    index = load_index(lambda path: (out / path).read_text("utf-8"))
    with serve_directory(out, PREFIX, port) as url:
        assert url == base
        yield Site(base, out, index)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    yield from _served_site(tmp_path_factory.mktemp("search_site"), {**DEMO_NOTES, **EXTRA_NOTES})


def open_search(page: Page, site: Site, query: str) -> list[str]:
    """Open /notes/search/?q=QUERY, wait until the results for it are shown; their hrefs."""
    from playwright.sync_api import expect

    page.goto(f"{site.base}search/?q={urllib.parse.quote(query)}")
    results = page.locator("#search-results")
    expect(results).to_have_attribute("data-query", query)
    return results_hrefs(page)


def results_hrefs(page: Page) -> list[str]:
    hrefs = page.locator("#search-results > li > a").evaluate_all(
        "els => els.map(a => a.getAttribute('href'))"
    )
    return [str(h) for h in hrefs]


def href(url: str) -> str:
    return PREFIX + url


QUERIES: list[tuple[str, tuple[str, ...]]] = [
    # the middle of a word
    ("스턴스", (SHIPPED, IMDS)),
    # a particle stripped or added: the IMDS note has 엔드포인트를, the shipped one 엔드포인트는
    ("엔드포인트", (SHIPPED, IMDS)),
    ("엔드포인트는", (SHIPPED, IMDS)),
    ("엔드포인트를", (SHIPPED, IMDS)),
    # initial consonants, the note's spaces ignored
    ("ㅂㅊㄱㄹ", (SHIPPED,)),
    # English and code tokens, any case
    ("169.254.169.254", (SHIPPED,)),
    ("imdsv2", (IMDS,)),
    ("IMDSv2", (IMDS,)),
    ("curl", (SHIPPED,)),
    ("CURL", (SHIPPED,)),
    # spacing and several terms
    ("배치그룹", (SHIPPED,)),
    ("VPC 엔드포인트", (SHIPPED,)),
]


@pytest.mark.parametrize(("query", "expected"), QUERIES)
def test_query_finds_notes(page: Page, site: Site, query: str, expected: tuple[str, ...]) -> None:
    from playwright.sync_api import expect

    requests = record_requests(page)
    errors = record_console_errors(page)
    hrefs = open_search(page, site, query)
    for url in expected:
        assert href(url) in hrefs, (query, hrefs)
    # the same ranking as the Python reference
    reference = [href(h.url) for h in search(site.search_index, query)]
    assert hrefs == reference[:PAGE_SIZE]
    total = len(reference)
    expect(page.locator("#search-status")).to_have_text(f"{total}개의 결과")
    # the input shows the query; the expected note's snippet marks what matched
    expect(page.locator("#search-input")).to_have_value(query)
    probe = {
        "ㅂㅊㄱㄹ": "배치",
        "배치그룹": "배치",
        "엔드포인트는": "엔드포인트",
        "엔드포인트를": "엔드포인트",
        "vpc 엔드포인트": "엔드포인트",
    }
    for url in expected:
        item = page.locator("#search-results > li").filter(
            has=page.locator(f'a[href="{href(url)}"]')
        )
        marks = item.locator(".search-result__snippet mark")
        expect(marks.first).to_be_visible()
        marked = " ".join(marks.all_text_contents()).lower()
        assert probe.get(query.lower(), query.lower()) in marked, (url, marked)
    page.wait_for_load_state("networkidle")
    assert non_local_requests(requests) == []
    assert all(u.startswith(site.base) for u in requests), requests
    assert errors == []


def test_nonsense_finds_nothing(page: Page, site: Site) -> None:
    from playwright.sync_api import expect

    assert open_search(page, site, "가나다라마바사zq") == []
    expect(page.locator("#search-status")).to_have_text("결과가 없습니다")
    expect(page.locator("#search-results > li")).to_have_count(0)


def test_title_hits_first_then_more_matches_then_newer(page: Page, site: Site) -> None:
    hrefs = open_search(page, site, "게이트웨이")
    titled = href("posts/nat-gateway/")
    assert hrefs[0] == titled  # the only note with 게이트웨이 in its title
    assert hrefs[1] == href("posts/routing/")  # 8 matches in the text
    assert (
        page.locator("#search-results > li").first.locator(".search-result__title mark").count()
        >= 1
    )


def test_typing_searches_and_updates_url(page: Page, site: Site) -> None:
    from playwright.sync_api import expect

    page.goto(f"{site.base}search/")
    expect(page.locator("#search-status")).to_have_text("")
    page.locator("#search-input").fill("스턴스")
    expect(page.locator("#search-results")).to_have_attribute("data-query", "스턴스")
    assert href(SHIPPED) in results_hrefs(page)
    page.wait_for_function("() => new URLSearchParams(location.search).get('q') === '스턴스'")
    assert urllib.parse.urlsplit(page.url).path == f"{PREFIX}search/"
    page.locator("#search-input").fill("ㅂㅊㄱㄹ")
    expect(page.locator("#search-results")).to_have_attribute("data-query", "ㅂㅊㄱㄹ")
    page.locator("#search-input").fill("")
    expect(page.locator("#search-results")).to_have_attribute("data-query", "")
    expect(page.locator("#search-results > li")).to_have_count(0)
    page.wait_for_function("() => !new URLSearchParams(location.search).has('q')")


def test_result_links_work_under_the_subpath(page: Page, site: Site) -> None:
    open_search(page, site, "ㅂㅊㄱㄹ")
    link = page.locator(f'#search-results a[href="{href(SHIPPED)}"]')
    with page.expect_navigation():
        link.click()
    assert page.url == site.base + SHIPPED
    assert "배치 그룹" in page.locator("main").inner_text()


def test_header_form_leads_to_results(page: Page, site: Site) -> None:
    from playwright.sync_api import expect

    page.goto(site.base)
    box = page.locator("#site-search-input")
    box.fill("IMDSv2")
    with page.expect_navigation():
        box.press("Enter")
    assert urllib.parse.urlsplit(page.url).path == f"{PREFIX}search/"
    expect(page.locator("#search-results")).to_have_attribute("data-query", "IMDSv2")
    assert results_hrefs(page)[0] == href(IMDS)


def test_note_text_is_never_markup(page: Page, site: Site) -> None:
    from playwright.sync_api import expect

    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    open_search(page, site, "주입")
    item = page.locator("#search-results > li").filter(
        has=page.locator(f'a[href="{href("posts/hostile/")}"]')
    )
    expect(item).to_have_count(1)
    assert (
        page.locator("#search-results img, #search-results script, #search-results b").count() == 0
    )
    title = item.locator(".search-result__title").inner_text()
    assert title.startswith("<img src=x onerror=alert(1)>")
    assert "#<b>굵게</b>" in item.locator(".search-result__tags").inner_text()
    open_search(page, site, "script")
    assert "<script>alert(2)</script>" in page.locator("#search-results").inner_text()
    assert dialogs == []


def test_more_button_pages_through_results(page: Page, site: Site) -> None:
    from playwright.sync_api import expect

    open_search(page, site, "페이지넘김")
    assert len(search(site.search_index, "페이지넘김")) == BULK
    items = page.locator("#search-results > li")
    expect(items).to_have_count(PAGE_SIZE)
    expect(page.locator("#search-status")).to_have_text(f"{BULK}개의 결과")
    page.locator("#search-more").click()
    expect(items).to_have_count(BULK)
    expect(page.locator("#search-more")).to_be_hidden()
    # newest first among equal matches
    dates = items.locator("time").evaluate_all("els => els.map(t => t.dateTime)")
    assert dates == sorted(dates, reverse=True)


def test_index_is_fetched_from_the_subpath(page: Page, site: Site) -> None:
    requests = record_requests(page)
    open_search(page, site, "curl")
    assert f"{site.base}search-index.json" in requests
    assert f"{site.base}search-index/00.json" in requests  # the one shard of a small site
    manifest = json.loads((site.out / MANIFEST).read_text("utf-8"))
    assert manifest["shards"] == ["search-index/00.json"]
    assert all(not re.match(r"^/|https?:", d["url"]) for d in site.search_index.docs)


# -- the client against the reference, on a generated corpus ------------------------------
WORDS = [
    "인스턴스",
    "엔드포인트",
    "배치",
    "그룹",
    "서브넷",
    "게이트웨이",
    "메타데이터",
    "보안",
    "라우팅",
    "테이블",
    "IMDSv2",
    "curl",
    "VPC",
    "EC2",
    "169.254.169.254",
    "NAT",
    "즉",
    "프라이빗",
    "링크",
    "분산형",
    "클러스터",
    "파티션",
    "ㅋㅋ",
    "토큰",
    "İstanbul",
]
PARTICLES = ["", "", "은", "는", "이", "가", "을", "를", "에서", "으로", "의", "와", "한다"]
PARITY_QUERIES = [
    "인스턴스",
    "스턴스",
    "엔드포인트",
    "엔드포인트는",
    "엔드포인트를",
    "ㅂㅊㄱㄹ",
    "ㅂㅊ ㄱㄹ",
    "ㅇㄷㅍㅇㅌ",
    "배치 그룹",
    "배치그룹",
    "169.254.169.254",
    "imdsv2",
    "IMDSv2는",
    "curl",
    "CURL",
    "즉",
    "ㅋㅋ",
    "ㅋ",
    "vpc의",
    "ec2 인스턴스",
    "ec2ㅇㅅㅌㅅ",
    "분산형 배치 그룹은",
    "라우팅 테이블을",
    "istanbul",
    "프라이빗 링크로",
    "게이트웨이",
    "nat 게이트웨이",
    "토큰",
    "스턴스 그룹 vpc",
    "zzz",
    "가나다",
    "254",
    "4.1",
    "-",
    "ㄱ",
    "constructor",
    "__proto__",
    "tostring",
]


def generated_docs(n: int) -> list[SearchDoc]:
    rng = random.Random(7)
    docs = []
    for i in range(n):
        words = [rng.choice(WORDS) + rng.choice(PARTICLES) for _ in range(rng.randint(5, 80))]
        if rng.random() < 0.3:  # some words written without their space
            j = rng.randrange(len(words))
            words[j : j + 2] = ["".join(words[j : j + 2])]
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4)))
        tags = rng.sample(["AWS", "VPC", "EC2", "보안", "IMDSv2"], k=rng.randint(0, 2))
        date = f"20{rng.randint(19, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        docs.append(SearchDoc(f"p/{i}/", title, date, tags, " ".join(words) + "."))
    return docs


def parsed(files: dict[str, str]) -> list[Any]:
    """The manifest and its shards from build_index's FILES, parsed: the arguments of
    AwsnotesSearch.load."""
    manifest = json.loads(files[MANIFEST])
    return [manifest, [json.loads(files[path]) for path in manifest["shards"]]]


def test_client_ranks_like_the_reference(page: Page) -> None:
    files = build_index(generated_docs(150))  # 150 notes: two shards
    index = load_index(files)
    assert len(index.shards) == 2
    page.set_content('<!DOCTYPE html><html lang="ko"><body data-base="/"></body></html>')
    page.add_script_tag(path=str(SEARCH_JS))
    got = page.evaluate(
        """([manifest, shards, queries]) => {
            const S = window.AwsnotesSearch, index = S.load(manifest, shards);
            return queries.map(q => S.search(index, q).map(h => [h.shard, h.id, h.titleHits, h.score]));
        }""",
        [*parsed(files), PARITY_QUERIES],
    )
    for query, js in zip(PARITY_QUERIES, got, strict=True):
        py = [[h.shard, h.id, h.title_hits, h.score] for h in search(index, query)]
        assert js == py, query
    assert sum(map(len, got)) > 500  # the queries do find things
    assert {shard for hits in got for shard, *_ in hits} == {0, 1}


def test_snippet_stays_short_and_marks_the_match(page: Page) -> None:
    far = "배치 " + "가나다라 " * 200 + "그룹 끝"
    files = build_index([SearchDoc("a/", "제목", "", [], far)])
    page.set_content('<!DOCTYPE html><html lang="ko"><body data-base="/"></body></html>')
    page.add_script_tag(path=str(SEARCH_JS))
    parts = page.evaluate(
        """([manifest, shards]) => {
            const S = window.AwsnotesSearch, index = S.load(manifest, shards);
            const [hit] = S.search(index, "배치 그룹");
            return S.snippet(hit.doc.text, hit);
        }""",
        parsed(files),
    )
    assert sum(len(p) for p, _ in parts) < 200
    assert ["배치", True] in parts


# -- a site with several shards ------------------------------------------------------------
MANY = 300  # notes: four shards


@pytest.fixture(scope="module")
def many_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """MANY notes built by the CLI for the sub-path /notes/ and served like GitHub Pages."""
    yield from _served_site(tmp_path_factory.mktemp("many_site"), many_notes(MANY))


def test_every_shard_is_loaded_and_searched(page: Page, many_site: Site) -> None:
    """A note of every shard is found through the page, whose shards all come from the
    sub-path; the results equal the reference on all shards at once."""
    count = shard_count(MANY + 1)  # the notes and the shipped one
    assert count == 4 and len(many_site.search_index.shards) == count
    shard_files = [shard_path(k, count) for k in range(count)]
    assert (
        sorted(
            p.relative_to(many_site.out).as_posix()
            for p in (many_site.out / "search-index").iterdir()
        )
        == shard_files
    )
    requests = record_requests(page)
    errors = record_console_errors(page)
    for k in range(count):
        i = next(i for i in range(MANY) if shard_of(f"bulk/note-{i:03d}/", count) == k)
        for query in (f"고유{i}번", f"UNIQ{i}X"):
            assert open_search(page, many_site, query) == [href(f"bulk/note-{i:03d}/")], query
    # one query with results in every shard, ranked as the reference ranks them
    hrefs = open_search(page, many_site, "대량")
    reference = [href(h.url) for h in search(many_site.search_index, "대량")]
    assert len(reference) == MANY and {
        h.shard for h in search(many_site.search_index, "대량")
    } == set(range(count))
    assert hrefs == reference[:PAGE_SIZE]
    for path in [MANIFEST, *shard_files]:
        assert many_site.base + path in requests, path
    assert non_local_requests(requests) == []
    assert errors == []


def test_a_missing_shard_is_reported(page: Page, many_site: Site) -> None:
    """A shard that does not load (here: the request fails) gives the failure message, not
    results from the other shards."""
    from playwright.sync_api import expect

    page.route(f"{many_site.base}search-index/01.json", lambda route: route.abort())
    page.goto(f"{many_site.base}search/?q=" + urllib.parse.quote("대량"))
    expect(page.locator("#search-status")).to_have_text("검색 색인을 불러오지 못했습니다.")
    expect(page.locator("#search-results > li")).to_have_count(0)
