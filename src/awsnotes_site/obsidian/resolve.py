"""Resolve Obsidian link targets (``[[노트]]``, ``[[폴더/노트]]``, ``![[그림.png]]``,
``[글](폴더/노트.md)``) to files of the vault, the way Obsidian does:

* names compare case-insensitively, in Unicode NFC (a vault copied from macOS has NFD names);
* a note may be named with or without ``.md``; other files need their extension;
* a target with a folder (``폴더/노트``) matches that path from the vault root, else a path
  relative to the linking note's folder, else any file whose path ends with it;
* when several files match: an exact path from the root wins, then a file in the linking
  note's folder, then the shortest path (fewest folders), then the first in path order."""

from __future__ import annotations

import posixpath
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

NOTE_EXTENSIONS = (".md", ".markdown")


def fold(text: str) -> str:
    """The form names are compared in: NFC, case-folded."""
    return unicodedata.normalize("NFC", text).casefold()


@dataclass(frozen=True)
class VaultFile:
    path: str  # vault-relative, "/"-separated, NFC: "폴더/노트.md"
    url: str  # where the site serves it: "폴더/노트/" for a note, "폴더/그림.png" for a file

    @property
    def is_note(self) -> bool:
        return self.path.lower().endswith(NOTE_EXTENSIONS)

    @property
    def stem(self) -> str:
        """The note's name as links write it (``노트`` for ``폴더/노트.md``)."""
        name = posixpath.basename(self.path)
        return posixpath.splitext(name)[0] if self.is_note else name

    @property
    def folder(self) -> str:
        return posixpath.dirname(self.path)


def _key(path: str) -> str:
    """A path without a note extension, folded: ``폴더/노트.md`` -> ``폴더/노트``."""
    folded = fold(path)
    for ext in NOTE_EXTENSIONS:
        if folded.endswith(ext):
            return folded[: -len(ext)]
    return folded


class LinkIndex:
    """Every file of a vault, looked up by name and by path."""

    def __init__(self, files: Iterable[VaultFile]) -> None:
        self.files = sorted(files, key=lambda f: f.path)
        self.by_path: dict[str, VaultFile] = {}
        self.by_name: dict[str, list[VaultFile]] = defaultdict(list)
        for f in self.files:
            key = _key(f.path)
            self.by_path.setdefault(key, f)
            self.by_path.setdefault(fold(f.path), f)
            self.by_name[_key(posixpath.basename(f.path))].append(f)

    def resolve(self, target: str, source: str = "") -> VaultFile | None:
        """The file TARGET names, linked from the file at vault path SOURCE."""
        target = unicodedata.normalize("NFC", target.strip()).replace("\\", "/")
        target = target.lstrip("/") if not target.startswith("./") else target
        if not target:
            return None
        here = posixpath.dirname(unicodedata.normalize("NFC", source))
        if "/" in target:
            return self._by_path(target, here)
        candidates = self.by_name.get(_key(target), [])
        return self._choose(candidates, here)

    def _by_path(self, target: str, here: str) -> VaultFile | None:
        if not target.startswith(("./", "../")):
            exact = self.by_path.get(_key(target)) or self.by_path.get(fold(target))
            if exact is not None:
                return exact
        relative = posixpath.normpath(posixpath.join(here, target))
        if not relative.startswith("../"):
            found = self.by_path.get(_key(relative)) or self.by_path.get(fold(relative))
            if found is not None:
                return found
        suffix = "/" + _key(target.lstrip("./"))
        name = _key(posixpath.basename(target))
        candidates = [f for f in self.by_name.get(name, []) if _key(f.path).endswith(suffix)]
        return self._choose(candidates, here)

    @staticmethod
    def _choose(candidates: list[VaultFile], here: str) -> VaultFile | None:
        if not candidates:
            return None
        if len(candidates) == 1:
            return candidates[0]
        root = [f for f in candidates if f.folder == ""]
        if root:  # the name is also an exact path from the vault's root
            return root[0]
        same = [f for f in candidates if f.folder == here]
        if same:
            return same[0]
        return min(candidates, key=lambda f: (f.path.count("/"), f.path))
