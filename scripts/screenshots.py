"""Screenshots for the README: a note in light and dark mode and a Korean search.

    python scripts/screenshots.py          # writes docs/note-light.png, docs/note-dark.png,
                                           # docs/search.png

Builds the site into a temporary folder, serves it on 127.0.0.1 and drives Debian's
Chromium (/usr/bin/chromium) with Playwright.
"""

from __future__ import annotations

import functools
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "public"
        server = ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out))
        )
        port = server.server_address[1]
        subprocess.run(
            [
                sys.executable,
                "-m",
                "awsnotes_site",
                "build",
                "--source",
                str(ROOT),
                "--output",
                str(out),
                "--no-cache",
                "--base-url",
                f"http://127.0.0.1:{port}/",
            ],
            check=True,
        )
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{port}/"
        DOCS.mkdir(exist_ok=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for scheme in ("light", "dark"):
                page = browser.new_page(
                    viewport={"width": 1280, "height": 900}, color_scheme=scheme
                )
                page.goto(base + "posts/aws-network-2/")
                page.wait_for_function("[...document.images].slice(0, 2).every(i => i.complete)")
                page.screenshot(path=str(DOCS / f"note-{scheme}.png"))
                page.close()
            page = browser.new_page(viewport={"width": 1280, "height": 700})
            page.goto(base + "search/?q=" + "ㅂㅊㄱㄹ")
            page.wait_for_selector("#search-results li")
            page.screenshot(path=str(DOCS / "search.png"))
            browser.close()
        server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
