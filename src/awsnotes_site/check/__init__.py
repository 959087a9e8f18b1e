"""``awsnotes-site check``: every internal URL of the built site must resolve.

The site is built in memory (or an existing build is read with ``--output``), then every
HTML page is parsed once with :mod:`html.parser`, collecting the ids (and ``<a name>``) it
defines and every URL it uses: ``href``, ``src``, ``srcset`` candidates, ``poster``,
``<object data>``, ``<form action>``.  Stylesheets are scanned for ``url(...)`` and
``@import`` too.  Each internal URL must

* live under the site's base path (``/notes/`` for a GitHub project page): a root-relative
  ``/static/x.png`` on such a site is an error, since it leaves the site;
* name a file in the output, the way GitHub Pages serves it (``x/`` is ``x/index.html``,
  ``x`` is also ``x/`` or ``x.html``), with the exact case (``/Posts/X/`` is reported as a
  case mistake when ``/posts/x/`` exists);
* when it has a ``#fragment`` and leads to an HTML page, name an id on that page
  (compared percent-decoded and NFC-normalised, so Korean heading ids work).

A problem in a URL written in a note is reported at the note's path and line (through
``BuildResult.page_sources`` and the note's recorded links); one from a template at the
output file and its line.  External links are only fetched with ``--external``.

The package, in the order a check runs: :mod:`.parse` reads the pages and stylesheets,
:mod:`.site` checks their URLs against the output, :mod:`.external` fetches other sites'
URLs, :mod:`.command` is the command.
"""

from __future__ import annotations

from awsnotes_site.check.command import check_command
from awsnotes_site.check.external import check_external, fetch
from awsnotes_site.check.parse import (
    ParsedPage,
    SiteFiles,
    UrlUse,
    parse_all,
    parse_css,
    parse_page,
    srcset_urls,
)
from awsnotes_site.check.site import CheckResult, CheckStats, NoteLinks, Source, check_site

__all__ = [
    "CheckResult",
    "CheckStats",
    "NoteLinks",
    "ParsedPage",
    "SiteFiles",
    "Source",
    "UrlUse",
    "check_command",
    "check_external",
    "check_site",
    "fetch",
    "parse_all",
    "parse_css",
    "parse_page",
    "srcset_urls",
]
