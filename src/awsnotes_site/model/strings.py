"""The user interface strings, one table per language (``ko`` is the default and every
other table has exactly its keys): the page titles the pipeline puts into contexts, the
text templates show (``strings.X``) and the text the theme's scripts use (``js_*``, given
to them as JSON when the site is not in Korean). Dates are formatted per language too."""

from __future__ import annotations

import datetime as dt

DEFAULT_LANGUAGE = "ko"

_KO: dict[str, str] = {
    "tags": "태그",
    "series": "시리즈",
    "search": "검색",
    "not_found": "페이지를 찾을 수 없습니다",
    "archive": "보관함",
    "categories": "카테고리",
    "skip_link": "본문으로 건너뛰기",
    "heading_anchor": "이 제목의 링크",
    "site_nav": "사이트",
    "notes_nav": "글 목록",
    "site_search": "사이트 검색",
    "search_placeholder": "검색 ( / )",
    "theme_to_dark": "다크 모드",
    "theme_to_light": "라이트 모드",
    "theme_title_dark": "어두운 화면으로 바꾸기",
    "theme_title_light": "밝은 화면으로 바꾸기",
    "recent": "최근 글",
    "no_notes": "아직 글이 없습니다.",
    "no_tags": "아직 태그가 없습니다.",
    "minutes": "{n}분 분량",
    "updated": "마지막 수정",
    "pinned": "고정됨",
    "toc": "목차",
    "prev_next": "이전 글과 다음 글",
    "prev": "이전 글",
    "next": "다음 글",
    "related": "관련 글",
    "series_label": "시리즈: {name}",
    "pages": "페이지",
    "prev_page": "← 이전 페이지",
    "next_page": "다음 페이지 →",
    "count": "{n}개",
    "notes_count": "글 {n}개",
    "series_count": "{n}편",
    "tag_title": "태그: {name}",
    "tag_feed": "이 태그의 Atom 피드",
    "tag_description": "{site}: '{name}' 태그가 붙은 글 {n}개",
    "series_description": "{site}: '{name}' 시리즈 ({n}편)",
    "series_position": "{n}편 중 {i}번째",
    "series_first": "첫 글",
    "series_last": "마지막 글",
    "series_all": "시리즈 전체 목록 ({n}편)",
    "search_or": "로 가거나 ",
    "search_verb": "해 보세요.",
    "archive_description": "{site}: 글 {n}개를 연도와 달별로",
    "category_title": "카테고리: {name}",
    "comments_show": "댓글 보기",
    "comments": "댓글",
    "not_found_text": "주소가 바뀌었거나 없는 페이지입니다.",
    "go_home": "첫 페이지",
    "search_page": "검색 페이지",
    "search_label": "검색어",
    "search_example": "예: 인스턴스, ㅂㅊㄱㄹ, IMDSv2",
    "search_needs_js": "검색에는 JavaScript가 필요합니다.",
    "archive_month": "{year}년 {month}월",
    "archive_year": "{year}년",
    "js_copy": "복사",
    "js_copied": "복사됨",
    "js_copy_failed": "복사 실패",
    "js_copy_failed_long": "복사하지 못했습니다. 코드를 직접 선택해 복사하세요.",
    "js_code": "코드 ",
    "js_close": "닫기",
    "js_zoomed": "확대한 이미지",
    "js_zoom": "이미지 확대",
    "js_more": "결과 더 보기",
    "js_index_failed": "검색 색인을 불러오지 못했습니다.",
    "js_index_loading": "검색 색인을 불러오는 중…",
    "js_results": "개의 결과",
    "js_no_results": "결과가 없습니다",
}

_EN: dict[str, str] = {
    "tags": "Tags",
    "series": "Series",
    "search": "Search",
    "not_found": "Page not found",
    "archive": "Archive",
    "categories": "Categories",
    "skip_link": "Skip to content",
    "heading_anchor": "Link to this heading",
    "site_nav": "Site",
    "notes_nav": "Notes",
    "site_search": "Site search",
    "search_placeholder": "Search ( / )",
    "theme_to_dark": "Dark mode",
    "theme_to_light": "Light mode",
    "theme_title_dark": "Switch to the dark theme",
    "theme_title_light": "Switch to the light theme",
    "recent": "Recent notes",
    "no_notes": "No notes yet.",
    "no_tags": "No tags yet.",
    "minutes": "{n} min read",
    "updated": "Updated",
    "pinned": "Pinned",
    "toc": "Contents",
    "prev_next": "Previous and next notes",
    "prev": "Previous",
    "next": "Next",
    "related": "Related notes",
    "series_label": "Series: {name}",
    "pages": "Pages",
    "prev_page": "← Previous page",
    "next_page": "Next page →",
    "count": "{n}",
    "notes_count": "{n} notes",
    "series_count": "{n} parts",
    "tag_title": "Tag: {name}",
    "tag_feed": "Atom feed of this tag",
    "tag_description": "{site}: {n} notes tagged '{name}'",
    "series_description": "{site}: the series '{name}' ({n} parts)",
    "series_position": "part {i} of {n}",
    "series_first": "First part",
    "series_last": "Last part",
    "series_all": "All {n} parts of the series",
    "search_or": " page, or ",
    "search_verb": ".",
    "archive_description": "{site}: {n} notes by year and month",
    "category_title": "Category: {name}",
    "comments_show": "Show comments",
    "comments": "Comments",
    "not_found_text": "The address changed or the page does not exist.",
    "go_home": "Home",
    "search_page": "Search page",
    "search_label": "Search terms",
    "search_example": "e.g. instance, IMDSv2",
    "search_needs_js": "Search needs JavaScript.",
    "archive_month": "{month_name} {year}",
    "archive_year": "{year}",
    "js_copy": "Copy",
    "js_copied": "Copied",
    "js_copy_failed": "Copy failed",
    "js_copy_failed_long": "Could not copy. Select the code and copy it yourself.",
    "js_code": "Code ",
    "js_close": "Close",
    "js_zoomed": "Enlarged image",
    "js_zoom": "Enlarge image",
    "js_more": "More results",
    "js_index_failed": "The search index could not be loaded.",
    "js_index_loading": "Loading the search index…",
    "js_results": " results",
    "js_no_results": "No results",
}

STRINGS: dict[str, dict[str, str]] = {"ko": _KO, "en": _EN}

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def language_of(language: str) -> str:
    """The table's language for ``language`` (``ko``, ``ko-KR``, ``en-US``...)."""
    primary = language.split("-")[0].lower()
    return primary if primary in STRINGS else DEFAULT_LANGUAGE


def strings_for(language: str) -> dict[str, str]:
    """The table for ``language`` (``ko``, ``ko-KR``...), else the default language's."""
    return STRINGS[language_of(language)]


def script_strings(language: str) -> dict[str, str]:
    """The strings the theme's scripts use (``js_*``, without the prefix)."""
    table = strings_for(language)
    return {k[3:]: v for k, v in table.items() if k.startswith("js_")}


def format_date(value: dt.date | dt.datetime | None, language: str) -> str:
    """``2023년 3월 26일`` in Korean, ``March 26, 2023`` in English."""
    if value is None:
        return ""
    if language_of(language) == "en":
        return f"{_MONTHS[value.month - 1]} {value.day}, {value.year}"
    return f"{value.year}년 {value.month}월 {value.day}일"


def month_label(year: int, month: int, language: str) -> str:
    """An archive heading for one month (``2023년 3월``, ``March 2023``)."""
    table = strings_for(language)
    return table["archive_month"].format(year=year, month=month, month_name=_MONTHS[month - 1])
