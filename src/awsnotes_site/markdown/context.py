"""Per-note render state kept in markdown-it's ``env``."""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from awsnotes_site.diagnostics import Diagnostic, Severity


@dataclass(frozen=True)
class TocEntry:
    level: int
    id: str
    title: str


class LinkRef(NamedTuple):
    """A URL written in a note: where it came from, so ``check`` can point at it. A named
    tuple: notes.json holds ten or so per note, made again on every build."""

    url: str  # as written in the note (before base-path rewriting)
    line: int
    kind: str  # "link", "image", "ref"


@dataclass
class RenderEnv:
    path: str  # display path of the note
    line_offset: int  # file line of the body's first line, minus one
    page: dict[str, Any] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    toc: list[TocEntry] = field(default_factory=list)
    links: list[LinkRef] = field(default_factory=list)
    refs: dict[str, str | None] = field(default_factory=dict)
    shortcodes: set[str] = field(default_factory=set)
    features: set[str] = field(default_factory=set)  # what the page needs: "mermaid"
    code_blocks: int = 0
    footnotes_placed: bool = False  # the body's footnote block is made (footnotes.py)

    def report(
        self, severity: Severity, line: int | None, message: str, hint: str | None = None
    ) -> None:
        self.diagnostics.append(Diagnostic(self.path, line, severity, message, hint=hint))

    def file_line(self, map_line: int | None) -> int | None:
        """Convert a 0-based body line (token.map) to a 1-based file line."""
        if map_line is None:
            return None
        return self.line_offset + map_line + 1


def get_env(env: MutableMapping[str, Any]) -> RenderEnv:
    state = env.get("awsnotes")
    if not isinstance(state, RenderEnv):
        state = RenderEnv(path="<string>", line_offset=0)
        env["awsnotes"] = state
    return state
