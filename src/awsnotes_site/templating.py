"""The Jinja2 environment: templates from the site's ``templates/``, then the packaged
theme's (a site's file overrides the theme's of the same name), autoescaped, strict about
undefined."""

from __future__ import annotations

import hashlib
import json
import traceback
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
import jinja2.meta
from markupsafe import Markup

from awsnotes_site.config import SiteConfig
from awsnotes_site.diagnostics import BuildError, Diagnostic, error
from awsnotes_site.model.note import slugify_name
from awsnotes_site.model.strings import format_date, script_strings, strings_for
from awsnotes_site.text import korean_date, script_safe_json
from awsnotes_site.theme import TEMPLATES_DIR as THEME_TEMPLATES


@lru_cache(maxsize=100_000)
def iri_to_uri(url: str) -> str:
    """Percent-encode non-ASCII characters (for feeds, sitemaps and HTTP headers)."""
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~")


def json_script(value: Any) -> Markup:
    """JSON safe to put inside ``<script>``: ``<``, ``>``, ``&`` and U+2028/9 escaped."""
    return Markup(script_safe_json(json.dumps(value, ensure_ascii=False, sort_keys=True)))


def template_dirs(config: SiteConfig) -> tuple[Path, ...]:
    """Where templates are looked up, first match wins: the site's ``templates/``, then the
    packaged theme's."""
    return (config.templates_dir, THEME_TEMPLATES)


def create_environment(config: SiteConfig, bytecode_dir: Path | None = None) -> jinja2.Environment:
    """Templates come from :func:`template_dirs`. ``bytecode_dir``: keep compiled
    templates there (Jinja checks each against its source and its own version before
    using it). Templates are not checked for changes on each use (``auto_reload``: a stat
    per page and template); the build drops the compiled ones when a file in either
    folder changed (:func:`forget_templates`)."""
    cache = None
    if bytecode_dir is not None:
        try:
            bytecode_dir.mkdir(parents=True, exist_ok=True)
            cache = jinja2.FileSystemBytecodeCache(str(bytecode_dir))
        except OSError:
            cache = None
    env = jinja2.Environment(
        bytecode_cache=cache,
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(config)]),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    base = config.base_path
    absolute = config.absolute_base

    def url_for(path: str = "") -> str:
        if path.startswith(("http://", "https://", "//", "#", "mailto:")):
            return path
        return base + path.lstrip("/")

    def abs_url(path: str = "") -> str:
        return iri_to_uri(absolute + path.lstrip("/"))

    @jinja2.pass_context
    def url(_context: jinja2.runtime.Context, path: str = "") -> str:
        """``{{ path | url }}`` is ``url_for(path)`` as a filter (like Hugo's ``relURL``).
        Compiled templates call a filter directly, where a function call goes through
        ``Context.call`` (~1.3 µs more; a note page has ~35 links). ``pass_context``
        keeps Jinja from evaluating it on constants at compile time: compiled templates
        are cached in ``.cache/jinja`` by their source alone, so they must not hold the
        base path."""
        return url_for(path)

    language = config.language
    env.globals.update(url_for=url_for, abs_url=abs_url, strings=strings_for(language))
    env.globals.update(script_strings=script_strings(language), comments=config.comments)
    env.globals.update(has_categories="categories" in config.taxonomies.values())
    env.filters.update(
        url=url,
        korean_date=korean_date,
        local_date=lambda d: format_date(d, language),
        term_url=lambda name, plural: f"{plural}/{slugify_name(str(name)) or '_'}/",
        iso_date=lambda d: d.isoformat() if d else "",
        json_script=json_script,
        iri=iri_to_uri,
    )
    return env


def forget_templates(env: jinja2.Environment) -> None:
    """Drop the compiled templates kept by ``env``: the next use loads them again."""
    if env.cache is not None:
        env.cache.clear()


class TemplateHashes:
    """Hashes of a template together with everything it extends, includes or imports. Each
    name is read from the first of ``dirs`` that has it (the file the loader uses: a site's
    override or the theme's), so an override or a theme change alters exactly the hashes
    of the templates that use that file."""

    def __init__(self, env: jinja2.Environment, dirs: tuple[Path, ...], root: Path) -> None:
        self.env = env
        self.dirs = dirs
        self.root = root  # the project, which messages name files relative to
        self._cache: dict[str, tuple[str, frozenset[str]]] = {}
        self._files: dict[str, tuple[bytes, list[str]] | None] = {}

    def export(self) -> dict[str, list[Any]]:
        """What was computed, to :meth:`preload` into the next build's instance."""
        return {k: [d, sorted(c)] for k, (d, c) in sorted(self._cache.items())}

    def preload(self, data: Any) -> None:
        """Take hashes computed by an earlier build for the same template files."""
        try:
            for name, (digest, closure) in data.items():
                self._cache[str(name)] = (str(digest), frozenset(map(str, closure)))
        except (AttributeError, TypeError, ValueError):
            self._cache.clear()

    def digest(self, name: str) -> str:
        return self._get(name)[0]

    def _get(self, name: str) -> tuple[str, frozenset[str]]:
        if name in self._cache:
            return self._cache[name]
        seen: set[str] = set()
        todo = [name]
        h = hashlib.sha256()
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            read = self._read(current)
            if read is None:
                continue
            data, refs = read
            h.update(data)
            todo.extend(refs)
        result = (h.hexdigest()[:16], frozenset(seen))
        self._cache[name] = result
        return result

    def _read(self, name: str) -> tuple[bytes, list[str]] | None:
        """One template file: what it adds to a hash, and the templates it names. Read and
        parsed once per instance, however many templates extend or include it."""
        if name in self._files:
            return self._files[name]
        path, raw = _first_file(self.dirs, name)
        if path is None:
            read = None
        else:
            try:
                source = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                line = raw[: exc.start].count(b"\n") + 1
                where = _rel(str(path), self.root)
                message = f"template is not UTF-8 text (byte 0x{raw[exc.start]:02x})"
                raise BuildError([error(where, line, message)]) from None
            try:
                found = jinja2.meta.find_referenced_templates(self.env.parse(source))
                refs = sorted(r for r in found if r)
            except jinja2.TemplateSyntaxError:
                refs = []
            read = (name.encode() + b"\0" + raw + b"\0", refs)
        self._files[name] = read
        return read


def _first_file(dirs: tuple[Path, ...], name: str) -> tuple[Path | None, bytes]:
    """The file NAME in the first of DIRS that has it, and its bytes."""
    for folder in dirs:
        path = folder / name
        try:
            return path, path.read_bytes()
        except OSError:
            continue
    return None, b""


def template_error(exc: BaseException, templates_dir: Path, root: Path) -> Diagnostic:
    """A template problem as ``templates/x.html:LINE: error: …``."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        name = exc.filename or exc.name or "?"
        return error(_rel(name, root), exc.lineno, f"template syntax error: {exc.message}")
    frames = [
        f
        for f in traceback.extract_tb(exc.__traceback__)
        if f.filename and Path(f.filename).suffix in (".html", ".xml")
    ]
    if frames:
        frame = frames[-1]
        return error(_rel(frame.filename, root), frame.lineno, f"template error: {exc}")
    if isinstance(exc, jinja2.TemplateNotFound):
        return error(str(templates_dir), None, f"template not found: {exc.name}")
    return error(str(templates_dir), None, f"template error: {exc}")


def _rel(path: str, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except ValueError:
        return path
