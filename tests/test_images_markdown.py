"""The Markdown images rule: every <img> of a note gets its file's size, loading hints and
responsive variants; bad image files are warnings. Output checked by parsing the HTML."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jinja2
import pytest
from markdown_it import MarkdownIt
from PIL import Image

from awsnotes_site.diagnostics import Severity
from awsnotes_site.images.catalog import ImageCatalog
from awsnotes_site.images.variants import ImageSettings, make
from awsnotes_site.markdown import RenderedNote, create_markdown, render_markdown
from awsnotes_site.markdown.context import RenderEnv
from awsnotes_site.markdown.images import images_plugin, page_images
from awsnotes_site.markdown.registry import RefResolver, ShortcodeRegistry
from helpers import Element, format_vnu, parse_html_string, run_vnu
from markdown_fixture import FIXTURES, fixture_markdown
from markdown_fixture import PAGE as FIXTURE_PAGE

BASE = "/notes/"
PAGE = {"title": "이미지", "rel": "posts/x.md", "url": "posts/x/", "params": {}}
SETTINGS = ImageSettings(
    lossless=False, widths=(160, 320), formats=("webp",), column=200, quality=60
)


def _image(path: Path, size: tuple[int, int], color: str = "teal") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".svg":
        path.write_text(
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{size[0]}" height="{size[1]}"/>'
        )
        return path
    im = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    im.paste(color, (0, 0, size[0] // 2, size[1] // 2))
    im.save(path)
    return path


class Site:
    """A site's images in tmp_path, their catalog and a parser using the rule."""

    def __init__(self, root: Path, settings: ImageSettings = SETTINGS) -> None:
        self.root = root
        files = {
            "img/wide.png": _image(root / "static/img/wide.png", (400, 250)),
            "img/wide.dark.png": _image(root / "static/img/wide.dark.png", (400, 250), "navy"),
            "img/small.jpg": _image(root / "static/img/small.jpg", (120, 90)),
            "img/diagram.svg": _image(root / "static/img/diagram.svg", (300, 150)),
            "posts/x/local.png": _image(root / "content/posts/x/local.png", (150, 100)),
        }
        broken = root / "static/img/broken.png"
        broken.write_bytes(b"\x89PNG\r\n\x1a\n garbage")
        files["img/broken.png"] = broken
        self.files = files
        self.catalog = ImageCatalog(files, settings, BASE)
        self.derivatives = self.catalog.scan()
        templates = root / "templates"
        (templates / "shortcodes").mkdir(parents=True)
        (templates / "shortcodes/shot.html").write_text(
            '<img src="{{ get(0) }}" alt="{{ get(1) }}">', encoding="utf-8"
        )
        jinja = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates)), autoescape=True)
        registry = ShortcodeRegistry(
            templates, jinja, RefResolver({}), BASE, "https://u.github.io/notes/"
        )
        self.md: MarkdownIt = create_markdown(registry, BASE)
        self.md.use(images_plugin, resolve=self.catalog.resolve)

    def render(
        self, body: str, body_line: int = 1, env: dict[str, Any] | None = None
    ) -> RenderedNote:
        """The note rendered as render_markdown does; ``env`` gets the parser's env."""
        if env is None:
            return render_markdown(self.md, body, "content/posts/x.md", body_line, PAGE)
        state = RenderEnv(path="content/posts/x.md", line_offset=body_line - 1, page=PAGE)
        env["awsnotes"] = state
        html = self.md.render(body, env)
        return RenderedNote(html, diagnostics=state.diagnostics)

    def file_for(self, url: str) -> Path:
        return self.files[url.removeprefix(BASE).lstrip("/")]


def _imgs(html: str) -> list[Element]:
    return [el for el in parse_html_string(html).iter() if el.tag == "img"]


NOTE = """\
![화면](/img/small.jpg)

{{< figure src="/img/wide.png" caption="넓은 화면" >}}

<img src="/img/diagram.svg" alt="다이어그램">

문단 안의 <img src="local.png" alt="번들"> 그림.

![제목 있는 그림](/img/small.jpg "캡션")

{{< shot "/img/small.jpg" "단축 코드" >}}

![바깥 그림](https://example.com/x.png)
"""


def test_every_image_gets_its_files_size_and_loading_hints(tmp_path: Path) -> None:
    site = Site(tmp_path)
    env: dict[str, Any] = {}
    result = site.render(NOTE, env=env)
    assert result.diagnostics == []
    imgs = _imgs(result.html)
    assert [i["alt"] for i in imgs] == [
        "화면",
        "넓은 화면",
        "다이어그램",
        "번들",
        "제목 있는 그림",
        "단축 코드",
        "바깥 그림",
    ]
    for img in imgs:
        src = img["src"]
        if src.startswith("https:"):
            assert "width" not in img
            continue
        # (a shortcode template's root-relative URL has no base path: it is read as a site URL)
        path = site.files["posts/x/local.png"] if src == "local.png" else site.file_for(src)
        if path.suffix == ".svg":
            assert (img["width"], img["height"]) == ("300", "150")
        else:
            with Image.open(path) as im:
                assert (int(img["width"]), int(img["height"])) == im.size, src
        assert img["decoding"] == "async"
    first, *rest = imgs
    assert page_images(env).first_url == "/notes/img/small.jpg"
    assert first.get("fetchpriority") == "high" and "loading" not in first
    for img in rest:
        assert img.get("loading") == "lazy" and "fetchpriority" not in img, img


def test_wide_images_get_a_picture_whose_variants_exist(tmp_path: Path) -> None:
    site = Site(
        tmp_path,
        ImageSettings(lossless=False, widths=(160, 320), formats=("webp", "png"), column=200),
    )
    result = site.render("![넓은](/img/wide.png)\n")
    made = make(site.derivatives, tmp_path / ".cache/images")
    assert made.problems == []
    doc = parse_html_string(result.html)
    (img,) = _imgs(result.html)
    picture = img.parent
    assert picture is not None and picture.tag == "picture"
    assert img["data-full"] == "/notes/img/wide.png"  # the zoom view's full-size original
    assert img["sizes"] == "(max-width: 232px) calc(100vw - 2rem), 200px"
    candidates = [c.strip() for c in img["srcset"].split(",")]
    sources = [el for el in doc.iter() if el.tag == "source"]
    light = [s for s in sources if "media" not in s]
    assert [s["type"] for s in light] == ["image/webp"]
    candidates += [c.strip() for c in light[0]["srcset"].split(",")]
    assert len(candidates) == 5  # 160w, 320w png + the original; 160w, 320w webp
    for candidate in candidates:
        url, descriptor = candidate.split()
        width = int(descriptor.removesuffix("w"))
        output = url.removeprefix(BASE)
        cached = made.files.get(output) or site.files[output]
        with Image.open(cached) as im:
            assert im.width == width
            assert im.format == ("WEBP" if url.endswith(".webp") else "PNG")


def test_the_first_image_may_come_from_a_figure_shortcode(tmp_path: Path) -> None:
    site = Site(tmp_path)
    env: dict[str, Any] = {}
    body = '{{< figure src="/img/wide.png" alt="넓은" >}}\n\n![작은](/img/small.jpg)\n'
    imgs = _imgs(site.render(body, env=env).html)
    assert [i["alt"] for i in imgs] == ["넓은", "작은"]
    assert imgs[0].get("fetchpriority") == "high" and "loading" not in imgs[0]
    assert imgs[1].get("loading") == "lazy"
    assert page_images(env).first_url == "/notes/img/wide.png"  # as in the HTML


def test_a_dark_sibling_becomes_a_dark_source(tmp_path: Path) -> None:
    site = Site(tmp_path)
    result = site.render("![넓은](/img/wide.png)\n")
    sources = [el for el in parse_html_string(result.html).iter() if el.tag == "source"]
    dark = [s for s in sources if s.get("media") == "(prefers-color-scheme: dark)"]
    assert dark and sources[: len(dark)] == dark  # dark sources come first
    assert "/notes/img/wide.dark.160w.webp 160w" in dark[0]["srcset"]
    assert dark[-1]["srcset"] == "/notes/img/wide.dark.png 400w" and "type" not in dark[-1]
    # an image without a dark sibling has no dark source
    plain = site.render("![작은](/img/small.jpg)\n")
    assert "prefers-color-scheme" not in plain.html and "<picture>" not in plain.html


def test_a_bad_image_is_a_warning_at_its_line_and_published_as_is(tmp_path: Path) -> None:
    site = Site(tmp_path)
    body = "첫 문단\n\n둘째\n![깨진](/img/broken.png)\n\n<img src='/img/broken.png' alt='또'>\n"
    result = site.render(body, body_line=5)
    warnings = [d for d in result.diagnostics if d.severity is Severity.WARNING]
    assert len(warnings) == 1  # once per image per note
    assert warnings[0].path == "content/posts/x.md" and warnings[0].line == 8
    assert "/img/broken.png" in warnings[0].message and "damaged" in warnings[0].message
    for img in _imgs(result.html):
        assert img["src"] == "/notes/img/broken.png"
        assert "width" not in img and "srcset" not in img


def test_authors_sizes_and_srcset_are_kept(tmp_path: Path) -> None:
    site = Site(tmp_path)
    body = (
        '<img src="/img/wide.png" alt="a" width="200">\n\n'
        '<img src="/img/wide.png" alt="b" height="50">\n\n'
        '<img src="/img/wide.png" alt="c" width="10" height="10">\n\n'
        '<picture><source srcset="/img/x.webp"><img src="/img/wide.png" alt="d"></picture>\n\n'
        '<img src="/img/wide.png" alt="e" srcset="/img/wide.png 2x">\n'
    )
    imgs = {i["alt"]: i for i in _imgs(site.render(body).html)}
    assert (imgs["a"]["width"], imgs["a"]["height"]) == ("200", "125")
    assert (imgs["b"]["width"], imgs["b"]["height"]) == ("80", "50")
    assert (imgs["c"]["width"], imgs["c"]["height"]) == ("10", "10")
    assert imgs["d"].parent is not None and imgs["d"].parent.parent is not None
    assert imgs["d"].parent.parent.tag != "picture"  # no picture inside the author's own
    assert imgs["e"]["srcset"] == "/notes/img/wide.png 2x" and "sizes" not in imgs["e"]


def test_a_note_without_images_is_unchanged(tmp_path: Path) -> None:
    site = Site(tmp_path)
    plain = create_markdown(
        ShortcodeRegistry(
            tmp_path / "templates", None, RefResolver({}), BASE, "https://u.github.io/notes/"
        ),
        BASE,
    )
    body = "# 제목\n\n본문 <b>굵게</b> [링크](/posts/y/)\n\n```python\nx = 1\n```\n"
    assert (
        site.render(body).html == render_markdown(plain, body, "content/posts/x.md", 1, PAGE).html
    )


@pytest.mark.timeout(300)
def test_annotated_note_is_valid_html(tmp_path: Path) -> None:
    site = Site(tmp_path)
    body = site.render(NOTE + "\n![넓은](/img/wide.png)\n").html
    page = tmp_path / "page.html"
    page.write_text(
        f'<!DOCTYPE html>\n<html lang="ko"><head><meta charset="utf-8"><title>t</title></head>'
        f"<body><main>{body}</main></body></html>\n",
        encoding="utf-8",
    )
    messages = run_vnu(page)
    assert messages == [], format_vnu(messages)


def test_on_the_fixture_notes_without_known_images_only_loading_hints_change() -> None:
    plain = fixture_markdown()
    with_rule = fixture_markdown()
    with_rule.use(images_plugin, resolve=lambda url, page: None)
    hints = re.compile(r' (?:loading="lazy"|decoding="async"|fetchpriority="high")')
    notes = sorted(FIXTURES.glob("*.md"))
    assert notes
    changed = 0
    for note in notes:
        text = note.read_text(encoding="utf-8")
        before = render_markdown(plain, text, "content/posts/current.md", 1, FIXTURE_PAGE)
        after = render_markdown(with_rule, text, "content/posts/current.md", 1, FIXTURE_PAGE)
        assert hints.sub("", after.html) == hints.sub("", before.html), note.name
        assert after.diagnostics == before.diagnostics
        changed += after.html != before.html
    assert changed  # the figures fixture has images: their hints did change


def test_images_inside_a_shortcode_with_content_are_annotated_once(tmp_path: Path) -> None:
    site = Site(tmp_path)
    body = (
        '{{< details summary="자세히" >}}\n'
        '{{< figure src="/img/small.jpg" alt="안쪽 그림" >}}\n\n'
        "![안쪽 마크다운](/img/wide.png)\n"
        "{{< /details >}}\n\n"
        '{{% details summary="또" %}}\n![퍼센트](/img/small.jpg)\n{{% /details %}}\n'
    )
    result = site.render(body)
    imgs = _imgs(result.html)
    assert [i["alt"] for i in imgs] == ["안쪽 그림", "안쪽 마크다운", "퍼센트"]
    assert imgs[0].get("fetchpriority") == "high" and "loading" not in imgs[0]
    assert all(i.get("loading") == "lazy" for i in imgs[1:])
    assert result.html.count("<picture>") == 1
    for img in imgs:
        assert img.get("width") and img.get("decoding") == "async"


def test_korean_file_names_with_spaces_make_valid_srcsets(tmp_path: Path) -> None:
    site = Site(tmp_path)
    path = _image(tmp_path / "static/img/화면 캡처, 1.png", (400, 250))
    catalog = ImageCatalog({**site.files, "img/화면 캡처, 1.png": path}, SETTINGS, BASE)
    derivatives = catalog.scan()
    md = create_markdown(
        ShortcodeRegistry(
            tmp_path / "templates", None, RefResolver({}), BASE, "https://u.github.io/notes/"
        ),
        BASE,
    )
    md.use(images_plugin, resolve=catalog.resolve)
    html = render_markdown(
        md, "![캡처](</img/화면 캡처, 1.png>)\n", "content/posts/x.md", 1, PAGE
    ).html
    (img,) = _imgs(html)
    (source,) = [el for el in parse_html_string(html).iter() if el.tag == "source"]
    assert (img["width"], img["height"]) == ("400", "250")
    outputs = {d.output for d in derivatives}
    for candidate in source["srcset"].split(", "):
        url, width = candidate.split(" ")
        assert unquote(url).removeprefix(BASE) in outputs and width.endswith("w")


def test_an_authors_picture_over_several_inline_tokens_is_not_nested(tmp_path: Path) -> None:
    site = Site(tmp_path)
    body = (
        '글 <picture><source srcset="/img/x.webp"> 사이 <img src="/img/wide.png" alt="f">'
        "</picture> 끝. [Picture 1] <figcaption>Picture</figcaption> 뒤"
        ' <img src="/img/wide.png" alt="g">\n'
    )
    html = site.render(body).html
    imgs = {i["alt"]: i for i in _imgs(html)}
    assert imgs["f"].parent is not None and imgs["f"].parent.tag == "picture"
    assert imgs["f"]["width"] == "400" and imgs["f"]["data-full"] == "/notes/img/wide.png"
    assert html.count("<picture>") == 2  # the author's, and the one around g
    assert imgs["g"].parent is not None and imgs["g"].parent.tag == "picture"


def test_relative_urls_resolve_per_page_folder(tmp_path: Path) -> None:
    x = _image(tmp_path / "x" / "local.png", (150, 100))
    y = _image(tmp_path / "y" / "local.png", (90, 30))
    catalog = ImageCatalog({"posts/x/local.png": x, "posts/y/local.png": y}, SETTINGS, BASE)
    catalog.scan()
    for _ in range(2):  # (answered again from what it remembers)
        seen = [catalog.resolve("local.png", page) for page in ("posts/x/", "posts/y/")]
        assert [(r.info.width, r.info.height) for r in seen if r and r.info] == [
            (150, 100),
            (90, 30),
        ]
        root = catalog.resolve("/notes/posts/y/local.png", "posts/x/")
        assert root is not None and root.info is not None and root.info.width == 90
        assert catalog.resolve("local.png", "posts/z/") is None
