"""Corrections and an exact test for the 2×2 keyness table, vectorised over terms.

Each function takes, for every term, the cells of the table of
:mod:`analysis.methods.keyness`::

                    target      reference
    this term         a             b
    other tokens    n1 - a        n2 - b

as arrays ``a``, ``b`` (counts of the term) and the side totals ``n1``, ``n2``
(scalars or arrays), and returns one value per term. They are the options of
quanteda's ``textstat_keyness`` (quanteda.textstats, ``R/textstat_keyness.R``
and ``src/keyness.cpp``): ``correction = "williams"`` for the likelihood ratio,
``"yates"`` for χ², and ``measure = "exact"`` (Fisher's exact test, which
quanteda runs term by term with R's ``fisher.test``).

Where we follow the published formulas rather than quanteda's code, it says so:

* quanteda's Yates correction is applied only when ``|ad - bc| >= N/2`` and
  an expected count is below 5; :func:`yates_chi2` applies it to every table,
  as ``scipy.stats.chi2_contingency(correction=True)`` does (and Yates 1934).
* quanteda's Williams factor is 1 (no correction) when a cell is zero;
  :func:`williams_q` is Williams' (1976) formula for every table.
"""
from __future__ import annotations

import numpy as np
from scipy import stats

__all__ = ["williams_q", "yates_chi2", "fisher_exact_p"]


def _cells(a, b, n1, n2) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    n1 = np.broadcast_to(np.asarray(n1, dtype=float), a.shape)
    n2 = np.broadcast_to(np.asarray(n2, dtype=float), a.shape)
    return a, b, n1, n2


def williams_q(a, b, n1, n2) -> np.ndarray:
    """Williams' (1976) correction factor ``q`` for the G² of a 2×2 table; divide G² by it.

    For an r×c table (Williams 1976; Sokal & Rohlf, *Biometry*, 3rd ed., box
    17.6)::

        q = 1 + (N Σ 1/R_i - 1)(N Σ 1/C_j - 1) / (6 N (r-1)(c-1))

    which for the keyness table (rows: the term and the other tokens, with
    totals ``R1 = a + b`` and ``R2 = N - R1``; columns: ``n1`` and ``n2``) is::

        q = 1 + (N/R1 + N/R2 - 1)(N/n1 + N/n2 - 1) / (6N),   N = n1 + n2

    the same expression as ``williams_correction`` in quanteda.textstats'
    ``src/keyness.cpp``. ``q > 1``, so the corrected G² is smaller; it matters
    for rare terms (``R1`` small), where G²'s χ² approximation is too liberal.
    A table with an empty row (the term never occurs, or is every token) gets
    ``q = 1`` (its G² is 0 anyway).
    """
    a, b, n1, n2 = _cells(a, b, n1, n2)
    n = n1 + n2
    r1 = a + b
    r2 = n - r1
    with np.errstate(divide="ignore", invalid="ignore"):
        q = 1.0 + (n / r1 + n / r2 - 1.0) * (n / n1 + n / n2 - 1.0) / (6.0 * n)
    return np.where((r1 > 0) & (r2 > 0), q, 1.0)


def yates_chi2(a, b, n1, n2) -> np.ndarray:
    """Pearson's χ² of the 2×2 table with Yates' (1934) continuity correction.

    ``χ² = Σ max(|O - E| - 0.5, 0)² / E`` over the four cells, ``E`` the
    expected counts under equal relative frequencies. Every cell of a 2×2 table
    has the same ``|O - E|``; the correction never moves a cell past its expected
    value (a table with ``|O - E| < 0.5`` gets 0). This is exactly
    ``scipy.stats.chi2_contingency(table, correction=True).statistic``.
    Unsigned; a table with an empty row gets 0.
    """
    a, b, n1, n2 = _cells(a, b, n1, n2)
    n = n1 + n2
    r1 = a + b
    r2 = n - r1
    diff = np.maximum(np.abs(a - r1 * n1 / n) - 0.5, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        inv = 1.0 / (r1 * n1 / n) + 1.0 / (r1 * n2 / n) + 1.0 / (r2 * n1 / n) + 1.0 / (r2 * n2 / n)
        chi2 = diff ** 2 * inv
    return np.where((r1 > 0) & (r2 > 0), chi2, 0.0)


def _search(f, d, lo, hi, todo) -> np.ndarray:
    """Vectorised ``scipy.stats._stats_py._binary_search_for_binom_tst``: per element, the ``i`` in
    ``[lo, hi]`` with ``f(i) <= d < f(i + 1)`` for an ascending ``f`` (elements not in ``todo`` are ignored)."""
    lo, hi = lo.copy(), hi.copy()
    found = np.full(lo.shape, -1, dtype=np.int64)
    active = todo & (lo < hi)
    while active.any():
        mid = lo + (hi - lo) // 2
        val = np.full(lo.shape, np.nan)
        val[active] = f(mid, active)
        eq = active & (val == d)
        found[eq] = mid[eq]
        less = active & (val < d)
        more = active & (val > d)
        lo[less] = mid[less] + 1
        hi[more] = mid[more] - 1
        active = todo & (found < 0) & (lo < hi)
    out = found.copy()
    rest = todo & (found < 0)
    if rest.any():
        at_lo = np.full(lo.shape, np.nan)
        at_lo[rest] = f(lo, rest)
        out[rest] = np.where(at_lo[rest] <= d[rest], lo[rest], lo[rest] - 1)
    return out


def fisher_exact_p(a, b, n1, n2) -> np.ndarray:
    """Two-sided p-value of Fisher's exact test for each term's 2×2 table, vectorised.

    Conditional on the margins, the term's count in the target follows the
    hypergeometric distribution ``H(N, R1, n1)`` (population ``N = n1 + n2``
    tokens, ``R1 = a + b`` of them the term, ``n1`` drawn for the target). The
    two-sided p-value sums the probabilities of all tables no more probable
    than the observed one (with scipy's relative tolerance ``1 + 1e-14``):
    the algorithm of ``scipy.stats.fisher_exact`` (the mode, then a binary
    search for the boundary on the other side of the mode), run on arrays,
    with ``scipy.stats.hypergeom``. A table with an empty row gets p = 1, as
    in scipy. Equal to ``scipy.stats.fisher_exact([[a, b], [n1 - a, n2 - b]])``
    (checked in the tests) and to R's ``fisher.test``, which quanteda uses.
    """
    a, b, n1, n2 = _cells(a, b, n1, n2)
    if a.size == 0:
        return np.zeros(0)
    a = a.astype(np.int64)
    b = b.astype(np.int64)
    n1 = n1.astype(np.int64)
    n2 = n2.astype(np.int64)
    big = n1 + n2  # population
    r1 = a + b     # successes in the population (occurrences of the term)
    h = stats.hypergeom

    def pmf(x, sel):
        return h.pmf(x[sel], big[sel], r1[sel], n1[sel])

    p = np.ones(a.shape)
    live = (r1 > 0) & (r1 < big)
    mode = ((n1 + 1) * (r1 + 1) / (big + 2)).astype(np.int64)
    pexact = np.zeros(a.shape)
    pmode = np.zeros(a.shape)
    pexact[live] = pmf(a, live)
    pmode[live] = pmf(mode, live)
    gamma = 1 + 1e-14
    with np.errstate(divide="ignore", invalid="ignore"):
        at_mode = live & (np.abs(pexact - pmode) / np.maximum(pexact, pmode) <= 1e-14)
    lower = live & ~at_mode & (a < mode)
    upper = live & ~at_mode & (a >= mode)
    d = pexact * gamma

    if lower.any():
        plower = np.zeros(a.shape)
        plower[lower] = h.cdf(a[lower], big[lower], r1[lower], n1[lower])
        p_end = np.zeros(a.shape)
        p_end[lower] = pmf(n1, lower)
        only = lower & (p_end > d)
        p[only] = plower[only]
        todo = lower & ~only
        if todo.any():
            guess = _search(lambda x, sel: -pmf(x, sel), -d, mode, n1, todo)
            p[todo] = plower[todo] + h.sf(guess[todo], big[todo], r1[todo], n1[todo])
    if upper.any():
        pupper = np.zeros(a.shape)
        pupper[upper] = h.sf(a[upper] - 1, big[upper], r1[upper], n1[upper])
        p_end = np.zeros(a.shape)
        p_end[upper] = pmf(np.zeros_like(a), upper)
        only = upper & (p_end > d)
        p[only] = pupper[only]
        todo = upper & ~only
        if todo.any():
            guess = _search(pmf, d, np.zeros_like(a), mode, todo)
            p[todo] = pupper[todo] + h.cdf(guess[todo], big[todo], r1[todo], n1[todo])
    return np.minimum(p, 1.0)
