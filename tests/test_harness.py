"""Self-tests of the shared harness (tests/helpers.py, tests/conftest.py).

They prove the helpers work without the site: vnu and axe catch a known fault and pass
a clean page, the prefix server behaves like GitHub Pages, the HTML tree is right, and
request recording sees a request that would leave the machine.
"""

from __future__ import annotations

import http.client
import re
import subprocess
import sys
import urllib.parse
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from helpers import (
    AXE_JS,
    ROOT,
    VNU_JAR,
    build_site,
    format_axe,
    format_vnu,
    non_local_requests,
    parse_html,
    parse_html_string,
    record_console_errors,
    record_requests,
    run_axe,
    run_vnu,
    serve_directory,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

VALID = """<!DOCTYPE html>
<html lang="ko">
<head><meta charset="utf-8"><title>테스트 &amp; 노트</title></head>
<body><main><h1>안녕하세요</h1><p>본문 <a href="a.html">링크</a></p></main></body>
</html>
"""

INVALID = """<!DOCTYPE html>
<html lang="ko">
<head><meta charset="utf-8"></head>
<body><div><p>title 없음</span></body>
</html>
"""

CLEAN_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Clean</title></head>
<body><main><h1>Clean page</h1><p>Nothing wrong here.</p></main></body>
</html>
"""

IMG_NO_ALT = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Image</title></head>
<body><main><h1>Image</h1><img src="pic.png"></main></body>
</html>
"""

# A 1x1 transparent PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6300010000050001a5f645400000000049454e44ae426082"
)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def site_dir(tmp_path: Path) -> Path:
    """A tiny hand-made site: index, a page, a folder, an extensionless page, a 404."""
    d = tmp_path / "site"
    write(d / "index.html", CLEAN_PAGE)
    write(d / "img.html", IMG_NO_ALT)
    (d / "pic.png").write_bytes(PNG)
    write(d / "posts" / "index.html", VALID)
    write(d / "about.html", CLEAN_PAGE.replace("Clean page", "About"))
    write(d / "404.html", CLEAN_PAGE.replace("Clean page", "Not here (404)"))
    write(tmp_path / "secret.txt", "outside the site")
    return d


def raw_get(base_url: str, raw_path: str, method: str = "GET") -> tuple[int, dict[str, str], str]:
    """Send RAW_PATH exactly as given (no client-side normalisation of ``..``)."""
    parts = urllib.parse.urlsplit(base_url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request(method, raw_path)
        resp = conn.getresponse()
        body = resp.read().decode("utf-8", "replace")
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, body
    finally:
        conn.close()


# ------------------------------------------------------------------------------ vnu


def test_vnu_jar_is_where_the_harness_expects() -> None:
    assert VNU_JAR.is_file(), "run `npm ci` at the repo root"
    assert AXE_JS.is_file(), "run `npm ci` at the repo root"


def test_vnu_reports_errors_in_invalid_html(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.html", INVALID)
    errors = run_vnu(bad)
    texts = format_vnu(errors)
    assert errors, "vnu found nothing wrong in an invalid document"
    assert all(m["type"] in {"error", "non-document-error"} for m in errors)
    assert "title" in texts
    assert "span" in texts
    assert str(bad) in texts


def test_vnu_passes_valid_html_and_checks_a_whole_folder(tmp_path: Path) -> None:
    write(tmp_path / "a" / "ok.html", VALID)
    write(tmp_path / "b" / "ok.html", CLEAN_PAGE)
    write(tmp_path / "notes.txt", "not html <p>")
    assert run_vnu(tmp_path) == []
    write(tmp_path / "b" / "bad.html", INVALID)
    errors = run_vnu(tmp_path)
    assert errors
    assert {m["url"].rsplit("/", 1)[-1] for m in errors} == {"bad.html"}


def test_vnu_takes_several_paths(tmp_path: Path) -> None:
    ok = write(tmp_path / "ok.html", VALID)
    bad = write(tmp_path / "bad.html", INVALID)
    assert run_vnu([ok]) == []
    assert run_vnu([ok, bad])


# ------------------------------------------------------------------------- html tree


def test_parse_html_builds_a_usable_tree(tmp_path: Path) -> None:
    doc = parse_html(write(tmp_path / "p.html", VALID))
    assert doc.doctype is not None and doc.doctype.lower() == "doctype html"
    assert doc.title == "테스트 & 노트"
    html = doc.find("html")
    assert html is not None and html["lang"] == "ko"
    meta = doc.find("meta", charset=True)
    assert meta is not None and meta.children == []  # a void element holds nothing
    link = doc.find("a", href="a.html")
    assert link is not None and link.text() == "링크"
    assert link.closest("main") is not None
    main = doc.find("main")
    assert main is not None and main.norm_text() == "안녕하세요본문 링크"  # like textContent


def test_parse_html_find_all_matching_rules() -> None:
    doc = parse_html_string(
        '<nav aria-label="목차" class="toc wide"><ul><li>one<li class="x">two</ul></nav>'
        '<p data-kind="note">a<p>b<script>var s = "<p>not a tag</p>";</script>'
        "<svg><path d='M0'/></svg><table><tr><td>1<td>2<tr><td>3</table>"
    )
    assert [li.text() for li in doc.find_all("li")] == ["one", "two"]
    assert doc.find("nav", class_="toc") is not None
    assert doc.find("nav", class_="toc wide") is not None
    assert doc.find("nav", class_="to") is None
    assert doc.find("nav", aria_label="목차") is not None
    assert doc.find(attrs={"data-kind": "note"}) is not None
    assert doc.find_all("p", data_kind=False)[0].text() == "b"
    assert len(doc.find_all(["li", "nav"])) == 3
    assert doc.find("li", class_=re.compile("^x$")) is not None
    assert doc.find("li", class_=lambda v: v is None) is not None
    script = doc.find("script")
    assert script is not None and "<p>not a tag</p>" in script.text()
    assert len(doc.find_all("p")) == 2  # the one in the script is text
    assert "not a tag" not in doc.text()
    path = doc.find("path")
    assert path is not None and path.parent is not None and path.parent.tag == "svg"
    assert [[td.text() for td in tr.find_all("td")] for tr in doc.find_all("tr")] == [
        ["1", "2"],
        ["3"],
    ]


# ------------------------------------------------------------------------ the server


def test_prefix_server_serves_like_github_pages(site_dir: Path) -> None:
    with serve_directory(site_dir, "/notes/") as base:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/notes/", base)
        status, headers, body = raw_get(base, "/notes/")
        assert status == 200 and "Clean page" in body
        assert headers["content-type"].startswith("text/html")
        assert raw_get(base, "/notes/pic.png")[1]["content-type"] == "image/png"
        status, headers, _ = raw_get(base, "/notes")
        assert status == 301 and headers["location"] == "/notes/"
        status, headers, _ = raw_get(base, "/notes/posts")
        assert status == 301 and headers["location"] == "/notes/posts/"
        assert "안녕하세요" in raw_get(base, "/notes/posts/")[2]
        status, _, body = raw_get(base, "/notes/about")  # about.html, as Pages does
        assert status == 200 and "About" in body
        status, _, body = raw_get(base, "/notes/no/such/page/")
        assert status == 404 and "Not here (404)" in body
        status, _, body = raw_get(base, "/notes/missing.css", method="HEAD")
        assert status == 404 and body == ""


@pytest.mark.parametrize(
    "raw_path",
    [
        "/../",
        "/",
        "/index.html",
        "/secret.txt",
        "/notes/../secret.txt",
        "/notes/../../etc/passwd",
        "/notes/%2e%2e/secret.txt",
        "/notes/%2E%2E/%2E%2E/etc/passwd",
        "/notes/..%2fsecret.txt",
        "/notesx/index.html",
    ],
)
def test_prefix_server_404s_outside_the_prefix(site_dir: Path, raw_path: str) -> None:
    with serve_directory(site_dir, "/notes/") as base:
        status, _, body = raw_get(base, raw_path)
    assert status == 404
    assert "outside the site" not in body
    assert "Not here (404)" not in body  # outside the prefix: not the site's own page


def test_prefix_server_plain_404_without_a_404_page(tmp_path: Path) -> None:
    write(tmp_path / "index.html", CLEAN_PAGE)
    with serve_directory(tmp_path, "/notes/") as base:
        assert raw_get(base, "/notes/nope.html")[0] == 404


def test_prefix_server_can_reuse_a_chosen_port(site_dir: Path) -> None:
    with serve_directory(site_dir) as base:
        port = urllib.parse.urlsplit(base).port
    assert port is not None
    with serve_directory(site_dir, "/notes/", port) as again:
        assert again == base
        assert raw_get(again, "/notes/")[0] == 200


# ------------------------------------------------------------------------ axe, browser


def test_axe_finds_an_image_without_alt(site_dir: Path, page: Page) -> None:
    with serve_directory(site_dir) as base:
        page.goto(base + "img.html")
        violations = run_axe(page)
    assert "image-alt" in {v["id"] for v in violations}, format_axe(violations)


def test_axe_passes_a_clean_page(site_dir: Path, page: Page) -> None:
    errors = record_console_errors(page)
    with serve_directory(site_dir) as base:
        page.goto(base)
        violations = run_axe(page)
    assert violations == [], format_axe(violations)
    assert errors == []


def test_axe_runs_under_a_strict_csp(tmp_path: Path, page: Page) -> None:
    csp = '<meta http-equiv="Content-Security-Policy" content="script-src \'self\'">'
    write(tmp_path / "index.html", IMG_NO_ALT.replace("<title>", csp + "<title>"))
    (tmp_path / "pic.png").write_bytes(PNG)
    with serve_directory(tmp_path) as base:
        page.goto(base)
        violations = run_axe(page)
    assert "image-alt" in {v["id"] for v in violations}


def test_record_requests_sees_what_would_leave_the_machine(
    tmp_path: Path,
    page: Page,
) -> None:
    write(
        tmp_path / "index.html",
        CLEAN_PAGE.replace(
            "</main>",
            '<img alt="" src="pic.png"><img alt="" src="https://cdn.example.invalid/x.png"></main>',
        ),
    )
    (tmp_path / "pic.png").write_bytes(PNG)
    urls = record_requests(page)
    with serve_directory(tmp_path) as base:
        page.goto(base)
        page.wait_for_load_state("networkidle")
    assert base in urls
    assert base + "pic.png" in urls
    assert non_local_requests(urls) == ["https://cdn.example.invalid/x.png"]


def test_page_fixture_gives_a_fresh_context(page: Page) -> None:
    assert page.context.cookies() == []
    assert len(page.context.pages) == 1


# -------------------------------------------------------------------------- building


def test_build_site_reports_a_failing_command(tmp_path: Path) -> None:
    proc = build_site(tmp_path / "out", "--no-such-option-xyz")
    assert isinstance(proc, subprocess.CompletedProcess)
    assert proc.returncode != 0
    assert proc.args[:5] == [sys.executable, "-m", "awsnotes_site", "build", "--output"]
    assert ROOT.is_dir()
