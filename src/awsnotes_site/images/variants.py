"""Responsive variants: smaller WebP/AVIF copies of images wider than the text column.

:func:`plan` decides which files to make (pure: from probe results and settings),
:func:`make` makes the missing ones in ``.cache/images/`` (in threads: Pillow releases
the GIL while it resizes and encodes) and :func:`responsive` gives the ``srcset``,
``sizes`` and ``<picture>`` sources an image's markup uses. Animated images and SVG are
published as they are.
"""

from __future__ import annotations

import importlib.util
import io
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PIL import Image

from awsnotes_site.images.cache import derivative_file, derivative_key, is_sealed, write_atomic
from awsnotes_site.images.probe import DEFAULT_MAX_PIXELS, ImageInfo, ImageWork

MIME = {"webp": "image/webp", "avif": "image/avif", "png": "image/png", "jpeg": "image/jpeg"}
PILLOW_FORMAT = {"webp": "WEBP", "avif": "AVIF", "png": "PNG", "jpeg": "JPEG"}
SOURCE_FORMAT = {"PNG": "png", "JPEG": "jpeg", "MPO": "jpeg", "WEBP": "webp", "AVIF": "avif"}
KNOWN_FORMATS = ("avif", "webp", "png", "jpeg")  # the order <source>s are listed in
# Sources whose pixels are exact (screenshots, diagrams) get one variant: a lossless WebP
# of their own size. No visible loss, and on the shipped note's PNG screenshots 56 %
# smaller than the PNGs (as small as lossy AVIF at quality 75, which blurs text); a
# resized copy is larger (at 720 px, lossless: 2x the full-size WebP, since resampling
# blurs every pixel; lossy WebP q90: also larger, and no longer exact), and Pillow's
# lossless AVIF is larger than lossless WebP.
LOSSLESS_SOURCES = frozenset({"PNG", "GIF", "BMP", "TIFF", "ICO"})


def supported_formats() -> tuple[str, ...]:
    """Output formats the installed Pillow can write: PNG and JPEG always, WebP and AVIF
    when Pillow was built with their plugin (looked up, not loaded: this runs on every
    build, most of which decode no image)."""
    return tuple(f for f in KNOWN_FORMATS if f in ("png", "jpeg") or _has_plugin(f))


def _has_plugin(fmt: str) -> bool:
    try:
        return importlib.util.find_spec(f"PIL._{fmt}") is not None
    except ImportError:
        return False


def default_formats() -> tuple[str, ...]:
    return ("webp", "avif") if "avif" in supported_formats() else ("webp",)


@dataclass(frozen=True)
class ImageSettings:
    """The ``[images]`` table of the site config."""

    enabled: bool = True
    # 720: a 1x desktop (680 px column) and Lighthouse's phone (380 px at DPR 1.75);
    # 1080: 360 px phones at DPR 3; 1440: 2x desktops.
    widths: tuple[int, ...] = (480, 720, 1080, 1440)
    formats: tuple[str, ...] = field(default_factory=default_formats)
    quality: int = 75
    lossless: bool = True  # exact (PNG) sources: one lossless WebP, not resized copies
    column: int = (
        680  # CSS px of the theme's text column (72ch = 679.3 px): wider images get variants
    )
    max_pixels: int = DEFAULT_MAX_PIXELS

    @classmethod
    def from_config(cls, table: Mapping[str, Any]) -> tuple[ImageSettings, list[str]]:
        """Settings from ``[images]``; bad values are reported and replaced by defaults."""
        base = cls()
        errors: list[str] = []
        values: dict[str, Any] = {}
        for key, value in table.items():
            problem = _check_setting(key, value)
            if problem:
                errors.append(f"[images] {key}: {problem}")
            elif key == "formats":
                values[key] = tuple(dict.fromkeys(str(v).lower() for v in value))
            elif key == "widths":
                values[key] = tuple(sorted(set(value)))
            else:
                values[key] = value
        settings = cls(**{**_fields(base), **values})
        return settings, errors


def _fields(settings: ImageSettings) -> dict[str, Any]:
    return {k: getattr(settings, k) for k in settings.__dataclass_fields__}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_setting(key: str, value: Any) -> str | None:
    if key in ("enabled", "lossless"):
        return None if isinstance(value, bool) else "must be true or false"
    if key == "widths":
        ok = isinstance(value, list) and value and all(_is_int(v) and v > 0 for v in value)
        return None if ok else "must be a list of widths in pixels, e.g. [480, 768, 1200]"
    if key == "formats":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return 'must be a list such as ["webp", "avif"]'
        bad = [v for v in value if v.lower() not in supported_formats()]
        if bad:
            can = ", ".join(supported_formats())
            return f"{', '.join(bad)} cannot be written by the installed Pillow (it can: {can})"
        return None
    if key == "quality":
        return None if _is_int(value) and 1 <= value <= 100 else "must be a number 1-100"
    if key in ("column", "max_pixels"):
        return None if _is_int(value) and value > 0 else "must be a positive number"
    return (
        "unknown setting (known: enabled, widths, formats, quality, lossless, column, max_pixels)"
    )


@dataclass(frozen=True)
class SourceImage:
    """A published image: its output path in the site, its file and what it is."""

    output: str  # "img/post/x.png" (site-relative, posix)
    path: Path
    info: ImageInfo


@dataclass(frozen=True)
class Derivative:
    output: str  # "img/post/x.768w.webp"
    source: Path
    digest: str
    width: int
    height: int
    format: str  # "webp", "avif", "png", "jpeg"
    quality: int
    lossless: bool = False  # a lossless WebP of an exact (PNG) source

    @property
    def key(self) -> str:
        return derivative_key(self.digest, self.width, self.format, self.quality, self.lossless)


def variant_widths(info: ImageInfo, settings: ImageSettings) -> list[int]:
    """The widths to make for an image (none when it gets no variants)."""
    if not settings.enabled or not info.is_raster or info.animated:
        return []
    if info.width <= settings.column or not settings.widths:
        return []
    if is_lossless_source(info, settings) and "webp" in settings.formats:
        return [info.width]  # the lossless WebP (see LOSSLESS_SOURCES)
    return sorted({min(w, info.width) for w in settings.widths})


def is_lossless_source(info: ImageInfo, settings: ImageSettings) -> bool:
    return settings.lossless and info.format in LOSSLESS_SOURCES


def formats_for(info: ImageInfo, settings: ImageSettings) -> tuple[str, ...]:
    """The variant formats of an image: all the settings' formats, but no AVIF for an
    exact source that gets lossless WebP variants."""
    if is_lossless_source(info, settings) and "webp" in settings.formats:
        return ("webp",)
    return settings.formats


def derivative_output(output: str, width: int, fmt: str) -> str:
    p = PurePosixPath(output)
    ext = "jpg" if fmt == "jpeg" else fmt
    return str(p.with_name(f"{p.stem}.{width}w.{ext}"))


def plan(images: Iterable[SourceImage], settings: ImageSettings) -> list[Derivative]:
    """Every derivative the site needs, in a stable order."""
    out: list[Derivative] = []
    for image in images:
        info = image.info
        for width in variant_widths(info, settings):
            height = max(1, round(info.height * width / info.width))
            lossless = is_lossless_source(info, settings)
            for fmt in formats_for(info, settings):
                out.append(
                    Derivative(
                        derivative_output(image.output, width, fmt),
                        image.path,
                        info.digest,
                        width,
                        height,
                        fmt,
                        settings.quality,
                        lossless and fmt == "webp",
                    )
                )
    return out


@dataclass
class MadeVariants:
    files: dict[str, Path]  # output path -> cached file, for the publisher to copy or link
    problems: list[tuple[Derivative, str]]  # not made (the original is published anyway)


def make(
    derivatives: Sequence[Derivative],
    cache_dir: Path,
    work: ImageWork | None = None,
    threads: int = 0,
) -> MadeVariants:
    """Make the derivatives missing from ``cache_dir`` (or no longer sealed); an unchanged
    site costs one ``stat`` per derivative. Each source is decoded once for all its widths
    and formats."""
    files: dict[str, Path] = {}
    missing: dict[Path, list[Derivative]] = {}
    for d in derivatives:
        cached = derivative_file(cache_dir, d.key, d.format)
        if is_sealed(cached):
            files[d.output] = cached
        else:
            missing.setdefault(d.source, []).append(d)
    problems: list[tuple[Derivative, str]] = []
    if not missing:
        return MadeVariants(files, problems)
    count = threads or min(len(missing), os.cpu_count() or 1)
    jobs = list(missing.values())
    from concurrent.futures import ThreadPoolExecutor  # only when there is work

    with ThreadPoolExecutor(max_workers=max(1, count)) as pool:
        for group, result in zip(
            jobs, pool.map(lambda g: _make_group(g, cache_dir), jobs), strict=True
        ):
            if isinstance(result, str):
                problems.extend((d, result) for d in group)
                continue
            if work is not None:
                work.encodes += len(group)
            files.update(result)
    return MadeVariants(files, problems)


def _make_group(group: list[Derivative], cache_dir: Path) -> dict[str, Path] | str:
    """Resize one source to each of its derivatives, largest first; an error's text."""
    from PIL import Image

    made: dict[str, Path] = {}
    try:
        largest = max(group, key=lambda d: d.width)
        with Image.open(group[0].source) as im:
            if im.format == "JPEG":  # decode at the smallest scale still >= the largest
                im.draft("RGB", (largest.width, largest.height))
            im.load()
            frame = im.convert("RGBA" if _has_alpha(im) else "RGB")
        for d in sorted(group, key=lambda d: -d.width):
            if frame.size == (d.width, d.height):
                resized = frame
            else:
                resized = frame.resize(
                    (d.width, d.height), Image.Resampling.LANCZOS, reducing_gap=3.0
                )
            target = derivative_file(cache_dir, d.key, d.format)
            write_atomic(target, _encode(resized, d.format, d.quality, d.lossless), sealed=True)
            made[d.output] = target
    except Exception as exc:  # a file that changed or broke since it was probed
        return f"{type(exc).__name__}: {exc}"
    return made


def _has_alpha(im: Image.Image) -> bool:
    return im.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in im.info


def _encode(im: Image.Image, fmt: str, quality: int, lossless: bool = False) -> bytes:
    buf = io.BytesIO()
    if fmt == "jpeg" and im.mode != "RGB":
        im = im.convert("RGB")
    options: dict[str, Any] = {"quality": quality}
    if fmt == "webp":
        options["method"] = 4
        options["lossless"] = lossless  # (then quality is the effort: 75, fast enough)
    elif fmt == "avif":
        options["speed"] = 8  # AVIF encoding is slow; 8 trades a little size for time
    elif fmt == "png":
        options = {"optimize": False}
    im.save(buf, PILLOW_FORMAT[fmt], **options)
    return buf.getvalue()


# --- markup ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PictureSource:
    type: str  # MIME type, "" for the original's format
    srcset: str
    media: str = ""  # "(prefers-color-scheme: dark)" for a dark variant


@dataclass(frozen=True)
class Responsive:
    """How an image is offered: ``srcset``/``sizes`` on the ``<img>`` itself (variants in
    the original's format) and ``<source>``s of a ``<picture>`` (other formats)."""

    sizes: str = ""
    srcset: str = ""  # for the <img>
    sources: tuple[PictureSource, ...] = ()


def srcset_url(url: str) -> str:
    """A URL as a srcset candidate: whitespace and commas would split it."""
    return url.replace(" ", "%20").replace(",", "%2C").replace("\t", "%09").replace("\n", "%0A")


# The theme's side padding of the text column: 1rem each side up to 640 px wide screens,
# 1.25rem above (site.css); ``sizes`` follows it so that phones pick the right width.
PHONE_MAX = 640


def sizes_for(info: ImageInfo, settings: ImageSettings) -> str:
    shown = min(info.width, settings.column)
    if shown + 40 <= PHONE_MAX:
        return f"(max-width: {shown + 32}px) calc(100vw - 2rem), {shown}px"
    return (
        f"(max-width: {PHONE_MAX}px) calc(100vw - 2rem), "
        f"(max-width: {shown + 40}px) calc(100vw - 2.5rem), {shown}px"
    )


def responsive(url: str, info: ImageInfo, settings: ImageSettings, media: str = "") -> Responsive:
    """The srcset/sources for the image published at ``url`` (with its base path)."""
    widths = variant_widths(info, settings)
    if not widths:
        return Responsive()
    own = SOURCE_FORMAT.get(info.format, "")
    srcset = ""
    sources: list[PictureSource] = []
    formats = formats_for(info, settings)
    for fmt in KNOWN_FORMATS:
        if fmt not in formats:
            continue
        candidates = [f"{srcset_url(derivative_output(url, w, fmt))} {w}w" for w in widths]
        if fmt == own:
            if widths[-1] < info.width:
                candidates.append(f"{srcset_url(url)} {info.width}w")
            srcset = ", ".join(candidates)
        else:
            sources.append(PictureSource(MIME[fmt], ", ".join(candidates), media))
    return Responsive(sizes_for(info, settings), srcset, tuple(sources))
