"""A Go text/template + html/template interpreter for the subset Hugo shortcodes use.

``compile(source, path)`` parses a ``layouts/shortcodes/*.html`` template and chooses the
contextual escapers for its actions, as Go's html/template does; ``Template.render(ctx,
options)`` executes it with a ``Shortcode`` as dot.  Errors are ``TemplateError`` carrying
``path``, ``line``, ``col`` and ``message`` (``to_diagnostic()`` gives a ``Diagnostic``).
"""

from __future__ import annotations

from .context import Language, Page, Shortcode, Site
from .errors import TemplateError
from .funcs import RenderOptions
from .template import Template, compile
from .values import CSS, HTML, JS, URL, HTMLAttr, Params

__all__ = [
    "CSS",
    "HTML",
    "HTMLAttr",
    "JS",
    "Language",
    "URL",
    "Page",
    "Params",
    "RenderOptions",
    "Shortcode",
    "Site",
    "Template",
    "TemplateError",
    "compile",
]
