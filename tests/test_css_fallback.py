"""The theme's colours are written once with ``light-dark()``; browsers without it
(before Chrome 123, Firefox 120, Safari 17.5) get every one of them from the
``@supports not`` block: light values, and the dark ones under ``data-theme="dark"``."""

from __future__ import annotations

import re

from sitefactory import ROOT

CSS = ROOT / "src" / "awsnotes_site" / "theme" / "static" / "css" / "site.css"
DECL = re.compile(r"(--[\w-]+):\s*([^;]+);")


def _block(text: str, selector: str, start: int = 0) -> str:
    at = text.index(selector, start)
    open_ = text.index("{", at)
    return text[open_ + 1 : text.index("}", open_)]


def test_every_light_dark_colour_has_a_fallback() -> None:
    css = CSS.read_text(encoding="utf-8")
    modern = {
        name: value
        for name, value in DECL.findall(_block(css, ":root {"))
        if "light-dark(" in value
    }
    assert len(modern) > 15
    fallback = css.index("@supports not (color: light-dark(")
    light = dict(DECL.findall(_block(css, ":root {", fallback)))
    dark = dict(DECL.findall(_block(css, ':root[data-theme="dark"] {', fallback)))
    assert set(light) == set(modern) == set(dark)
    for name, value in modern.items():
        pair = re.search(r"light-dark\((#\w+|rgba\([^)]*\)),\s*(#\w+|transparent)\)", value)
        assert pair, value
        assert pair.group(1) in light[name], name
        assert "light-dark" not in light[name] + dark[name]
        if pair.group(2).startswith("#"):
            assert dark[name] == pair.group(2), name
