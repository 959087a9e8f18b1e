"""Obsidian vaults: ``awsnotes-site build`` in the fixture vault (tests/fixtures/vault/study,
copied with its NFD file name kept) with no configuration; the built HTML parsed."""

from __future__ import annotations

import shutil
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import pytest
from playwright.sync_api import Page

from helpers import (
    Element,
    build_site,
    describe_process,
    format_axe,
    format_vnu,
    parse_html,
    run_axe,
    run_vnu,
    serve_directory,
)

FIXTURE = Path(__file__).parent / "fixtures" / "vault" / "study"
HOME = "홈/index.html"
INDEX = "데이터베이스/인덱스/index.html"
PLACEMENT = "aws/배치-그룹/index.html"
ENDPOINT = "aws/네트워크/vpc-엔드포인트/index.html"
NORMAL = "데이터베이스/정규화/index.html"  # embeds 트랜잭션: the same heading, footnotes
MATHML = "http://www.w3.org/1998/Math/MathML"


def copy_vault(where: Path) -> Path:
    vault = where / "study"
    shutil.copytree(FIXTURE, vault)
    nfd = [p for p in vault.rglob("*.md") if not unicodedata.is_normalized("NFC", p.name)]
    assert nfd, "the fixture keeps one NFD file name"
    return vault


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    where = tmp_path_factory.mktemp("vault")
    vault = copy_vault(where)
    out = where / "out"
    proc = build_site(out, "--no-cache", cwd=vault)
    assert proc.returncode == 0, describe_process(proc)
    return out, proc.stdout + proc.stderr


def hrefs(path: Path) -> list[str]:
    doc = parse_html(path)
    content = doc.find_all(None, class_="note-content")[0]
    return [a["href"] for a in content.find_all("a") if "heading-anchor" not in a.classes]


def test_zero_configuration_build(built: tuple[Path, str]) -> None:
    out, log = built
    title = parse_html(out / HOME).find_all("a", class_="site-title")[0]
    assert title.text().strip() == "study"  # the vault folder's name
    assert (out / "데이터베이스" / "빈-노트" / "index.html").is_file()  # an empty note
    assert not (out / "daily").exists() and not (out / "Daily").exists()  # excluded
    assert not any(".obsidian" in p.as_posix() for p in out.rglob("*"))
    assert "note has no title" not in log
    assert "홈.md:8: warning: link target '트랜잭션 격리 수준' not found" in log


def test_wikilinks_resolve(built: tuple[Path, str]) -> None:
    out, _ = built
    links = hrefs(out / HOME)
    assert "/aws/네트워크/vpc-엔드포인트/" in links
    assert "/aws/배치-그룹/" in links  # the target's file name is NFD
    assert "/데이터베이스/인덱스/#b-트리-인덱스" in links
    missing = parse_html(out / HOME).find_all("span", class_="wikilink-missing")
    assert [m.text() for m in missing] == ["트랜잭션 격리 수준"]
    assert "TODO" not in (out / HOME).read_text(encoding="utf-8")  # %%comment%% dropped
    block = hrefs(out / PLACEMENT)
    assert "/aws/네트워크/vpc-엔드포인트/#%5Eroute-table" in block
    target = parse_html(out / ENDPOINT).find_all("p", id="^route-table")
    assert target and "라우팅 테이블" in target[0].text()
    back = hrefs(out / ENDPOINT)
    assert "/홈/" in back and "/aws/배치-그룹/" in back  # [[../../홈|홈으로]], NFC to NFD


def test_markdown_links_and_files(built: tuple[Path, str]) -> None:
    out, _ = built
    links = hrefs(out / INDEX)
    assert "/aws/배치-그룹/" in links  # ../AWS/배치%20그룹.md
    assert "/aws/네트워크/vpc-엔드포인트/" in links  # <../AWS/네트워크/VPC 엔드포인트.md>
    assert "/데이터베이스/db.sh" in links
    assert "/첨부파일/데이터베이스%20교재.pdf#page=17" in links
    assert (out / "데이터베이스" / "db.sh").is_file()
    assert (out / "첨부파일" / "데이터베이스 교재.pdf").is_file()
    assert (out / "첨부파일" / "endpoint.png").is_file()


def test_embeds(built: tuple[Path, str]) -> None:
    out, _ = built
    image = parse_html(out / ENDPOINT).find_all("img", src="/첨부파일/endpoint.png")
    assert image and image[0]["width"] == "600"
    embed = parse_html(out / PLACEMENT).find_all("div", class_="note-embed")
    assert len(embed) == 1
    text = embed[0].text()
    assert "라우팅 테이블" in text  # the section ![[VPC 엔드포인트#게이트웨이 엔드포인트]]
    assert "ENI" not in text and "인터넷 게이트웨이" not in text  # nothing else of it


def test_inline_tags_make_tag_pages(built: tuple[Path, str]) -> None:
    out, _ = built
    page = out / "tags" / "공부-aws" / "index.html"
    assert page.is_file()
    assert "/홈/" in [a["href"] for a in parse_html(page).find_all("a")]


def backlinks(path: Path) -> dict[str, list[str]]:
    doc = parse_html(path)
    found: dict[str, list[str]] = {}
    for section in doc.find_all("section", class_="backlinks"):
        for item in section.find_all("li"):
            link = item.find_all("a")[0]
            quotes = item.find_all("blockquote")
            found[link["href"]] = [" ".join(q.text().split()) for q in quotes]
    return found


def test_backlinks_with_context(built: tuple[Path, str]) -> None:
    out, _ = built
    back = backlinks(out / PLACEMENT)
    assert set(back) == {"/홈/", "/데이터베이스/인덱스/", "/aws/네트워크/vpc-엔드포인트/"}
    assert "EC2 배치 그룹 정리" in back["/홈/"]
    assert back["/데이터베이스/인덱스/"] == ["마크다운 링크: 배치 그룹, 엔드포인트"]
    assert backlinks(out / "데이터베이스" / "빈-노트" / "index.html") == {
        "/데이터베이스/인덱스/": []
    }  # an embed, without a sentence
    assert "/aws/배치-그룹/" not in backlinks(out / HOME)


def test_section_urls_are_lower_cased_like_note_urls(built: tuple[Path, str]) -> None:
    out, _ = built
    assert (out / "aws" / "index.html").is_file() and not (out / "AWS").exists()
    section = parse_html(out / "aws" / "index.html")
    assert [link["href"] for link in section.find_all("link", rel="canonical")] == ["/aws/"]
    listed = [a["href"] for a in section.find_all("a")]
    assert "/aws/배치-그룹/" in listed and "/aws/네트워크/vpc-엔드포인트/" in listed
    assert not [p for p in out.rglob("*.html") if "/AWS/" in p.read_text(encoding="utf-8")]


def callouts(path: Path) -> dict[str, Element]:
    """The page's callouts by title."""
    doc = parse_html(path)
    found: dict[str, Element] = {}
    for callout in doc.find_all(None, class_="callout"):
        title = callout.find_all(None, class_="callout-title-text")[0]
        found[title.text().strip()] = callout
    return found


def test_callouts(built: tuple[Path, str]) -> None:
    out, _ = built
    tip = callouts(out / HOME)["읽는 순서"]  # > [!tip] 읽는 순서
    assert tip.tag == "div" and tip["data-callout"] == "tip" and tip["role"] == "note"
    assert "/aws/배치-그룹/" in [a["href"] for a in tip.find_all("a")]  # wikilinks inside
    note = callouts(out / ENDPOINT)["참고"]  # > [!NOTE]: GitHub's alert, its Korean title
    assert note["data-callout"] == "note" and "S3와 DynamoDB" in note.text()
    placement = callouts(out / PLACEMENT)
    folded = placement["제한 사항 (펼치기)"]  # > [!warning]- : folded
    assert folded.tag == "details" and "open" not in folded.attrs
    assert folded.find_all("summary") and "AZ당 인스턴스 7개" in folded.text()
    admonition = placement["Admonition 플러그인"]  # ```ad-note with title:
    assert admonition["data-callout"] == "note" and "title:" not in admonition.text()
    opened = callouts(out / NORMAL)["예시 (펼쳐 둠)"]  # > [!example]+ inside an embed
    assert opened.tag == "details" and "open" in opened.attrs
    for callout in [tip, note, folded, admonition, opened]:
        icons = callout.find_all("svg", class_="callout-icon")
        assert icons and icons[0]["aria-hidden"] == "true"


def formulas(path: Path) -> list[Element]:
    content = parse_html(path).find_all(None, class_="note-content")[0]
    return content.find_all("math")


def test_math_is_mathml_and_dollars_in_prose_stay_text(built: tuple[Path, str]) -> None:
    out, _ = built
    endpoint = formulas(out / ENDPOINT)
    assert [m["display"] for m in endpoint] == ["inline", "block"]
    assert all(m["xmlns"] == MATHML for m in endpoint)
    assert "월\xa0비용" in endpoint[1].text()  # \text{월 비용}: Hangul in <mtext>
    assert endpoint[1].find_all("mtext")
    content = parse_html(out / ENDPOINT).find_all(None, class_="note-content")[0].text()
    assert "시간당 $0.01, 처리량 GB당 $0.01이다." in content  # prices
    index = formulas(out / INDEX)
    assert len(index) == 1 and "log" in index[0].text()  # $O(\log n)$
    prose = parse_html(out / INDEX).find_all(None, class_="note-content")[0].text()
    assert "셸 변수 $HOME 과 가격 5$ 는 수식이 아니다." in prose
    embedded = formulas(out / NORMAL)  # $\text{잔액}_{A} + …$ in an embedded callout
    assert len(embedded) == 1 and embedded[0].text().count("잔액") == 2


def test_embedded_note_ids_are_unique_and_links_land(built: tuple[Path, str]) -> None:
    out, _ = built
    doc = parse_html(out / NORMAL)
    ids = [el["id"] for el in doc.find_all(None) if "id" in el.attrs]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert {"개요", "개요-1", "acid-속성", "^acid", "fn1", "fn-embed1-1"} <= set(ids)
    embed = doc.find_all("div", class_="note-embed")[0]
    own = {a.text(): a["href"] for a in embed.find_all("a", class_="wikilink")}
    assert own == {"개요": "#개요-1"}  # the embedded note's [[#개요]]: its own heading
    page = hrefs(out / NORMAL)
    assert "#개요" in page  # the page's own [[#개요]]
    assert "/데이터베이스/정규화/#acid-속성" in page  # [[정규화#ACID 속성]]: in the embed
    refs = [a["href"] for a in embed.find_all("a") if "footnote" in " ".join(a.classes)]
    assert refs == ["#fnref-embed1-1"]
    assert [a["href"] for a in embed.find_all("sup")[0].find_all("a")] == ["#fn-embed1-1"]
    errors = run_vnu(str(out / NORMAL))
    assert not errors, format_vnu(errors)


def test_vault_pages_are_valid_html(built: tuple[Path, str]) -> None:
    out, _ = built
    pages = [str(out / p) for p in (HOME, INDEX, PLACEMENT, ENDPOINT, NORMAL)]
    errors = run_vnu(*pages)
    assert not errors, format_vnu(errors)


@pytest.fixture(scope="module")
def site_url(built: tuple[Path, str]) -> Iterator[str]:
    with serve_directory(built[0], "/") as url:
        yield url


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_vault_page_axe(site_url: str, page: Page, mode: Literal["light", "dark"]) -> None:
    page.emulate_media(color_scheme=mode)
    page.goto(site_url + "aws/배치-그룹/")
    violations = run_axe(page)
    assert not violations, format_axe(violations)


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("change", ["add", "remove"])
def test_cached_rebuild_equals_cold_build(tmp_path: Path, change: str) -> None:
    vault = copy_vault(tmp_path)
    out = tmp_path / "out"
    first = build_site(out, cwd=vault)
    assert first.returncode == 0, describe_process(first)
    note = vault / "데이터베이스" / "인덱스.md"
    text = note.read_text(encoding="utf-8")
    if change == "add":
        note.write_text(text + "\n새 링크: [[홈|홈 노트]]로 간다.\n", encoding="utf-8")
    else:
        note.write_text(text.replace("[배치 그룹](../AWS/배치%20그룹.md), ", ""), encoding="utf-8")
    cached = build_site(out, cwd=vault)
    assert cached.returncode == 0, describe_process(cached)
    cold = tmp_path / "cold"
    fresh = build_site(cold, "--no-cache", cwd=vault)
    assert fresh.returncode == 0, describe_process(fresh)
    assert tree(out) == tree(cold)
    home, placement = backlinks(out / HOME), backlinks(out / PLACEMENT)
    if change == "add":
        assert home["/데이터베이스/인덱스/"] == ["새 링크: 홈 노트로 간다."]
    else:
        assert "/데이터베이스/인덱스/" not in placement
