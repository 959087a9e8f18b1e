"""Values as Go templates see them: typed safe strings, truthiness and ``%v`` printing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, ClassVar


class Typed(str):
    """A string html/template trusts in one context (``template.HTML`` and friends)."""

    __slots__ = ()
    kind: ClassVar[str] = ""


class HTML(Typed):
    __slots__ = ()
    kind = "html"


class HTMLAttr(Typed):
    __slots__ = ()
    kind = "htmlattr"


class URL(Typed):
    __slots__ = ()
    kind = "url"


class CSS(Typed):
    __slots__ = ()
    kind = "css"


class JS(Typed):
    __slots__ = ()
    kind = "js"


class GoObject:
    """Base for objects a template reaches with ``.Field`` (page, site, shortcode).

    ``go_field`` returns the field or calls the method ``name`` with ``args``; it raises
    ``LookupError`` when there is no such field or method and ``TypeError`` for bad arguments.
    """

    go_type: ClassVar[str] = "object"

    def go_field(self, name: str, args: list[Any]) -> Any:
        raise LookupError(name)

    def go_string(self) -> str:
        return self.go_type


class Params(dict[str, Any]):
    """A Hugo params map: ``.Params.Foo`` finds the key ``foo`` (keys are case-insensitive)."""

    def lookup(self, name: str) -> tuple[bool, Any]:
        found, value = self._find(name)
        if isinstance(value, dict) and not isinstance(value, Params):
            value = Params(value)  # nested tables are Params too: .Site.Params.social.GitHub
        return found, value

    def _find(self, name: str) -> tuple[bool, Any]:
        if name in self:
            return True, self[name]
        low = name.lower()
        for key, value in self.items():
            if key.lower() == low:
                return True, value
        return False, None


def truth(value: Any) -> bool:
    """Go's ``if`` truth: false, 0, nil, and empty strings, lists and maps are false."""
    if value is None:
        return False
    if isinstance(value, (bool, int, float, str, list, tuple, dict)):
        return bool(value)
    return True


def format_float(value: float) -> str:
    """Go's shortest ``%v`` for a float64 (``1e+06``, ``3.14``, ``3``)."""
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "+Inf" if value > 0 else "-Inf"
    if value == 0:
        return "-0" if str(value).startswith("-") else "0"
    sign, digits, exp = Decimal(repr(value)).normalize().as_tuple()
    assert isinstance(exp, int)
    text = "".join(str(d) for d in digits)
    point = len(text) + exp
    x = point - 1
    minus = "-" if sign else ""
    if x < -4 or x >= 6:
        mant = text[0] + ("." + text[1:] if len(text) > 1 else "")
        return f"{minus}{mant}e{'-' if x < 0 else '+'}{abs(x):02d}"
    if point <= 0:
        return f"{minus}0.{'0' * -point}{text}"
    if point >= len(text):
        return minus + text + "0" * (point - len(text))
    return f"{minus}{text[:point]}.{text[point:]}"


def go_repr(value: Any) -> str:
    """``fmt.Sprint`` of one value (``%v``)."""
    if isinstance(value, str):
        return str(value)
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_float(value)
    if isinstance(value, Mapping):
        items = " ".join(f"{go_repr(k)}:{go_repr(value[k])}" for k in sorted_keys(value))
        return f"map[{items}]"
    if isinstance(value, Sequence):
        return "[" + " ".join(go_repr(v) for v in value) + "]"
    if isinstance(value, GoObject):
        return value.go_string()
    return str(value)


def sprint(args: Sequence[Any]) -> str:
    """``fmt.Sprint``: a space between operands when neither side is a string."""
    out: list[str] = []
    prev_string = True
    for i, arg in enumerate(args):
        is_string = isinstance(arg, str)
        if i > 0 and not is_string and not prev_string:
            out.append(" ")
        out.append(go_repr(arg))
        prev_string = is_string
    return "".join(out)


def sorted_keys(mapping: Mapping[Any, Any]) -> list[Any]:
    """Map keys in Go's order (``range`` and printing sort them)."""
    try:
        return sorted(mapping)
    except TypeError:
        return sorted(mapping, key=go_repr)


def type_name(value: Any) -> str:
    """The Go type name used in messages and ``%!verb(type=value)``."""
    if value is None:
        return "<nil>"
    if isinstance(value, Typed):
        return "template." + type(value).__name__
    names = {bool: "bool", int: "int", float: "float64", str: "string"}
    for py, go in names.items():
        if type(value) is py:
            return go
    if isinstance(value, Mapping):
        return "map[string]interface {}"
    if isinstance(value, (list, tuple)):
        return "[]interface {}"
    if isinstance(value, GoObject):
        return value.go_type
    return type(value).__name__
