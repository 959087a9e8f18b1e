"""Content of a Hugo site as Hugo reads it: case-insensitive front matter keys, every
taxonomy, summaries (``summary``, ``<!--more-->``), ``_index.md`` texts, alias pages,
publish and expiry dates, and the files published beside bundles and at the root."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest

from awsnotes_site.pipeline.builder import build
from awsnotes_site.pipeline.options import BuildOptions, BuildResult
from awsnotes_site.serve.preview import PreviewServer
from awsnotes_site.serve.project import ProjectBuilder
from test_hugo_site import FIXTURES


def _build(tmp_path: Path, name: str) -> BuildResult:
    site = tmp_path / name
    shutil.copytree(FIXTURES / name, site)
    now = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    result, _ = build(site, BuildOptions(use_cache=False, save_cache=False, jobs=1, now=now))
    return result


@pytest.fixture(scope="module")
def devlog(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return _build(tmp_path_factory.mktemp("devlog"), "devlog")


@pytest.fixture(scope="module")
def papermod(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return _build(tmp_path_factory.mktemp("papermod"), "papermod")


def _note(result: BuildResult, rel: str):  # type: ignore[no-untyped-def]
    return next(v for v in result.notes if v.note.rel == rel)


def test_capitalised_keys_are_read(devlog: BuildResult) -> None:
    note = _note(devlog, "posts/쿠버네티스/index.md").note
    assert note.title == "쿠버네티스 입문: 파드와 디플로이먼트"
    assert note.tags == ["Kubernetes", "컨테이너"]
    assert note.terms == {
        "tags": ["Kubernetes", "컨테이너"],
        "categories": ["DevOps"],
        "series": ["AWS 네트워크"],
    }
    assert note.date == dt.datetime(2023, 4, 2, 21, 30, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    assert note.aliases == ["/k8s-intro/", "/posts/old-kubernetes/"]


def test_summaries_like_hugo(devlog: BuildResult, papermod: BuildResult) -> None:
    vpc = _note(devlog, "posts/aws-vpc-endpoint/index.md")
    assert vpc.summary == "게이트웨이 엔드포인트와 인터페이스 엔드포인트의 차이를 정리한다."
    k8s = _note(devlog, "posts/쿠버네티스/index.md")
    assert k8s.summary == (
        '쿠버네티스의 가장 작은 배포 단위는 "파드"다. 파드 안의 컨테이너는 네트워크를 공유한다.'
    )
    assert _note(papermod, "posts/more-split.md").summary == "이 문단이 요약이 된다."


def test_other_keys_reach_templates_as_params(papermod: BuildResult) -> None:
    params = _note(papermod, "posts/cover-post/index.md").note.params
    assert params["cover"] == {"image": "cover.png", "alt": "표지"}
    assert params["keywords"] == ["cover", "이미지"]
    assert params["toc"] is True


def test_index_files_are_section_texts_not_pages(devlog: BuildResult) -> None:
    kinds = {v.note.rel: v.note.kind for v in devlog.notes}
    assert kinds["_index.md"] == "home"
    assert kinds["posts/_index.md"] == "section"
    assert kinds["posts/linux/_index.md"] == "section"
    posts = _note(devlog, "posts/_index.md")
    assert "날짜순으로 모았습니다" in posts.rendered.html
    assert "posts/index.html" in devlog.files  # the section's list page, not a note page
    sitemap = devlog.files["sitemap.xml"].decode()
    assert "/posts/</loc>" not in sitemap  # the _index.md is not a page of its own


def test_publish_and_expiry_dates(papermod: BuildResult) -> None:
    rels = {v.note.rel for v in papermod.notes}
    assert "posts/expired.md" not in rels
    assert "posts/scheduled.md" not in rels
    assert "posts/more-split.md" in rels


class _Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.canonical = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "meta" and "http-equiv" in a:
            self.meta[a["http-equiv"]] = a.get("content", "")
        if tag == "link" and a.get("rel") == "canonical":
            self.canonical = a.get("href", "")


def test_aliases_redirect_and_stay_out_of_the_sitemap(devlog: BuildResult) -> None:
    target = "https://devlog.example.kr/2023/04/02/%EC%BF%A0%EB%B2%84%EB%84%A4%ED%8B%B0%EC%8A%A4"
    for path in ("k8s-intro/index.html", "posts/old-kubernetes/index.html"):
        head = _Head()
        head.feed(devlog.files[path].decode())
        assert head.canonical.startswith(target)
        assert head.meta["refresh"] == "0; url=" + head.canonical
    sitemap = devlog.files["sitemap.xml"].decode()
    assert "k8s-intro" not in sitemap and "old-kubernetes" not in sitemap
    assert "/linux/systemd-basics/" in sitemap


def test_relative_alias_and_html_url(papermod: BuildResult) -> None:
    assert "posts/old-more/index.html" in papermod.files
    assert "2021/more/index.html" in papermod.files
    assert "about.html" in papermod.files


def test_files_beside_bundles_and_at_the_root(devlog: BuildResult) -> None:
    static = set(devlog.static)
    assert "2023/03/26/aws-vpc-엔드포인트-정리/endpoint-flow.png" in static
    assert "static/img/k8s-pods.png" in static  # content/static/img/: published at its path
    assert {"favicon.ico", "google1234abcd.html", "img/logo.png"} <= static  # static/ at /


def test_serve_sends_bundle_files_and_root_static(tmp_path: Path) -> None:
    site = tmp_path / "papermod"
    shutil.copytree(FIXTURES / "papermod", site)
    server = PreviewServer(ProjectBuilder(site), port=0, out=io.StringIO(), err=io.StringIO())
    server.start()
    try:
        assert server.wait_for_build(1, 60).ok
        base = f"http://127.0.0.1:{server.port}"
        for path in ("/posts/cover-post/cover.png", "/apple-touch-icon.png", "/about.html"):
            with urllib.request.urlopen(base + path, timeout=30) as response:
                assert response.status == 200, path
        cover = (site / "content/posts/cover-post/cover.png").read_bytes()
        with urllib.request.urlopen(base + "/posts/cover-post/cover.png", timeout=30) as r:
            assert r.read() == cover
    finally:
        server.stop()


def test_theme_static_is_published_under_the_sites(papermod: BuildResult) -> None:
    static = papermod.static
    assert static["theme.svg"].parts[-4:] == ("themes", "PaperMod", "static", "theme.svg")
    assert static["apple-touch-icon.png"].parts[-2:] == ("static", "apple-touch-icon.png")
    assert "themes" not in static["apple-touch-icon.png"].parts  # the site's wins


def test_date_falls_back_like_hugo_and_draft_key_any_case(tmp_path: Path) -> None:
    site = tmp_path / "tiny"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "hugo.toml").write_text(
        'title = "t"\n[permalinks]\nposts = "/:year/:slug/"\n', encoding="utf-8"
    )
    (site / "content" / "posts" / "a.md").write_text(
        "---\nTitle: A\nLastmod: 2020-05-05\n---\nx\n", encoding="utf-8"
    )
    (site / "content" / "posts" / "b.md").write_text(
        "---\nTitle: B\nDate: 2021-01-01\nDraft: true\n---\nx\n", encoding="utf-8"
    )
    result, _ = build(site, BuildOptions(use_cache=False, save_cache=False, jobs=1))
    assert [v.note.url for v in result.notes if v.note.kind == "page"] == ["2020/a/"]
