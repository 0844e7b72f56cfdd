"""The cleaning pipeline: :data:`STEPS` in order, run until a pass changes nothing (:func:`clean`), and :func:`replay`.

See the package's docstring (:mod:`analysis.cleaning`) for the steps and the
guarantees of the audit.
"""
from __future__ import annotations

from typing import Callable, Iterable

from .boilerplate import remove_boilerplate
from .edits import CleanResult, Edit, apply_edits
from .fastscan import forget_lookups
from .lines import join_title_lines, repair_lines
from .steps import (
    normalize_newlines,
    normalize_punctuation,
    normalize_width,
    remove_invisible,
    tidy_whitespace,
    to_simplified,
)

__all__ = ["STEPS", "MAX_PASSES", "FIRST_PASS_ONLY", "CLEANING_VERSION", "clean", "replay"]

#: Bump when cleaning changes its output (any step, rule or pass): part of the key of cached
#: documents (:func:`analysis.corpus.document_key`). The data files are keyed by their bytes.
CLEANING_VERSION = "2"

STEPS: tuple[Callable[[str], tuple[str, list[Edit]]], ...] = (
    normalize_newlines,
    remove_invisible,
    normalize_width,
    to_simplified,
    normalize_punctuation,
    join_title_lines,
    repair_lines,
    remove_boilerplate,
    tidy_whitespace,
)


MAX_PASSES = 4
#: steps whose input no step creates (line separators, invisible characters, full-width
#: letters and digits): passes after the first skip them
FIRST_PASS_ONLY = (normalize_newlines, remove_invisible, normalize_width)


def clean(text: str, steps: Iterable[Callable[[str], tuple[str, list[Edit]]]] = STEPS) -> CleanResult:
    """Run the cleaning steps in order, again until a pass changes nothing; return the clean text with its edits.

    Cleaning is idempotent: ``clean(clean(t).text).text == clean(t).text``.
    Edits of a second pass have ``pass_no == 2``; real documents rarely have
    any. Passes after the first skip :data:`FIRST_PASS_ONLY`; cleaning stops
    after ``MAX_PASSES`` passes.
    """
    steps = tuple(steps)
    edits: list[Edit] = []
    for pass_no in range(1, MAX_PASSES + 1):
        n_before = len(edits)
        for step in steps:
            if pass_no > 1 and step in FIRST_PASS_ONLY:
                continue
            text, step_edits = step(text)
            edits.extend(step_edits if pass_no == 1 else [e._replace(pass_no=pass_no) for e in step_edits])
        if len(edits) == n_before:
            break
    forget_lookups()
    return CleanResult(text, edits)


def replay(raw: str, edits: Iterable[Edit]) -> str:
    """Rebuild the clean text from the raw text and the edits of :func:`clean`.

    Edits of one rule in one pass are applied together, rule after rule, in
    the order recorded. ``replay(raw, clean(raw).edits) == clean(raw).text``
    shows that every change to the text is in the audit.
    """
    batch: list[Edit] = []
    for e in edits:
        if batch and (e.pass_no, e.step, e.rule) != (batch[0].pass_no, batch[0].step, batch[0].rule):
            raw = apply_edits(raw, batch)
            batch = []
        batch.append(e)
    return apply_edits(raw, batch) if batch else raw
