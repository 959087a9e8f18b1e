"""``awsnotes_site.check.site``: URLs of built pages checked against the output the way
GitHub Pages serves it, under the site's base path, and mapped back to note lines."""

from __future__ import annotations

from awsnotes_site.check.parse import SiteFiles
from awsnotes_site.check.site import CheckResult, Source, check_site
from awsnotes_site.markdown.context import LinkRef


def _files(files: dict[str, str]) -> SiteFiles:
    data = {k: v.encode() for k, v in files.items()}
    return SiteFiles(set(data), data.__getitem__, lambda rel: f"out/{rel}")


def test_check_site_resolves_like_github_pages() -> None:
    head = '<link rel="stylesheet" href="/n/css/s.css">'
    result = check_site(
        _files(
            {
                "index.html": head + '<a href="post">no slash</a><a href="post/">slash</a>'
                '<a href="about">about.html</a><a href="/n">home</a>'
                '<a href="post/#%EA%B0%80">encoded</a><a href="post/#가">raw</a>'
                '<a href="post/#\u1100\u1161">NFD</a><a href="#top">top</a>'
                '<a href="feed.xml#x">not html</a><a href="mailto:a@b">mail</a>'
                '<a href="../../n/post/">climbs back</a>',
                "post/index.html": '<h2 id="가">가</h2><img src="../img/%ED%95%9C.png">',
                "about.html": "<p>about</p>",
                "img/한.png": "png",
                "feed.xml": "<feed/>",
                "css/s.css": "/* url(gone.png) */ body { background: url('../img/한.png') }\n"
                '@import "missing.css";',
            }
        ),
        "https://example.github.io/n/",
    )
    assert [d.format() for d in result.problems] == [
        "out/css/s.css:2: error: missing file: missing.css -> /n/css/missing.css does not "
        "exist in the output"
    ]
    assert result.stats.fragments == 4


def test_check_site_reports_base_path_case_and_anchors() -> None:
    result = check_site(
        _files(
            {
                "index.html": '<a href="/other/">out</a>\n<a href="../">up</a>\n'
                '<a href="Post/">case</a>\n<a href="post/#nope">anchor</a>\n'
                '<a href="http://example.com/n/post/#nope">absolute</a>\n'
                '<a href="http://elsewhere.example/">external</a>',
                "post/index.html": "<p>post</p>",
            }
        ),
        "http://example.com/n/",
    )
    messages = [(d.line, d.message) for d in result.problems]
    assert messages == [
        (1, "/other/ is not under the base path /n/"),
        (2, "../ is not under the base path /n/"),
        (3, "wrong case: Post/ should be /n/post/ (URLs are case-sensitive on GitHub Pages)"),
        (4, "missing anchor #nope on /n/post/"),
        (5, "missing anchor #nope on /n/post/"),
    ]
    assert list(result.external) == ["http://elsewhere.example/"]


def test_check_site_maps_to_note_lines_in_order() -> None:
    refs = (
        LinkRef("/gone/", 10, "link"),
        LinkRef("/gone/", 12, "link"),
        LinkRef("/ok/", 14, "link"),
    )
    result = check_site(
        _files(
            {
                "p/index.html": '<a href="/b/gone/">1</a>\n<a href="/b/gone/">2</a>\n'
                '<a href="/b/gone/">3</a>',
                "ok/index.html": "",
            }
        ),
        "/b/",
        {"p/index.html": Source("content/p.md", refs)},
    )
    assert [(d.path, d.line) for d in result.problems] == [
        ("content/p.md", 10),
        ("content/p.md", 12),
    ]


def _messages(result: CheckResult) -> list[tuple[str, int | None, str]]:
    return [(d.path, d.line, d.message) for d in result.problems]


def test_check_site_base_path_forms() -> None:
    """The base path is the base URL's path, slashed, percent-decoded and NFC."""
    pages = {
        "index.html": '<a href="/my%20notes/post/">encoded</a>\n<a href="/my notes/post/">raw</a>\n'
        '<a href="/other/">out</a>\n<a href="/my%20notes">home, no slash</a>',
        "post/index.html": "",
    }
    for base_url in ("https://example.github.io/my%20notes", "my notes", "/my%20notes/"):
        assert _messages(check_site(_files(pages), base_url)) == [
            ("out/index.html", 3, "/other/ is not under the base path /my notes/")
        ], base_url
    nfd = "/%E1%84%82%E1%85%A9%E1%84%90%E1%85%B3/"  # 노트 in NFD
    result = check_site(_files({"index.html": '<a href="/노트/">home</a>'}), nfd)
    assert _messages(result) == []
    assert result.stats.internal == 1
    root = check_site(_files({"index.html": '<a href="/gone/">x</a>'}), "https://example.com")
    assert _messages(root) == [
        ("out/index.html", 1, "broken link: /gone/ does not exist in the output")
    ]


def test_check_site_knows_its_own_hosts() -> None:
    """Absolute URLs to the site itself (any case, default port written or not) are
    checked as internal; other hosts, ports and paths outside the base are external."""
    page = (
        '<a href="https://EXAMPLE.com:443/n/gone/">1</a>\n'
        '<a href="https://example.com/n/post/">2</a>\n'
        '<a href="//example.com/n/post/#nope">3</a>\n'
        '<a href="https://example.com:8443/n/post/">4</a>\n'
        '<a href="https://example.com/elsewhere/">5</a>\n'
        '<a href="https://other.example/n/post/#x">6</a>'
    )
    result = check_site(
        _files({"index.html": page, "post/index.html": ""}), "https://example.com/n/"
    )
    assert _messages(result) == [
        (
            "out/index.html",
            1,
            "broken link: https://EXAMPLE.com:443/n/gone/ -> /n/gone/ does not exist in the output",
        ),
        ("out/index.html", 3, "missing anchor #nope on /n/post/"),
    ]
    assert result.external == {
        "https://example.com:8443/n/post/": [("out/index.html", 4)],
        "https://example.com/elsewhere/": [("out/index.html", 5)],
        "https://other.example/n/post/": [("out/index.html", 6)],
    }
    assert (result.stats.internal, result.stats.external) == (3, 3)
    with_port = check_site(
        _files({"index.html": '<a href="http://example.com/n/gone/">x</a>'}),
        "http://example.com:80/n/",
    )
    assert with_port.external == {}
    assert [d.line for d in with_port.problems] == [1]


def test_check_site_follows_base_href_and_skips_other_schemes() -> None:
    result = check_site(
        _files(
            {
                "a/b/index.html": '<base href="/n/"><a href="post/">x</a><a href="gone/">y</a>'
                '<a href="mailto:a@b">m</a><a href="data:,x">d</a><a href="javascript:void(0)">j</a>'
                '<a href="tel:1">t</a><a href="#:~:text=x">text fragment</a><a href="#top">top</a>',
                "post/index.html": "",
                "index.html": "",
            }
        ),
        "/n/",
    )
    assert _messages(result) == [
        ("out/a/b/index.html", 1, "broken link: gone/ -> /n/gone/ does not exist in the output")
    ]
    assert (result.stats.urls, result.stats.internal, result.stats.fragments) == (8, 4, 2)


def test_check_site_404_page_needs_root_relative_urls() -> None:
    result = check_site(
        _files(
            {
                "404.html": '<a href="post/">rel</a><a href="/post/">root</a><a href="#x">frag</a>'
                '<link rel="stylesheet" href="s.css">',
                "s.css": "b { background: url(img.png) }",
                "img.png": "",
                "post/index.html": "",
            }
        ),
        "/",
    )
    relative = (
        "relative URL {} in 404.html: the page is served for missing paths at any depth, "
        "where it points elsewhere"
    )
    hint = "use a root-relative URL (the url filter in templates)"
    assert [(d.path, d.message, d.hint) for d in result.problems] == [
        ("out/404.html", "missing anchor #x on /404.html", None),
        ("out/404.html", relative.format("post/"), hint),
        ("out/404.html", relative.format("s.css"), hint),
    ]


def test_check_site_reports_a_problem_once_per_place() -> None:
    result = check_site(
        _files(
            {
                "index.html": '<a href="gone/">1</a><a href="gone/">2</a>\n<a href="gone/">3</a>'
                '<img src="gone/">',
            }
        ),
        "/",
    )
    assert _messages(result) == [
        ("out/index.html", 1, "broken link: gone/ -> /gone/ does not exist in the output"),
        ("out/index.html", 2, "broken link: gone/ -> /gone/ does not exist in the output"),
        ("out/index.html", 2, "missing image: gone/ -> /gone/ does not exist in the output"),
    ]
    assert (result.stats.urls, result.stats.internal, result.stats.unresolved) == (4, 4, 4)


def test_check_site_counts() -> None:
    result = check_site(
        _files(
            {
                "index.html": '<a href="a.HTM">a</a><a href="b/">b</a><a href="/x/">x</a>',
                "a.HTM": '<link rel="stylesheet" href="S.CSS"><p id="t"><a href="#t">t</a>',
                "b/index.html": '<a href="../#top">t</a><a href="https://e.example/">e</a>',
                "S.CSS": "a { background: url(i.png) }",
                "s.css": "",
                "i.png": "",
                "feed.xml": '<a href="nope">not parsed</a>',
            }
        ),
        "https://example.com/",
    )
    s = result.stats
    assert (s.pages, s.stylesheets, s.urls, s.internal, s.fragments) == (3, 2, 8, 7, 2)
    assert (s.external, s.unresolved) == (1, 1)
    assert _messages(result) == [
        ("out/index.html", 1, "broken link: /x/ does not exist in the output")
    ]


def test_check_site_notes_links_with_the_base_path_added() -> None:
    """A note writes ``/posts/x/``; its page has ``/b/posts/x/``: the problem is reported
    at the note's line. Links the note did not write stay at the output file."""
    refs = (LinkRef("/gone/", 3, "link"), LinkRef("../%EC%97%86%EC%9D%8C/", 5, "link"))
    result = check_site(
        _files(
            {
                "p/index.html": '<a href="/b/gone/">1</a>\n<a href="../없음/">2</a>\n'
                '<a href="/b/template-gone/">3</a>',
            }
        ),
        "/b/",
        {"p/index.html": Source("content/p.md", refs)},
    )
    assert _messages(result) == [
        ("content/p.md", 3, "broken link: /b/gone/ does not exist in the output"),
        ("content/p.md", 5, "broken link: ../없음/ -> /b/없음/ does not exist in the output"),
        ("out/p/index.html", 3, "broken link: /b/template-gone/ does not exist in the output"),
    ]
