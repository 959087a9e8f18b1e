"""Further Hugo functions common in theme shortcodes: maps, sequences, hashes, regexps."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable, Mapping
from typing import Any

from .convert import FuncError, as_sequence, normalize, to_int, to_str
from .values import Params, sorted_keys


def merge(*maps: Any) -> dict[str, Any]:
    """``merge A B``: the keys of B win (Hugo merges left to right)."""
    if len(maps) < 2:
        raise FuncError("merge requires at least two maps")
    out: dict[str, Any] = Params() if any(isinstance(m, Params) for m in maps) else {}
    for m in maps:
        if not isinstance(m, Mapping):
            raise FuncError(f"can't merge a {type(m).__name__}")
        out.update(m)
    return out


def seq(*args: Any) -> list[int]:
    """``seq LAST``, ``seq FIRST LAST``, ``seq FIRST INCREMENT LAST``."""
    nums = [to_int(a) for a in args]
    if len(nums) == 1:
        first, inc, last = (1, 1, nums[0]) if nums[0] > 0 else (-1, -1, nums[0])
    elif len(nums) == 2:
        first, last = nums
        inc = 1 if last >= first else -1
    else:
        first, inc, last = nums
    if inc == 0 or (last - first) * inc < 0:
        return []
    return list(range(first, last + (1 if inc > 0 else -1), inc))


def substr(text: Any, start: Any, length: Any = None) -> str:
    """``substr STRING START [LENGTH]`` in runes; a negative START counts from the end."""
    s = to_str(text)
    begin = to_int(start)
    if begin < 0:
        begin = max(0, len(s) + begin)
    if length is None:
        return s[begin:]
    count = to_int(length)
    end = len(s) + count if count < 0 else begin + count
    return s[begin:end] if end > begin else ""


def uniq(items: Any) -> list[Any]:
    seen: list[tuple[str, Any]] = []
    out: list[Any] = []
    for item in as_sequence(items, "uniq"):
        key = normalize(item)
        if key not in seen:
            seen.append(key)
            out.append(item)
    return out


def sort_values(items: Any, key: Any = None, order: Any = "asc") -> list[Any]:
    if isinstance(items, Mapping):
        values = [items[k] for k in sorted_keys(items)]
    else:
        values = list(as_sequence(items, "sort"))
    if key not in (None, "", "value"):

        def pick(v: Any) -> Any:
            return v.get(to_str(key)) if isinstance(v, Mapping) else None

        values.sort(key=lambda v: str(pick(v)))
    else:
        values.sort(key=lambda v: (isinstance(v, str), v if not isinstance(v, str) else v))
    return values[::-1] if to_str(order).lower() == "desc" else values


def _hasher(name: str) -> Callable[[Any], str]:
    def run(value: Any) -> str:
        return hashlib.new(name, to_str(value).encode()).hexdigest()

    return run


def _find_re(pattern: Any, text: Any, limit: Any = -1) -> list[str]:
    found = [m.group() for m in re.finditer(to_str(pattern), to_str(text))]
    n = to_int(limit)
    return found if n < 0 else found[:n]


def _replace_re(pattern: Any, repl: Any, text: Any, limit: Any = -1) -> str:
    go_repl = re.sub(
        r"\$(\d+|\{\w+\})", lambda m: "\\g<" + m.group(1).strip("{}") + ">", to_str(repl)
    )
    n = to_int(limit)
    return re.sub(to_str(pattern), go_repl, to_str(text), count=0 if n < 0 else n)


def _anchorize(value: Any) -> str:
    text = to_str(value).strip().lower()
    out = []
    for ch in text:
        if ch.isalnum() or ch in "-_":
            out.append(ch)
        elif ch.isspace():
            out.append("-")
    return "".join(out)


MORE: dict[str, tuple[Callable[..., Any], int, int | None]] = {
    "merge": (merge, 2, None),
    "seq": (seq, 1, 3),
    "substr": (substr, 2, 3),
    "uniq": (uniq, 1, 1),
    "sort": (sort_values, 1, 3),
    "md5": (_hasher("md5"), 1, 1),
    "sha1": (_hasher("sha1"), 1, 1),
    "sha256": (_hasher("sha256"), 1, 1),
    "findRE": (_find_re, 2, 3),
    "replaceRE": (_replace_re, 3, 4),
    "anchorize": (_anchorize, 1, 1),
    "base64Encode": (lambda v: base64.b64encode(to_str(v).encode()).decode(), 1, 1),
    "base64Decode": (lambda v: base64.b64decode(to_str(v)).decode(), 1, 1),
    "strings.Repeat": (lambda n, s: to_str(s) * to_int(n), 2, 2),
    "strings.Count": (lambda sub, s: to_str(s).count(to_str(sub)), 2, 2),
    "strings.Split": (
        lambda s, d: to_str(s).split(to_str(d)) if to_str(d) else list(to_str(s)),
        2,
        2,
    ),
    "strings.Replace": (lambda s, o, n, *lim: to_str(s).replace(to_str(o), to_str(n)), 3, 4),
    "strings.Trim": (lambda s, cut: to_str(s).strip(to_str(cut)), 2, 2),
    "strings.TrimLeft": (lambda cut, s: to_str(s).lstrip(to_str(cut)), 2, 2),
    "strings.TrimRight": (lambda cut, s: to_str(s).rstrip(to_str(cut)), 2, 2),
    "strings.FirstUpper": (lambda s: to_str(s)[:1].upper() + to_str(s)[1:], 1, 1),
    "strings.RuneCount": (lambda s: len(to_str(s)), 1, 1),
}
