"""Share cards (``og:image``): a 1200x630 PNG with the note's title, the site's name and
the date, and the choice of a note's ``og:image``.

The font is a Korean one found on the system (``fc-match``, then known paths of Noto
Sans CJK and other Hangul fonts). Without one, Pillow's built-in font cannot draw Hangul:
the card then shows only what it can draw (the date, and the title and site name when
they are plain ASCII) instead of boxes, and :attr:`CardFont.has_hangul` tells the caller
to warn once ("install fonts-noto-cjk").
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from awsnotes_site.images.cache import card_file, card_key, is_sealed, write_atomic
from awsnotes_site.images.probe import ImageWork
from awsnotes_site.urls import absolute_base

if TYPE_CHECKING:
    from PIL import ImageFont

# Pillow is imported where an image is decoded or drawn: a build whose images are all
# cached (probes, variants, cards) does not load it.

CARD_SIZE = (1200, 630)
CARD_VERSION = "1"  # bump when the card's drawing changes
MARGIN = 80
BACKGROUND = (248, 250, 252)
ACCENT = (37, 99, 235)
INK = (15, 23, 42)
MUTED = (71, 85, 105)

FONT_QUERIES = ("Noto Sans CJK KR:bold", "Noto Sans KR:bold", "NanumGothic:bold")
KNOWN_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/nanum/NanumGothicBold.ttf",
    "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
    "/System/Library/Fonts/AppleSDGothicNeo.ttc",
    "C:/Windows/Fonts/malgunbd.ttf",
    "C:/Windows/Fonts/malgun.ttf",
)
KR_INDEX = 1  # in the Noto Sans CJK collections: JP, KR, SC, TC, HK


@dataclass(frozen=True)
class CardFont:
    path: str  # "" for Pillow's built-in font
    index: int = 0

    @property
    def has_hangul(self) -> bool:
        return bool(self.path)

    def at(self, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
        from PIL import ImageFont

        if not self.path:
            return ImageFont.load_default(size)
        return ImageFont.truetype(self.path, size, index=self.index)


def _draws_hangul(path: str) -> int | None:
    """The face index in ``path`` that has Hangul, or None."""
    from PIL import ImageFont

    indices = (KR_INDEX, 0) if path.lower().endswith(".ttc") else (0,)
    for index in indices:
        try:
            font = ImageFont.truetype(path, 40, index=index)
        except (OSError, ValueError):
            continue
        if font.getbbox("한")[2] > 0 and font.getmask("한").getbbox() is not None:
            return index
    return None


def find_font(extra: Sequence[str] = ()) -> CardFont:
    """A font that draws Hangul: ``extra`` paths first (a font shipped with the site or
    the package), then ``fc-match``, then known paths; else Pillow's built-in font."""
    import subprocess  # (a build whose cards are all cached looks for no font)

    candidates = list(extra)
    fc_match = shutil.which("fc-match")
    if fc_match:
        for query in FONT_QUERIES:
            try:
                done = subprocess.run(
                    [fc_match, "-f", "%{file}", query],
                    capture_output=True,
                    text=True,
                    timeout=5,
                    check=False,
                )
            except (OSError, subprocess.SubprocessError):
                break
            if done.returncode == 0 and done.stdout.strip():
                candidates.append(done.stdout.strip())
    candidates.extend(KNOWN_FONTS)
    for path in dict.fromkeys(candidates):
        if Path(path).is_file():
            index = _draws_hangul(path)
            if index is not None:
                return CardFont(path, index)
    return CardFont("")


FONT_FILE = "font.json"  # the font found, in the image cache


def _font_context(extra: Sequence[str]) -> list[Any]:
    """What :func:`find_font`'s answer depends on: ``extra``, fc-match, the fontconfig
    caches (``fc-cache`` rewrites them when fonts are installed or removed) and the known
    font paths, by modification time and size."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "fontconfig"
    stamps: list[Any] = []
    for path in (*extra, "/var/cache/fontconfig", str(cache), *KNOWN_FONTS):
        try:
            st = os.stat(path)
        except OSError:
            stamps.append([str(path)])
            continue
        stamps.append([str(path), st.st_mtime_ns, st.st_size])
    return [shutil.which("fc-match"), stamps]


def remembered_font(folder: Path, extra: Sequence[str] = ()) -> CardFont:
    """:func:`find_font`, remembered in ``folder`` while nothing it depends on changed
    (:func:`_font_context`): finding it runs fc-match three times and loads the font
    with Pillow, ~75 ms of every build with a note that needs a card."""
    record = folder / FONT_FILE
    context = _font_context(extra)
    try:
        data = json.loads(record.read_bytes())
        if data["context"] == context:
            path, index = data["font"]
            if isinstance(path, str) and isinstance(index, int):
                return CardFont(path, index)
    except (OSError, ValueError, KeyError, TypeError):
        pass
    font = find_font(extra)
    value = {"context": context, "font": [font.path, font.index]}
    with contextlib.suppress(OSError):
        write_atomic(record, json.dumps(value, ensure_ascii=False).encode())
    return font


def _drawable(text: str, font: CardFont) -> str:
    return text if font.has_hangul or text.isascii() else ""


def wrap(text: str, fits: Callable[[str], bool], max_lines: int) -> list[str]:
    """Lines of ``text`` that each ``fits(line)``: broken at spaces, or inside a word too
    long for a line; the last line ends in "…" when text is left over."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        trial = f"{line} {word}" if line else word
        if fits(trial):
            line = trial
            continue
        if line:
            lines.append(line)
        line = ""
        for ch in word:  # a word longer than a line (Korean without spaces, a URL)
            if fits(line + ch):
                line += ch
            else:
                lines.append(line)
                line = ch
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and not fits(last + "…"):
            last = last[:-1]
        lines = [*lines[: max_lines - 1], last.rstrip() + "…"]
    return lines


def draw_card(title: str, site: str, date: str, font: CardFont) -> bytes:
    """The card's PNG bytes."""
    from PIL import Image, ImageDraw

    width, height = CARD_SIZE
    im = Image.new("RGB", CARD_SIZE, BACKGROUND)
    draw = ImageDraw.Draw(im)
    draw.rectangle((0, 0, 24, height), fill=ACCENT)
    title_font = font.at(68)
    small = font.at(34)
    text_width = width - 2 * MARGIN

    def fits(line: str) -> bool:
        return draw.textlength(line, font=title_font) <= text_width

    lines = wrap(_drawable(title, font), fits, 4)
    y = MARGIN
    for line in lines:
        draw.text((MARGIN, y), line, font=title_font, fill=INK)
        y += 92
    footer_y = height - MARGIN - 40
    draw.line((MARGIN, footer_y - 28, width - MARGIN, footer_y - 28), fill=(203, 213, 225), width=2)
    draw.text((MARGIN, footer_y), _drawable(site, font), font=small, fill=ACCENT)
    date_width = draw.textlength(date, font=small)
    draw.text((width - MARGIN - date_width, footer_y), date, font=small, fill=MUTED)
    buf = io.BytesIO()
    im.save(buf, "PNG", optimize=True)
    return buf.getvalue()


def card(
    cache_dir: Path,
    title: str,
    site: str,
    date: str,
    font: CardFont,
    work: ImageWork | None = None,
) -> Path:
    """The cached card for these texts (drawn when missing); the publisher links it."""
    key = card_key(title, site, date, f"{font.path}#{font.index}", CARD_VERSION)
    target = card_file(cache_dir, key)
    if not is_sealed(target):
        if work is not None:
            work.cards += 1
        write_atomic(target, draw_card(title, site, date, font), sealed=True)
    return target


# --- og:image ------------------------------------------------------------------------


def front_matter_image(params: Mapping[str, Any]) -> str | None:
    """The share image a note's front matter names, in Hugo's forms: ``images`` (a list
    or a string), ``cover`` (a string or a table with ``image``), ``image``."""
    images = params.get("images")
    if isinstance(images, str) and images.strip():
        return images.strip()
    if isinstance(images, list):
        for item in images:
            if isinstance(item, str) and item.strip():
                return item.strip()
    cover = params.get("cover")
    if isinstance(cover, Mapping):
        cover = cover.get("image")
    if isinstance(cover, str) and cover.strip():
        return cover.strip()
    image = params.get("image")
    if isinstance(image, str) and image.strip():
        return image.strip()
    return None


@lru_cache(maxsize=1 << 14)  # every note's, on every build: most are as they were
def absolute_image_url(url: str, base_url: str, page_url: str) -> str:
    """An image URL as written in a note (``/img/x.png``, ``cover.png``, ``https://…``)
    made absolute under the site's base: root-relative URLs are site URLs (as Hugo reads
    them), relative ones are relative to the note's page."""
    if urlsplit(url).scheme or url.startswith("//"):
        return url
    base = absolute_base(base_url)
    if url.startswith("/"):
        if url.startswith(urlsplit(base).path) and urlsplit(base).path != "/":
            return urljoin(base, url)  # already under the base path
        return base + url.lstrip("/")
    return urljoin(base + page_url, url)


def og_image(
    params: Mapping[str, Any],
    first_image: str | None,
    card_url: str | None,
    base_url: str,
    page_url: str,
) -> str | None:
    """The note's ``og:image``: front matter, else its first image, else its card
    (``card_url``: the card's site URL, e.g. ``posts/x/card.png``); absolute."""
    chosen = front_matter_image(params) or first_image
    if chosen:
        return absolute_image_url(chosen, base_url, page_url)
    if card_url:
        return absolute_base(base_url) + card_url.lstrip("/")
    return None
