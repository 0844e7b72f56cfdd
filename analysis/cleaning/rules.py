"""Regex rules: ``(name, pattern, replacement)`` triples applied one after another, one :class:`Edit` per match.

Every step made of regular expressions (newlines, invisible characters, width,
punctuation, whitespace, boilerplate) runs its rules through :func:`run_rules`,
which scans with :mod:`analysis.cleaning.fastscan` (the same matches as
``finditer``, and no scan at all for a rule whose literals are missing).
"""
from __future__ import annotations

import re
from typing import Callable, Iterable

from .edits import Edit, apply_edits
from .fastscan import cannot_match, finditer, lookups

__all__ = ["Keep", "regex_edits", "run_rules"]


def regex_edits(
    text: str, step: str, rule: str, pattern: re.Pattern, repl: str | Callable[[re.Match], str] = ""
) -> list[Edit]:
    """One edit per match of ``pattern`` in ``text`` that the replacement changes (positions in ``text``)."""
    if not callable(repl) and "\\" not in repl:  # a literal replacement: no template to expand
        return [Edit(step, rule, m.start(), m.end(), m[0], repl) for m in finditer(pattern, text) if m[0] != repl]
    edits = []
    for m in finditer(pattern, text):
        new = repl(m) if callable(repl) else m.expand(repl)
        if m.group(0) != new:
            edits.append(Edit(step, rule, m.start(), m.end(), m.group(0), new))
    return edits


#: Chooses which of a rule's edits (positions in the text given) are made; the others are dropped.
Keep = Callable[[str, list[Edit]], list[Edit]]


def run_rules(text: str, step: str, rules: Iterable[tuple]) -> tuple[str, list[Edit]]:
    """Apply regex rules one after another; return the text and all edits.

    Each rule is ``(name, pattern, replacement)``, or ``(name, pattern,
    replacement, keep)`` where ``keep`` (a :data:`Keep`, or None) chooses which
    of its matches count, given the text they were found in (see
    :mod:`analysis.cleaning.boilerplate`: matches at a document's edges only).

    A rule is not scanned for when a literal its every match needs is not in the
    text (see :func:`analysis.cleaning.fastscan.pattern_facts`): it could not have found anything.
    """
    all_edits: list[Edit] = []
    found = lookups(text)
    for rule, pattern, repl, *keep in rules:
        if cannot_match(text, pattern, found):
            continue
        edits = regex_edits(text, step, rule, pattern, repl)
        if edits and keep and keep[0] is not None:
            edits = keep[0](text, edits)
        if edits:
            text = apply_edits(text, edits)
            all_edits.extend(edits)
            found = lookups(text)
    return text, all_edits
