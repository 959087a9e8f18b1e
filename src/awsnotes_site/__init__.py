"""awsnotes-site: a static site generator for Korean study notes."""

__version__ = "0.1.0"
