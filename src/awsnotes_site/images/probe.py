"""What an image file is: its size, format, animation, alpha and content digest.

:func:`probe` never raises: a file that cannot be used (truncated, not an image, a wrong
extension, a decompression bomb, unreadable) gives an :class:`ImageProblem` whose message
the caller turns into a warning, and the file is then published as it is. Memory stays
bounded: headers are read first (Pillow opens lazily) and pixels are decoded only for
images under the pixel limit, a JPEG at an eighth of its size.

A :class:`ProbeCache` (owned by the caller, saved between builds) answers again for a
file whose size and modification time are unchanged, without opening it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import warnings
import xml.parsers.expat
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PIL import Image

# Pillow is imported where an image is decoded or drawn: a build whose images are all
# cached (probes, variants, cards) does not load it.

DEFAULT_MAX_PIXELS = 40_000_000  # 8000 x 5000; larger images are published as they are
SVG_HEAD_LIMIT = 1 << 20  # the root element must start within the first MiB
PROBE_VERSION = 1  # bump when ImageInfo's meaning changes (invalidates saved probes)

# Extensions and the formats Pillow may report for them.
EXTENSION_FORMATS: dict[str, frozenset[str]] = {
    ".png": frozenset({"PNG"}),
    ".jpg": frozenset({"JPEG", "MPO"}),
    ".jpeg": frozenset({"JPEG", "MPO"}),
    ".gif": frozenset({"GIF"}),
    ".webp": frozenset({"WEBP"}),
    ".avif": frozenset({"AVIF"}),
    ".bmp": frozenset({"BMP"}),
    ".ico": frozenset({"ICO"}),
    ".svg": frozenset({"SVG"}),
}
RASTER_EXTENSIONS = frozenset(EXTENSION_FORMATS) - {".svg"}


@dataclass(frozen=True, slots=True)
class ImageInfo:
    width: int
    height: int
    format: str  # Pillow's name ("PNG", "JPEG", "GIF", "WEBP", ...) or "SVG"
    animated: bool
    alpha: bool
    digest: str  # of the file's bytes (hex), the content part of every cache key
    size: int  # bytes

    @property
    def is_raster(self) -> bool:
        return self.format != "SVG"


@dataclass(frozen=True, slots=True)
class ImageProblem:
    message: str  # "is truncated", ...: the caller prefixes the note, line and URL


@dataclass
class ImageWork:
    """Counts of real image work, for tests and build statistics."""

    probes: int = 0  # files opened by :func:`probe`
    encodes: int = 0  # derivatives resized and written
    cards: int = 0  # share cards drawn


def file_digest(path: Path) -> str:
    h = hashlib.blake2b(digest_size=16)
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def probe(
    path: Path, max_pixels: int = DEFAULT_MAX_PIXELS, work: ImageWork | None = None
) -> ImageInfo | ImageProblem:
    """Read ``path``'s size, format and digest; a problem instead of an exception.

    Call it from one thread at a time (it silences Pillow's decompression-bomb warning
    with :func:`warnings.catch_warnings`, which is process-wide); forked workers are fine.
    """
    if work is not None:
        work.probes += 1
    try:
        digest = file_digest(path)
        size = path.stat().st_size
    except IsADirectoryError:
        return ImageProblem("is a directory, not an image file")
    except FileNotFoundError:
        return ImageProblem("does not exist (a dangling link?)")
    except OSError as exc:
        return ImageProblem(f"cannot be read: {exc.strerror or exc}")
    if path.suffix.lower() == ".svg":
        return _probe_svg(path, digest, size)
    from PIL import Image, UnidentifiedImageError

    try:
        return _probe_raster(path, digest, size, max_pixels)
    except Image.DecompressionBombError:
        return ImageProblem("is too large to decode (a decompression bomb?)")
    except UnidentifiedImageError:
        return ImageProblem("is not an image Pillow can read")
    except Exception as exc:  # Pillow's plugins raise assorted errors on corrupt input
        return ImageProblem(f"is damaged ({_describe(exc)})")


def _describe(exc: Exception) -> str:
    text = str(exc)
    if "truncated" in text.lower() or isinstance(exc, EOFError):
        return "truncated"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _probe_raster(path: Path, digest: str, size: int, max_pixels: int) -> ImageInfo | ImageProblem:
    from PIL import Image

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        with Image.open(path) as im:
            fmt = im.format or "?"
            width, height = im.size
            animated = bool(getattr(im, "is_animated", False))
            alpha = im.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in im.info
            if width * height > max_pixels:
                return ImageProblem(
                    f"is {width}x{height} pixels, more than the limit of {max_pixels}"
                )
            expected = EXTENSION_FORMATS.get(path.suffix.lower())
            if expected is not None and fmt not in expected:
                return ImageProblem(
                    f"is a {fmt} image, but its extension says {path.suffix}: rename it"
                )
            _check_pixels(im, path)
    return ImageInfo(width, height, fmt, animated, alpha, digest, size)


def _check_pixels(im: Image.Image, path: Path) -> None:
    """Decode just enough to find a truncated or corrupt file; raises if so."""
    if im.format == "PNG":
        im.verify()  # chunk CRCs up to IEND, no pixel decoding
        return
    if im.format in ("JPEG", "MPO"):
        im.draft("RGB", (max(1, im.width // 8), max(1, im.height // 8)))
    im.load()  # the first frame only


# --- SVG -----------------------------------------------------------------------------


class _Root(Exception):
    def __init__(self, attrs: dict[str, str]) -> None:
        self.attrs = attrs


class _Forbidden(Exception):
    pass


def _svg_root(path: Path) -> dict[str, str]:
    """The root element's attributes, read without expanding or fetching entities."""
    parser = xml.parsers.expat.ParserCreate()
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def start(name: str, attrs: dict[str, str]) -> None:
        if name.rsplit(":", 1)[-1] != "svg":
            raise _Forbidden(f"its root element is <{name}>, not <svg>")
        raise _Root(attrs)

    def entity(*_: Any) -> None:
        raise _Forbidden("it declares XML entities (not read, for safety)")

    def external(*_: Any) -> int:
        raise _Forbidden("it refers to external XML entities (not read, for safety)")

    parser.StartElementHandler = start
    parser.EntityDeclHandler = entity
    parser.ExternalEntityRefHandler = external
    read = 0
    with path.open("rb") as f:
        while chunk := f.read(64 * 1024):
            read += len(chunk)
            parser.Parse(chunk, False)
            if read >= SVG_HEAD_LIMIT:
                raise _Forbidden("no <svg> element in its first MiB")
        parser.Parse(b"", True)
    raise _Forbidden("it has no <svg> element")


_LENGTH = re.compile(r"\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*(px)?\s*$")


def _length(value: str | None) -> float | None:
    if value is None:
        return None
    m = _LENGTH.match(value)
    return float(m.group(1)) if m else None


def _probe_svg(path: Path, digest: str, size: int) -> ImageInfo | ImageProblem:
    try:
        attrs = _svg_root(path)
    except _Root as root:
        attrs = root.attrs
    except _Forbidden as exc:
        return ImageProblem(f"is not a usable SVG: {exc}")
    except xml.parsers.expat.ExpatError as exc:
        return ImageProblem(f"is not well-formed SVG ({exc})")
    except OSError as exc:
        return ImageProblem(f"cannot be read: {exc.strerror or exc}")
    width, height = _length(attrs.get("width")), _length(attrs.get("height"))
    box = [float(v) for v in re.split(r"[\s,]+", attrs.get("viewBox", "").strip()) if v]
    if len(box) == 4 and box[2] > 0 and box[3] > 0:
        if width is None and height is None:
            width, height = box[2], box[3]
        elif width is None and height is not None:
            width = height * box[2] / box[3]
        elif height is None and width is not None:
            height = width * box[3] / box[2]
    if not width or not height:
        return ImageProblem("is an SVG without width/height or viewBox: its size is unknown")
    w, h = max(1, round(width)), max(1, round(height))
    return ImageInfo(w, h, "SVG", False, True, digest, size)


# --- the cache -----------------------------------------------------------------------

Probed = ImageInfo | ImageProblem


class ProbeCache:
    """Probe results by path, valid while the file's size and mtime_ns are unchanged."""

    def __init__(self, max_pixels: int = DEFAULT_MAX_PIXELS) -> None:
        self.max_pixels = max_pixels
        self.entries: dict[str, tuple[int, int, Probed]] = {}
        self.changed = False

    def get(self, path: Path, work: ImageWork | None = None) -> Probed:
        key = str(path)
        try:
            st = path.stat()
        except OSError:
            st = None
        if st is not None:
            hit = self.entries.get(key)
            if hit is not None and hit[0] == st.st_size and hit[1] == st.st_mtime_ns:
                return hit[2]
        result = probe(path, self.max_pixels, work)
        if st is not None:
            self.entries[key] = (st.st_size, st.st_mtime_ns, result)
            self.changed = True
        return result

    def save(self, file: Path) -> None:
        """Write the cache (atomically) when it changed."""
        if not self.changed:
            return
        rows = {k: [s, m, _encode(r)] for k, (s, m, r) in self.entries.items()}
        data = {"version": PROBE_VERSION, "max_pixels": self.max_pixels, "entries": rows}
        from awsnotes_site.images.cache import write_atomic

        write_atomic(file, json.dumps(data, ensure_ascii=False).encode())
        self.changed = False

    @classmethod
    def load(cls, file: Path, max_pixels: int = DEFAULT_MAX_PIXELS) -> ProbeCache:
        """The saved cache, or an empty one when there is none or it does not fit."""
        cache = cls(max_pixels)
        with contextlib.suppress(OSError, ValueError, TypeError, KeyError):
            data = json.loads(file.read_bytes())
            if data["version"] == PROBE_VERSION and data["max_pixels"] == max_pixels:
                for key, (s, m, row) in data["entries"].items():
                    cache.entries[key] = (int(s), int(m), _decode(row))
        return cache

    def __iter__(self) -> Iterator[str]:
        return iter(self.entries)


def _encode(result: Probed) -> dict[str, Any]:
    return {"problem": result.message} if isinstance(result, ImageProblem) else asdict(result)


def _decode(row: dict[str, Any]) -> Probed:
    if "problem" in row:
        return ImageProblem(str(row["problem"]))
    return ImageInfo(**row)


def is_image_path(path: Path | str) -> bool:
    """Whether a file is one the image pipeline looks at, by its extension."""
    return os.path.splitext(str(path))[1].lower() in EXTENSION_FORMATS
