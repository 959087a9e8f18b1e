"""Soak test of ``awsnotes-site serve``: many mixed operations, nothing missed or leaked.

Runs the preview server in this process on a corpus of N notes (bench/serve_bench.py's
corpus) and drives it through OPS operations chosen by a seeded random generator: note
edits, adds, renames and deletes, template edits, config edits and bursts of saves. After
each operation it waits (with a timeout, on the event stream) until the ``reload`` events
that must follow it have arrived: every page the operation changes listed as changed,
every page it removes as removed. At the end:

* every file the server serves equals, byte for byte, a cold build of the same tree
  (minus the live-reload tag the server adds to HTML), and the two list the same files;
* resident memory (VmRSS) at the end is at most 10 % above what it was after the first
  100 operations, both read once the server has collected its garbage (it does so when
  no change has come for a quarter of a second: the back-to-back operations here never
  leave it that long, so a reading right after an operation also counts up to ten builds'
  uncollected garbage; those readings are reported too, as "right after");
* once the server has stopped, no thread, child process or file descriptor it opened is
  left.

    python bench/soak.py [--notes 1000] [--ops 2000] [--seed 1] [--keep DIR]

Exit status 0 when every check passed, 1 otherwise. tests/test_soak.py runs a short one.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import http.client
import io
import json
import os
import queue
import random
import re
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "src"))
sys.path.insert(0, str(BENCH))

from serve_bench import (  # noqa: E402
    SHIPPED_NOTE,
    make_corpus,
    note_page,
    note_path,
    note_text,
    split_note,
)

from awsnotes_site.pipeline import Builder, BuildOptions  # noqa: E402
from awsnotes_site.serve.client import script_tag  # noqa: E402
from awsnotes_site.serve.preview import PreviewServer  # noqa: E402
from awsnotes_site.serve.project import ProjectBuilder  # noqa: E402

WAIT_SECONDS = 120.0  # longest wait for the events of one operation
MEMORY_BASELINE_OP = 100
MEMORY_GROWTH = 0.10
# Operation -> weight. Adds and deletes keep the site near its size (see Soak.pick).
MIX = {
    "edit": 50,
    "burst": 10,
    "add": 10,
    "delete": 10,
    "rename": 10,
    "template": 2,
    "config": 2,
}


class Sink(io.StringIO):
    """A text stream that forgets what it is told (the server's terminal output)."""

    def write(self, s: str) -> int:
        return len(s)


def rss_bytes() -> int:
    with open("/proc/self/statm", encoding="ascii") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def open_fds() -> set[str]:
    found = set()
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):
            found.add(f"{fd} -> {os.readlink(f'/proc/self/fd/{fd}')}")
    return found


def child_pids() -> set[int]:
    pids: set[int] = set()
    for task in os.listdir("/proc/self/task"):
        with contextlib.suppress(OSError):
            text = Path(f"/proc/self/task/{task}/children").read_text(encoding="ascii")
            pids.update(int(p) for p in text.split())
    return pids


class Events:
    """The server's event stream, read on a thread into a queue of (name, data)."""

    def __init__(self, url: str) -> None:
        parts = urllib.parse.urlsplit(url)
        assert parts.hostname and parts.port
        self.queue: queue.Queue[tuple[str, Any]] = queue.Queue()
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=None)
        self.conn.request("GET", f"{parts.path}__awsnotes/events")
        self.response = self.conn.getresponse()
        self.thread = threading.Thread(target=self._read, name="soak-events", daemon=True)
        self.thread.start()

    def _read(self) -> None:
        name, data = "message", ""
        with contextlib.suppress(OSError, ValueError):
            for raw in self.response:
                line = raw.decode("utf-8").rstrip("\r\n")
                if line.startswith("event:"):
                    name = line[6:].strip()
                elif line.startswith("data:"):
                    data += line[5:].strip()
                elif line == "" and data:
                    self.queue.put((name, json.loads(data)))
                    name, data = "message", ""
        self.queue.put(("closed", None))

    def close(self) -> None:
        with contextlib.suppress(OSError):
            sock = self.conn.sock
            if sock is not None:
                sock.shutdown(2)
        self.conn.close()
        self.response.close()
        self.thread.join(30)


@dataclass
class Expect:
    """The pages an operation must be reported to change and to remove."""

    changed: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)


@dataclass
class Outcome:
    ops: dict[str, int] = field(default_factory=dict)
    missed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    baseline_op: int = 0
    rss_baseline: int = 0
    rss_peak: int = 0
    rss_end: int = 0
    rss_baseline_busy: int = 0  # right after the baseline operation, before collecting
    rss_end_busy: int = 0  # right after the last build, before collecting
    op_ms: dict[str, list[float]] = field(default_factory=dict)
    pages_compared: int = 0

    @property
    def growth(self) -> float:
        return _growth(self.rss_baseline, self.rss_end)

    @property
    def ok(self) -> bool:
        return not (self.missed or self.errors or self.mismatched or self.leaks) and (
            self.growth <= MEMORY_GROWTH
        )


class Soak:
    """Drives a running :class:`PreviewServer` through random operations."""

    def __init__(self, server: PreviewServer, project: Path, notes: int, seed: int) -> None:
        self.server = server
        self.project = project
        self.target = notes
        self.rng = random.Random(seed)
        self.alive = list(range(notes))
        self.next_id = notes
        self.edit = 0
        _, self.body = split_note(SHIPPED_NOTE.read_text(encoding="utf-8"))
        self.events = Events(server.url)
        self.outcome = Outcome()
        self._wait_hello()

    def _wait_hello(self) -> None:
        name, _ = self.events.queue.get(timeout=WAIT_SECONDS)
        if name != "hello":
            raise RuntimeError(f"expected hello, got {name}")

    # -- operations
    def pick(self, number: int) -> str:
        """The kind of operation NUMBER: each kind once first, then drawn from MIX."""
        kinds = list(MIX)
        if number <= len(kinds):
            return kinds[number - 1]
        kind = self.rng.choices(kinds, weights=list(MIX.values()))[0]
        if kind == "add" and len(self.alive) > self.target + 10:
            return "delete"
        if kind in ("delete", "rename") and len(self.alive) < max(5, self.target - 10):
            return "add"
        return kind

    def _write(self, i: int) -> str:
        self.edit += 1
        path = note_path(self.project, i)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(note_text(i, self.body, edit=self.edit), encoding="utf-8")
        return note_page(i)

    def op_edit(self) -> Expect:
        return Expect(changed={self._write(self.rng.choice(self.alive))})

    def op_burst(self) -> Expect:
        chosen = self.rng.sample(self.alive, min(3, len(self.alive)))
        pages = {self._write(self.rng.choice(chosen)) for _ in range(self.rng.randint(5, 12))}
        return Expect(changed=pages)

    def op_add(self) -> Expect:
        i, self.next_id = self.next_id, self.next_id + 1
        self.alive.append(i)
        return Expect(changed={self._write(i)})

    def op_delete(self) -> Expect:
        i = self.alive.pop(self.rng.randrange(len(self.alive)))
        note_path(self.project, i).unlink()
        return Expect(removed={note_page(i)})

    def op_rename(self) -> Expect:
        i = self.alive.pop(self.rng.randrange(len(self.alive)))
        j, self.next_id = self.next_id, self.next_id + 1
        self.alive.append(j)
        os.replace(note_path(self.project, i), note_path(self.project, j))
        return Expect(changed={note_page(j)}, removed={note_page(i)})

    def op_template(self) -> Expect:
        self.edit += 1
        path = self.project / "templates" / "base.html"
        text = re.sub(r"<!-- soak \d+ -->\n", "", path.read_text(encoding="utf-8"))
        text = text.replace("</body>", f"<!-- soak {self.edit} -->\n</body>", 1)
        path.write_text(text, encoding="utf-8")
        return Expect(changed={"index.html", note_page(self.rng.choice(self.alive))})

    def op_config(self) -> Expect:
        self.edit += 1
        path = self.project / "site.toml"
        text = re.sub(
            r'^description = ".*"$',
            f'description = "벤치마크용 큰 사이트 {self.edit}"',
            path.read_text(encoding="utf-8"),
            count=1,
            flags=re.M,
        )
        path.write_text(text, encoding="utf-8")
        return Expect(changed={"index.html"})

    def run_op(self, number: int) -> None:
        kind = self.pick(number)
        self.outcome.ops[kind] = self.outcome.ops.get(kind, 0) + 1
        started = time.perf_counter()
        expect = getattr(self, f"op_{kind}")()
        self._await(number, kind, expect)
        self.outcome.op_ms.setdefault(kind, []).append((time.perf_counter() - started) * 1000)

    def _await(self, number: int, kind: str, expect: Expect) -> None:
        """Wait for the reload events that report EXPECT; a miss when they do not come."""
        changed, removed = set(expect.changed), set(expect.removed)
        deadline = time.monotonic() + WAIT_SECONDS
        while changed or removed:
            try:
                name, data = self.events.queue.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                self.outcome.missed.append(
                    f"op {number} ({kind}): no reload for {sorted(changed | removed)}"
                )
                return
            if name == "error":
                texts = [d.get("text", "") for d in data.get("diagnostics", [])]
                self.outcome.errors.append(f"op {number} ({kind}): {texts}")
            elif name == "closed":
                raise RuntimeError("the event stream closed")
            elif name == "reload":
                changed -= set(data.get("changed", []))
                removed -= set(data.get("removed", []))

    # -- the end
    def settle(self) -> None:
        """Wait until the builder has caught up with every file change."""
        path = self.project / "content" / "soak-settle.md"
        path.write_text('+++\ntitle = "정착"\n+++\n\n끝\n', encoding="utf-8")
        self._await(-1, "settle", Expect(changed={"soak-settle/index.html"}))
        path.unlink()
        self._await(-1, "settle", Expect(removed={"soak-settle/index.html"}))

    def compare_with_cold_build(self) -> None:
        """Every file served equals a cold build's, and the same files exist."""
        found, compared = served_differences(self.server, self.project)
        self.outcome.mismatched += found
        self.outcome.pages_compared += compared

    def close(self) -> None:
        self.events.close()


def served_differences(server: PreviewServer, project: Path) -> tuple[list[str], int]:
    """The files SERVER serves that differ from a cold build of PROJECT (the live-reload
    tag taken out of HTML) or that only one of them has; and how many were compared."""
    options = BuildOptions(base_url=server.url, use_cache=False, save_cache=False)
    cold = Builder(project, options).build()
    served = server.state.result
    assert served is not None
    found: list[str] = []
    if set(served.files) != set(cold.files) or set(served.static) != set(cold.static):
        extra = sorted(set(served.all_paths()) ^ set(cold.all_paths()))[:10]
        found.append(f"the file lists differ: {extra}")
    parts = urllib.parse.urlsplit(server.url)
    assert parts.hostname and parts.port
    tag = script_tag(server.state.base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    compared = 0
    try:
        for path in sorted(cold.all_paths()):
            want = cold.files[path] if path in cold.files else cold.static[path].read_bytes()
            conn.request("GET", urllib.parse.quote(parts.path + path))
            response = conn.getresponse()
            got = response.read()
            if path.endswith((".html", ".htm")):
                got = got.replace(tag, b"", 1)
            if response.status != 200 or got != want:
                found.append(f"{path}: HTTP {response.status}, differs")
            compared += 1
    finally:
        conn.close()
    return found, compared


def soak(
    project: Path,
    notes: int,
    ops: int,
    seed: int,
    log: Any = None,
    baseline_op: int = MEMORY_BASELINE_OP,
) -> Outcome:
    """Run the soak on PROJECT (a corpus of NOTES notes); the outcome. Memory growth is
    measured from the end of operation BASELINE_OP."""
    gc.collect()
    threads = set(threading.enumerate())
    fds = open_fds()
    children = child_pids()
    server = PreviewServer(ProjectBuilder(project), port=0, out=Sink(), err=Sink())
    server.start()
    try:
        if not server.wait_for_build(1, 600).ok:
            raise RuntimeError("the first build failed")
        driver = Soak(server, project, notes, seed)
        try:
            for number in range(1, ops + 1):
                driver.run_op(number)
                rss = rss_bytes()
                driver.outcome.rss_peak = max(driver.outcome.rss_peak, rss)
                if number == min(baseline_op, ops):
                    driver.outcome.baseline_op = number
                    driver.outcome.rss_baseline_busy = rss
                    server.wait_until_collected(WAIT_SECONDS)
                    driver.outcome.rss_baseline = rss_bytes()
                if log is not None and number % 100 == 0:
                    o = driver.outcome
                    print(
                        f"  {number} ops, RSS {rss / 2**20:.0f} MiB, "
                        f"missed {len(o.missed)}, errors {len(o.errors)}",
                        file=log,
                        flush=True,
                    )
            driver.settle()
            driver.outcome.rss_end_busy = rss_bytes()
            server.wait_until_collected(WAIT_SECONDS)
            driver.outcome.rss_end = rss_bytes()
            driver.compare_with_cold_build()
        finally:
            driver.close()
    finally:
        server.stop()
    outcome = driver.outcome
    outcome.leaks = leaks(threads, fds, children)
    return outcome


def leaks(threads: set[threading.Thread], fds: set[str], children: set[int]) -> list[str]:
    found: list[str] = []
    extra_threads = [t for t in threading.enumerate() if t not in threads and t.is_alive()]
    found += [f"thread {t.name}" for t in extra_threads]
    found += [f"fd {fd}" for fd in sorted(open_fds() - fds)]
    found += [f"child process {pid}" for pid in sorted(child_pids() - children)]
    return found


def _growth(before: int, after: int) -> float:
    return after / before - 1 if before else 0.0


def report(outcome: Outcome, notes: int, ops: int, seconds: float) -> str:
    mib = 2**20
    lines = [
        f"soak: {ops} operations on {notes} notes in {seconds:.0f} s",
        "  operations: " + ", ".join(f"{k} {v}" for k, v in sorted(outcome.ops.items())),
        f"  missed reloads: {len(outcome.missed)}; build errors: {len(outcome.errors)}",
        f"  files compared with a cold build: {outcome.pages_compared}, "
        f"differing: {len(outcome.mismatched)}",
        f"  RSS after op {outcome.baseline_op}: {outcome.rss_baseline / mib:.1f} MiB, "
        f"peak {outcome.rss_peak / mib:.1f} MiB, end {outcome.rss_end / mib:.1f} MiB "
        f"(growth {outcome.growth * 100:+.1f} %, limit +{MEMORY_GROWTH * 100:.0f} %); "
        f"right after the operation, before the collection: "
        f"{outcome.rss_baseline_busy / mib:.1f} -> {outcome.rss_end_busy / mib:.1f} MiB "
        f"({_growth(outcome.rss_baseline_busy, outcome.rss_end_busy) * 100:+.1f} %)",
        f"  leaked threads, processes, fds: {len(outcome.leaks)}",
    ]
    for kind, times in sorted(outcome.op_ms.items()):
        ordered = sorted(times)
        lines.append(
            f"  {kind:<9} save -> events: median {ordered[len(ordered) // 2]:7.1f} ms, "
            f"max {ordered[-1]:7.1f} ms"
        )
    for problem in (outcome.missed + outcome.errors + outcome.mismatched + outcome.leaks)[:20]:
        lines.append(f"  PROBLEM: {problem}")
    lines.append("  result: " + ("passed" if outcome.ok else "FAILED"))
    return "\n".join(lines)


@contextlib.contextmanager
def workdir(keep: str | None) -> Iterator[Path]:
    if keep:
        path = Path(keep)
        path.mkdir(parents=True, exist_ok=True)
        yield path
    else:
        with tempfile.TemporaryDirectory(prefix="serve-soak-") as tmp:
            yield Path(tmp)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--notes", type=int, default=1000)
    parser.add_argument("--ops", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", help="make the corpus here and keep it")
    args = parser.parse_args(argv)
    print("load average (1/5/15 min) before: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    with workdir(args.keep) as tmp:
        project = make_corpus(tmp, args.notes)
        started = time.perf_counter()
        outcome = soak(project, args.notes, args.ops, args.seed, log=sys.stdout)
        print(report(outcome, args.notes, args.ops, time.perf_counter() - started))
    print("load average (1/5/15 min) after: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    return 0 if outcome.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
