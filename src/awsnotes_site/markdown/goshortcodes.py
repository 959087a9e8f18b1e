"""A Hugo site's own shortcode templates (``layouts/shortcodes/*.html`` and each theme's),
run with :mod:`awsnotes_site.gotemplate`.

:class:`GoShortcodes` lives on the shortcode registry, one per build: it lists the
templates of ``config.shortcode_dirs`` (first folder wins for a name) and compiles each
the first time a note uses it, once per build; a template that does not compile is an
error with its ``file:line:col`` at every use (reported once per note). The site's own
folder (``layouts/shortcodes``) and the themes' folders are kept apart because they rank
differently around the built-ins (see :mod:`.registry`).

Shortcodes nested in a ``{{< x >}}…{{< /x >}}`` template's inner text run first, their
output put in place of their tags, as Hugo does; a ``{{% x %}}`` template receives its
inner text rendered as Markdown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from awsnotes_site.markdown.shortcodes import ShortcodeSyntaxError, Tag, find_closing, parse_tag
from awsnotes_site.markdown.shortcodes.lexer import trim_inner

if TYPE_CHECKING:
    from awsnotes_site.gotemplate import Page, Site, Template, TemplateError

# The Go-template interpreter (~40 ms to import) is imported by the first shortcode
# template a note uses: a site without such templates never loads it.

SITE_DIR = Path("layouts") / "shortcodes"  # the site's own folder; any other: a theme's


@dataclass(frozen=True)
class GoSite:
    """What the templates see of the site (``.Site``) and of URLs."""

    title: str = ""
    base_url: str = "/"  # absolute when the site has one (.Permalink, absURL)
    params: Mapping[str, Any] = field(default_factory=dict)
    language_code: str = ""
    base_path: str = "/"  # the URL path the site lives under (.RelPermalink)


@dataclass
class GoShortcodes:
    """The site's Go-template shortcodes: name -> file, compiled on first use."""

    root: Path  # the project: template paths in messages are relative to it
    own: dict[str, Path]
    themes: dict[str, Path]
    site: GoSite
    compiled: dict[Path, Template | TemplateError] = field(default_factory=dict)
    inner: dict[str, bool] = field(default_factory=dict)  # name -> uses .Inner

    @classmethod
    def scan(cls, root: Path, dirs: Sequence[str], site: GoSite) -> GoShortcodes:
        """The templates in ``dirs`` (relative to ``root``, first wins for a name)."""
        own: dict[str, Path] = {}
        themes: dict[str, Path] = {}
        for rel in dirs:
            folder = root / rel
            if not folder.is_dir():
                continue
            table = own if Path(rel) == SITE_DIR else themes
            for path in sorted(folder.glob("*.html")):
                if path.stem not in own and path.stem not in themes:
                    table[path.stem] = path
        return cls(root, own, themes, site)

    def path_of(self, name: str) -> Path | None:
        return self.own.get(name) or self.themes.get(name)

    def uses_inner(self, name: str) -> bool:
        """Whether the template reads ``.Inner`` (so it must be closed, as in Hugo)."""
        found = self.inner.get(name)
        if found is None:
            path = self.path_of(name)
            try:
                text = path.read_text(encoding="utf-8") if path is not None else ""
            except (OSError, UnicodeDecodeError):
                text = ""
            found = self.inner[name] = ".Inner" in text
        return found

    def template(self, path: Path) -> Template:
        """The compiled template (raises :class:`TemplateError`, every time, if it does
        not compile)."""
        from awsnotes_site.gotemplate import TemplateError, compile

        found = self.compiled.get(path)
        if found is None:
            shown = path.relative_to(self.root).as_posix()
            try:
                found = compile(path.read_text(encoding="utf-8"), shown)
            except TemplateError as exc:
                found = exc
            except (OSError, UnicodeDecodeError) as exc:
                found = TemplateError(shown, 1, 1, f"cannot read the template: {exc}")
            self.compiled[path] = found
        if isinstance(found, TemplateError):
            raise found
        return found

    def page(self, page: Mapping[str, Any]) -> Page:
        from awsnotes_site.gotemplate import Page

        url = str(page.get("url", "")).lstrip("/")  # site-relative: "posts/x/"
        base = self.site.base_url
        rel = self.site.base_path + url
        return Page(
            title=str(page.get("title", "")),
            params=dict(page.get("params") or {}),
            permalink=base + url if base.startswith(("http://", "https://")) else rel,
            rel_permalink=rel,
            site=self.go_site(),
            path=str(page.get("rel", "")),
        )

    def go_site(self) -> Site:
        from awsnotes_site.gotemplate import Site

        return Site(
            title=self.site.title,
            base_url=self.site.base_url,
            params=dict(self.site.params),
            language_code=self.site.language_code,
        )

    def render(
        self,
        name: str,
        args: Sequence[str] | Mapping[str, str],
        inner: str | None,
        page: Mapping[str, Any],
        markdownify: Callable[[str], str],
        warn: Callable[[str], None],
        resolve_ref: Callable[[str, bool], str] | None = None,
    ) -> str:
        path = self.path_of(name)
        assert path is not None
        from awsnotes_site.gotemplate import RenderOptions, Shortcode

        template = self.template(path)
        params: Mapping[str, Any] | Sequence[Any] = (
            dict(args) if isinstance(args, Mapping) else list(args)
        )
        ctx = Shortcode(name=name, params=params, inner=inner, page=self.page(page))
        options = RenderOptions(
            base_url=self.site.base_url,
            markdownify=markdownify,
            warn=warn,
            resolve_ref=resolve_ref,
        )
        return template.render(ctx, options)


def expand_nested(text: str, run: Callable[[Tag, str | None], str]) -> str:
    """``text`` with each shortcode in it replaced by ``run(tag, inner)`` (its output),
    comments by what they print and stray closing tags dropped."""
    out: list[str] = []
    pos = done = 0
    while (i := text.find("{{", pos)) != -1:
        pos = i + 2
        if text[i + 2 : i + 3] not in ("<", "%"):
            continue
        try:
            tag = parse_tag(text, i)
        except ShortcodeSyntaxError:
            continue
        if tag.comment or tag.closing:
            out.append(text[done:i] + (tag.literal if tag.comment else ""))
            pos = done = tag.end
            continue
        closing = None if tag.self_closing else find_closing(text, tag, tag.end)
        inner = None if closing is None else trim_inner(text[tag.end : closing[0]])
        out.append(text[done:i] + run(tag, inner))
        pos = done = closing[1] if closing is not None else tag.end
    out.append(text[done:])
    return "".join(out)
