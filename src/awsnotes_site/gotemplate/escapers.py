"""The escaping functions html/template inserts into actions, by name.

Each takes the value the action produced (only the first escaper of a chain sees the
``safeHTML``/``safeURL``/... type; the ones after it get plain strings, as in Go).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from .htmlctx import content_type
from .values import CSS, HTML, JS, URL, HTMLAttr, Typed, go_repr

FAILSAFE = "ZgotmplZ"

_HTML = {0: "\ufffd", 34: "&#34;", 38: "&amp;", 39: "&#39;", 43: "&#43;", 60: "&lt;", 62: "&gt;"}
_HTML_NORM = {k: v for k, v in _HTML.items() if k != 38}
_NOSPACE = dict(_HTML)
_NOSPACE.update({0: "&#xfffd;", 9: "&#9;", 10: "&#10;", 11: "&#11;", 12: "&#12;", 13: "&#13;"})
_NOSPACE.update({32: "&#32;", 61: "&#61;", 96: "&#96;"})
_NOSPACE_NORM = {k: v for k, v in _NOSPACE.items() if k != 38}
_JS_STR = {0: "\\u0000", 9: "\\t", 10: "\\n", 11: "\\u000b", 12: "\\f", 13: "\\r"}
_JS_STR.update({34: "\\u0022", 96: "\\u0060", 38: "\\u0026", 39: "\\u0027", 43: "\\u002b"})
_JS_STR.update({47: "\\/", 60: "\\u003c", 62: "\\u003e", 92: "\\\\"})
_JS_STR.update({0x2028: "\\u2028", 0x2029: "\\u2029"})
_JS_BQ = dict(_JS_STR)
_JS_BQ.update({36: "\\u0024", 123: "\\u007b", 125: "\\u007d"})
_JS_REGEXP = dict(_JS_STR)
for _c in "$()*.?[]^{|}":
    _JS_REGEXP[ord(_c)] = "\\" + _c
_JS_REGEXP[0] = "\\u0000"
_CSS = {0: "\\0", 9: "\\9", 10: "\\a", 12: "\\c", 13: "\\d", 34: "\\22", 38: "\\26"}
_CSS.update({39: "\\27", 40: "\\28", 41: "\\29", 43: "\\2b", 47: "\\2f", 58: "\\3a"})
_CSS.update({59: "\\3b", 60: "\\3c", 62: "\\3e", 92: "\\\\", 123: "\\7b", 125: "\\7d"})
_TAG = re.compile(r"<[^>]*>?|<!--.*?-->", re.DOTALL)
_HTML_SPACE = " \t\n\f\r"
_HEX = frozenset("0123456789abcdefABCDEF")
_URL_KEEP_NORM = frozenset("!#$&*+,/:;=?@[]")
_URL_KEEP = frozenset("-._~abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def stringify(value: Any) -> tuple[str, str]:
    """The text of a value and its content type ("" for plain text)."""
    if isinstance(value, Typed):
        return str(value), value.kind
    if isinstance(value, str):
        return value, ""
    if value is None:
        return "", ""
    return go_repr(value), ""


def strip_tags(text: str) -> str:
    return _TAG.sub("", text) if "<" in text else text


def html_escaper(value: Any) -> str:
    s, kind = stringify(value)
    return s if kind == "html" else s.translate(_HTML)


def rcdata_escaper(value: Any) -> str:
    s, kind = stringify(value)
    return s.translate(_HTML_NORM) if kind == "html" else s.translate(_HTML)


def attr_escaper(value: Any) -> str:
    s, kind = stringify(value)
    if kind == "html":
        return strip_tags(s).translate(_HTML_NORM)
    return s.translate(_HTML)


def nospace_escaper(value: Any) -> str:
    s, kind = stringify(value)
    if kind == "html":
        return strip_tags(s).translate(_NOSPACE_NORM)
    if s == "":
        return FAILSAFE
    return s.translate(_NOSPACE)


def html_name_filter(value: Any) -> str:
    s, kind = stringify(value)
    if kind == "htmlattr":
        return s
    if not s:
        return FAILSAFE
    s = s.lower()
    if content_type(s) != "plain" or not s.isascii() or not s.isalnum():
        return FAILSAFE
    return s


def is_safe_url(s: str) -> bool:
    scheme, colon, _ = s.partition(":")
    if colon and "/" not in scheme:
        return scheme.lower() in ("http", "https", "mailto")
    return True


def url_filter(value: Any) -> str:
    s, kind = stringify(value)
    if kind == "url":
        return s
    return s if is_safe_url(s) else "#" + FAILSAFE


def process_url(s: str, norm: bool) -> str:
    out: list[str] = []
    data = s.encode()
    n = len(data)
    for i, b in enumerate(data):
        ch = chr(b)
        if (
            ch in _URL_KEEP
            or (norm and ch in _URL_KEEP_NORM)
            or (
                ch == "%"
                and norm
                and i + 2 < n
                and chr(data[i + 1]) in _HEX
                and chr(data[i + 2]) in _HEX
            )
        ):
            out.append(ch)
        else:
            out.append(f"%{b:02x}")
    return "".join(out)


def url_normalizer(value: Any) -> str:
    s, kind = stringify(value)
    return process_url(s, True)


def url_escaper(value: Any) -> str:
    s, kind = stringify(value)
    return process_url(s, kind == "url")


def _srcset_element(s: str, out: list[str]) -> None:
    start = len(s) - len(s.lstrip(_HTML_SPACE))
    end = next((i for i in range(start, len(s)) if s[i] in _HTML_SPACE), len(s))
    url = s[start:end]
    if is_safe_url(url) and all(
        ch in _HTML_SPACE or (ch.isascii() and ch.isalnum()) for ch in s[end:]
    ):
        out.append(s[:start] + process_url(url, True) + s[end:])
        return
    out.append("#" + FAILSAFE)


def srcset_escaper(value: Any) -> str:
    s, kind = stringify(value)
    if kind == "srcset":
        return s
    if kind == "url":
        return process_url(s, True).replace(",", "%2c")
    out: list[str] = []
    for i, element in enumerate(s.split(",")):
        if i:
            out.append(",")
        _srcset_element(element, out)
    return "".join(out)


def go_json(value: Any) -> str:
    """Go's ``json.Marshal``: sorted keys, and ``<``, ``>``, ``&``, U+2028/9 as ``\\uXXXX``."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def js_val_escaper(value: Any) -> str:
    if isinstance(value, JS):
        return str(value)
    if isinstance(value, Typed) or not isinstance(value, (int, float, bool, list, dict)):
        value = stringify(value)[0] if value is not None else None
    text = go_json(value)
    if not text:
        return " null "
    if re.match(r"[\w$]", text[0]) or re.match(r"[\w$]", text[-1]):
        return f" {text} "
    return text


def js_str_escaper(value: Any) -> str:
    s, kind = stringify(value)
    return s.translate(_JS_STR)


def js_tmpl_escaper(value: Any) -> str:
    s, kind = stringify(value)
    return s.translate(_JS_BQ)


def js_regexp_escaper(value: Any) -> str:
    s, kind = stringify(value)
    s = s.translate(_JS_REGEXP)
    return s or "(?:)"


def css_escaper(value: Any) -> str:
    s, kind = stringify(value)
    out: list[str] = []
    for i, ch in enumerate(s):
        repl = _CSS.get(ord(ch))
        if repl is None:
            out.append(ch)
            continue
        out.append(repl)
        nxt = s[i + 1 : i + 2]
        if repl != "\\\\" and (nxt == "" or nxt in _HEX or nxt in " \t\n\f\r"):
            out.append(" ")
    return "".join(out)


_CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})(?:\r\n|[ \t\n\f\r])?|(.))", re.S)


def decode_css(s: str) -> str:
    """Undo CSS escapes (``\\41`` and ``\\t`` -> ``A`` and ``t``), as Go's ``decodeCSS``."""
    if "\\" not in s:
        return s

    def one(m: re.Match[str]) -> str:
        if m.group(1):
            code = int(m.group(1), 16)
            return chr(code) if 0 < code <= 0x10FFFF else "\ufffd"
        return m.group(2)

    return _CSS_ESCAPE.sub(one, s)


def css_value_filter(value: Any) -> str:
    s, kind = stringify(value)
    if kind == "css":
        return s
    s = decode_css(s)
    prev = ""
    ident: list[str] = []
    for ch in s:
        if ch in "\x00\"'()/;@[\\]`{}<>" or (ch == "-" and prev == "-"):
            return FAILSAFE
        if ch.isascii() and (ch.isalnum() or ch in "-_"):
            ident.append(ch)
        prev = ch
    word = "".join(ident).lower()
    if "expression" in word or "mozbinding" in word:
        return FAILSAFE
    return s


def comment_escaper(value: Any) -> str:
    return ""


ESCAPERS: dict[str, Callable[[Any], str]] = {
    "html": html_escaper,
    "rcdata": rcdata_escaper,
    "attr": attr_escaper,
    "nospace": nospace_escaper,
    "name": html_name_filter,
    "urlfilter": url_filter,
    "urlnorm": url_normalizer,
    "urlesc": url_escaper,
    "srcset": srcset_escaper,
    "jsval": js_val_escaper,
    "jsstr": js_str_escaper,
    "jstmpl": js_tmpl_escaper,
    "jsregexp": js_regexp_escaper,
    "css": css_escaper,
    "cssvalue": css_value_filter,
    "comment": comment_escaper,
}

__all__ = ["CSS", "ESCAPERS", "HTML", "HTMLAttr", "JS", "URL", "stringify"]
