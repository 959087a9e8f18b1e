"""Lighthouse on built pages: the two test sites, the run, the figures and the shortfalls.

Shared by ``tests/test_lighthouse.py`` (three runs per page, fails below the issue's
scores) and ``bench/lighthouse.py`` (medians over several runs).  The bench imports this
module (``tests/`` on ``sys.path``), never the other way round.

Lighthouse is the npm package pinned in package.json (``npm ci`` installs it), run through
its Node API by ``tests/lighthouse_runs.mjs`` (every run of a batch in one Node process
with one browser); it drives Debian's Chromium (``CHROME_PATH=/usr/bin/chromium``).  Pages are served from 127.0.0.1 by the test
suite's own static server; nothing is fetched from outside (Chromium's background
networking is off and every request Lighthouse saw is checked to be local).
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import statistics
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    NODE_MODULES,
    build_site,
    describe_process,
    is_local_url,
    serve_directory,
)
from sitefactory import ROOT, make_project

LIGHTHOUSE_CLI = NODE_MODULES / "lighthouse" / "cli" / "index.js"
RUNNER = Path(__file__).resolve().parent / "lighthouse_runs.mjs"
LIGHTHOUSE_VERSION = "12.2.3"
CHROME_FLAGS = ["--headless=new", *CHROMIUM_ARGS]
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# The bar (scores as Lighthouse reports them, 0..1) and the layout shift allowed.
MIN_SCORES = {"performance": 0.95, "accessibility": 1.0, "best-practices": 1.0, "seo": 1.0}
MAX_CLS = 0.0
# Audits that must pass besides the scores.  A local load is too fast for an unsized
# image to shift anything Lighthouse sees (CLS is 0 today), so the cause is checked too.
REQUIRED_AUDITS = ("unsized-images",)
LIGHTHOUSE_TIMEOUT = 300

SHIPPED_PAGE = "posts/aws-network-2/"
SCREENSHOT_PAGE = "posts/screenshots/"
SCREENSHOT_COUNT = 15

# Lighthouse 12's mobile profile is a Moto G Power: 412 x 823 CSS px at DPR 1.75.  The
# "phone360" screen is the older, smaller phone profile (360 x 640 at DPR 3).  Lighthouse
# flags, as its Node API takes them.
SCREENS: dict[str, dict[str, Any]] = {
    "mobile": {"formFactor": "mobile"},
    "phone360": {
        "formFactor": "mobile",
        "screenEmulation": {"mobile": True, "width": 360, "height": 640, "deviceScaleFactor": 3},
    },
}


# ------------------------------------------------------------------------ the sites


@dataclass(frozen=True)
class SiteUnderTest:
    """A project to build and the page of it that Lighthouse measures."""

    name: str
    project: Path
    page: str


def shipped_site() -> SiteUnderTest:
    """The repository's own site (built from the repo root) and its shipped note."""
    return SiteUnderTest("shipped", ROOT, SHIPPED_PAGE)


_WORD_TEXT = """
    vpc-0a1b2c3d subnet-7f3e9a10 igw-55aa01 rtb-0c9d8e 10.0.1.0/24 10.0.2.0/24 Available Pending ap-northeast-2a
    ap-northeast-2c Endpoint Gateway Interface Route Table Target Destination Status
    Name ID State Owner 0.0.0.0/0 local eni-0f00ba12 sg-1234abcd NAT
    Private Public Elastic IP Instance t3.micro running stopped Inbound
    Outbound TCP 443 80 22 Allow Deny Security group
    Network ACL Peering Transit Attachment Edit Delete
"""
_WORDS = tuple(_WORD_TEXT.split())


def _words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(count))


def _console(draw: ImageDraw.ImageDraw, rng: random.Random, width: int, height: int) -> None:
    """A cloud console: top bar, side menu, a title, buttons and a resource table."""
    small = ImageFont.load_default(size=14)
    title = ImageFont.load_default(size=24)
    draw.rectangle((0, 0, width, 48), fill="#232f3e")
    draw.rectangle((16, 12, 64, 36), fill="#ff9900")
    draw.text((84, 15), _words(rng, 6), font=small, fill="#ffffff")
    draw.rectangle((0, 48, 260, height), fill="#f2f3f3")
    for y in range(72, height - 20, 30):
        draw.text((20, y), _words(rng, 2), font=small, fill="#16191f")
    draw.text((290, 70), _words(rng, 4), font=title, fill="#16191f")
    for i in range(3):
        x = width - 160 * (i + 1)
        draw.rounded_rectangle(
            (x, 68, x + 140, 100), 6, fill="#ec7211" if i == 0 else "#fff", outline="#545b64"
        )
        draw.text((x + 16, 76), _words(rng, 1), font=small, fill="#16191f")
    columns = rng.randint(5, 8)
    col_w = (width - 320) // columns
    top = 130
    draw.rectangle((290, top, width - 30, top + 36), fill="#fafafa", outline="#eaeded")
    for c in range(columns):
        draw.text((300 + c * col_w, top + 10), _words(rng, 1), font=small, fill="#545b64")
    for y in range(top + 36, height - 60, 38):
        draw.line((290, y, width - 30, y), fill="#eaeded")
        for c in range(columns):
            colour = "#1d8102" if rng.random() < 0.15 else "#16191f"
            draw.text(
                (300 + c * col_w, y + 11), _words(rng, rng.randint(1, 2)), font=small, fill=colour
            )


def _diagram(draw: ImageDraw.ImageDraw, rng: random.Random, width: int, height: int) -> None:
    """A network diagram: nested regions, boxes with labels, arrows, a caption strip."""
    small = ImageFont.load_default(size=16)
    draw.rounded_rectangle((30, 30, width - 30, height - 30), 18, outline="#8c4fff", width=3)
    draw.rounded_rectangle(
        (90, 100, width - 90, height - 90), 12, fill="#f7f3ff", outline="#8c4fff", width=2
    )
    draw.text((50, 44), _words(rng, 3), font=small, fill="#8c4fff")
    boxes = []
    for row in range(3):
        for col in range(4):
            x = 150 + col * (width - 300) // 4 + rng.randint(0, 40)
            y = 160 + row * (height - 300) // 3 + rng.randint(0, 30)
            fill = rng.choice(["#e7f4e4", "#e6f2f8", "#fff4e5", "#ffffff"])
            draw.rounded_rectangle(
                (x, y, x + 220, y + 90), 10, fill=fill, outline="#232f3e", width=2
            )
            draw.text((x + 14, y + 16), _words(rng, 2), font=small, fill="#232f3e")
            draw.text((x + 14, y + 50), _words(rng, 2), font=small, fill="#545b64")
            boxes.append((x + 110, y + 45))
    for _ in range(10):
        (x1, y1), (x2, y2) = rng.sample(boxes, 2)
        draw.line((x1, y1, x2, y2), fill="#d13212", width=3)
        draw.ellipse((x2 - 6, y2 - 6, x2 + 6, y2 + 6), fill="#d13212")


def _terminal(draw: ImageDraw.ImageDraw, rng: random.Random, width: int, height: int) -> None:
    """A terminal window with command output."""
    mono = ImageFont.load_default(size=15)
    draw.rectangle((0, 0, width, height), fill="#1e1e1e")
    draw.rectangle((0, 0, width, 34), fill="#323233")
    for i, colour in enumerate(("#ff5f56", "#ffbd2e", "#27c93f")):
        draw.ellipse((14 + i * 22, 10, 28 + i * 22, 24), fill=colour)
    for y in range(50, height - 20, 22):
        prompt = rng.random() < 0.2
        colour = "#4ec9b0" if prompt else rng.choice(["#d4d4d4", "#d4d4d4", "#ce9178"])
        text = ("$ aws ec2 describe-" if prompt else "  ") + _words(rng, rng.randint(3, 12))
        draw.text((16, y), text, font=mono, fill=colour)


def make_screenshot(path: Path, width: int, height: int, seed: int) -> None:
    """A PNG that compresses like a real screenshot (anti-aliased text, flat UI colours)."""
    rng = random.Random(seed)
    image = Image.new("RGB", (width, height), "#ffffff")
    draw = ImageDraw.Draw(image)
    (_console, _diagram, _terminal)[seed % 3](draw, rng, width, height)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "PNG")


def _screenshot_note(sizes: list[tuple[int, int]]) -> str:
    """A study note with one image per size, in the three ways notes write figures."""
    parts = [
        '+++\ntitle = "AWS 콘솔 스크린샷으로 보는 VPC 실습"\ndate = "2023-04-02"\n'
        'description = "VPC, 서브넷, 라우팅 테이블, 엔드포인트를 콘솔 화면 15장으로 따라간다."\n'
        'tags = ["AWS", "VPC"]\n+++\n\n'
        "실습 화면을 순서대로 정리한다. 각 화면 아래에 무엇을 확인하는지 적었다.\n"
    ]
    for i, _size in enumerate(sizes, start=1):
        src = f"/static/img/shots/shot-{i:02d}.png"
        caption = f"[그림 {i}] 실습 {i}단계 콘솔 화면"
        parts.append(
            f"\n## {i}단계\n\n{i}단계에서는 라우팅 테이블과 서브넷 연결을 확인한다. "
            "대상과 상태 열을 보고 경로가 활성인지 살펴본다.\n\n"
        )
        if i % 3 == 1:
            parts.append(
                f'<img class="img-zoomable" src="{src}">\n<figcaption>{caption}</figcaption>\n'
            )
        elif i % 3 == 2:
            parts.append(f'![{i}단계 화면]({src} "{caption}")\n')
        else:
            parts.append(f'{{{{< figure src="{src}" alt="{i}단계 화면" caption="{caption}" >}}}}\n')
    return "".join(parts)


def screenshot_sizes() -> list[tuple[int, int]]:
    """The 15 screenshots' sizes: 1400 to 2400 px wide, as study notes' captures are."""
    rng = random.Random(21)
    return [
        (rng.randrange(1400, 2401, 10), rng.randrange(800, 1401, 10))
        for _ in range(SCREENSHOT_COUNT)
    ]


def screenshot_site(tmp: Path) -> SiteUnderTest:
    """A project in TMP (the repo's templates and static files) with one note of 15 large
    PNG screenshots, each with a Korean caption."""
    sizes = screenshot_sizes()
    project = make_project(
        tmp, {"posts/screenshots.md": _screenshot_note(sizes)}, config=_config(), shipped=False
    )
    for i, (width, height) in enumerate(sizes, start=1):
        make_screenshot(project / "static/img/shots" / f"shot-{i:02d}.png", width, height, i)
    return SiteUnderTest("screenshots", project, SCREENSHOT_PAGE)


def _config() -> str:
    return (
        'title = "스크린샷 노트"\ndescription = "큰 스크린샷이 많은 노트의 시험 사이트"\n'
        'author = "tester"\nlanguage = "ko"\nbase_url = "http://127.0.0.1:1313/"\n'
        'timezone = "Asia/Seoul"\n'
    )


@contextlib.contextmanager
def served(site: SiteUnderTest, out_dir: Path) -> Iterator[str]:
    """Build SITE into OUT_DIR with the server's own address as base URL and serve it on
    127.0.0.1; yields the measured page's URL."""
    with serve_directory(out_dir, prefix="/") as root_url:
        proc = build_site(out_dir, "--base-url", root_url, "--no-cache", cwd=site.project)
        if proc.returncode != 0:
            raise RuntimeError(f"build of {site.name} failed\n{describe_process(proc)}")
        yield root_url + site.page


# ---------------------------------------------------------------------- lighthouse


@dataclass(frozen=True)
class LighthouseRun:
    """One Lighthouse run: a URL, the categories to score, a screen of :data:`SCREENS`."""

    url: str
    categories: tuple[str, ...] | None = None  # None: every one of CATEGORIES
    screen: str = "mobile"


def _runner_command(plan: Path) -> list[str]:
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("no node on PATH")
    if not LIGHTHOUSE_CLI.is_file():
        raise RuntimeError(f"{LIGHTHOUSE_CLI} is missing; run `npm ci` at the repo root")
    return [node, str(RUNNER), str(plan)]


def run_lighthouse_many(runs: list[LighthouseRun]) -> list[dict[str, Any]]:
    """The runs, in order, in one Node process with one Chromium (``lighthouse_runs.mjs``);
    returns their JSON reports (raises when one did not run)."""
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as tmp:
        folder = Path(tmp)
        outputs = [folder / f"report-{i}.json" for i in range(len(runs))]
        plan = {
            "chromeFlags": CHROME_FLAGS,
            "runs": [
                {
                    "url": run.url,
                    "output": str(output),
                    "categories": list(run.categories or CATEGORIES),
                    "flags": SCREENS[run.screen],
                }
                for run, output in zip(runs, outputs, strict=True)
            ],
        }
        (folder / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
        env = dict(os.environ, CHROME_PATH=CHROMIUM, TMPDIR=tmp)
        proc = subprocess.run(
            _runner_command(folder / "plan.json"),
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            stdin=subprocess.DEVNULL,
            timeout=LIGHTHOUSE_TIMEOUT * len(runs),
            check=False,
        )
        missing = [
            run.url for run, output in zip(runs, outputs, strict=True) if not output.is_file()
        ]
        if proc.returncode != 0 or missing:
            raise RuntimeError(f"Lighthouse failed on {missing}\n{describe_process(proc)}")
        reports = [json.loads(output.read_text(encoding="utf-8")) for output in outputs]
    for run, report in zip(runs, reports, strict=True):
        _check_report(run.url, report)
    return reports


def _check_report(url: str, report: dict[str, Any]) -> None:
    if report.get("runtimeError"):
        raise RuntimeError(f"Lighthouse runtime error on {url}: {report['runtimeError']}")
    if report.get("lighthouseVersion") != LIGHTHOUSE_VERSION:
        raise RuntimeError(
            f"expected Lighthouse {LIGHTHOUSE_VERSION}, ran {report.get('lighthouseVersion')}"
        )


def run_lighthouse(url: str, screen: str = "mobile") -> dict[str, Any]:
    """One Lighthouse run on URL (every category); returns its JSON report."""
    return run_lighthouse_many([LighthouseRun(url, screen=screen)])[0]


# ------------------------------------------------------------------------- figures


@dataclass(frozen=True)
class PageFigures:
    """What one run measured on one page (scores 0..100, times in ms, sizes in bytes)."""

    performance: float
    accessibility: float
    best_practices: float
    seo: float
    cls: float
    lcp_ms: float
    fcp_ms: float
    tbt_ms: float
    total_bytes: int
    image_bytes: int
    image_requests: int
    requests: int
    benchmark_index: float

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


def _score(report: dict[str, Any], category: str) -> float:
    """The category's score (0..100), -1 when the run did not score it."""
    score = report["categories"].get(category, {}).get("score")
    return -1.0 if score is None else round(float(score) * 100, 1)


def _numeric(report: dict[str, Any], audit: str) -> float:
    return float(report["audits"][audit].get("numericValue") or 0.0)


def network_items(report: dict[str, Any]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = report["audits"]["network-requests"]["details"]["items"]
    return items


def figures(report: dict[str, Any]) -> PageFigures:
    requests = network_items(report)
    images = [r for r in requests if r.get("resourceType") == "Image"]
    return PageFigures(
        performance=_score(report, "performance"),
        accessibility=_score(report, "accessibility"),
        best_practices=_score(report, "best-practices"),
        seo=_score(report, "seo"),
        cls=_numeric(report, "cumulative-layout-shift"),
        lcp_ms=round(_numeric(report, "largest-contentful-paint"), 1),
        fcp_ms=round(_numeric(report, "first-contentful-paint"), 1),
        tbt_ms=round(_numeric(report, "total-blocking-time"), 1),
        total_bytes=sum(int(r.get("transferSize") or 0) for r in requests),
        image_bytes=sum(int(r.get("transferSize") or 0) for r in images),
        image_requests=len(images),
        requests=len(requests),
        benchmark_index=float(report["environment"].get("benchmarkIndex") or 0.0),
    )


def non_local_requests(report: dict[str, Any]) -> list[str]:
    """URLs Lighthouse saw the page request that would leave the machine."""
    return [str(r["url"]) for r in network_items(report) if not is_local_url(str(r["url"]))]


# ----------------------------------------------------------------------- shortfalls


def _item_line(item: dict[str, Any]) -> str:
    node = item.get("node") if isinstance(item.get("node"), dict) else None
    if node is not None:
        return f"{node.get('selector', '')} {node.get('snippet', '')}".strip()
    if "url" in item:
        extra = {k: v for k, v in item.items() if k != "url" and isinstance(v, (int, float, str))}
        return f"{item['url']} {extra}" if extra else str(item["url"])
    return json.dumps(item, ensure_ascii=False)[:200]


def describe_audit(report: dict[str, Any], audit_id: str, max_items: int = 6) -> list[str]:
    """An audit's id, score, title and value, then its first detail items."""
    audit = report["audits"][audit_id]
    lines = [
        f"  {audit_id} (score {audit.get('score')}): {audit.get('title')}"
        + (f" — {audit['displayValue']}" if audit.get("displayValue") else "")
    ]
    details = audit.get("details") or {}
    items = details.get("items") or []
    for item in items[:max_items]:
        if isinstance(item, dict):
            lines.append(f"      {_item_line(item)}")
    if len(items) > max_items:
        lines.append(f"      … {len(items) - max_items} more")
    return lines


def failing_audits(report: dict[str, Any], category: str) -> list[str]:
    """The audits of CATEGORY that did not pass: scored ones below 1, and (for
    performance) diagnostics and opportunities Lighthouse flagged."""
    found = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if audit.get("scoreDisplayMode") in {"notApplicable", "manual", "informative"}:
            continue
        score = audit.get("score")
        if score is not None and score < (1 if ref.get("weight", 0) > 0 else 0.9):
            found.append(ref["id"])
    return found


def _errored_weighted_audits(report: dict[str, Any]) -> list[str]:
    """Audits that count towards a category's score but could not run (a Lighthouse and
    Chromium mismatch, say): their score would not mean anything."""
    return [
        f"{category}: audit {ref['id']} errored: {report['audits'][ref['id']].get('errorMessage')}"
        for category in CATEGORIES
        for ref in report["categories"][category]["auditRefs"]
        if ref.get("weight", 0) > 0
        and report["audits"][ref["id"]].get("scoreDisplayMode") == "error"
    ]


def performance_median(reports: list[dict[str, Any]]) -> float:
    """The median Performance score (0..1) of several runs on one page."""
    return statistics.median(float(r["categories"]["performance"]["score"] or 0) for r in reports)


def shortfalls(report: dict[str, Any], performance: float | None = None) -> list[str]:
    """Why the page misses the issue's bar (empty when it meets it): each category below
    its minimum with its failing audits, a required audit that failed, a weighted audit
    that errored, a layout shift with the elements that moved, and any request that left
    the machine.  PERFORMANCE, when given, is the score to judge (a median of several
    runs: the score moves with the machine's load) instead of this run's."""
    lines: list[str] = []
    for category, minimum in MIN_SCORES.items():
        score = report["categories"][category]["score"]
        if category == "performance" and performance is not None:
            score = performance
        if score is None or score < minimum:
            lines.append(
                f"{category}: {score if score is None else round(score * 100, 1)} "
                f"< {minimum * 100:g}"
                + (" (median of runs)" if category == "performance" and performance else "")
            )
            if category == "performance":
                f = figures(report)
                lines.append(
                    f"  (this run: TBT {f.tbt_ms:.0f} ms, LCP {f.lcp_ms:.0f} ms, "
                    f"CPU benchmark index {f.benchmark_index:.0f})"
                )
            for audit_id in failing_audits(report, category):
                lines.extend(describe_audit(report, audit_id))
    for audit_id in REQUIRED_AUDITS:
        if report["audits"][audit_id].get("score") != 1:
            lines.append(f"required audit {audit_id} did not pass")
            lines.extend(describe_audit(report, audit_id))
    lines.extend(_errored_weighted_audits(report))
    cls = _numeric(report, "cumulative-layout-shift")
    if cls > MAX_CLS:
        lines.append(f"CLS: {cls:.4f} > {MAX_CLS}")
        for audit_id in ("layout-shifts", "unsized-images"):
            if audit_id in report["audits"]:
                lines.extend(describe_audit(report, audit_id))
    outside = non_local_requests(report)
    if outside:
        lines.append(f"requests that left the machine: {outside}")
    return lines
