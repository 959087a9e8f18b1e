"""What a build is asked to do (:class:`BuildOptions`) and what it gives back
(:class:`BuildResult`: the files, in memory or as published, and what they came from)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from awsnotes_site.config import SiteConfig
from awsnotes_site.diagnostics import Diagnostic
from awsnotes_site.model.views import NoteView

Progress = Callable[[int, int], None]


@dataclass
class BuildOptions:
    drafts: bool = False
    future: bool = False
    base_url: str | None = None
    output: str | None = None
    strict: bool = False
    use_cache: bool = True
    save_cache: bool = True  # write newly rendered notes to .cache/ (serve: off)
    progress: Progress | None = None  # (notes rendered, to render)
    now: dt.datetime | None = None
    jobs: int = 0  # worker processes for rendering notes; 0 = one per CPU
    stage: Path | None = None  # a new, empty folder: workers may write pages into it
    parallel_pages: int = 200  # render pages in workers when at least this many changed
    # CSS/JS linked as ``site.css?v=HASH`` (the build command; serve links plain URLs, so
    # that an edited stylesheet is swapped in place without a rebuild)
    asset_hashes: bool = False


@dataclass
class BuildStats:
    notes: int = 0
    pages: int = 0
    rendered_notes: int = 0
    rendered_pages: int = 0
    files: int = 0
    seconds: float = 0.0
    drafts_skipped: int = 0  # draft notes left out (0 with --drafts)
    valid_until: float | None = None  # when a note's date, publish or expiry date passes
    quick: bool = False  # notes edited in place: only the pages showing them were rendered


class PageFiles(Mapping[str, bytes]):
    """The generated files of a build: rendered now (in memory), or reused as the last
    build published them (read from the output folder only when asked for)."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.fresh: dict[str, bytes] = {}
        self.reused: set[str] = set()
        self.in_stage: set[str] = set()

    def __setitem__(self, path: str, data: bytes) -> None:
        self.fresh[path] = data
        self.reused.discard(path)

    def reuse(self, path: str) -> None:
        self.reused.add(path)
        self.fresh.pop(path, None)

    def staged(self, path: str) -> None:
        """Written by a worker into the staging folder, which becomes the output folder."""
        self.in_stage.add(path)

    def __getitem__(self, path: str) -> bytes:
        if path in self.fresh:
            return self.fresh[path]
        if path in self.reused or path in self.in_stage:
            return (self.out_dir / path).read_bytes()
        raise KeyError(path)

    def __contains__(self, path: object) -> bool:
        return path in self.fresh or path in self.reused or path in self.in_stage

    def __iter__(self) -> Iterator[str]:
        yield from self.fresh
        yield from self.reused
        yield from self.in_stage

    def __len__(self) -> int:
        return len(self.fresh) + len(self.reused) + len(self.in_stage)


@dataclass
class BuildResult:
    config: SiteConfig
    files: PageFiles
    static: dict[str, Path]
    diagnostics: list[Diagnostic]
    notes: list[NoteView]
    page_sources: dict[str, str]
    stats: BuildStats
    unchanged: frozenset[str] = frozenset()  # files read back from the published output
    images_cache: Path | None = None  # its sealed files (variants, cards) are hard-linked

    def all_paths(self) -> set[str]:
        return set(self.files) | set(self.static)
