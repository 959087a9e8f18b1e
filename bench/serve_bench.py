"""Live-preview latency of ``awsnotes-site serve`` on a large site.

Makes a corpus of N notes (variations of the shipped content/posts/aws-network-2.md),
starts ``python -m awsnotes_site serve`` on it, connects an event-stream client and
measures, in this process and on one clock:

* note save -> ``reload`` event that lists the note's page (median of --edits saves);
* CSS save  -> ``css`` event (median of --edits saves);

then, in Debian's Chromium driven by Playwright (``--no-browser`` skips it), with the
note's page open:

* note save -> the new text in the page's DOM, patched in place: a MutationObserver in
  the page records ``performance.timeOrigin + performance.now()`` when the text appears;
  the save time is ``time.time()`` just before the write, and the two clocks are lined
  up before every save (the page's clock read in the middle of the shortest of five
  round trips). The watcher's quiet window is inside the figure. Where the time goes:
  save -> event at the page, event -> new page fetched, fetched -> patched (the client's
  own marks), and the rebuild from the server's log;
* CSS save -> the swapped stylesheet loaded in the page.

Aims: < 100 ms for a note event, <= 80 ms note save -> visible, < 50 ms for CSS.
``--profile`` also profiles one incremental rebuild with cProfile (in this process, on
the same corpus) to show what costs the time. The load average is printed before and
after: the machine may be shared.

    python bench/serve_bench.py [--notes 1000] [--edits 20] [--no-browser] [--profile]
                                [--keep DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import json
import os
import platform
import pstats
import queue
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
THEME = ROOT / "src" / "awsnotes_site" / "theme"
SRC = ROOT / "src"
SHIPPED_NOTE = ROOT / "content" / "posts" / "aws-network-2.md"
TAGS = [
    "AWS",
    "VPC",
    "네트워크",
    "Book",
    "보안",
    "EC2",
    "S3",
    "IAM",
    "Lambda",
    "DNS",
    "Route53",
    "ELB",
    "NAT",
    "CloudFront",
    "RDS",
    "쿠버네티스",
    "컨테이너",
    "모니터링",
]
SECTIONS = ["posts", "study", "aws"]
SITE_TOML = """\
title = "AWS 네트워크 공부 노트"
description = "벤치마크용 큰 사이트"
author = "bench"
language = "ko"
base_url = "https://user.github.io/notes/"
paginate = 10
timezone = "Asia/Seoul"
"""


# ------------------------------------------------------------------------------ corpus
def split_note(text: str) -> tuple[str, str]:
    end = text.index("\n+++", 3)
    return text[: end + 4], text[end + 4 :]


def note_text(i: int, body: str, edit: int = 0) -> str:
    tags = sorted({TAGS[i % len(TAGS)], TAGS[(i * 7 + 3) % len(TAGS)]})
    lines = [
        "+++",
        f'title = "AWS 네트워크 노트 {i:04d}: VPC와 연결"',
        f'date = "{2015 + i % 9}-{1 + i % 12:02d}-{1 + i % 28:02d}"',
        f'description = "노트 {i}번: VPC 엔드포인트, 배치 그룹, 인터넷 연결을 정리한다."',
        "tags = [" + ", ".join(json.dumps(t, ensure_ascii=False) for t in tags) + "]",
    ]
    if i % 3 == 0:
        lines += [f'series = ["AWS 시리즈 {i % 25}"]', f"weight = {i // 25}"]
    lines.append("+++")
    chapters = body.split("\n# ")
    # Variations: a unique opening, and every other note without its last chapter.
    kept = chapters if i % 2 == 0 or len(chapters) < 3 else chapters[:-1]
    opening = f"\n노트 {i}번의 요약이다. 이 노트는 {tags[0]} 주제를 다룬다.\n"
    if edit:
        opening += f"\n편집 {edit}: 저장할 때마다 바뀌는 문단이다.\n"
    return "\n".join(lines) + "\n" + opening + "\n# ".join(kept)


def make_corpus(target: Path, notes: int) -> Path:
    """A project in TARGET with the packaged theme's templates/ and static/ (exported), the
    repo's static/ and NOTES notes."""
    project = target / "project"
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    shutil.copytree(THEME / "templates", project / "templates")
    shutil.copytree(THEME / "static", project / "static")
    shutil.copytree(ROOT / "static", project / "static", dirs_exist_ok=True)
    (project / "site.toml").write_text(SITE_TOML, encoding="utf-8")
    _, body = split_note(SHIPPED_NOTE.read_text(encoding="utf-8"))
    for i in range(notes):
        path = note_path(project, i)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(note_text(i, body), encoding="utf-8")
    return project


def note_path(project: Path, i: int) -> Path:
    return project / "content" / SECTIONS[i % len(SECTIONS)] / f"note-{i:04d}.md"


def note_page(i: int) -> str:
    return f"{SECTIONS[i % len(SECTIONS)]}/note-{i:04d}/index.html"


# ------------------------------------------------------------------------ serve + SSE
class Serve:
    def __init__(self, project: Path) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([str(SRC), *filter(None, [env.get("PYTHONPATH")])])
        env["PYTHONUNBUFFERED"] = "1"
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "awsnotes_site",
                "serve",
                "--source",
                str(project),
                "--port",
                "0",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env=env,
            text=True,
            encoding="utf-8",
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.out: list[str] = []
        self.err: list[str] = []
        threading.Thread(
            target=self._pump, args=(self.proc.stdout, self.out, True), daemon=True
        ).start()
        threading.Thread(
            target=self._pump, args=(self.proc.stderr, self.err, False), daemon=True
        ).start()

    def _pump(self, stream: Any, sink: list[str], lines: bool) -> None:
        for line in stream:
            sink.append(line)
            if lines:
                self.lines.put(line)
        if lines:
            self.lines.put(None)

    def wait_for_url(self, timeout: float = 600) -> str:
        deadline = time.monotonic() + timeout
        while True:
            line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            if line is None:
                raise SystemExit(f"serve ended early:\n{''.join(self.out)}{''.join(self.err)}")
            if line.startswith("serving "):
                return line.split()[1]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def rebuild_ms(self) -> list[float]:
        found = (re.match(r"(?:fixed; )?rebuilt in (\d+) ms", line) for line in self.out)
        return [float(m.group(1)) for m in found if m]


class EventStream:
    """Reads the event stream on a thread; (name, data, arrival perf_counter) to a queue."""

    def __init__(self, url: str) -> None:
        parts = urllib.parse.urlsplit(url)
        assert parts.hostname and parts.port
        self.events: queue.Queue[tuple[str, Any, float]] = queue.Queue()
        self.sock = socket.create_connection((parts.hostname, parts.port), timeout=60)
        target = f"{parts.path}__awsnotes/events"
        self.sock.sendall(f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n".encode())
        self.sock.settimeout(None)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.file = self.sock.makefile("rb", buffering=0)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        name, data = "message", ""
        with contextlib.suppress(OSError, ValueError):
            for raw in self.file:
                now = time.perf_counter()
                line = raw.decode("utf-8").rstrip("\r\n")
                if line.startswith("event:"):
                    name = line[6:].strip()
                elif line.startswith("data:"):
                    data += line[5:].strip()
                elif line == "":
                    if data:
                        self.events.put((name, json.loads(data), now))
                    name, data = "message", ""
        self.events.put(("closed", None, time.perf_counter()))

    def wait(self, name: str, want: str | None = None, timeout: float = 120) -> float:
        """Arrival time of the next NAME event (listing WANT among ``changed``)."""
        deadline = time.monotonic() + timeout
        while True:
            got, data, at = self.events.get(timeout=max(0.1, deadline - time.monotonic()))
            if got == "closed":
                raise SystemExit("the event stream closed")
            if got == "error":
                raise SystemExit(f"build error during the benchmark: {data}")
            if got == name and (want is None or want in data.get("changed", [])):
                return at

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()


# ---------------------------------------------------------------------------- measuring
def machine_info() -> str:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        kb = int(Path("/proc/meminfo").read_text().split("\n")[0].split()[1])
        mem = f", {kb / 1024 / 1024:.1f} GiB RAM"
    return (
        f"{platform.system()} {platform.release()} {platform.machine()}; {cpu}; "
        f"{os.cpu_count()} CPUs{mem}; Python {platform.python_version()} "
        f"({platform.python_implementation()})"
    )


def summary(values: list[float]) -> str:
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]
    return (
        f"median {statistics.median(values):7.1f} ms   p90 {p90:7.1f} ms   "
        f"min {ordered[0]:7.1f} ms   max {ordered[-1]:7.1f} ms"
    )


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
BROWSER_NOTE = 5  # the note whose page is open in the browser
WATCH_TEXT = """(marker) => {
  window.__seen = null;
  window.__painted = null;
  const check = () => {
    if (window.__seen === null && document.body.textContent.includes(marker)) {
      window.__seen = performance.timeOrigin + performance.now();
      const now = () => performance.timeOrigin + performance.now();
      requestAnimationFrame(() => { window.__painted = now(); });
    }
  };
  if (window.__observer) window.__observer.disconnect();
  window.__observer = new MutationObserver(check);
  window.__observer.observe(document.documentElement,
                            {childList: true, subtree: true, characterData: true});
}"""
WATCH_CSS = """() => {
  window.__cssLoaded = null;
  if (window.__cssObserver) window.__cssObserver.disconnect();
  window.__cssObserver = new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) {
      if (n.tagName === "LINK") n.addEventListener("load", () => {
        if (window.__cssLoaded === null)
          window.__cssLoaded = performance.timeOrigin + performance.now();
      }, {once: true});
    }
  });
  window.__cssObserver.observe(document.head, {childList: true});
}"""


def clock_offset(page: Any) -> float:
    """The page's epoch clock (ms) minus this process's, from the shortest of 5 trips."""
    best: tuple[float, float] | None = None
    for _ in range(5):
        t0 = time.time() * 1000
        theirs = float(page.evaluate("() => performance.timeOrigin + performance.now()"))
        t1 = time.time() * 1000
        if best is None or t1 - t0 < best[0]:
            best = (t1 - t0, theirs - (t0 + t1) / 2)
    assert best is not None
    return best[1]


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def browser_edits(page: Any, project: Path, body: str, edits: int) -> dict[str, list[float]]:
    """Note saves measured in the page: save -> visible (and its parts)."""
    out: dict[str, list[float]] = {
        "visible": [],
        "painted": [],
        "to_event": [],
        "fetch": [],
        "patch": [],
    }
    path = note_path(project, BROWSER_NOTE)
    for n in range(edits):
        edit = 500 + n
        marker = f"편집 {edit}: 저장할 때마다"
        page.evaluate(WATCH_TEXT, marker)
        offset = clock_offset(page)
        origin = float(page.evaluate("() => performance.timeOrigin"))
        text = note_text(BROWSER_NOTE, body, edit=edit)
        saved = time.time() * 1000
        path.write_text(text, encoding="utf-8")
        page.wait_for_function("() => window.__seen !== null && window.__painted", timeout=60_000)
        seen, painted, timing, kept = page.evaluate(
            "() => [window.__seen, window.__painted, "
            "window.__awsnotesLiveReload.timings.slice(-1)[0], window.__benchKept]"
        )
        if kept != "yes":
            raise SystemExit("the page reloaded instead of being patched")
        out["visible"].append(seen - offset - saved)
        out["painted"].append(painted - offset - saved)
        out["to_event"].append(origin + timing["event"] - offset - saved)
        out["fetch"].append(timing["fetched"] - timing["event"])
        out["patch"].append(timing["patched"] - timing["fetched"])
    return out


def browser_css(page: Any, css: Path, original: str, edits: int) -> list[float]:
    """CSS saves measured in the page: save -> the swapped stylesheet has loaded."""
    times: list[float] = []
    for n in range(edits):
        page.evaluate(WATCH_CSS)
        offset = clock_offset(page)
        text = original + f"\n.bench-browser-{n} {{ color: rgb({n}, 1, 0); }}\n"
        saved = time.time() * 1000
        css.write_text(text, encoding="utf-8")
        page.wait_for_function("() => window.__cssLoaded !== null", timeout=60_000)
        times.append(float(page.evaluate("() => window.__cssLoaded")) - offset - saved)
    return times


def measure_browser(url: str, project: Path, edits: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    _, body = split_note(SHIPPED_NOTE.read_text(encoding="utf-8"))
    css = project / "static" / "css" / "site.css"
    original = css.read_text(encoding="utf-8")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(url + note_page(BROWSER_NOTE).removesuffix("index.html"))
            page.wait_for_function(
                "() => window.__awsnotesLiveReload && window.__awsnotesLiveReload.snapshot",
                timeout=60_000,
            )
            page.evaluate("() => { window.__benchKept = 'yes'; }")
            browser_edits(page, project, body, 2)  # warm-up
            results = browser_edits(page, project, body, edits)
            results["css"] = browser_css(page, css, original, edits)
        finally:
            browser.close()
    return results


def measure(project: Path, edits: int, notes: int, browser: bool = True) -> dict[str, list[float]]:
    _, body = split_note(SHIPPED_NOTE.read_text(encoding="utf-8"))
    css = project / "static" / "css" / "site.css"
    css_original = css.read_text(encoding="utf-8")
    serve = Serve(project)
    started = time.perf_counter()
    try:
        url = serve.wait_for_url()
        print(f"serve ready in {time.perf_counter() - started:.1f} s at {url}")
        stream = EventStream(url)
        stream.wait("hello")
        # One warm-up edit of each kind (first-time costs are not what a writer waits on).
        note_path(project, 1).write_text(note_text(1, body, edit=999), encoding="utf-8")
        stream.wait("reload", note_page(1))
        css.write_text(css_original + "\n/* warm-up */\n", encoding="utf-8")
        stream.wait("css")
        note_ms: list[float] = []
        for n in range(edits):
            i = (n * 97 + 5) % notes
            text = note_text(i, body, edit=n + 1)
            t0 = time.perf_counter()
            note_path(project, i).write_text(text, encoding="utf-8")
            note_ms.append((stream.wait("reload", note_page(i)) - t0) * 1000)
        css_ms: list[float] = []
        for n in range(edits):
            text = css_original + f"\n.bench-{n} {{ color: rgb({n}, 0, 0); }}\n"
            t0 = time.perf_counter()
            css.write_text(text, encoding="utf-8")
            css_ms.append((stream.wait("css") - t0) * 1000)
        stream.close()
        before = len(serve.rebuild_ms())
        seen = measure_browser(url, project, edits) if browser else {}
    finally:
        serve.stop()
    rebuilds = serve.rebuild_ms()  # warm-up note, warm-up CSS, then the measured ones
    if seen:  # two warm-up saves in the browser, then the measured ones
        seen["build"] = rebuilds[before + 2 : before + 2 + edits]
    return {
        "note": note_ms,
        "css": css_ms,
        "note_build": rebuilds[2 : 2 + edits],
        "css_build": rebuilds[2 + edits : 2 + 2 * edits],
        **{f"browser_{k}": v for k, v in seen.items()},
    }


def profile_rebuild(project: Path, top: int) -> None:
    """cProfile one incremental rebuild after a note edit, as serve runs it."""
    sys.path.insert(0, str(SRC))
    from awsnotes_site.pipeline import Builder, BuildOptions

    _, body = split_note(SHIPPED_NOTE.read_text(encoding="utf-8"))
    options = BuildOptions(base_url="http://127.0.0.1:1313/notes/", use_cache=False)
    builder = Builder(project, options)
    t0 = time.perf_counter()
    builder.build()
    first = time.perf_counter() - t0
    note_path(project, 3).write_text(note_text(3, body, edit=10_001), encoding="utf-8")
    t0 = time.perf_counter()
    builder.build()
    plain = time.perf_counter() - t0
    note_path(project, 3).write_text(note_text(3, body, edit=10_002), encoding="utf-8")
    prof = cProfile.Profile()
    prof.enable()
    result = builder.build()
    prof.disable()
    print(
        f"\n--- profile: Builder.build() after one note edit "
        f"(full build {first:.2f} s, rebuild {plain * 1000:.0f} ms unprofiled; "
        f"{result.stats.rendered_pages} pages re-rendered)"
    )
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats(order).print_stats(top)
        text = out.getvalue()
        print(text[text.find("   ncalls") :].rstrip() if "   ncalls" in text else text)
        print()


def report_browser(results: dict[str, list[float]]) -> None:
    n = len(results["browser_visible"])
    print(f"\nin Chromium, page patched in place ({n} saves of {note_page(BROWSER_NOTE)}):")
    rows = [
        ("note save -> new text in the DOM", "browser_visible"),
        ("note save -> next frame after it", "browser_painted"),
        ("  save -> event at the page", "browser_to_event"),
        ("    of which rebuild (server log)", "browser_build"),
        ("  event -> new page fetched", "browser_fetch"),
        ("  fetched -> patched", "browser_patch"),
        ("CSS save -> new stylesheet loaded", "browser_css"),
    ]
    for label, key in rows:
        if results.get(key):
            print(f"{label:<38} {summary(results[key])}")
    visible = statistics.median(results["browser_visible"])
    css = statistics.median(results["browser_css"])
    print(
        f"aims: visible <= 80 ms {'met' if visible <= 80 else 'NOT met'}; "
        f"CSS in the page <= 50 ms {'met' if css <= 50 else 'NOT met'}"
    )


@contextlib.contextmanager
def workdir(keep: str | None) -> Iterator[Path]:
    if keep:
        path = Path(keep)
        path.mkdir(parents=True, exist_ok=True)
        yield path
    else:
        with tempfile.TemporaryDirectory(prefix="serve-bench-") as tmp:
            yield Path(tmp)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium part")
    parser.add_argument("--profile", action="store_true", help="cProfile one rebuild too")
    parser.add_argument("--top", type=int, default=30, help="rows of the profile")
    parser.add_argument("--keep", help="make the corpus here and keep it")
    args = parser.parse_args(argv)
    print(f"machine: {machine_info()}")
    print(f"load average (1/5/15 min) before: {load_average()}")
    with workdir(args.keep) as tmp:
        t0 = time.perf_counter()
        project = make_corpus(tmp, args.notes)
        print(f"corpus: {args.notes} notes in {project} ({time.perf_counter() - t0:.1f} s)")
        results = measure(project, args.edits, args.notes, browser=not args.no_browser)
        print(
            f"\nnote save -> reload event ({len(results['note'])} edits): "
            f"{summary(results['note'])}"
        )
        if results["note_build"]:
            print(f"  of which rebuild (server log):          {summary(results['note_build'])}")
        print(f"CSS save  -> css event    ({len(results['css'])} edits): {summary(results['css'])}")
        if results["css_build"]:
            print(f"  of which static refresh (server log):   {summary(results['css_build'])}")
        note_ok = statistics.median(results["note"]) < 100
        css_ok = statistics.median(results["css"]) < 50
        print(
            f"aims: note < 100 ms {'met' if note_ok else 'NOT met'}; "
            f"CSS < 50 ms {'met' if css_ok else 'NOT met'}"
        )
        if "browser_visible" in results:
            report_browser(results)
        print(f"load average (1/5/15 min) after: {load_average()}")
        if args.profile:
            profile_rebuild(project, args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
