"""The command line: every subcommand's flags become its option dataclass, a wrong flag
prints that subcommand's usage, and --help/--version work for every command."""

from __future__ import annotations

import argparse
import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from awsnotes_site import __version__
from awsnotes_site.cli import _options, make_parser
from awsnotes_site.commands.build import BuildCommand
from awsnotes_site.commands.check import CheckCommand
from awsnotes_site.commands.init import InitCommand
from awsnotes_site.commands.new import NewCommand
from awsnotes_site.commands.serve import ServeCommand
from awsnotes_site.commands.theme import ThemeCommand
from helpers import _env_with_src

COMMANDS = ["build", "serve", "check", "new", "init"]


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "awsnotes_site", *args],
        cwd=cwd,
        env=_env_with_src(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            [
                "build",
                "-s",
                "site",
                "--drafts",
                "--future",
                "--base-url",
                "https://x.io/",
                "-v",
                "-o",
                "out",
                "--clean",
                "--no-cache",
                "--strict",
            ],
            BuildCommand(Path("site"), True, True, "https://x.io/", True, "out", True, True, True),
        ),
        (["build"], BuildCommand()),
        (
            ["serve", "--port", "0", "--bind", "0.0.0.0", "--poll", "--open", "--drafts"],
            ServeCommand(drafts=True, port=0, bind="0.0.0.0", poll=True, open=True),
        ),
        (["check", "-o", "public", "--external"], CheckCommand(output="public", external=True)),
        (["new", "posts/a.md", "-s", "site"], NewCommand("posts/a.md", Path("site"))),
        (["init"], InitCommand()),
        (["init", "my-notes", "--force"], InitCommand(Path("my-notes"), True)),
        (["theme", "export"], ThemeCommand(names=[])),
        (
            ["theme", "export", "--force", "--static", "note.html", "-s", "site"],
            ThemeCommand("export", ["note.html"], True, True, Path("site")),
        ),
    ],
)
def test_flags_become_the_commands_options(argv: list[str], expected: object) -> None:
    parser, _ = make_parser()
    args = parser.parse_args(argv)
    assert _options(args, type(expected)) == expected


def test_each_command_parser_has_exactly_its_dataclass_fields() -> None:
    _, commands = make_parser()
    classes = {
        "build": BuildCommand,
        "serve": ServeCommand,
        "check": CheckCommand,
        "new": NewCommand,
        "init": InitCommand,
        "theme": ThemeCommand,
    }
    assert sorted(commands) == sorted(classes)
    for name, parser in commands.items():
        dests = {a.dest for a in parser._actions if a.dest != "help"}
        for action in parser._actions:  # theme export: the action's own flags
            if isinstance(action, argparse._SubParsersAction):
                for sub in action.choices.values():
                    dests |= {a.dest for a in sub._actions if a.dest != "help"}
        assert dests == {f.name for f in dataclasses.fields(classes[name])}, name


@pytest.mark.parametrize("command", COMMANDS)
def test_a_wrong_flag_prints_that_commands_usage(command: str, tmp_path: Path) -> None:
    args = [command, "posts/a.md"] if command == "new" else [command]
    proc = cli(*args, "--colour", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"usage: awsnotes-site {command} "), proc.stderr
    assert f"awsnotes-site {command}: error: unrecognized arguments: --colour" in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_bad_value_prints_that_commands_usage(tmp_path: Path) -> None:
    proc = cli("serve", "--port", "eighty", cwd=tmp_path)
    assert proc.returncode == 2 and proc.stderr.startswith("usage: awsnotes-site serve ")


@pytest.mark.parametrize("command", COMMANDS)
def test_help_of_every_command(command: str) -> None:
    proc = cli(command, "--help")
    assert proc.returncode == 0 and proc.stdout.startswith(f"usage: awsnotes-site {command}")


def test_version_and_no_command() -> None:
    assert cli("--version").stdout == f"awsnotes-site {__version__}\n"
    proc = cli()
    assert proc.returncode == 2 and "init" in proc.stderr


# -- a rebuild with nothing changed (commands/uptodate.py) -------------------------------
NOTES = {
    "posts/a.md": '+++\ntitle = "가"\ndate = 2024-01-02\ntags = ["t"]\n+++\n\n본문 가\n',
    "posts/b.md": '+++\ntitle = "나"\ndate = 2024-01-03\n+++\n\n[없는 곳](/nowhere/)\n',
}


def build_cli(project: Path, **env: str) -> tuple[subprocess.CompletedProcess[str], bool]:
    """``build`` in ``project``; and whether it ran the pipeline (imported it) or answered
    from the record of the last build."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "awsnotes_site", "build"],
        cwd=project,
        env={**_env_with_src(), **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    built = "awsnotes_site.pipeline.builder" in proc.stderr
    report = "".join(line + "\n" for line in proc.stderr.splitlines() if "import time:" not in line)
    return subprocess.CompletedProcess(proc.args, 0, proc.stdout, report), built


def _summary(proc: subprocess.CompletedProcess[str]) -> str:
    return proc.stdout.rsplit(" in ", 1)[0]


def test_a_rebuild_with_nothing_changed_reports_the_same_without_building(
    tmp_path: Path,
) -> None:
    from sitefactory import make_project

    project = make_project(tmp_path, NOTES, shipped=False, theme=False)
    first, built = build_cli(project)
    assert built and "nowhere" in first.stderr  # the broken link's warning
    again, built = build_cli(project)
    assert not built
    assert again.stderr == first.stderr
    (project / "unrelated.txt").write_text("x", encoding="utf-8")  # any file: a real build
    real, built = build_cli(project)
    assert built and "(0 written," in real.stdout
    answered, built = build_cli(project)
    assert not built
    assert (_summary(answered), answered.stderr) == (_summary(real), real.stderr)


def test_any_change_builds_again(tmp_path: Path) -> None:
    from sitefactory import make_project

    project = make_project(tmp_path, NOTES, shipped=False, theme=False)
    out = project / "public"
    build_cli(project)
    note = project / "content" / "posts" / "a.md"
    note.write_text(note.read_text(encoding="utf-8") + "\n새 문장\n", encoding="utf-8")
    _, built = build_cli(project)
    assert built and "새 문장" in (out / "posts" / "a" / "index.html").read_text(encoding="utf-8")
    page = out / "posts" / "b" / "index.html"
    page.unlink()  # the output folder changed
    _, built = build_cli(project)
    assert built and page.is_file()
    css = project / "static" / "extra.css"
    css.write_text("p{}", encoding="utf-8")
    _, built = build_cli(project)
    assert built and (out / "static" / "extra.css").read_text(encoding="utf-8") == "p{}"
    _, built = build_cli(project)
    assert not built


def test_a_note_whose_date_has_come_is_built(tmp_path: Path) -> None:
    """The record expires when a future note's date passes: built as of 2020, the 2021
    note is left out; it is now later than 2021, so the next build runs the pipeline."""
    from sitefactory import make_project

    notes = {"posts/later.md": '+++\ntitle = "나중"\ndate = 2021-06-01\n+++\n\n본문\n'}
    project = make_project(tmp_path, {**NOTES, **notes}, shipped=False, theme=False)
    epoch = {"SOURCE_DATE_EPOCH": "1577836800"}  # 2020-01-01
    first, _ = build_cli(project, **epoch)
    assert "built 0 notes" in first.stdout
    _, built = build_cli(project, **epoch)
    assert built


@pytest.mark.parametrize("argv", [["check"], ["build", "--no-cache"]])
def test_commands_leave_no_scratch_folder_behind(argv: list[str], tmp_path: Path) -> None:
    """``check`` and ``build --no-cache`` keep image variants in a scratch folder; the
    command removes it before it exits (the entry point skips the interpreter's teardown)."""
    from sitefactory import make_project

    project = make_project(tmp_path / "site", NOTES, shipped=False, theme=False)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    proc = subprocess.run(
        [sys.executable, "-m", "awsnotes_site", *argv],
        cwd=project,
        env={**_env_with_src(), "TMPDIR": str(scratch)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode in (0, 1), proc.stderr  # (check: 1 for the broken link)
    assert "nowhere" in proc.stderr
    assert sorted(p.name for p in scratch.iterdir()) == []
