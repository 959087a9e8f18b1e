"""Parsers are dropped with everything they hold (issue 17).

``serve`` makes a new parser whenever a note is added or renamed or a shortcode template
changes. A parser holds its shortcode registry, and through it a Jinja environment and
every note's URL: nothing at module level may keep one alive, and no module-level table
of the markdown package may grow with the number of parsers made.
"""

from __future__ import annotations

import gc
import importlib
import pkgutil
import weakref
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import jinja2

import awsnotes_site.markdown as markdown_package
from awsnotes_site.markdown import create_markdown, render_markdown
from awsnotes_site.markdown.registry import RefResolver, ShortcodeRegistry

TEMPLATES = Path(__file__).parent / "fixtures" / "markdown" / "templates"
NOTE = """# 제목

본문 [링크](/posts/x/)와 `코드`, 각주[^1].

{{< notice warning >}}
**주의** 하세요
{{< /notice >}}

{{< figure src="/img/a.png" caption="그림 *설명*" >}}

[다른 글]({{< ref "posts/other.md" >}})

```python {linenos=true}
def f(x):
    return x + 1
```

{{< highlight yaml >}}
a: 1
{{< /highlight >}}

- [ ] 할 일
- [x] 한 일

| a | b |
|---|---|
| 1 | 2 |

<img src="/img/b.png"><figcaption>캡션</figcaption>

[^1]: 설명
"""


def _modules() -> Iterator[ModuleType]:
    yield markdown_package
    for info in pkgutil.walk_packages(markdown_package.__path__, markdown_package.__name__ + "."):
        yield importlib.import_module(info.name)


def _size(value: Any) -> int | None:
    """How many entries a module-level container holds; None for other values."""
    if isinstance(value, (dict, list, set, bytearray)) or type(value).__name__ in (
        "defaultdict",
        "OrderedDict",
        "deque",
        "WeakKeyDictionary",
        "WeakValueDictionary",
        "WeakSet",
        "mappingproxy",
    ):
        return len(value)
    cache_info = getattr(value, "cache_info", None)  # functools caches
    if callable(cache_info):
        return int(cache_info().currsize)
    return None


def _tables() -> dict[str, int]:
    """Every module-level container of the markdown package, found by scanning the
    globals of each of its modules (and the class attributes of their classes)."""
    sizes: dict[str, int] = {}
    for module in _modules():
        for name, value in vars(module).items():
            owners: list[tuple[str, Any]] = [(name, value)]
            if isinstance(value, type) and value.__module__ == module.__name__:
                owners += [(f"{name}.{k}", v) for k, v in vars(value).items()]
            for label, item in owners:
                size = _size(item)
                if size is not None:
                    sizes[f"{module.__name__}.{label}"] = size
    return sizes


def _parser() -> tuple[Any, Any]:
    """A parser made as the build makes one, and the registry it holds."""
    jinja = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    notes = {f"posts/n{i}.md": f"posts/n{i}/" for i in range(50)}
    notes["posts/other.md"] = "posts/other/"
    registry = ShortcodeRegistry(TEMPLATES, jinja, RefResolver(notes), "/", "https://example.com/")
    return create_markdown(registry, "/", 1, 3), registry


def _make_and_use() -> tuple[weakref.ref[Any], weakref.ref[Any], str]:
    md, registry = _parser()
    rendered = render_markdown(
        md, NOTE, "posts/current.md", 1, {"rel": "posts/current.md", "title": "현재 글"}
    )
    assert not [d for d in rendered.diagnostics if d.severity.name == "ERROR"]
    return weakref.ref(md), weakref.ref(registry), rendered.html


def test_the_scan_finds_the_module_tables() -> None:
    tables = _tables()
    assert any(".speedups." in name for name in tables)
    assert any(name.startswith("awsnotes_site.markdown.highlight.") for name in tables)


def test_dropped_parsers_are_freed_and_tables_do_not_grow() -> None:
    _, _, first_html = _make_and_use()  # warm every cache once
    gc.collect()
    before = _tables()
    refs = []
    for _ in range(100):
        md_ref, registry_ref, html = _make_and_use()
        assert html == first_html
        refs.append((md_ref, registry_ref))
    gc.collect()
    after = _tables()
    grown = {
        name: (before.get(name, 0), size)
        for name, size in after.items()
        if size > before.get(name, 0)
    }
    assert grown == {}
    alive = [i for i, (md_ref, registry_ref) in enumerate(refs) if md_ref() or registry_ref()]
    assert alive == []
