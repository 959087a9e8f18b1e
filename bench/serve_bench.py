"""Live-preview latency of ``awsnotes-site serve`` on a large site.

Makes a corpus of N notes (variations of the shipped content/posts/aws-network-2.md),
starts ``python -m awsnotes_site serve`` on it, connects an event-stream client and
measures, in this process and on one clock:

* note save -> ``reload`` event that lists the note's page (median of --edits saves);
* CSS save  -> ``css`` event (median of --edits saves).

Aims: < 100 ms for a note, < 50 ms for CSS. ``--profile`` also profiles one incremental
rebuild with cProfile (in this process, on the same corpus) to show what costs the time.

    python bench/serve_bench.py [--notes 1000] [--edits 20] [--profile] [--keep DIR]
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


def measure(project: Path, edits: int, notes: int) -> dict[str, list[float]]:
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
    finally:
        serve.stop()
    rebuilds = serve.rebuild_ms()  # warm-up note, warm-up CSS, then the measured ones
    return {
        "note": note_ms,
        "css": css_ms,
        "note_build": rebuilds[2 : 2 + edits],
        "css_build": rebuilds[2 + edits :],
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
    parser.add_argument("--profile", action="store_true", help="cProfile one rebuild too")
    parser.add_argument("--top", type=int, default=30, help="rows of the profile")
    parser.add_argument("--keep", help="make the corpus here and keep it")
    args = parser.parse_args(argv)
    print(f"machine: {machine_info()}")
    with workdir(args.keep) as tmp:
        t0 = time.perf_counter()
        project = make_corpus(tmp, args.notes)
        print(f"corpus: {args.notes} notes in {project} ({time.perf_counter() - t0:.1f} s)")
        results = measure(project, args.edits, args.notes)
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
        if args.profile:
            profile_rebuild(project, args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
