"""Documents as the unit of inference: a permutation test that reassigns whole documents between groups.

The token-level tests of :mod:`analysis.methods.keyness` (G², χ², Fisher)
treat every token as an independent draw. Tokens are not independent: a
document repeats its topic words, so a term that one document uses fifty
times counts as fifty draws and its p-value is far too small. Here the unit
is the document. For a comparison of a target set of ``k`` documents with a
reference set of ``n - k``, the statistic of each term is the difference of the
two sides' mean relative frequencies, each document's frequency taken in its
own content tokens (``r_d = x_d / s_d``)::

    D = mean_{d in target} r_d - mean_{d in reference} r_d

Each document has one vote, as in the document-level ("bag of texts") tests of
Lijffijt et al. (2016), where the Welch t-test and the bootstrap compare the
same means. (The difference of *pooled* rates, ``A/N1 - B/N2``, would let the
token totals of the permuted sides decide: a term found in one short document
of a group of short documents came out "significant" on the city reports.)
With this statistic a term that a single document uses has
``p >= k / n``, the chance that its document lands in the target.

Under the null hypothesis that the group labels are exchangeable
between documents, every assignment of the documents to the two sides with
the observed numbers of documents (``k`` target documents out of ``n``) is
equally likely. The two-sided p-value is the share of assignments whose
``|D|`` is at least the observed ``|D|`` (with a relative tolerance of 1e-9 for
rounding):

* **exact** when there are at most ``exact_limit`` (default 10,000)
  assignments, ``C(n, k)``: all of them are enumerated, the observed one
  included, so ``p >= 1 / C(n, k)``;
* **Monte Carlo** otherwise: up to ``permutations`` (default 9,999) random
  assignments drawn with ``numpy.random.default_rng(seed)`` (``seed`` defaults
  to :data:`analysis.config.SEED`), the same sequence for every term, and
  ``p = (1 + #{|D*| >= |D|}) / (permutations + 1)`` (Davison & Hinkley 1997,
  eq. 4.11; Phipson & Smyth 2010), so ``p >= 1 / (permutations + 1)``. To keep
  thousands of terms cheap, the draws are *sequential* (Besag & Clifford
  1991): a term whose statistic has been reached by ``stop_at`` (default 10)
  random assignments stops there, after ``L`` draws, with ``p = stop_at / L``.
  Such a term has ``p >= stop_at / permutations`` (about 0.001), so only terms
  far from any threshold stop early; the p-value stays valid (Besag &
  Clifford's theorem), and ``stop_at=None`` draws all permutations for every
  term.

The smallest reachable p-value, ``p_min``, is reported with every result: with
five documents and a target of one, no term can have p < 0.2, however often it
occurs. A side with fewer than ``min_docs`` (default 2) documents gets no test
(``method = "too few documents"``, p = NaN): with one document per group the
test can only ask whether that document differs from the others, which says
nothing about its group.

All terms are tested at once: for a block of assignments (rows of a 0/1
matrix ``M``) and a block of terms, the target's sums of rates ``M @ R`` are one
matrix product with the documents × terms rates ``R`` (dense per block of
terms), and ``D = (M @ R)(1/k + 1/(n-k)) - colsum(R)/(n-k)``, so the cost is
that of a few BLAS calls per block, not a loop over terms.

References: Lijffijt, J., Nevalainen, T., Säily, T., Papapetrou, P.,
Puolamäki, K. & Mannila, H. (2016). Significance testing of word frequencies
in corpora. *Digital Scholarship in the Humanities* 31(2): 374–397.
Besag, J. & Clifford, P. (1991). Sequential Monte Carlo
p-values. *Biometrika* 78(2): 301–304. Good, P. (2005). *Permutation, Parametric and Bootstrap Tests of
Hypotheses*, 3rd ed., Springer. Davison, A. C. & Hinkley, D. V. (1997).
*Bootstrap Methods and their Application*, ch. 4. Phipson, B. & Smyth, G. K.
(2010). Permutation p-values should never be zero. *Statistical Applications
in Genetics and Molecular Biology* 9(1): 39.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations, islice
from math import comb

import numpy as np
from scipy import sparse

from ..config import SEED

__all__ = ["PermutationTest", "document_permutation_test", "document_rates", "permutation_design", "EXACT_LIMIT", "PERMUTATIONS", "STOP_AT", "MIN_DOCS_PER_SIDE",
           "TOO_FEW"]

#: Enumerate every assignment when there are at most this many.
EXACT_LIMIT = 10_000
#: Random assignments of the Monte Carlo test (p-values down to 1/10,000).
PERMUTATIONS = 9_999
#: Sequential Monte Carlo: a term stops at this many exceedances (Besag & Clifford 1991).
STOP_AT = 10
#: Documents each side needs for a test.
MIN_DOCS_PER_SIDE = 2
#: ``method`` of a comparison that cannot be tested.
TOO_FEW = "too few documents"

#: assignments and terms handled per matrix product (memory: about 8 · _ROWS · _COLS bytes per temporary)
_ROWS = 1024
_COLS = 2048
#: the first block of random assignments (blocks then double up to _ROWS)
_FIRST_ROWS = 128


@dataclass
class PermutationTest:
    """Result of :func:`document_permutation_test` for one comparison.

    Attributes
    ----------
    p : numpy.ndarray
        Two-sided p-value per term (NaN when the comparison cannot be tested).
    statistic : numpy.ndarray
        Observed difference of the sides' mean relative frequencies (per document) per term.
    method : str
        ``"exact"``, ``"monte carlo"`` or ``"too few documents"``.
    arrangements : int
        Assignments compared with the observed one: ``C(n, k)`` (exact), the
        number of random permutations (Monte Carlo), or ``C(n, k)`` (untested).
    p_min : float
        The smallest p-value the test can give (``1/C(n, k)`` or ``1/(permutations+1)``).
    """

    p: np.ndarray
    statistic: np.ndarray
    method: str
    arrangements: int
    p_min: float


def _assignment_blocks(n: int, k: int, exact: bool, permutations: int, seed):
    """Blocks of 0/1 rows, each an assignment of k target documents among n: all of them, or random ones."""
    if exact:
        combos = combinations(range(n), k)
        while True:
            chunk = list(islice(combos, _ROWS))
            if not chunk:
                return
            rows = np.zeros((len(chunk), n))
            rows[np.repeat(np.arange(len(chunk)), k), np.asarray(chunk, dtype=np.int64).ravel()] = 1.0
            yield rows
    rng = np.random.default_rng(seed)
    drawn, size = 0, _FIRST_ROWS  # small blocks first: most terms stop early (sequential Monte Carlo)
    while drawn < permutations:
        size = min(size, permutations - drawn)
        rows = np.zeros((size, n))
        picks = np.argpartition(rng.random((size, n)), k - 1, axis=1)[:, :k]  # the k smallest: a uniform k-subset
        np.put_along_axis(rows, picks, 1.0, axis=1)
        yield rows
        drawn += size
        size = min(2 * size, _ROWS)


def _difference(assign: np.ndarray, rates: np.ndarray, k: int, col_total: np.ndarray) -> np.ndarray:
    """Mean rate of the target minus mean rate of the reference, per assignment (rows) and term (columns)."""
    n = assign.shape[1]
    d = assign @ rates
    d *= 1.0 / k + 1.0 / (n - k)
    d -= col_total[None, :] / (n - k)
    return d


def document_permutation_test(counts, sizes, in_target, *, permutations: int = PERMUTATIONS,
                              exact_limit: int = EXACT_LIMIT, seed=SEED, min_docs: int = MIN_DOCS_PER_SIDE,
                              stop_at: int | None = STOP_AT) -> PermutationTest:
    """Permutation test of the difference in each term's mean relative frequency per document, documents as units.

    Parameters
    ----------
    counts : scipy.sparse matrix or 2-D array
        Documents × terms counts of the documents of both sides (only these),
        for the terms to test.
    sizes : array-like
        Content tokens of each document (the whole vocabulary, not only the tested terms).
    in_target : array-like of bool
        Which documents are the target (the others are the reference).
    permutations : int
        Random assignments when the test is not exact (default 9,999).
    exact_limit : int
        Enumerate all ``C(n, k)`` assignments when there are at most this many (default 10,000).
    seed : int or numpy SeedSequence
        Seed of the Monte Carlo generator (default :data:`analysis.config.SEED`).
    min_docs : int
        Documents each side needs (default 2); otherwise no test.
    stop_at : int or None
        Monte Carlo only: stop drawing for a term once this many random
        assignments have reached its statistic (default 10; Besag & Clifford
        1991). None draws all ``permutations`` for every term.

    Returns
    -------
    PermutationTest
        See the module docstring for the statistic and the p-values.
    """
    x = sparse.csc_matrix(counts, dtype=float)
    sizes = np.asarray(sizes, dtype=float).ravel()
    t = np.asarray(in_target, dtype=bool).ravel()
    n, n_terms = x.shape
    if sizes.shape != (n,) or t.shape != (n,):
        raise ValueError(f"sizes and in_target need one value per document ({n})")
    k = int(t.sum())
    rates = document_rates(x, sizes)
    col_total = np.asarray(rates.sum(axis=0)).ravel()
    observed = _observed(rates, t, col_total)
    method, arrangements, p_min = permutation_design(n, k, permutations=permutations, exact_limit=exact_limit,
                                              min_docs=min_docs)
    if method == TOO_FEW:
        return PermutationTest(np.full(n_terms, np.nan), observed, method, arrangements, p_min)
    sequential = method == "monte carlo" and stop_at is not None
    exceed = np.zeros(n_terms)
    p = np.full(n_terms, np.nan)
    active = np.arange(n_terms)
    bar = np.abs(observed) * (1.0 - 1e-9)
    done = 0
    for assign in _assignment_blocks(n, k, method == "exact", permutations, seed):
        for j0 in range(0, len(active), _COLS):
            cols = active[j0:j0 + _COLS]
            diff = _difference(assign, rates[:, cols].toarray(), k, col_total[cols])
            hits = np.abs(diff) >= bar[None, cols]
            exceed[cols] += hits.sum(axis=0)
            if sequential:  # Besag & Clifford: a term stops at its stop_at-th exceedance
                stop = np.flatnonzero(exceed[cols] >= stop_at)
                if len(stop):
                    before = exceed[cols[stop]] - hits[:, stop].sum(axis=0)
                    at = np.argmax(np.cumsum(hits[:, stop], axis=0) + before[None, :] >= stop_at, axis=0)
                    p[cols[stop]] = stop_at / (done + at + 1.0)
        done += len(assign)
        if sequential:
            active = active[np.isnan(p[active])]
            if not len(active):
                break
    if method == "exact":
        return PermutationTest(exceed / arrangements, observed, method, arrangements, p_min)
    rest = np.isnan(p)
    p[rest] = (exceed[rest] + 1.0) / (permutations + 1.0)
    return PermutationTest(p, observed, method, arrangements, p_min)


def permutation_design(n: int, k: int, *, permutations: int = PERMUTATIONS, exact_limit: int = EXACT_LIMIT,
                min_docs: int = MIN_DOCS_PER_SIDE) -> tuple[str, int, float]:
    """Which test :func:`document_permutation_test` runs for ``k`` target documents among ``n``.

    Returns ``(method, arrangements, p_min)``: ``"too few documents"`` when a
    side has fewer than ``min_docs`` documents (``arrangements = C(n, k)``,
    ``p_min = 1/C(n, k)``: what the test could give at best); ``"exact"``
    when ``C(n, k) <= exact_limit`` (``p_min = 1/C(n, k)``); else ``"monte
    carlo"`` (``arrangements = permutations``, ``p_min = 1/(permutations + 1)``).
    """
    if permutations < 1 or exact_limit < 1:
        raise ValueError("permutations and exact_limit must be positive")
    total = comb(n, k)
    if min(k, n - k) < max(1, min_docs):
        return TOO_FEW, total, 1.0 / total
    if total <= exact_limit:
        return "exact", total, 1.0 / total
    return "monte carlo", permutations, 1.0 / (permutations + 1.0)


def _observed(rates: sparse.csc_matrix, t: np.ndarray, col_total: np.ndarray) -> np.ndarray:
    """The observed statistic, with the same arithmetic as the permuted ones."""
    n, k = len(t), int(t.sum())
    if rates.shape[1] == 0 or k in (0, n):
        return np.zeros(rates.shape[1])
    s = np.asarray(t.astype(float) @ rates).ravel()
    return s * (1.0 / k + 1.0 / (n - k)) - col_total / (n - k)


def document_rates(counts, sizes) -> sparse.csc_matrix:
    """Each document's relative frequency of each term, ``counts / sizes`` by row (0 for an empty document)."""
    sizes = np.asarray(sizes, dtype=float).ravel()
    inv = np.divide(1.0, sizes, out=np.zeros_like(sizes), where=sizes > 0)
    return sparse.csc_matrix(sparse.diags(inv) @ sparse.csr_matrix(counts, dtype=float))
