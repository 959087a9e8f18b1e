"""``awsnotes-site new PATH``: a note in ``content/`` with TOML front matter, published."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path

from awsnotes_site.commands.common import refuse, report, site_problem
from awsnotes_site.config import load_config
from awsnotes_site.diagnostics import BuildError


@dataclass(frozen=True)
class NewCommand:
    path: str
    source: Path = Path(".")


def front_matter(title: str, now: dt.datetime) -> str:
    """The new note's text: front matter only. ``draft = false``, so the next build
    publishes it; set it to true to keep the note out of builds."""
    escaped = title.replace("\\", "\\\\").replace('"', '\\"')
    return (
        f'+++\ntitle = "{escaped}"\ndate = {now.isoformat()}\ndescription = ""\n'
        f"tags = []\ndraft = false\n+++\n\n"
    )


def run(options: NewCommand) -> int:
    problem = site_problem(options.source, need_content=False)
    if problem is not None:
        return refuse(problem)
    try:
        config, _ = load_config(options.source)
    except BuildError as exc:
        report(exc.diagnostics, True)
        return 1
    rel = Path(options.path)
    if rel.suffix != ".md":
        rel = rel.with_suffix(rel.suffix + ".md") if rel.suffix else rel.with_suffix(".md")
    target = (config.content_dir / rel).resolve()
    if not target.is_relative_to(config.content_dir.resolve()):
        print(f"error: {options.path} is outside content/", file=sys.stderr)
        return 2
    if target.exists():
        print(f"error: {target} already exists; not overwriting", file=sys.stderr)
        return 1
    now = dt.datetime.now(tz=config.tz).replace(microsecond=0)
    title = rel.stem.replace("-", " ").replace("_", " ").strip() or "새 노트"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(front_matter(title, now), encoding="utf-8")
    print(f"created {target}")
    return 0
