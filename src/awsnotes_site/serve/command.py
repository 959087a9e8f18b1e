"""``awsnotes-site serve``: the command around a :class:`PreviewServer` for a project."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import webbrowser
from pathlib import Path
from types import FrameType
from typing import Any

from awsnotes_site.config import CONFIG_NAME
from awsnotes_site.serve.http import DEFAULT_PORT, PortInUseError
from awsnotes_site.serve.preview import PreviewServer
from awsnotes_site.serve.project import ProjectBuilder


def serve(root: Path, args: argparse.Namespace | object) -> int:
    """``awsnotes-site serve``: run until Ctrl-C (exit 0); 2 when the port is unusable.

    ARGS holds the options by name (``port``, ``bind``, ``drafts``, ``future``,
    ``base_url``, ``poll``, ``verbose``, ``open``; a missing one takes its default): the
    argparse namespace, or an options dataclass."""
    stop = threading.Event()
    previous: dict[signal.Signals, Any] = {}

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            previous[sig] = signal.signal(sig, on_signal)
    try:
        return _serve(root, args, stop)
    except KeyboardInterrupt:
        return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _serve(root: Path, args: object, stop: threading.Event) -> int:
    if not root.is_dir():
        print(f"error: {root} is not a folder", file=sys.stderr)
        return 2
    site = ProjectBuilder(
        root,
        drafts=getattr(args, "drafts", False),
        future=getattr(args, "future", False),
        base_url=getattr(args, "base_url", None),
    )
    server = PreviewServer(
        site,
        port=getattr(args, "port", None),
        bind=getattr(args, "bind", "127.0.0.1"),
        poll=getattr(args, "poll", False),
        verbose=getattr(args, "verbose", False),
    )
    port = getattr(args, "port", None)
    if port is not None and not 0 <= port <= 65535:
        print(f"error: --port must be between 0 and 65535, not {port}", file=sys.stderr)
        return 2
    try:
        server.start()
    except PortInUseError as exc:
        print(f"error: {exc.strerror}", file=sys.stderr)
        return 2
    except OSError as exc:
        where = f"{server.bind}:{server.requested_port or DEFAULT_PORT}"
        print(f"error: cannot listen on {where}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    try:
        _run(server, stop, getattr(args, "open", False))
    finally:
        print("stopping ...", flush=True)
        server.stop()
    print("stopped", flush=True)
    return 0


def _run(server: PreviewServer, stop: threading.Event, open_browser: bool) -> None:
    """Report the first build, then wait for Ctrl-C."""
    if server.port_note:
        print(server.port_note, flush=True)
    print(f"building {server.root} ...", flush=True)
    while not stop.is_set():
        try:
            first = server.wait_for_build(1, timeout=0.25)
        except TimeoutError:
            continue
        if first.ok:
            s = first_stats(server)
            print(f"built {s} in {first.seconds:.2f}s", flush=True)
        else:
            print(
                "the first build failed; fix the error and save to try again",
                file=sys.stderr,
                flush=True,
            )
        break
    if not stop.is_set():
        how = "polling" if server.poll else "watching"
        print(f"{how} content/, templates/, static/ and {CONFIG_NAME} for changes", flush=True)
        print(f"serving {server.url} (Ctrl-C to stop)", flush=True)
        if open_browser:
            threading.Thread(target=webbrowser.open, args=(server.url,), daemon=True).start()
    while not stop.wait(0.5):
        pass


def first_stats(server: PreviewServer) -> str:
    result = server.state.result
    if result is None:
        return "the site"
    s = result.stats
    return f"{s.notes} notes, {s.pages} pages, {s.files} files"
