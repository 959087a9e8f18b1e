"""Image cost of a build (issue 21): a blog of N notes with 270 PNG screenshots.

- ours with images off and on (the defaults: a screenshot gets one lossless WebP of its
  own width), cold and then warm (nothing changed), and the CPU seconds a warm build
  spends in the image stage (timed around it in the build's process);
- ours set to what Hugo can do (``lossless = false``, ``formats = ["webp"]``, the default
  widths) against Hugo resizing the same images in its templates (page bundles,
  ``.Process`` to the same widths, each capped at the image's width as ours are, WebP at
  quality 75), cold and warm (``resources/_gen`` kept).

    .venv/bin/python bench/images_bench.py [--images 270] [--per-note 9] [--markdown]

Everything runs in a temporary folder; the figures are wall-clock seconds of one run
each (the cold builds start with no ``.cache/`` and no output). The load average is
printed before and after: on a shared machine the figures are only as good as it."""

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
{{ range .Resources.ByType "image" }}{{ $img := . }}{{ $ws := slice }}
{{- range slice 480 720 1080 1440 }}{{ $w := cond (le . $img.Width) . $img.Width }}
{{- if not (in $ws $w) }}{{ $ws = $ws | append $w }}{{ end }}{{ end -}}
<picture><source type="image/webp" srcset="
{{- range $i, $w := $ws }}{{ if $i }}, {{ end }}
{{- ($img.Process (printf "resize %dx webp q75" $w)).RelPermalink }}
{{- " " }}{{ $w }}w{{ end }}">
<img src="{{ $img.RelPermalink }}" width="{{ $img.Width }}" height="{{ $img.Height }}"
 alt=""></picture>
{{ end }}</body></html>
"""
LIKE_HUGO = '[images]\nlossless = false\nformats = ["webp"]\nwidths = [480, 720, 1080, 1440]\n'


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


def ours(project: Path, images: str, cold: bool = True) -> float:
    """Build our project with ``images`` as its ``[images]`` table (cold: no cache, no
    output)."""
    config = project / "site.toml"
    text = config.read_text(encoding="utf-8").split("[images]")[0]
    config.write_text(text + images, "utf-8")
    if cold:
        shutil.rmtree(project / ".cache", ignore_errors=True)
        shutil.rmtree(project / "public", ignore_errors=True)
    return timed([PYTHON, "-m", "awsnotes_site", "build"], project)


STAGE_TIMER = """
import sys, time
from pathlib import Path
from awsnotes_site.images.catalog import ImageCatalog
from awsnotes_site.pipeline.builder import build
from awsnotes_site.pipeline.images import ImageStage
from awsnotes_site.pipeline.options import BuildOptions
spent = [0.0]
def timer(fn):
    def timed(*args, **kwargs):
        start = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[0] += time.process_time() - start
    return timed
for name in ("prepare", "publish", "save"):
    setattr(ImageStage, name, timer(getattr(ImageStage, name)))
ImageCatalog.note_key = timer(ImageCatalog.note_key)
result, _ = build(Path("."), BuildOptions())
print(f"{spent[0]:.4f} {result.stats.rendered_notes}")
"""


def stage_seconds(project: Path) -> tuple[float, int]:
    """A warm build's CPU seconds in the image stage (probing, planning, the render keys'
    image part, making and publishing variants and cards, saving the probe cache), and
    how many notes it rendered."""
    proc = subprocess.run(
        [PYTHON, "-c", STAGE_TIMER], cwd=project, capture_output=True, text=True, check=True
    )
    seconds, rendered = proc.stdout.split()
    return float(seconds), int(rendered)


def variants(out: Path) -> int:
    return sum(1 for p in out.rglob("*") if p.suffix in (".webp", ".avif") and "w." in p.name)


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run(args: argparse.Namespace, tmp: Path) -> tuple[dict[str, float], str]:
    project, hugo = tmp / "ours", tmp / "hugo"
    start = time.perf_counter()
    make_blog(project, args.images, args.per_note, hugo=False)
    make_blog(hugo, args.images, args.per_note, hugo=True)
    made = time.perf_counter() - start
    off = "[images]\nenabled = false\n"
    rows = {"ours, images off (cold)": ours(project, off)}
    rows["ours, images off (warm)"] = ours(project, off, cold=False)
    rows["ours, images on, defaults (cold)"] = ours(project, "")
    rows["ours, images on, defaults (warm)"] = ours(project, "", cold=False)
    stage, rendered = stage_seconds(project)
    defaults = variants(project / "public")
    rows["ours, images on, like Hugo (cold)"] = ours(project, LIKE_HUGO)
    rows["ours, images on, like Hugo (warm)"] = ours(project, LIKE_HUGO, cold=False)
    like_hugo = variants(project / "public")
    hugo_cmd = [str(HUGO), "--quiet", "--destination", "public"]
    rows["Hugo, .Process resize + webp (cold)"] = timed(hugo_cmd, hugo)
    rows["Hugo, .Process resize + webp (warm, resources/_gen kept)"] = timed(hugo_cmd, hugo)
    hugo_variants = sum(1 for p in (hugo / "public").rglob("*.webp"))
    counts = (
        f"inputs made in {made:.1f} s; variants published: ours (defaults) {defaults}, "
        f"ours (like Hugo) {like_hugo}, Hugo {hugo_variants}\n"
        f"a warm build (defaults, nothing changed): {stage:.3f} CPU s in the image stage, "
        f"{rendered} notes rendered"
    )
    return rows, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--images", type=int, default=270)
    parser.add_argument("--per-note", type=int, default=9)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    env_src = str(ROOT / "src")
    os.environ["PYTHONPATH"] = env_src + os.pathsep + os.environ.get("PYTHONPATH", "")
    before = load()
    with tempfile.TemporaryDirectory(prefix="images-bench-") as tmp:
        rows, counts = run(args, Path(tmp))
    after = load()
    head = (
        f"{args.images} screenshots, {args.per_note} a note, {os.cpu_count()} CPUs; "
        f"load average before {before}, after {after}"
    )
    if args.markdown:
        print(f"{head}\n\n| build | seconds |\n|---|---:|")
        for name, sec in rows.items():
            print(f"| {name} | {sec:.2f} |")
    else:
        print(head)
        for name, sec in rows.items():
            print(f"{name:58} {sec:8.2f} s")
    print(f"\n{counts}")


if __name__ == "__main__":
    main()
