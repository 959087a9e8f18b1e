"""Shortcode text never carries the page's footnote block (issue 20)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from awsnotes_site.markdown.registry import BUILTINS
from markdown_fixture import render_fixture

# One use of every built-in shortcode, with Markdown wherever it takes some.
USES = {
    "highlight": '{{< highlight python "linenos=true" >}}\nx = 1  # *not markdown*\n{{< /highlight >}}',
    "figure": '{{< figure src="/a.png" caption="캡션 *강조*" title="제목" attr="출처" >}}',
    "details": '{{< details summary="요약 **굵게**" >}}\n본문 *강조*\n\n- 목록\n{{< /details >}}',
    "ref": '[다른 글]({{< ref "posts/other.md" >}}) {{< ref "posts/x.md" >}}',
    "relref": '[다른 글]({{< relref "posts/other.md" >}})',
    "mermaid": "{{< mermaid >}}\ngraph TD\n  A[시작] --> B\n{{< /mermaid >}}",
    "youtube": '{{< youtube id="w7Ft2ymGmfc" title="강의 *1*" >}}',
    "vimeo": '{{< vimeo id="55073825" title="데모" >}}',
    "gist": "{{< gist spf13 7896402 >}}",
    "x": '{{< x user="SanDiegoZoo" id="1453110110599868418" >}}',
    "tweet": '{{< tweet user="SanDiegoZoo" id="1453110110599868418" >}}',
    "instagram": "{{< instagram CxOWiQNP2MO >}}",
    "param": '{{< param "author" >}}',
    "admonition": '{{< admonition tip "제목 *강조*" >}}\n본문 **굵게**\n{{< /admonition >}}',
    "notice": "{{< notice warning >}}\n조심 *하세요*\n{{< /notice >}}",
    "hint": "{{< hint danger >}}\n위험 *표시*\n{{< /hint >}}",
    "alert": '{{< alert icon="circle-info" >}}\n알림 *강조*\n{{< /alert >}}',
    "expand": '{{< expand "더 보기 *강조*" >}}\n숨은 *글*\n{{< /expand >}}',
    "tabs": '{{< tabs "t1" >}}\n{{< tab "첫째" >}}\n탭 *하나*\n{{< /tab >}}\n{{< /tabs >}}',
    "tab": '{{< tab "홀로" >}}\n탭 *본문*\n{{< /tab >}}',
    "columns": "{{< columns >}}\n왼쪽 *a*\n<--->\n오른쪽 **b**\n{{< /columns >}}",
}
CUSTOM = '{{< notice type="info" >}}\n조심 **하세요**\n{{< /notice >}}'


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.sections = 0
        self.alts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.append(str(values["id"]))
        if tag == "section" and "footnotes" in (values.get("class") or ""):
            self.sections += 1
        if tag == "img":
            self.alts.append(str(values.get("alt")))


def test_every_built_in_shortcode_has_a_use() -> None:
    assert set(USES) == set(BUILTINS)


@pytest.mark.parametrize("use", [*USES.values(), CUSTOM], ids=[*USES, "template"])
def test_shortcode_text_has_no_footnote_block(use: str) -> None:
    out = render_fixture(f"본문 각주[^1].\n\n{use}\n\n끝[^note].\n\n[^1]: 설명\n[^note]: 둘째\n")
    assert "!! " not in out  # no diagnostics
    found = _Ids()
    found.feed(out)
    assert found.sections == 1
    assert sorted(found.ids) == ["fn1", "fn2", "fnref1", "fnref2"]
    assert all("↩" not in alt for alt in found.alts)
    assert out.count('<hr class="footnotes-sep">') == 1
