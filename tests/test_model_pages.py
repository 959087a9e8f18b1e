"""The template contract (page kinds, their templates and contexts) and the dependency
tracker through which a page records the notes whose body it used."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import jinja2

from awsnotes_site.markdown import NoteFacts, RenderedNote
from awsnotes_site.model.note import Note
from awsnotes_site.model.pages import PAGE_KINDS, template_vars
from awsnotes_site.model.views import DependencyTracker, NoteView

TEMPLATES = Path(__file__).resolve().parent.parent / "src" / "awsnotes_site" / "theme" / "templates"


def test_every_page_kind_has_its_template_and_a_dataclass_context() -> None:
    assert {k.name for k in PAGE_KINDS.values()} == set(PAGE_KINDS)
    for kind in PAGE_KINDS.values():
        assert (TEMPLATES / kind.template).is_file(), kind.template
        assert dataclasses.is_dataclass(kind.context)
    singles = [k.path for k in PAGE_KINDS.values() if k.path]
    assert len(singles) == len(set(singles)) == 6  # + archive, categories (issue 23)


def _view(tracker: DependencyTracker, rel: str, loads: list[str]) -> NoteView:
    note = Note(
        source=Path(f"/c/{rel}"),
        rel=rel,
        display_path=rel,
        section="",
        slug="x",
        url="x/",
        title="제목",
        date=None,
        lastmod=None,
        description="",
        tags=[],
        series=[],
        draft=False,
        weight=0,
        params={},
        body="본문",
        body_line=1,
        digest="",
    )
    facts = NoteFacts("요약", 1, [], [], {})

    def load() -> RenderedNote:
        loads.append(rel)
        return RenderedNote(html="<p>본문</p>", text="본문")

    return NoteView(note, facts, load, tracker)


def test_a_page_depends_on_the_notes_whose_body_it_used() -> None:
    tracker = DependencyTracker()
    loads: list[str] = []
    a, b = _view(tracker, "a.md", loads), _view(tracker, "b.md", loads)
    env = jinja2.Environment()
    lists_only = env.from_string("{% for n in notes %}{{ n.title }} {{ n.summary }}{% endfor %}")
    shows_a = env.from_string("{{ notes[0].content }} {{ notes[1].title }}")
    with tracker.recording() as used:
        lists_only.render(notes=[a, b])
    assert used == set() and loads == []
    with tracker.recording() as used:
        assert "<p>본문</p>" in shows_a.render(notes=[a, b])
    assert used == {"a.md"} and loads == ["a.md"]
    with tracker.recording() as used:
        env.from_string("{{ n.body }}").render(n=b)
    assert used == {"b.md"}
    a.content  # noqa: B018 (outside a recording nothing is noted, nothing fails)
    assert loads == ["a.md"]


def test_template_vars_are_the_context_fields() -> None:
    kind = PAGE_KINDS["search"]
    context = kind.context("검색", kind.name)
    assert template_vars(context) == {"title": "검색", "kind": "search"}
