"""The build pipeline: :class:`Builder` runs the stages (load, render, plan, pages, static,
links); :func:`build` also publishes the result (:mod:`awsnotes_site.publish`)."""

from __future__ import annotations

from awsnotes_site.pipeline.builder import Builder, build
from awsnotes_site.pipeline.options import BuildOptions, BuildResult
from awsnotes_site.pipeline.static import collect_static

__all__ = ["BuildOptions", "BuildResult", "Builder", "build", "collect_static"]
