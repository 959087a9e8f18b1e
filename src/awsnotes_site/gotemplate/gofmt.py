"""``printf``: Go's fmt verbs %v %s %d %q %f %e %g %t %x %X %c %o %b %%, flags and width."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from .values import format_float, go_repr, sorted_keys, type_name

_VERB = re.compile(r"%([-+# 0]*)(\d+)?(?:\.(\d*))?([a-zA-Z%])")


def quote(text: str) -> str:
    """``strconv.Quote``: printable runes kept, the rest escaped."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch in ('"', "\\"):
            out.append("\\" + ch)
        elif ch in "\a\b\f\n\r\t\v":
            out.append(repr(ch)[1:-1] if ch not in "\a\v" else {"\a": "\\a", "\v": "\\v"}[ch])
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        elif not ch.isprintable() and code > 0x7F:
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _bad(verb: str, arg: Any) -> str:
    if arg is None:
        return f"%!{verb}(<nil>)"
    return f"%!{verb}({type_name(arg)}={go_repr(arg)})"


def _is_int(arg: Any) -> bool:
    return isinstance(arg, int) and not isinstance(arg, bool)


def _number(verb: str, arg: Any, prec: str | None, flags: str) -> str:
    if verb in "dboxXc":
        if not _is_int(arg):
            if verb in "xX" and isinstance(arg, str):
                text = arg.encode().hex()
                return text.upper() if verb == "X" else text
            return _bad(verb, arg)
        if verb == "c":
            return chr(arg)
        spec = {"d": "d", "b": "b", "o": "o", "x": "x", "X": "X"}[verb]
        body = format(abs(arg), spec)
        if "#" in flags and verb in "xX":
            body = "0" + ("x" if verb == "x" else "X") + body
        sign = "-" if arg < 0 else ("+" if "+" in flags else (" " if " " in flags else ""))
        return sign + body
    if isinstance(arg, bool) or not isinstance(arg, (int, float)):
        return _bad(verb, arg)
    value = float(arg)
    if verb in "gG" and prec is None:
        return format_float(value)
    p = 6 if prec is None else int(prec or "0")
    text = format(value, f"{'+' if '+' in flags else ''}.{p}{verb}")
    if verb in "eE":
        text = re.sub(r"([eE][+-])(\d)$", r"\g<1>0\2", text)
    return text


def _one(verb: str, arg: Any, prec: str | None, flags: str) -> str:
    if verb != "v" and isinstance(arg, (list, tuple)):
        return "[" + " ".join(_one(verb, item, prec, flags) for item in arg) + "]"
    if verb != "v" and isinstance(arg, Mapping):
        items = (
            f"{_one(verb, k, prec, flags)}:{_one(verb, arg[k], prec, flags)}"
            for k in sorted_keys(arg)
        )
        return "map[" + " ".join(items) + "]"
    if verb == "v":
        if "#" in flags and isinstance(arg, str):
            return quote(arg)
        return go_repr(arg)
    if verb == "s":
        if isinstance(arg, str):
            return arg if prec is None else arg[: int(prec or "0")]
        if isinstance(arg, (Sequence, Mapping)) and not isinstance(arg, str):
            return go_repr(arg)
        return _bad(verb, arg)
    if verb == "q":
        if isinstance(arg, str):
            return quote(arg)
        if _is_int(arg):
            return "'" + chr(arg) + "'"
        return _bad(verb, arg)
    if verb == "t":
        return ("true" if arg else "false") if isinstance(arg, bool) else _bad(verb, arg)
    if verb in "dboxXcfFeEgG":
        return _number(verb, arg, prec, flags)
    return f"%!{verb}({type_name(arg)}={go_repr(arg)})"


def _pad(text: str, width: str | None, flags: str, verb: str) -> str:
    if not width:
        return text
    size = int(width)
    if len(text) >= size:
        return text
    if "-" in flags:
        return text + " " * (size - len(text))
    if "0" in flags and verb not in "sqvtc":
        sign = text[0] if text[:1] in "+- " else ""
        body = text[len(sign) :]
        return sign + "0" * (size - len(text)) + body
    return " " * (size - len(text)) + text


def sprintf(fmt: str, args: Sequence[Any]) -> str:
    out: list[str] = []
    used = 0
    at = 0
    for m in _VERB.finditer(fmt):
        out.append(fmt[at : m.start()])
        at = m.end()
        flags, width, prec, verb = m.group(1), m.group(2), m.group(3), m.group(4)
        if verb == "%":
            out.append("%")
            continue
        if used >= len(args):
            out.append(f"%!{verb}(MISSING)")
            continue
        text = _one(verb, args[used], prec, flags)
        used += 1
        out.append(_pad(text, width, flags, verb))
    out.append(fmt[at:])
    if used < len(args):
        extra = ", ".join(f"{type_name(a)}={go_repr(a)}" for a in args[used:])
        out.append(f"%!(EXTRA {extra})")
    return "".join(out)
