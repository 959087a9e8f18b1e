"""Incremental builds of tag pages: a tag's shown name comes from its newest note, which
only the first page lists, so a new spelling must still reach every page of the tag."""

from __future__ import annotations

from pathlib import Path

from sitefactory import make_project
from test_cache import cli
from test_series_cache import build_and_compare


def tagged_notes(count: int) -> dict[str, str]:
    """COUNT notes tagged Kubernetes; the newest (the last) spells it in lower case."""
    return {
        f"posts/k8s-{i:03d}.md": (
            f'+++\ntitle = "쿠버네티스 {i}"\ndate = 2024-01-{i:02d}\n'
            f'tags = ["{"kubernetes" if i == count else "Kubernetes"}"]\n+++\n\n본문 {i}.\n'
        )
        for i in range(1, count + 1)
    }


def test_a_new_spelling_of_a_tag_reaches_every_page_of_it(tmp_path: Path) -> None:
    project = make_project(tmp_path, tagged_notes(25), shipped=False)
    assert cli(project).returncode == 0
    page3 = project / "public" / "tags" / "kubernetes" / "page" / "3" / "index.html"
    assert "태그: kubernetes<" in page3.read_text(encoding="utf-8")
    newest = project / "content" / "posts" / "k8s-025.md"
    newest.write_text(
        newest.read_text(encoding="utf-8").replace('"kubernetes"', '"K8S-Kubernetes"'),
        encoding="utf-8",
    )
    # a new slug: the old tag keeps 24 notes under the spelling of its new newest note
    warm = build_and_compare(project, tmp_path / "cold")
    assert "tags/kubernetes/page/3/index.html" in warm
    newest.write_text(
        newest.read_text(encoding="utf-8").replace('"K8S-Kubernetes"', '"KUBERNETES"'),
        encoding="utf-8",
    )
    warm = build_and_compare(project, tmp_path / "cold")
    assert "태그: KUBERNETES<".encode() in warm["tags/kubernetes/page/3/index.html"]
