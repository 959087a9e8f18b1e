"""``awsnotes-site check``: build (or read ``--output``) and verify every link."""

from __future__ import annotations

import argparse
from dataclasses import asdict, dataclass
from pathlib import Path

from awsnotes_site.commands.common import refuse, site_problem


@dataclass(frozen=True)
class CheckCommand:
    source: Path = Path(".")
    drafts: bool = False
    future: bool = False
    base_url: str | None = None
    verbose: bool = False
    output: str | None = None
    external: bool = False


def run(options: CheckCommand) -> int:
    from awsnotes_site.check import check_command

    # Checking a built folder (--output) needs no content/ (nor, as before, a site.toml:
    # the base URL may come from --base-url); checking by building needs a site.
    if options.output is None:
        problem = site_problem(options.source)
    elif not options.source.is_dir():
        problem = site_problem(options.source, need_content=False)
    else:
        problem = None
    if problem is not None:
        return refuse(problem)
    return int(check_command(options.source, argparse.Namespace(**asdict(options))))
