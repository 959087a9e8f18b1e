"""One module per command (``build``, ``serve``, ``check``, ``new``, ``init``): each has a
typed option dataclass and ``run(options) -> int``. ``awsnotes_site.cli`` only parses the
command line into those options."""
