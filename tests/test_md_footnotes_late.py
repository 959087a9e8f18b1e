"""Footnotes referenced from shortcode text (a ``figure`` caption, a ``details`` body),
which renders after the body's footnote block was made: the one block lists them too,
in reference order, with a back link per reference; nothing changes for a note whose
references are all in its body."""

from __future__ import annotations

from helpers import parse_html_string
from markdown_fixture import render_fixture

FIGURE = '{{< figure src="/a.png" alt="그림" caption="캡션[^b]" >}}'
DETAILS = '{{< details summary="요약" >}}\n안쪽[^c]과 다시[^a]\n{{< /details >}}'


def items(html: str) -> list[tuple[str, str, list[str]]]:
    doc = parse_html_string(html)
    [block] = doc.find_all("section", class_="footnotes")
    return [
        (
            li["id"],
            li.find_all("p")[0].text().split(" ↩︎")[0].strip(),
            [a["href"] for a in li.find_all("a", class_="footnote-backref")],
        )
        for li in block.find_all("li", class_="footnote-item")
    ]


def test_references_in_shortcode_text_are_listed_in_the_one_block() -> None:
    text = f"본문[^a].\n\n{FIGURE}\n\n{DETAILS}\n\n[^a]: 가\n[^b]: 나\n[^c]: 다\n"
    html = render_fixture(text)
    assert "!! " not in html
    assert items(html) == [
        ("fn1", "가", ["#fnref1", "#fnref1:1"]),  # in the body, then again in details
        ("fn2", "나", ["#fnref2"]),
        ("fn3", "다", ["#fnref3"]),
    ]
    doc = parse_html_string(html)
    ids = [el["id"] for el in doc.find_all(None) if "id" in el.attrs]
    assert len(ids) == len(set(ids))
    assert html.count('<hr class="footnotes-sep">') == 1
    assert doc.find_all("img")[0]["alt"] == "그림"


def test_a_block_for_references_only_in_shortcode_text() -> None:
    html = render_fixture(f"본문.\n\n{FIGURE}\n\n[^b]: 나\n")
    assert items(html) == [("fn1", "나", ["#fnref1"])]


def test_body_references_alone_render_as_before() -> None:
    html = render_fixture("본문[^a].\n\n[^a]: 가\n[^z]: 안 쓰는 각주\n")
    assert items(html) == [("fn1", "가", ["#fnref1"])]
    assert html.endswith("</section>\n")
