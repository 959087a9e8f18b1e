"""The short soak of ``serve`` (bench/soak.py): 60 mixed operations on a 50-note site.

Edits, adds, renames, deletes, template and config edits and bursts of saves: no reload
may be missed (each operation waits on the event stream, with a timeout), every served
file must equal a cold build's byte for byte, memory must not grow by more than 10 %
after the first 30 operations, and nothing the server opened may outlive it. The full
run (1,000 notes, 2,000 operations) is ``python bench/soak.py``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
NOTES = 50
OPS = 60


def load_soak() -> ModuleType:
    spec = importlib.util.spec_from_file_location("soak", ROOT / "bench" / "soak.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["soak"] = module
    spec.loader.exec_module(module)
    return module


def test_short_soak(tmp_path: Path) -> None:
    soak = load_soak()
    project = soak.make_corpus(tmp_path, NOTES)
    outcome = soak.soak(project, NOTES, OPS, seed=7, baseline_op=30)
    text = soak.report(outcome, NOTES, OPS, 0.0)
    assert outcome.missed == [], text
    assert outcome.errors == [], text
    assert outcome.mismatched == [], text
    assert outcome.leaks == [], text
    assert outcome.growth <= 0.10, text
    # Every kind of operation ran, and the comparison covered the whole site.
    assert set(outcome.ops) == {"edit", "burst", "add", "delete", "rename", "template", "config"}
    assert outcome.pages_compared > NOTES * 2
    assert outcome.ok
