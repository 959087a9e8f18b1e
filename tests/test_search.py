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

from awsnotes_site.pipeline import Builder, BuildOptions
from awsnotes_site.search import (
    INDEX_VERSION,
    MANIFEST,
    SUFFIXES,
    LoadedIndex,
    SearchDoc,
    build_index,
    build_manifest,
    build_shard,
    choseong_view,
    clean,
    compact_view,
    decode_postings,
    encode_postings,
    fold,
    gram_keys,
    load_index,
    packed_keys,
    parse_query,
    search,
    shard_count,
    shard_of,
    shard_path,
    strip_suffix,
    word_keys,
)
from helpers import build_site, describe_process
from sitefactory import DEMO_NOTES, IMDS_NOTE, make_project, many_notes

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


def index_files(files: dict[str, bytes]) -> dict[str, str]:
    """The manifest and shards among a build's files, as text."""
    return {
        path: data.decode("utf-8")
        for path, data in files.items()
        if path == MANIFEST or path.startswith("search-index/")
    }


@pytest.fixture(scope="module")
def site_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], LoadedIndex]:
    """The index files of the demo site (shipped note + DEMO_NOTES + EXTRA_NOTES), built
    in-process, and the index loaded from them."""
    project = make_project(tmp_path_factory.mktemp("search"), {**DEMO_NOTES, **EXTRA_NOTES})
    result = Builder(project, BuildOptions(use_cache=False)).build()
    files = index_files(result.files)
    return files, load_index(files)


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


def _gram_keys_by_definition(folded: str) -> set[str]:
    keys: set[str] = set()
    for run in re.findall(r"[가-힣ㄱ-ㆎ一-鿿぀-ヿ]+(?: [가-힣ㄱ-ㆎ一-鿿぀-ヿ]+)*", folded):
        run = run.replace(" ", "")
        keys.update(run[i : i + 2] for i in range(len(run) - 1))
        if len(run) == 1:
            keys.add(run)
    return keys


@given(st.text(alphabet="가각나다 라ㄱㅎ 一丁ぁ ab1,.\n\t\0😀", max_size=60))
@settings(max_examples=400, deadline=None)
def test_gram_keys_match_their_definition(text: str) -> None:
    """gram_keys reads the pairs of all runs at once with regexes; the keys are those of
    the plain definition: every pair of adjacent characters of each run, spaces dropped."""
    assert gram_keys(text) == _gram_keys_by_definition(text)


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
def test_index_layout(site_index: tuple[dict[str, str], LoadedIndex]) -> None:
    files, index = site_index
    manifest = json.loads(files[MANIFEST])
    assert manifest == {
        "version": INDEX_VERSION,
        "suffixes": list(SUFFIXES),
        "shards": ["search-index/00.json"],  # a small site has one shard
    }
    assert set(files) == {MANIFEST, "search-index/00.json"}
    data = json.loads(files["search-index/00.json"])
    assert data["version"] == INDEX_VERSION
    by_url = {d["url"]: d for d in data["docs"]}
    assert set(by_url) >= {SHIPPED, IMDS, "posts/vpc-basics/", "posts/nat-gateway/"}
    shipped = by_url[SHIPPED]
    assert shipped["date"] == "2023-03-26" and shipped["tags"] == ["Book"]
    assert "배치 그룹" in shipped["text"] and "  " not in shipped["text"]
    dates = [d["date"] for d in data["docs"]]
    assert dates == sorted(dates, reverse=True)  # newest first, as the build orders notes
    ids = {d["url"]: i for i, d in enumerate(data["docs"])}
    [shard] = index.shards
    for key in ("스턴", "치그", "그룹"):
        assert ids[SHIPPED] in decode_postings(shard.grams[key], shard.n), key
    assert ids[IMDS] in decode_postings(shard.words["imdsv2"], shard.n)
    assert ids[SHIPPED] in decode_postings(shard.words["curl"], shard.n)
    assert "IMDSv2" not in shard.words  # keys are folded


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
    site_index: tuple[dict[str, str], LoadedIndex], query: str, expected: set[str]
) -> None:
    _, index = site_index
    found = set(urls(index, query))
    assert expected <= found, (query, found)
    if query in ("ㅂㅊㄱㄹ", "169.254.169.254", "imdsv2", "curl"):
        assert found == expected


@pytest.mark.parametrize(
    "query", ["가나다라마바사", "zzqxv", "ㅋㅌㅊㅍㅋㅌ", "169.254.169.253", "스턴스 zzqxv"]
)
def test_nonsense_finds_nothing(site_index: tuple[dict[str, str], LoadedIndex], query: str) -> None:
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
    assert (hit.shard, hit.id) == (0, 0)
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
    files = build_index(HOSTILE)
    for text in files.values():
        raw = text.encode("utf-8")  # valid UTF-8: no lone surrogates left
        assert raw.decode("utf-8") == text
        assert "</script" not in text.lower()
        assert "<" not in text and ">" not in text and "&" not in text
        assert "\u2028" not in text and "\u2029" not in text
        json.loads(raw)
    [hostile] = [d for d in load_index(files).docs if d["url"] == "x/"]
    assert hostile["title"] == "</script><script>alert(1)</script>"
    assert hostile["tags"] == ["<b>", "</Script"]
    assert "\ufffd" in hostile["text"]


def test_site_index_is_script_safe(site_index: tuple[dict[str, str], LoadedIndex]) -> None:
    files, _ = site_index
    for text in files.values():
        assert "</script" not in text.lower() and "<" not in text
        json.loads(text.encode("utf-8"))


def test_index_is_deterministic() -> None:
    docs = [doc(f"p{i}/", f"제목 {i}", f"인스턴스 {i} 배치 그룹 curl") for i in range(50)]
    assert build_index(docs) == build_index(list(docs))


def test_written_site_index(tmp_path: Path) -> None:
    """The CLI-shaped build writes search-index.json and its shard, which load."""
    project = make_project(tmp_path, DEMO_NOTES)
    result = Builder(project, BuildOptions(use_cache=False)).build()
    index = load_index(lambda path: result.files[path].decode("utf-8"))
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


# -- shards ------------------------------------------------------------------------------
def generated(n: int, start: int = 0) -> list[SearchDoc]:
    return [
        SearchDoc(
            f"posts/n{i}/",
            f"노트 {i}",
            f"20{10 + i % 15}-{1 + i % 12:02d}-{1 + i % 28:02d}",
            ["AWS"],
            f"인스턴스 {i} 배치 그룹 엔드포인트는 curl v{i} 고유{i}번",
        )
        for i in range(start, start + n)
    ]


def shard_urls(files: dict[str, str]) -> dict[str, list[str]]:
    return {
        path: [d["url"] for d in json.loads(text)["docs"]]
        for path, text in files.items()
        if path != MANIFEST
    }


def test_shard_count_is_a_power_of_two_of_64_to_128_notes() -> None:
    assert [shard_count(n) for n in (0, 1, 128)] == [1, 1, 1]
    assert [shard_count(n) for n in (129, 256, 257, 1000, 10_000)] == [2, 2, 4, 8, 128]
    for n in range(129, 5000, 97):
        count = shard_count(n)
        assert count & (count - 1) == 0
        assert 64 < n / count <= 128


def test_shard_paths_and_manifest() -> None:
    assert shard_path(3, 8) == "search-index/03.json"
    assert shard_path(0, 1) == "search-index/00.json"
    assert shard_path(5, 128) == "search-index/005.json"
    manifest = json.loads(build_manifest(4))
    assert manifest["version"] == INDEX_VERSION
    assert manifest["suffixes"] == list(SUFFIXES)
    assert manifest["shards"] == [f"search-index/0{k}.json" for k in range(4)]
    assert not any(p.startswith("/") for p in manifest["shards"])  # relative: sub-paths work


def test_shard_of_is_the_crc32_of_the_url() -> None:
    """Fixed values: the same on every machine and run (no hash randomisation)."""
    assert [
        shard_of(u, 8) for u in ("posts/aws-network-2/", "posts/imds/", "posts/배치-그룹/")
    ] == [
        0,
        7,
        0,
    ]
    assert all(0 <= shard_of(f"p/{i}/", 16) < 16 for i in range(500))


def test_notes_stay_in_their_shard_when_notes_are_added() -> None:
    before = shard_urls(build_index(generated(300)))
    after = shard_urls(build_index(generated(320)))  # 300 and 320 notes: 4 shards each
    assert len(before) == len(after) == 4
    for path, urls in before.items():
        added = [u for u in after[path] if u not in urls]
        assert [u for u in after[path] if u in urls] == urls, path
        assert all(int(u.split("n")[1].rstrip("/")) >= 300 for u in added)
    # when the count doubles, shard k splits into k and k + count
    doubled = shard_urls(build_index(generated(300), count=8))
    for k in range(4):
        halves = doubled[shard_path(k, 8)] + doubled[shard_path(k + 4, 8)]
        assert sorted(halves) == sorted(before[shard_path(k, 4)])


def test_shard_keeps_the_given_order_and_local_ids() -> None:
    docs = generated(5)
    data = json.loads(build_shard(docs[::-1]))
    assert [d["url"] for d in data["docs"]] == [d.url for d in docs[::-1]]
    assert decode_postings(data["words"]["v4"], 5) == [0]  # posts/n4/ comes first
    assert decode_postings(data["words"]["curl"], 5) == [0, 1, 2, 3, 4]


def test_ranking_does_not_depend_on_the_sharding() -> None:
    """All shards are searched and ranked as one: title hits, score, newer date, then URL."""
    docs = generated(300)
    one = load_index(build_index(docs, count=1))
    many = load_index(build_index(docs))
    assert len(many.shards) == 4
    for query in ("인스턴스", "고유1", "ㅂㅊㄱㄹ", "엔드포인트", "curl v12", "노트 7"):
        expected = [(h.url, h.title_hits, h.score) for h in search(one, query)]
        assert [(h.url, h.title_hits, h.score) for h in search(many, query)] == expected
        assert expected, query
    hits = search(many, "curl")
    assert len(hits) == 300 and len({h.shard for h in hits}) == 4
    keys = [(-h.title_hits, -h.score, h.date) for h in hits]
    assert keys == sorted(keys, key=lambda k: (k[0], k[1])) and hits[0].date >= hits[-1].date
    same = [h for h in hits if h.date == hits[0].date]
    assert [h.url for h in same] == sorted(h.url for h in same)


def test_the_reference_reads_every_shard() -> None:
    files = build_index(generated(300))
    loaded = load_index(lambda path: files[path])
    assert loaded.n == 300 and len(loaded.shards) == 4
    for i in (0, 77, 150, 299):
        assert urls(loaded, f"고유{i}번") == [f"posts/n{i}/"]
    with pytest.raises(ValueError, match="version"):
        load_index({**files, MANIFEST: files[MANIFEST].replace('"version":2', '"version":1')})


def index_bytes(out: Path) -> dict[str, bytes]:
    files = {MANIFEST: (out / MANIFEST).read_bytes()}
    for path in sorted((out / "search-index").iterdir()):
        files[f"search-index/{path.name}"] = path.read_bytes()
    return files


def test_one_note_edit_or_addition_rewrites_one_shard(tmp_path: Path) -> None:
    """The real CLI, twice on the same project: an edit changes exactly the edited note's
    shard, adding a note exactly the shard it joins; the manifest stays as it was."""
    project = make_project(tmp_path, many_notes(300), shipped=False)
    out = tmp_path / "public"

    def build() -> dict[str, bytes]:
        proc = build_site(out, "--source", str(project))
        assert proc.returncode == 0, describe_process(proc)
        return index_bytes(out)

    first = build()
    count = shard_count(300)
    assert count == 4
    assert set(first) == {MANIFEST, *(shard_path(k, count) for k in range(count))}
    assert json.loads(first[MANIFEST])["shards"] == [shard_path(k, count) for k in range(count)]
    assert build() == first  # nothing changed, nothing differs

    note = project / "content" / "bulk" / "note-123.md"
    note.write_text(note.read_text("utf-8") + "\n덧붙인 문장 편집됨.\n", "utf-8")
    edited = build()
    changed = {path for path in first if edited[path] != first[path]}
    assert changed == {shard_path(shard_of("bulk/note-123/", count), count)}
    assert "편집됨" in edited[changed.pop()].decode("utf-8")

    (project / "content" / "bulk" / "note-300.md").write_text(
        many_notes(1, 300)["bulk/note-300.md"], "utf-8"
    )
    added = build()
    changed = {path for path in edited if added[path] != edited[path]}
    assert changed == {shard_path(shard_of("bulk/note-300/", count), count)}
    index = load_index(lambda path: added[path].decode("utf-8"))
    assert urls(index, "고유300번") == ["bulk/note-300/"]
    assert urls(index, "편집됨") == ["bulk/note-123/"]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(max_size=12), st.lists(st.text(max_size=6), max_size=3), st.text(max_size=80)
        ),
        min_size=1,
        max_size=6,
    )
)
def test_shard_from_kept_keys_equals_shard_from_text(
    notes: list[tuple[str, list[str], str]],
) -> None:
    """The build keeps each rendered note's keys (note_key_sets, packed) and builds
    shards from them: the shard is the same as one tokenized from the text."""
    docs = [
        SearchDoc(f"posts/n{i}/", title, "2023-01-02", tags, text)
        for i, (title, tags, text) in enumerate(notes)
    ]
    kept = [
        SearchDoc(
            d.url, d.title, d.date, d.tags, d.text, packed=packed_keys(d.title, d.tags, d.text)
        )
        for d in docs
    ]
    assert build_shard(kept) == build_shard(docs)


def _packed_doc(i: int, text: str) -> SearchDoc:
    return SearchDoc(
        f"posts/n{i}/",
        f"제목 {i}",
        "2023-01-02",
        ["AWS"],
        text,
        packed=packed_keys(f"제목 {i}", ["AWS"], text),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TEXTS, min_size=1, max_size=6), st.data())
def test_shard_updated_in_place_equals_shard_built_afresh(
    texts: list[str], data: st.DataObject
) -> None:
    """serve keeps each shard's postings (ShardMemo) and re-posts only the notes whose
    keys changed; after any sequence of edits (a note's text, the order of the notes,
    a note added or removed) the shard is the one built from scratch."""
    from awsnotes_site.search import ShardMemo

    memo = ShardMemo()
    docs = [_packed_doc(i, t) for i, t in enumerate(texts)]
    assert build_shard(docs, memo) == build_shard(docs)
    for _ in range(data.draw(st.integers(1, 6), label="edits")):
        action = data.draw(st.sampled_from(["edit", "edit", "edit", "reorder", "add", "remove"]))
        i = data.draw(st.integers(0, len(docs) - 1), label="note")
        if action == "edit":
            docs[i] = _packed_doc(int(docs[i].url.split("n")[1].rstrip("/")), data.draw(TEXTS))
        elif action == "reorder":
            docs = docs[i:] + docs[:i]
        elif action == "add":
            docs.append(_packed_doc(100 + len(docs), data.draw(TEXTS)))
        elif len(docs) > 1:
            del docs[i]
        assert build_shard(docs, memo) == build_shard(docs)
    unpacked = [SearchDoc(d.url, d.title, d.date, d.tags, d.text) for d in docs]
    assert build_shard(docs, memo) == build_shard(unpacked)
