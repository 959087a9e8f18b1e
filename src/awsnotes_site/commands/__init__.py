"""One module per command (``build``, ``serve``, ``check``, ``new``, ``init``): each has a
typed option dataclass and ``run(options) -> int``. ``awsnotes_site.cli`` only parses the
command line into those options."""


def plural(count: int, word: str) -> str:
    """``1 note``, ``2 notes``, ``0 notes``. (Here, not in ``commands.common``: a rebuild
    with nothing changed prints a summary and imports nothing else, not even the config.)"""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"
