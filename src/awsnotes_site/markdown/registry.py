"""Shortcode implementations: the built-ins (``highlight``, ``figure``, ``details``,
``ref``/``relref``) and user templates in ``templates/shortcodes/NAME.html``."""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.utils import OptionsDict
from markupsafe import Markup

from awsnotes_site.diagnostics import Severity
from awsnotes_site.markdown.context import LinkRef, RenderEnv, get_env
from awsnotes_site.markdown.figures import Figure, clean_classes, figure_html
from awsnotes_site.markdown.highlight import (
    OptionError,
    parse_options,
    render_code,
    split_options,
    unknown_message,
)
from awsnotes_site.markdown.shortcodes import Tag
from awsnotes_site.markdown.shortcodes.lexer import unescape_comments
from awsnotes_site.markdown.urls import with_base

BUILTINS = ("highlight", "figure", "details", "ref", "relref")


class ShortcodeError(ValueError):
    pass


@dataclass(frozen=True)
class Call:
    tag: Tag
    inner: str | None
    children: list[Token] | None
    line: int | None = None


class RefResolver:
    """Resolves ``ref``/``relref`` targets (``posts/x.md``, ``x``, ``../y.md#id``) to URLs."""

    def __init__(self, notes: Mapping[str, str]) -> None:
        # notes: content-relative path ("posts/x.md") -> site-relative URL ("posts/x/")
        self.by_path = dict(notes)

    @cached_property
    def by_name(self) -> dict[str, list[str]]:
        """Name, stem and path without suffix -> notes; made when first needed (most
        builds resolve no ``ref`` by bare name)."""
        by_name: dict[str, list[str]] = {}
        for rel in self.by_path:
            p = PurePosixPath(rel)
            for key in (p.name, p.stem, str(p.with_suffix(""))):
                by_name.setdefault(key, []).append(rel)
        return by_name

    def resolve(self, target: str, current: str) -> str | None:
        path, _, fragment = target.partition("#")
        frag = f"#{fragment}" if fragment else ""
        if not path:
            return frag or None
        candidates = []
        clean = path.strip("/")
        if not path.startswith("/"):
            base = PurePosixPath(current).parent
            joined = _normalize(str(base / path))
            if joined is not None:
                candidates += [joined, joined + ".md", joined + "/index.md"]
        candidates += [clean, clean + ".md", clean + "/index.md"]
        for cand in candidates:
            if cand in self.by_path:
                return self.by_path[cand] + frag
        matches = self.by_name.get(clean, [])
        if len(matches) == 1:
            return self.by_path[matches[0]] + frag
        return None


def _normalize(path: str) -> str | None:
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(part)
    return "/".join(parts)


class ShortcodeRegistry:
    def __init__(
        self,
        templates_dir: Path,
        jinja_env: jinja2.Environment | None,
        resolver: RefResolver,
        base_path: str,
        absolute_base: str,
    ) -> None:
        self.templates_dir = templates_dir
        self.jinja = jinja_env
        self.resolver = resolver
        self.base_path = base_path
        self.absolute_base = absolute_base
        self.custom: dict[str, Path] = {}
        sc_dir = templates_dir / "shortcodes"
        if sc_dir.is_dir():
            for f in sorted(sc_dir.glob("*.html")):
                self.custom[f.stem] = f
        self._builtins: dict[str, Callable[[MarkdownIt, Call, OptionsDict, Any], str]] = {
            "highlight": self._highlight,
            "figure": self._figure,
            "details": self._details,
            "ref": self._ref,
            "relref": self._ref,
        }

    def exists(self, name: str) -> bool:
        return name in self.custom or name in self._builtins

    def requires_inner(self, name: str) -> bool:
        if name in self.custom:
            return "inner" in self.custom[name].read_text(encoding="utf-8")
        return name in ("highlight", "details")

    def render(self, md: MarkdownIt, token: Token, options: OptionsDict, env: Any) -> str:
        tag: Tag = token.meta["tag"]
        state = get_env(env)
        line = state.file_line(token.meta.get("line"))
        children = token.children if token.children else None
        if tag.delim == "%" and children is None and token.meta.get("inner") is None:
            children = []
        call = Call(tag, token.meta.get("inner"), children, line)
        try:
            if tag.name in self.custom:
                out = self._custom(md, call, options, env)
            elif tag.name in self._builtins:
                out = self._builtins[tag.name](md, call, options, env)
            else:
                known = ", ".join(sorted({*self._builtins, *self.custom}))
                raise ShortcodeError(
                    f"unknown shortcode '{tag.name}' (known: {known}; add your own as "
                    f"templates/shortcodes/{tag.name}.html)"
                )
        except (ShortcodeError, OptionError) as exc:
            state.report(Severity.ERROR, line, f"shortcode '{tag.name}': {exc}")
            return ""
        if tag.name in ("ref", "relref"):
            state.links.append(LinkRef(" ".join(tag.positional), line or 0, "ref"))
        if token.block and not out.endswith("\n"):
            out += "\n"
        return out

    def link_target(self, tag: Tag, env: Any, line: int) -> str:
        """The URL for ``[text]({{< ref "x" >}})``; unresolved refs are reported."""
        state = get_env(env)
        file_line = state.file_line(line)
        try:
            url = self._ref_url(tag, state)
        except ShortcodeError as exc:
            state.report(Severity.ERROR, file_line, f"shortcode '{tag.name}': {exc}")
            return "#"
        if tag.name == "relref" and url.startswith(self.base_path):
            # root-relative: the URL rule adds the base path and records the link
            url = "/" + url[len(self.base_path) :]
        return url

    # --- helpers -------------------------------------------------------------
    def _inner_html(self, md: MarkdownIt, call: Call, options: OptionsDict, env: Any) -> str:
        if call.children is not None:
            return str(md.renderer.render(call.children, options, env))
        if call.inner is None:
            return ""
        tokens = md.parse(call.inner, env)
        return str(md.renderer.render(tokens, options, env))

    # --- built-ins ------------------------------------------------------------
    def _highlight(self, md: MarkdownIt, call: Call, options: OptionsDict, env: Any) -> str:
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

    def _figure(self, md: MarkdownIt, call: Call, options: OptionsDict, env: Any) -> str:
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

    def _details(self, md: MarkdownIt, call: Call, options: OptionsDict, env: Any) -> str:
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

    def _ref(self, md: MarkdownIt, call: Call, options: OptionsDict, env: Any) -> str:
        return html.escape(self._ref_url(call.tag, get_env(env)), quote=True)

    def _ref_url(self, tag: Tag, state: RenderEnv) -> str:
        target = tag.positional[0] if tag.positional else tag.named.get("path", "")
        if not target:
            raise ShortcodeError('needs the path of a note, e.g. {{< ref "posts/x.md" >}}')
        url = self.resolver.resolve(target, state.page.get("rel", ""))
        state.refs[target] = url
        if url is None:
            raise ShortcodeError(f"no note found for {target!r}")
        if url.startswith("#"):
            return url
        base = self.absolute_base if tag.name == "ref" else self.base_path
        return base + url

    def _custom(self, md: MarkdownIt, call: Call, options: OptionsDict, env: Any) -> str:
        if self.jinja is None:
            raise ShortcodeError("templates are not available")
        state = get_env(env)
        positional = call.tag.positional
        named = call.tag.named

        def get(key: int | str, default: Any = "") -> Any:
            if isinstance(key, int):
                return positional[key] if 0 <= key < len(positional) else default
            return named.get(key, default)

        try:
            template = self.jinja.get_template(f"shortcodes/{call.tag.name}.html")
            return template.render(
                name=call.tag.name,
                args=positional,
                params=named,
                get=get,
                inner=call.inner or "",
                inner_html=Markup(self._inner_html(md, call, options, env)),
                page=state.page,
                site=self.jinja.globals.get("site"),
            )
        except jinja2.TemplateError as exc:
            where = f"templates/shortcodes/{call.tag.name}.html"
            lineno = getattr(exc, "lineno", None)
            raise ShortcodeError(
                f"template {where}{':' + str(lineno) if lineno else ''}: {exc}"
            ) from None
