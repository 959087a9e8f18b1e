"""What ``serve`` prints about each build: new warnings, an error once, what was rebuilt."""

from __future__ import annotations

from typing import TextIO

from awsnotes_site.diagnostics import Diagnostic
from awsnotes_site.serve.state import BuildRecord

SHOWN_WARNINGS = 20  # new warnings printed per build without -v


class BuildReport:
    """Prints build records to OUT (progress) and ERR (diagnostics), remembering what it
    said: an error is printed once however often the same build fails, and a warning
    once until it goes away."""

    def __init__(self, out: TextIO, err: TextIO, verbose: bool) -> None:
        self.out = out
        self.err = err
        self.verbose = verbose
        self._last_error: tuple[Diagnostic, ...] = ()
        self._last_warnings: set[Diagnostic] = set()

    def __call__(self, record: BuildRecord) -> None:
        if not record.ok:
            if not record.superseded:
                self._failed(tuple(record.diagnostics))
            return
        fixed = bool(self._last_error)
        self._last_error = ()
        if record.full:
            self._warnings(record.diagnostics)
        if record.number != 1 and not (record.catch_up and not fixed):
            self._rebuilt(record, fixed)  # (a catch-up build is not news: sw.js)

    def _failed(self, errors: tuple[Diagnostic, ...]) -> None:
        if errors == self._last_error:
            return
        self._last_error = errors
        for d in errors:
            print(d.format(), file=self.err)
        print(
            "build failed; still serving the last good build "
            "(the page shows the error until it is fixed)",
            file=self.err,
            flush=True,
        )

    def _warnings(self, diagnostics: list[Diagnostic]) -> None:
        new = [d for d in diagnostics if d not in self._last_warnings]
        self._last_warnings = set(diagnostics)
        shown = new if self.verbose else new[:SHOWN_WARNINGS]
        for d in shown:
            print(d.format(), file=self.err)
        if len(shown) < len(new):
            print(f"... and {len(new) - len(shown)} more warnings (-v shows all)", file=self.err)
        self.err.flush()

    def _rebuilt(self, record: BuildRecord, fixed: bool) -> None:
        what = f"{len(record.changed)} changed" + (
            f", {len(record.removed)} removed" if record.removed else ""
        )
        names = ", ".join((record.changed + record.removed)[:5])
        if len(record.changed) + len(record.removed) > 5:
            names += ", …"
        prefix = "fixed; rebuilt" if fixed else "rebuilt"
        print(
            f"{prefix} in {record.seconds * 1000:.0f} ms: {what}"
            + (f" ({names})" if names else ""),
            file=self.out,
            flush=True,
        )
