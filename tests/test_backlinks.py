"""Backlinks in ``serve``: adding or removing a link in note A updates B's backlinks on
the next rebuild (the preview server runs in this process, as in test_server.py)."""

from __future__ import annotations

import io
import urllib.parse
import urllib.request
from pathlib import Path

from awsnotes_site.serve.preview import PreviewServer
from awsnotes_site.serve.project import ProjectBuilder
from helpers import parse_html_string
from test_vault import PLACEMENT, copy_vault

WAIT = 60.0


def backlink_sources(port: int, page: str) -> list[str]:
    url = f"http://127.0.0.1:{port}/" + urllib.parse.quote(page.removesuffix("index.html"))
    with urllib.request.urlopen(url, timeout=WAIT) as response:
        doc = parse_html_string(response.read().decode("utf-8"))
    return [
        item.find_all("a")[0]["href"]
        for section in doc.find_all("section", class_="backlinks")
        for item in section.find_all("li")
    ]


def test_serve_updates_backlinks(tmp_path: Path) -> None:
    vault = copy_vault(tmp_path)
    server = PreviewServer(ProjectBuilder(vault), port=0, out=io.StringIO(), err=io.StringIO())
    server.start()
    try:
        first = server.wait_for_build(1, WAIT)
        assert first.ok, [d.format() for d in first.diagnostics]
        assert "/홈/" in backlink_sources(server.port, PLACEMENT)
        home = vault / "홈.md"
        text = home.read_text(encoding="utf-8")
        removed = text.replace("- [[배치 그룹|EC2 배치 그룹]] 정리\n", "").replace(
            "[[배치 그룹]]으로", "배치 그룹으로"
        )
        home.write_text(removed, encoding="utf-8")
        second = server.wait_for_build(2, WAIT)
        assert second.ok and "홈.md" in second.trigger
        assert PLACEMENT in second.changed
        assert "/홈/" not in backlink_sources(server.port, PLACEMENT)
        home.write_text(removed + "\n다시 [[배치 그룹]]을 본다.\n", encoding="utf-8")
        third = server.wait_for_build(3, WAIT)
        assert third.ok
        assert "/홈/" in backlink_sources(server.port, PLACEMENT)
    finally:
        server.stop()
