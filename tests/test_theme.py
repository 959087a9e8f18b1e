"""The theme ships inside the package: a site made by ``init`` builds with it alone, a
site's ``templates/NAME.html`` overrides that one template (changing only the pages that
use it), a site's ``static/`` file overrides the theme's asset of the same path, and
``awsnotes-site theme export`` copies the theme into a site and refuses to overwrite."""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from awsnotes_site.serve.preview import PreviewServer
from awsnotes_site.serve.project import ProjectBuilder
from helpers import _env_with_src, describe_process, parse_html

ROOT = Path(__file__).resolve().parent.parent
THEME = ROOT / "src" / "awsnotes_site" / "theme"
NOTE_PAGE = "posts/first-note/index.html"
WAIT = 60.0


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "awsnotes_site", *args],
        cwd=cwd,
        env=_env_with_src(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )


def pages(folder: Path) -> dict[str, str]:
    """Every file of a built site: path -> hash of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


def build(site: Path, *args: str) -> dict[str, str]:
    proc = cli("build", *args, cwd=site)
    assert proc.returncode == 0, describe_process(proc)
    return pages(site / "public")


def fresh_build(site: Path, out: Path) -> dict[str, str]:
    """A build without the cache into OUT: what the incremental build must equal."""
    proc = cli("build", "--no-cache", "-o", str(out), cwd=site)
    assert proc.returncode == 0, describe_process(proc)
    return pages(out)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    proc = cli("init", "mynotes", cwd=tmp_path)
    assert proc.returncode == 0, describe_process(proc)
    folder = tmp_path / "mynotes"
    assert not (folder / "templates").exists() and not (folder / "static").exists()
    return folder


def test_an_init_site_builds_with_the_packaged_theme_alone(site: Path) -> None:
    built = build(site)
    assert (site / "public" / "static" / "css" / "site.css").read_bytes() == (
        THEME / "static" / "css" / "site.css"
    ).read_bytes()
    for asset in ("static/js/site.js", "static/js/search.js", "static/favicon.svg"):
        assert asset in built
    page = parse_html(site / "public" / NOTE_PAGE)
    stylesheet = page.find("link", rel="stylesheet")
    theme_hash = content_hash(THEME / "static" / "css" / "site.css")
    assert stylesheet is not None
    assert stylesheet.get("href") == f"/REPOSITORY/static/css/site.css?v={theme_hash}"
    assert not (site / "templates").exists() and not (site / "static").exists()


def test_overriding_one_template_changes_only_its_pages(site: Path, tmp_path: Path) -> None:
    before = build(site)
    original = (THEME / "templates" / "note.html").read_text(encoding="utf-8")
    assert "</article>" in original
    override = site / "templates" / "note.html"
    override.parent.mkdir()
    override.write_text(
        original.replace("</article>", '<p id="site-override">사이트의 템플릿</p>\n</article>', 1),
        encoding="utf-8",
    )
    after = build(site)
    assert changed(before, after) == {NOTE_PAGE}
    marker = parse_html(site / "public" / NOTE_PAGE).get_by_id("site-override")
    assert marker is not None and marker.norm_text() == "사이트의 템플릿"
    assert after == fresh_build(site, tmp_path / "fresh")
    # Without the override the theme's template is used again, byte for byte.
    override.unlink()
    assert build(site) == before


def test_overriding_a_partial_changes_the_pages_that_include_it(site: Path, tmp_path: Path) -> None:
    before = build(site)
    listing = {
        p
        for p in before
        if p.endswith(".html") and "note-item" in (site / "public" / p).read_text("utf-8")
    }
    assert "index.html" in listing and NOTE_PAGE not in listing
    original = (THEME / "templates" / "_note_item.html").read_text(encoding="utf-8")
    assert 'class="note-item"' in original
    (site / "templates").mkdir()
    (site / "templates" / "_note_item.html").write_text(
        original.replace('class="note-item"', 'class="note-item" data-override="1"', 1),
        encoding="utf-8",
    )
    after = build(site)
    assert changed(before, after) == listing
    item = parse_html(site / "public" / "index.html").find("li", class_="note-item")
    assert item is not None and item.get("data-override") == "1"
    assert after == fresh_build(site, tmp_path / "fresh")


def test_a_site_static_file_overrides_the_theme_asset(site: Path, tmp_path: Path) -> None:
    before = build(site)
    css = site / "static" / "css" / "site.css"
    css.parent.mkdir(parents=True)
    css.write_bytes(b"body { color: rgb(1, 2, 3); }\n")
    (site / "static" / "extra.txt").write_text("사이트 파일\n", encoding="utf-8")
    after = build(site)
    # sw.js too: the service worker keeps assets under their hash (issue 23); and every
    # page, which links the stylesheet by its new content hash.
    html = {p for p in before if p.endswith(".html")}
    assert changed(before, after) == {"static/css/site.css", "static/extra.txt", "sw.js", *html}
    public = site / "public" / "static"
    assert (public / "css" / "site.css").read_bytes() == css.read_bytes()
    assert (public / "js" / "site.js").read_bytes() == (THEME / "static/js/site.js").read_bytes()
    assert after == fresh_build(site, tmp_path / "fresh")
    css.unlink()
    (site / "static" / "extra.txt").unlink()
    assert build(site) == before


def content_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def linked_assets(page: Path) -> dict[str, str]:
    """The page's stylesheets and scripts under static/: path -> its ``?v=`` (or "")."""
    doc = parse_html(page)
    urls = [str(e.get("href")) for e in doc.find_all("link", rel="stylesheet")]
    urls += [str(e.get("src")) for e in doc.find_all("script") if e.get("src")]
    found = {}
    for url in urls:
        path, _, query = url.removeprefix("/REPOSITORY/").partition("?")
        found[path] = query.removeprefix("v=")
    return found


def test_css_and_js_are_linked_by_content_hash(site: Path, tmp_path: Path) -> None:
    """Every page links each CSS/JS file with the hash of the file published (issue 23:
    the service worker keeps assets by that URL); editing site.css gives every page the
    new URL, and the cached build equals a cold one byte for byte (the hashes are part
    of the pages' signatures, incremental/keys.py)."""
    before = build(site)
    public = site / "public"
    html = sorted(p for p in before if p.endswith(".html"))
    for rel in html:
        linked = linked_assets(public / rel)
        assert "static/css/site.css" in linked and "static/js/site.js" in linked, rel
        for path, version in linked.items():
            assert version == content_hash(public / path), (rel, path)
    assert "static/css/notes-ext.css" in linked_assets(public / NOTE_PAGE)
    assert "static/css/syntax.css" in linked_assets(public / NOTE_PAGE)
    # A site stylesheet in place of the theme's, then an edit of it.
    css = site / "static" / "css" / "site.css"
    css.parent.mkdir(parents=True)
    for text in ("body { color: rgb(1, 2, 3); }\n", "body { color: rgb(4, 5, 6); }\n"):
        css.write_text(text, encoding="utf-8")
        previous = {rel: linked_assets(public / rel) for rel in html}
        after = build(site)
        new_hash = content_hash(css)
        for rel in html:
            linked = linked_assets(public / rel)
            assert (
                linked.pop("static/css/site.css")
                == new_hash
                != previous[rel].pop("static/css/site.css")
            ), rel
            assert linked == previous[rel], rel  # the other assets keep their URLs
        assert after == fresh_build(site, tmp_path / f"fresh-{new_hash}")
    # Nothing changed: nothing is written again, and the hashes stay.
    assert build(site) == after


@contextmanager
def serving(site: Path) -> Iterator[tuple[PreviewServer, str]]:
    project = ProjectBuilder(site)
    server = PreviewServer(project, port=0, out=io.StringIO(), err=io.StringIO())
    server.start()
    try:
        first = server.wait_for_build(1, WAIT)
        assert first.ok, [d.format() for d in first.diagnostics]
        yield server, project.url
    finally:
        server.stop()


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=WAIT) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def wait_until_served(server: PreviewServer, url: str, data: bytes) -> None:
    """Wait on builds (each raises TimeoutError when none comes) until URL sends DATA."""
    while fetch(url)[1] != data:
        server.wait_for_build(len(server.records) + 1, WAIT)


def test_serve_sends_theme_assets_and_picks_up_a_site_override(site: Path) -> None:
    theme_css = (THEME / "static" / "css" / "site.css").read_bytes()
    with serving(site) as (server, url):
        css_url = url + "static/css/site.css"
        assert fetch(css_url) == (200, theme_css)
        assert fetch(url + "static/favicon.svg")[0] == 200
        # static/ does not exist yet: the watcher picks it up when it appears.
        extra = site / "static" / "css" / "extra.css"
        extra.parent.mkdir(parents=True)
        extra.write_text("p { margin: 0; }\n", encoding="utf-8")
        wait_until_served(server, url + "static/css/extra.css", extra.read_bytes())
        # A site file that takes the place of a theme asset, in a folder already watched.
        css = site / "static" / "css" / "site.css"
        css.write_bytes(b"body { color: rgb(4, 5, 6); }\n")
        wait_until_served(server, css_url, css.read_bytes())
        css.unlink()
        wait_until_served(server, css_url, theme_css)
        assert server.records[-1].ok


def test_theme_export_writes_the_templates_and_refuses_to_overwrite(site: Path) -> None:
    before = build(site)
    proc = cli("theme", "export", cwd=site)
    assert proc.returncode == 0, describe_process(proc)
    names = sorted(p.name for p in (THEME / "templates").glob("*.html"))
    assert sorted(p.name for p in (site / "templates").iterdir()) == names
    for name in names:
        assert f"wrote templates/{name}\n" in proc.stdout
        assert (site / "templates" / name).read_bytes() == (THEME / "templates" / name).read_bytes()
    assert not (site / "static").exists()
    assert build(site) == before  # the exported copies are the theme: same bytes

    note = site / "templates" / "note.html"
    note.write_text(note.read_text("utf-8") + "<!-- 내 수정 -->\n", encoding="utf-8")
    edited = note.read_bytes()
    (site / "templates" / "base.html").unlink()
    refused = cli("theme", "export", cwd=site)
    assert refused.returncode == 1
    assert "the site already has its own templates/note.html" in refused.stderr
    assert "nothing was written" in refused.stderr and refused.stdout == ""
    assert note.read_bytes() == edited and not (site / "templates" / "base.html").exists()

    forced = cli("theme", "export", "--force", "note.html", cwd=site)
    assert forced.returncode == 0, describe_process(forced)
    assert "wrote templates/note.html (replaced)" in forced.stdout
    assert note.read_bytes() == (THEME / "templates" / "note.html").read_bytes()
    assert not (site / "templates" / "base.html").exists()


def test_theme_export_of_named_and_static_files(site: Path) -> None:
    proc = cli("theme", "export", "css/site.css", "base.html", cwd=site)
    assert proc.returncode == 0, describe_process(proc)
    assert proc.stdout.splitlines()[:2] == [
        "wrote static/css/site.css",
        "wrote templates/base.html",
    ]
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()) == sorted(
        [
            ".github/workflows/pages.yml",
            ".gitignore",
            "content/posts/first-note.md",
            "site.toml",
            "static/css/site.css",
            "templates/base.html",
        ]
    )
    everything = cli("theme", "export", "--static", cwd=site)
    assert everything.returncode == 0, describe_process(everything)
    assert "kept static/css/site.css (already the theme's)" in everything.stdout
    assert "wrote static/js/search.js" in everything.stdout
    assert "wrote static/favicon.svg" in everything.stdout
    unknown = cli("theme", "export", "nope.html", "../__init__.py", cwd=site)
    assert unknown.returncode == 2
    assert "not a file of the theme: nope.html, ../__init__.py" in unknown.stderr
    assert "note.html" in unknown.stderr  # the hint lists what there is


def test_theme_export_outside_a_site_creates_nothing(tmp_path: Path) -> None:
    proc = cli("theme", "export", cwd=tmp_path)
    assert proc.returncode == 2
    assert "no site.toml" in proc.stderr and "awsnotes-site init" in proc.stderr
    assert list(tmp_path.iterdir()) == []
