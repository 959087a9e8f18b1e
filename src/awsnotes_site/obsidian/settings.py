"""A vault's own settings, from ``.obsidian/app.json`` (all optional)."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path

SETTINGS_DIR = ".obsidian"


@dataclass(frozen=True)
class VaultSettings:
    attachment_folder: str = "/"  # "/" vault root, "./" the note's folder, "./x", "x"
    use_markdown_links: bool = False
    new_link_format: str = "shortest"  # "shortest", "relative", "absolute"
    ignore: tuple[str, ...] = ()  # "Excluded files": folders or patterns


def is_vault(root: Path) -> bool:
    return (root / SETTINGS_DIR).is_dir()


def vault_defaults(root: Path) -> dict[str, object]:
    """The settings of a vault without ``site.toml`` (none when ROOT is no vault): its
    notes are its whole folder, its title the folder's name."""
    if not is_vault(root):
        return {}
    name = unicodedata.normalize("NFC", root.resolve().name)
    return {"kind": "vault", "content_dirname": ".", "title": name}


def load_settings(root: Path) -> VaultSettings:
    """The vault's settings; defaults where ``app.json`` is missing or unreadable."""
    path = root / SETTINGS_DIR / "app.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return VaultSettings()
    if not isinstance(data, dict):
        return VaultSettings()
    ignore = data.get("userIgnoreFilters")
    return VaultSettings(
        attachment_folder=str(data.get("attachmentFolderPath") or "/"),
        use_markdown_links=bool(data.get("useMarkdownLinks", False)),
        new_link_format=str(data.get("newLinkFormat") or "shortest"),
        ignore=tuple(str(i) for i in ignore) if isinstance(ignore, list) else (),
    )
