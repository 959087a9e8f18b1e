"""Long series: a note's series box shows a window (the 5 notes before and after it,
its position, first/last links, the series page that lists it), the series page
paginates, short series are listed whole, and output grows linearly with a series."""

from __future__ import annotations

import urllib.parse
from pathlib import Path

import pytest

from helpers import Document, Element, format_vnu, parse_html, run_vnu
from sitefactory import DEFAULT_CONFIG, make_project
from test_cache import cli

LONG, SHORT = "긴 시리즈", "짧은 시리즈"
LONG_URL, SHORT_URL = "/series/긴-시리즈/", "/series/짧은-시리즈/"


def series_notes(name: str, count: int, folder: str = "posts") -> dict[str, str]:
    """COUNT notes of the series NAME, part i at weight i (reading order = i)."""
    return {
        f"{folder}/part-{i:04d}.md": (
            f'+++\ntitle = "{name} {i}편"\ndate = 2024-01-01\n'
            f'series = ["{name}"]\nweight = {i}\n+++\n\n{name}의 {i}번째 본문.\n'
        )
        for i in range(1, count + 1)
    }


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 40-note series in posts/ and an 11-note one in short/."""
    notes = {**series_notes(LONG, 40), **series_notes(SHORT, 11, "short")}
    project = make_project(tmp_path_factory.mktemp("series"), notes, shipped=False)
    proc = cli(project)
    assert proc.returncode == 0, proc.stderr
    return project / "public"


def page_of(public: Path, url: str) -> Document:
    return parse_html(public / urllib.parse.unquote(url).strip("/") / "index.html")


def box_of(doc: Document) -> Element:
    boxes = doc.find_all("nav", class_="series-box")
    assert len(boxes) == 1
    return boxes[0]


def exists(public: Path, href: str | None) -> bool:
    assert href is not None and href.startswith("/")
    return (public / urllib.parse.unquote(href).strip("/") / "index.html").is_file()


@pytest.mark.parametrize("i", [1, 2, 6, 7, 20, 34, 35, 39, 40])
def test_long_series_box_shows_a_window_around_the_note(site: Path, i: int) -> None:
    box = box_of(page_of(site, f"/posts/part-{i:04d}/"))
    assert box.get("aria-label") == f"시리즈: {LONG}"
    title = box.find("p", class_="series-box__title")
    assert title is not None
    assert title.norm_text().startswith(f"시리즈 {LONG} ")
    assert title.find("a").get("href") == LONG_URL
    shown = title.find("span", aria_hidden="true")
    assert shown is not None and shown.norm_text() == f"{i} / 40"
    spoken = title.find("span", class_="visually-hidden")
    assert spoken is not None and spoken.norm_text() == f"40편 중 {i}번째"
    items = box.find("ol").find_all("li")
    window = [li for li in items if "series-box__end" not in li.classes]
    first, last = max(1, i - 5), min(40, i + 5)
    assert [li.norm_text() for li in window] == [f"{LONG} {k}편" for k in range(first, last + 1)]
    assert len(window) == last - first + 1 <= 11
    current = [li for li in items if li.find(aria_current="page") is not None]
    assert len(current) == 1 and current[0].norm_text() == f"{LONG} {i}편"
    assert current[0].find("a") is None
    # the list's numbers are the notes' places in the series
    if first > 1:
        assert window[0].get("value") == str(first)
    ends = box.find_all("li", class_="series-box__end")
    expect_ends = []
    if first > 1:
        expect_ends.append(("1", "첫 글", "/posts/part-0001/"))
    if last < 40:
        expect_ends.append(("40", "마지막 글", "/posts/part-0040/"))
    got = [(li.get("value", "1"), li.norm_text(), li.find("a").get("href")) for li in ends]
    assert got == expect_ends
    if first > 1:
        assert items[0] is ends[0]
    if last < 40:
        assert items[-1] is ends[-1]
    for a in box.find_all("a"):
        assert exists(site, a.get("href")), a.get("href")
    # prev/next within the series
    prev, nxt = box.find("a", rel="prev"), box.find("a", rel="next")
    assert (prev is None) == (i == 1) and (nxt is None) == (i == 40)
    if prev is not None:
        assert prev.get("href") == f"/posts/part-{i - 1:04d}/"
    # the link to the series page lists this note
    everything = box.find("p", class_="series-box__all")
    assert everything is not None and everything.norm_text() == "시리즈 전체 목록 (40편)"
    listing = everything.find("a").get("href")
    assert listing is not None
    listed = page_of(site, listing).find("ol", class_="series-list")
    assert f"/posts/part-{i:04d}/" in [a.get("href") for a in listed.find_all("a")]


def test_series_page_paginates_and_lists_every_member_once(site: Path) -> None:
    pages = [LONG_URL] + [f"{LONG_URL}page/{n}/" for n in (2, 3, 4)]
    assert not exists(site, f"{LONG_URL}page/5/")
    hrefs: list[str | None] = []
    for number, url in enumerate(pages, start=1):
        doc = page_of(site, url)
        assert doc.find("h1").norm_text() == f"시리즈: {LONG}"
        assert doc.find("p", class_="page-lead").norm_text() == "40편"
        listed = doc.find("ol", class_="series-list")
        assert listed.get("start") == (None if number == 1 else str((number - 1) * 10 + 1))
        hrefs += [a.get("href") for a in listed.find_all("a")]
        nav = doc.find("nav", class_="pagination")
        assert nav is not None and nav.get("aria-label") == "페이지"
        assert nav.find("span", class_="pagination__status").norm_text() == f"{number} / 4"
        prev, nxt = nav.find("a", rel="prev"), nav.find("a", rel="next")
        assert (prev.get("href") if prev else None) == (pages[number - 2] if number > 1 else None)
        assert (nxt.get("href") if nxt else None) == (pages[number] if number < 4 else None)
        canonical = doc.find("link", rel="canonical").get("href")
        assert canonical is not None and urllib.parse.unquote(canonical).endswith(
            urllib.parse.unquote(url)
        )
    assert hrefs == [f"/posts/part-{i:04d}/" for i in range(1, 41)]
    index = page_of(site, "/series/")
    counts = {a.get("href"): a.norm_text() for a in index.find_all("a", class_="tag")}
    assert counts == {LONG_URL: f"{LONG} (40편)", SHORT_URL: f"{SHORT} (11편)"}


@pytest.mark.parametrize("i", [1, 6, 11])
def test_short_series_box_lists_every_note_as_before(site: Path, i: int) -> None:
    box = box_of(page_of(site, f"/short/part-{i:04d}/"))
    title = box.find("p", class_="series-box__title")
    assert title.norm_text() == f"시리즈 {SHORT} ({i}/11)"
    assert title.find("span") is None
    items = box.find("ol").find_all("li")
    assert [li.norm_text() for li in items] == [f"{SHORT} {k}편" for k in range(1, 12)]
    assert all(li.get("value") is None and not li.classes for li in items)
    assert items[i - 1].find("span", aria_current="page") is not None
    assert box.find("p", class_="series-box__all") is None
    series_page = page_of(site, SHORT_URL)
    assert len(series_page.find("ol", class_="series-list").find_all("li")) == 10
    assert page_of(site, f"{SHORT_URL}page/2/").find("ol", class_="series-list").get("start") == (
        "11"
    )


def test_series_pages_are_valid_html(site: Path) -> None:
    files = [
        site / "posts" / "part-0020" / "index.html",
        site / "posts" / "part-0001" / "index.html",
        site / "short" / "part-0004" / "index.html",
        site / "series" / "긴-시리즈" / "index.html",
        site / "series" / "긴-시리즈" / "page" / "2" / "index.html",
        site / "series" / "index.html",
    ]
    messages = run_vnu(files)
    assert messages == [], format_vnu(messages)


def test_english_site_has_english_series_strings(tmp_path: Path) -> None:
    config = DEFAULT_CONFIG + 'language = "en"\n'
    project = make_project(tmp_path, series_notes("Long", 12), config, shipped=False)
    proc = cli(project)
    assert proc.returncode == 0, proc.stderr
    box = box_of(parse_html(project / "public" / "posts" / "part-0009" / "index.html"))
    assert box.get("aria-label") == "Series: Long"
    assert box.find("span", class_="visually-hidden").norm_text() == "part 9 of 12"
    assert box.find("span", aria_hidden="true").norm_text() == "9 / 12"
    assert [li.norm_text() for li in box.find_all("li", class_="series-box__end")] == ["First part"]
    assert box.find("p", class_="series-box__all").norm_text() == "All 12 parts of the series"


def _output_bytes(public: Path) -> int:
    return sum(p.stat().st_size for p in public.rglob("*") if p.is_file())


def test_output_grows_linearly_with_the_series(tmp_path: Path) -> None:
    sizes = {}
    largest = {}
    for count in (100, 200):
        project = make_project(tmp_path / str(count), series_notes(LONG, count), shipped=False)
        proc = cli(project, "--no-cache")
        assert proc.returncode == 0, proc.stderr
        public = project / "public"
        sizes[count] = _output_bytes(public)
        largest[count] = max(p.stat().st_size for p in (public / "posts").rglob("index.html"))
    assert sizes[200] / sizes[100] < 2.3, sizes
    # a note page does not grow with the series (the page of a 1-in-200 note is the size
    # of a 1-in-100 one but for the digits of the numbers)
    assert largest[200] < largest[100] + 200, largest
