"""Series boxes: a note's place in each series it belongs to, shown as a window.

A note's series box lists the ``WINDOW`` notes before and after it (fewer at the ends),
its position ("12 / 1,000"), links to the first and last notes when they are outside the
window and to the series page that lists it. A short series (``2 * WINDOW + 1`` notes or
fewer) is listed whole. So a page shows a bounded number of other notes whatever the
series' length: output grows linearly with it, and a note's page depends on the notes of
its window alone (their cards), plus what :meth:`SeriesBox.key` holds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from awsnotes_site.model.taxonomies import Term

if TYPE_CHECKING:
    from awsnotes_site.model.views import NoteView

WINDOW = 5  # notes shown before and after the current one


@dataclass
class SeriesBox:
    """One entry of ``page.series``: a series the note is in and its place there."""

    name: str
    url: str  # the series page (its first page)
    index: int  # the note's place, from 0
    total: int  # notes in the series
    window: list[NoteView]  # the notes shown, in order: all of a short series
    start: int  # the place of ``window[0]``
    prev: NoteView | None
    next: NoteView | None
    first_url: str | None = None  # the first note, when outside the window
    last_url: str | None = None  # the last note, when outside the window
    list_url: str = ""  # the page of the series page that lists this note

    @property
    def notes(self) -> list[NoteView]:
        """The notes shown (the window)."""
        return self.window

    @property
    def short(self) -> bool:
        """Listed whole (no window)."""
        return self.total <= 2 * WINDOW + 1

    @property
    def number(self) -> str:
        """The note's position, from 1, with thousands separators ("1,000")."""
        return f"{self.index + 1:,}"

    @property
    def count(self) -> str:
        """The series' length, with thousands separators."""
        return f"{self.total:,}"

    def key(self) -> tuple[Any, ...]:
        """What the box shows beyond the cards of the window's notes: a note page's render
        key holds it, so that the page is rendered again exactly when the box changes."""
        return (
            self.name,
            self.url,
            self.index,
            self.total,
            tuple(v.note.rel for v in self.window),
            self.first_url,
            self.last_url,
            self.list_url,
        )


def series_boxes(term: Term, ordered: list[NoteView], per_page: int = 0) -> None:
    """Append the box of ``term`` to each of its notes (``ordered``: reading order).
    ``per_page``: the series page's page size, to link each note to the page listing it
    (``series/x/page/3/``); 0 links to the series page itself."""
    total = len(ordered)
    whole = total <= 2 * WINDOW + 1
    for i, v in enumerate(ordered):
        start, stop = (0, total) if whole else (max(0, i - WINDOW), min(total, i + WINDOW + 1))
        page = i // per_page + 1 if per_page > 0 else 1
        v.series.append(
            SeriesBox(
                name=term.name,
                url=term.url,
                index=i,
                total=total,
                window=ordered[start:stop] if not whole else ordered,
                start=start,
                prev=ordered[i - 1] if i > 0 else None,
                next=ordered[i + 1] if i + 1 < total else None,
                first_url=ordered[0].note.url if start > 0 else None,
                last_url=ordered[-1].note.url if stop < total else None,
                list_url=term.url if page == 1 else f"{term.url}page/{page}/",
            )
        )
