"""Lighthouse 12.2.3 (mobile profile) on the shipped note and on a note with 15 large
screenshots (issue 21): Performance >= 95, Accessibility, Best Practices and SEO 100, no
layout shift at all, every image sized, nothing fetched from outside.

Each page gets three runs, all in one Node process with one Chromium (about 40 s for both
pages on an idle 2-core machine): the first scores every category, the other two score
Performance only.  Performance moves with the machine's load (Total Blocking Time is CPU
time under Lighthouse's 4x slowdown), so the median of the three runs is judged, as
Lighthouse's docs advise, never a lucky single run; Accessibility, Best Practices and SEO
do not depend on timing and are judged on the first run; CLS must be 0 in every run.
``bench/lighthouse.py`` takes medians over more runs and records the figures.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest

from lighthouse_support import (
    LighthouseRun,
    SiteUnderTest,
    figures,
    network_items,
    performance_median,
    run_lighthouse_many,
    screenshot_site,
    served,
    shipped_site,
    shortfalls,
)

# (alone: no other test runs on any worker meanwhile; Performance moves with the load)
pytestmark = [pytest.mark.browser, pytest.mark.alone]

PAGES = ("shipped", "screenshots")
RUNS = 3  # per page: one with every category, then Performance only


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, list[dict[str, Any]]]]:
    """Each page's Lighthouse reports (the full run first), measured once for the module."""
    sites: dict[str, SiteUnderTest] = {
        "shipped": shipped_site(),
        "screenshots": screenshot_site(tmp_path_factory.mktemp("screenshot-site")),
    }
    with ExitStack() as stack:
        urls = {
            name: stack.enter_context(served(site, tmp_path_factory.mktemp(f"lighthouse-{name}")))
            for name, site in sites.items()
        }
        plan = [
            LighthouseRun(urls[name], categories=None if i == 0 else ("performance",))
            for name in PAGES
            for i in range(RUNS)
        ]
        found = run_lighthouse_many(plan)
    yield {name: found[k * RUNS : (k + 1) * RUNS] for k, name in enumerate(PAGES)}


@pytest.mark.parametrize("page", PAGES)
def test_lighthouse_meets_the_bar(reports: dict[str, list[dict[str, Any]]], page: str) -> None:
    report, *_ = runs = reports[page]
    problems = shortfalls(report, performance_median(runs))
    for k, other in enumerate(runs[1:], start=2):
        cls = figures(other).cls
        if cls > 0:
            problems.append(f"CLS of run {k}: {cls:.4f} > 0")
    scores = [round(figures(r).performance) for r in runs]
    assert not problems, f"{page}: {report['finalDisplayedUrl']} (Performance runs: {scores})\n" + (
        "\n".join(problems)
    )


def test_lighthouse_measured_the_pages(reports: dict[str, list[dict[str, Any]]]) -> None:
    """The runs loaded the real pages: status 200, the note's images among the requests;
    the first run scored every category, the others Performance only."""
    for page, runs in reports.items():
        full, *perf = runs
        assert full["audits"]["http-status-code"]["score"] == 1, page
        assert full["configSettings"]["formFactor"] == "mobile", page
        assert set(full["categories"]) == {"performance", "accessibility", "best-practices", "seo"}
        assert all(set(r["categories"]) == {"performance"} for r in perf), page
        assert len({r["finalDisplayedUrl"] for r in runs}) == 1, page
        assert figures(full).image_requests >= 1, page
    requested = [r["url"] for r in network_items(reports["screenshots"][0])]
    assert any("shot-01" in url for url in requested), requested
