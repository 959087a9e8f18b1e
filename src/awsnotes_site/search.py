"""Search index (interim: documents only; the Korean n-gram index replaces this)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class SearchDoc:
    url: str  # site-relative URL path, e.g. "posts/x/"
    title: str
    date: str  # ISO date or ""
    tags: list[str]
    text: str  # plain text of the note


def build_index(docs: Sequence[SearchDoc]) -> str:
    return json.dumps({"docs": [asdict(d) for d in docs]}, ensure_ascii=False)
