"""The user interface strings the pipeline puts into page contexts (page titles), one
table per language. Templates hold the rest of the interface text."""

from __future__ import annotations

DEFAULT_LANGUAGE = "ko"

STRINGS: dict[str, dict[str, str]] = {
    "ko": {
        "tags": "태그",
        "series": "시리즈",
        "search": "검색",
        "not_found": "페이지를 찾을 수 없습니다",
    },
}


def strings_for(language: str) -> dict[str, str]:
    """The table for ``language`` (``ko``, ``ko-KR``...), else the default language's."""
    primary = language.split("-")[0].lower()
    return STRINGS.get(primary, STRINGS[DEFAULT_LANGUAGE])
