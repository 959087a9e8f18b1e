"""One field list per model drives the cache encoding and the card digest: every field of
Note, NoteFacts and RenderedNote is either stored or excluded with a reason, every field
of Note and NoteFacts is either in the card or excluded, and a new field that no list
covers is an error, not a silently stale list page."""

from __future__ import annotations

import dataclasses
import datetime as dt
import zoneinfo
from pathlib import Path
from typing import Any

import pytest

from awsnotes_site.diagnostics import Diagnostic, Severity
from awsnotes_site.incremental import records
from awsnotes_site.incremental.keys import card_digest
from awsnotes_site.incremental.records import (
    FACTS_NOT_STORED,
    FACTS_STORED,
    NoteRecord,
    field_codecs,
)
from awsnotes_site.incremental.store import RenderStore, save_notes
from awsnotes_site.markdown import NoteFacts, RenderedNote
from awsnotes_site.markdown.context import LinkRef, TocEntry
from awsnotes_site.model.note import (
    FACTS_CARD,
    FACTS_NOT_IN_CARD,
    NOTE_CARD,
    NOTE_NOT_IN_CARD,
    NOTE_NOT_STORED,
    NOTE_STORED,
    FieldNotCovered,
    Note,
    covered,
)

TZ = zoneinfo.ZoneInfo("Asia/Seoul")


def _note(**changes: Any) -> Note:
    values: dict[str, Any] = {
        "source": Path("/p/content/posts/x.md"),
        "rel": "posts/x.md",
        "display_path": "content/posts/x.md",
        "section": "posts",
        "slug": "x",
        "url": "posts/x/",
        "title": "제목",
        "date": dt.datetime(2023, 3, 26, 10, 0, tzinfo=TZ),
        "lastmod": dt.datetime(2023, 4, 1, 9, 30, tzinfo=TZ),
        "description": "설명",
        "tags": ["aws", "네트워크"],
        "series": ["VPC 기초"],
        "draft": False,
        "weight": 3,
        "params": {"cover": {"src": "/a.png", "at": dt.date(2023, 1, 2)}, "n": [1, 2.5]},
        "body": "",
        "body_line": 7,
        "digest": "d" * 64,
        "diagnostics": [Diagnostic("content/posts/x.md", 2, Severity.WARNING, "w", 3, "h")],
        "body_loaded": False,
    }
    values.update(changes)
    return Note(**values)


def _facts(**changes: Any) -> NoteFacts:
    values: dict[str, Any] = {
        "summary": "요약",
        "minutes": 4,
        "links": [LinkRef("/posts/y/", 5, "link"), LinkRef("a.png", 6, "image")],
        "diagnostics": [Diagnostic("content/posts/x.md", 9, Severity.WARNING, "링크")],
        "refs": {"y.md": "posts/y/", "gone.md": None},
    }
    values.update(changes)
    return NoteFacts(**values)


def test_every_field_of_the_models_is_covered() -> None:
    covered(Note, NOTE_STORED, NOTE_NOT_STORED)
    covered(Note, NOTE_CARD, NOTE_NOT_IN_CARD)
    covered(NoteFacts, FACTS_STORED, FACTS_NOT_STORED)
    covered(NoteFacts, FACTS_CARD, FACTS_NOT_IN_CARD)
    covered(RenderedNote, records.RENDERED_HEAD + records.RENDERED_BODY, {})
    assert [name for name, _ in records.NOTE_CODECS] == list(NOTE_STORED)


@pytest.mark.parametrize("base", [Note, NoteFacts, RenderedNote])
def test_a_new_field_no_list_covers_is_an_error(base: type[Any]) -> None:
    grown = dataclasses.make_dataclass(
        f"Grown{base.__name__}", [("mood", str, dataclasses.field(default=""))], bases=(base,)
    )
    lists = {
        Note: [(NOTE_STORED, NOTE_NOT_STORED), (NOTE_CARD, NOTE_NOT_IN_CARD)],
        NoteFacts: [(FACTS_STORED, FACTS_NOT_STORED), (FACTS_CARD, FACTS_NOT_IN_CARD)],
        RenderedNote: [(records.RENDERED_HEAD + records.RENDERED_BODY, {})],
    }[base]
    for included, excluded in lists:
        with pytest.raises(FieldNotCovered, match="mood"):
            covered(grown, included, excluded)
        with pytest.raises(FieldNotCovered, match="mood"):
            field_codecs(grown, included, excluded)
        covered(grown, (*included, "mood"), excluded)  # listed: fine
        covered(grown, included, {**excluded, "mood": "not shown"})
    with pytest.raises(FieldNotCovered, match="listed twice"):
        covered(grown, (*lists[0][0], "mood"), {**lists[0][1], "mood": "both"})
    with pytest.raises(FieldNotCovered, match="unknown"):
        covered(base, (*lists[0][0], "gone"), lists[0][1])


def test_a_stored_field_of_a_type_without_a_codec_is_an_error() -> None:
    grown = dataclasses.make_dataclass(
        "Odd", [("when", complex, dataclasses.field(default=0j))], bases=(Note,)
    )
    with pytest.raises(FieldNotCovered, match="no cache codec"):
        field_codecs(grown, (*NOTE_STORED, "when"), NOTE_NOT_STORED)


def test_stored_fields_round_trip(tmp_path: Path) -> None:
    note, facts = _note(), _facts()
    save_notes(tmp_path, "ctx", {str(note.source): NoteRecord((1, 2), note, "k", facts)}, TZ)
    loaded, problem = records.load_notes(tmp_path, "ctx", TZ)
    assert problem is None
    back = loaded[str(note.source)]
    assert back.stamp == (1, 2) and back.key == "k" and back.facts == facts
    for name in NOTE_STORED:
        assert getattr(back.note, name) == getattr(note, name), name
    assert back.note == note  # the rest comes back as a restored note has it


def test_rendered_note_round_trips_through_the_store(tmp_path: Path) -> None:
    rendered = RenderedNote(
        html="<p>본문</p>",
        toc=[TocEntry(2, "a", "가")],
        links=[LinkRef("/x/", 3, "link")],
        diagnostics=[Diagnostic("n.md", 1, Severity.WARNING, "w")],
        refs={"a.md": None},
        shortcodes={"figure", "note"},
        text="본문",
        search_keys=("본문", "x"),
    )
    store = RenderStore(tmp_path)
    store.put("k", rendered)
    assert store.get("k") == rendered and not store.problems


@pytest.mark.parametrize("name", NOTE_CARD)
def test_every_card_field_changes_the_card(name: str) -> None:
    note, facts = _note(), _facts()
    changed = {
        "date": dt.datetime(2020, 1, 1, tzinfo=TZ),
        "lastmod": None,
        "tags": ["다른"],
        "series": [],
        "draft": True,
        "weight": 9,
        "params": {"cover": "b"},
    }.get(name, "바뀐 값")
    assert card_digest(_note(**{name: changed}), facts) != card_digest(note, facts)


@pytest.mark.parametrize("name", FACTS_CARD)
def test_every_card_fact_changes_the_card(name: str) -> None:
    changed = {"summary": "다른 요약", "minutes": 11}[name]
    assert card_digest(_note(), _facts(**{name: changed})) != card_digest(_note(), _facts())


@pytest.mark.parametrize("name", sorted(NOTE_NOT_IN_CARD))
def test_fields_left_out_of_the_card_do_not_change_it(name: str) -> None:
    changed = {
        "source": Path("/elsewhere/x.md"),
        "body": "다른 본문",
        "body_line": 99,
        "digest": "e" * 64,
        "diagnostics": [],
        "lastmod_from_git": True,
        "body_loaded": True,
    }[name]
    assert card_digest(_note(**{name: changed}), _facts()) == card_digest(_note(), _facts())
