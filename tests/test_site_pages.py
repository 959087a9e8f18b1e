"""The shipped site, built by the CLI and parsed: the note, home, tag, tags and 404 pages."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from helpers import ROOT, Document, parse_html, run_vnu

SHIPPED_NOTE = ROOT / "content" / "posts" / "aws-network-2.md"
# The SHA-256 of the note these tests were written against (the copy kept by the note's
# author). A changed note must come with changed tests, so the digest is pinned here,
# in the repository, instead of comparing with a folder outside it.
SHIPPED_NOTE_SHA256 = "a9a5297493e69e4e3349a2af2250fb6a37f83d8296c9b08312f9a2d24effb02b"
NOTE_URL = "posts/aws-network-2/"
IMAGES = [
    "endpoint",
    "endpoint_flow",
    "gw_endpoint_flow",
    "if_endpoint_flow",
    "endpoint_service_flow",
    "placement",
    "cluster",
    "partition",
    "dist",
    "meta",
]


@pytest.fixture(scope="module")
def note(built_site: Path) -> Document:
    return parse_html(built_site / NOTE_URL / "index.html")


def test_content_is_the_note_these_tests_were_written_for() -> None:
    notes = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "content").rglob("*.md"))
    assert notes == ["content/posts/aws-network-2.md"]
    assert hashlib.sha256(SHIPPED_NOTE.read_bytes()).hexdigest() == SHIPPED_NOTE_SHA256


def test_every_image_the_note_shows_is_in_the_repository() -> None:
    text = SHIPPED_NOTE.read_text(encoding="utf-8")
    sources = re.findall(r'src="(/static/[^"]+)"', text)
    assert sources == [f"/static/img/post/network/{name}.png" for name in IMAGES]
    for src in sources:
        assert (ROOT / src.lstrip("/")).is_file(), src


def test_note_page_language_and_title(note: Document) -> None:
    assert note.html is not None and note.html.get("lang") == "ko"
    h1 = note.get_by_id("note-title")
    assert h1 is not None
    assert h1.norm_text() == "[Book] [따라하며 배우는 AWS 네트워크 입문] 노트정리 1회차 (2/2)"
    assert note.find("meta", name="description")["content"].startswith("김원일, 서종호의 저서")


def test_note_shows_quote_index_underlines_and_inline_code(note: Document) -> None:
    content = note.find("div", class_="note-content")
    assert content is not None
    quote = content.find("blockquote")
    assert quote is not None and "3장 VPC 고급, 4장 인터넷 연결을 다룬다" in quote.norm_text()
    index = content.find("ol")
    assert index is not None
    assert [li.norm_text() for li in index.find_all("li")] == ["3장 VPC 고급", "4장 인터넷 연결"]
    underlined = [u.norm_text() for u in content.find_all("u")]
    assert underlined == ["VPC 엔드포인트", "주된 특징", "예시", "배치 그룹", "종류"]
    codes = {c.norm_text() for c in content.find_all("code") if c.closest("pre") is None}
    assert {"프라이빗 엑세스", "169.254.169.254", "Hadoop", "v2"} <= codes


def test_note_headings_have_hugo_style_ids(note: Document) -> None:
    content = note.find("div", class_="note-content")
    assert content is not None
    headings = [(h.tag, h.get("id")) for h in content.iter() if re.fullmatch(r"h[1-6]", h.tag)]
    assert headings == [
        ("h1", "3장-vpc-고급"),
        ("h2", "01-vpc-엔드포인트"),
        ("h3", "04-배치-그룹"),
        ("h3", "05-메타데이터"),
        ("h1", "4장-인터넷-연결"),
    ]
    for _tag, hid in headings:
        heading = content.get_by_id(str(hid))
        assert heading is not None
        anchor = heading.find("a", class_="heading-anchor")
        assert anchor is not None and anchor.get("href") == f"#{hid}"


def test_toc_lists_both_chapters_with_their_sections(note: Document) -> None:
    toc = note.find("aside", class_="toc")
    assert toc is not None
    top = toc.find("ol")
    assert top is not None
    chapters = [li for li in top.elements if li.tag == "li"]
    assert [li.find("a").norm_text() for li in chapters] == ["3장 VPC 고급", "4장 인터넷 연결"]
    nested = [a.get("href") for a in chapters[0].find_all("a")]
    assert nested == ["#3장-vpc-고급", "#01-vpc-엔드포인트", "#04-배치-그룹", "#05-메타데이터"]
    # h3 sections sit under the h2 that precedes them
    sub = chapters[0].find("ol")
    assert sub is not None and sub.find("li").find("ol") is not None


def test_highlighted_curl_block_has_four_numbered_lines(note: Document) -> None:
    blocks = note.find_all("div", class_="highlight")
    assert len(blocks) == 1
    block = blocks[0]
    numbers = [s.norm_text() for s in block.find_all("span", class_="lnt")]
    assert numbers == ["1", "2", "3", "4"]
    code = block.find("code", class_="language-bash")
    assert code is not None
    lines = [s.text().rstrip("\n") for s in code.find_all("span", class_="cl")]
    assert lines[0].startswith("curl http://169.254.169.254/latest/meta-data")
    assert lines[2].strip() == "# 예시1: 퍼블릭 주소"
    assert lines[3] == "curl http://169.254.169.254/latest/meta-data/public-ipv4"
    # Pygments token classes, no inline styles
    assert code.find("span", class_="c1") is not None
    assert all("style" not in el.attrs for el in block.iter())


def test_ten_figures_with_alt_captions_and_real_images(note: Document, built_site: Path) -> None:
    figures = note.find_all("figure")
    assert len(figures) == 10
    for i, (figure, name) in enumerate(zip(figures, IMAGES, strict=True), start=1):
        img = figure.find("img")
        caption = figure.find("figcaption")
        assert img is not None and caption is not None
        assert caption.norm_text().startswith(f"[Picture {i}]")
        assert img.get("alt") == caption.norm_text()
        assert img.get("src") == f"/static/img/post/network/{name}.png"
        assert {"img-zoomable", "medium-zoom-image"} <= set(img.classes)
        assert "__web-inspector-hide-shortcut__" not in img.classes
        # the first image of the page loads at once (it may be the largest paint), the
        # others lazily; all decode off the main thread and carry their file's size
        if i == 1:
            assert img.get("loading") is None and img.get("fetchpriority") == "high"
        else:
            assert img.get("loading") == "lazy"
        assert img.get("decoding") == "async"
        assert img.get("width") and img.get("height")
        png = built_site / "static" / "img" / "post" / "network" / f"{name}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert png.stat().st_size > 10_000  # a real drawing, not a placeholder
    # no figcaption outside a figure (Hugo's bug)
    assert all(fc.closest("figure") is not None for fc in note.find_all("figcaption"))


def test_home_lists_note_with_date_reading_time_and_tags(built_site: Path) -> None:
    home = parse_html(built_site / "index.html")
    items = home.find_all("li", class_="note-item")
    assert len(items) == 1
    item = items[0]
    link = item.find("a")
    assert link is not None and link.get("href") == f"/{NOTE_URL}"
    time_el = item.find("time")
    assert time_el is not None and time_el.norm_text() == "2023년 3월 26일"
    assert time_el.get("datetime", "").startswith("2023-03-26")
    assert re.search(r"\d+분 분량", item.norm_text())
    assert "3장 VPC 고급, 4장 인터넷 연결을 다룬다" in item.norm_text()
    tag = item.find("a", class_="tag")
    assert tag is not None and tag.get("href") == "/tags/book/"


def test_tag_pages_and_tags_index(built_site: Path) -> None:
    tag = parse_html(built_site / "tags" / "book" / "index.html")
    assert [a.get("href") for a in tag.find_all("a") if a.get("href") == f"/{NOTE_URL}"]
    index = parse_html(built_site / "tags" / "index.html")
    entry = index.find("a", href="/tags/book/")
    assert entry is not None and "(1)" in entry.norm_text()


def test_404_page(built_site: Path) -> None:
    page = parse_html(built_site / "404.html")
    assert page.html is not None and page.html.get("lang") == "ko"
    assert "페이지를 찾을 수 없습니다" in page.norm_text()
    assert page.find("a", href="/") is not None


def test_feeds_sitemap_robots_and_pages_files(built_site: Path) -> None:
    atom = (built_site / "atom.xml").read_text(encoding="utf-8")
    assert "<feed" in atom and "aws-network-2" in atom
    assert "<rss" in (built_site / "index.xml").read_text(encoding="utf-8")
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "posts/aws-network-2/" in sitemap
    assert "Sitemap: " in (built_site / "robots.txt").read_text(encoding="utf-8")
    assert (built_site / ".nojekyll").exists()
    assert (built_site / "tags" / "book" / "atom.xml").exists()


def test_every_page_passes_the_nu_html_checker(built_site: Path) -> None:
    errors = run_vnu(built_site)
    assert errors == [], errors
