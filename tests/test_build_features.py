"""Site assembly: series, prev/next, related, pagination, drafts and future notes,
reading time, Korean dates, config validation, the ``new`` command."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from awsnotes_site.text import korean_date, reading_minutes
from helpers import Document, parse_html
from sitefactory import DEFAULT_CONFIG, DEMO_NOTES, make_project


def cli(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "awsnotes_site", *args, "--source", str(project)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=300,
        env={**os.environ, "PYTHONUTF8": "1"},
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("demo"), DEMO_NOTES)
    proc = cli(project, "build")
    assert proc.returncode == 0, proc.stderr
    return project / "public"


def page(public: Path, url: str) -> Document:
    return parse_html(public / url / "index.html")


def test_series_box_lists_members_in_order_and_marks_current(demo: Path) -> None:
    doc = page(demo, "posts/nat-gateway")
    box = doc.find("nav", class_="series-box")
    assert box is not None
    items = box.find("ol").find_all("li")
    assert [li.norm_text() for li in items] == [
        "VPC 기초: 서브넷과 라우팅",
        "NAT 게이트웨이와 인터넷 연결",
    ]
    current = items[1].find("span", aria_current="page")
    assert current is not None
    prev = box.find("a", rel="prev")
    assert prev is not None and prev.get("href") == "/posts/vpc-basics/"
    assert box.find("a", rel="next") is None
    series_page = page(demo, "series/aws-네트워크")
    links = [a.get("href") for a in series_page.find("ol", class_="series-list").find_all("a")]
    assert links == ["/posts/vpc-basics/", "/posts/nat-gateway/"]


def test_prev_next_in_section_and_related_by_tags(demo: Path) -> None:
    doc = page(demo, "posts/vpc-basics")
    nav = doc.find("nav", class_="prev-next")
    assert nav is not None
    assert nav.find("a", rel="prev").get("href") == "/posts/security-groups/"  # older
    assert nav.find("a", rel="next").get("href") == "/posts/nat-gateway/"  # newer
    related = [a.get("href") for a in doc.find("section", class_="related").find_all("a")]
    assert related[0] in ("/posts/nat-gateway/", "/posts/security-groups/")
    assert "/posts/aws-network-2/" not in related  # shares no tag


def test_home_is_newest_first_and_paginates(tmp_path: Path) -> None:
    notes = {
        f"posts/n{i:02d}.md": f'+++\ntitle = "노트 {i}"\ndate = 2023-01-{i:02d}\n+++\n본문\n'
        for i in range(1, 24)
    }
    project = make_project(
        tmp_path,
        notes,
        config=DEFAULT_CONFIG.replace("paginate = 10", "paginate = 5"),
        shipped=False,
    )
    assert cli(project, "build").returncode == 0
    public = project / "public"
    first = [a.norm_text() for a in page(public, "").find_all("a") if a.closest("h2") is not None]
    assert first == ["노트 23", "노트 22", "노트 21", "노트 20", "노트 19"]
    last = page(public, "page/5")
    assert [a.norm_text() for a in last.find_all("a") if a.closest("h2")] == [
        "노트 3",
        "노트 2",
        "노트 1",
    ]
    assert last.find("a", rel="prev").get("href") == "/page/4/"
    assert page(public, "page/2").find("a", rel="prev").get("href") == "/"
    assert page(public, "posts").find("nav", class_="pagination") is not None


def test_drafts_and_future_notes(tmp_path: Path) -> None:
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    project = make_project(
        tmp_path,
        {
            "posts/draft.md": '+++\ntitle = "초안"\ndraft = true\n+++\n',
            "posts/later.md": f'+++\ntitle = "미래"\ndate = {future}\n+++\n',
        },
        shipped=False,
    )
    assert cli(project, "build").returncode == 0
    assert not (project / "public" / "posts" / "draft").exists()
    assert not (project / "public" / "posts" / "later").exists()
    assert cli(project, "build", "--drafts", "--future").returncode == 0
    assert (project / "public" / "posts" / "draft" / "index.html").is_file()
    assert (project / "public" / "posts" / "later" / "index.html").is_file()


def test_reading_time_korean_way_and_dates() -> None:
    assert reading_minutes("가" * 500) == 1
    assert reading_minutes("가" * 1001) == 3
    assert reading_minutes("word " * 400) == 2
    assert reading_minutes("가" * 250 + " word" * 100) == 1
    assert korean_date(dt.date(2023, 3, 26)) == "2023년 3월 26일"


def test_summary_from_text_when_no_description(demo: Path) -> None:
    home = page(demo, "")
    item = [li for li in home.find_all("li", class_="note-item") if "보안 그룹" in li.norm_text()][
        0
    ]
    assert "보안 그룹은 상태 저장(stateful) 방화벽이다." in item.norm_text()


def test_config_errors_reported_at_once_and_unknown_keys_warned(tmp_path: Path) -> None:
    project = make_project(
        tmp_path,
        shipped=False,
        config=(
            'title = 3\npaginate = "ten"\ntimezone = "Mars/Base"\nbase_url = "ftp://x"\n'
            'colour = "red"\n'
        ),
    )
    proc = cli(project, "build")
    assert proc.returncode == 1
    for msg in (
        "'title' must be a str",
        "'paginate' must be a int",
        "'timezone' 'Mars/Base'",
        "'base_url' 'ftp://x'",
        "warning: unknown key 'colour'",
    ):
        assert msg in proc.stderr, proc.stderr
    assert "site.toml" in proc.stderr


def test_base_url_override_and_cname(tmp_path: Path) -> None:
    project = make_project(tmp_path, config=DEFAULT_CONFIG + 'cname = "notes.example.com"\n')
    proc = cli(project, "build", "--base-url", "https://user.github.io/notes/")
    assert proc.returncode == 0, proc.stderr
    public = project / "public"
    note = page(public, "posts/aws-network-2")
    assert (
        note.find("link", rel="canonical").get("href")
        == "https://user.github.io/notes/posts/aws-network-2/"
    )
    assert note.find("img").get("src") == "/notes/static/img/post/network/endpoint.png"
    assert note.find("link", rel="stylesheet").get("href").startswith("/notes/static/")
    assert (public / "CNAME").read_text() == "notes.example.com\n"


def test_a_new_base_url_reaches_links_of_templates_compiled_before(tmp_path: Path) -> None:
    """Templates write links with the ``url`` filter; compiled templates are cached in
    .cache/jinja by their source alone, so no base path may be baked into them."""
    project = make_project(tmp_path)
    # A user's template may still use the url_for() function.
    not_found = project / "templates" / "404.html"
    text = not_found.read_text(encoding="utf-8")
    assert "{{ 'search/' | url }}" in text
    not_found.write_text(
        text.replace("{{ 'search/' | url }}", "{{ url_for('search/') }}"), encoding="utf-8"
    )
    assert cli(project, "build").returncode == 0
    assert list((project / ".cache" / "jinja").iterdir()), "no compiled templates cached"
    before = page(project / "public", "posts/aws-network-2")
    assert before.find("link", rel="stylesheet").get("href").startswith("/static/css/site.css?v=")
    proc = cli(project, "build", "--base-url", "https://user.github.io/notes/")
    assert proc.returncode == 0, proc.stderr
    note = page(project / "public", "posts/aws-network-2")
    header = note.find("header", class_="site-header")
    links = [a["href"] for a in header.find_all("a")] + [
        link["href"] for link in note.find_all("link", href=True, rel=lambda r: r != "canonical")
    ]
    assert links and all(href.startswith("/notes/") for href in links), links
    assert note.find("a", class_="tag")["href"].startswith("/notes/tags/")
    not_found_page = parse_html(project / "public" / "404.html")
    hrefs = [a["href"] for a in not_found_page.find("main").find_all("a")]
    assert hrefs == ["/notes/", "/notes/search/"], hrefs


def test_new_writes_front_matter_and_refuses_to_overwrite(tmp_path: Path) -> None:
    project = make_project(tmp_path, shipped=False)
    proc = cli(project, "new", "posts/배치-그룹-정리.md")
    assert proc.returncode == 0, proc.stderr
    target = project / "content" / "posts" / "배치-그룹-정리.md"
    text = target.read_text(encoding="utf-8")
    assert text.startswith('+++\ntitle = "배치 그룹 정리"\n')
    assert "draft = false" in text and "+09:00" in text
    again = cli(project, "new", "posts/배치-그룹-정리.md")
    assert again.returncode == 1 and "not overwriting" in again.stderr
    assert target.read_text(encoding="utf-8") == text
    assert cli(project, "new", "../outside.md").returncode == 2
    built = cli(project, "build", "--drafts")
    assert built.returncode == 0, built.stderr


def test_console_script_and_help() -> None:
    for args in (
        ["--help"],
        ["build", "--help"],
        ["serve", "--help"],
        ["check", "--help"],
        ["new", "--help"],
    ):
        proc = subprocess.run(
            [sys.executable, "-m", "awsnotes_site", *args],
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 0 and "usage: awsnotes-site" in proc.stdout
