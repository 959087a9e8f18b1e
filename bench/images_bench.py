"""Image cost of a build (issue 21): a blog of N notes with 270 PNG screenshots, built cold
with images on and off, rebuilt warm with nothing changed, and the same images resized by
Hugo in its templates (page bundles, ``.Process`` to the same widths, WebP).

    .venv/bin/python bench/images_bench.py [--images 270] [--per-note 9] [--markdown]

Everything runs in a temporary folder; the figures are wall-clock seconds of one run
each (the cold builds start with no ``.cache/`` and no output)."""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HUGO = ROOT / ".venv" / "bin" / "hugo"
WIDTHS = (480, 720, 1080, 1440)

HUGO_LAYOUT = """<!doctype html><html><body>{{ .Content }}
{{ range .Resources.ByType "image" }}{{ $img := . }}<picture><source type="image/webp" srcset="
{{- range $i, $w := slice 480 720 1080 1440 }}{{ if le $w $img.Width }}{{ if $i }}, {{ end }}
{{- ($img.Process (printf "resize %dx webp drawing" $w)).RelPermalink }}
{{- " " }}{{ $w }}w{{ end }}{{ end }}">
<img src="{{ $img.RelPermalink }}" width="{{ $img.Width }}" height="{{ $img.Height }}"
 alt=""></picture>
{{ end }}</body></html>
"""


def screenshot(path: Path, rng: random.Random) -> None:
    """A screenshot-like PNG: a window, bars, lines of 'text'."""
    width = rng.choice((960, 1280, 1440, 1600, 1920))
    height = int(width * rng.uniform(0.5, 0.75))
    im = Image.new("RGB", (width, height), (250, 250, 252))
    draw = ImageDraw.Draw(im)
    draw.rectangle((0, 0, width, 48), fill=(35, 47, 62))
    draw.rectangle((0, 48, 220, height), fill=(236, 240, 244))
    y = 70
    while y < height - 20:
        x = 240
        while x < width - 60:
            w = rng.randint(20, 90)
            draw.rectangle((x, y, x + w, y + 9), fill=(rng.randint(20, 90),) * 3)
            x += w + rng.randint(6, 14)
        y += rng.randint(18, 30)
    im.save(path, "PNG")


def make_blog(folder: Path, images: int, per_note: int, hugo: bool) -> None:
    """Our project (images in static/) or a Hugo project (page bundles)."""
    rng = random.Random(21)
    notes = (images + per_note - 1) // per_note
    (folder / "content" / "posts").mkdir(parents=True)
    if hugo:
        (folder / "hugo.toml").write_text(
            'baseURL = "https://example.org/"\ntitle = "bench"\n', encoding="utf-8"
        )
        layouts = folder / "layouts" / "_default"
        layouts.mkdir(parents=True)
        (layouts / "single.html").write_text(HUGO_LAYOUT, encoding="utf-8")
        for name in ("list.html", "baseof.html"):
            (layouts / name).write_text("<html><body></body></html>\n", encoding="utf-8")
    else:
        (folder / "site.toml").write_text(
            'title = "bench"\nbase_url = "https://example.org/"\n', encoding="utf-8"
        )
    made = 0
    for n in range(notes):
        count = min(per_note, images - made)
        body = [f"# 노트 {n}\n"]
        if hugo:
            bundle = folder / "content" / "posts" / f"note{n:03}"
            bundle.mkdir()
            target, prefix = bundle, ""
        else:
            target = folder / "static" / "img" / f"n{n:03}"
            target.mkdir(parents=True)
            prefix = f"/static/img/n{n:03}/"
        for k in range(count):
            screenshot(target / f"shot{k}.png", rng)
            body.append(f"문단 {k}.\n\n![화면 {k}]({prefix}shot{k}.png)\n")
        made += count
        front = f'+++\ntitle = "노트 {n}"\ndate = 2024-01-{1 + n % 28:02}\n+++\n'
        note = (bundle / "index.md") if hugo else (folder / "content" / "posts" / f"note{n:03}.md")
        note.write_text(front + "\n".join(body), encoding="utf-8")


def timed(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    took = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stdout}\n{proc.stderr}")
    return took


def ours(project: Path, images_on: bool) -> float:
    config = project / "site.toml"
    text = config.read_text(encoding="utf-8").split("[images]")[0]
    config.write_text(text + ("" if images_on else "[images]\nenabled = false\n"), "utf-8")
    shutil.rmtree(project / ".cache", ignore_errors=True)
    shutil.rmtree(project / "public", ignore_errors=True)
    return timed([PYTHON, "-m", "awsnotes_site", "build"], project)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--images", type=int, default=270)
    parser.add_argument("--per-note", type=int, default=9)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    env_src = str(ROOT / "src")
    os.environ["PYTHONPATH"] = env_src + os.pathsep + os.environ.get("PYTHONPATH", "")
    with tempfile.TemporaryDirectory(prefix="images-bench-") as tmp:
        project, hugo = Path(tmp) / "ours", Path(tmp) / "hugo"
        start = time.perf_counter()
        make_blog(project, args.images, args.per_note, hugo=False)
        make_blog(hugo, args.images, args.per_note, hugo=True)
        made = time.perf_counter() - start
        rows = {
            "ours, images off (cold)": ours(project, images_on=False),
            "ours, images on (cold)": ours(project, images_on=True),
        }
        rows["ours, images on (warm, nothing changed)"] = timed(
            [PYTHON, "-m", "awsnotes_site", "build"], project
        )
        out = project / "public"
        variants = sum(1 for p in out.rglob("*.webp")) + sum(1 for p in out.rglob("*.avif"))
        rows["Hugo, .Process resize + webp (cold)"] = timed(
            [str(HUGO), "--quiet", "--destination", "public"], hugo
        )
        rows["Hugo (warm, resources/_gen kept)"] = timed(
            [str(HUGO), "--quiet", "--destination", "public"], hugo
        )
        hugo_variants = sum(1 for p in (hugo / "public").rglob("*.webp"))
    cores = os.cpu_count()
    head = f"{args.images} screenshots, {args.per_note} a note, {cores} CPUs; inputs {made:.1f} s"
    if args.markdown:
        print(f"{head}\n\n| build | seconds |\n|---|---:|")
        for name, sec in rows.items():
            print(f"| {name} | {sec:.2f} |")
        print(f"\nvariants published: ours {variants}, Hugo {hugo_variants}")
    else:
        print(head)
        for name, sec in rows.items():
            print(f"{name:45} {sec:8.2f} s")
        print(f"variants published: ours {variants}, Hugo {hugo_variants}")


if __name__ == "__main__":
    main()
