"""``awsnotes-site serve``: build into memory, serve it, rebuild on save, reload browsers.

Nothing is written to the output folder. The parts, each in its own module:

``routes``    content types, request path -> route, path safety
``state``     the last good build, the current error, what changed when
``events``    Server-Sent Events and the hub that fans them out
``watcher``   file events -> debounced batches of changed paths (watchdog)
``http``      the threaded HTTP server and request handler
``client``    the live-reload client (``livereload.js``, package data) and its tag,
              which the server adds to every HTML response
``preview``   :class:`PreviewServer`: ties them together around a builder
``project``   :class:`ProjectBuilder`: an awsnotes project as the preview builds it
``report``    what the terminal is told about each build
``command``   the ``serve`` command

Imports go one way: serve uses the build pipeline; only the command line imports serve.
"""

from __future__ import annotations

from awsnotes_site.serve.command import serve

__all__ = ["serve"]
