"""Fixtures shared by the whole suite.  Helpers themselves live in ``tests/helpers.py``.

Session fixtures (built once per run):
  built_site          Path of the repo's real site built with default options.
  built_site_subpath  SubpathSite(path, port, base_url): the real site built with
                      ``--base-url http://127.0.0.1:{port}/notes/``.
  subpath_server      base_url, with ``built_site_subpath`` served at it (GitHub Pages
                      behaviour, 404.html for missing paths) for the whole session.
  browser             Debian's Chromium through Playwright's sync API.
Per test:
  page                a fresh browser context and page; requests that would leave
                      loopback are aborted (and still seen by ``record_requests``).

Tests run on every core (pytest-xdist). A test marked ``alone`` runs, setup and fixtures
included, while no other test runs on any worker: for measurements that move with the
CPU's load (Lighthouse's Total Blocking Time).
"""

from __future__ import annotations

import fcntl
import importlib.util
import os
import shutil
import sys
import tempfile
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import pytest

from helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    SRC,
    block_non_local,
    build_site,
    describe_process,
    free_port,
    serve_directory,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright

# Let in-process imports of the package work from a checkout without an install too.
if importlib.util.find_spec("awsnotes_site") is None:
    sys.path.insert(0, str(SRC))

SUBPATH_PREFIX = "/notes/"
PAGE_TIMEOUT_MS = 15_000


class SubpathSite(NamedTuple):
    path: Path
    port: int
    base_url: str


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that use the browser get the ``browser`` marker (``-m 'not browser'``)."""
    for item in items:
        names = getattr(item, "fixturenames", ())
        if "page" in names or "browser" in names:
            item.add_marker(pytest.mark.browser)


_MACHINE_LOCK = pytest.StashKey[Path]()


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):  # the run itself, not a pytest-xdist worker
        fd, name = tempfile.mkstemp(prefix="awsnotes-tests-", suffix=".lock")
        os.close(fd)
        config.stash[_MACHINE_LOCK] = Path(name)


def pytest_unconfigure(config: pytest.Config) -> None:
    lock = config.stash.get(_MACHINE_LOCK, None)
    if lock is not None:
        lock.unlink(missing_ok=True)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """(pytest-xdist, in the run) Each worker is told the run's lock file."""
    node.workerinput["machine_lock"] = str(node.config.stash[_MACHINE_LOCK])


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Generator[None, object, object]:
    """On a pytest-xdist worker each test holds the run's lock file shared, and a test
    marked ``alone`` holds it exclusively, setup and teardown included (flock)."""
    workerinput = getattr(item.config, "workerinput", None)
    if workerinput is None:  # one process: nothing runs beside this test
        return (yield)
    fd = os.open(workerinput["machine_lock"], os.O_RDWR)
    try:
        alone = item.get_closest_marker("alone") is not None
        fcntl.flock(fd, fcntl.LOCK_EX if alone else fcntl.LOCK_SH)
        return (yield)
    finally:
        os.close(fd)  # (releases the lock)


def _build_or_fail(out_dir: Path, *args: str) -> Path:
    proc = build_site(out_dir, *args)
    if proc.returncode != 0:
        pytest.fail(f"building the site failed\n{describe_process(proc)}", pytrace=False)
    if not out_dir.is_dir():
        pytest.fail(f"the build exited 0 but wrote no {out_dir}\n{describe_process(proc)}")
    return out_dir


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repo's real site, built once into a temporary folder."""
    return _build_or_fail(tmp_path_factory.mktemp("built_site") / "public")


@pytest.fixture(scope="session")
def built_site_subpath(tmp_path_factory: pytest.TempPathFactory) -> SubpathSite:
    """The real site built for ``http://127.0.0.1:{port}/notes/`` (a project-pages URL)."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}{SUBPATH_PREFIX}"
    out = tmp_path_factory.mktemp("built_site_subpath") / "public"
    _build_or_fail(out, "--base-url", base_url)
    return SubpathSite(out, port, base_url)


@pytest.fixture(scope="session")
def subpath_server(built_site_subpath: SubpathSite) -> Iterator[str]:
    """``built_site_subpath`` served at its base URL for the session; yields the URL."""
    site = built_site_subpath
    with serve_directory(site.path, SUBPATH_PREFIX, site.port) as url:
        assert url == site.base_url
        yield url


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    from playwright.sync_api import expect, sync_playwright

    # Assertions wait on the page's state up to the same limit as page actions (expect's
    # own default, 5 s, is short for Chromium on a machine busy with other builds).
    expect.set_options(timeout=PAGE_TIMEOUT_MS)

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    """Debian's Chromium (never a Playwright-downloaded one), headless."""
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (see .ci/run)")
    b = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield b
    b.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A page in a fresh browser context, closed after the test."""
    context = browser.new_context()
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    block_non_local(context)
    pg = context.new_page()
    yield pg
    context.close()
