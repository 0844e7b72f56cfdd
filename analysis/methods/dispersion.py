"""Dispersion: how evenly a term is spread over a group's documents (Gries' DP).

A keyword that one long document repeats is that document's habit, not its
group's. For a term and a set of documents (the parts of the corpus),
:func:`gries_dp` computes Gries' (2008) *deviation of proportions*::

    s_i = size of document i / size of all the documents   (expected share)
    v_i = the term's count in document i / its count in all of them   (observed share)
    DP  = ½ Σ_i |v_i - s_i|

``DP`` is 0 when the term is spread exactly as the document sizes predict,
and approaches 1 when it is packed into one small document. Its maximum is
``1 - min_i s_i`` (all occurrences in the smallest document), so Lijffijt &
Gries (2012) normalise it::

    DP_norm = DP / (1 - min_i s_i)

which reaches 1 for every corpus. Sizes are the documents' numbers of content
tokens (the same tokens that are counted), as in Gries (2008), where the parts'
sizes are in words. With a single document both are meaningless: DP is 0
and DP_norm undefined (NaN); a term with no occurrence has no DP (NaN).

References: Gries, S. Th. (2008). Dispersions and adjusted frequencies in
corpora. *International Journal of Corpus Linguistics* 13(4): 403–437.
Lijffijt, J. & Gries, S. Th. (2012). Correction to Stefan Th. Gries,
"Dispersions and adjusted frequencies in corpora". *IJCL* 17(1): 147–149.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from ..config import DEFAULT_BY
from ..corpus import Corpus
from ..vectors import dfm

__all__ = ["gries_dp", "term_dispersion"]


#: non-zero cells of the count matrix :func:`gries_dp` works on at a time
BLOCK_CELLS = 2_000_000


def gries_dp(counts, sizes=None) -> tuple[np.ndarray, np.ndarray]:
    """Gries' DP and Lijffijt & Gries' DP_norm of every column of a documents × terms count matrix.

    Parameters
    ----------
    counts : scipy.sparse matrix or 2-D array
        Rows are the documents (the parts of the corpus), columns the terms.
    sizes : array-like, optional
        Size of each document (default: its row sum, i.e. its tokens when the
        matrix covers the whole vocabulary). Pass the full token totals when
        ``counts`` holds only some terms.

    Returns
    -------
    (dp, dp_norm) : two arrays, one value per column
        NaN where the term never occurs; ``dp_norm`` is NaN when there is a
        single document (or all size is in one document).

    Notes
    -----
    Computed on the non-zero cells only: with ``v_i = 0`` for a document that
    lacks the term, ``Σ_i |v_i - s_i| = 1 + Σ_{i: x_i > 0} (|v_i - s_i| - s_i)``.
    """
    m = sparse.csc_matrix(counts, dtype=float)
    n_docs, n_terms = m.shape
    s = np.asarray(m.sum(axis=1)).ravel() if sizes is None else np.asarray(sizes, dtype=float).ravel()
    if s.shape != (n_docs,):
        raise ValueError(f"sizes must have one value per row ({n_docs}), got {s.shape}")
    if (s < 0).any() or s.sum() <= 0:
        raise ValueError("document sizes must be non-negative and not all zero")
    share = s / s.sum()
    total = np.asarray(m.sum(axis=0)).ravel()
    m.sum_duplicates()
    sums = np.zeros(n_terms)
    # in blocks of columns of about BLOCK_CELLS non-zero cells: the temporaries of a large corpus's matrix stay small
    start = 0
    while start < n_terms:
        end = max(start + 1, int(np.searchsorted(m.indptr, m.indptr[start] + BLOCK_CELLS, side="right")) - 1)
        end = min(end, n_terms)
        a, b = m.indptr[start], m.indptr[end]
        col = np.repeat(np.arange(start, end), np.diff(m.indptr[start:end + 1]))
        x = m.data[a:b]
        nz = x > 0
        rows, col, x = m.indices[a:b][nz], col[nz], x[nz]
        part = np.abs(x / total[col] - share[rows]) - share[rows]
        sums[start:end] = np.bincount(col - start, weights=part, minlength=end - start)
        start = end
    dp = 0.5 * (1.0 + sums)
    dp = np.where(total > 0, np.clip(dp, 0.0, 1.0), np.nan)
    span = 1.0 - share.min()
    dp_norm = dp / span if span > 1e-15 else np.full(n_terms, np.nan)
    return dp, dp_norm


def term_dispersion(corp: Corpus, by: str | None = DEFAULT_BY, **options) -> pd.DataFrame:
    """For every group and every term it uses: documents, documents using the term, DP and DP_norm.

    Parameters
    ----------
    corp : Corpus
    by : str or None
        A manifest column (default ``$ANALYSIS_BY``, else ``region``); None
        makes each document its own group (DP is then 0, DP_norm NaN).
    **options
        Tokenizer options of :func:`analysis.tokenize` (``drop_proper`` …).

    Returns
    -------
    DataFrame
        group, term, count (in the group), docs (documents in the group),
        docs_using (documents of the group where the term occurs), dp,
        dp_norm (over the group's documents, their content tokens as sizes;
        see the module docstring). Sorted by group, then count descending,
        then term.
    """
    d = dfm(corp, **options)
    labels = corp.groups(by).reindex(d.rows).astype(str).to_numpy()
    m = d.matrix.tocsr()
    sizes = np.asarray(m.sum(axis=1)).ravel()
    terms = np.asarray(d.terms, dtype=object)
    frames = []
    for g in sorted(set(labels)):
        rows = np.flatnonzero(labels == g)
        sub = m[rows]
        count = np.asarray(sub.sum(axis=0)).ravel()
        used = np.asarray((sub > 0).sum(axis=0)).ravel()
        keep = count > 0
        if sizes[rows].sum() > 0:
            dp, dp_norm = gries_dp(sub[:, keep], sizes[rows])
        else:
            dp = dp_norm = np.full(int(keep.sum()), np.nan)
        frames.append(pd.DataFrame({"group": g, "term": terms[keep], "count": count[keep].astype(np.int64),
                                    "docs": len(rows), "docs_using": used[keep].astype(np.int64),
                                    "dp": dp, "dp_norm": dp_norm}))
    cols = ["group", "term", "count", "docs", "docs_using", "dp", "dp_norm"]
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)
    out = out.sort_values(["group", "count", "term"], ascending=[True, False, True], kind="stable")
    return out[cols].reset_index(drop=True)
