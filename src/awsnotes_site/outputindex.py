"""Lookups in a site's file list the way a static host serves URLs (shared by the build's
missing-target warnings and ``check``; light to import)."""

from __future__ import annotations

from collections.abc import Iterable

from awsnotes_site.urls import nfc

__all__ = ["OutputIndex", "nfc"]


class OutputIndex:
    """The output's file paths, for lookups the way a static host serves them."""

    def __init__(self, paths: Iterable[str]) -> None:
        self.files: set[str] = {nfc(p) for p in paths}
        self.lower: dict[str, str] = {}
        for p in sorted(self.files):
            self.lower.setdefault(p.lower(), p)

    @staticmethod
    def candidates(rel: str) -> list[tuple[str, str]]:
        """(file, suffix the URL lacks) for a decoded path relative to the base."""
        if rel == "" or rel.endswith("/"):
            return [(rel + "index.html", "index.html")]
        return [(rel, ""), (rel + "/index.html", "/index.html"), (rel + ".html", ".html")]

    def find(self, rel: str) -> str | None:
        for path, _ in self.candidates(rel):
            if path in self.files:
                return path
        return None

    def find_other_case(self, rel: str) -> str | None:
        """The URL (relative to the base) of the file REL names in another case."""
        for path, suffix in self.candidates(rel):
            actual = self.lower.get(path.lower())
            if actual is not None:
                return actual[: len(actual) - len(suffix)] if suffix else actual
        return None
