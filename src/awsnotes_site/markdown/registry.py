"""Shortcode implementations: the built-ins (``highlight``, ``figure``, ``details``,
``ref``/``relref``, ``mermaid`` and Hugo's and the themes' in :mod:`.hugo_shortcodes`),
Jinja templates in ``templates/shortcodes/NAME.html`` and a Hugo site's Go templates
(:mod:`.goshortcodes`).

Which one runs for a name, first match wins:

1. a Jinja template ``templates/shortcodes/NAME.html``;
2. the site's own Go template ``layouts/shortcodes/NAME.html``;
3. our built-in;
4. a theme's Go template ``themes/THEME/layouts/shortcodes/NAME.html`` (a theme's
   ``admonition.html`` is written for the theme's CSS; ours matches this site's).

Any other name is unknown: with ``unknown_shortcodes = "error"`` an error at each use
(the build gathers them into one per name, see :func:`unknown_name`); with ``"warn"`` a
warning, and the page shows the inner content in a marked box."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.utils import OptionsDict
from markupsafe import Markup

from awsnotes_site.diagnostics import Diagnostic, Severity
from awsnotes_site.markdown.callouts import callout_html
from awsnotes_site.markdown.context import LinkRef, RenderEnv, get_env
from awsnotes_site.markdown.core_shortcodes import Call, CoreBuiltins, ShortcodeError
from awsnotes_site.markdown.goshortcodes import GoShortcodes, expand_nested
from awsnotes_site.markdown.highlight import (
    OptionError,
)
from awsnotes_site.markdown.hugo_shortcodes import BuiltinError, HugoBuiltins
from awsnotes_site.markdown.mermaid import mermaid_shortcode
from awsnotes_site.markdown.shortcodes import Tag

BUILTINS = (
    "highlight",
    "figure",
    "details",
    "ref",
    "relref",
    "mermaid",
    *HugoBuiltins.NAMES,
)
_NEEDS_INNER = frozenset({"highlight", "details", "mermaid", *HugoBuiltins.WITH_INNER})
_UNKNOWN = re.compile(r"^unknown shortcode '([^']+)'$")


def unknown_name(diag: Diagnostic) -> str | None:
    """The shortcode name of an "unknown shortcode" diagnostic (one per use, gathered
    by the build into one per name), else None."""
    m = _UNKNOWN.match(diag.message)
    return m.group(1) if m else None


def unknown_hint(name: str) -> str:
    return (
        f"add templates/shortcodes/{name}.html (Jinja) or layouts/shortcodes/{name}.html "
        f'(Go template), or set unknown_shortcodes = "warn" to show the page meanwhile'
    )


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
            if PurePosixPath(current).name == "index.md":  # a leaf bundle: as Hugo, the
                base = base.parent  # folder that holds the bundle (its ContainerDir)
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
        *,
        go: GoShortcodes | None = None,
        site_params: Mapping[str, Any] | None = None,
        unknown: str = "error",
    ) -> None:
        self.templates_dir = templates_dir
        self.go = go
        self.unknown = unknown
        self.jinja = jinja_env
        self.resolver = resolver
        self.base_path = base_path
        self.absolute_base = absolute_base
        self.custom: dict[str, Path] = {}
        sc_dir = templates_dir / "shortcodes"
        if sc_dir.is_dir():
            for f in sorted(sc_dir.glob("*.html")):
                self.custom[f.stem] = f
        core = CoreBuiltins(base_path, self._inner_html)
        self._builtins: dict[str, Callable[[MarkdownIt, Call, OptionsDict, Any], str]] = {
            "highlight": core.highlight,
            "figure": core.figure,
            "details": core.details,
            "ref": self._ref,
            "relref": self._ref,
            "mermaid": self._mermaid,
        }
        hugo = HugoBuiltins(self._inner_html, site_params or {}, callout_html)
        self._builtins.update(hugo.table())

    def exists(self, name: str) -> bool:
        return self._kind(name) is not None

    def _kind(self, name: str) -> str | None:
        """Which implementation runs ``name`` (see the module docstring for the order)."""
        if name in self.custom:
            return "jinja"
        if self.go is not None and name in self.go.own:
            return "go"
        if name in self._builtins:
            return "builtin"
        if self.go is not None and name in self.go.themes:
            return "go"
        return None

    def requires_inner(self, name: str) -> bool:
        kind = self._kind(name)
        if kind == "jinja":
            return "inner" in self.custom[name].read_text(encoding="utf-8")
        if kind == "go":
            assert self.go is not None
            return self.go.uses_inner(name)
        return name in _NEEDS_INNER

    def render(self, md: MarkdownIt, token: Token, options: OptionsDict, env: Any) -> str:
        tag: Tag = token.meta["tag"]
        state = get_env(env)
        line = state.file_line(token.meta.get("line"))
        children = token.children if token.children else None
        if tag.delim == "%" and children is None and token.meta.get("inner") is None:
            children = []
        call = Call(tag, token.meta.get("inner"), children, line)
        kind = self._kind(tag.name)
        try:
            if kind == "jinja":
                out = self._custom(md, call, options, env)
            elif kind == "go":
                out = self._go(md, call, options, env)
            elif kind == "builtin":
                out = self._builtins[tag.name](md, call, options, env)
            elif self.unknown == "warn":
                out = self._unknown(md, call, options, env, token.block)
            else:
                message = f"unknown shortcode '{tag.name}'"
                state.report(Severity.ERROR, line, message, unknown_hint(tag.name))
                return ""
        except (ShortcodeError, OptionError, BuiltinError) as exc:
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

    def _unknown(
        self, md: MarkdownIt, call: Call, options: OptionsDict, env: Any, block: bool
    ) -> str:
        """An unknown shortcode with ``unknown_shortcodes = "warn"``: a warning, and its
        inner content shown marked."""
        state = get_env(env)
        name = call.tag.name
        state.report(Severity.WARNING, call.line, f"unknown shortcode '{name}'", unknown_hint(name))
        label = f"알 수 없는 shortcode: {html.escape(name)}"
        if not block:
            inner = md.renderInline(call.inner, env) if call.inner else ""
            mark = f'<span class="shortcode-unknown-label">[{label}]</span>'
            return f'<span class="shortcode-unknown">{mark}{" " + inner if inner else ""}</span>'
        body = self._inner_html(md, call, options, env)
        return (
            f'<div class="shortcode-unknown" data-shortcode="{html.escape(name, quote=True)}">'
            f'\n<p class="shortcode-unknown-label">{label}</p>\n{body}</div>\n'
        )

    def _go(self, md: MarkdownIt, call: Call, options: OptionsDict, env: Any) -> str:
        """A Go-template shortcode; a template error is reported at its own file:line:col."""
        assert self.go is not None
        state = get_env(env)
        inner: str | None
        if call.children is not None:  # {{% x %}}: the inner text rendered
            inner = str(md.renderer.render(call.children, options, env))
        elif call.inner is not None:  # {{< x >}}: nested shortcodes run first
            inner = self._expand_nested(md, call.inner, options, env)
        else:
            inner = None
        tag = call.tag
        args: Mapping[str, str] | list[str] = tag.named if tag.named else tag.positional

        def markdownify(text: str) -> str:
            return str(md.renderer.render(md.parse(text, env), options, env))

        def warn(message: str) -> None:
            state.report(Severity.WARNING, call.line, f"shortcode '{tag.name}': {message}")

        def resolve_ref(target: str, absolute: bool) -> str:
            url = self._link_to(target, state, absolute)
            if url is None:
                raise LookupError(f"no note found for {target!r}")
            return url

        from awsnotes_site.gotemplate import TemplateError  # loaded by go.render already

        try:
            return self.go.render(tag.name, args, inner, state.page, markdownify, warn, resolve_ref)
        except TemplateError as exc:
            diag = exc.to_diagnostic()
            if diag not in state.diagnostics:
                state.diagnostics.append(diag)
            state.report(
                Severity.ERROR, call.line, f"shortcode '{tag.name}' failed: see {exc.path}"
            )
            return ""

    def _expand_nested(self, md: MarkdownIt, text: str, options: OptionsDict, env: Any) -> str:
        """``text`` with each shortcode in it replaced by its output (Hugo runs nested
        shortcodes before their parent)."""

        def run(tag: Tag, inner: str | None) -> str:
            token = Token("shortcode", "", 0)
            token.meta = {"tag": tag} if inner is None else {"tag": tag, "inner": inner}
            get_env(env).shortcodes.add(tag.name)
            return self.render(md, token, options, env)

        return expand_nested(text, run)

    # --- built-ins ------------------------------------------------------------
    def _mermaid(self, md: MarkdownIt, call: Call, options: OptionsDict, env: Any) -> str:
        return mermaid_shortcode(call.inner, env, call.line)

    def _ref(self, md: MarkdownIt, call: Call, options: OptionsDict, env: Any) -> str:
        return html.escape(self._ref_url(call.tag, get_env(env)), quote=True)

    def _ref_url(self, tag: Tag, state: RenderEnv) -> str:
        target = tag.positional[0] if tag.positional else tag.named.get("path", "")
        if not target:
            raise ShortcodeError('needs the path of a note, e.g. {{< ref "posts/x.md" >}}')
        url = self._link_to(target, state, absolute=tag.name == "ref")
        if url is None:
            raise ShortcodeError(f"no note found for {target!r}")
        return url

    def _link_to(self, target: str, state: RenderEnv, absolute: bool) -> str | None:
        """``ref`` (absolute) / ``relref``: the URL of the note TARGET names, recorded as a
        dependency of the page; None when no note has that name."""
        url = self.resolver.resolve(target, state.page.get("rel", ""))
        state.refs[target] = url
        if url is None or url.startswith("#"):
            return url
        return (self.absolute_base if absolute else self.base_path) + url

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
