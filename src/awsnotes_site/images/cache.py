"""The image cache folder, ``.cache/images/``, and every key recipe for the files in it.

Derivatives and share cards are named by a key of everything that decides their bytes
(the source's content digest, the settings, the recipe version), so a changed image or
setting makes a new file and an unchanged one is found by one ``stat``. The folder is
separate from the page caches: ``--clean`` leaves it, CI keeps it between runs.

Derivatives and cards are *sealed*: written once, never changed, with a modification time
of their own (:data:`SEALED_MTIME_NS`). The publisher hard-links sealed files of this
folder into the output instead of copying them (creating a file is most of publishing a
small site), and a sealed file is trusted only while it keeps that time: a tool that
rewrites a published copy in place changes it, and the file is then made again instead of
being published. The time is a whole second (even, too), so that restoring the folder
from an archive that keeps seconds only (tar's default format, FAT) keeps it sealed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path

IMAGES_DIR = "images"  # under the site's .cache/
CARDS_DIR = "cards"  # under IMAGES_DIR
PROBES_FILE = "probes.json"  # under IMAGES_DIR
RECIPE_VERSION = "1"  # bump when resizing/encoding changes the bytes made for a key

SEALED_MTIME_NS = 946_684_800_000_000_000  # 2000-01-01T00:00:00Z

EXTENSIONS = {"webp": "webp", "avif": "avif", "png": "png", "jpeg": "jpg", "gif": "gif"}


def images_dir(cache_root: Path) -> Path:
    """``.cache/images`` for a site's ``.cache`` folder."""
    return cache_root / IMAGES_DIR


def _key(*parts: object) -> str:
    h = hashlib.blake2b(digest_size=16)
    h.update("\x1f".join(str(p) for p in parts).encode())
    return h.hexdigest()


def derivative_key(digest: str, width: int, fmt: str, quality: int, lossless: bool = False) -> str:
    """The one key recipe for a resized variant."""
    if lossless:  # (a lossy variant's key is as it was before lossless ones existed)
        return _key("variant", RECIPE_VERSION, digest, width, fmt, quality, "lossless")
    return _key("variant", RECIPE_VERSION, digest, width, fmt, quality)


def derivative_file(cache_dir: Path, key: str, fmt: str) -> Path:
    return cache_dir / key[:2] / f"{key}.{EXTENSIONS.get(fmt, fmt)}"


def card_key(title: str, site: str, date: str, font: str, version: str) -> str:
    """The one key recipe for a share card (``font``: the font file used, or "")."""
    return _key("card", RECIPE_VERSION, version, title, site, date, font)


def card_file(cache_dir: Path, key: str) -> Path:
    return cache_dir / CARDS_DIR / f"{key}.png"


def is_sealed(path: Path) -> bool:
    """Whether ``path`` is a sealed cache file as it was written (see the module's doc)."""
    try:
        return os.stat(path).st_mtime_ns == SEALED_MTIME_NS
    except OSError:
        return False


def write_atomic(path: Path, data: bytes, sealed: bool = False) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename:
    readers (and a build that is stopped) never see half a file. ``sealed``: a derivative
    or card, given :data:`SEALED_MTIME_NS`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        if sealed:  # (published as it is: readable by a web server, as copies are)
            os.chmod(tmp, 0o644)
            os.utime(tmp, ns=(SEALED_MTIME_NS, SEALED_MTIME_NS))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
