"""The HTML context html/template tracks through template text, and its transitions.

A close port of the state machine in Go's ``html/template`` (``transition.go``):
text, tags, attribute names and values (plain, URL, srcset, JS, CSS), ``<script>``
and ``<style>`` bodies with their strings and comments, RCDATA (``<textarea>``,
``<title>``) and HTML comments.  JS regular-expression literals are recognised with
Go's rule (``/`` after an operator starts a regexp, after an operand it divides).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace

_SPACE = " \t\n\f\r"
_TAG_NAME = re.compile(r"[a-zA-Z][a-zA-Z0-9:-]*")
_URL_ATTRS = frozenset(
    (
        "action",
        "archive",
        "background",
        "cite",
        "classid",
        "codebase",
        "data",
        "formaction",
        "href",
        "icon",
        "longdesc",
        "manifest",
        "poster",
        "profile",
        "src",
        "usemap",
        "xmlns",
    )
)
# Go's attrTypeMap, less its URL entries (above): plain, "unsafe" and HTML attributes.
_PLAIN_ATTR_NAMES = (
    "accept alt autocomplete autofocus autoplay border checked class cols colspan "
    "contenteditable contextmenu controls coords datetime default dir dirname disabled "
    "draggable dropzone for formtarget headers height hidden high hreflang id ismap kind "
    "label lang list loop low max maxlength media mediagroup min multiple name open "
    "optimum placeholder preload pubdate radiogroup readonly required reversed rows "
    "rowspan spellcheck scope scoped seamless selected shape size sizes span srclang "
    "start step tabindex target title width wrap"
)
_UNSAFE_ATTR_NAMES = (
    "accept-charset async challenge charset content crossorigin defer enctype form "
    "formenctype formmethod formnovalidate http-equiv keytype language method novalidate "
    "pattern rel sandbox type value"
)
_KNOWN_ATTRS = dict.fromkeys(_PLAIN_ATTR_NAMES.split(), "plain")
_KNOWN_ATTRS.update(dict.fromkeys(_UNSAFE_ATTR_NAMES.split(), "unsafe"))
_KNOWN_ATTRS.update(dict.fromkeys(_URL_ATTRS, "url"))
_KNOWN_ATTRS.update({"srcdoc": "html", "style": "css", "srcset": "srcset"})
_ELEMENT_STATE = {"script": "js", "style": "css", "textarea": "rcdata", "title": "rcdata"}
_ATTR_START = {"": "attr", "script": "js", "type": "attr", "style": "css", "url": "url"}
_ATTR_START["srcset"] = "srcset"
COMMENTS = frozenset({"htmlcmt", "jsblockcmt", "jslinecmt", "cssblockcmt", "csslinecmt"})
JS_LITERALS = frozenset({"jsdq", "jssq", "jstmpl", "jsregexp"})


@dataclass(frozen=True, slots=True)
class Context:
    state: str = "text"
    delim: str = ""  # "", '"', "'", or " " (unquoted value)
    url_part: str = ""  # "", "pre", "query", "unknown"
    js_ctx: str = "regexp"  # "regexp", "div", "unknown"
    element: str = ""  # "", "script", "style", "textarea", "title"
    attr: str = ""  # "", "script", "type", "style", "url", "srcset"
    braces: tuple[int, ...] = ()  # open "{" per "${" of enclosing JS template literals

    def describe(self) -> str:
        parts = [self.state]
        for name in ("delim", "url_part", "element", "attr", "braces"):
            value = getattr(self, name)
            if value:
                parts.append(f"{name}={value!r}")
        return "{" + " ".join(parts) + "}"


def content_type(name: str) -> str:
    """Go's ``attrType``: plain, unsafe, html, url, css, js or srcset."""
    name = name.lower()
    if name.startswith("data-"):
        name = name[5:]
    elif ":" in name:
        prefix, _, rest = name.partition(":")
        if prefix == "xmlns":
            return "url"
        name = rest
    known = _KNOWN_ATTRS.get(name)
    if known is not None:
        return known
    if name.startswith("on"):
        return "js"
    if "src" in name or "uri" in name or "url" in name:
        return "url"
    return "plain"


_ATTR_OF_TYPE = {"url": "url", "css": "style", "js": "script", "srcset": "srcset"}


def attr_type(name: str) -> str:
    """How the value of attribute ``name`` is read: "", "url", "style", "script", "srcset"."""
    return _ATTR_OF_TYPE.get(content_type(name), "")


def nudge(c: Context) -> Context:
    """The context an action sees when it appears right after a tag or attribute name."""
    if c.state == "tag":
        return replace(c, state="attrname")
    if c.state == "beforevalue":
        return replace(c, state=_ATTR_START[c.attr], delim=" ", attr=c.attr)
    if c.state == "aftername":
        return replace(c, state="attrname", attr="")
    return c


def _eat_attr_name(s: str, i: int) -> int:
    for j in range(i, len(s)):
        ch = s[j]
        if ch in " \t\n\f\r=>":
            return j
        if ch in "'\"<":
            raise ValueError(f"{ch!r} in attribute name: {s[:32]!r}")
    return len(s)


def _eat_space(s: str, i: int) -> int:
    while i < len(s) and s[i] in _SPACE:
        i += 1
    return i


def t_text(c: Context, s: str) -> tuple[Context, int]:
    k = 0
    while True:
        i = s.find("<", k)
        if i == -1 or i + 1 == len(s):
            return c, len(s)
        if s.startswith("<!--", i):
            return Context(state="htmlcmt"), i + 4
        j = i + 1
        end = s[j] == "/"
        if end:
            j += 1
        m = _TAG_NAME.match(s, j)
        if m is not None:
            name = m.group().lower()
            element = "" if end else name if name in _ELEMENT_STATE else ""
            return Context(state="tag", element=element), m.end()
        k = j


def t_tag(c: Context, s: str) -> tuple[Context, int]:
    i = _eat_space(s, 0)
    if i == len(s):
        return c, len(s)
    if s[i] == ">":
        return Context(state=_ELEMENT_STATE.get(c.element, "text"), element=c.element), i + 1
    j = _eat_attr_name(s, i)
    if i == j:
        raise ValueError(f"expected space, attr name, or end of tag, but got {s[i:]!r}")
    name = s[i:j].lower()
    attr = "type" if c.element == "script" and name == "type" else attr_type(name)
    state = "attrname" if j == len(s) else "aftername"
    return Context(state=state, element=c.element, attr=attr), j


def t_attr_name(c: Context, s: str) -> tuple[Context, int]:
    i = _eat_attr_name(s, 0)
    if i != len(s):
        return replace(c, state="aftername"), i
    return c, i


def t_after_name(c: Context, s: str) -> tuple[Context, int]:
    i = _eat_space(s, 0)
    if i == len(s):
        return c, i
    if s[i] != "=":
        return replace(c, state="tag"), i
    return replace(c, state="beforevalue"), i + 1


def t_before_value(c: Context, s: str) -> tuple[Context, int]:
    i = _eat_space(s, 0)
    if i == len(s):
        return c, i
    delim = " "
    if s[i] in "'\"":
        delim = s[i]
        i += 1
    return replace(c, state=_ATTR_START[c.attr], delim=delim), i


def t_html_cmt(c: Context, s: str) -> tuple[Context, int]:
    i = s.find("-->")
    if i == -1:
        return c, len(s)
    return Context(), i + 3


def t_url(c: Context, s: str) -> tuple[Context, int]:
    if "#" in s or "?" in s:
        return replace(c, url_part="query"), len(s)
    if len(s) != _eat_space(s, 0) and c.url_part == "":
        return replace(c, url_part="pre"), len(s)
    return c, len(s)


def t_plain(c: Context, s: str) -> tuple[Context, int]:
    return c, len(s)


_JS_SPECIAL = re.compile(r"[\"'`/{}]")
_DIV_BEFORE = re.compile(r"[\w$)\]]$")


def _js_ctx_after(text: str, prev: str) -> str:
    stripped = text.rstrip(_SPACE)
    if not stripped:
        return prev
    tail = stripped[-1]
    if _DIV_BEFORE.search(tail) is None:
        return "regexp"
    word = re.search(r"[\w$]+$", stripped)
    if word and word.group() in ("return", "typeof", "case", "delete", "in", "instanceof", "new"):
        return "regexp"
    return "div"


def t_js(c: Context, s: str) -> tuple[Context, int]:
    m = _JS_SPECIAL.search(s)
    if m is None:
        return replace(c, js_ctx=_js_ctx_after(s, c.js_ctx)), len(s)
    i = m.start()
    js_ctx = _js_ctx_after(s[:i], c.js_ctx)
    ch = s[i]
    if ch in "{}":
        return _js_brace(replace(c, js_ctx=js_ctx), ch), i + 1
    states = {'"': "jsdq", "'": "jssq", "`": "jstmpl"}
    if ch in states:
        return replace(c, state=states[ch], js_ctx=js_ctx), i + 1
    if s.startswith("/*", i):
        return replace(c, state="jsblockcmt", js_ctx=js_ctx), i + 2
    if s.startswith("//", i):
        return replace(c, state="jslinecmt", js_ctx=js_ctx), i + 2
    if js_ctx == "regexp":
        return replace(c, state="jsregexp"), i + 1
    return replace(c, js_ctx="regexp"), i + 1


def _js_brace(c: Context, ch: str) -> Context:
    """Count braces inside ``${...}``; the ``}`` that closes it returns to the literal."""
    if not c.braces:
        return c
    depth = c.braces[-1] + (1 if ch == "{" else -1)
    if depth >= 0:
        return replace(c, braces=(*c.braces[:-1], depth))
    return replace(c, state="jstmpl", braces=c.braces[:-1])


def t_js_tmpl(c: Context, s: str) -> tuple[Context, int]:
    i = 0
    while i < len(s):
        ch = s[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "`":
            return replace(c, state="js"), i + 1
        if ch == "$" and s.startswith("{", i + 1):
            return replace(c, state="js", braces=(*c.braces, 0)), i + 2
        i += 1
    return c, len(s)


def _find_close(s: str, end: str, charsets: bool) -> int:
    """Index of the unescaped ``end`` in ``s`` (outside ``[...]`` when ``charsets``), or -1."""
    in_charset = False
    i = 0
    while i < len(s):
        ch = s[i]
        if ch == "\\":
            i += 2
            continue
        if charsets and ch in "[]":
            in_charset = ch == "["
        elif ch == end and not in_charset:
            return i
        i += 1
    return -1


def t_js_delimited(c: Context, s: str) -> tuple[Context, int]:
    end = {"jsdq": '"', "jssq": "'", "jsregexp": "/"}[c.state]
    i = _find_close(s, end, c.state == "jsregexp")
    if i == -1:
        return c, len(s)
    return replace(c, state="js", js_ctx="div"), i + 1


def t_block_cmt(c: Context, s: str) -> tuple[Context, int]:
    i = s.find("*/")
    if i == -1:
        return c, len(s)
    return replace(c, state="js" if c.state == "jsblockcmt" else "css"), i + 2


def t_line_cmt(c: Context, s: str) -> tuple[Context, int]:
    ends = "\n\r\u2028\u2029" if c.state == "jslinecmt" else "\n\f\r"
    for i, ch in enumerate(s):
        if ch in ends:
            return replace(c, state="js" if c.state == "jslinecmt" else "css"), i
    return c, len(s)


_CSS_SPECIAL = re.compile(r"[(\"'/]")
_CSS_URL = re.compile(r"url\s*$", re.IGNORECASE)


def t_css(c: Context, s: str) -> tuple[Context, int]:
    m = _CSS_SPECIAL.search(s)
    if m is None:
        return c, len(s)
    i = m.start()
    ch = s[i]
    if ch == "(":
        if _CSS_URL.search(s[:i]):
            j = _eat_space(s, i + 1)
            if j < len(s) and s[j] in "\"'":
                state = "cssdqurl" if s[j] == '"' else "csssqurl"
                return replace(c, state=state, url_part=""), j + 1
            return replace(c, state="cssurl", url_part=""), j
        return c, i + 1
    if ch in "\"'":
        return replace(c, state="cssdq" if ch == '"' else "csssq", url_part=""), i + 1
    if s.startswith("/*", i):
        return replace(c, state="cssblockcmt"), i + 2
    if s.startswith("//", i):
        return replace(c, state="csslinecmt"), i + 2
    return c, i + 1


def t_css_str(c: Context, s: str) -> tuple[Context, int]:
    end = {"cssdq": '"', "csssq": "'", "cssdqurl": '"', "csssqurl": "'", "cssurl": ")"}[c.state]
    i = _find_close(s, end, False)
    if i != -1:
        return replace(c, state="css", url_part=""), i + 1
    c, _ = t_url(c, s)
    return c, len(s)


TRANSITIONS = {
    "text": t_text,
    "rcdata": t_plain,
    "tag": t_tag,
    "attrname": t_attr_name,
    "aftername": t_after_name,
    "beforevalue": t_before_value,
    "htmlcmt": t_html_cmt,
    "attr": t_plain,
    "srcset": t_plain,
    "url": t_url,
    "js": t_js,
    "jsdq": t_js_delimited,
    "jssq": t_js_delimited,
    "jstmpl": t_js_tmpl,
    "jsregexp": t_js_delimited,
    "jsblockcmt": t_block_cmt,
    "jslinecmt": t_line_cmt,
    "css": t_css,
    "cssdq": t_css_str,
    "csssq": t_css_str,
    "cssurl": t_css_str,
    "cssdqurl": t_css_str,
    "csssqurl": t_css_str,
    "cssblockcmt": t_block_cmt,
    "csslinecmt": t_line_cmt,
}
_END_TAG = {"script": "</script", "style": "</style", "textarea": "</textarea", "title": "</title"}


def _special_end(c: Context, s: str) -> int:
    """Where the end tag of a script/style/textarea/title body starts in ``s``, or -1."""
    if not c.element or (c.element == "script" and (c.state in JS_LITERALS or c.state in COMMENTS)):
        return -1
    marker = _END_TAG[c.element]
    low = s.lower()
    at = low.find(marker)
    while at != -1:
        after = low[at + len(marker) : at + len(marker) + 1]
        if after == "" or after in _SPACE + "/>":
            return at
        at = low.find(marker, at + 1)
    return -1


def context_after_text(c: Context, s: str) -> tuple[Context, int]:
    """One step of the machine over ``s``: the new context and how much of ``s`` it read."""
    if not c.delim:
        end = _special_end(c, s)
        if end == 0:
            return Context(), 0
        if end != -1:
            s = s[:end]
        return TRANSITIONS[c.state](c, s)
    stops = {'"': '"', "'": "'", " ": _SPACE + ">"}[c.delim]
    i = next((k for k, ch in enumerate(s) if ch in stops), len(s))
    if c.delim == " ":
        bad = next((ch for ch in s[:i] if ch in "\"'<=`"), None)
        if bad is not None:
            raise ValueError(f"{bad!r} in unquoted attr: {s[:i]!r}")
    if i == len(s):
        u = html.unescape(s)
        while u:
            c, k = TRANSITIONS[c.state](c, u)
            u = u[k:]
        return c, len(s)
    element = c.element
    if c.state == "attr" and c.element == "script" and c.attr == "type" and not _is_js_type(s[:i]):
        element = ""
    if c.delim != " ":
        i += 1
    return Context(state="tag", element=element), i


def _is_js_type(mime: str) -> bool:
    mime = mime.split(";", 1)[0].strip().lower()
    return mime in (
        "application/ecmascript",
        "application/javascript",
        "application/json",
        "application/ld+json",
        "application/x-ecmascript",
        "application/x-javascript",
        "module",
        "text/ecmascript",
        "text/javascript",
        "text/javascript1.0",
        "text/javascript1.1",
        "text/javascript1.2",
        "text/javascript1.3",
        "text/javascript1.4",
        "text/javascript1.5",
        "text/jscript",
        "text/livescript",
        "text/x-ecmascript",
        "text/x-javascript",
        "",
    )
