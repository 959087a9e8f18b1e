"""Every rule about base paths, site URLs and output paths, written once.

A site lives under a *base path* (``/`` or ``/notes/``): the path part of its base URL, with
leading and trailing slash. Pages have *site URLs* relative to that base (``posts/x/``, ``""``
for the home page) and are written to *output paths* (``posts/x/index.html``), the way a
static host such as GitHub Pages serves them."""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote, urlsplit


def nfc(text: str) -> str:
    """TEXT in Unicode NFC, the form paths and URLs are compared in."""
    return unicodedata.normalize("NFC", text)


def raw_base_path(url: str) -> str:
    """The path of a base URL as written (not decoded), with leading and trailing slash:
    ``https://user.github.io/notes`` -> ``/notes/``; ``""`` -> ``/``."""
    path = urlsplit(url).path or "/"
    if not path.startswith("/"):
        path = "/" + path
    return path if path.endswith("/") else path + "/"


def base_path_of(url: str) -> str:
    """The path of a base URL, percent-decoded, with leading and trailing slash."""
    return unquote(raw_base_path(url))


def absolute_base(url: str) -> str:
    """``scheme://host/base/`` when the base URL is absolute, else the base path."""
    parts = urlsplit(url)
    if parts.scheme and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}{raw_base_path(url)}"
    return raw_base_path(url)


def with_base(url: str, base_path: str) -> str:
    """``/static/x.png`` -> ``/notes/static/x.png`` for base path ``/notes/``: a
    root-relative URL moved under the base path; anything else is left alone."""
    if url.startswith("/") and not url.startswith("//") and base_path != "/":
        return base_path + url[1:]
    return url


def output_path(url: str) -> str:
    """Site URL -> output path: ``posts/x/`` -> ``posts/x/index.html``; ``""`` ->
    ``index.html``; a file's URL (``atom.xml``) is its own path."""
    return f"{url}index.html" if url.endswith("/") or not url else url


def page_url(rel: str) -> str:
    """Output path -> the site URL it is served at (the inverse of :func:`output_path`)."""
    if rel == "index.html":
        return ""
    if rel.endswith("/index.html"):
        return rel[: -len("index.html")]
    return rel
