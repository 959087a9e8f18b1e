"""Incremental vault builds are exact: a note is rendered again only when its own bytes,
where one of its links resolves, or a note it embeds changed; a page shows new backlinks
when a link to its note was added or its sentence edited; every cached build equals a
cold build byte for byte. On a generated vault of 20 notes, kept builder (``serve``) and
``.cache/`` (CLI) alike."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from awsnotes_site.pipeline import Builder, BuildOptions, BuildResult, build
from helpers import parse_html_string

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
CONCEPTS = 18  # 개념/개념 01.md … 개념 18.md, each linking to the next


def concept(n: int) -> str:
    return f"개념 {n:02d}"


def make_vault(root: Path) -> Path:
    """홈 embeds 개념 03 and links to 개념 01; 모음/묶음 embeds the 정리 section of 개념
    05; 개념 18 links to a note that does not exist yet. Every note has a description, so
    that its summary (what lists and neighbours show) stays when its body is edited."""
    vault = root / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / ".obsidian" / "app.json").write_text("{}", encoding="utf-8")
    (vault / "개념").mkdir()
    (vault / "모음").mkdir()
    for n in range(1, CONCEPTS + 1):
        after = f"[[{concept(n + 1)}]]" if n < CONCEPTS else "[[새 노트]]"
        (vault / "개념" / f"{concept(n)}.md").write_text(
            f"---\ndescription: {concept(n)} 요약\n---\n# {concept(n)}\n\n"
            f"{concept(n)}의 본문이다. 다음은 {after}이다.\n\n## 정리\n\n정리 문단 {n}.\n",
            encoding="utf-8",
        )
    (vault / "홈.md").write_text(
        "---\ndescription: 홈 요약\n---\n# 홈\n\n처음은 [[개념 01]]이다.\n\n![[개념 03]]\n",
        encoding="utf-8",
    )
    (vault / "모음" / "묶음.md").write_text(
        "---\ndescription: 묶음 요약\n---\n# 묶음\n\n![[개념 05#정리]]\n", encoding="utf-8"
    )
    return vault


def note_path(name: str) -> str:
    """The note page of a note named NAME."""
    if name == "홈":
        return "홈/index.html"
    if name == "묶음":
        return "모음/묶음/index.html"
    return f"개념/{name.replace(' ', '-')}/index.html"


def edit(vault: Path, name: str, old: str, new: str) -> None:
    path = next(vault.rglob(f"{name}.md"))
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def keys(result: BuildResult) -> dict[str, str]:
    return {v.note.title: v.key for v in result.notes}


def rendered(before: BuildResult, after: BuildResult) -> set[str]:
    """The notes rendered by the second build: a new render key is one no build rendered
    yet (a builder keeps only the last build's notes)."""
    old = keys(before)
    return {title for title, key in keys(after).items() if old.get(title) != key}


def note_pages(builder: Builder) -> dict[str, str]:
    """Each note page's signature: it changes exactly when the page is rendered again."""
    return {p: m.signature for p, m in builder.pages.pages.items() if p.count("/") >= 1}


def cold(vault: Path) -> dict[str, bytes]:
    result = Builder(vault, BuildOptions(use_cache=False, now=NOW)).build()
    assert result.stats.rendered_notes == 20 + (vault / "새 노트.md").exists()
    return dict(result.files)


def backlink_sources(result: BuildResult, page: str) -> dict[str, list[str]]:
    doc = parse_html_string(result.files[page].decode("utf-8"))
    found: dict[str, list[str]] = {}
    for section in doc.find_all("section", class_="backlinks"):
        for item in section.find_all("li"):
            quotes = [" ".join(q.text().split()) for q in item.find_all("blockquote")]
            found[item.find_all("a")[0].text()] = quotes
    return found


class Steps:
    """One kept builder over the vault: each step edits, rebuilds and checks what was
    rendered against what the edit reaches, and the result against a cold build."""

    def __init__(self, vault: Path) -> None:
        self.vault = vault
        self.builder = Builder(vault, BuildOptions(use_cache=False, now=NOW))
        self.result = self.builder.build()
        assert not [d for d in self.result.diagnostics if d.is_error]
        self.pages = note_pages(self.builder)

    def rebuild(self, notes: set[str], pages: set[str]) -> BuildResult:
        result = self.builder.build()
        assert rendered(self.result, result) == notes
        assert result.stats.rendered_notes == len(notes)
        signatures = note_pages(self.builder)
        again = {p for p, s in signatures.items() if self.pages.get(p) != s}
        assert {p for p in again if p.endswith("/index.html") and _is_note(p)} == pages
        assert dict(result.files) == cold(self.vault)
        self.result, self.pages = result, signatures
        return result


def _is_note(page: str) -> bool:
    return page.startswith(("개념/개념-", "홈/", "모음/묶음/", "새-노트/"))


def test_edits_render_only_what_depends_on_them(tmp_path: Path) -> None:
    vault = make_vault(tmp_path)
    steps = Steps(vault)
    assert steps.result.stats.rendered_notes == 20
    # body text, no link changed: the note and the note that embeds it
    edit(vault, concept(3), "정리 문단 3.", "정리 문단 3 (고침).")
    result = steps.rebuild({concept(3), "홈"}, {note_path(concept(3)), note_path("홈")})
    assert "정리 문단 3 (고침)." in result.files[note_path("홈")].decode("utf-8")
    # a section embed: the embedding note follows its section
    edit(vault, concept(5), "정리 문단 5.", "정리 문단 5 (고침).")
    result = steps.rebuild({concept(5), "묶음"}, {note_path(concept(5)), note_path("묶음")})
    assert "정리 문단 5 (고침)." in result.files[note_path("묶음")].decode("utf-8")
    # the sentence around a link: the linked note's page shows it, nothing else renders
    edit(vault, concept(7), "다음은 [[개념 08]]이다.", "그다음은 [[개념 08]]이다.")
    result = steps.rebuild({concept(7)}, {note_path(concept(7)), note_path(concept(8))})
    sources = backlink_sources(result, note_path(concept(8)))
    assert sources == {concept(7): ["그다음은 개념 08이다."]}
    # a new link A -> B: B's backlinks
    edit(vault, concept(1), "정리 문단 1.", "정리 문단 1. 덧붙임: [[개념 10]] 참고.")
    result = steps.rebuild({concept(1)}, {note_path(concept(1)), note_path(concept(10))})
    assert backlink_sources(result, note_path(concept(10)))[concept(1)] == ["덧붙임: 개념 10 참고."]
    # the link removed again
    edit(vault, concept(1), " 덧붙임: [[개념 10]] 참고.", "")
    result = steps.rebuild({concept(1)}, {note_path(concept(1)), note_path(concept(10))})
    assert concept(1) not in backlink_sources(result, note_path(concept(10)))


def test_a_new_note_renders_the_notes_whose_links_it_resolves(tmp_path: Path) -> None:
    vault = make_vault(tmp_path)
    builder = Builder(vault, BuildOptions(use_cache=False, now=NOW))
    first = builder.build()
    page = first.files[note_path(concept(CONCEPTS))].decode("utf-8")
    assert 'class="wikilink-missing"' in page
    (vault / "새 노트.md").write_text("# 새 노트\n\n이제 있다.\n", encoding="utf-8")
    second = builder.build()
    assert rendered(first, second) == {"새 노트", concept(CONCEPTS)}
    page = second.files[note_path(concept(CONCEPTS))].decode("utf-8")
    assert 'href="/새-노트/"' in page and "wikilink-missing" not in page
    assert dict(second.files) == cold(vault)


def test_cli_builds_keep_exact_keys_through_the_notes_cache(tmp_path: Path) -> None:
    """``build`` twice (a new builder each time: ``.cache/notes.json`` carries what each
    note depended on): an edit renders the note and its embedder, the output equals a
    cold build, and a build with no change renders nothing."""
    vault = make_vault(tmp_path)
    out = tmp_path / "out"
    first, _ = build(vault, BuildOptions(output=str(out), now=NOW))
    assert first.stats.rendered_notes == 20
    again, _ = build(vault, BuildOptions(output=str(out), now=NOW))
    assert again.stats.rendered_notes == 0 and again.stats.rendered_pages == 0
    edit(vault, concept(3), "정리 문단 3.", "정리 문단 3 (고침).")
    second, _ = build(vault, BuildOptions(output=str(out), now=NOW))
    assert rendered(first, second) == {concept(3), "홈"}
    assert second.stats.rendered_notes == 2
    edit(vault, concept(7), "다음은 [[개념 08]]이다.", "그다음은 [[개념 08]]이다.")
    third, _ = build(vault, BuildOptions(output=str(out), now=NOW))
    assert rendered(second, third) == {concept(7)}
    fresh = tmp_path / "cold"
    build(vault, BuildOptions(output=str(fresh), use_cache=False, now=NOW))
    published = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert published == {
        p.relative_to(fresh): p.read_bytes() for p in fresh.rglob("*") if p.is_file()
    }
