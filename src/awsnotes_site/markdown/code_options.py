"""Options of a code block: Hugo's ``highlight`` options, per block and site-wide.

Per block, ``{{< highlight go "linenos=table, hl_lines=2-3" >}}`` or ```` ```go {linenos=true} ````;
site-wide, Hugo's ``[markup.highlight]`` table, given to ``create_markdown(highlight=…)``
and read by :func:`highlight_defaults`. A block's options override the site's. Options
Hugo knows that change nothing in our markup (``style``, ``noClasses``, ``tabWidth``,
``noHl``) are accepted and ignored; an option Hugo does not know is ignored too, as Hugo
does, and reported as a warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

BOOL = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}
IGNORED_OPTIONS = frozenset({"style", "noclasses", "tabwidth", "nohl"})
SITE_ONLY = frozenset({"codefences", "guesssyntax", "linenumbersintable"})
KNOWN_HINT = "linenos, hl_lines, linenostart, anchorlinenos, lineanchors, hl_inline"


class OptionError(ValueError):
    pass


@dataclass(frozen=True)
class CodeOptions:
    linenos: str = ""  # "", "table", "inline"
    hl_lines: frozenset[int] = frozenset()
    linenostart: int = 1
    anchorlinenos: bool = False
    lineanchors: str = ""
    hl_inline: bool = False
    wrapperclass: str = "highlight"


@dataclass(frozen=True)
class HighlightDefaults:
    """The site's ``[markup.highlight]``: the options every block starts from."""

    options: CodeOptions = CodeOptions()
    table: bool = True  # lineNumbersInTable: where ``linenos=true`` puts the numbers
    code_fences: bool = True  # codeFences: highlight fenced code at all
    guess_syntax: bool = False  # guessSyntax: guess the language of code without one
    ignored: tuple[str, ...] = field(default=(), compare=False)  # keys taken, no effect
    unknown: tuple[str, ...] = field(default=(), compare=False)  # keys Hugo does not know


def split_options(text: str) -> list[tuple[str, str]]:
    """``linenos=true, hl_lines=[2,3] "x"`` -> pairs; commas inside [] or quotes are kept."""
    items: list[str] = []
    depth, quote, buf = 0, "", []
    for ch in text:
        if quote:
            if ch == quote:
                quote = ""
            else:
                buf.append(ch)
            continue
        if ch in "\"'":
            quote = ch
        elif ch == "[":
            depth += 1
            buf.append(ch)
        elif ch == "]":
            depth -= 1
            buf.append(ch)
        elif ch == "," and depth == 0:
            items.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    if quote or depth:
        raise OptionError(f"unbalanced quotes or brackets in options {text!r}")
    items.append("".join(buf))
    pairs = []
    for item in items:
        item = item.strip()
        if not item:
            continue
        key, sep, value = item.partition("=")
        if not sep:
            raise OptionError(f"option {item!r} has no value (write key=value)")
        pairs.append((key.strip().lower(), value.strip()))
    return pairs


def parse_hl_lines(value: str) -> frozenset[int]:
    """``"2-4 7"``, ``[2,3]``, ``["2-3", 5]`` -> line numbers (1 = first line of the block)."""
    text = value.strip().strip("[]")
    lines: set[int] = set()
    for part in re.split(r"[\s,]+", text):
        part = part.strip("\"' ")
        if not part:
            continue
        m = re.fullmatch(r"(\d+)(?:-(\d+))?", part)
        if not m:
            raise OptionError(f"hl_lines: {part!r} is not a line number or range like 2-4")
        start = int(m.group(1))
        end = int(m.group(2) or start)
        if end < start or end - start > 100_000:
            raise OptionError(f"hl_lines: bad range {part!r}")
        lines.update(range(start, end + 1))
    return frozenset(lines)


def _bool(key: str, value: str) -> bool:
    try:
        return BOOL[value.strip("\"'").lower()]
    except KeyError:
        raise OptionError(f"{key} must be true or false, not {value!r}") from None


def _linenos(key: str, value: str) -> str | bool:
    v = value.lower()
    return v if v in ("table", "inline") else _bool(key, v)  # True: decided by ``table``


def _linenostart(key: str, value: str) -> int:
    if not re.fullmatch(r"-?\d+", value):
        raise OptionError(f"linenostart must be a number, not {value!r}")
    return int(value)


def _lineanchors(key: str, value: str) -> str:
    if not re.fullmatch(r"[\w-]*", value):
        raise OptionError(f"lineanchors must be a word, not {value!r}")
    return value


_PARSERS: Mapping[str, Callable[[str, str], Any]] = {
    "linenos": _linenos,
    "hl_lines": lambda key, value: parse_hl_lines(value),
    "linenostart": _linenostart,
    "anchorlinenos": _bool,
    "hl_inline": _bool,
    "lineanchors": _lineanchors,
    "wrapperclass": lambda key, value: value,
    "linenumbersintable": _bool,
    # taken per block too, where they change nothing; lenient, as they were ignored
    "codefences": lambda key, value: BOOL.get(value.strip("\"'").lower(), True),
    "guesssyntax": lambda key, value: BOOL.get(value.strip("\"'").lower(), False),
}
KNOWN_OPTIONS = frozenset({*_PARSERS, *IGNORED_OPTIONS})


def _read(pairs: list[tuple[str, str]], unknown: list[str] | None) -> dict[str, Any]:
    """Each known option's value; unknown keys are listed in ``unknown``."""
    values: dict[str, Any] = {}
    for key, value in pairs:
        key = key.lower()
        parse = _PARSERS.get(key)
        if parse is not None:
            values[key] = parse(key, value)
        elif key not in IGNORED_OPTIONS and unknown is not None:
            unknown.append(key)
    return values


def _options(values: dict[str, Any], base: CodeOptions, table: bool) -> CodeOptions:
    linenos = values.pop("linenos", None)
    if isinstance(linenos, str):
        values["linenos"] = linenos
    elif linenos is not None:
        values["linenos"] = ("table" if table else "inline") if linenos else ""
    for key in SITE_ONLY:
        values.pop(key, None)
    return replace(base, **values)


def parse_options(
    pairs: list[tuple[str, str]],
    defaults: HighlightDefaults | None = None,
    unknown: list[str] | None = None,
) -> CodeOptions:
    """A block's options over the site's ``defaults``; keys Hugo does not know are
    ignored and added to ``unknown``."""
    site = defaults or _NO_DEFAULTS
    values = _read(pairs, unknown)
    table = values.get("linenumbersintable", site.table)
    return _options(values, site.options, table)


def unknown_message(keys: list[str]) -> str:
    names = ", ".join(repr(k) for k in keys)
    s = "s" if len(keys) > 1 else ""
    return f"unknown highlight option{s} {names} ignored (as Hugo does); known: {KNOWN_HINT}"


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_as_text(v) for v in value) + "]"
    return str(value)


def highlight_defaults(settings: Mapping[str, Any] | None) -> HighlightDefaults:
    """Hugo's ``[markup.highlight]`` table (keys in any case: ``lineNos``,
    ``lineNumbersInTable``, ``hl_Lines``, ``guessSyntax`` …) as defaults; raises
    :class:`OptionError` for a bad value."""
    if not settings:
        return _NO_DEFAULTS
    pairs = [(str(k).lower(), _as_text(v)) for k, v in settings.items()]
    unknown: list[str] = []
    values = _read(pairs, unknown)
    table = values.get("linenumbersintable", True)
    code_fences = values.get("codefences", True)
    guess = values.get("guesssyntax", False)
    return HighlightDefaults(
        _options(values, CodeOptions(), table),
        table,
        code_fences,
        guess,
        tuple(k for k, _ in pairs if k in IGNORED_OPTIONS),
        tuple(unknown),
    )


_NO_DEFAULTS = HighlightDefaults()
