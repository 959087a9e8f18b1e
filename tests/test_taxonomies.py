"""Related notes: the shared-candidates shortcut ranks exactly like the plain definition."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from awsnotes_site.model.note import Note
from awsnotes_site.model.taxonomies import related_notes


def _note(i: int, tags: list[str]) -> Note:
    return Note(
        source=Path(f"/c/n{i}.md"),
        rel=f"n{i}.md",
        display_path=f"n{i}.md",
        section="",
        slug=f"n{i}",
        url=f"n{i}/",
        title=f"n{i}",
        date=None,
        lastmod=None,
        description="",
        tags=tags,
        series=[],
        draft=False,
        weight=0,
        params={},
        body="",
        body_line=1,
        digest="",
    )


def _reference(notes: list[Note], limit: int, crowd: int) -> dict[str, list[str]]:
    """The definition: others sharing the most tags (tags on more than ``crowd`` notes do
    not count), ties by position (newer first)."""
    out: dict[str, list[str]] = {}
    for i, note in enumerate(notes):
        scores = {}
        for j, other in enumerate(notes):
            if j == i:
                continue
            shared = sum(
                1
                for t in set(note.tags) & set(other.tags)
                if sum(t in n.tags for n in notes) <= crowd
            )
            if shared:
                scores[j] = shared
        out[note.rel] = [
            notes[j].rel for j in sorted(scores, key=lambda j: (-scores[j], j))[:limit]
        ]
    return out


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from("abcdef"), max_size=3, unique=True), max_size=25),
    st.integers(min_value=1, max_value=6),
)
def test_related_notes_match_the_definition(tag_lists: list[list[str]], limit: int) -> None:
    notes = [_note(i, tags) for i, tags in enumerate(tag_lists)]
    got = {rel: [n.rel for n in others] for rel, others in related_notes(notes, limit).items()}
    assert got == _reference(notes, limit, 200)


def test_a_tag_on_more_than_200_notes_is_ignored() -> None:
    notes = [_note(i, ["common"] + (["rare"] if i in (3, 250) else [])) for i in range(260)]
    related = related_notes(notes)
    assert [n.rel for n in related["n3.md"]] == ["n250.md"]
    assert related["n0.md"] == []
