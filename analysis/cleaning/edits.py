"""The audit's building blocks: :class:`Edit` (one recorded change), :class:`CleanResult` and :func:`apply_edits`.

Every cleaning step returns its new text with the edits that made it, so the
audit explains every character that left the text.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, NamedTuple

import pandas as pd

__all__ = ["Edit", "CleanResult", "apply_edits"]


class Edit(NamedTuple):
    """One recorded change: ``text[start:end] == old`` was replaced by ``new``.

    Positions refer to the text as it entered the rule that made the edit: the
    edits of one ``(step, rule)`` are applied together, rule after rule (see
    :func:`analysis.cleaning.replay`). A named tuple, because a long Traditional document has
    millions of them.
    """

    step: str
    rule: str
    start: int
    end: int
    old: str
    new: str
    pass_no: int = 1


@dataclass
class CleanResult:
    """The clean text of one document and the audit of how it got there."""

    text: str
    edits: list[Edit]

    def audit(self) -> pd.DataFrame:
        """One row per edit: step, rule, start, end, old, new, chars_removed, pass."""
        rows = [
            {
                "step": e.step,
                "rule": e.rule,
                "start": e.start,
                "end": e.end,
                "old": e.old,
                "new": e.new,
                "chars_removed": len(e.old) - len(e.new),
                "pass": e.pass_no,
            }
            for e in self.edits
        ]
        return pd.DataFrame(
            rows, columns=["step", "rule", "start", "end", "old", "new", "chars_removed", "pass"]
        )


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits (positions in ``text``) and return the new text."""
    out: list[str] = []
    pos = 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if e.start < pos:
            raise ValueError(f"overlapping edits at {e.start}: {e}")
        if text[e.start : e.end] != e.old:
            raise ValueError(f"edit does not match the text at {e.start}: {e}")
        out.append(text[pos : e.start])
        out.append(e.new)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)
