"""Math, Mermaid, callouts, Goldmark switches and Hugo's built-in shortcodes, wired into
the build (issues 19 and 20): real sites built with the command, their HTML parsed."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsnotes_site.markdown import render_markdown
from helpers import Document, build_site, describe_process, parse_html
from markdown_fixture import PAGE, fixture_markdown
from sitefactory import make_project

FRONT = '+++\ntitle = "{title}"\ndate = 2024-01-0{day}\ntags = ["테스트"]\n+++\n\n'

EVERYTHING = """# 수식 $E=mc^2$ 정리

가격은 $0.023/GB 이고 변수는 $HOME 입니다.

$$
\\int_0^1 x\\,dx = \\frac{1}{2}
$$

```mermaid
graph TD
  A[요청] --> B[응답]
```

> [!tip] 팁 제목
> 팁 본문

> [!warning]- 접힌 경고
> 숨은 내용

```ad-note
title: 애드 노트
애드 본문
```

{{< youtube id="w7Ft2ymGmfc" title="강의 영상" >}}

{{< vimeo id="55073825" title="데모" >}}

{{< gist spf13 7896402 >}}

{{< x user="SanDiegoZoo" id="1453110110599868418" >}}

{{< instagram CxOWiQNP2MO >}}

저자: {{< param "author" >}}

{{< admonition tip "애드모니션 제목" >}}
애드모니션 **본문**
{{< /admonition >}}

{{< notice warning >}}
노티스 본문
{{< /notice >}}

{{< hint danger >}}
힌트 본문
{{< /hint >}}

{{< alert icon="circle-info" >}}
얼럿 본문
{{< /alert >}}

{{< expand "펼칠 제목" >}}
펼친 본문
{{< /expand >}}

{{< tabs "t" >}}
{{< tab "첫째 탭" >}}
탭 본문
{{< /tab >}}
{{< /tabs >}}

{{< columns >}}
왼쪽 칸
<--->
오른쪽 칸
{{< /columns >}}

{{< mermaid >}}
sequenceDiagram
  A->>B: 안녕
{{< /mermaid >}}
"""

PLAIN = 'He said "hello" -- twice...\n\n용어\n: 정의\n\n:smile:\n'

CONFIG = """\
title = "확장 테스트"
description = "확장 문법"
author = "홍길동"
base_url = "http://127.0.0.1:1313/"
params = {{ author = "홍길동" }}
{extra}"""


def _project(tmp: Path, notes: dict[str, str], extra: str = "") -> Path:
    return make_project(tmp, notes, CONFIG.format(extra=extra), shipped=False)


def _build(project: Path, *args: str) -> tuple[Path, str]:
    out = project / "public"
    proc = build_site(out, *args, cwd=project)
    assert proc.returncode == 0, describe_process(proc)
    return out, proc.stderr


@pytest.fixture(scope="module")
def everything(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    notes = {
        "posts/all.md": FRONT.format(title="모든 확장", day=2) + EVERYTHING,
        "posts/plain.md": FRONT.format(title="평범한 글", day=1) + PLAIN,
    }
    return _build(_project(tmp_path_factory.mktemp("wiring"), notes))


def _page(out: Path, name: str) -> Document:
    return parse_html(out / "posts" / name / "index.html")


def test_math_is_mathml_and_dollars_in_prose_stay(everything: tuple[Path, str]) -> None:
    doc = _page(everything[0], "all")
    headings = [h for h in doc.find_all("h1") if h.find("math") is not None]
    assert len(headings) == 1 and "정리" in headings[0].text()
    assert doc.find("div", class_="math-display") is not None
    assert doc.find("mfrac") is not None
    assert "$0.023/GB" in doc.norm_text() and "$HOME" in doc.norm_text()


def test_diagrams_are_pre_mermaid_with_the_scripts(everything: tuple[Path, str]) -> None:
    out = everything[0]
    doc = _page(out, "all")
    diagrams = doc.find_all("pre", class_="mermaid")
    assert len(diagrams) == 2  # the fence and the shortcode
    assert "A[요청] --> B[응답]" in diagrams[0].text()
    scripts = [s.get("src") or "" for s in doc.find_all("script")]
    assert any(s.split("?")[0].endswith("static/js/mermaid.min.js") for s in scripts)
    assert any(s.split("?")[0].endswith("static/js/mermaid-init.js") for s in scripts)
    assert (out / "static" / "js" / "mermaid.min.js").is_file()
    plain = _page(out, "plain")
    assert not any("mermaid" in (s.get("src") or "") for s in plain.find_all("script"))


def test_callouts_quotes_and_ad_fences(everything: tuple[Path, str]) -> None:
    doc = _page(everything[0], "all")
    tip = doc.find("div", class_="callout-tip")
    assert tip is not None and "팁 제목" in tip.text() and "팁 본문" in tip.text()
    folded = doc.find("details", class_="callout-warning")
    assert folded is not None and "open" not in folded
    ad = [c for c in doc.find_all("div", class_="callout-note") if "애드 노트" in c.text()]
    assert ad and "애드 본문" in ad[0].text()
    link = doc.find(
        "link", href=lambda h: bool(h and h.split("?")[0].endswith("static/css/notes-ext.css"))
    )
    assert link is not None


def test_embeds_are_placeholders_with_a_link(everything: tuple[Path, str]) -> None:
    doc = _page(everything[0], "all")
    embeds = doc.find_all("div", class_="embed")
    kinds = sorted(next(c for c in e.classes if c.startswith("embed-")) for e in embeds)
    assert kinds == ["embed-gist", "embed-instagram", "embed-vimeo", "embed-x", "embed-youtube"]
    for embed in embeds:
        assert embed.find("iframe") is None
        assert embed.find("button", class_="embed-load") is not None
        assert (embed.get("data-embed") or "").startswith("https://")
        link = embed.find("a")
        assert link is not None and (link.get("href") or "").startswith("https://")
    youtube = doc.find("div", class_="embed-youtube")
    assert youtube is not None and "강의 영상" in youtube.text()


def test_theme_shortcodes_are_callouts_details_tabs_columns(everything: tuple[Path, str]) -> None:
    doc = _page(everything[0], "all")
    text = doc.norm_text()
    assert "저자: 홍길동" in text
    callouts = doc.find_all(class_="callout")
    titles = [c.text() for c in callouts]
    assert any("애드모니션 제목" in t and "애드모니션 본문" in t for t in titles)
    assert any("노티스 본문" in t for t in titles)
    assert any("힌트 본문" in t for t in titles)
    assert any("얼럿 본문" in t for t in titles)
    expand = doc.find("details", class_="expand")
    assert expand is not None and "펼칠 제목" in expand.text()
    tabs = doc.find("div", class_="tabs")
    assert tabs is not None and "첫째 탭" in tabs.text() and "탭 본문" in tabs.text()
    columns = doc.find("div", class_="columns")
    assert columns is not None
    assert [c.norm_text() for c in columns.find_all("div", class_="column")] == [
        "왼쪽 칸",
        "오른쪽 칸",
    ]


def test_our_site_keeps_straight_quotes_and_no_deflists(everything: tuple[Path, str]) -> None:
    doc = _page(everything[0], "plain")
    assert 'He said "hello" -- twice...' in doc.norm_text()
    assert doc.find("dl") is None and ":smile:" in doc.norm_text()


def test_markdown_switches_from_the_config(tmp_path: Path) -> None:
    notes = {"posts/plain.md": FRONT.format(title="평범한 글", day=1) + PLAIN + "\n$x$\n"}
    extra = "[markdown]\ntypographer = true\ndefinition_list = true\nemoji = true\nmath = false\n"
    out, _ = _build(_project(tmp_path, notes, extra))
    doc = _page(out, "plain")
    assert "He said \u201chello\u201d \u2013 twice\u2026" in doc.norm_text()
    dl = doc.find("dl")
    assert dl is not None and dl.find("dt") is not None
    assert "\U0001f604" in doc.norm_text()
    assert doc.find("math") is None and "$x$" in doc.norm_text()


def test_a_bad_markdown_setting_is_reported(tmp_path: Path) -> None:
    notes = {"posts/plain.md": FRONT.format(title="평범한 글", day=1) + PLAIN}
    extra = '[markdown]\ntypographer = "yes"\nhighlight = { style = "monokai", nope = 1 }\n'
    project = _project(tmp_path, notes, extra)
    proc = build_site(project / "public", cwd=project)
    assert proc.returncode == 1
    assert "site.toml: error: 'markdown.typographer' must be true or false" in proc.stderr
    assert "markdown.highlight: style has no effect here" in proc.stderr
    assert "markdown.highlight: unknown option(s) nope" in proc.stderr


UNKNOWN = "{{< nosuch >}}\n안쪽 *글*\n{{< /nosuch >}}\n\n문단 {{< nosuch >}} 그리고 {{< other >}}\n"


def test_unknown_shortcodes_one_error_per_name(tmp_path: Path) -> None:
    notes = {
        "posts/a.md": FRONT.format(title="가", day=1) + UNKNOWN,
        "posts/b.md": FRONT.format(title="나", day=2) + "{{< nosuch >}}\n",
    }
    project = _project(tmp_path, notes)
    proc = build_site(project / "public", cwd=project)
    assert proc.returncode == 1
    lines = [line for line in proc.stderr.splitlines() if "unknown shortcode" in line]
    assert lines == [
        "content/posts/a.md:7: error: unknown shortcode 'nosuch' (3 uses: content/posts/a.md:7, "
        "content/posts/a.md:11, content/posts/b.md:7)",
        "content/posts/a.md:11: error: unknown shortcode 'other' (1 use: content/posts/a.md:11)",
    ]
    assert "hint: add templates/shortcodes/nosuch.html" in proc.stderr


def test_unknown_shortcodes_warn_renders_the_inner_text_marked(tmp_path: Path) -> None:
    notes = {"posts/a.md": FRONT.format(title="가", day=1) + UNKNOWN}
    out, stderr = _build(_project(tmp_path, notes, 'unknown_shortcodes = "warn"\n'))
    assert "warning: unknown shortcode 'nosuch' (2 uses:" in stderr
    doc = _page(out, "a")
    block = doc.find("div", class_="shortcode-unknown")
    assert block is not None and block.get("data-shortcode") == "nosuch"
    assert "알 수 없는 shortcode: nosuch" in block.text()
    em = block.find("em")
    assert em is not None and em.text() == "글"
    inline = doc.find_all("span", class_="shortcode-unknown")
    assert len(inline) == 2 and "other" in inline[1].text()


def test_a_cached_rebuild_keeps_the_features(tmp_path: Path) -> None:
    notes = {"posts/all.md": FRONT.format(title="모든 확장", day=2) + EVERYTHING}
    project = _project(tmp_path, notes)
    out, _ = _build(project)
    first = (out / "posts" / "all" / "index.html").read_bytes()
    (out / "posts" / "all" / "index.html").unlink()  # written again from the cache
    out, _ = _build(project)
    assert (out / "posts" / "all" / "index.html").read_bytes() == first
    assert (out / "static" / "js" / "mermaid.min.js").is_file()
    notes_json = (project / ".cache" / "notes.json").read_text(encoding="utf-8")
    assert '"mermaid"' in notes_json


@pytest.mark.parametrize(
    ("shortcode", "quote"),
    [
        (
            '{{< admonition tip "제목 *강조*" >}}\n본문\n{{< /admonition >}}',
            "> [!tip] 제목 *강조*\n> 본문",
        ),
        ("{{< hint warning >}}\n본문\n{{< /hint >}}", "> [!warning]\n> 본문"),
        (
            '{{< admonition type="danger" title="닫힘" open=false >}}\n본문\n{{< /admonition >}}',
            "> [!danger]- 닫힘\n> 본문",
        ),
    ],
)
def test_theme_callouts_are_the_same_html_as_quote_callouts(shortcode: str, quote: str) -> None:
    md = fixture_markdown()
    made = render_markdown(md, shortcode + "\n", "content/posts/current.md", 1, PAGE)
    written = render_markdown(md, quote + "\n", "content/posts/current.md", 1, PAGE)
    assert made.diagnostics == [] and made.html == written.html
