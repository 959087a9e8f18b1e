"""``awsnotes-site check``: broken links, images and anchors reported at the note's line.

The command runs as a child process (``python -m awsnotes_site check``), like a user or the
deploy workflow runs it.  Nothing here touches the network: external links point at a
server on 127.0.0.1 that counts what it is asked.  The parts, in process:
``test_check_parse.py`` (pages and stylesheets read) and ``test_check_site.py`` (URLs
checked against the output).
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from awsnotes_site.check.external import check_external, fetch
from helpers import _env_with_src, build_site, describe_process
from sitefactory import ROOT, make_project

NOTE_PATH = "content/posts/links.md"
BAD_NOTE = """+++
title = "링크 점검용 노트"
date = 2023-04-01
tags = ["AWS"]
+++

# 링크 점검

여기는 [없는 페이지](/posts/no-such-note/)로 가는 링크다.

![없는 그림](/static/img/post/network/no-such-image.png)

[없는 제목으로](/posts/aws-network-2/#없는-제목)

[대소문자가 틀린 링크](/Posts/AWS-Network-2/)

[좋은 한국어 앵커](/posts/aws-network-2/#3장-vpc-고급)

[같은 노트의 제목](#링크-점검) 그리고 좋은 그림:

![배치 그룹](/static/img/post/network/placement.png)

> 인용 안의 [상대 링크](../aws-network-2/#01-vpc-엔드포인트)
"""

# (text that marks the line in BAD_NOTE, what the message must say)
EXPECTED = [
    ("(/posts/no-such-note/)", re.compile(r"broken link: /posts/no-such-note/")),
    (
        "no-such-image.png",
        re.compile(r"missing image: /static/img/post/network/no-such-image\.png"),
    ),
    ("#없는-제목", re.compile(r"missing anchor #없는-제목 on /posts/aws-network-2/")),
    (
        "/Posts/AWS-Network-2/",
        re.compile(r"wrong case: /Posts/AWS-Network-2/ should be /posts/aws-network-2/"),
    ),
]


def line_of(text: str, marker: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if marker in line:
            return number
    raise AssertionError(f"{marker!r} is not in the note")


def run_check(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "awsnotes_site", "check", *args],
        cwd=str(cwd),
        env=_env_with_src(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        stdin=subprocess.DEVNULL,
        timeout=300,
        check=False,
    )


def problems(proc: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in (proc.stderr + proc.stdout).splitlines() if ": error: " in line]


@pytest.fixture
def bad_project(tmp_path: Path) -> Path:
    return make_project(tmp_path, {"posts/links.md": BAD_NOTE})


# -- a site with broken links ---------------------------------------------------------
@pytest.mark.parametrize("base_url", [None, "https://example.github.io/notes/"])
def test_check_reports_each_problem_at_the_note_and_line(
    bad_project: Path, base_url: str | None
) -> None:
    args = ["--source", str(bad_project)]
    if base_url:
        args += ["--base-url", base_url]
    proc = run_check(*args)
    assert proc.returncode != 0, describe_process(proc)
    found = problems(proc)
    prefix = "/notes" if base_url else ""
    for marker, message in EXPECTED:
        where = f"{NOTE_PATH}:{line_of(BAD_NOTE, marker)}: error: "
        pattern = re.compile(
            message.pattern.replace(": /", f": {prefix}/")
            .replace(" on /", f" on {prefix}/")
            .replace(" be /", f" be {prefix}/")
        )
        hits = [p for p in found if p.startswith(where) and pattern.search(p)]
        assert len(hits) == 1, f"expected {where}{pattern.pattern}\n{describe_process(proc)}"
    # the good Korean anchor, the same-page anchor, the good image and the relative link
    assert len(found) == len(EXPECTED), describe_process(proc)
    assert not any("3장-vpc-고급" in p or "placement.png" in p for p in found)


def test_check_summary_counts_and_exit_code(bad_project: Path) -> None:
    proc = run_check("--source", str(bad_project))
    assert proc.returncode == 1
    assert re.search(r"checked \d+ pages .*: 4 problem\(s\)", proc.stderr), proc.stderr


def test_template_links_are_reported_at_the_output_file(tmp_path: Path) -> None:
    """A hard-coded root-relative URL in a template leaves a project site (/notes/)."""
    project = make_project(tmp_path)
    base = project / "templates" / "base.html"
    text = base.read_text(encoding="utf-8")
    text = text.replace("</head>", '<link rel="icon" href="/favicon.ico">\n</head>', 1)
    base.write_text(text, encoding="utf-8")
    four = project / "templates" / "404.html"
    four.write_text(
        four.read_text(encoding="utf-8").replace("</p>", ' <a href="search/">상대 링크</a></p>', 1),
        encoding="utf-8",
    )
    base_url = "https://example.github.io/notes/"
    proc = run_check("--source", str(project), "--base-url", base_url)
    assert proc.returncode == 1, describe_process(proc)
    found = problems(proc)
    out = tmp_path / "out"
    assert build_site(out, "--source", str(project), "--base-url", base_url).returncode == 0
    for page in ("index.html", "posts/aws-network-2/index.html", "tags/index.html"):
        line = line_of((out / page).read_text(encoding="utf-8"), "/favicon.ico")
        assert (
            f"public/{page}:{line}: error: /favicon.ico is not under the base path /notes/" in found
        ), describe_process(proc)
    assert any(
        p.startswith("public/404.html:") and "relative URL search/ in 404.html" in p for p in found
    ), describe_process(proc)


def test_build_errors_fail_the_check(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"posts/broken.md": "+++\ntitle = \n+++\n본문\n"})
    proc = run_check("--source", str(project))
    assert proc.returncode != 0
    assert "content/posts/broken.md" in proc.stderr
    assert "does not build" in proc.stderr


def test_verbose_shows_the_build_warnings_first(bad_project: Path) -> None:
    quiet = run_check("--source", str(bad_project))
    loud = run_check("--source", str(bad_project), "--verbose")
    assert (quiet.returncode, loud.returncode) == (1, 1)
    assert ": warning: " not in quiet.stderr, describe_process(quiet)
    warned = [line for line in loud.stderr.splitlines() if ": warning: " in line]
    assert warned, describe_process(loud)
    assert all(line.startswith(f"{NOTE_PATH}:") for line in warned), describe_process(loud)
    assert loud.stderr.index(": warning: ") < loud.stderr.index(": error: ")
    assert problems(loud) == problems(quiet)


# -- the shipped site -----------------------------------------------------------------
@pytest.mark.parametrize(
    "base_url", [None, "http://127.0.0.1:8000/notes/", "https://someone.github.io/awsnotes-site/"]
)
def test_shipped_site_checks_clean(base_url: str | None) -> None:
    args = ["--source", str(ROOT)] + (["--base-url", base_url] if base_url else [])
    proc = run_check(*args)
    assert proc.returncode == 0, describe_process(proc)
    assert problems(proc) == []
    assert "error" not in proc.stderr.lower(), proc.stderr
    m = re.search(r"checked (\d+) pages .*?(\d+) internal URLs, (\d+) anchors", proc.stdout)
    assert m, proc.stdout
    pages, urls, anchors = map(int, m.groups())
    assert pages >= 5 and urls >= 50 and anchors >= 10  # the TOC links are anchors


def test_check_leaves_the_project_alone(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    assert run_check("--source", str(project)).returncode == 0
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before


# -- --output: check an existing build ------------------------------------------------
def test_output_of_the_shipped_build_checks_clean(built_site: Path) -> None:
    proc = run_check("--output", str(built_site))
    assert proc.returncode == 0, describe_process(proc)
    assert problems(proc) == []


def test_output_of_a_subpath_build_needs_the_same_base_url(tmp_path: Path) -> None:
    out = tmp_path / "public"
    base_url = "https://example.github.io/notes/"
    build = build_site(out, "--base-url", base_url)
    assert build.returncode == 0, describe_process(build)
    proc = run_check("--output", str(out), "--base-url", base_url)
    assert proc.returncode == 0, describe_process(proc)
    wrong = run_check("--output", str(out))
    assert wrong.returncode == 1
    assert "give check the same --base-url" in wrong.stderr
    # a --base-url given (even a wrong one) is taken as meant: no hint
    other = run_check("--output", str(out), "--base-url", "https://example.github.io/other/")
    assert other.returncode == 1, describe_process(other)
    assert "is not under the base path /other/" in other.stderr
    assert "hint: most internal URLs" not in other.stderr


def test_output_with_verbose_shows_the_config_warnings(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    config = project / "site.toml"
    config.write_text(config.read_text(encoding="utf-8") + 'colour = "blue"\n', encoding="utf-8")
    out = tmp_path / "public"
    assert build_site(out, "--source", str(project)).returncode == 0
    warning = "warning: unknown key 'colour' is ignored"
    loud = run_check("--source", str(project), "--output", str(out), "-v")
    assert loud.returncode == 0, describe_process(loud)
    assert warning in loud.stderr, describe_process(loud)
    quiet = run_check("--source", str(project), "--output", str(out))
    assert quiet.returncode == 0, describe_process(quiet)
    assert warning not in quiet.stderr
    assert "no problems" in quiet.stdout


def test_output_maps_problems_to_notes_when_the_build_matches(
    bad_project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build = build_site(out, "--source", str(bad_project))
    assert build.returncode == 0, describe_process(build)
    proc = run_check("--source", str(bad_project), "--output", str(out))
    assert proc.returncode == 1, describe_process(proc)
    found = problems(proc)
    for marker, _ in EXPECTED:
        assert any(
            p.startswith(f"{NOTE_PATH}:{line_of(BAD_NOTE, marker)}: error: ") for p in found
        ), describe_process(proc)
    # A page edited after the build no longer matches its note: reported at the file.
    page = out / "posts" / "links" / "index.html"
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("</main>", "<!-- edited --></main>"), encoding="utf-8")
    proc = run_check("--source", str(bad_project), "--output", str(out))
    found = problems(proc)
    assert proc.returncode == 1
    html_line = line_of(html, "no-such-note")
    assert any(
        p.startswith(f"{out}/posts/links/index.html:{html_line}: error: broken link") for p in found
    ), describe_process(proc)
    assert not any(p.startswith(NOTE_PATH) for p in found)


def test_output_that_does_not_exist(tmp_path: Path) -> None:
    proc = run_check("--output", str(tmp_path / "nope"))
    assert proc.returncode == 2
    assert "no such folder" in proc.stderr


def test_output_finds_a_file_deleted_after_the_build(tmp_path: Path) -> None:
    out = tmp_path / "public"
    assert build_site(out).returncode == 0
    (out / "static" / "img" / "post" / "network" / "meta.png").unlink()
    proc = run_check("--output", str(out))
    assert proc.returncode == 1
    found = problems(proc)
    assert len(found) == 1, describe_process(proc)
    note = (ROOT / "content" / "posts" / "aws-network-2.md").read_text(encoding="utf-8")
    assert found[0].startswith(
        f"content/posts/aws-network-2.md:{line_of(note, 'meta.png')}: error: missing image"
    )


# -- external links -------------------------------------------------------------------
class _Recorder(BaseHTTPRequestHandler):
    requests: list[tuple[str, str]] = []

    def _answer(self, body: bool) -> None:
        type(self).requests.append((self.command, self.path))
        status = 200 if self.path.startswith("/ok") else 404
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", "2")
        self.end_headers()
        if body:
            self.wfile.write(b"ok")

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(False)

    def do_GET(self) -> None:  # noqa: N802
        self._answer(True)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def local_server() -> Iterator[tuple[str, list[tuple[str, str]]]]:
    requests: list[tuple[str, str]] = []
    handler = type("Handler", (_Recorder,), {"requests": requests})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _external_project(tmp_path: Path, origin: str) -> tuple[Path, str]:
    note = f"""+++
title = "바깥 링크"
date = 2023-04-02
+++

좋은 [바깥 링크]({origin}/ok/page)

나쁜 [바깥 링크]({origin}/gone)

<img alt="바깥 그림" src="{origin}/gone.png">
"""
    return make_project(tmp_path, {"posts/external.md": note}), note


def test_external_links_are_not_fetched_by_default(
    tmp_path: Path, local_server: tuple[str, list[tuple[str, str]]]
) -> None:
    origin, requests = local_server
    project, _ = _external_project(tmp_path, origin)
    proc = run_check("--source", str(project))
    assert proc.returncode == 0, describe_process(proc)
    assert requests == []
    assert "3 external not fetched" in proc.stdout


def test_external_links_are_fetched_with_external(
    tmp_path: Path, local_server: tuple[str, list[tuple[str, str]]]
) -> None:
    origin, requests = local_server
    project, note = _external_project(tmp_path, origin)
    proc = run_check("--source", str(project), "--external")
    assert proc.returncode == 1, describe_process(proc)
    found = problems(proc)
    assert len(found) == 2, describe_process(proc)
    assert (
        f"content/posts/external.md:{line_of(note, '/gone)')}: error: external link "
        f"{origin}/gone: HTTP 404 Not Found" in found
    )
    assert any(
        p.startswith(f"content/posts/external.md:{line_of(note, 'gone.png')}: ") for p in found
    )
    paths = {path for _, path in requests}
    assert paths == {"/ok/page", "/gone", "/gone.png"}
    assert ("HEAD", "/ok/page") in requests
    assert ("GET", "/ok/page") not in requests  # HEAD was enough


def test_fetch_gives_up_after_the_timeout() -> None:
    class Slow(BaseHTTPRequestHandler):
        def do_HEAD(self) -> None:  # noqa: N802
            time.sleep(2)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        started = time.monotonic()
        result = fetch(f"http://127.0.0.1:{server.server_address[1]}/slow", timeout=0.3)
        assert time.monotonic() - started < 1.5
    finally:
        server.shutdown()
        server.server_close()
    assert result == "no answer within 0.3 s"


def test_a_failing_fetcher_is_a_problem_not_a_crash() -> None:
    def broken(url: str) -> str | None:
        raise RuntimeError("boom")

    result = check_external({"https://example.invalid/": [("a.md", 3)]}, fetcher=broken)
    assert [(d.path, d.line) for d in result] == [("a.md", 3)]
    assert "boom" in result[0].message


def test_check_external_limits_concurrency() -> None:
    lock = threading.Lock()
    running = peak = 0
    gate = threading.Event()

    def slow(url: str) -> str | None:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
            if running >= 8:
                gate.set()
        gate.wait(2)
        with lock:
            running -= 1
        return "HTTP 500" if url.endswith("7") else None

    urls = {f"https://example.invalid/{i}": [("a.md", i)] for i in range(30)}
    result = check_external(urls, fetcher=slow)
    assert peak == 8
    assert sorted(d.line or 0 for d in result) == [7, 17, 27]
