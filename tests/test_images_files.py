"""Image files: probing (good and bad files), variants in .cache/images, share cards.

Every image is made here with Pillow in tmp_path; no binary fixtures."""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont, features

from awsnotes_site.images.cache import derivative_file
from awsnotes_site.images.cards import (
    CardFont,
    absolute_image_url,
    card,
    draw_card,
    find_font,
    front_matter_image,
    og_image,
    wrap,
)
from awsnotes_site.images.catalog import ImageCatalog
from awsnotes_site.images.probe import ImageInfo, ImageProblem, ImageWork, ProbeCache, probe
from awsnotes_site.images.variants import (
    ImageSettings,
    SourceImage,
    make,
    plan,
    responsive,
    variant_widths,
)


def noise_image(
    path: Path, size: tuple[int, int], mode: str = "RGB", fmt: str | None = None
) -> Path:
    """An image of random pixels (compresses badly, so truncating it cuts pixel data)."""
    bands = len(mode)
    im = Image.frombytes(mode, size, os.urandom(size[0] * size[1] * bands))
    path.parent.mkdir(parents=True, exist_ok=True)
    im.save(path, fmt)
    return path


def png_header(path: Path, width: int, height: int) -> Path:
    """A PNG that claims WIDTHxHEIGHT but holds (almost) nothing: a bomb made cheaply."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
    path.write_bytes(body + chunk(b"IEND", b""))
    return path


# --- probe -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt", "mode"),
    [
        ("a.png", "PNG", "RGB"),
        ("b.jpg", "JPEG", "RGB"),
        ("c.webp", "WEBP", "RGBA"),
        ("d.gif", "GIF", "L"),
    ],
)
def test_probe_reads_size_format_and_alpha(tmp_path: Path, name: str, fmt: str, mode: str) -> None:
    path = noise_image(tmp_path / name, (321, 123), mode)
    info = probe(path)
    assert isinstance(info, ImageInfo), info
    assert (info.width, info.height, info.format) == (321, 123, fmt)
    assert info.alpha is (mode == "RGBA")
    assert info.animated is False
    assert info.size == path.stat().st_size
    assert len(info.digest) == 32


def test_probe_animated_gif(tmp_path: Path) -> None:
    frames = [Image.new("RGB", (50, 40), c) for c in ("red", "green", "blue")]
    path = tmp_path / "anim.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=100, loop=0)
    info = probe(path)
    assert isinstance(info, ImageInfo) and info.animated
    assert (
        variant_widths(info, ImageSettings(lossless=False, column=10)) == []
    )  # published as it is


def test_probe_digest_follows_content(tmp_path: Path) -> None:
    a = noise_image(tmp_path / "a.png", (20, 20))
    b = tmp_path / "b.png"
    b.write_bytes(a.read_bytes())
    c = noise_image(tmp_path / "c.png", (20, 20))
    da, db, dc = (probe(p) for p in (a, b, c))
    assert isinstance(da, ImageInfo) and isinstance(db, ImageInfo) and isinstance(dc, ImageInfo)
    assert da.digest == db.digest != dc.digest


def _truncated(path: Path) -> Path:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _bad_files(tmp: Path) -> dict[str, tuple[Path, str]]:
    """name -> (file, a word its problem must say)"""
    text = tmp / "notes.png"
    text.write_text("이건 그림이 아니다\n", encoding="utf-8")
    wrong = noise_image(tmp / "shot.jpg", (30, 20), fmt="PNG")
    folder = tmp / "folder.png"
    folder.mkdir()
    dangling = tmp / "gone.png"
    dangling.symlink_to(tmp / "nowhere.png")
    return {
        "truncated png": (_truncated(noise_image(tmp / "t.png", (300, 300))), "truncated"),
        "truncated jpeg": (_truncated(noise_image(tmp / "t.jpg", (300, 300))), "truncated"),
        "not an image": (text, "not an image"),
        "wrong extension": (wrong, "PNG"),
        "bomb": (png_header(tmp / "bomb.png", 30_000, 30_000), "too large"),
        "over the limit": (png_header(tmp / "big.png", 10_000, 5_000), "limit"),
        "directory": (folder, "directory"),
        "dangling link": (dangling, "does not exist"),
    }


def test_bad_images_are_problems_not_exceptions(tmp_path: Path) -> None:
    for name, (path, word) in _bad_files(tmp_path).items():
        result = probe(path)
        assert isinstance(result, ImageProblem), (name, result)
        assert word in result.message, (name, result.message)


def test_bad_images_get_no_variants_and_are_reported_by_the_catalog(tmp_path: Path) -> None:
    bad = _bad_files(tmp_path)
    images = {f"img/{path.name}": path for path, _ in bad.values()}
    catalog = ImageCatalog(images, ImageSettings(lossless=False, column=10), "/")
    assert catalog.scan() == []
    for out in images:
        resolved = catalog.resolve("/" + out)
        assert resolved is not None and resolved.info is None and resolved.problem


@pytest.mark.parametrize(
    ("svg", "size"),
    [
        ('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80"/>', (120, 80)),
        ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 150"/>', (300, 150)),
        (
            '<svg xmlns="http://www.w3.org/2000/svg" width="600px" viewBox="0 0 300 150"/>',
            (600, 300),
        ),
        (
            '<?xml version="1.0"?>\n<!-- c -->\n<svg:svg xmlns:svg="http://www.w3.org/2000/svg" width="10.4" height="20"/>',
            (10, 20),
        ),
    ],
)
def test_probe_svg_size(tmp_path: Path, svg: str, size: tuple[int, int]) -> None:
    path = tmp_path / "d.svg"
    path.write_text(svg, encoding="utf-8")
    info = probe(path)
    assert isinstance(info, ImageInfo) and info.format == "SVG"
    assert (info.width, info.height) == size


@pytest.mark.parametrize(
    ("svg", "word"),
    [
        (
            '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><svg width="1" height="1">&b;</svg>',
            "entities",
        ),
        (
            '<!DOCTYPE svg [<!ENTITY ext SYSTEM "file:///etc/passwd">]><svg width="1" height="1">&ext;</svg>',
            "entities",
        ),
        ('<svg xmlns="http://www.w3.org/2000/svg" width="50%"/>', "size is unknown"),
        ("<svg width='1' height='1' <g></svg>", "well-formed"),
        ("<html><body/></html>", "<html>"),
        ("", "SVG"),
    ],
)
def test_probe_bad_svg(tmp_path: Path, svg: str, word: str) -> None:
    path = tmp_path / "bad.svg"
    path.write_text(svg, encoding="utf-8")
    result = probe(path)
    assert isinstance(result, ImageProblem), result
    assert word in result.message


def test_probe_cache_hits_without_opening_until_the_file_changes(tmp_path: Path) -> None:
    path = noise_image(tmp_path / "a.png", (40, 30))
    work = ImageWork()
    cache = ProbeCache()
    first = cache.get(path, work)
    assert cache.get(path, work) == first and work.probes == 1
    saved = tmp_path / "probes.json"
    cache.save(saved)
    loaded = ProbeCache.load(saved)
    assert loaded.get(path, work) == first and work.probes == 1  # a new build, no Pillow
    noise_image(path, (41, 30))
    again = loaded.get(path, work)
    assert work.probes == 2 and isinstance(again, ImageInfo) and again.width == 41


def test_probe_cache_keeps_problems_and_ignores_a_broken_file(tmp_path: Path) -> None:
    path = tmp_path / "x.png"
    path.write_text("not a png")
    work = ImageWork()
    cache = ProbeCache()
    assert isinstance(cache.get(path, work), ImageProblem)
    cache.save(tmp_path / "probes.json")
    assert isinstance(ProbeCache.load(tmp_path / "probes.json").get(path, work), ImageProblem)
    assert work.probes == 1
    (tmp_path / "broken.json").write_text("{")
    assert ProbeCache.load(tmp_path / "broken.json").entries == {}


# --- variants ----------------------------------------------------------------------


def test_settings_from_config_reports_bad_values() -> None:
    settings, errors = ImageSettings.from_config(
        {"widths": [800, 400, 400], "formats": ["WEBP"], "quality": 60, "enabled": True}
    )
    assert (
        settings.widths == (400, 800) and settings.formats == ("webp",) and settings.quality == 60
    )
    assert errors == []
    settings, errors = ImageSettings.from_config(
        {"widths": "big", "formats": ["gifv"], "quality": 0, "enabled": "yes", "colour": 1}
    )
    assert settings == ImageSettings()
    assert len(errors) == 5 and all(e.startswith("[images] ") for e in errors)


def test_default_formats_follow_pillow() -> None:
    expected = ("webp", "avif") if features.check("avif") else ("webp",)
    assert ImageSettings().formats == expected


def test_widths_are_capped_at_the_original_and_small_images_get_none(tmp_path: Path) -> None:
    settings = ImageSettings(lossless=False, widths=(480, 768, 1200), column=720)
    wide = probe(noise_image(tmp_path / "w.png", (1000, 500)))
    narrow = probe(noise_image(tmp_path / "n.png", (700, 500)))
    assert isinstance(wide, ImageInfo) and isinstance(narrow, ImageInfo)
    assert variant_widths(wide, settings) == [480, 768, 1000]
    assert variant_widths(narrow, settings) == []
    assert variant_widths(wide, ImageSettings(lossless=False, enabled=False)) == []


def test_every_variant_exists_with_its_width_and_format(tmp_path: Path) -> None:
    path = noise_image(tmp_path / "site" / "img" / "shot.png", (500, 300))
    info = probe(path)
    assert isinstance(info, ImageInfo)
    settings = ImageSettings(
        lossless=False, formats=("webp", "png"), widths=(160, 400), quality=70, column=200
    )
    derivatives = plan([SourceImage("img/shot.png", path, info)], settings)
    assert {(d.output, d.width) for d in derivatives} == {
        ("img/shot.160w.webp", 160),
        ("img/shot.400w.webp", 400),
        ("img/shot.160w.png", 160),
        ("img/shot.400w.png", 400),
    }
    made = make(derivatives, tmp_path / "cache", threads=2)
    assert made.problems == []
    assert set(made.files) == {d.output for d in derivatives}
    for d in derivatives:
        with Image.open(made.files[d.output]) as im:
            assert im.size == (d.width, d.height)
            assert im.format == {"webp": "WEBP", "png": "PNG"}[d.format]
        assert d.height == round(300 * d.width / 500)


def test_a_second_make_does_no_pillow_work(tmp_path: Path) -> None:
    path = noise_image(tmp_path / "a.png", (450, 300))
    cache_dir = tmp_path / "cache"
    work = ImageWork()
    probes = ProbeCache()
    settings = ImageSettings(lossless=False, formats=("webp",), widths=(240, 400), column=200)
    catalog = ImageCatalog({"a.png": path}, settings, "/", probes, work)
    first = make(catalog.scan(), cache_dir, work)
    assert work.encodes == 2 and work.probes == 1
    catalog = ImageCatalog({"a.png": path}, settings, "/", probes, work)
    second = make(catalog.scan(), cache_dir, work)
    assert work.encodes == 2 and work.probes == 1  # only stat + lookup
    assert second.files == first.files
    # other settings: other keys, new files
    catalog = ImageCatalog(
        {"a.png": path},
        ImageSettings(lossless=False, formats=("webp",), widths=(240, 400), column=200, quality=50),
        "/",
        probes,
        work,
    )
    third = make(catalog.scan(), cache_dir, work)
    assert work.encodes == 4 and set(third.files.values()).isdisjoint(first.files.values())


def test_make_reports_a_source_that_broke_after_probing(tmp_path: Path) -> None:
    path = noise_image(tmp_path / "a.png", (900, 600))
    info = probe(path)
    assert isinstance(info, ImageInfo)
    derivatives = plan(
        [SourceImage("a.png", path, info)], ImageSettings(lossless=False, formats=("webp",))
    )
    path.write_text("gone")
    made = make(derivatives, tmp_path / "cache")
    assert made.files == {} and len(made.problems) == len(derivatives)
    assert not any(
        derivative_file(tmp_path / "cache", d.key, d.format).exists() for d in derivatives
    )


def test_alpha_survives_into_webp(tmp_path: Path) -> None:
    path = noise_image(tmp_path / "a.png", (800, 400), "RGBA")
    info = probe(path)
    assert isinstance(info, ImageInfo) and info.alpha
    derivatives = plan(
        [SourceImage("a.png", path, info)],
        ImageSettings(lossless=False, formats=("webp",), widths=(400,)),
    )
    made = make(derivatives, tmp_path / "cache")
    with Image.open(made.files["a.400w.webp"]) as im:
        assert im.mode == "RGBA"


def test_responsive_markup_lists_the_planned_files(tmp_path: Path) -> None:
    path = noise_image(tmp_path / "a.jpg", (1600, 800))
    info = probe(path)
    assert isinstance(info, ImageInfo)
    settings = ImageSettings(lossless=False, formats=("webp", "jpeg"), widths=(480, 1200))
    offered = responsive("/notes/img/a.jpg", info, settings)
    assert (
        offered.srcset
        == "/notes/img/a.480w.jpg 480w, /notes/img/a.1200w.jpg 1200w, /notes/img/a.jpg 1600w"
    )
    assert [s.type for s in offered.sources] == ["image/webp"]
    assert offered.sizes == (
        "(max-width: 640px) calc(100vw - 2rem), (max-width: 720px) calc(100vw - 2.5rem), 680px"
    )
    outputs = {d.output for d in plan([SourceImage("img/a.jpg", path, info)], settings)}
    for candidate in (*offered.srcset.split(", ")[:-1], *offered.sources[0].srcset.split(", ")):
        assert candidate.split()[0].removeprefix("/notes/") in outputs


# --- share cards -------------------------------------------------------------------


def test_card_font_draws_hangul() -> None:
    font = find_font()
    assert font.has_hangul, "no Korean font found (Debian: fonts-noto-cjk)"
    face = ImageFont.truetype(font.path, 40, index=font.index)
    assert face.getmask("한글").getbbox() is not None

    def drawn(text: str) -> bytes:
        im = Image.new("L", (60, 60))
        ImageDraw.Draw(im).text((5, 5), text, font=face, fill=255)
        return im.tobytes()

    # a Hangul glyph is not the "missing glyph" box
    assert drawn("한") != drawn("\U0010fffd") and drawn("한") != drawn("글")


def test_card_renders_a_korean_title_and_is_cached(tmp_path: Path) -> None:
    font = find_font()
    work = ImageWork()
    title = "VPC 피어링과 트랜짓 게이트웨이: 언제 무엇을 쓰나"
    path = card(tmp_path / "images", title, "AWS 공부 노트", "2024-05-01", font, work)
    assert work.cards == 1 and path.parent.name == "cards"
    with Image.open(path) as im:
        assert im.size == (1200, 630) and im.format == "PNG"
        ink = im.convert("L").crop((80, 80, 1120, 440))
        dark = sum(ink.histogram()[:100])
    assert dark > 5000  # the title is drawn, not boxes or nothing
    blank = draw_card("", "", "", font)
    assert path.read_bytes() != blank
    assert card(tmp_path / "images", title, "AWS 공부 노트", "2024-05-01", font, work) == path
    assert work.cards == 1
    other = card(tmp_path / "images", title + "!", "AWS 공부 노트", "2024-05-01", font, work)
    assert other != path and work.cards == 2


def test_card_without_a_korean_font_draws_no_boxes() -> None:
    builtin = CardFont("")
    assert not builtin.has_hangul
    assert draw_card("한글 제목", "노트", "2024-05-01", builtin) == draw_card(
        "", "", "2024-05-01", builtin
    )
    assert draw_card("ASCII title", "", "2024-05-01", builtin) != draw_card(
        "", "", "2024-05-01", builtin
    )


def test_wrap_breaks_long_korean_words_and_ends_with_an_ellipsis() -> None:
    def fits(line: str) -> bool:
        return len(line) <= 10

    assert wrap("가나다 라마바", fits, 3) == ["가나다 라마바"]
    assert wrap("가" * 25, fits, 2) == ["가" * 10, "가" * 9 + "…"]
    assert all(
        fits(line)
        for line in wrap("AWS 솔루션스 아키텍트 어소시에이트 시험 준비 노트 정리", fits, 3)
    )


def test_og_image_prefers_front_matter_then_first_image_then_card() -> None:
    base = "https://user.github.io/notes/"
    assert front_matter_image({"images": ["/img/a.png", "/img/b.png"]}) == "/img/a.png"
    assert front_matter_image({"images": "/img/a.png"}) == "/img/a.png"
    assert front_matter_image({"cover": {"image": "cover.png"}}) == "cover.png"
    assert front_matter_image({"cover": "c.png", "image": "i.png"}) == "c.png"
    assert front_matter_image({"image": "i.png"}) == "i.png"
    assert front_matter_image({"images": [], "cover": {"alt": "x"}}) is None
    page = "posts/x/"
    assert (
        og_image({"cover": {"image": "cover.png"}}, "/img/a.png", "posts/x/card.png", base, page)
        == "https://user.github.io/notes/posts/x/cover.png"
    )
    assert (
        og_image({}, "/img/a.png", "posts/x/card.png", base, page)
        == "https://user.github.io/notes/img/a.png"
    )
    assert (
        og_image({}, "/notes/img/a.png", None, base, page)
        == "https://user.github.io/notes/img/a.png"
    )
    assert (
        og_image({}, None, "posts/x/card.png", base, page)
        == "https://user.github.io/notes/posts/x/card.png"
    )
    assert og_image({}, None, None, base, page) is None
    assert (
        absolute_image_url("https://cdn.example/x.png", base, page) == "https://cdn.example/x.png"
    )
    assert (
        absolute_image_url("../y/p.png", base, page) == "https://user.github.io/notes/posts/y/p.png"
    )


def test_names_key_follows_the_images_a_note_names(tmp_path: Path) -> None:
    a = noise_image(tmp_path / "img" / "a.png", (300, 200))
    b = noise_image(tmp_path / "img" / "b.png", (300, 200))
    images = {"img/a.png": a, "img/b.png": b}

    def key(names: list[str], settings: ImageSettings | None = None) -> str:
        catalog = ImageCatalog(images, settings or ImageSettings(), "/notes/")
        catalog.scan()
        return catalog.names_key(names) + catalog.context_key()

    before = key(["a.png"])
    assert key(["a.png", "c.png"]) == before  # a name no image has
    noise_image(b, (300, 200))
    assert key(["a.png"]) == before  # another image changed
    noise_image(a, (301, 200))
    changed = key(["a.png"])
    assert changed != before
    noise_image(tmp_path / "img" / "a.dark.png", (301, 200))
    images["img/a.dark.png"] = tmp_path / "img" / "a.dark.png"
    assert key(["a.png"]) != changed  # a dark sibling appeared
    other = tmp_path / "elsewhere" / "a.png"
    noise_image(other, (50, 50))
    images["posts/x/a.png"] = other
    assert key(["a.png"]) != changed  # an image of that name elsewhere (a bundle's)
    assert key(["a.png"], ImageSettings(lossless=False, quality=10)) != key(["a.png"])


def test_a_large_jpeg_is_resized_to_the_exact_size(tmp_path: Path) -> None:
    path = noise_image(tmp_path / "photo.jpg", (2000, 1333))
    info = probe(path)
    assert isinstance(info, ImageInfo)
    settings = ImageSettings(lossless=False, formats=("webp", "jpeg"), widths=(300,), column=200)
    derivatives = plan([SourceImage("photo.jpg", path, info)], settings)
    made = make(derivatives, tmp_path / "cache")
    for d in derivatives:
        with Image.open(made.files[d.output]) as im:
            assert im.size == (300, 200) == (d.width, d.height)
    assert {d.output for d in derivatives} == {"photo.300w.webp", "photo.300w.jpg"}
