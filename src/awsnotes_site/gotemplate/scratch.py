"""Hugo's ``Scratch``/``Store``: a per-shortcode or per-page map templates write into.

Shortcodes such as hugo-book's ``tabs``/``tab`` pass data from children to their parent
with ``.Parent.Scratch.Add``; the parent then ranges over ``.Scratch.Get``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from .convert import FuncError
from .values import GoObject, sorted_keys


def _add(existing: Any, addend: Any) -> Any:
    if isinstance(existing, list):
        return existing + (list(addend) if isinstance(addend, (list, tuple)) else [addend])
    if isinstance(existing, str) and isinstance(addend, str):
        return existing + addend
    numbers = (int, float)
    plain = not isinstance(existing, bool) and not isinstance(addend, bool)
    if plain and isinstance(existing, numbers) and isinstance(addend, numbers):
        return existing + addend
    raise FuncError(f"can't add {addend!r} to {existing!r}")


class Scratch(GoObject):
    go_type = "*maps.Scratch"
    go_fields: ClassVar[dict[str, str]] = {
        name: ""
        for name in (
            "Set",
            "Get",
            "Add",
            "SetInMap",
            "DeleteInMap",
            "GetSortedMapValues",
            "Delete",
            "Values",
        )
    }

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def go_field(self, name: str, args: list[Any]) -> Any:
        want = {"Set": 2, "Get": 1, "Add": 2, "SetInMap": 3, "DeleteInMap": 2}
        want.update({"GetSortedMapValues": 1, "Delete": 1, "Values": 0})
        if name not in want:
            raise LookupError(name)
        if len(args) != want[name]:
            raise TypeError(f"wrong number of args for {name}: want {want[name]} got {len(args)}")
        key = str(args[0]) if args else ""
        if name == "Get":
            return self.values.get(key)
        if name == "Values":
            return dict(self.values)
        if name == "GetSortedMapValues":
            mapping = self.values.get(key)
            if not isinstance(mapping, dict):
                return None
            return [mapping[k] for k in sorted_keys(mapping)]
        self._write(name, key, args[1:])
        return ""

    def _write(self, name: str, key: str, rest: list[Any]) -> None:
        if name == "Set":
            self.values[key] = rest[0]
        elif name == "Add":
            self.values[key] = _add(self.values[key], rest[0]) if key in self.values else rest[0]
        elif name == "SetInMap":
            mapping = self.values.get(key)
            if not isinstance(mapping, dict):
                mapping = self.values[key] = {}
            mapping[str(rest[0])] = rest[1]
        elif name == "DeleteInMap":
            mapping = self.values.get(key)
            if isinstance(mapping, dict):
                mapping.pop(str(rest[0]), None)
        else:
            self.values.pop(key, None)
