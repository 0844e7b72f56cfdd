"""Whether a grouping column can be compared: the problems :meth:`Corpus.groups` would not raise."""
from __future__ import annotations

from ..config import DEFAULT_BY, resolve_by
from ..errors import CorpusError, Problem
from .documents import Corpus
from .periods import parse_period_spec

__all__ = ["grouping_problems", "EMPTY_GROUP"]

#: The group of documents whose grouping value is empty (see :meth:`Corpus.group_column`).
EMPTY_GROUP = "(none)"


def _ids(ids, n: int = 5) -> str:
    ids = list(ids)
    return ", ".join(ids[:n]) + (f" and {len(ids) - n} more" if len(ids) > n else "")


def grouping_problems(corp: Corpus, by=DEFAULT_BY, *, implicit: bool = False) -> list[Problem]:
    """Every reason why grouping ``corp`` by ``by`` cannot give a comparison, one problem each, with its fix.

    Errors: the column is missing, empty for every document, or holds a single
    group (nothing to compare). Warnings: some documents have no value (they
    form the group ``(none)``), groups of one document (their results describe
    that document). ``by=None`` or ``"id"`` (each document its own group) needs
    two documents. ``implicit``: nobody chose the column (no --by, no
    ``$ANALYSIS_BY``), so a missing default column is a warning, not an error.
    """
    by = resolve_by(by)
    if by == "id":
        by = None
    where = corp.source
    other = "or group by another column (--by COLUMN, or ANALYSIS_BY=COLUMN)"
    if by is None:
        if len(corp) < 2:
            return [Problem("error", where, "has one document: with each document its own group, there is nothing "
                            "to compare", "add documents to the corpus")]
        return []
    try:
        col = corp.groups(by)
    except CorpusError as exc:
        if implicit:
            return [Problem("warning", p.file, f"{p.problem} (the default grouping column)",
                            f"{p.fix}; or choose one with --by COLUMN or ANALYSIS_BY=COLUMN") for p in exc.problems]
        return list(exc.problems)
    column = by
    if by in corp.manifest.columns:
        raw = corp.manifest.set_index("id", drop=False)[by].astype(str).reindex(corp.ids)
        empty = list(raw.index[raw.str.strip() == ""])
    else:  # a period: the undated documents
        periods = corp.periods(by).set_index("id")["period"]
        empty = list(periods.index[periods == ""])
        column = parse_period_spec(by)[0]
    if len(empty) == len(col):
        return [Problem("error", where, f"the column {by!r} is empty for every document, so all documents form "
                        f"one group", f"fill in {column!r} for every document in manifest.csv, {other}")]
    problems = []
    if empty:
        problems.append(Problem("warning", where, f"{len(empty)} document(s) have no value in the column {by!r} "
                                f"({_ids(empty)}) and form the group {EMPTY_GROUP!r}",
                                f"fill in {column!r} for them in manifest.csv"))
    sizes = col.value_counts()
    if len(sizes) < 2:
        problems.append(Problem("error", where, f"the column {by!r} has a single group ({sizes.index[0]!r}): "
                                "there is nothing to compare", f"give the documents different values in {by!r}, {other}"))
        return problems
    ones = sorted(str(g) for g, n in sizes.items() if n == 1)
    if ones and len(ones) < len(sizes):
        problems.append(Problem("warning", where, f"{len(ones)} of the {len(sizes)} groups of {by!r} have a single "
                                f"document ({_ids(ones)}): their results describe that document, not a group",
                                f"add documents to them, merge them, {other}"))
    elif ones:
        problems.append(Problem("warning", where, f"every group of {by!r} has a single document: each comparison is "
                                "one document against the others", f"use a coarser column to compare groups, {other}"))
    return problems
