"""The code-quality gates of the redesign (issue 17), run by the test suite so that CI
(which runs exactly the README's test command) enforces them: ruff's lint and format,
mypy --strict, a complexity limit, and the size limits for modules and classes."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "awsnotes_site"
BIN = Path(sys.executable).parent
MAX_MODULE_LINES = 600
MAX_CLASS_LINES = 250
MAX_COMPLEXITY = 15


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*args], cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
    )


def test_ruff_lint_is_clean() -> None:
    result = _run(str(BIN / "ruff"), "check", "src", "tests", "bench", "scripts")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean() -> None:
    result = _run(str(BIN / "ruff"), "format", "--check", "src", "tests", "bench", "scripts")
    assert result.returncode == 0, result.stdout + result.stderr


def test_complexity_is_at_most_15() -> None:
    result = _run(
        str(BIN / "ruff"),
        "check",
        "--select",
        "C901",
        "--config",
        f"lint.mccabe.max-complexity={MAX_COMPLEXITY}",
        "src",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_is_clean() -> None:
    result = _run(sys.executable, "-m", "mypy", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr


def test_modules_and_classes_are_small() -> None:
    too_big = []
    for path in sorted(SRC.rglob("*.py")):
        lines = path.read_text(encoding="utf-8").count("\n")
        rel = path.relative_to(ROOT)
        if lines > MAX_MODULE_LINES:
            too_big.append(f"{rel}: {lines} lines")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                size = (node.end_lineno or node.lineno) - node.lineno + 1
                if size > MAX_CLASS_LINES:
                    too_big.append(f"{rel}:{node.lineno}: class {node.name}: {size} lines")
    assert not too_big, "\n".join(too_big)


def test_the_gates_can_fail(tmp_path: Path) -> None:
    """The complexity gate really measures: a function with 16 branches fails it."""
    body = "\n".join(f"    if x == {i}:\n        return {i}" for i in range(16))
    bad = tmp_path / "bad.py"
    bad.write_text(f"def f(x: int) -> int:\n{body}\n    return -1\n", encoding="utf-8")
    result = _run(
        str(BIN / "ruff"),
        "check",
        "--isolated",
        "--select",
        "C901",
        "--config",
        f"lint.mccabe.max-complexity={MAX_COMPLEXITY}",
        str(bad),
    )
    assert result.returncode == 1 and "C901" in result.stdout
