"""Lighthouse 12.2.3 on built pages (issue 21): scores, layout shift and transferred bytes.

Builds the repository's own site (from the repo root) and a site with one note of 15
large PNG screenshots (made with Pillow in a temporary folder), serves each on
127.0.0.1 with the test suite's static server and runs Lighthouse (npm, pinned in
package.json; ``npm ci`` installs it) against Debian's Chromium, ``--runs`` times per
page and screen, interleaved.  Reports the median of each figure with its range:

    .venv/bin/python bench/lighthouse.py --runs 3 --markdown
    .venv/bin/python bench/lighthouse.py --screens mobile,phone360 --json out.json

Screens: ``mobile`` is Lighthouse 12's own mobile profile (412 x 823 CSS px at DPR 1.75,
simulated slow 4G and 4x CPU slowdown); ``phone360`` is the same with a 360 x 640 screen
at DPR 3.  Bytes are what Lighthouse's ``network-requests`` audit saw transferred during
the page load (images: requests of type Image).  Scores depend on the machine's load
(Lighthouse scales CPU time by its benchmark index): read the ranges, not one run.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from helpers import CHROMIUM  # noqa: E402
from lighthouse_support import (  # noqa: E402
    LIGHTHOUSE_VERSION,
    SCREENS,
    PageFigures,
    SiteUnderTest,
    figures,
    network_items,
    non_local_requests,
    run_lighthouse,
    screenshot_site,
    served,
    shipped_site,
    shortfalls,
)

PAGES = ("shipped", "screenshots")
DEFAULT_JSON = ROOT / ".benchmarks" / "lighthouse.json"


def _command_output(*cmd: str) -> str:
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
    except OSError as exc:
        return f"unavailable ({exc})"
    return proc.stdout.strip() or proc.stderr.strip()


def machine_info() -> dict[str, Any]:
    """What the figures were measured on (the machine may be shared: see loadavg)."""
    model = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "nproc": os.cpu_count(),
        "cpu_model": model,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "node": _command_output("node", "--version"),
        "chromium": _command_output(CHROMIUM, "--version").splitlines()[-1],
        "lighthouse": LIGHTHOUSE_VERSION,
        "commit": _command_output("git", "-C", str(ROOT), "rev-parse", "HEAD"),
        "dirty": bool(_command_output("git", "-C", str(ROOT), "status", "--porcelain", "src")),
    }


def _spread(values: list[float]) -> dict[str, float]:
    return {
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "stdev": statistics.stdev(values) if len(values) > 1 else 0.0,
    }


def summarize(runs: list[PageFigures]) -> dict[str, dict[str, float]]:
    """Median, min, max and standard deviation of every figure over RUNS."""
    rows = [run.as_dict() for run in runs]
    return {key: _spread([float(row[key]) for row in rows]) for key in rows[0]}


def measure(
    sites: dict[str, SiteUnderTest],
    screens: list[str],
    runs: int,
    work: Path,
    keep: Path | None,
) -> dict[str, Any]:
    """Build and serve every site, run Lighthouse RUNS times per page and screen."""
    results: dict[str, Any] = {}
    with contextlib.ExitStack() as stack:
        urls = {
            name: stack.enter_context(served(site, work / f"out-{name}"))
            for name, site in sites.items()
        }
        measured: dict[tuple[str, str], list[PageFigures]] = {}
        problems: dict[tuple[str, str], list[str]] = {}
        images: dict[tuple[str, str], dict[str, int]] = {}
        outside: dict[tuple[str, str], set[str]] = {}
        for run in range(runs):
            for name in sites:
                for screen in screens:
                    started = time.perf_counter()
                    report = run_lighthouse(urls[name], screen)
                    elapsed = time.perf_counter() - started
                    key = (name, screen)
                    measured.setdefault(key, []).append(figures(report))
                    problems[key] = shortfalls(report)
                    images[key] = image_transfers(report)
                    outside.setdefault(key, set()).update(non_local_requests(report))
                    print(
                        f"run {run + 1}/{runs} {name} {screen}: {elapsed:.1f}s "
                        f"{_one_line(figures(report))}",
                        file=sys.stderr,
                    )
                    if keep is not None:
                        keep.mkdir(parents=True, exist_ok=True)
                        target = keep / f"{name}-{screen}-{run + 1}.json"
                        target.write_text(json.dumps(report), encoding="utf-8")
        for (name, screen), page_runs in measured.items():
            results.setdefault(name, {})[screen] = {
                "url_path": sites[name].page,
                "summary": summarize(page_runs),
                "runs": [r.as_dict() for r in page_runs],
                "last_run_shortfalls": problems[(name, screen)],
                "last_run_images": images[(name, screen)],
                "non_local_requests": sorted(outside[(name, screen)]),
            }
    return results


def image_transfers(report: dict[str, Any]) -> dict[str, int]:
    """Each image the page loaded (URL path) and the bytes it transferred."""
    return {
        urllib.parse.urlsplit(str(item["url"])).path: int(item.get("transferSize") or 0)
        for item in network_items(report)
        if item.get("resourceType") == "Image"
    }


def _one_line(f: PageFigures) -> str:
    return (
        f"P{f.performance:g} A{f.accessibility:g} BP{f.best_practices:g} S{f.seo:g} "
        f"CLS {f.cls:.3f} LCP {f.lcp_ms:.0f} ms TBT {f.tbt_ms:.0f} ms "
        f"total {f.total_bytes / 1024:.0f} KiB images {f.image_bytes / 1024:.0f} KiB "
        f"({f.image_requests}) bench {f.benchmark_index:.0f}"
    )


def _cell(spread: dict[str, float], fmt: str, scale: float = 1.0) -> str:
    median, low, high = (spread[k] / scale for k in ("median", "min", "max"))
    if low == high:
        return format(median, fmt)
    return f"{format(median, fmt)} ({format(low, fmt)}–{format(high, fmt)})"


def markdown(results: dict[str, Any], machine: dict[str, Any], runs: int) -> str:
    """The results as a Markdown table: medians, with the range over the runs."""
    lines = [
        f"Lighthouse {machine['lighthouse']}, {machine['chromium']}, median of {runs} "
        f"run(s) (min–max); {machine['nproc']} × {machine['cpu_model']}; commit "
        f"{str(machine['commit'])[:10]}{' (src modified)' if machine['dirty'] else ''}.",
        "",
        "| Page | Screen | Performance | Accessibility | Best Practices | SEO | CLS "
        "| LCP (ms) | TBT (ms) | Transferred (KiB) | Images (KiB) | Image requests "
        "| CPU benchmark |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, screens in results.items():
        for screen, data in screens.items():
            s = data["summary"]
            lines.append(
                f"| {name} | {screen} | {_cell(s['performance'], 'g')} "
                f"| {_cell(s['accessibility'], 'g')} | {_cell(s['best_practices'], 'g')} "
                f"| {_cell(s['seo'], 'g')} | {_cell(s['cls'], '.3f')} "
                f"| {_cell(s['lcp_ms'], '.0f')} | {_cell(s['tbt_ms'], '.0f')} "
                f"| {_cell(s['total_bytes'], '.0f', 1024)} "
                f"| {_cell(s['image_bytes'], '.0f', 1024)} "
                f"| {_cell(s['image_requests'], 'g')} | {_cell(s['benchmark_index'], '.0f')} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    p.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page and screen")
    p.add_argument("--pages", default=",".join(PAGES), help="comma list of: shipped, screenshots")
    p.add_argument("--screens", default="mobile", help=f"comma list of: {', '.join(SCREENS)}")
    p.add_argument("--json", type=Path, default=DEFAULT_JSON, help="write the figures here")
    p.add_argument("--markdown", action="store_true", help="print a Markdown table")
    p.add_argument("--keep-reports", type=Path, help="save every Lighthouse report here")
    args = p.parse_args(argv)
    pages = [x for x in args.pages.split(",") if x]
    screens = [x for x in args.screens.split(",") if x]
    if args.runs < 1 or not set(pages) <= set(PAGES) or not set(screens) <= set(SCREENS):
        p.error("bad --runs, --pages or --screens")
    machine = machine_info()
    machine["loadavg_before"] = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="lighthouse-bench-") as tmp:
        work = Path(tmp)
        sites = {
            name: shipped_site() if name == "shipped" else screenshot_site(work / "screenshots")
            for name in pages
        }
        results = measure(sites, screens, args.runs, work, args.keep_reports)
    machine["loadavg_after"] = os.getloadavg()
    document = {"machine": machine, "runs": args.runs, "results": results}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(document, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"wrote {args.json}", file=sys.stderr)
    if args.markdown:
        print(markdown(results, machine, args.runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
