"""Hugo's ``cast`` conversions and comparison rules, shared by the template functions."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from .values import Typed, go_repr, type_name


class FuncError(Exception):
    """A template function refused its arguments (reported as ``error calling NAME: ...``)."""


class UserError(FuncError):
    """``errorf`` in a template: its message is reported as it is."""


def to_str(value: Any) -> str:
    """``cast.ToStringE``."""
    if isinstance(value, str):
        return str(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value == int(value) and abs(value) < 1e21:
            return str(int(value))
        return repr(value)
    raise FuncError(f"unable to cast {go_repr(value)!s} of type {type_name(value)} to string")


def to_int(value: Any) -> int:
    """``cast.ToIntE``."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    if value is None:
        return 0
    if isinstance(value, str):
        text = value.strip()
        if "." in text and text.rstrip("0").endswith("."):
            text = text.rstrip("0")[:-1]
        try:
            return int(text, 0) if text.lower().startswith(("0x", "0o", "0b")) else int(text)
        except ValueError:
            raise FuncError(f"unable to cast {value!r} of type string to int") from None
    raise FuncError(f"unable to cast {go_repr(value)} of type {type_name(value)} to int")


def normalize(value: Any) -> tuple[str, Any]:
    """The value ``eq`` compares: numbers by value (``eq 1 1.0``), never equal to strings."""
    if value is None:
        return ("nil", None)
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, (int, float)):
        return ("number", float(value))
    if isinstance(value, str):
        return ("string", str(value))
    if isinstance(value, Mapping):
        return ("map", tuple((k, normalize(v)) for k, v in sorted(value.items(), key=str)))
    if isinstance(value, Sequence):
        return ("slice", tuple(normalize(v) for v in value))
    return ("other", id(value))


def _compare_value(value: Any) -> tuple[float, str | None]:
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return 0.0, str(value)
        if math.isinf(number) or math.isnan(number):
            return 0.0, str(value)
        return number, None
    if isinstance(value, bool):
        return (1.0 if value else 0.0), None
    if isinstance(value, (int, float)):
        return float(value), None
    if isinstance(value, (Sequence, Mapping)):
        return float(len(value)), None
    return 0.0, None


def compare_get(a: Any, b: Any) -> tuple[float, float]:
    """Hugo's ``compareGet``: numbers and numeric strings as numbers, other strings as text."""
    if isinstance(a, str) and isinstance(b, str):
        return (0, 1) if a < b else (1, 0) if a > b else (0, 0)
    left, left_s = _compare_value(a)
    right, right_s = _compare_value(b)
    if left_s is not None and right_s is not None:
        if left_s < right_s:
            return 0, 1
        if left_s > right_s:
            return 1, 0
        return 0, 0
    return left, right


def is_set(value: Any) -> bool:
    """Whether ``default`` keeps a value: non-zero numbers, non-empty collections, any bool."""
    if value is None:
        return False
    if isinstance(value, bool):
        return True
    if isinstance(value, (int, float, str, list, tuple, dict)):
        return bool(value)
    return True


def as_sequence(value: Any, name: str) -> Sequence[Any]:
    if value is None:
        raise FuncError("can't iterate over <nil>")
    if isinstance(value, (list, tuple)):
        return value
    if isinstance(value, str) and not isinstance(value, Typed):
        return value
    raise FuncError(f"can't iterate over {type_name(value)}")
