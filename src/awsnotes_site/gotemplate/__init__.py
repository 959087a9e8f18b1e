"""A Go text/template + html/template interpreter for the subset Hugo shortcodes use.

API
    ``compile(source, path) -> Template`` parses a ``layouts/shortcodes/*.html`` template,
    checks it and chooses the contextual escapers of its actions; it raises
    ``TemplateError`` for a syntax error or a construct beyond the subset.
    ``Template.render(ctx, options) -> str`` runs it with ``ctx`` (a ``Shortcode``) as dot
    and ``$``; a compiled template is immutable and may be rendered any number of times.
    ``TemplateError`` carries ``path``, ``line``, ``col`` (1-based) and ``message``;
    ``str(err)`` is ``path:line:col: message`` and ``err.to_diagnostic()`` an error
    ``Diagnostic``.

Context (filled by the caller)
    ``Shortcode``: ``.Get`` (name or position, Hugo's "" / nil rules), ``.Params``,
    ``.Inner``/``.InnerDeindent`` (trusted HTML), ``.IsNamedParams``, ``.Name``,
    ``.Ordinal``, ``.Position``, ``.Parent``, ``.Page``, ``.Site``, ``.Scratch``/``.Store``.
    ``Page``: ``Title Params Param Permalink RelPermalink Section Kind Path Lang Language
    Site Scratch Store RenderString Ref RelRef``.  ``Site``: ``Title BaseURL Params LanguageCode
    Language``.  ``Params`` maps are case-insensitive as in Hugo.  Nested shortcodes run
    first: render each child with ``parent=`` the parent's ``Shortcode``, then the parent
    with the children's output in ``inner``.  ``RenderOptions`` gives ``base_url``,
    ``markdownify`` (our Markdown renderer), ``translate`` (``T``/``i18n``), ``warn``
    (``warnf``) and ``resolve_ref`` (``ref``/``relref``).

Language
    Text, ``{{ }}`` actions with ``{{-``/``-}}`` trimming, ``{{/* */}}`` comments,
    pipelines, parenthesised pipelines with field chains, ``$x :=``/``$x =``, ``$``,
    string/raw string/char/number/bool/nil literals, ``if``/``else if``/``else``,
    ``with``/``else with``/``else``, ``range`` (lists, maps in key order, integers,
    ``$i, $v :=``, ``else``), ``break``/``continue``, Go's truth rules.  ``define``,
    ``template``, ``block`` and unknown functions, fields or methods are compile errors.

Functions
    ``and or not eq ne lt le gt ge default cond print println printf len index slice dict
    merge isset in first last after split seq uniq sort delimit lower upper replace trim
    chomp substr urlize anchorize querify urlquery relURL absURL markdownify plainify
    htmlEscape htmlUnescape safeHTML safeURL safeHTMLAttr safeCSS safeJS add sub mul div
    mod string int jsonify md5 sha1 sha256 findRE replaceRE base64Encode base64Decode T
    i18n errorf warnf ref relref site`` and ``strings.`` ``HasPrefix HasSuffix TrimPrefix TrimSuffix
    Contains ToLower ToUpper TrimSpace Trim TrimLeft TrimRight Split Replace Repeat Count
    FirstUpper RuneCount``, with Hugo's argument orders and conversions.

Escaping
    As html/template does it, by context (a port of its state machine): HTML text,
    RCDATA (``title``, ``textarea``), attribute names, quoted and unquoted attribute
    values, URL attributes (unsafe schemes become ``#ZgotmplZ``, then normalised or
    query-escaped by position), ``srcset``, ``style`` and ``<style>`` (value filter, CSS
    strings, ``url()``), ``on*`` and ``<script>`` (JSON values, JS strings, template
    literals, regexps) and HTML/JS/CSS comments in template text, which are removed.
    ``safeHTML``/``safeURL``/``safeHTMLAttr``/``safeCSS``/``safeJS`` values skip the
    escaper of their own context.  Branches that end in different contexts and templates
    that end inside a tag are compile errors, as in Go.
"""

from __future__ import annotations

from .context import Language, Page, Shortcode, Site
from .errors import TemplateError
from .funcs import RenderOptions
from .scratch import Scratch
from .template import Template, compile
from .values import CSS, HTML, JS, URL, HTMLAttr, Params

__all__ = [
    "CSS",
    "HTML",
    "HTMLAttr",
    "JS",
    "URL",
    "Language",
    "Page",
    "Params",
    "RenderOptions",
    "Scratch",
    "Shortcode",
    "Site",
    "Template",
    "TemplateError",
    "compile",
]
