"""``awsnotes_site.check.parse``: the ids and URLs ``check`` reads from built pages and
stylesheets, in one process or spread over forked workers."""

from __future__ import annotations

import os

from awsnotes_site.check.parse import (
    PARALLEL_PAGES,
    ParsedPage,
    SiteFiles,
    parse_all,
    parse_css,
    parse_page,
    srcset_urls,
)


def test_parse_page_collects_ids_and_every_kind_of_url() -> None:
    page = parse_page("""<!doctype html><html><head>
<link rel="stylesheet" href="a.css"><link rel="preconnect" href="https://fonts.example">
<script src="s.js"></script></head><body>
<h2 id="3%EC%9E%A5">x</h2><a name="옛-앵커"></a><p id="제목">
<img src="i.png" srcset="i-1.png 1x, i,2.png 2x"><video poster="p.jpg" src="v.mp4"></video>
<picture><source srcset="w.webp 100w,x.webp 200w"></picture><object data="o.svg"></object>
<form action="search/"><input type="image" src="go.png"></form><a href="x.html#y">x</a>
</body></html>""")
    assert page.ids == {"3%EC%9E%A5", "옛-앵커", "제목"}
    kinds = {(u.url, u.kind) for u in page.uses}
    assert kinds == {
        ("a.css", "stylesheet"),
        ("s.js", "script"),
        ("i.png", "image"),
        ("i-1.png", "image"),
        ("i,2.png", "image"),
        ("p.jpg", "image"),
        ("v.mp4", "media"),
        ("w.webp", "image"),
        ("x.webp", "image"),
        ("o.svg", "media"),
        ("search/", "form"),
        ("go.png", "image"),
        ("x.html#y", "link"),
    }
    assert {u.line for u in page.uses if u.url == "x.html#y"} == {7}


def test_parse_page_kinds_of_the_other_tags_and_attributes() -> None:
    page = parse_page(
        '<link rel="icon" href="f.ico"><link rel="Apple-Touch-Icon" href="t.png">'
        '<link rel="alternate" href="atom.xml"><link rel="dns-prefetch" href="//cdn.example">'
        '<link rel="pingback" href="/ping"><link rel="me" href="https://me.example/">\n'
        '<iframe src="f.html"></iframe><audio src="a.mp3"><track src="t.vtt"></audio>'
        '<embed src="e.swf"><video><source src="s.mp4"></video><area href="map.html">\n'
        '<div data="not-a-url" action="nor-this"></div><input action="x" src="in.png">'
        '<a href="first" href="second" id="" name="">'
    )
    assert [(u.url, u.kind, u.line) for u in page.uses] == [
        ("f.ico", "image", 1),
        ("t.png", "image", 1),
        ("atom.xml", "resource", 1),
        ("f.html", "frame", 2),
        ("a.mp3", "media", 2),
        ("t.vtt", "media", 2),
        ("e.swf", "media", 2),
        ("s.mp4", "media", 2),
        ("map.html", "link", 2),
        ("in.png", "image", 3),
        ("first", "link", 3),
    ]
    assert page.ids == set()


def test_parse_page_base_href_and_nfc_ids() -> None:
    page = parse_page(
        '<base href="/n/"><base href="/other/"><base><h2 id="\u1100\u1161">가</h2>'
        '<a name="\u1102\u1169\u1110\u1173"></a><a href="post/">x</a>'
    )
    assert page.base_href == "/n/"  # the first one counts, as in browsers
    assert page.ids == {"가", "노트"}
    assert [u.url for u in page.uses] == ["post/"]  # <base> itself is no use


def test_srcset_urls() -> None:
    assert srcset_urls("a.png") == ["a.png"]
    assert srcset_urls(" a.png 1x , b.png 2x,c.png") == ["a.png", "b.png", "c.png"]
    assert srcset_urls("/img/%ED%95%9C.png 480w, /img/big.png 1080w") == [
        "/img/%ED%95%9C.png",
        "/img/big.png",
    ]
    assert srcset_urls("") == []
    assert srcset_urls("a.png,b.png") == ["a.png,b.png"]  # a comma inside a URL stays


def test_parse_css_lines() -> None:
    page = parse_css('a{}\n/* url(x.png)\n */\nb { background: url( "y.png" ) }')
    assert [(u.url, u.line) for u in page.uses] == [("y.png", 4)]


def test_parse_css_every_form_of_reference() -> None:
    page = parse_css(
        "@import 'a.css';\n@IMPORT \"b.css\";\n"
        "x { background: URL(c.png) url('d e.png') url(\"f.png\") url() url(  g.png  ) }"
    )
    assert [(u.url, u.line, u.kind) for u in page.uses] == [
        ("a.css", 1, "resource"),
        ("b.css", 2, "resource"),
        ("c.png", 3, "resource"),
        ("d e.png", 3, "resource"),
        ("f.png", 3, "resource"),
        ("g.png", 3, "resource"),
    ]


def _pid_pages(count: int) -> tuple[SiteFiles, list[tuple[str, bool]]]:
    """COUNT pages and a stylesheet whose text names the process that read it."""
    todo = [(f"p{i:04d}/index.html", False) for i in range(count)] + [("s.css", True)]

    def read(rel: str) -> bytes:
        if rel.endswith(".css"):
            return f"/* {os.getpid()} */\nb {{ background: url({rel}.png) }}".encode()
        return f'<p id="pid-{os.getpid()}"></p>\n<a href="{rel}">x</a>'.encode()

    return SiteFiles({rel for rel, _ in todo}, read, str), todo


def _pids(pages: list[ParsedPage]) -> set[int]:
    return {int(i[4:]) for page in pages for i in page.ids}


def test_parse_all_in_forked_workers_keeps_the_order() -> None:
    files, todo = _pid_pages(PARALLEL_PAGES + 50)
    forked = parse_all(files, todo, jobs=2)
    assert [(u.url, u.line) for page in forked for u in page.uses] == [
        (rel, 2) if not is_css else (f"{rel}.png", 2) for rel, is_css in todo
    ]
    pids = _pids(forked)
    assert pids and os.getpid() not in pids  # read by the workers, not by this process
    in_process = parse_all(files, todo, jobs=1)
    assert _pids(in_process) == {os.getpid()}
    assert [p.uses for p in in_process] == [p.uses for p in forked]


def test_parse_all_small_sites_stay_in_process() -> None:
    files, todo = _pid_pages(PARALLEL_PAGES - 2)
    assert len(todo) < PARALLEL_PAGES
    pages = parse_all(files, todo, jobs=2)
    assert len(pages) == len(todo)
    assert _pids(pages) == {os.getpid()}
