"""The parse tree of a Go template (the subset Hugo shortcodes use)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Text:
    text: str
    offset: int


@dataclass(frozen=True, slots=True)
class Dot:
    offset: int


@dataclass(frozen=True, slots=True)
class Nil:
    offset: int


@dataclass(frozen=True, slots=True)
class Const:
    """A literal: string, number, bool."""

    value: object
    offset: int


@dataclass(frozen=True, slots=True)
class Field:
    """``.A.B.C`` on dot; the last name gets the command's arguments."""

    names: tuple[str, ...]
    offset: int


@dataclass(frozen=True, slots=True)
class Variable:
    """``$x.A.B`` (``names`` may be empty)."""

    name: str
    names: tuple[str, ...]
    offset: int


@dataclass(frozen=True, slots=True)
class Identifier:
    """A function name, e.g. ``printf`` or ``strings.HasPrefix``."""

    name: str
    offset: int


@dataclass(frozen=True, slots=True)
class Chain:
    """``(pipeline).A.B``."""

    node: Operand
    names: tuple[str, ...]
    offset: int


@dataclass(slots=True)
class Command:
    args: list[Operand]
    offset: int


@dataclass(slots=True)
class Pipe:
    decl: list[str]
    is_assign: bool
    cmds: list[Command]
    offset: int


Operand = Dot | Nil | Const | Field | Variable | Identifier | Chain | Pipe


@dataclass(slots=True)
class Action:
    pipe: Pipe
    offset: int
    # Escaper names chosen by the contextual escaping pass (empty for declarations).
    escapers: tuple[str, ...] = ()


@dataclass(slots=True)
class Branch:
    """``if``, ``with`` or ``range``; ``else_list`` holds an ``else if`` as one nested node."""

    kind: str
    pipe: Pipe
    body: list[Node]
    else_list: list[Node] | None
    offset: int


@dataclass(frozen=True, slots=True)
class Jump:
    """``break`` or ``continue``."""

    kind: str
    offset: int


Node = Text | Action | Branch | Jump


@dataclass(slots=True)
class Tree:
    nodes: list[Node] = field(default_factory=list)
