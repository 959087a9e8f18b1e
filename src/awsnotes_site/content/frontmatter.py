"""Split a note into front matter and body, and parse TOML (``+++``) or YAML (``---``)."""

from __future__ import annotations

import datetime as dt
import re
import shlex
import sys
from dataclasses import dataclass
from typing import Any

from awsnotes_site.diagnostics import BuildError, error

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_TOML_LINE = re.compile(r"at line (\d+)(?:, column (\d+))?")


@dataclass(frozen=True)
class FrontMatter:
    format: str  # "toml", "yaml" or ""
    data: dict[str, Any]
    text: str  # the raw front matter text (without fences)
    start_line: int  # 1-based line of the first front matter line in the file
    body: str
    body_line: int  # 1-based line in the file where the body starts

    def line_of(self, key: str) -> int:
        """The file line where ``key`` is set, or the opening fence's line."""
        pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*[=:]", re.MULTILINE)
        m = pattern.search(self.text)
        if not m:
            return max(1, self.start_line - 1)
        return self.start_line + self.text.count("\n", 0, m.start())


def decode_source(raw: bytes, path: str) -> str:
    """UTF-8 (BOM allowed), CRLF and CR normalised; other encodings are a clear error."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        q, tmp = shlex.quote(path), shlex.quote(path + ".tmp")
        hint = f"convert it in place: iconv -f CP949 -t UTF-8 {q} -o {tmp} && mv {tmp} {q}"
        for enc, name in (("cp949", "CP949/EUC-KR"), ("utf-16", "UTF-16")):
            if enc == "utf-16" and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
                continue
            try:
                raw.decode(enc)
            except UnicodeDecodeError:
                continue
            if enc == "utf-16":
                hint = "save it as UTF-8"
            raise BuildError(
                [error(path, line, f"file is not UTF-8; it looks like {name}", hint=hint)]
            ) from None
        raise BuildError(
            [error(path, line, f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})")]
        ) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def split_front_matter(text: str, path: str) -> FrontMatter:
    """Find the front matter fences and parse what is between them."""
    first, sep, _ = text.partition("\n")
    fence = first.rstrip()
    if fence not in ("+++", "---"):
        return FrontMatter("", {}, "", 1, text, 1)
    fmt = "toml" if fence == "+++" else "yaml"
    # Line by line up to the closing fence only: the body is sliced off, not split into
    # lines and joined again (that was a tenth of loading a note).
    start = pos = len(first) + 1
    i = 0
    while sep and pos <= len(text):
        end = text.find("\n", pos)
        if end < 0:
            end = len(text)
        if text[pos:end].rstrip() == fence:
            fm_text = text[start : pos - 1] if i else ""
            data = _parse(fmt, fm_text, path)
            return FrontMatter(fmt, data, fm_text, 2, text[end + 1 :], i + 3)
        pos = end + 1
        i += 1
    raise BuildError(
        [
            error(
                path,
                1,
                f"front matter opened with '{fence}' is never closed",
                hint=f"add a line with only '{fence}' after the last front matter line",
            )
        ]
    )


# The TOML most front matter is made of, one ``key = value`` per line: a bare key, and a
# basic string without escapes, a one-line array of them, true/false, a plain integer, a
# date, or a date-time to the second (offset, Z or none). Anything else goes to tomllib.
_STR = r'"[^"\\\x00-\x08\x0a-\x1f\x7f]*"'
_SIMPLE_LINE = re.compile(
    rf"([A-Za-z0-9_-]+)[ \t]*=[ \t]*(?:({_STR})"
    rf"|\[[ \t]*((?:{_STR}[ \t]*,[ \t]*)*(?:{_STR}[ \t]*)?)\]"
    r"|(true|false)|(-?(?:0|[1-9][0-9]{0,17}))"
    r"|([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:(Z)|([+-])([0-9]{2}):([0-9]{2}))?)?"
    r")[ \t]*"
)
_STRINGS = re.compile(_STR)


def _simple_toml(text: str) -> dict[str, Any] | None:
    """``tomllib.loads(text)`` for front matter made only of the lines above; None for
    anything else (tomllib then parses it, and reports its errors). tomllib is pure
    Python: this is a third of loading a note."""
    data: dict[str, Any] = {}
    for line in text.split("\n"):
        if not line.strip(" \t"):
            continue
        m = _SIMPLE_LINE.fullmatch(line)
        if m is None or m[1] in data:
            return None
        key, string, array, boolean, integer, year = m.group(1, 2, 3, 4, 5, 6)
        if string is not None:
            data[key] = string[1:-1]
        elif array is not None:
            data[key] = [s[1:-1] for s in _STRINGS.findall(array)]
        elif boolean is not None:
            data[key] = boolean == "true"
        elif integer is not None:
            data[key] = int(integer)
        else:
            try:
                data[key] = _date_value(m)
            except ValueError:  # no such day or time: tomllib says so
                return None
    return data


def _date_value(m: re.Match[str]) -> dt.date | dt.datetime:
    year, month, day = int(m[6]), int(m[7]), int(m[8])
    if m[9] is None:
        return dt.date(year, month, day)
    tz: dt.tzinfo | None = None
    if m[12]:
        tz = dt.timezone.utc
    elif m[13]:
        sign = -1 if m[13] == "-" else 1
        tz = dt.timezone(dt.timedelta(hours=sign * int(m[14]), minutes=sign * int(m[15])))
    return dt.datetime(year, month, day, int(m[9]), int(m[10]), int(m[11]), tzinfo=tz)


def _parse(fmt: str, fm_text: str, path: str) -> dict[str, Any]:
    if fmt == "toml":
        simple = _simple_toml(fm_text)
        if simple is not None:
            return simple
        try:
            return tomllib.loads(fm_text)
        except tomllib.TOMLDecodeError as exc:
            m = _TOML_LINE.search(str(exc))
            line = int(m.group(1)) + 1 if m else 1
            col = int(m.group(2)) if m and m.group(2) else None
            msg = _TOML_LINE.sub("", str(exc)).replace("()", "").strip()
            raise BuildError(
                [error(path, line, f"invalid TOML front matter: {msg}", col=col)]
            ) from None
    import yaml  # imported here: only YAML front matter needs it

    try:
        data = yaml.safe_load(fm_text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise BuildError([error(path, line, f"invalid YAML front matter: {problem}")]) from None
    except RecursionError:
        raise BuildError([error(path, 1, "YAML front matter nests too deeply")]) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise BuildError(
            [error(path, 2, f"front matter must be a table of keys, not a {type(data).__name__}")]
        )
    return {str(k): v for k, v in data.items()}
