"""Render the hand-written SVG diagrams to PNG images for the site.

Every ``*.svg`` file in ``assets-src/diagrams/`` is rendered with headless
Chromium (driven by Playwright's Python API) and written to
``static/img/post/network/<name>.png``.

Requirements (Debian):

    apt-get install chromium fonts-noto-cjk
    pip install playwright          # do NOT run `playwright install`

The Debian Chromium at ``/usr/bin/chromium`` is used instead of a
Playwright-downloaded browser.

Usage (from the repository root):

    python3 scripts/render_diagrams.py                 # render all diagrams
    python3 scripts/render_diagrams.py endpoint meta   # render only these
    python3 scripts/render_diagrams.py --scale 1       # 1x device scale

Images are rendered at device scale factor 2 by default. If any of the
rendered images would exceed ``--max-bytes`` (150 KB by default), the whole
batch is re-rendered at scale 1 so that all diagrams share one pixel density
(they are shown side by side in the same post).
"""

from __future__ import annotations

import argparse
import re
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

REPO_ROOT = Path(__file__).resolve().parent.parent
SRC_DIR = REPO_ROOT / "assets-src" / "diagrams"
OUT_DIR = REPO_ROOT / "static" / "img" / "post" / "network"

CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
DEFAULT_MAX_BYTES = 150_000

HTML_TEMPLATE = """<!doctype html>
<html><head><meta charset="utf-8">
<style>
  html, body {{ margin: 0; padding: 0; background: #ffffff; }}
  svg {{ display: block; }}
</style></head>
<body>{svg}</body></html>
"""


@dataclass(frozen=True)
class RenderResult:
    """Outcome of rendering one diagram."""

    name: str
    width: int
    height: int
    scale: int
    size_bytes: int


def svg_size(svg_text: str) -> tuple[int, int]:
    """Return the (width, height) in CSS pixels declared by an SVG root."""
    root = ET.fromstring(svg_text)
    width = root.get("width")
    height = root.get("height")
    if width and height:
        return round(float(width.removesuffix("px"))), round(float(height.removesuffix("px")))
    view_box = root.get("viewBox")
    if view_box:
        _, _, w, h = (float(v) for v in re.split(r"[\s,]+", view_box.strip()))
        return round(w), round(h)
    msg = "SVG root needs width/height or a viewBox"
    raise ValueError(msg)


def strip_prolog(svg_text: str) -> str:
    """Drop an XML declaration / DOCTYPE so the SVG can be inlined in HTML."""
    svg_text = re.sub(r"^\s*<\?xml[^>]*\?>", "", svg_text)
    return re.sub(r"^\s*<!DOCTYPE[^>]*>", "", svg_text).strip()


def render_png(browser: Browser, svg_text: str, width: int, height: int, scale: int) -> bytes:
    """Screenshot the inlined SVG at the given device scale factor."""
    page = browser.new_page(
        viewport={"width": width, "height": height},
        device_scale_factor=scale,
    )
    try:
        page.set_content(HTML_TEMPLATE.format(svg=strip_prolog(svg_text)))
        page.evaluate("document.fonts.ready.then(() => true)")
        return page.locator("svg").first.screenshot(type="png")
    finally:
        page.close()


def render_batch(
    browser: Browser, sources: list[Path], scale: int
) -> dict[Path, tuple[int, int, bytes]]:
    """Render every source at ``scale``; map source -> (width, height, png)."""
    rendered: dict[Path, tuple[int, int, bytes]] = {}
    for src in sources:
        svg_text = src.read_text(encoding="utf-8")
        width, height = svg_size(svg_text)
        rendered[src] = (width, height, render_png(browser, svg_text, width, height, scale))
    return rendered


def render_all(
    browser: Browser, sources: list[Path], out_dir: Path, scale: int, max_bytes: int
) -> list[RenderResult]:
    """Render ``sources`` into ``out_dir``, dropping to scale 1 if too large."""
    rendered = render_batch(browser, sources, scale)
    if scale > 1 and any(len(png) > max_bytes for _, _, png in rendered.values()):
        scale = 1
        rendered = render_batch(browser, sources, scale)
    results = []
    for src, (width, height, png) in rendered.items():
        (out_dir / f"{src.stem}.png").write_bytes(png)
        results.append(RenderResult(src.stem, width * scale, height * scale, scale, len(png)))
    return results


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Parse command-line arguments."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="diagram names (SVG stems); default: all")
    parser.add_argument("--src", type=Path, default=SRC_DIR, help="SVG directory")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="PNG directory")
    parser.add_argument("--scale", type=int, choices=(1, 2), default=2, help="device scale factor")
    parser.add_argument(
        "--max-bytes",
        type=int,
        default=DEFAULT_MAX_BYTES,
        help="re-render all at scale 1 if any 2x PNG is larger than this",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Render the requested diagrams and print a summary line for each."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    sources = sorted(args.src.glob("*.svg"))
    if args.names:
        wanted = set(args.names)
        missing = wanted - {s.stem for s in sources}
        if missing:
            print(f"unknown diagram(s): {', '.join(sorted(missing))}", file=sys.stderr)
            return 2
        sources = [s for s in sources if s.stem in wanted]
    if not sources:
        print(f"no SVG files found in {args.src}", file=sys.stderr)
        return 1

    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        try:
            results = render_all(browser, sources, args.out, args.scale, args.max_bytes)
        finally:
            browser.close()
    for r in results:
        print(f"{r.name}.png  {r.width}x{r.height}  @{r.scale}x  {r.size_bytes:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
