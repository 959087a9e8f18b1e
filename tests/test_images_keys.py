"""A note's render key covers only the images it names (issue 21): adding an image
re-renders the notes that mention an image by that name (and those whose shortcodes
write images from their arguments), not every note; the site then equals a cold build
byte for byte."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from pathlib import Path

from PIL import Image

from awsnotes_site.images.refs import scan
from awsnotes_site.pipeline.builder import build
from awsnotes_site.pipeline.options import BuildOptions, BuildResult
from helpers import parse_html
from sitefactory import make_project

IMG = Path("static") / "img" / "t"
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def _note(title: str, body: str) -> str:
    return f'+++\ntitle = "{title}"\ndate = 2024-05-01\n+++\n{body}\n'


NOTES = {
    "posts/a.md": _note("A", "![가](/static/img/t/a.png)"),
    "posts/b.md": _note("B", "문단.\n\n![나](/static/img/t/b.png)"),
    "posts/c.md": _note("C", "그림 없는 노트."),
    "posts/d.md": _note("D", '{{< shot "b" >}}'),  # the template makes the name
    "posts/e.md": _note("E", "`b.png` 파일은 나중에 만든다."),  # named in code
    "posts/f.md": _note("F", "![다](../../static/img/t/a.png)"),  # a relative URL
}
SHOT = '<img src="/static/img/t/{{ get(0) }}.png" alt="">'


def _png(path: Path, size: tuple[int, int]) -> None:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 220, 240)).save(buf, "PNG")
    path.write_bytes(buf.getvalue())


def _build(project: Path, out: Path, cache: bool = True) -> BuildResult:
    options = BuildOptions(output=str(out), use_cache=cache, save_cache=cache, jobs=1, now=NOW)
    result, _ = build(project, options)
    return result


def _keys(result: BuildResult) -> dict[str, str]:
    return {v.note.rel: v.key for v in result.notes}


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_adding_an_image_re_renders_only_the_notes_that_name_it(tmp_path: Path) -> None:
    project = make_project(tmp_path, NOTES, shipped=False, theme=False)
    (project / "templates" / "shortcodes").mkdir(parents=True)
    (project / "templates" / "shortcodes" / "shot.html").write_text(SHOT, encoding="utf-8")
    (project / IMG).mkdir(parents=True)
    _png(project / IMG / "a.png", (900, 300))
    out = tmp_path / "public"
    first = _build(project, out)
    assert first.stats.rendered_notes == len(NOTES)
    again = _build(project, out)
    assert again.stats.rendered_notes == 0 and _keys(again) == _keys(first)

    # an image no note names: only the note whose shortcode makes names renders again
    _png(project / IMG / "unrelated.png", (900, 300))
    unrelated = _build(project, out)
    changed = {rel for rel, key in _keys(unrelated).items() if _keys(again)[rel] != key}
    assert changed == {"posts/d.md"}
    assert unrelated.stats.rendered_notes == 1

    # b.png, which two notes show (one through the shortcode) and one names in code
    _png(project / IMG / "b.png", (1200, 400))
    added = _build(project, out)
    changed = {rel for rel, key in _keys(added).items() if _keys(unrelated)[rel] != key}
    assert changed == {"posts/b.md", "posts/d.md", "posts/e.md"}
    assert added.stats.rendered_notes == 3
    for rel in ("b", "d"):
        img = parse_html(out / "posts" / rel / "index.html").find("img", src=re.compile("b.png"))
        assert img is not None and (img["width"], img["height"]) == ("1200", "400"), rel

    # a changed image: the notes that show it by any spelling
    _png(project / IMG / "a.png", (1000, 300))
    resized = _build(project, out)
    changed = {rel for rel, key in _keys(resized).items() if _keys(added)[rel] != key}
    assert changed == {"posts/a.md", "posts/d.md", "posts/f.md"}
    for rel in ("a", "f"):
        img = parse_html(out / "posts" / rel / "index.html").find("img", src=re.compile("a.png"))
        assert img is not None and (img["width"], img["height"]) == ("1000", "300"), rel

    cold_project = tmp_path / "cold"
    shutil.copytree(project, cold_project, ignore=shutil.ignore_patterns(".cache"))
    cold_out = tmp_path / "cold-public"
    cold = _build(cold_project, cold_out, cache=False)
    assert cold.stats.rendered_notes == len(NOTES)
    assert _files(out) == _files(cold_out)


def test_the_scan_finds_names_as_notes_write_them() -> None:
    refs = scan(
        "![[괄호 (1).png|600]] ![a](images/Arch%20Diagram.PNG) <img src='x&amp;y.jpg'>\n"
        '{{< figure src="c.webp" >}} ![[스크린샷 2024-05-01 오후 3.21.45.png]]\n'
        "[ref]: ../img/a\\_b.gif\n"
    )
    for name in ("괄호 (1).png", "arch diagram.png", "x&y.jpg", "c.webp", "a_b.gif"):
        assert name in refs.names, name
    assert "스크린샷 2024-05-01 오후 3.21.45.png" in refs.names
    assert refs.shortcodes == {"figure"} and not refs.embeds
    assert scan("![[다른 노트]] ![[x.png]]").embeds  # a note embed shows that note's images
    assert not scan("그림 없음").names
