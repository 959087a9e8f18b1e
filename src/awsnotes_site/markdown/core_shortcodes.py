"""The built-in shortcodes of our own: ``highlight``, ``figure`` and ``details`` (Hugo's
embedded ones of the same names, as :mod:`.registry` runs them)."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from awsnotes_site.diagnostics import Severity
from awsnotes_site.markdown.context import LinkRef, RenderEnv, get_env
from awsnotes_site.markdown.figures import Figure, clean_classes, figure_html
from awsnotes_site.markdown.highlight import (
    parse_options,
    render_code,
    split_options,
    unknown_message,
)
from awsnotes_site.markdown.shortcodes import Tag
from awsnotes_site.markdown.shortcodes.lexer import unescape_comments
from awsnotes_site.markdown.urls import with_base


class ShortcodeError(ValueError):
    pass


@dataclass(frozen=True)
class Call:
    tag: Tag
    inner: str | None
    children: list[Token] | None
    line: int | None = None


InnerHtml = Callable[[MarkdownIt, Call, OptionsDict, Any], str]


class CoreBuiltins:
    """``highlight``, ``figure`` and ``details``, bound to the site's base path."""

    def __init__(self, base_path: str, inner_html: InnerHtml) -> None:
        self.base_path = base_path
        self._inner_html = inner_html

    def highlight(self, md: MarkdownIt, call: Call, options: OptionsDict, env: Any) -> str:
        tag = call.tag
        if tag.named:
            raise ShortcodeError("takes positional arguments: language and options")
        if not tag.positional:
            raise ShortcodeError('needs a language, e.g. {{< highlight bash "linenos=true" >}}')
        if len(tag.positional) > 2:
            raise ShortcodeError("takes at most two arguments: language and options")
        lang = tag.positional[0]
        unknown: list[str] = []
        opts = parse_options(
            split_options(tag.positional[1] if len(tag.positional) > 1 else ""),
            options.get("highlight_defaults"),
            unknown,
        )
        state: RenderEnv = get_env(env)
        if unknown:
            state.report(
                Severity.WARNING, call.line, f"shortcode 'highlight': {unknown_message(unknown)}"
            )
        code = unescape_comments(call.inner or "")  # as Hugo prints comments in code
        return render_code(code, lang, opts, state, call.line)

    def figure(self, md: MarkdownIt, call: Call, options: OptionsDict, env: Any) -> str:
        a = call.tag.named
        if call.tag.positional:
            raise ShortcodeError('takes named arguments, e.g. {{< figure src="/x.png" >}}')
        allowed = {
            "src",
            "alt",
            "caption",
            "title",
            "link",
            "width",
            "height",
            "class",
            "target",
            "rel",
            "attr",
            "attrlink",
            "loading",
        }
        unknown = set(a) - allowed
        if unknown:
            raise ShortcodeError(f"unknown argument(s) {', '.join(sorted(unknown))}")
        if not a.get("src"):
            raise ShortcodeError("needs src=")
        for dim in ("width", "height"):
            if a.get(dim) and not a[dim].isdigit():
                raise ShortcodeError(f"{dim} must be a number of pixels, not {a[dim]!r}")
        state = get_env(env)
        state.links.append(LinkRef(a["src"], call.line or 0, "image"))
        caption = md.renderInline(a["caption"], env) if a.get("caption") else ""
        if a.get("attr"):
            caption += (" " if caption else "") + html.escape(a["attr"])
        fig = Figure(
            src=with_base(a["src"], self.base_path),
            alt=a.get("alt", ""),
            caption_html=caption,
            title=a.get("title", ""),
            link=with_base(a.get("link", ""), self.base_path),
            width=a.get("width", ""),
            height=a.get("height", ""),
            img_classes=[],
            figure_classes=clean_classes(a.get("class")),
        )
        if not fig.alt and not caption:
            state.report(Severity.WARNING, call.line, f"figure {a['src']!r} has no alt or caption")
        return figure_html(fig)

    def details(self, md: MarkdownIt, call: Call, options: OptionsDict, env: Any) -> str:
        a = call.tag.named
        summary = a.get("summary") or (call.tag.positional[0] if call.tag.positional else "자세히")
        is_open = a.get("open", "false").lower() in ("true", "open", "1")
        classes = " ".join(["details", *a.get("class", "").split()])
        attrs = f' class="{html.escape(classes, quote=True)}"'
        inner = self._inner_html(md, call, options, env)
        return (
            f"<details{attrs}{' open' if is_open else ''}>\n"
            f"<summary>{md.renderInline(summary, env)}</summary>\n{inner}</details>\n"
        )
