"""Images under content/ (issue 21): a Hugo bundle's images and a vault's attachments get
their file's size and responsive variants like static/ images, whether a note shows them
through Markdown, raw <img>, the figure shortcode or an Obsidian embed. Checked by
parsing the built pages: every <img> carries its file's size and every srcset candidate
is a published file of the stated width."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from PIL import Image

from awsnotes_site.pipeline.builder import build
from awsnotes_site.pipeline.options import BuildOptions, BuildResult
from helpers import Element, parse_html
from test_hugo_site import FIXTURES

VAULT = Path(__file__).parent / "fixtures" / "vault" / "study"
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def _png(path: Path, size: tuple[int, int], color: tuple[int, int, int]) -> None:
    im = Image.new("RGB", size, color)
    for x in range(0, size[0], 40):  # some detail, like a screenshot's text
        im.paste((0, 0, 0), (x, 0, x + 2, size[1]))
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    im.save(buf, "PNG")
    path.write_bytes(buf.getvalue())


def _jpeg(path: Path, size: tuple[int, int]) -> None:
    Image.new("RGB", size, (30, 120, 60)).save(path, "JPEG", quality=90)


def _build(site: Path) -> BuildResult:
    options = BuildOptions(use_cache=True, save_cache=True, jobs=1, now=NOW)
    result, _ = build(site, options)
    return result


def _page_of(result: BuildResult, rel: str) -> tuple[Path, str]:
    """The built page of the note at content path ``rel`` and its URL path."""
    view = next(v for v in result.notes if v.note.rel == rel)
    url = view.note.url
    page = result.config.output_path / unquote(url) / "index.html"
    return page, result.config.base_path + url


def _file(result: BuildResult, url: str, page_url: str) -> Path:
    """The published file a URL of a page points at."""
    path = unquote(urlsplit(urljoin(page_url, url)).path)
    base = result.config.base_path
    assert path.startswith(base), url
    return result.config.output_path / path[len(base) :]


def _check_images(result: BuildResult, rel: str) -> list[Element]:
    """Every <img> of the note's content has its file's size (or the author's width with
    the height to scale) and every srcset candidate of its <picture> is a published file
    of the stated width; the images checked."""
    page, page_url = _page_of(result, rel)
    doc = parse_html(page)
    article = doc.find("article") or doc
    imgs = article.find_all("img")
    for img in imgs:
        file = _file(result, img["src"], page_url)
        with Image.open(file) as im:
            width, height = im.size
        shown_w, shown_h = int(img["width"]), int(img["height"])
        assert shown_w * height == shown_h * width, (rel, img["src"], shown_w, shown_h)
        if shown_w != width:  # (the author's width, ![[x.png|600]])
            continue
        assert (shown_w, shown_h) == (width, height), (rel, img["src"])
        picture = img.closest("picture")
        sources = picture.find_all("source") if picture is not None else []
        for el in [img, *sources]:
            for candidate in (el.get("srcset") or "").split(","):
                if not candidate.strip():
                    continue
                url, stated = candidate.split()
                with Image.open(_file(result, url, page_url)) as im:
                    assert f"{im.width}w" == stated, (rel, url)
    return imgs


@pytest.fixture(scope="module")
def hugo(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    site = tmp_path_factory.mktemp("hugo-bundle") / "papermod"
    shutil.copytree(FIXTURES / "papermod", site)
    bundle = site / "content" / "posts" / "cover-post"
    _png(bundle / "shot.png", (1400, 700), (200, 220, 240))
    _png(bundle / "images" / "스크린샷 1.png", (1200, 500), (220, 240, 200))
    _jpeg(bundle / "photo.jpg", (1600, 1000))
    _png(site / "static" / "img" / "wide.png", (1000, 400), (240, 200, 200))
    index = bundle / "index.md"
    index.write_text(
        index.read_text(encoding="utf-8")
        + """
![스크린샷](shot.png)

<img src="photo.jpg" alt="원본 HTML">

{{< figure src="images/스크린샷 1.png" alt="그림" caption="하위 폴더의 그림" >}}

![사이트 그림](/img/wide.png)
""",
        encoding="utf-8",
    )
    return _build(site)


def test_a_hugo_bundles_images_get_sizes_and_variants(hugo: BuildResult) -> None:
    imgs = _check_images(hugo, "posts/cover-post/index.md")
    srcs = [unquote(i["src"]) for i in imgs]
    assert srcs == ["cover.png", "shot.png", "photo.jpg", "images/스크린샷 1.png", "/img/wide.png"]
    pictures = {unquote(i["src"]): i.closest("picture") for i in imgs}
    for src in ("shot.png", "photo.jpg", "images/스크린샷 1.png", "/img/wide.png"):
        assert pictures[src] is not None, src  # wider than the column: variants
    assert pictures["cover.png"] is None  # 32 px: none
    page, _ = _page_of(hugo, "posts/cover-post/index.md")
    assert (page.parent / "shot.1400w.webp").is_file()
    assert (page.parent / "photo.720w.webp").is_file()
    assert (page.parent / "images" / "스크린샷 1.1200w.webp").is_file()


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    site = tmp_path_factory.mktemp("vault") / "study"
    shutil.copytree(VAULT, site)
    attachments = site / "첨부파일"
    _png(attachments / "넓은 화면.png", (1400, 700), (200, 220, 240))
    _png(attachments / "넓은 화면.dark.png", (1400, 700), (20, 20, 40))
    _jpeg(attachments / "사진.jpg", (1600, 1000))
    _png(attachments / "안 쓰는 그림.png", (1500, 700), (1, 2, 3))
    note = site / "AWS" / "그림 노트.md"
    note.write_text(
        """# 그림 노트

![[넓은 화면.png]]

![사진](첨부파일/사진.jpg)

![[endpoint.png]]
""",
        encoding="utf-8",
    )
    return _build(site)


def test_vault_attachments_get_sizes_and_variants(vault: BuildResult) -> None:
    imgs = _check_images(vault, "AWS/그림 노트.md")
    assert [unquote(i["src"]) for i in imgs] == [
        "/첨부파일/넓은 화면.png",
        "/첨부파일/사진.jpg",
        "/첨부파일/endpoint.png",
    ]
    assert (imgs[2]["width"], imgs[2]["height"]) == ("120", "60")
    wide = imgs[0].closest("picture")
    assert wide is not None
    dark = [s for s in wide.find_all("source") if s.get("media")]
    assert dark, "the dark sibling is offered"
    out = vault.config.output_path / "첨부파일"
    assert (out / "넓은 화면.1400w.webp").is_file()
    assert (out / "넓은 화면.dark.png").is_file()  # published with the image it darkens
    assert (out / "사진.720w.webp").is_file()
    assert not list(out.glob("안 쓰는 그림*")), "an attachment no note links is not published"


def test_the_vault_fixtures_sized_embed_keeps_its_width(vault: BuildResult) -> None:
    imgs = _check_images(vault, "AWS/네트워크/VPC 엔드포인트.md")
    endpoint = next(i for i in imgs if i["src"].endswith("endpoint.png"))
    assert (endpoint["width"], endpoint["height"]) == ("600", "300")  # ![[endpoint.png|600]]
