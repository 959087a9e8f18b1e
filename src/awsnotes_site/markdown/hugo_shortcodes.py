"""Hugo's embedded shortcodes and the theme shortcodes Korean Hugo blogs use most, as
built-ins: ``youtube``, ``vimeo``, ``gist``, ``x``/``tweet``, ``instagram``, ``param``;
``admonition`` (LoveIt/DoIt/FixIt), ``notice``, ``hint``, ``expand``, ``tabs``/``tab``,
``columns`` (hugo-book), ``alert`` (Blowfish/Congo).

Third-party embeds load nothing from outside until the reader asks: each is a placeholder
with the title and a plain link (which works without scripts); ``site.js`` swaps in the
player's ``<iframe>`` (from ``data-embed``) when its button is pressed."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from markdown_it import MarkdownIt
from markdown_it.utils import OptionsDict

from awsnotes_site.markdown.context import get_env

Builtin = Callable[[MarkdownIt, Any, OptionsDict, Any], str]
InnerHtml = Callable[[MarkdownIt, Any, OptionsDict, Any], str]
CalloutHtml = Callable[[str, str, str, str | None], str]  # kind, title html, body html, fold


class BuiltinError(ValueError):
    """A built-in shortcode used wrongly: reported as an error at the shortcode's line."""


_ID = re.compile(r"^[A-Za-z0-9_-]+$")
_COLUMNS_SPLIT = re.compile(r"^\s*<--->\s*$", re.MULTILINE)
CALLOUT_KINDS = {
    # theme word -> our callout kind
    "note": "note", "info": "info", "tip": "tip", "abstract": "abstract",
    "summary": "abstract", "success": "success", "question": "question",
    "warning": "warning", "failure": "failure", "danger": "danger", "error": "danger",
    "bug": "bug", "example": "example", "quote": "quote", "important": "important",
    "caution": "caution",
}  # fmt: skip


def _arg(call: Any, name: str, index: int, default: str = "") -> str:
    tag = call.tag
    if name in tag.named:
        return str(tag.named[name])
    if not tag.named and 0 <= index < len(tag.positional):
        return str(tag.positional[index])
    return default


def _true(value: str) -> bool:
    return value.strip().lower() in ("true", "1", "yes", "open")


@dataclass(frozen=True)
class Embed:
    kind: str  # "youtube", …
    label: str  # "YouTube 동영상"
    title: str
    link: str  # what the plain link opens
    frame: str  # the iframe src loaded on request
    ratio: str = "16 / 9"

    def html(self) -> str:
        title = html.escape(self.title or self.label)
        link = html.escape(self.link, quote=True)
        frame = html.escape(self.frame, quote=True)
        return (
            f'<div class="embed embed-{self.kind}" data-embed="{frame}" '
            f'data-embed-title="{title}" style="aspect-ratio: {self.ratio}">\n'
            f'<p class="embed-title">{html.escape(self.label)}: {title}</p>\n'
            f'<p class="embed-actions"><button type="button" class="embed-load">'
            f"불러오기</button> "
            f'<a href="{link}" rel="noopener">{html.escape(self.label)} 열기</a></p>\n'
            f'<p class="embed-note">누르기 전에는 외부 사이트에서 아무것도 불러오지 '
            f"않습니다.</p>\n</div>\n"
        )


class HugoBuiltins:
    """The built-ins, bound to what they need from the build."""

    NAMES = (
        "youtube", "vimeo", "gist", "x", "tweet", "instagram", "param", "admonition",
        "notice", "hint", "expand", "tabs", "tab", "columns", "alert",
    )  # fmt: skip
    WITH_INNER = ("admonition", "notice", "hint", "expand", "tabs", "tab", "columns", "alert")

    def __init__(
        self,
        inner_html: InnerHtml,
        site_params: Mapping[str, Any],
        callout: CalloutHtml,
        mermaid: Callable[[str], str] | None = None,
    ) -> None:
        self.inner_html = inner_html
        self.site_params = site_params
        self.callout = callout
        self.mermaid = mermaid

    def table(self) -> dict[str, Builtin]:
        table: dict[str, Builtin] = {
            "youtube": self.youtube,
            "vimeo": self.vimeo,
            "gist": self.gist,
            "x": self.x,
            "tweet": self.x,
            "instagram": self.instagram,
            "param": self.param,
            "admonition": self.admonition,
            "notice": self.notice,
            "hint": self.hint,
            "expand": self.expand,
            "tabs": self.tabs,
            "tab": self.tab,
            "columns": self.columns,
            "alert": self.alert,
        }
        if self.mermaid is not None:
            table["mermaid"] = self.mermaid_shortcode
        return table

    # -- embeds -----------------------------------------------------------------
    def youtube(self, md: MarkdownIt, call: Any, options: OptionsDict, env: Any) -> str:
        video = _arg(call, "id", 0)
        if not _ID.match(video):
            raise BuiltinError('needs a video id, e.g. {{< youtube id="w7Ft2ymGmfc" >}}')
        query = {"autoplay": "1"}
        for key in ("start", "end"):
            if call.tag.named.get(key, "").isdigit():
                query[key] = call.tag.named[key]
        title = call.tag.named.get("title", "")
        return Embed(
            "youtube",
            "YouTube 동영상",
            title,
            f"https://www.youtube.com/watch?v={video}",
            f"https://www.youtube-nocookie.com/embed/{video}?{urlencode(query)}",
        ).html()

    def vimeo(self, md: MarkdownIt, call: Any, options: OptionsDict, env: Any) -> str:
        video = _arg(call, "id", 0)
        if not video.isdigit():
            raise BuiltinError('needs a numeric video id, e.g. {{< vimeo id="55073825" >}}')
        return Embed(
            "vimeo",
            "Vimeo 동영상",
            call.tag.named.get("title", ""),
            f"https://vimeo.com/{video}",
            f"https://player.vimeo.com/video/{video}?dnt=1&autoplay=1",
        ).html()

    def gist(self, md: MarkdownIt, call: Any, options: OptionsDict, env: Any) -> str:
        user, gist_id = _arg(call, "user", 0), _arg(call, "id", 1)
        file = _arg(call, "file", 2)
        if not _ID.match(user) or not _ID.match(gist_id):
            raise BuiltinError("needs a user and a gist id, e.g. {{< gist user 0123abcd >}}")
        page = f"https://gist.github.com/{quote(user)}/{quote(gist_id)}"
        frame = page + ".pibb" + (f"?file={quote(file)}" if file else "")
        return Embed("gist", "GitHub Gist", file or gist_id, page, frame, "4 / 3").html()

    def x(self, md: MarkdownIt, call: Any, options: OptionsDict, env: Any) -> str:
        user, post = _arg(call, "user", 0), _arg(call, "id", 1)
        if not post.isdigit():
            raise BuiltinError('needs user= and a numeric id=, e.g. {{< x user="a" id="1" >}}')
        return Embed(
            "x",
            "X 게시물",
            f"@{user}" if user else post,
            f"https://x.com/{quote(user or 'i')}/status/{post}",
            f"https://platform.twitter.com/embed/Tweet.html?id={post}&dnt=true",
            "4 / 5",
        ).html()

    def instagram(self, md: MarkdownIt, call: Any, options: OptionsDict, env: Any) -> str:
        post = _arg(call, "id", 0)
        if not _ID.match(post):
            raise BuiltinError("needs a post id, e.g. {{< instagram CxOWiQNP2MO >}}")
        page = f"https://www.instagram.com/p/{post}/"
        return Embed("instagram", "Instagram 게시물", post, page, page + "embed/", "4 / 5").html()

    # -- text --------------------------------------------------------------------
    def param(self, md: MarkdownIt, call: Any, options: OptionsDict, env: Any) -> str:
        key = _arg(call, "name", 0)
        if not key:
            raise BuiltinError('needs a parameter name, e.g. {{< param "author" >}}')
        page_params = get_env(env).page.get("params") or {}
        for source in (page_params, self.site_params):
            value = _lookup(source, key)
            if value is not None:
                return html.escape(str(value))
        raise BuiltinError(f"no page or site parameter {key!r}")

    # -- callouts ----------------------------------------------------------------
    def _callout(
        self, md: MarkdownIt, call: Any, options: OptionsDict, env: Any, kind: str, title: str,
        fold: str | None,
    ) -> str:  # fmt: skip
        body = self.inner_html(md, call, options, env)
        kind = CALLOUT_KINDS.get(kind.lower(), "note")
        title_html = md.renderInline(title, env) if title else ""
        return self.callout(kind, title_html, body, fold)

    def admonition(self, md: MarkdownIt, call: Any, options: OptionsDict, env: Any) -> str:
        kind = _arg(call, "type", 0, "note")
        title = _arg(call, "title", 1)
        opened = _arg(call, "open", 2, "") or call.tag.named.get("details", "")
        fold = None if not opened else ("+" if _true(opened) else "-")
        if call.tag.named.get("details") and _true(call.tag.named["details"]):
            fold = "+"
        return self._callout(md, call, options, env, kind, title, fold)

    def notice(self, md: MarkdownIt, call: Any, options: OptionsDict, env: Any) -> str:
        kind = _arg(call, "type", 0, "note")
        return self._callout(md, call, options, env, kind, _arg(call, "title", 1), None)

    def hint(self, md: MarkdownIt, call: Any, options: OptionsDict, env: Any) -> str:
        kind = _arg(call, "type", 0, "info")
        return self._callout(md, call, options, env, kind, _arg(call, "title", 1), None)

    def alert(self, md: MarkdownIt, call: Any, options: OptionsDict, env: Any) -> str:
        icon = _arg(call, "icon", 0, "triangle-exclamation")
        kind = {"circle-info": "info", "lightbulb": "tip", "fire": "danger"}.get(icon, "warning")
        return self._callout(md, call, options, env, kind, "", None)

    def expand(self, md: MarkdownIt, call: Any, options: OptionsDict, env: Any) -> str:
        title = _arg(call, "title", 0, "펼치기") or "펼치기"
        opened = _true(_arg(call, "open", 1, "false"))
        body = self.inner_html(md, call, options, env)
        return (
            f'<details class="expand"{" open" if opened else ""}>\n'
            f"<summary>{md.renderInline(title, env)}</summary>\n{body}</details>\n"
        )

    # -- layout ------------------------------------------------------------------
    def tabs(self, md: MarkdownIt, call: Any, options: OptionsDict, env: Any) -> str:
        group = env["tab_groups"] = env.get("tab_groups", 0) + 1  # per note, not per build
        body = self.inner_html(md, call, options, env)
        return f'<div class="tabs" data-tabs="{group}">\n{body}</div>\n'

    def tab(self, md: MarkdownIt, call: Any, options: OptionsDict, env: Any) -> str:
        name = _arg(call, "name", 0, "탭") or "탭"
        body = self.inner_html(md, call, options, env)
        label = html.escape(name, quote=True)
        return (
            f'<div class="tab" role="group" aria-label="{label}">\n'
            f'<p class="tab-title">{label}</p>\n{body}</div>\n'
        )

    def columns(self, md: MarkdownIt, call: Any, options: OptionsDict, env: Any) -> str:
        parts = _COLUMNS_SPLIT.split(call.inner or "")
        columns = [
            f'<div class="column">\n{md.render(part, env) if part.strip() else ""}</div>\n'
            for part in parts
        ]
        return f'<div class="columns">\n{"".join(columns)}</div>\n'

    def mermaid_shortcode(self, md: MarkdownIt, call: Any, options: OptionsDict, env: Any) -> str:
        assert self.mermaid is not None
        return self.mermaid(call.inner or "")


def _lookup(params: Mapping[str, Any], key: str) -> Any:
    """``a.b`` in nested params, keys compared case-insensitively (as Hugo does)."""
    value: Any = params
    for part in key.split("."):
        if not isinstance(value, Mapping):
            return None
        lowered = {str(k).lower(): v for k, v in value.items()}
        if part.lower() not in lowered:
            return None
        value = lowered[part.lower()]
    return value
