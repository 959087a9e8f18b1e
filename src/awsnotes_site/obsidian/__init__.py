"""Obsidian vaults: the vault's settings and how Obsidian resolves a link to a file."""
