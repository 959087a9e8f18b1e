"""Obsidian's rules in full, on tests/fixtures/vault/edge: repeated names (same folder,
shortest path, exact path), case-insensitive names, links written in NFD, same-note
headings, Markdown links with spaces and parentheses, files linked and embedded (text,
audio, images with ``| 300``), nested tags, embed loops, excluded folders by pattern;
and the link index's rules one by one."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest

from awsnotes_site.obsidian.resolve import LinkIndex, VaultFile
from awsnotes_site.obsidian.settings import load_settings
from helpers import build_site, describe_process, parse_html

FIXTURE = Path(__file__).parent / "fixtures" / "vault" / "edge"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    where = tmp_path_factory.mktemp("edge")
    vault = where / "edge"
    shutil.copytree(FIXTURE, vault)
    out = where / "out"
    proc = build_site(out, "--no-cache", cwd=vault)
    assert proc.returncode == 0, describe_process(proc)
    return out, proc.stdout + proc.stderr


def links(page: Path) -> dict[str, str]:
    content = parse_html(page).find_all(None, class_="note-content")[0]
    return {a.text(): a["href"] for a in content.find_all("a") if "heading-anchor" not in a.classes}


def test_names_paths_and_cases(built: tuple[Path, str]) -> None:
    out, _ = built
    root = links(out / "링크" / "index.html")
    assert root["같은 이름"] == "/폴더1/같은-이름/"  # shortest path, then path order
    assert root["mixed case"] == "/폴더1/mixed-case/"  # names match case-insensitively
    assert root["이 노트의 제목"] == "#이-노트의-제목"  # [[#제목]]
    assert root["괄호"] == root["꺾쇠"] == "/폴더1/괄호-(1)/"
    assert root["메모.txt"] == "/메모.txt"
    folder = links(out / "폴더2" / "링크" / "index.html")
    assert folder["같은 이름"] == "/폴더2/같은-이름/"  # the linking note's folder wins
    assert folder["폴더2/깊은/같은 이름"] == "/폴더2/깊은/같은-이름/"
    nfd = links(out / "nfd-링크" / "index.html")
    assert set(nfd.values()) == {"/폴더1/같은-이름/", "/링크/#이-노트의-제목"}


def test_files_media_and_tags(built: tuple[Path, str]) -> None:
    out, _ = built
    doc = parse_html(out / "링크" / "index.html")
    assert doc.find_all("audio", src="/소리.mp3")
    image = doc.find_all("img", src="/점.png")
    assert image and image[0]["width"] == "300"
    for name in ("메모.txt", "소리.mp3", "점.png"):
        assert (out / name).is_file()
    assert not (out / "안쓰는 파일.pdf").exists()  # published only when linked
    assert not (out / "비공개").exists()  # "/^비공개/" in userIgnoreFilters
    assert (out / "tags" / "태그-하위" / "index.html").is_file()
    assert not (out / "tags" / "123").exists()  # #123 is no tag


def test_embed_loops_stop(built: tuple[Path, str]) -> None:
    out, log = built
    doc = parse_html(out / "순환-a" / "index.html")
    embeds = doc.find_all("div", class_="note-embed")
    assert [e["data-src"] for e in embeds] == ["/순환-b/", "/순환-c/"]
    skipped = doc.find_all("p", class_="embed-skipped")
    assert [p.find_all("a")[0]["href"] for p in skipped] == ["/순환-a/"]
    assert "순환 C.md:5: warning: embed of '순환 A.md': loop" in log


def index(*paths: str) -> LinkIndex:
    return LinkIndex(VaultFile(p, p) for p in paths)


def test_link_index_rules() -> None:
    files = index("노트.md", "a/노트.md", "a/b/노트.md", "c/그림.png", "c/Note.md")
    assert files.resolve("노트", "a/b/x.md").path == "노트.md"  # also the exact root path
    two = index("a/노트.md", "a/b/노트.md", "d/e/f/노트.md")
    assert two.resolve("노트", "a/b/x.md").path == "a/b/노트.md"  # same folder
    assert two.resolve("노트", "z.md").path == "a/노트.md"  # shortest path
    assert two.resolve("e/f/노트", "z.md").path == "d/e/f/노트.md"  # a path's end
    assert two.resolve("../노트.md", "a/b/x.md").path == "a/노트.md"  # relative
    assert files.resolve("NOTE", "").path == "c/Note.md"  # case-insensitive
    assert files.resolve(unicodedata.normalize("NFD", "그림.png"), "").path == "c/그림.png"
    assert files.resolve("그림", "") is None  # a file other than a note needs its extension
    assert files.resolve("없음", "") is None


def test_settings_from_app_json() -> None:
    settings = load_settings(FIXTURE)
    assert settings.use_markdown_links and settings.ignore == ("/^비공개/",)
    assert load_settings(FIXTURE / "폴더1").ignore == ()  # no app.json: defaults


def test_nested_embeds_keep_ids_unique(tmp_path: Path) -> None:
    """A embeds B, B embeds C, each with a ``## 개요``, a ``^point`` block, a footnote and a
    ``[[#개요]]``: one id of each on A's page, every note's own link to its own heading."""
    vault = tmp_path / "nested"
    (vault / ".obsidian").mkdir(parents=True)
    body = "# {name}\n\n## 개요\n\n{name} 본문[^1]과 [[#개요]]. ^point\n\n{embed}\n\n[^1]: {name} 각주\n"
    for name, embed in (("A", "![[B]]"), ("B", "![[C]]"), ("C", "")):
        text = body.format(name=name, embed=embed)
        (vault / f"{name}.md").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    proc = build_site(out, "--no-cache", cwd=vault)
    assert proc.returncode == 0, describe_process(proc)
    doc = parse_html(out / "a" / "index.html")
    ids = [el["id"] for el in doc.find_all(None) if "id" in el.attrs]
    assert len(ids) == len(set(ids)), ids
    assert {"개요", "개요-1", "개요-2", "^point", "^point-1", "^point-2"} <= set(ids)
    self_links = [a["href"] for a in doc.find_all("a", class_="wikilink") if a.text() == "개요"]
    assert self_links == ["#개요", "#개요-1", "#개요-2"]
    notes = [" ".join(li.text().split()) for li in doc.find_all("li", class_="footnote-item")]
    assert notes == ["C 각주 ↩︎", "B 각주 ↩︎", "A 각주 ↩︎"]  # each in its own note's block
