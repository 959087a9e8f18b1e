"""Images in a built site (issue 21): every ``<img>`` sized from its file, every ``srcset``
variant present at its stated width, ``og:image`` on every note resolving to a file of
the site, bad images warned about at note:line and published as they are, and a rebuild
with nothing changed doing no image work."""

from __future__ import annotations

import io
import os
import re
import resource
import shutil
import struct
import tarfile
import zlib
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from PIL import Image

from awsnotes_site.images.cache import SEALED_MTIME_NS
from helpers import build_site, describe_process, parse_html
from sitefactory import make_project

BASE = "https://example.org/sub/"
IMG = "static/img/t"  # output folder of the test images
CACHE = Path(".cache") / "images"
BAD = {"truncated.png", "notimage.png", "really-jpeg.png", "bomb.png", "gone.png"}

NOTES = {
    "posts/pictures.md": """+++
title = "그림이 많은 노트"
date = 2024-05-01
+++
첫 그림:

![넓은 스크린샷](/static/img/t/wide.png)

<img src="/static/img/t/photo.jpg" alt="사진">

{{< figure src="/static/img/t/small.png" alt="작은 그림" caption="작은 그림" >}}

![벡터](/static/img/t/diagram.svg) ![움직이는 그림](/static/img/t/anim.gif)
""",
    "posts/broken.md": """+++
title = "망가진 그림"
date = 2024-05-02
+++
문단 하나.

![잘림](/static/img/t/truncated.png)

![가짜](/static/img/t/notimage.png)

![확장자](/static/img/t/really-jpeg.png)

![폭탄](/static/img/t/bomb.png)

![읽을 수 없음](/static/img/t/gone.png)
""",
    "posts/plain.md": """+++
title = "그림 없는 노트"
date = 2024-05-03
+++
글자만 있다.
""",
    "posts/covered.md": """+++
title = "표지가 있는 노트"
date = 2024-05-04
images = ["/static/img/t/small.png"]
+++
![넓은 스크린샷](/static/img/t/wide.png)
""",
}


def _png(width: int, height: int, color: tuple[int, int, int]) -> bytes:
    im = Image.new("RGB", (width, height), color)
    for x in range(0, width, 40):  # some detail, like a screenshot's text
        im.paste((0, 0, 0), (x, 0, x + 2, height))
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _bomb(width: int, height: int) -> bytes:
    """A small PNG file that claims ``width`` x ``height`` pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", pixels)
        + _chunk(b"IEND", b"")
    )


def _write_images(folder: Path) -> None:
    folder.mkdir(parents=True)
    (folder / "wide.png").write_bytes(_png(1400, 700, (200, 220, 240)))
    (folder / "small.png").write_bytes(_png(300, 200, (240, 200, 200)))
    photo = Image.new("RGB", (1600, 1000), (30, 120, 60))
    photo.save(folder / "photo.jpg", "JPEG", quality=90)
    (folder / "diagram.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="320"><rect width="640"'
        ' height="320" fill="#eee"/></svg>',
        encoding="utf-8",
    )
    frames = [Image.new("P", (900, 300), i * 40) for i in range(3)]
    frames[0].save(folder / "anim.gif", save_all=True, append_images=frames[1:], duration=100)
    (folder / "truncated.png").write_bytes(_png(1200, 800, (10, 10, 10))[:300])
    (folder / "notimage.png").write_text("이것은 그림이 아니다\n", encoding="utf-8")
    jpeg = io.BytesIO()
    Image.new("RGB", (800, 600), (90, 90, 200)).save(jpeg, "JPEG")
    (folder / "really-jpeg.png").write_bytes(jpeg.getvalue())
    (folder / "bomb.png").write_bytes(_bomb(30000, 30000))
    os.symlink(folder / "missing-target.png", folder / "gone.png")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    tmp = tmp_path_factory.mktemp("images-build")
    project = make_project(tmp, NOTES, shipped=True)
    _write_images(project / IMG)
    out = tmp / "public"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc = build_site(out, "--base-url", BASE, cwd=project)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert proc.returncode == 0, describe_process(proc)
    assert peak < max(before, 600_000), f"the build used {peak} KiB"  # no bomb decoded
    return project, out, proc.stdout + proc.stderr


def _output(url: str) -> str:
    """A URL of the built site -> its output path."""
    path = unquote(urlsplit(url).path)
    base = urlsplit(BASE).path
    assert path.startswith(base), url
    return path[len(base) :]


def _note_pages(out: Path) -> list[Path]:
    return sorted((out / "posts").glob("*/index.html"))


def test_every_img_has_its_files_size(site: tuple[Path, Path, str]) -> None:
    _, out, _ = site
    checked = 0
    for page in _note_pages(out):
        for img in parse_html(page).find_all("img"):
            src = img["src"]
            if "/t/" not in src and "/network/" not in src:
                continue
            file = out / _output(src)
            if file.name in BAD:
                assert img.get("width") is None, (page, src)
                continue
            if file.suffix == ".svg":
                size = (640, 320)
            else:
                with Image.open(file) as im:
                    size = im.size
            assert (img.get("width"), img.get("height")) == tuple(map(str, size)), (page, src)
            assert img.get("decoding") == "async"
            checked += 1
    assert checked >= 15


def test_lazy_loading_but_the_first_image(site: tuple[Path, Path, str]) -> None:
    _, out, _ = site
    imgs = parse_html(out / "posts" / "pictures" / "index.html").find_all("img")
    content = [i for i in imgs if "/t/" in i["src"]]
    assert content[0].get("loading") is None and content[0].get("fetchpriority") == "high"
    assert all(i.get("loading") == "lazy" for i in content[1:])


def test_every_srcset_variant_exists_at_its_width(site: tuple[Path, Path, str]) -> None:
    _, out, _ = site
    seen: set[str] = set()
    for page in _note_pages(out):
        doc = parse_html(page)
        for el in [*doc.find_all("img"), *doc.find_all("source")]:
            for candidate in (el.get("srcset") or "").split(","):
                if not candidate.strip():
                    continue
                url, width = candidate.split()
                with Image.open(out / _output(url)) as im:
                    assert f"{im.width}w" == width, (page, url)
                seen.add(url)
    assert any(u.endswith("wide.1400w.webp") for u in seen), seen
    assert any(u.endswith("photo.720w.avif") or u.endswith("photo.720w.webp") for u in seen)
    # exact sources: lossless WebP variants, no AVIF; animated GIF and SVG: none
    assert not any("wide" in u and u.endswith(".avif") for u in seen)
    assert not any("anim." in u or "diagram." in u for u in seen)


def test_variants_are_in_a_picture_and_zoom_opens_the_original(
    site: tuple[Path, Path, str],
) -> None:
    _, out, _ = site
    doc = parse_html(out / "posts" / "pictures" / "index.html")
    wide = next(i for i in doc.find_all("img") if i["src"].endswith("wide.png"))
    picture = wide.closest("picture")
    assert picture is not None
    assert [s["type"] for s in picture.find_all("source")] == ["image/webp"]
    assert wide["data-full"] == "/sub/static/img/t/wide.png"
    with Image.open(out / IMG / "wide.1400w.webp") as im:
        assert im.format == "WEBP"
        reference = Image.open(out / IMG / "wide.png").convert("RGB").resize(im.size)
        assert im.convert("RGB").size == reference.size


def test_og_image_on_every_note_resolves_to_a_file(site: tuple[Path, Path, str]) -> None:
    _, out, _ = site
    chosen: dict[str, str] = {}
    for page in _note_pages(out):
        head = parse_html(page).head
        assert head is not None
        metas = {
            m.get("property") or m.get("name"): m.get("content") for m in head.find_all("meta")
        }
        og = metas["og:image"]
        assert og is not None and og.startswith(BASE), (page, og)
        assert metas["twitter:image"] == og
        assert metas["twitter:card"] == "summary_large_image"
        assert (out / _output(og)).is_file(), (page, og)
        chosen[page.parent.name] = _output(og)
    assert chosen["pictures"] == f"{IMG}/wide.png"  # the first image
    assert chosen["covered"] == f"{IMG}/small.png"  # front matter first
    assert chosen["plain"] == "posts/plain/og.png"  # a drawn card
    with Image.open(out / chosen["plain"]) as card:
        assert card.size == (1200, 630)


def test_bad_images_warn_at_note_line_and_publish_as_they_are(
    site: tuple[Path, Path, str],
) -> None:
    project, out, log = site
    for name, line in (
        ("truncated.png", 7),
        ("notimage.png", 9),
        ("really-jpeg.png", 11),
        ("bomb.png", 13),
        ("gone.png", 15),
    ):
        pattern = rf"posts/broken\.md:{line}: warning: image '[^']*{re.escape(name)}'"
        assert re.search(pattern, log), (name, log)
    for name in ("truncated.png", "notimage.png", "really-jpeg.png", "bomb.png"):
        assert (out / IMG / name).read_bytes() == (project / IMG / name).read_bytes()
    assert "static/img/t/gone.png: warning: image cannot be read; not published" in log


def _stamps(folder: Path) -> dict[str, int]:
    return {str(p): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def test_rebuild_does_no_image_work_and_clean_keeps_the_image_cache(
    site: tuple[Path, Path, str],
) -> None:
    project, out, _ = site
    cache = project / CACHE
    made = _stamps(cache)
    assert any(p.endswith(".webp") for p in made) and any("cards" in p for p in made)
    published = {
        p: (out / p).read_bytes() for p in (f"{IMG}/wide.1400w.webp", "posts/plain/og.png")
    }
    for extra in ((), ("--clean",)):
        proc = build_site(out, "--base-url", BASE, *extra, cwd=project)
        assert proc.returncode == 0, describe_process(proc)
        assert _stamps(cache) == made, extra  # nothing made again, nothing removed
        for path, data in published.items():
            assert (out / path).read_bytes() == data


def test_a_changed_image_re_renders_the_notes_that_show_it(
    tmp_path: Path,
) -> None:
    notes = {"posts/one.md": '+++\ntitle = "하나"\n+++\n![그림](/static/img/t/pic.png)\n'}
    project = make_project(tmp_path, notes, shipped=False)
    (project / IMG).mkdir(parents=True)
    (project / IMG / "pic.png").write_bytes(_png(500, 250, (1, 2, 3)))
    out = tmp_path / "public"
    for size in ((500, 250), (900, 300)):
        (project / IMG / "pic.png").write_bytes(_png(*size, (1, 2, 3)))
        proc = build_site(out, cwd=project)
        assert proc.returncode == 0, describe_process(proc)
        img = parse_html(out / "posts" / "one" / "index.html").find("img", src=re.compile("pic"))
        assert img is not None
        assert (img["width"], img["height"]) == tuple(map(str, size))
    assert (out / IMG / "pic.900w.webp").is_file()


def test_images_off_leaves_the_markup_alone(tmp_path: Path) -> None:
    notes = {"posts/one.md": '+++\ntitle = "하나"\n+++\n![그림](/static/img/t/pic.png)\n'}
    config = 'title = "t"\nbase_url = "http://127.0.0.1:1313/"\n[images]\nenabled = false\n'
    project = make_project(tmp_path, notes, config, shipped=False)
    (project / IMG).mkdir(parents=True)
    (project / IMG / "pic.png").write_bytes(_png(1500, 250, (1, 2, 3)))
    out = tmp_path / "public"
    proc = build_site(out, cwd=project)
    assert proc.returncode == 0, describe_process(proc)
    img = parse_html(out / "posts" / "one" / "index.html").find("img", src=re.compile("pic"))
    assert img is not None and img.get("width") is None and img.get("srcset") is None
    assert not list((out / IMG).glob("*.webp"))


def test_a_bad_images_setting_is_a_config_warning(tmp_path: Path) -> None:
    config = 'title = "t"\nbase_url = "http://127.0.0.1:1313/"\n[images]\nquality = 500\n'
    project = make_project(tmp_path, {}, config, shipped=False)
    proc = build_site(tmp_path / "public", cwd=project)
    assert proc.returncode == 0, describe_process(proc)
    assert "site.toml: warning: [images] quality: must be a number 1-100" in proc.stderr


def _inodes(folder: Path) -> dict[int, Path]:
    return {p.stat().st_ino: p for p in folder.rglob("*") if p.is_file()}


def test_variants_and_cards_are_linked_and_a_copy_edited_in_place_is_made_again(
    tmp_path: Path,
) -> None:
    """Sealed cache files (variants, cards) are hard-linked into the output; the project's
    own files are copied. A tool that rewrites a published variant in place rewrites the
    cache file too: the next build sees it is no longer sealed and makes it again."""
    notes = {
        "posts/one.md": '+++\ntitle = "하나"\n+++\n![그림](/static/img/t/pic.png)\n',
        "posts/plain.md": '+++\ntitle = "그림 없는 글"\n+++\n본문\n',  # (a drawn card)
    }
    project = make_project(tmp_path, notes, shipped=False)
    (project / IMG).mkdir(parents=True)
    (project / IMG / "pic.png").write_bytes(_png(1400, 700, (1, 2, 3)))
    sealed = (SEALED_MTIME_NS, SEALED_MTIME_NS)  # (a project file with the time is still
    os.utime(project / IMG / "pic.png", ns=sealed)  # copied: it is not the cache's)
    out = tmp_path / "public"
    proc = build_site(out, cwd=project)
    assert proc.returncode == 0, describe_process(proc)
    cached = _inodes(project / CACHE)
    variants = sorted((out / IMG).glob("pic.*w.*"))
    card = out / "posts" / "plain" / "og.png"
    assert variants and card.is_file()
    for file in [*variants, card]:
        assert file.stat().st_ino in cached, file
        assert file.stat().st_mode & 0o777 == 0o644, file  # (mkstemp's files are 0600)
    for own in (out / IMG / "pic.png", out / "static" / "css" / "site.css"):
        assert own.stat().st_ino not in cached and own.stat().st_nlink == 1, own
    variant = variants[0]
    good = variant.read_bytes()
    with open(variant, "r+b") as fh:  # an optimiser writing into the published copy
        fh.write(b"\0" * 64)
    assert cached[variant.stat().st_ino].read_bytes() != good  # the same file
    note = project / "content" / "posts" / "one.md"
    note.write_text(note.read_text(encoding="utf-8") + "\n다시\n", encoding="utf-8")
    proc = build_site(out, cwd=project)
    assert proc.returncode == 0, describe_process(proc)
    assert variant.read_bytes() == good
    assert variant.stat().st_ino in _inodes(project / CACHE)


def test_an_image_cache_restored_from_a_tar_archive_is_used_as_it_is(tmp_path: Path) -> None:
    """CI keeps .cache/ between runs in an archive; tar's default formats keep whole
    seconds of modification times. The sealed time is a whole second: nothing is made
    again after a restore."""
    notes = {"posts/one.md": '+++\ntitle = "하나"\n+++\n![그림](/static/img/t/pic.png)\n'}
    project = make_project(tmp_path, notes, shipped=False)
    (project / IMG).mkdir(parents=True)
    (project / IMG / "pic.png").write_bytes(_png(1400, 700, (1, 2, 3)))
    out = tmp_path / "public"
    assert build_site(out, cwd=project).returncode == 0
    archive = tmp_path / "cache.tar"
    with tarfile.open(archive, "w", format=tarfile.USTAR_FORMAT) as tar:
        tar.add(project / ".cache", arcname=".cache")
    shutil.rmtree(project / ".cache")
    shutil.rmtree(out)
    with tarfile.open(archive) as tar:
        tar.extractall(project, filter="data")
    restored = _stamps(project / CACHE)
    variants = [p for p in restored if p.endswith(".webp")]
    assert variants and all(restored[p] == SEALED_MTIME_NS for p in variants)
    proc = build_site(out, cwd=project)
    assert proc.returncode == 0, describe_process(proc)
    assert _stamps(project / CACHE) == restored  # no variant or card made again
    assert (out / IMG / "pic.1400w.webp").stat().st_ino in _inodes(project / CACHE)
