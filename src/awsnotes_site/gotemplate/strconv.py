"""Go literal syntax: quoted strings, character constants and numbers."""

from __future__ import annotations

_SIMPLE = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_SIMPLE.update({"\\": "\\", "'": "'", '"': '"'})


def _escape(body: str, i: int) -> tuple[str, int]:
    """Decode the escape at ``body[i]`` (just after the backslash); returns (text, next)."""
    c = body[i]
    if c in _SIMPLE:
        return _SIMPLE[c], i + 1
    widths = {"x": 2, "u": 4, "U": 8}
    if c in widths:
        digits = body[i + 1 : i + 1 + widths[c]]
        if len(digits) != widths[c]:
            raise ValueError("invalid syntax in quoted string")
        code = int(digits, 16)
        return (chr(code) if c != "x" else chr(code)), i + 1 + widths[c]
    if c in "01234567":
        return chr(int(body[i : i + 3], 8)), i + 3
    raise ValueError(f"unknown escape sequence: \\{c}")


def unquote(text: str) -> str:
    body = text[1:-1]
    if "\\" not in body:
        return body
    out: list[str] = []
    i = 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        piece, i = _escape(body, i + 1)
        out.append(piece)
    return "".join(out)


def parse_char(text: str) -> int:
    body = unquote('"' + text[1:-1] + '"') if "\\" in text else text[1:-1]
    if len(body) != 1:
        raise ValueError(f"malformed character constant: {text}")
    return ord(body)


def parse_number(text: str) -> int | float:
    if text.endswith("i"):
        raise ValueError(f"complex number {text} is not supported")
    clean = text.replace("_", "")
    sign = ""
    if clean[:1] in "+-":
        sign, clean = clean[0], clean[1:]
    low = clean.lower()
    if low.startswith(("0x", "0b", "0o")):
        return int(sign + clean, 0)
    if any(c in low for c in ".e"):
        try:
            return float(sign + clean)
        except ValueError:
            raise ValueError(f"bad number syntax: {text!r}") from None
    if len(clean) > 1 and clean.startswith("0"):
        return int(sign + clean, 8)
    return int(sign + clean)
