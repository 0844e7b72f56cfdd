"""Candidates: what the generators find in one text (:func:`text_candidates`) and, merged over a corpus, :class:`Candidate`."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd

from .affixes import affix_patterns
from .enumerations import enumerations
from .match import Match
from .numbered import numbered_formulations
from .quoted import quoted_phrases
from .settings import Settings, load_settings

__all__ = ["KINDS", "text_candidates", "Candidate", "add_match"]

#: Kinds of formulation, most specific first: a text found by several generators
#: is reported under the first of its kinds in this order.
KINDS = ("numbered", "affix", "enumeration", "quoted", "collocation", "ngram", "title")


def text_candidates(text: str, *, settings: Settings | None = None) -> pd.DataFrame:
    """What the four text generators find in one text, before any counting or ranking.

    Returns
    -------
    DataFrame
        generator (quoted, numbered, enumeration, affix), start, end, text, core, items
        (joined by " | "); in generator order, then by position. Suffix patterns and frames
        are listed here although :func:`find_slogans` keeps them only when the corpus
        confirms them.
    """
    s = settings or load_settings()
    rows = []
    for name, gen in (("quoted", quoted_phrases), ("numbered", numbered_formulations),
                      ("enumeration", enumerations), ("affix", affix_patterns)):
        for m in gen(text, settings=s):
            rows.append((name, m.start, m.end, m.text, m.core, " | ".join(m.items)))
    return pd.DataFrame(rows, columns=["generator", "start", "end", "text", "core", "items"])


@dataclass
class Candidate:
    """One distinct text proposed by one or more generators, with what they found about it."""

    text: str
    kinds: set[str] = field(default_factory=set)
    cores: dict[str, str] = field(default_factory=dict)  # kind -> core
    units: dict[str, tuple[str, ...]] = field(default_factory=dict)  # kind -> items or units
    regularity: float = 0.0
    component: bool = False  # equal to an item or unit of a structured candidate
    matches: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # kind -> generator hits

    def kind(self) -> str:
        """The most specific of its kinds (order of :data:`KINDS`)."""
        return next(k for k in KINDS if k in self.kinds)

    def core(self) -> str:
        """The core of its most specific kind that has one ('' if none)."""
        return next((self.cores[k] for k in KINDS if self.cores.get(k)), "")

    def items(self) -> tuple[str, ...]:
        """Its items as a series, else its units as an affix pattern (() if neither)."""
        return next((self.units[k] for k in ("enumeration", "affix") if self.units.get(k)), ())


def add_match(cands: dict[str, Candidate], m: Match, times: int = 1) -> None:
    """Merge a generator's match (found ``times`` times) into the candidate of the same text (created if new)."""
    c = cands.get(m.text)
    if c is None:
        c = cands[m.text] = Candidate(m.text)
    c.kinds.add(m.kind)
    c.matches[m.kind] += times
    if m.core and not c.cores.get(m.kind):
        c.cores[m.kind] = m.core
    if m.items and not c.units.get(m.kind):
        c.units[m.kind] = m.items
    c.regularity = max(c.regularity, m.regularity)

