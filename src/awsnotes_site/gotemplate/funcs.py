"""The template functions of the subset (Go builtins and the Hugo functions shortcodes use)."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, quote_plus, urlsplit

from .convert import (
    FuncError,
    UserError,
    as_sequence,
    compare_get,
    is_set,
    normalize,
    to_int,
    to_str,
)
from .escapers import go_json, strip_tags
from .gofmt import sprintf
from .morefuncs import MORE
from .values import CSS, HTML, JS, URL, HTMLAttr, Params, sorted_keys, sprint, truth, type_name


@dataclass(frozen=True)
class RenderOptions:
    """What the caller gives every render.

    ``base_url`` is the site's base URL (for ``relURL``/``absURL``); ``markdownify``
    renders Markdown to HTML (our Markdown renderer); ``translate`` answers ``T``/``i18n``.
    Without it every key is a missing translation, which Hugo renders as "" (so
    ``T "x" | default "y"`` works as in Hugo).  ``warn`` receives ``warnf`` messages;
    ``errorf`` raises ``TemplateError`` with its message.  ``resolve_ref(path, absolute)``
    answers ``ref``/``relref`` (and ``.Page.Ref``/``.Page.RelRef``): the page's permalink
    or relative permalink, raising ``LookupError`` when no page matches.
    """

    base_url: str = "/"
    markdownify: Callable[[str], str] | None = None
    translate: Callable[[str], str] | None = None
    warn: Callable[[str], None] | None = None
    resolve_ref: Callable[[str, bool], str] | None = None


Func = Callable[..., Any]


@dataclass(frozen=True)
class FuncSpec:
    fn: Func
    min_args: int
    max_args: int | None  # None: variadic
    needs_options: bool = False


def _compare(op: Callable[[float, float], bool]) -> Func:
    def run(first: Any, *others: Any) -> bool:
        return all(op(*compare_get(first, other)) for other in others)

    return run


def _eq(first: Any, *others: Any) -> bool:
    norm = normalize(first)
    return any(normalize(o) == norm for o in others)


def _ne(first: Any, *others: Any) -> bool:
    return not any(_eq(first, o) for o in others)


def _default(dflt: Any, *given: Any) -> Any:
    if not given:
        return dflt
    if len(given) != 1:
        raise FuncError(f"wrong number of args for default: want 2 got {len(given) + 1}")
    return given[0] if is_set(given[0]) else dflt


def _go_len(value: Any) -> int:
    if isinstance(value, str):
        return len(value.encode())
    if isinstance(value, (list, tuple, dict)):
        return len(value)
    if value is None:
        raise FuncError("len of nil pointer")
    raise FuncError(f"len of type {type_name(value)}")


def _index_one(value: Any, key: Any) -> Any:
    if value is None:
        raise FuncError("index of nil pointer")
    if isinstance(value, Mapping):
        if isinstance(value, Params):
            return value.lookup(str(key))[1]
        return value.get(key)
    if isinstance(value, (list, tuple, str)):
        if key is None:
            raise FuncError("cannot index slice/array with nil")
        if isinstance(key, bool) or not isinstance(key, int):
            raise FuncError(f"cannot index slice/array with type {type_name(key)}")
        if not 0 <= key < len(value):
            return None
        item = value[key]
        return ord(item) if isinstance(value, str) else item
    raise FuncError(f"can't index item of type {type_name(value)}")


def _index(item: Any, *indices: Any) -> Any:
    if item is None:
        return None
    keys: Sequence[Any] = indices
    if len(indices) == 1 and isinstance(indices[0], (list, tuple)):
        keys = indices[0]
    for key in keys:
        item = _index_one(item, key)
    return item


def _first(limit: Any, seq: Any) -> Any:
    n = to_int(limit)
    if n < 0:
        raise FuncError("sequence length must be non-negative")
    return as_sequence(seq, "first")[:n]


def _last(limit: Any, seq: Any) -> Any:
    n = to_int(limit)
    if n < 0:
        raise FuncError("sequence length must be non-negative")
    items = as_sequence(seq, "last")
    return items[len(items) - min(n, len(items)) :]


def _after(index: Any, seq: Any) -> Any:
    n = to_int(index)
    if n < 0:
        raise FuncError("sequence bounds out of range")
    return as_sequence(seq, "after")[n:]


def _replace(text: Any, old: Any, new: Any, limit: Any = -1) -> str:
    count = to_int(limit)
    return to_str(text).replace(to_str(old), to_str(new), count if count >= 0 else -1)


def _in(collection: Any, value: Any) -> bool:
    if collection is None or value is None:
        return False
    if isinstance(collection, (list, tuple)):
        norm = normalize(value)
        return any(normalize(item) == norm for item in collection)
    try:
        return to_str(value) in to_str(collection)
    except FuncError:
        return False


def _dict(*pairs: Any) -> dict[str, Any]:
    if len(pairs) % 2:
        raise FuncError("invalid dictionary call")
    out: dict[str, Any] = {}
    for key, value in zip(pairs[::2], pairs[1::2], strict=False):
        if not isinstance(key, str):
            raise FuncError(f"dictionary keys must be strings, got {type_name(key)}")
        out[str(key)] = value
    return out


def _querify(*params: Any) -> str:
    if len(params) == 1 and isinstance(params[0], Mapping):
        pairs = [(to_str(k), to_str(v)) for k, v in params[0].items()]
    else:
        if len(params) == 1 and isinstance(params[0], (list, tuple)):
            params = tuple(params[0])
        if len(params) % 2:
            raise FuncError("querify requires an even number of arguments")
        pairs = [(to_str(k), sprint([v])) for k, v in zip(params[::2], params[1::2], strict=False)]
    pairs.sort(key=lambda kv: kv[0])
    return "&".join(f"{quote_plus(k, safe='')}={quote_plus(v, safe='')}" for k, v in pairs)


def _cond(test: Any, yes: Any, no: Any) -> Any:
    return yes if truth(test) else no


def _isset(collection: Any, key: Any) -> bool:
    if isinstance(collection, Params):
        return collection.lookup(str(key))[0]
    if isinstance(collection, Mapping):
        return key in collection
    if isinstance(collection, (list, tuple)) and isinstance(key, int):
        return 0 <= key < len(collection)
    return False


def _plainify(value: Any) -> HTML:
    text = to_str(value)
    if "<" not in text and ">" not in text:
        return HTML(text)
    for old, new in (("\n", " "), ("</p>", "\n"), ("<br>", "\n"), ("<br />", "\n")):
        text = text.replace(old, new)
    return HTML(strip_tags(text))


def _html_escape(value: Any) -> str:
    text = to_str(value)
    table = {"&": "&amp;", "'": "&#39;", "<": "&lt;", ">": "&gt;", '"': "&#34;"}
    return "".join(table.get(ch, ch) for ch in text)


def _math(op: str) -> Func:
    def run(a: Any, b: Any, *rest: Any) -> Any:
        values = [a, b, *rest]
        nums = [_number(v) for v in values]
        result = nums[0]
        for n in nums[1:]:
            result = _apply(op, result, n)
        return result

    return run


def _number(value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        if isinstance(value, str):
            try:
                return int(value)
            except ValueError:
                try:
                    return float(value)
                except ValueError:
                    pass
        raise FuncError(f"can't apply the operator to the values: {value!r}")
    return value


def _apply(op: str, a: int | float, b: int | float) -> int | float:
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if b == 0:
        raise FuncError("can't divide the value by 0")
    if op == "%":
        if not (isinstance(a, int) and isinstance(b, int)):
            raise FuncError("modulo operator can't be used with non integer value")
        return int(a - b * int(a / b))
    if isinstance(a, int) and isinstance(b, int):
        return int(a / b)
    return a / b


def _delimit(seq: Any, sep: Any, last: Any = None) -> str:
    if isinstance(seq, Mapping):
        items = [seq[k] for k in sorted_keys(seq)]
    else:
        items = list(as_sequence(seq, "delimit"))
    texts = [to_str(v) for v in items]
    if last is not None and len(texts) > 1:
        return to_str(sep).join(texts[:-1]) + to_str(last) + texts[-1]
    return to_str(sep).join(texts)


def _jsonify(value: Any) -> HTML:
    return HTML(go_json(value))


def _url_path_escape(path: str) -> str:
    return quote(path, safe="$&+,/:;=@-._~")


def rel_url(options: RenderOptions, value: Any) -> str:
    """Hugo's ``relURL``: prefix the base URL's path unless the input is already absolute."""
    text = to_str(value)
    base = options.base_url
    if (not text.startswith(base) and text.startswith("http")) or text.startswith("//"):
        return text
    if base and text.startswith(base):
        text = text[len(base) :]
    # A path that starts with "/" is relative to the host, not to the base path.
    root = "" if text.startswith("/") else urlsplit(base).path
    joined = _path_join(root, text)
    if joined != "/" and text.endswith("/"):
        joined += "/"
    if text == "" and not joined.endswith("/") and base.endswith("/"):
        joined += "/"
    return joined if joined.startswith("/") else "/" + joined


def _path_join(a: str, b: str) -> str:
    parts = [p for p in f"{a}/{b}".split("/")]
    out: list[str] = []
    for part in parts:
        if part in ("", "."):
            continue
        if part == "..":
            if out:
                out.pop()
            continue
        out.append(part)
    return "/" + "/".join(out)


def abs_url(options: RenderOptions, value: Any) -> str:
    """Hugo's ``absURL``: join with the base URL (scheme-relative and absolute kept)."""
    text = to_str(value)
    if urlsplit(text).scheme or text.startswith("//"):
        return text
    base = urlsplit(options.base_url)
    ref_path, _, fragment = text.partition("#")
    ref_path, _, query = ref_path.partition("?")
    path = _path_join("" if text.startswith("/") else base.path, ref_path)
    trailing = (text == "" and options.base_url.endswith("/")) or ref_path.endswith("/")
    if trailing and not path.endswith("/"):
        path += "/"
    out = f"{base.scheme}://{base.netloc}" if base.scheme else ""
    out += _url_path_escape(path)
    if query:
        out += "?" + query
    if fragment:
        out += "#" + quote(fragment, safe="$&+,/:;=?@!()*-._~")
    return out


def _allowed_path_char(text: str, i: int, ch: str) -> bool:
    if ch == " ":
        return False
    if ch.isalpha() or ch.isdigit() or ch in "./\\_#+~-@":
        return True
    if unicodedata.category(ch).startswith("M"):
        return True
    return ch == "%" and re.match(r"[0-9a-fA-F]{2}", text[i + 1 : i + 3]) is not None


def urlize(value: Any) -> str:
    """Hugo's ``urlize``: sanitize to a lower-case path, then percent-encode."""
    text = to_str(value)
    out: list[str] = []
    prepend = was_hyphen = False
    for i, ch in enumerate(text):
        if _allowed_path_char(text, i, ch):
            was_hyphen = ch == "-"
            if prepend and not was_hyphen:
                out.append("-")
            prepend = False
            out.append(ch)
        elif out and not was_hyphen and ch.isspace():
            prepend = True
    clean = "".join(out).lower()
    path, hash_, frag = clean.partition("#")
    escaped = _url_path_escape(path)
    return escaped + (hash_ + quote(frag, safe="$&+,/:;=?@!()*-._~") if hash_ else "")


def render_markdown(options: RenderOptions, value: Any, inline: bool) -> str:
    """Our Markdown renderer; ``inline`` drops the <p> around a lone paragraph, as Hugo."""
    if options.markdownify is None:
        raise FuncError("markdownify is not available here")
    rendered = options.markdownify(to_str(value))
    trimmed = rendered.strip()
    if inline and trimmed.count("<p>") == 1 and trimmed[:3] == "<p>" and trimmed[-4:] == "</p>":
        return trimmed[3:-4].strip()
    return rendered


def markdownify(options: RenderOptions, value: Any) -> HTML:
    return HTML(render_markdown(options, value, inline=True).rstrip("\n"))


def resolve_ref(options: RenderOptions, target: Any, absolute: bool) -> str:
    """``ref``/``relref``: a path string, or Hugo's ``(dict "path" P)`` form."""
    if isinstance(target, Mapping):
        target = target.get("path", "")
    path = to_str(target)
    if options.resolve_ref is None:
        raise FuncError("ref and relref are not available here")
    try:
        return options.resolve_ref(path, absolute)
    except LookupError:
        raise FuncError(f'REF_NOT_FOUND: Ref "{path}": page not found') from None


def ref(options: RenderOptions, page: Any, target: Any) -> str:
    return resolve_ref(options, target, True)


def relref(options: RenderOptions, page: Any, target: Any) -> str:
    return resolve_ref(options, target, False)


def translate(options: RenderOptions, key: Any, *_args: Any) -> str:
    text = to_str(key)
    return options.translate(text) if options.translate else ""


def errorf(options: RenderOptions, fmt: Any, *args: Any) -> str:
    raise UserError(sprintf(to_str(fmt), args))


def warnf(options: RenderOptions, fmt: Any, *args: Any) -> str:
    if options.warn is not None:
        options.warn(sprintf(to_str(fmt), args))
    return ""


def _string_fn(fn: Callable[..., Any]) -> Func:
    def run(*args: Any) -> Any:
        return fn(*[to_str(a) for a in args])

    return run


def _typed(cls: type[str]) -> Func:
    def run(value: Any) -> Any:
        return cls(to_str(value))

    return run


_S = _string_fn
_FUNCS: dict[str, tuple[Func, int, int | None]] = {
    "not": (lambda v: not truth(v), 1, 1),
    "eq": (_eq, 2, None),
    "ne": (_ne, 2, None),
    "lt": (_compare(lambda a, b: a < b), 2, None),
    "le": (_compare(lambda a, b: a <= b), 2, None),
    "gt": (_compare(lambda a, b: a > b), 2, None),
    "ge": (_compare(lambda a, b: a >= b), 2, None),
    "default": (_default, 1, None),
    "cond": (_cond, 3, 3),
    "print": (lambda *a: sprint(a), 0, None),
    "println": (lambda *a: " ".join(sprint([x]) for x in a) + "\n", 0, None),
    "printf": (lambda f, *a: sprintf(to_str(f), a), 1, None),
    "split": (_S(lambda s, d: s.split(d) if d else list(s)), 2, 2),
    "after": (_after, 2, 2),
    "first": (_first, 2, 2),
    "last": (_last, 2, 2),
    "len": (_go_len, 1, 1),
    "index": (_index, 1, None),
    "lower": (_S(str.lower), 1, 1),
    "upper": (_S(str.upper), 1, 1),
    "replace": (_replace, 3, 4),
    "trim": (_S(lambda s, cut: s.strip(cut)), 2, 2),
    "chomp": (_S(lambda s: s.rstrip("\r\n")), 1, 1),
    "safeHTML": (_typed(HTML), 1, 1),
    "safeURL": (_typed(URL), 1, 1),
    "safeHTMLAttr": (_typed(HTMLAttr), 1, 1),
    "safeCSS": (_typed(CSS), 1, 1),
    "safeJS": (_typed(JS), 1, 1),
    "urlize": (urlize, 1, 1),
    "strings.HasPrefix": (_S(str.startswith), 2, 2),
    "strings.HasSuffix": (_S(str.endswith), 2, 2),
    # Hugo takes the prefix (suffix) first: ``strings.TrimPrefix "a" "abc"``.
    "strings.TrimPrefix": (_S(lambda p, s: s[len(p) :] if p and s.startswith(p) else s), 2, 2),
    "strings.TrimSuffix": (_S(lambda p, s: s[: -len(p)] if p and s.endswith(p) else s), 2, 2),
    "strings.Contains": (_S(lambda s, sub: sub in s), 2, 2),
    "strings.ToLower": (_S(str.lower), 1, 1),
    "strings.ToUpper": (_S(str.upper), 1, 1),
    "strings.TrimSpace": (_S(str.strip), 1, 1),
    "querify": (_querify, 0, None),
    "in": (_in, 2, 2),
    "slice": (lambda *a: list(a), 0, None),
    "dict": (_dict, 0, None),
    "isset": (_isset, 2, 2),
    "htmlEscape": (_html_escape, 1, 1),
    "htmlUnescape": (_S(html.unescape), 1, 1),
    "plainify": (_plainify, 1, 1),
    "add": (_math("+"), 2, None),
    "sub": (_math("-"), 2, None),
    "mul": (_math("*"), 2, None),
    "div": (_math("/"), 2, None),
    "mod": (_math("%"), 2, 2),
    "string": (to_str, 1, 1),
    "int": (to_int, 1, 1),
    "delimit": (_delimit, 2, 3),
    "jsonify": (_jsonify, 1, 1),
    "urlquery": (lambda *a: quote_plus(sprint(a), safe=""), 0, None),
}
_WITH_OPTIONS: dict[str, tuple[Func, int, int | None]] = {
    "relURL": (rel_url, 1, 1),
    "absURL": (abs_url, 1, 1),
    "markdownify": (markdownify, 1, 1),
    "T": (translate, 1, None),
    "i18n": (translate, 1, None),
    "errorf": (errorf, 1, None),
    "ref": (ref, 2, 2),
    "relref": (relref, 2, 2),
    "warnf": (warnf, 1, None),
}
# ``and`` and ``or`` are evaluated lazily by the executor, like Go's builtins.
LAZY = frozenset({"and", "or"})
# ``site`` (the current site) is answered by the executor from the shortcode it runs.
ROOTED = frozenset({"site"})


def builtin_functions() -> dict[str, FuncSpec]:
    table = {name: FuncSpec(fn, lo, hi) for name, (fn, lo, hi) in (_FUNCS | MORE).items()}
    for name, (fn, lo, hi) in _WITH_OPTIONS.items():
        table[name] = FuncSpec(fn, lo, hi, needs_options=True)
    for name in LAZY | ROOTED:
        table[name] = FuncSpec(truth, 1, None)
    return table
