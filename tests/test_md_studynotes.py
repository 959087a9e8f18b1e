"""A Hugo site as it is (tests/fixtures/hugo/studynotes) whose note uses every feature of
issue 20: math in the four delimiters, a Mermaid fence and the ``{{< mermaid >}}``
shortcode, GitHub alerts, folding callouts, footnotes inside a ``figure`` caption and a
``details`` body. It builds with no error and no warning about its content; its pages
pass the Nu checker and axe-core (light and dark); in Chromium the diagrams are drawn
from the site's own script with no request elsewhere, and formulas and callouts read
with scripts off."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pytest

from awsnotes_site.pipeline.builder import build
from awsnotes_site.pipeline.options import BuildOptions
from helpers import (
    Element,
    format_axe,
    format_vnu,
    non_local_requests,
    parse_html,
    record_requests,
    run_axe,
    run_vnu,
    serve_directory,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

FIXTURE = Path(__file__).parent / "fixtures" / "hugo" / "studynotes"
NOTE = "notes/exam-review/index.html"
PLAIN = "notes/plain/index.html"
MATHML = "http://www.w3.org/1998/Math/MathML"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("studynotes")
    root = work / "studynotes"
    shutil.copytree(FIXTURE, root)
    result, _ = build(root, BuildOptions(use_cache=False, save_cache=False, jobs=1))
    assert not [d.format() for d in result.diagnostics if d.is_error]
    about_content = [d.format() for d in result.diagnostics if d.path.startswith("content")]
    assert not about_content
    return result.config.output_path


def content(out: Path, page: str) -> Element:
    return parse_html(out / page).find_all(None, class_="note-content")[0]


def test_formulas_are_mathml(site: Path) -> None:
    formulas = content(site, NOTE).find_all("math")
    assert all(m["xmlns"] == MATHML for m in formulas)
    displays = [m for m in formulas if m["display"] == "block"]
    assert len(displays) == 2 and len(formulas) == 5  # $$, \[; $, \(, one in a callout
    assert displays[0].find_all("mfrac") and "월" in displays[0].text()  # \text{월 비용}
    assert displays[1].find_all("msubsup")  # \int_0^1
    inline = [m.text() for m in formulas if m["display"] == "inline"]
    assert inline[0].replace(" ", "") == "E=mc2" and inline[1].startswith("a")
    prose = content(site, NOTE).find_all("p")[0].text()
    assert "$0.023/GB" in prose and "$HOME 과 가격 5$" in prose


def test_diagrams_load_the_local_library_only_where_there_is_one(site: Path) -> None:
    doc = parse_html(site / NOTE)
    sources = [pre.text() for pre in doc.find_all("pre", class_="mermaid")]
    assert [s.split("\n")[0] for s in sources] == ["flowchart LR", "sequenceDiagram"]
    scripts = [s["src"].split("?")[0] for s in doc.find_all("script") if "src" in s.attrs]
    assert "/static/js/mermaid.min.js" in scripts and "/static/js/mermaid-init.js" in scripts
    assert (site / "static" / "js" / "mermaid.min.js").stat().st_size > 1_000_000
    assert "mermaid" not in (site / PLAIN).read_text(encoding="utf-8")


def test_alerts_and_folding_callouts(site: Path) -> None:
    found: dict[str, Element] = {}
    for callout in content(site, NOTE).find_all(None, class_="callout"):
        found[callout.find_all(None, class_="callout-title-text")[0].text()] = callout
    for title, kind in (("참고", "note"), ("팁", "tip"), ("중요", "important")):
        assert found[title]["data-callout"] == kind and found[title].tag == "div"
    assert found["경고"]["data-callout"] == "warning"
    assert found["주의"]["data-callout"] == "caution"
    folded, opened = found["자주 묻는 질문"], found["펼친 예시"]
    assert folded.tag == opened.tag == "details"
    assert "open" not in folded.attrs and "open" in opened.attrs
    assert folded.find_all("summary") and "3장까지" in folded.text()
    assert opened.find_all("math")  # a formula inside a callout


def test_footnotes_in_a_figure_caption_and_a_details_body(site: Path) -> None:
    doc = parse_html(site / NOTE)
    ids = [el["id"] for el in doc.find_all(None) if "id" in el.attrs]
    assert len(ids) == len(set(ids))
    [block] = doc.find_all("section", class_="footnotes")
    items = block.find_all("li", class_="footnote-item")
    assert [(li["id"], " ".join(li.text().split())) for li in items] == [
        ("fn1", "본문 각주. ↩︎"),
        ("fn2", "그림의 각주. ↩︎"),
        ("fn3", "접힌 풀이의 각주. ↩︎"),
    ]
    caption = doc.find_all("figcaption")[0]
    assert [a["href"] for a in caption.find_all("a")] == ["#fn2"]
    details = doc.find_all("details", class_="details")[0]
    assert [a["href"] for a in details.find_all("a")] == ["#fn3"]
    assert all("↩" not in img["alt"] for img in doc.find_all("img"))
    assert len(doc.find_all("hr", class_="footnotes-sep")) == 1


def test_pages_are_valid_html(site: Path) -> None:
    pages = [str(site / p) for p in (NOTE, PLAIN, "index.html", "notes/index.html")]
    errors = run_vnu(*pages)
    assert not errors, format_vnu(errors)


@pytest.fixture(scope="module")
def site_url(site: Path) -> Iterator[str]:
    with serve_directory(site, "/") as url:
        yield url


def _drawn(page: Page, url: str, mode: Literal["light", "dark"]) -> None:
    page.emulate_media(color_scheme=mode)
    page.goto(url)
    page.wait_for_function(f"document.documentElement.dataset.mermaid === '{mode}'")


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_axe_finds_no_violations(site_url: str, page: Page, mode: Literal["light", "dark"]) -> None:
    _drawn(page, site_url + "notes/exam-review/", mode)
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    violations = run_axe(page)
    assert not violations, format_axe(violations)


def test_diagrams_are_drawn_with_nothing_from_outside(site_url: str, page: Page) -> None:
    requests = record_requests(page)
    _drawn(page, site_url + "notes/exam-review/", "light")
    assert page.locator(".mermaid-diagram svg").count() == 2
    assert "응답" in page.locator(".mermaid-diagram").first.inner_text()
    page.wait_for_load_state("networkidle")
    assert any(url.split("?")[0].endswith("/static/js/mermaid.min.js") for url in requests)
    assert not non_local_requests(requests), non_local_requests(requests)


def test_formulas_and_callouts_read_without_javascript(site_url: str, browser: Browser) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + "notes/exam-review/")
        assert page.evaluate("typeof window.mermaid") == "undefined"
        frac = page.locator(".math-display mfrac").first
        box = frac.bounding_box()
        assert box is not None and box["height"] > 20  # drawn by the browser
        for kind in ("note", "tip", "important", "warning", "caution"):
            assert page.locator(f".callout-{kind} .callout-content").is_visible()
        folded = page.locator("details.callout[data-callout='faq']")
        assert not folded.locator(".callout-content").is_visible()
        folded.locator("summary").click()
        assert "3장까지" in folded.locator(".callout-content").inner_text()
        assert page.locator("pre.mermaid").first.is_visible()  # the diagram's source
    finally:
        context.close()
