"""Unit tests of the Korean search index (src/awsnotes_site/search.py).

The query kinds that word indexes (Pagefind, lunr) miss are checked through the module's
reference implementation of the query algorithm, which static/js/search.js mirrors
(tests/test_search_browser.py compares the two on a built site).
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from awsnotes_site.build import Builder, BuildOptions
from awsnotes_site.search import (
    SUFFIXES,
    LoadedIndex,
    SearchDoc,
    build_index,
    choseong_view,
    clean,
    compact_view,
    decode_postings,
    encode_postings,
    fold,
    gram_keys,
    load_index,
    parse_query,
    search,
    strip_suffix,
    word_keys,
)
from sitefactory import DEMO_NOTES, IMDS_NOTE, make_project

SHIPPED = "posts/aws-network-2/"
IMDS = "posts/imds/"

# Notes beside DEMO_NOTES: one with 엔드포인트를 and IMDSv2 (the shipped note has neither).
EXTRA_NOTES: dict[str, str] = {
    "posts/imds.md": IMDS_NOTE,
}


def urls(index: LoadedIndex, query: str) -> list[str]:
    return [h.url for h in search(index, query)]


def doc(
    url: str, title: str, text: str, date: str = "2023-01-01", tags: list[str] | None = None
) -> SearchDoc:
    return SearchDoc(url, title, date, tags or [], text)


@pytest.fixture(scope="module")
def site_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, LoadedIndex]:
    """The index of the demo site (shipped note + DEMO_NOTES + EXTRA_NOTES), built in-process."""
    project = make_project(tmp_path_factory.mktemp("search"), {**DEMO_NOTES, **EXTRA_NOTES})
    result = Builder(project, BuildOptions(use_cache=False)).build()
    text = result.files["search-index.json"].decode("utf-8")
    return text, load_index(text)


# -- text and keys -----------------------------------------------------------------------
def test_clean_normalizes_and_collapses() -> None:
    decomposed = unicodedata.normalize("NFD", "인스턴스")
    assert decomposed != "인스턴스"
    assert clean(f"  {decomposed}\u200b는\n\t배치\u00a0 그룹\ufeff ") == "인스턴스는 배치 그룹"
    assert clean("bad \ud800 surrogate") == "bad \ufffd surrogate"


def test_fold_keeps_length() -> None:
    assert fold("IMDSv2 CURL 인스턴스") == "imdsv2 curl 인스턴스"
    odd = "İstanbul"  # lower() of İ is two characters
    assert len(fold(odd)) == len(odd)
    assert fold(odd).endswith("stanbul")


def test_gram_keys_are_syllable_bigrams_ignoring_spaces() -> None:
    assert gram_keys("인스턴스") == {"인스", "스턴", "턴스"}
    assert gram_keys("배치 그룹") == {"배치", "치그", "그룹"}
    assert gram_keys("즉, a 각") == {"즉", "각"}  # one-syllable runs are unigrams
    assert gram_keys("ec2인스턴스 v2") == {"인스", "스턴", "턴스"}
    assert gram_keys("ㅋㅋ") == {"ㅋㅋ"}


def test_word_keys_are_letter_digit_runs() -> None:
    folded = fold("IMDSv2: curl http://169.254.169.254/latest/meta-data 인스턴스 EC2")
    assert word_keys(folded) == {
        "imdsv2",
        "curl",
        "http",
        "169",
        "254",
        "latest",
        "meta",
        "data",
        "ec2",
    }
    assert word_keys("snake_case café") == {"snake", "case", "café"}


def test_choseong_view_drops_spaces_and_maps_positions() -> None:
    view, where = choseong_view("배치 그룹")
    assert view == "ㅂㅊㄱㄹ"
    assert where == [0, 1, 3, 4]
    assert choseong_view(fold("EC2 인스턴스"))[0] == "ec2ㅇㅅㅌㅅ"
    assert choseong_view("까다")[0] == "ㄲㄷ"
    assert compact_view("배치 그룹")[0] == "배치그룹"


@pytest.mark.parametrize(
    ("term", "stem"),
    [
        ("엔드포인트는", "엔드포인트"),
        ("엔드포인트를", "엔드포인트"),
        ("엔드포인트에서는", "엔드포인트"),
        ("배치한다", "배치"),
        ("vpc의", "vpc"),
        ("imdsv2를", "imdsv2"),
        ("국가", None),  # one syllable would be left
        ("인스턴스", None),
        ("curl", None),
    ],
)
def test_strip_suffix(term: str, stem: str | None) -> None:
    assert strip_suffix(term) == stem


def test_suffixes_longest_first() -> None:
    assert list(SUFFIXES) == sorted(SUFFIXES, key=lambda s: (-len(s), s))
    assert len(set(SUFFIXES)) == len(SUFFIXES)


def test_parse_query() -> None:
    terms = parse_query("  엔드포인트는 ㅂㅊㄱㄹ IMDSv2 ec2ㅇㅅㅌㅅ 엔드포인트는 ")
    assert [t.text for t in terms] == ["엔드포인트는", "ㅂㅊㄱㄹ", "imdsv2", "ec2ㅇㅅㅌㅅ"]
    assert [t.choseong for t in terms] == [False, True, False, True]
    assert terms[0].variants == ["엔드포인트는", "엔드포인트"]
    assert terms[1].variants == ["ㅂㅊㄱㄹ"]
    assert parse_query("   ") == []
    assert len(parse_query(" ".join(f"w{i}" for i in range(30)))) == 10


# -- postings ----------------------------------------------------------------------------
@given(
    st.integers(min_value=1, max_value=3000).flatmap(
        lambda n: st.tuples(st.just(n), st.sets(st.integers(min_value=0, max_value=n - 1)))
    )
)
@settings(max_examples=300, deadline=None)
def test_postings_round_trip(case: tuple[int, set[int]]) -> None:
    n, ids = case
    code = encode_postings(sorted(ids), n)
    assert decode_postings(code, n) == sorted(ids)
    assert re.fullmatch(r"[*~0-9A-Za-z_-]*", code)
    assert len(code) <= max(len(ids), 1) * 3


def test_postings_forms() -> None:
    assert encode_postings([0, 1, 2], 3) == "*"
    assert encode_postings([0], 1000) == "0"
    assert encode_postings([31], 1000) == "V"
    assert encode_postings([32], 1000) == "X0"  # two base-32 digits: 1, 0
    dense = list(range(0, 1000, 2))
    assert encode_postings(dense, 1000).startswith("~")
    assert decode_postings(encode_postings([99_999], 100_000), 100_000) == [99_999]


# -- the index ---------------------------------------------------------------------------
def test_index_layout(site_index: tuple[str, LoadedIndex]) -> None:
    text, index = site_index
    data = json.loads(text)
    assert data["version"] == 1
    assert data["suffixes"] == list(SUFFIXES)
    by_url = {d["url"]: d for d in data["docs"]}
    assert set(by_url) >= {SHIPPED, IMDS, "posts/vpc-basics/", "posts/nat-gateway/"}
    shipped = by_url[SHIPPED]
    assert shipped["date"] == "2023-03-26" and shipped["tags"] == ["Book"]
    assert "배치 그룹" in shipped["text"] and "  " not in shipped["text"]
    ids = {d["url"]: i for i, d in enumerate(data["docs"])}
    for key in ("스턴", "치그", "그룹"):
        assert ids[SHIPPED] in decode_postings(index.grams[key], index.n), key
    assert ids[IMDS] in decode_postings(index.words["imdsv2"], index.n)
    assert ids[SHIPPED] in decode_postings(index.words["curl"], index.n)
    assert "IMDSv2" not in index.words  # keys are folded


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # the middle of a word
        ("스턴스", {SHIPPED, IMDS, "posts/vpc-basics/", "posts/nat-gateway/"}),
        ("드포인", {SHIPPED, IMDS}),
        # particles stripped or added
        ("엔드포인트", {SHIPPED, IMDS}),
        ("엔드포인트는", {SHIPPED, IMDS}),
        ("엔드포인트를", {SHIPPED, IMDS}),
        ("엔드포인트에서", {SHIPPED, IMDS}),
        # initial consonants, spaces in the note ignored
        ("ㅂㅊㄱㄹ", {SHIPPED}),
        ("ㅂㅊ ㄱㄹ", {SHIPPED}),
        ("ㅇㄷㅍㅇㅌ", {SHIPPED, IMDS}),
        # English and code, any case
        ("169.254.169.254", {SHIPPED}),
        ("imdsv2", {IMDS}),
        ("IMDSv2", {IMDS}),
        ("curl", {SHIPPED}),
        ("CURL", {SHIPPED}),
        ("ipv", {SHIPPED}),
        # spacing differences and several terms
        ("배치그룹", {SHIPPED}),
        ("배치 그룹", {SHIPPED}),
        ("EC2 인스턴스", {SHIPPED, IMDS}),
        ("IMDSv2는", {IMDS}),
    ],
)
def test_query_kinds_find_the_right_notes(
    site_index: tuple[str, LoadedIndex], query: str, expected: set[str]
) -> None:
    _, index = site_index
    found = set(urls(index, query))
    assert expected <= found, (query, found)
    if query in ("ㅂㅊㄱㄹ", "169.254.169.254", "imdsv2", "curl"):
        assert found == expected


@pytest.mark.parametrize(
    "query", ["가나다라마바사", "zzqxv", "ㅋㅌㅊㅍㅋㅌ", "169.254.169.253", "스턴스 zzqxv"]
)
def test_nonsense_finds_nothing(site_index: tuple[str, LoadedIndex], query: str) -> None:
    assert urls(site_index[1], query) == []


def test_empty_query_and_empty_index() -> None:
    index = load_index(build_index([]))
    assert index.n == 0
    assert search(index, "인스턴스") == []
    assert search(load_index(build_index([doc("a/", "제목", "본문")])), "  ") == []


def test_ranking_title_then_matches_then_date() -> None:
    index = load_index(
        build_index(
            [
                doc("body-many/", "라우팅 정리", "게이트웨이 " * 8, "2024-05-01"),
                doc("title/", "NAT 게이트웨이", "본문에는 없다", "2020-01-01"),
                doc("body-once-old/", "다른 글", "인터넷 게이트웨이 하나", "2021-01-01"),
                doc("body-once-new/", "또 다른 글", "인터넷 게이트웨이 하나", "2022-01-01"),
            ]
        )
    )
    assert urls(index, "게이트웨이") == ["title/", "body-many/", "body-once-new/", "body-once-old/"]


def test_ranking_prefers_exact_form_and_closeness() -> None:
    index = load_index(
        build_index(
            [
                doc("far/", "a", "배치 " + "가나 " * 40 + "그룹", "2024-01-01"),
                doc("near/", "b", "배치 그룹", "2020-01-01"),
            ]
        )
    )
    assert urls(index, "배치 그룹") == ["near/", "far/"]
    index = load_index(
        build_index(
            [
                doc("stem/", "a", "엔드포인트를 쓴다", "2024-01-01"),
                doc("exact/", "b", "엔드포인트는 쓴다", "2020-01-01"),
            ]
        )
    )
    assert urls(index, "엔드포인트는") == ["exact/", "stem/"]


def test_tags_are_searched() -> None:
    index = load_index(
        build_index([doc("a/", "글", "본문", tags=["IMDSv2"]), doc("b/", "글", "본문")])
    )
    assert urls(index, "imdsv2") == ["a/"]


def test_highlight_ranges_point_into_the_original_text() -> None:
    index = load_index(
        build_index([doc("a/", "배치 그룹 정리", "EC2의 배치 그룹은 IMDSv2와 무관")])
    )
    [hit] = search(index, "ㅂㅊㄱㄹ imdsv2")
    text = index.docs[0]["text"]
    assert [text[a:b] for a, b in hit.ranges["text"]] == ["배치 그룹", "IMDSv2"]
    assert [index.docs[0]["title"][a:b] for a, b in hit.ranges["title"]] == ["배치 그룹"]


# -- safety ------------------------------------------------------------------------------
HOSTILE = [
    doc(
        "x/",
        "</script><script>alert(1)</script>",
        'a </SCRIPT > b <!-- c --> & d \u2028 e \u2029 f \ud800 g "quoted" \\ back',
        tags=["<b>", "</Script"],
    ),
    doc("y/", "평범한 제목", "코드: if (a < b && c > d) { x = '</style>'; }"),
]


def test_index_cannot_close_a_script_and_is_valid_utf8() -> None:
    text = build_index(HOSTILE)
    raw = text.encode("utf-8")  # valid UTF-8: no lone surrogates left
    assert raw.decode("utf-8") == text
    assert "</script" not in text.lower()
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    data = json.loads(raw)
    assert data["docs"][0]["title"] == "</script><script>alert(1)</script>"
    assert data["docs"][0]["tags"] == ["<b>", "</Script"]
    assert "\ufffd" in data["docs"][0]["text"]


def test_site_index_is_script_safe(site_index: tuple[str, LoadedIndex]) -> None:
    text, _ = site_index
    assert "</script" not in text.lower() and "<" not in text
    json.loads(text.encode("utf-8"))


def test_index_is_deterministic() -> None:
    docs = [doc(f"p{i}/", f"제목 {i}", f"인스턴스 {i} 배치 그룹 curl") for i in range(50)]
    assert build_index(docs) == build_index(list(docs))


def test_written_site_index(tmp_path: Path) -> None:
    """The CLI-shaped build writes search-index.json that loads."""
    project = make_project(tmp_path, DEMO_NOTES)
    result = Builder(project, BuildOptions(use_cache=False)).build()
    index = load_index(result.files["search-index.json"].decode("utf-8"))
    assert SHIPPED in urls(index, "ㅂㅊㄱㄹ")


# -- the keys never lose a note ----------------------------------------------------------
SYLLABLES = "가나다라배치그룹인스턴엔드포트를는이"
TEXTS = st.text(alphabet=SYLLABLES + "abcXYZ019 .-ㅋ", min_size=1, max_size=60)


@given(st.lists(TEXTS, min_size=1, max_size=6), st.data())
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_every_substring_finds_its_note(texts: list[str], data: st.DataObject) -> None:
    """Candidate keys are a superset of matches: any stretch of a note (one term) finds it."""
    docs = [doc(f"d{i}/", "t", t) for i, t in enumerate(texts)]
    index = load_index(build_index(docs))
    i = data.draw(st.integers(min_value=0, max_value=len(docs) - 1))
    stored = index.docs[i]["text"]
    assume(stored.strip())
    start = data.draw(st.integers(min_value=0, max_value=len(stored) - 1))
    end = data.draw(st.integers(min_value=start + 1, max_value=len(stored)))
    piece = stored[start:end]
    assume(" " not in piece.strip() and piece.strip())
    assert f"d{i}/" in urls(index, piece)
    # and the same stretch written in initial consonants finds it too
    cho = "".join(choseong_view(fold(piece.strip()))[0])
    assert f"d{i}/" in urls(index, cho)


def test_incremental_postings_equal_a_fresh_index() -> None:
    """Editing a few notes between builds patches the posting lists; the result must be
    exactly what a build from scratch gives."""
    import awsnotes_site.search as search_module

    docs = [SearchDoc(f"posts/n{i}/", f"노트 {i}", "2023-03-26", ["AWS"],
                      f"인스턴스 {i} 배치 그룹 엔드포인트 curl v{i}") for i in range(50)]
    build_index(docs)
    edited = list(docs)
    edited[3] = SearchDoc("posts/n3/", "노트 3", "2023-03-26", ["AWS", "새 태그"],
                          "완전히 다른 내용 IMDSv2 토큰")
    edited[40] = SearchDoc("posts/n40/", "노트 40", "2023-03-26", [], "")
    incremental = build_index(edited)
    search_module._POSTINGS = search_module._Postings()
    assert incremental == build_index(edited)
