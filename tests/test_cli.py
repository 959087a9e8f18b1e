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
