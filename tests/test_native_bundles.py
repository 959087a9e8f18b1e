"""Page bundles on our own sites (site.toml): ``posts/coffee/index.md`` is the page
``/posts/coffee/``, the files beside it are published beside the page, so ``![](cup.png)``
works, with the image's size and variants; other files under content/ keep their path."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from helpers import build_site, describe_process, parse_html
from sitefactory import make_project


def png(size: tuple[int, int]) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (90, 60, 30)).save(buf, "PNG")
    return buf.getvalue()


NOTES = {
    "posts/coffee/index.md": (
        '+++\ntitle = "핸드드립 커피"\ndate = 2024-05-01\n+++\n\n'
        "![드립 잔](cup.png)\n\n[레시피 파일](recipe.txt)\n\n"
        '<img src="beans/원두 1.png" alt="원두">\n'
    ),
    "posts/plain.md": '+++\ntitle = "보통 글"\ndate = 2024-05-02\n+++\n\n[커피](../coffee/)\n',
}


def test_a_leaf_bundle_is_its_folder_with_its_files(tmp_path: Path) -> None:
    project = make_project(tmp_path, NOTES, shipped=False)
    bundle = project / "content" / "posts" / "coffee"
    (bundle / "cup.png").write_bytes(png((2400, 1200)))
    (bundle / "beans").mkdir()
    (bundle / "beans" / "원두 1.png").write_bytes(png((640, 480)))
    (bundle / "recipe.txt").write_text("물 200 ml\n", encoding="utf-8")
    (project / "content" / "files").mkdir()
    (project / "content" / "files" / "cheatsheet.pdf").write_bytes(b"%PDF-1.4\n")
    out = tmp_path / "out"
    proc = build_site(out, cwd=project)
    assert proc.returncode == 0, describe_process(proc)
    assert "not in the site" not in proc.stderr, proc.stderr
    assert not (out / "posts" / "coffee" / "index").exists()
    page = out / "posts" / "coffee" / "index.html"
    assert (out / "posts" / "coffee" / "recipe.txt").read_text(encoding="utf-8") == "물 200 ml\n"
    assert (out / "files" / "cheatsheet.pdf").is_file()
    doc = parse_html(page)
    images = {img.get("alt"): img for img in doc.find_all("img")}
    cup, beans = images["드립 잔"], images["원두"]
    assert (cup.get("width"), cup.get("height")) == ("2400", "1200")
    assert (beans.get("width"), beans.get("height")) == ("640", "480")
    assert (out / "posts" / "coffee" / "beans" / "원두 1.png").is_file()
    sources = [s for s in doc.find_all("source") if s.get("srcset")]
    srcset = cup.get("srcset") or (sources[0].get("srcset") if sources else "")
    assert srcset, "a 2400 px screenshot gets resized variants"
    for entry in srcset.split(","):
        url, width = entry.split()
        variant = page.parent / url
        assert variant.is_file(), url
        with Image.open(variant) as im:
            assert f"{im.width}w" == width
    plain = parse_html(out / "posts" / "plain" / "index.html")
    assert any(a.get("href") == "../coffee/" for a in plain.find_all("a"))
    check = build_site(out, cwd=project)  # a second build: nothing to redo
    assert check.returncode == 0, describe_process(check)
