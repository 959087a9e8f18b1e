"""``serve`` on a Hugo site (issue 19): its configuration (``hugo.toml``, ``config.toml``,
``config.yaml``, ``config.json``, ``config/_default/``) is watched like ``site.toml``; a
change rebuilds with the new configuration, and folders it names are watched from then on.

A real :class:`PreviewServer` on 127.0.0.1; every wait is on the event stream.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from awsnotes_site.serve.preview import PreviewServer
from test_server import events, get, running

NOTE = "---\ntitle: 첫 글\ndate: 2024-03-01\n---\n\n본문 한 줄.\n"
NOTE_PAGE = "posts/first/index.html"


def config_text(name: str, title: str, content_dir: str = "content") -> str:
    """A Hugo configuration in the format of file NAME."""
    values = {"baseURL": "https://example.org/", "title": title, "contentDir": content_dir}
    if name.endswith(".json"):
        return json.dumps(values, ensure_ascii=False)
    if name.endswith((".yaml", ".yml")):
        return "".join(f'{k}: "{v}"\n' for k, v in values.items())
    return "".join(f'{k} = "{v}"\n' for k, v in values.items())


def hugo_site(tmp_path: Path, config: str, title: str) -> Path:
    """A Hugo site (no site.toml) with one post, configured by the file CONFIG."""
    site = tmp_path / "blog"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "content" / "posts" / "first.md").write_text(NOTE, encoding="utf-8")
    path = site / config
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(config_text(config, title), encoding="utf-8")
    return site


def home_title(server: PreviewServer) -> str:
    status, _, body = get(server.port, "/")
    assert status == 200
    text = body.decode("utf-8")
    return text.split("<title>", 1)[1].split("</title>", 1)[0]


@pytest.mark.parametrize(
    "config",
    ["hugo.toml", "config.toml", "config.yaml", "config.json", "config/_default/hugo.toml"],
)
def test_hugo_config_edit_rebuilds_with_the_new_config(tmp_path: Path, config: str) -> None:
    site = hugo_site(tmp_path, config, "첫 블로그")
    with running(site) as server, events(server.port, base="/") as stream:
        assert "첫 블로그" in home_title(server)
        before = len(server.records)
        (site / config).write_text(config_text(config, "바뀐 블로그"), encoding="utf-8")
        _, data = stream.next("reload")
        assert "index.html" in data["changed"] and NOTE_PAGE in data["changed"]
        record = server.records[before]
        assert record.ok and f"{config}" in record.trigger
        assert "바뀐 블로그" in home_title(server)


def test_hugo_params_file_in_config_default_rebuilds(tmp_path: Path) -> None:
    """``config/_default/params.toml`` is part of the configuration too."""
    site = hugo_site(tmp_path, "config/_default/hugo.toml", "블로그")
    params = site / "config" / "_default" / "params.toml"
    params.write_text('description = "첫 설명"\n', encoding="utf-8")
    with running(site) as server, events(server.port, base="/") as stream:
        assert "첫 설명" in get(server.port, "/")[2].decode("utf-8")
        params.write_text('description = "바뀐 설명"\n', encoding="utf-8")
        _, data = stream.next("reload")
        assert "index.html" in data["changed"]
        assert "바뀐 설명" in get(server.port, "/")[2].decode("utf-8")


def test_a_content_dir_named_by_the_new_config_is_watched(tmp_path: Path) -> None:
    """contentDir moves to a folder that was not watched: it is built from, and an edit
    in it rebuilds."""
    site = hugo_site(tmp_path, "hugo.toml", "블로그")
    other = site / "글"
    (other / "posts").mkdir(parents=True)
    (other / "posts" / "first.md").write_text(NOTE.replace("본문 한 줄", "다른 폴더"), "utf-8")
    with running(site) as server, events(server.port, base="/") as stream:
        (site / "hugo.toml").write_text(config_text("hugo.toml", "블로그", "글"), "utf-8")
        _, data = stream.next("reload")
        assert NOTE_PAGE in data["changed"]
        assert "다른 폴더" in get(server.port, "/posts/first/")[2].decode("utf-8")
        (other / "posts" / "first.md").write_text(NOTE.replace("본문 한 줄", "고친 글"), "utf-8")
        _, data = stream.next("reload")
        assert NOTE_PAGE in data["changed"]
        assert "고친 글" in get(server.port, "/posts/first/")[2].decode("utf-8")


def test_site_toml_project_ignores_a_config_folder(tmp_path: Path) -> None:
    """A site.toml project does not watch config/ (it is not its configuration)."""
    site = hugo_site(tmp_path, "hugo.toml", "블로그")
    (site / "hugo.toml").unlink()
    (site / "site.toml").write_text('title = "내 노트"\nbase_url = "/"\n', encoding="utf-8")
    with running(site) as server:
        assert "config" not in server.collector.folders
        assert server.collector.relevant(str(site / "config" / "_default" / "x.toml")) is None
        assert server.collector.relevant(str(site / "site.toml")) == "site.toml"
