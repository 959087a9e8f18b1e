"""``awsnotes-site serve``: build into memory, serve, rebuild on save, reload browsers."""

from __future__ import annotations

import argparse
import gc
from dataclasses import asdict, dataclass
from pathlib import Path

from awsnotes_site.commands.common import refuse, site_problem


@dataclass(frozen=True)
class ServeCommand:
    source: Path = Path(".")
    drafts: bool = False
    future: bool = False
    base_url: str | None = None
    verbose: bool = False
    port: int | None = None
    bind: str = "127.0.0.1"
    poll: bool = False
    open: bool = False


def run(options: ServeCommand) -> int:
    from awsnotes_site.serve import serve

    problem = site_problem(options.source)
    if problem is not None:
        return refuse(problem)
    gc.enable()  # a long-running process: collect cycles as usual (see cli.run)
    return int(serve(options.source, argparse.Namespace(**asdict(options))))
