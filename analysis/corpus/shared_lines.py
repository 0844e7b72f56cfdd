"""The corpus-level cleaning step on a loaded corpus: boilerplate shared across its documents removed.

The rules are :mod:`analysis.cleaning.shared_lines` (pure functions on texts); this module runs them over a
corpus's documents one at a time, records the removals in each document's audit, and caches the result.
"""
from __future__ import annotations

import pandas as pd

from ..cleaning.corpus_options import corpus_options
from ..cleaning.edits import Edit
from ..cleaning.shared_lines import (RULE, SHARED_LINES_VERSION, STEP, BlockTable, block_edits, find_blocks,
                                     shared_line_problems, shared_line_settings)
from ..config import cache_enabled
from ..errors import Problem
from ..store import key, read_table, write_table

__all__ = ["shared_line_documents"]


def shared_line_documents(docs: list, folder) -> tuple[list, list[Problem]]:
    """The loaded documents without their shared blocks, and a warning per edge that lost one.

    ``docs`` are :class:`analysis.corpus.Document` objects: a document with a shared block
    becomes ``doc.with_edits(edits)``, whose audit ends with this step's edits, so its
    audit and ``replay`` account for every character. Two passes over the texts, one
    document at a time (a corpus's texts are never all in memory), and the result is
    cached when every document is (keyed by their cache keys and the settings). The
    settings are ``data/shared_lines.yaml`` with the ``shared_lines`` key of the folder's ``corpus.yaml``.
    """
    try:
        s = shared_line_settings(overrides=corpus_options(folder).get("shared_lines"))
    except ValueError as exc:
        return docs, [Problem("error", str(folder), str(exc), "correct the corpus folder's corpus.yaml "
                              "(see analysis.cleaning.corpus_options), or remove it")]
    if not s.enabled or not docs or len(docs) < s.needed(len(docs)):
        return docs, []
    k = None
    if cache_enabled() and all(getattr(d, "key", None) for d in docs):
        k = key("tables", "shared_lines", SHARED_LINES_VERSION, repr(s), *(d.key for d in docs))
        hit = _cached(k)
        if hit is not None:
            cuts, found = hit
            out = [d.with_edits([Edit(STEP, RULE, a, b, None, "") for a, b in cuts[i]]) if i in cuts else d
                   for i, d in enumerate(docs)]
            return out, shared_line_problems(found, len(docs), str(folder))
    out, table, spans = [], BlockTable(), []
    for i, (d, (head, foot, counts)) in enumerate(zip(docs, find_blocks(lambda: (d.text for d in docs), s, len(docs)))):
        e = block_edits(d.text, head, foot) if head or foot else []
        if e:
            table.add(head, foot, counts)
            spans += [(i, x.start, x.end) for x in e]
        out.append(d.with_edits(e))
    found = table.frame()
    if k is not None:
        write_table(k, pd.DataFrame(spans, columns=["doc", "start", "end"]))
        write_table(key("tables", "shared_lines_found", k), found)
    return out, shared_line_problems(found, len(docs), str(folder))


def _cached(k: str):
    """The cached removals (``{document position: [(start, end), ...]}``) and lines found for key ``k``, or None."""
    spans = read_table(k)
    found = read_table(key("tables", "shared_lines_found", k)) if spans is not None else None
    if found is None:
        return None
    cuts: dict[int, list] = {}
    for i, a, b in spans.itertuples(index=False):
        cuts.setdefault(int(i), []).append((int(a), int(b)))
    return cuts, found
