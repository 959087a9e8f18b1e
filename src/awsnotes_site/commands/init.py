"""``awsnotes-site init [DIR] [--force]``: a new site with one published note and the
GitHub Pages workflow. The files are package data in ``awsnotes_site/scaffold/``."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

from awsnotes_site.commands.common import USAGE_ERROR

# scaffold file -> where init writes it in the new site (package data cannot hold a
# dot-file or a folder tree that setuptools would not pick up, hence the flat names).
FILES: tuple[tuple[str, str], ...] = (
    ("site.toml", "site.toml"),
    ("first-note.md", "content/posts/first-note.md"),
    ("gitignore", ".gitignore"),
    ("pages.yml", ".github/workflows/pages.yml"),
)
# The first note is dated the day the site is made, in the scaffold's time zone.
DATE_MARK = b"@DATE@"
SCAFFOLD_TZ = ZoneInfo("Asia/Seoul")


@dataclass(frozen=True)
class InitCommand:
    directory: Path = Path(".")
    force: bool = False
    from_hugo: Path | None = None


def scaffold_file(name: str) -> bytes:
    """The bytes of one scaffold file, as shipped in the package."""
    return resources.files("awsnotes_site").joinpath("scaffold", name).read_bytes()


def rendered(name: str, today: dt.date) -> bytes:
    data = scaffold_file(name)
    return data.replace(DATE_MARK, today.isoformat().encode()) if name.endswith(".md") else data


def _refusal(folder: Path, force: bool) -> str | None:
    """Why init may not write into FOLDER, or None."""
    if folder.exists() and not folder.is_dir():
        return f"error: {folder} exists and is not a folder"
    if force or not folder.is_dir():
        return None
    entries = sorted(p.name for p in folder.iterdir())
    if not entries:
        return None
    shown = ", ".join(entries[:5]) + (", ..." if len(entries) > 5 else "")
    return (
        f"error: {folder} is not empty ({shown}); init makes a new site in an empty folder\n"
        f"  hint: awsnotes-site init NEW-FOLDER, or --force to add the site's files here "
        "(files that already exist are kept, never overwritten)"
    )


def next_steps(folder: Path) -> str:
    cd = "" if folder == Path(".") else f"  cd {folder}\n"
    return (
        "next steps:\n"
        f"{cd}"
        "  awsnotes-site serve                  preview while you write (Ctrl-C stops)\n"
        "  awsnotes-site new posts/my-note.md   start another note\n"
        "  push the folder to a new GitHub repository, branch main:\n"
        '    git init -b main && git add -A && git commit -m "첫 노트"\n'
        "    git remote add origin https://github.com/<user>/<repository>.git\n"
        "    git push -u origin main\n"
        "  on GitHub: Settings -> Pages -> Source: GitHub Actions\n"
        "  in site.toml: set base_url to https://<user>.github.io/<repository>/"
    )


def from_hugo(folder: Path) -> int:
    """``init --from-hugo DIR``: DIR/site.toml with the Hugo site's settings (never
    replacing a site.toml that is there)."""
    from awsnotes_site.diagnostics import BuildError
    from awsnotes_site.hugo.config import load_hugo_config
    from awsnotes_site.hugo.site import site_toml

    try:
        hugo = load_hugo_config(folder.resolve()) if folder.is_dir() else None
    except BuildError as exc:
        for d in exc.diagnostics:
            print(d.format(), file=sys.stderr)
        return 1
    if hugo is None:
        print(
            f"error: {folder} holds no Hugo configuration (hugo.toml, config.toml, "
            "config.yaml, config/_default/)",
            file=sys.stderr,
        )
        return USAGE_ERROR
    target = folder / "site.toml"
    try:
        with target.open("x", encoding="utf-8") as f:
            f.write(site_toml(hugo))
    except FileExistsError:
        print(f"error: {target} already exists; it was left as it is", file=sys.stderr)
        return USAGE_ERROR
    print(f"wrote {target} from {hugo.path.name}: build, serve and check now read it")
    return 0


def run(options: InitCommand) -> int:
    if options.from_hugo is not None:
        return from_hugo(options.from_hugo)
    folder = options.directory
    refusal = _refusal(folder, options.force)
    if refusal is not None:
        print(refusal, file=sys.stderr)
        return USAGE_ERROR
    today = dt.datetime.now(SCAFFOLD_TZ).date()
    written: list[str] = []
    kept: list[str] = []
    for name, rel in FILES:
        target = folder / rel
        if target.exists() or target.is_symlink():
            kept.append(rel)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("xb") as f:  # never replaces a file that appeared meanwhile
            f.write(rendered(name, today))
        written.append(rel)
    print(f"created a new site in {folder}:" if written else f"nothing written in {folder}")
    for rel in written:
        print(f"  {rel}")
    for rel in kept:
        print(f"  {rel} (already there, kept)")
    print(next_steps(folder))
    return 0
