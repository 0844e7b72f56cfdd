"""What a generator reports: :class:`Match`, one candidate found in one text."""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Match"]


@dataclass(frozen=True)
class Match:
    """One candidate found by a generator in one text.

    ``start``/``end`` are offsets in the text, ``kind`` the generator, ``core``
    the shared part that defines the candidate's family ('' if none), ``items``
    the items of an enumeration or the units of an affix pattern, and
    ``regularity`` (0–1) how regular its structure is.
    """

    start: int
    end: int
    text: str
    kind: str
    core: str = ""
    items: tuple[str, ...] = ()
    regularity: float = 0.0
