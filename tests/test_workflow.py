"""The GitHub Pages deploy workflow (``.github/workflows/pages.yml``) and CI (``ci.yml``).

The Pages workflow has one source, ``src/awsnotes_site/scaffold/pages.yml`` (what ``init``
writes); the repository's copy is the same file. Read with PyYAML (which reads the key
``on`` as ``True``, YAML 1.1). Beyond its shape, its own shell steps are run here: the
install step (with a ``pip`` that records what it was asked for), the version step, and the
build step with a base URL as ``actions/configure-pages`` gives it (no trailing slash),
whose result must pass ``awsnotes-site check``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from awsnotes_site import __version__
from awsnotes_site.config import load_config
from helpers import _env_with_src, describe_process
from sitefactory import ROOT, make_project

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
SCAFFOLD_WORKFLOW = ROOT / "src" / "awsnotes_site" / "scaffold" / "pages.yml"
CI_WORKFLOW = ROOT / ".github" / "workflows" / "ci.yml"
# The current major of each official action (none on the retired Node 20 runtime):
# checkout v7, setup-python v7, configure-pages v6 (node24), upload-pages-artifact v5
# (upload-artifact v7 inside), deploy-pages v5 (node24), cache v6 (node24, ESM).
CURRENT_MAJORS = {
    "actions/checkout": 7,
    "actions/setup-python": 7,
    "actions/configure-pages": 6,
    "actions/upload-pages-artifact": 5,
    "actions/deploy-pages": 5,
    "actions/cache": 6,
}
BASE_URL_EXPR = re.compile(r"\$\{\{\s*steps\.([A-Za-z0-9_-]+)\.outputs\.base_url\s*\}\}")
PAGES_URL = "https://someone.github.io/awsnotes-site"  # what configure-pages outputs


@pytest.fixture(scope="module")
def workflow() -> dict[str, Any]:
    assert WORKFLOW.is_file(), f"{WORKFLOW} is missing"
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def triggers(wf: dict[str, Any]) -> dict[str, Any]:
    on = wf.get("on", wf.get(True))
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    assert isinstance(on, dict), f"no triggers: {on!r}"
    return on


def all_steps(wf: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(name, step) for name, job in wf["jobs"].items() for step in job.get("steps", [])]


def uses(step: dict[str, Any], action: str) -> bool:
    return str(step.get("uses", "")).split("@")[0] == action


def job_using(wf: dict[str, Any], action: str) -> tuple[str, dict[str, Any]]:
    found = [
        (name, job)
        for name, job in wf["jobs"].items()
        if any(uses(s, action) for s in job.get("steps", []))
    ]
    assert len(found) == 1, f"expected one job using {action}, found {[n for n, _ in found]}"
    return found[0]


def step_using(job: dict[str, Any], action: str) -> dict[str, Any]:
    steps = [s for s in job.get("steps", []) if uses(s, action)]
    assert len(steps) == 1, f"expected one step using {action}"
    return steps[0]


def needs(job: dict[str, Any]) -> list[str]:
    value = job.get("needs", [])
    return [value] if isinstance(value, str) else list(value)


def build_step(job: dict[str, Any]) -> dict[str, Any]:
    steps = [
        s
        for s in job.get("steps", [])
        if re.search(r"awsnotes[_-]site\s+build\b", str(s.get("run", "")))
    ]
    assert len(steps) == 1, "expected one step running `awsnotes_site build`"
    return steps[0]


def make_shims(folder: Path, pip_log: Path | None = None) -> Path:
    """FOLDER with ``python``, ``python3`` and ``awsnotes-site`` commands as a runner has
    them after the install step: scripts that exec this virtualenv's interpreter by its
    own path (a symlink elsewhere to ``.venv/bin/python`` would lose the virtualenv).
    With PIP_LOG, also a ``pip`` that appends its arguments to that file."""
    folder.mkdir(parents=True, exist_ok=True)
    scripts = {
        "python": f'exec "{sys.executable}" "$@"',
        "python3": f'exec "{sys.executable}" "$@"',
        "awsnotes-site": f'exec "{sys.executable}" -m awsnotes_site "$@"',
    }
    if pip_log is not None:
        scripts["pip"] = f'echo "$*" >> "{pip_log}"'
    for name, body in scripts.items():
        path = folder / name
        path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
        path.chmod(0o755)
    return folder


def run_step(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """A workflow ``run:`` script as the runner runs it (bash -e -o pipefail)."""
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def named_step(job: dict[str, Any], pattern: str) -> dict[str, Any]:
    steps = [s for s in job.get("steps", []) if re.search(pattern, str(s.get("run", "")))]
    assert len(steps) == 1, f"expected one step running {pattern!r}"
    return steps[0]


def action_majors(wf: dict[str, Any]) -> dict[str, int]:
    found: dict[str, int] = {}
    for _, step in all_steps(wf):
        if "uses" in step:
            name, _, ref = str(step["uses"]).partition("@")
            m = re.fullmatch(r"v(\d+)(?:\.\d+)*", ref)
            assert m, f"{step['uses']}: pin a major version tag (vN)"
            found[name] = int(m.group(1))
    return found


# -- one file for the repository and for init -------------------------------------------
def test_the_repository_deploys_with_the_file_init_writes() -> None:
    assert WORKFLOW.read_bytes() == SCAFFOLD_WORKFLOW.read_bytes()


@pytest.mark.parametrize("path", [WORKFLOW, CI_WORKFLOW], ids=["pages", "ci"])
def test_official_actions_are_on_their_current_major(path: Path) -> None:
    wf = yaml.safe_load(path.read_text(encoding="utf-8"))
    majors = action_majors(wf)
    assert majors, f"{path.name} uses no actions"
    for name, major in majors.items():
        assert name in CURRENT_MAJORS, f"{path.name}: {name} is not one of the official actions"
        assert major >= CURRENT_MAJORS[name], f"{path.name}: {name}@v{major} is an old major"


def test_ci_runs_the_readme_commands_in_debian() -> None:
    wf = yaml.safe_load(CI_WORKFLOW.read_text(encoding="utf-8"))
    (job,) = wf["jobs"].values()
    assert str((job.get("container") or {}).get("image", "")).startswith("debian:")
    assert any(str(s.get("run", "")).strip() == "bash .ci/run" for s in job["steps"])
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci_run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [
        line
        for line in ci_run.splitlines()
        if line.strip() and not line.lstrip().startswith(("#", "set ", "cd ", "export "))
    ]
    assert len(commands) == 2, commands
    for line in commands:
        assert f"\n{line}\n" in readme, f"{line!r} is not a README command"


# -- installing the tool and keeping .cache/ --------------------------------------------
def test_install_step_installs_the_repository_itself_or_the_package(
    workflow: dict[str, Any], tmp_path: Path
) -> None:
    """In this repository (a pyproject.toml) ``pip install .``; in a site made by
    ``init``, the package from PyPI. Nothing else is installed by any step."""
    _, job = job_using(workflow, "actions/upload-pages-artifact")
    install = named_step(job, r"\bpip install\b")
    pip_steps = [s for _, s in all_steps(workflow) if re.search(r"\bpip\b", str(s.get("run", "")))]
    assert pip_steps == [install]
    for _, step in all_steps(workflow):
        assert not re.search(r"apt-get|npm|playwright|chromium", str(step.get("run", ""))), step
    for has_pyproject, expected in ((True, "install ."), (False, "install awsnotes-site")):
        folder = tmp_path / ("repo" if has_pyproject else "site")
        folder.mkdir()
        if has_pyproject:
            (folder / "pyproject.toml").write_text("[project]\n", encoding="utf-8")
        log = tmp_path / f"pip-{folder.name}.log"
        env = dict(os.environ)
        env["PATH"] = f"{make_shims(tmp_path / f'bin-{folder.name}', log)}{os.pathsep}{env['PATH']}"
        proc = run_step(str(install["run"]), folder, env)
        assert proc.returncode == 0, describe_process(proc)
        assert log.read_text(encoding="utf-8").splitlines() == [expected]


def test_cache_keeps_dot_cache_keyed_by_tool_version_and_config(
    workflow: dict[str, Any], tmp_path: Path
) -> None:
    _, job = job_using(workflow, "actions/upload-pages-artifact")
    steps = job["steps"]
    cache = step_using(job, "actions/cache")
    install = named_step(job, r"\bpip install\b")
    version = named_step(job, r"GITHUB_OUTPUT")
    assert steps.index(install) < steps.index(version) < steps.index(cache)
    assert steps.index(cache) < steps.index(build_step(job))
    with_ = cache.get("with") or {}
    assert str(with_.get("path")).rstrip("/") == ".cache"
    key = str(with_.get("key"))
    assert f"steps.{version['id']}.outputs.version" in key
    assert "hashFiles('site.toml')" in key
    restore = [k for k in str(with_.get("restore-keys", "")).splitlines() if k.strip()]
    assert restore and all(key.startswith(k.strip()) for k in restore), (key, restore)
    assert all(f"steps.{version['id']}.outputs.version" in k for k in restore)
    # the version step itself: `version=X.Y.Z` into $GITHUB_OUTPUT
    outputs = tmp_path / "github_output"
    env = _env_with_src()
    env["PATH"] = f"{make_shims(tmp_path / 'bin')}{os.pathsep}{env.get('PATH', '')}"
    env["GITHUB_OUTPUT"] = str(outputs)
    proc = run_step(str(version["run"]), tmp_path, env)
    assert proc.returncode == 0, describe_process(proc)
    assert outputs.read_text(encoding="utf-8") == f"version={__version__}\n"


# -- shape ----------------------------------------------------------------------------
def test_runs_on_push_to_main(workflow: dict[str, Any]) -> None:
    on = triggers(workflow)
    assert "push" in on
    push = on["push"] or {}
    branches = push.get("branches")
    assert branches is None or "main" in branches, branches
    assert "main" not in (push.get("branches-ignore") or [])


def test_pages_permissions(workflow: dict[str, Any]) -> None:
    _, deploy = job_using(workflow, "actions/deploy-pages")
    perms = {**(workflow.get("permissions") or {}), **(deploy.get("permissions") or {})}
    assert perms.get("pages") == "write"
    assert perms.get("id-token") == "write"


def test_build_job_steps(workflow: dict[str, Any]) -> None:
    name, job = job_using(workflow, "actions/upload-pages-artifact")
    steps = job["steps"]
    for action in ("actions/checkout", "actions/setup-python", "actions/configure-pages"):
        assert any(uses(s, action) for s in steps), f"{name} does not use {action}"
    upload = step_using(job, "actions/upload-pages-artifact")
    assert (upload.get("with") or {}).get("path") == "public"
    order = [i for i, s in enumerate(steps) if uses(s, "actions/configure-pages")]
    assert order and order[0] < steps.index(build_step(job)) < steps.index(upload)


def test_build_passes_the_configure_pages_base_url(workflow: dict[str, Any]) -> None:
    _, job = job_using(workflow, "actions/upload-pages-artifact")
    pages = step_using(job, "actions/configure-pages")
    assert pages.get("id"), "the configure-pages step needs an id to read its outputs"
    run = str(build_step(job)["run"])
    m = re.search(r"--base-url[ =]+[\"']?(\$\{\{[^}]*\}\})", run)
    assert m, f"the build step passes no --base-url: {run!r}"
    ref = BASE_URL_EXPR.fullmatch(m.group(1))
    assert ref, f"--base-url is not steps.<id>.outputs.base_url: {m.group(1)}"
    assert ref.group(1) == pages["id"]


def test_deploy_job_needs_the_build(workflow: dict[str, Any]) -> None:
    build_name, _ = job_using(workflow, "actions/upload-pages-artifact")
    deploy_name, deploy = job_using(workflow, "actions/deploy-pages")
    assert deploy_name != build_name
    assert build_name in needs(deploy)
    env = deploy.get("environment")
    env_name = env.get("name") if isinstance(env, dict) else env
    assert env_name == "github-pages"


def test_python_version_is_supported(workflow: dict[str, Any]) -> None:
    _, job = job_using(workflow, "actions/upload-pages-artifact")
    version = str(
        (step_using(job, "actions/setup-python").get("with") or {}).get("python-version", "")
    )
    m = re.match(r"3\.(\d+)", version)
    assert m and int(m.group(1)) >= 10, version


def test_git_dates_get_the_whole_history(workflow: dict[str, Any]) -> None:
    """A user may turn on ``lastmod = "git"`` at any time; a shallow checkout would then
    date every note to one commit, so the workflow always fetches the whole history."""
    _, job = job_using(workflow, "actions/upload-pages-artifact")
    checkout = step_using(job, "actions/checkout")
    assert str((checkout.get("with") or {}).get("fetch-depth")) == "0"


def test_a_check_step_checks_what_is_uploaded(workflow: dict[str, Any]) -> None:
    """A ``check --output`` step checks the uploaded folder with the same base URL."""
    _, job = job_using(workflow, "actions/upload-pages-artifact")
    checks = [
        s for s in job["steps"] if re.search(r"awsnotes[_-]site\s+check\b", str(s.get("run", "")))
    ]
    assert checks, "the workflow does not run `awsnotes_site check` before uploading"
    steps = job["steps"]
    upload = step_using(job, "actions/upload-pages-artifact")
    for step in checks:
        run = str(step["run"])
        assert steps.index(build_step(job)) < steps.index(step) < steps.index(upload)
        m = re.search(r"(?:--output|-o)[ =]+[\"']?([^\s\"']+)", run)
        assert m and Path(m.group(1)) == Path(str(upload["with"]["path"])), run
        pages = step_using(job, "actions/configure-pages")
        ref = BASE_URL_EXPR.search(run)
        assert ref and ref.group(1) == pages["id"], f"check without the Pages base URL: {run}"


def test_upload_path_is_the_output_folder(workflow: dict[str, Any]) -> None:
    _, job = job_using(workflow, "actions/upload-pages-artifact")
    run = str(build_step(job)["run"])
    m = re.search(r"(?:--output|-o)[ =]+[\"']?([^\s\"']+)", run)
    output = m.group(1) if m else load_config(ROOT)[0].output_dir
    path = (step_using(job, "actions/upload-pages-artifact").get("with") or {}).get("path")
    assert Path(str(path)) == Path(output)


# -- the build command itself ---------------------------------------------------------
@pytest.mark.parametrize("pages_url", [PAGES_URL, "https://notes.example.com"])
def test_the_build_command_makes_a_site_that_checks_clean(
    workflow: dict[str, Any], tmp_path: Path, pages_url: str
) -> None:
    _, job = job_using(workflow, "actions/upload-pages-artifact")
    run = BASE_URL_EXPR.sub(pages_url, str(build_step(job)["run"]))
    assert "${{" not in run, run
    project = make_project(tmp_path)
    (project / "site.toml").write_text(
        (ROOT / "site.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    env = _env_with_src()
    env["PATH"] = f"{make_shims(tmp_path / 'bin')}{os.pathsep}{env.get('PATH', '')}"
    proc = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", run],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, describe_process(proc)
    upload = step_using(job, "actions/upload-pages-artifact")
    out = project / str(upload["with"]["path"])
    assert (out / "index.html").is_file() and (out / "404.html").is_file()
    base_path = "/" + pages_url.split("://", 1)[1].partition("/")[2].strip("/") + "/"
    base_path = base_path.replace("//", "/")
    home = (out / "index.html").read_text(encoding="utf-8")
    assert f'href="{base_path}static/css/site.css?v=' in home  # with its content hash
    check = subprocess.run(
        [
            sys.executable,
            "-m",
            "awsnotes_site",
            "check",
            "--output",
            str(out),
            "--base-url",
            pages_url + "/",
        ],
        cwd=project,
        env=_env_with_src(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert check.returncode == 0, describe_process(check)
