"""The build's progress bar: on a terminal, after a second, never in CI or in a pipe."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from awsnotes_site.commands.common import ProgressBar
from sitefactory import make_project


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bar_draws_on_a_terminal_after_the_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    out = FakeTerminal()
    bar = ProgressBar(out, delay=0.0)
    bar(5, 10)
    bar(10, 10)
    bar.finish()
    text = out.getvalue()
    assert "\rrendering notes [###############---------------] 5/10" in text
    assert "10/10" in text and text.endswith("\r\x1b[K")


def test_bar_waits_a_second_before_showing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    out = FakeTerminal()
    bar = ProgressBar(out)  # default delay: builds under a second show nothing
    bar(1, 2)
    bar.finish()
    assert out.getvalue() == ""


def test_bar_is_silent_in_ci_and_in_pipes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    out = FakeTerminal()
    ProgressBar(out, delay=0.0)(1, 2)
    assert out.getvalue() == ""
    monkeypatch.delenv("CI")
    pipe = io.StringIO()
    ProgressBar(pipe, delay=0.0)(1, 2)
    assert pipe.getvalue() == ""


def test_cli_output_in_a_pipe_has_no_progress(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "awsnotes_site", "build", "--source", str(project)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "\r" not in proc.stdout and proc.stdout.startswith("built 1 note,")
