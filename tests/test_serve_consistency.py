"""What ``serve`` serves after edits equals a cold build of the same tree, byte for byte.

Each test here is one cause the soak (tests/test_soak.py, bench/soak.py) found of a served
file that differed from a cold build: it builds, edits, rebuilds (waiting on build
records and events, never on a sleep) and compares every file with a cold build. The
last two are about the soak's one build error: a note renamed away while a build ran.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from awsnotes_site.diagnostics import BuildError
from awsnotes_site.pipeline import Builder, BuildOptions, BuildResult
from awsnotes_site.serve.preview import PreviewServer
from awsnotes_site.serve.project import ProjectBuilder
from sitefactory import make_project, many_notes
from test_server import CONFIG, NOTE, NOTE_PAGE, WAIT, append, edit, events, running
from test_soak import load_soak

PLAIN_NOTE = '+++\ntitle = "그림 없는 노트"\ndate = 2024-01-02\n+++\n\n그림이 없다.\n'


def cold_build(project: Path, base_url: str | None) -> BuildResult:
    """A build of PROJECT from nothing: no cache on disk, nothing kept in memory."""
    return Builder(
        project, BuildOptions(base_url=base_url, use_cache=False, save_cache=False)
    ).build()


def differences(server: PreviewServer, project: Path) -> list[str]:
    """Every file served that differs from a cold build's (bench/soak.py's comparison)."""
    found, compared = load_soak().served_differences(server, project)
    assert compared > 0
    return list(found)


def test_image_variants_and_cards_are_served_after_an_edit(tmp_path: Path) -> None:
    """The shipped note's images get variants and the plain note a drawn share card, all
    under .cache/images/; the build after an edit must keep serving them from there (it
    used to move them to a scratch folder, make them all again and serve none)."""
    project = make_project(tmp_path, {"posts/plain.md": PLAIN_NOTE}, CONFIG)
    with running(project) as server:
        first = server.state.result
        assert first is not None
        variants = [p for p in first.static if p.endswith(".webp")]
        assert variants and "posts/plain/og.png" in first.static
        with events(server.port) as stream:
            append(project / NOTE, "\n수정한 문단.\n")
            _, data = stream.next("reload")
        assert NOTE_PAGE in data["changed"]
        # Nothing about the images changed, so no variant or card is reported as changed.
        assert not [p for p in data["changed"] if p.endswith((".webp", ".png"))]
        assert differences(server, project) == []


def test_css_edit_without_a_build_is_followed_by_the_service_worker(tmp_path: Path) -> None:
    """A CSS edit is sent at once without a build; the service worker, which lists every
    asset by content hash, is made again by the catch-up build that follows."""
    project = make_project(tmp_path, {}, CONFIG)
    with running(project) as server, events(server.port) as stream:
        before = len(server.records)
        sw = server.state.result.files["sw.js"] if server.state.result else b""
        append(project / "static" / "css" / "site.css", "\nbody { color: rgb(9, 8, 7); }\n")
        assert stream.next("css")[1]["changed"] == ["static/css/site.css"]
        _, data = stream.next("reload")  # the catch-up build's
        assert data["changed"] == ["sw.js"]
        quick, catch_up = server.records[before], server.wait_for_build(before + 2, WAIT)
        assert not quick.full and catch_up.full and catch_up.catch_up
        result = server.state.result
        assert result is not None and result.files["sw.js"] != sw
        assert differences(server, project) == []


def test_service_worker_follows_the_search_shard_count(tmp_path: Path) -> None:
    """The worker warms every search shard: a site that grows past one shard (128 notes)
    gets a new worker in an incremental build, as in a cold one."""
    config = CONFIG + "[images]\nenabled = false\n"
    project = make_project(tmp_path, {}, config)
    builder = Builder(project, BuildOptions(use_cache=False, save_cache=False))
    small = builder.build()
    assert b"search-index/01.json" not in small.files["sw.js"]
    for rel, text in many_notes(130).items():
        (project / "content" / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / "content" / rel).write_text(text, encoding="utf-8")
    grown = builder.build()
    assert "search-index/01.json" in grown.files
    assert grown.files["sw.js"] == cold_build(project, None).files["sw.js"]
    assert b"search-index/01.json" in grown.files["sw.js"]


def test_mixed_edits_leave_the_served_site_equal_to_a_cold_build(tmp_path: Path) -> None:
    """Title, date, tags and series edits, a note added, renamed and deleted, a template
    and a config edit, in one server run."""
    project = make_project(tmp_path, {"posts/plain.md": PLAIN_NOTE}, CONFIG)
    content = project / "content" / "posts"
    with running(project) as server, events(server.port) as stream:

        def step(change: str) -> None:
            _, data = stream.next("reload")
            assert data["changed"] or data["removed"], change

        edit(content / "plain.md", "그림 없는 노트", "제목을 바꾼 노트")
        step("title")
        edit(content / "plain.md", "date = 2024-01-02", 'date = 2021-07-09\ntags = ["새"]')
        step("date and tags")
        (content / "added.md").write_text(PLAIN_NOTE.replace("그림 없는", "새"), "utf-8")
        step("add")
        (content / "added.md").rename(content / "moved.md")
        step("rename")
        (content / "moved.md").unlink()
        step("delete")
        append(project / "templates" / "base.html", "\n<!-- 틀 -->\n")
        step("template")
        edit(project / "site.toml", 'title = "테스트 노트"', 'title = "바뀐 사이트"')
        step("config")
        assert differences(server, project) == []


class SavesDuringFailedBuild(ProjectBuilder):
    """A real ProjectBuilder; when a build fails, ``on_failure`` runs before the failure is
    reported: what the writer saves while the build runs (made deterministic)."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.on_failure: Callable[[], None] | None = None

    def build(self, trigger: frozenset[str]) -> BuildResult:
        try:
            return super().build(trigger)
        except BuildError:
            action, self.on_failure = self.on_failure, None
            if action is not None:
                action()
            raise


def broken(text: str) -> str:
    return text.replace('date = "2023-03-26"', 'date = "2023-03-26', 1)


def test_a_failure_a_save_has_superseded_is_not_shown(tmp_path: Path) -> None:
    """A note renamed away or fixed while a build runs: that build's failure is stale, and
    the build after it (right away) decides what browsers see."""
    project = make_project(tmp_path, {}, CONFIG)
    builder = SavesDuringFailedBuild(project)
    err = io.StringIO()
    server = PreviewServer(builder, port=0, out=io.StringIO(), err=err)
    server.start()
    try:
        assert server.wait_for_build(1, WAIT).ok
        note = project / NOTE
        good = note.read_text(encoding="utf-8")

        def save_the_fix() -> None:
            note.write_text(good + "\n고친 문단.\n", encoding="utf-8")
            assert server.collector.wait_pending(WAIT)

        builder.on_failure = save_the_fix
        with events(server.port) as stream:
            note.write_text(broken(good), encoding="utf-8")
            _, data = stream.next("reload")  # no error event before it
            assert NOTE_PAGE in data["changed"]
        failed, fixed = server.records[1], server.records[2]
        assert not failed.ok and failed.superseded and fixed.ok
        assert "error" not in err.getvalue()
    finally:
        server.stop()


def test_a_failure_superseded_by_a_late_event_is_shown_by_the_next_build(
    tmp_path: Path,
) -> None:
    """The change that came during the failed build was a late event of the same save
    (nothing fresh): the failure is built again and shown all the same."""
    project = make_project(tmp_path, {}, CONFIG)
    builder = SavesDuringFailedBuild(project)
    server = PreviewServer(builder, port=0, out=io.StringIO(), err=io.StringIO())
    server.start()
    try:
        assert server.wait_for_build(1, WAIT).ok
        note = project / NOTE
        builder.on_failure = lambda: server.collector.add([NOTE])
        with events(server.port) as stream:
            note.write_text(broken(note.read_text(encoding="utf-8")), encoding="utf-8")
            _, data = stream.next("error")
        assert data["diagnostics"][0]["path"] == NOTE
        assert server.records[1].superseded and not server.records[2].superseded
    finally:
        server.stop()
