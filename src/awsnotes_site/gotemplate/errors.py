"""The one exception of the Go-template interpreter: a message at ``path:line:col``."""

from __future__ import annotations

from ..diagnostics import Diagnostic, error


class TemplateError(Exception):
    """A syntax error, a construct beyond the subset, or a failure while executing.

    ``line`` and ``col`` are 1-based positions in the template file.
    """

    def __init__(self, path: str, line: int, col: int, message: str) -> None:
        self.path = path
        self.line = line
        self.col = col
        self.message = message
        super().__init__(f"{path}:{line}:{col}: {message}")

    def to_diagnostic(self) -> Diagnostic:
        return error(self.path, self.line, self.message, col=self.col)


class Position:
    """Turns byte offsets of one template source into line:column pairs."""

    __slots__ = ("path", "_starts")

    def __init__(self, source: str, path: str) -> None:
        self.path = path
        starts = [0]
        at = source.find("\n")
        while at != -1:
            starts.append(at + 1)
            at = source.find("\n", at + 1)
        self._starts = starts

    def line_col(self, offset: int) -> tuple[int, int]:
        lo, hi = 0, len(self._starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self._starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1, offset - self._starts[lo] + 1

    def error(self, offset: int, message: str) -> TemplateError:
        line, col = self.line_col(offset)
        return TemplateError(self.path, line, col, message)
