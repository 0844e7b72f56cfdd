"""Keyness: which terms does one group use more (or less) than another?

Corpus linguistics compares word frequencies between a *target* and a
*reference* corpus with a 2×2 contingency table per term::

                    target      reference
    this term         a             b
    other tokens    c = N1 - a    d = N2 - b

where ``N1`` and ``N2`` are the numbers of (content) tokens of the target and
the reference. :func:`keyness_stats` computes, for each term, from plain count
vectors:

``g2``
    The log-likelihood statistic G² (Dunning 1993; Rayson & Garside 2000) in
    its four-cell form ``G² = 2 Σ O ln(O/E)`` over the whole table, with
    ``0 ln 0 = 0``. It is *signed*: positive when the term is relatively more
    frequent in the target (``a/N1 > b/N2``), negative when less.
    ``p_value`` is its upper tail on χ² with 1 degree of freedom. This is the
    same number as ``scipy.stats.chi2_contingency(table, correction=False,
    lambda_="log-likelihood")``.
``chi2``
    Pearson's χ² over the same four cells, *without* Yates' continuity
    correction (the usual choice in keyness studies), unsigned; ``chi2_p``.
``log_ratio``
    Hardie's (2014) Log Ratio, ``log2((a/N1) / (b/N2))``: each unit is a
    doubling of the relative frequency. A zero count (``a`` or ``b``) is
    replaced by ``smoothing`` (0.5 by default) before taking the ratio, so a
    term absent from one side gets a finite, conservative value; non-zero
    counts are used as they are. ``log_ratio_low`` / ``log_ratio_high`` is a
    Wald confidence interval for the log ratio of two Poisson rates:
    ``ln(RR) ± z · sqrt(1/a + 1/b)`` (same substitution for zeros),
    converted to base 2.
``logodds_z``
    The log-odds ratio with an informative Dirichlet prior of Monroe, Colaresi
    & Quinn (2008, "Fightin' words", eqs. 16–22), as a z-score. The prior for
    term w is ``alpha_w = alpha0 · π_w`` with ``π_w`` the term's proportion in
    the background counts (by default the target and reference pooled; the
    whole corpus in :func:`keyness`) and ``alpha0 = 1000`` pseudo-tokens by
    default. ``δ = ln((a+α)/(N1+α0-a-α)) - ln((b+α)/(N2+α0-b-α))``,
    ``σ² ≈ 1/(a+α) + 1/(b+α)``, ``z = δ/σ``. Rare terms are shrunk towards
    zero, which makes the ranking less noisy than raw log-odds.

Swapping target and reference flips the sign of ``g2``, ``log_ratio`` and
``logodds_z`` and leaves the p-values unchanged.

Groups too small to compare: a comparison whose target or reference has
fewer than :data:`MIN_GROUP_TOKENS` (10) content tokens is left out of the
table, with a warning naming the group and its token count (an error when no
comparison is left). The bound is Cochran's rule for χ² tests (every expected
count at least 5): a term's two expected counts in one column of the table sum
to that side's total (``E_a + E_c = N1``), so with fewer than 10 tokens no
term's table can meet it, and a statistic such as "significantly
under-represented" would rest on a handful of tokens. It does not depend on
the corpus. There is no minimum of documents: a group of one document (one
report per city) is this suite's usual case.

Caveat for readers: every test treats tokens as independent draws. Words in a
text are not independent (a document repeats its topic words), so p-values
are optimistic, especially for small corpora; read effect sizes (log ratio and
its interval) and the concordance lines, not only significance.
"""
from __future__ import annotations

import warnings
from itertools import permutations
from typing import Iterable

import numpy as np
import pandas as pd
from scipy import stats

from ..corpus import Corpus
from ..config import DEFAULT_BY
from ..errors import AnalysisError
from ..pool import progress_bar
from ..vectors import Dfm, dfm

__all__ = ["keyness", "keyness_dfm", "keyness_stats", "adjust_pvalues", "top_terms", "measure_agreement", "REST",
           "KEYNESS_COLUMNS", "MIN_GROUP_TOKENS", "GroupSizeError", "MANY_COMPARISONS"]

#: Label of the reference in one-vs-rest comparisons.
REST = "(rest)"

#: More comparisons than this (pairwise: about 32 groups) are announced with a warning, and a progress bar on a terminal.
MANY_COMPARISONS = 1_000

#: Fewest content tokens each side of a comparison needs (Cochran's rule; see the module docstring).
MIN_GROUP_TOKENS = 10


class GroupSizeError(AnalysisError, ValueError):
    """Every comparison of a keyness table has a side with fewer than :data:`MIN_GROUP_TOKENS` tokens."""


#: Columns of :func:`keyness`, in order.
KEYNESS_COLUMNS = [
    "group", "reference", "term", "count", "ref_count", "per_10k", "ref_per_10k", "g2", "p_value", "p_adj",
    "chi2", "chi2_p", "log_ratio", "log_ratio_low", "log_ratio_high", "logodds_z",
]


def _xlogx_over_e(o: np.ndarray, e: np.ndarray) -> np.ndarray:
    """``o · ln(o/e)`` with ``0 · ln 0 = 0`` (and 0 where ``e`` is 0, which implies ``o`` is 0)."""
    out = np.zeros_like(o, dtype=float)
    ok = o > 0
    out[ok] = o[ok] * np.log(o[ok] / e[ok])
    return out


def keyness_stats(target: Iterable[float], reference: Iterable[float], *, target_total: float | None = None,
                  reference_total: float | None = None, prior: Iterable[float] | None = None,
                  alpha0: float = 1000.0, smoothing: float = 0.5, ci: float = 0.95) -> pd.DataFrame:
    """Keyness statistics for every term from two count vectors.

    Parameters
    ----------
    target, reference : array-like of counts
        Counts of each term in the target and in the reference (same length).
    target_total, reference_total : float, optional
        Total tokens of each side (``N1``, ``N2``). Default: the sums of the
        vectors, which is right when the vectors cover the whole vocabulary.
    prior : array-like, optional
        Background counts for the Dirichlet prior of ``logodds_z``. Default:
        ``target + reference``. They are normalised over the vector, so pass
        the whole vocabulary (or give the proportions yourself), not a
        selection of terms.
    alpha0 : float
        Total pseudo-count of the prior (default 1000).
    smoothing : float
        Value that replaces a zero count in ``log_ratio`` and its interval (default 0.5).
    ci : float
        Level of the log-ratio confidence interval (default 0.95).

    Returns
    -------
    DataFrame
        One row per term, in input order: count, ref_count, g2, p_value,
        chi2, chi2_p, log_ratio, log_ratio_low, log_ratio_high, logodds_z.
        See the module docstring for the formulas.
    """
    a = np.asarray(target, dtype=float)
    b = np.asarray(reference, dtype=float)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError(f"target and reference must be 1-D and of equal length, got {a.shape} and {b.shape}")
    if (a < 0).any() or (b < 0).any():
        raise ValueError("counts must be non-negative")
    n1 = float(a.sum() if target_total is None else target_total)
    n2 = float(b.sum() if reference_total is None else reference_total)
    if n1 <= 0 or n2 <= 0:
        raise ValueError("target and reference need at least one token each")
    if (a > n1).any() or (b > n2).any():
        raise ValueError("a term's count cannot exceed its side's total")
    if smoothing <= 0:
        raise ValueError("smoothing must be positive")
    if alpha0 <= 0:
        raise ValueError("alpha0 must be positive")
    n = n1 + n2
    c, d = n1 - a, n2 - b
    row1 = a + b
    row2 = c + d
    # expected counts under "same relative frequency in both"
    e_a, e_b = row1 * n1 / n, row1 * n2 / n
    e_c, e_d = row2 * n1 / n, row2 * n2 / n
    g2 = 2.0 * (_xlogx_over_e(a, e_a) + _xlogx_over_e(b, e_b) + _xlogx_over_e(c, e_c) + _xlogx_over_e(d, e_d))
    g2 = np.maximum(g2, 0.0)  # rounding can leave -1e-15
    sign = np.sign(a / n1 - b / n2)
    with np.errstate(divide="ignore", invalid="ignore"):
        cells = [(o - e) ** 2 / e for o, e in ((a, e_a), (b, e_b), (c, e_c), (d, e_d))]
    chi2 = np.nansum(np.vstack([np.where(np.isfinite(x), x, 0.0) for x in cells]), axis=0)

    # Hardie's log ratio with a substitute for zero counts and a Wald interval
    a_s = np.where(a > 0, a, smoothing)
    b_s = np.where(b > 0, b, smoothing)
    ln_rr = np.log(a_s / n1) - np.log(b_s / n2)
    se = np.sqrt(1.0 / a_s + 1.0 / b_s)
    z = stats.norm.ppf(0.5 + ci / 2.0)
    log2 = np.log(2.0)

    # Monroe, Colaresi & Quinn (2008): informative Dirichlet prior
    bg = (a + b) if prior is None else np.asarray(prior, dtype=float)
    if bg.shape != a.shape:
        raise ValueError("prior must have the same length as the counts")
    if bg.sum() <= 0:
        raise ValueError("prior counts must not all be zero")
    alpha = alpha0 * bg / bg.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = (np.log((a + alpha) / (n1 + alpha0 - a - alpha))
                 - np.log((b + alpha) / (n2 + alpha0 - b - alpha)))
        sigma = np.sqrt(1.0 / (a + alpha) + 1.0 / (b + alpha))
        lo_z = np.where(alpha > 0, delta / sigma, 0.0)

    return pd.DataFrame({
        "count": a,
        "ref_count": b,
        "g2": sign * g2,
        "p_value": stats.chi2.sf(g2, 1),
        "chi2": chi2,
        "chi2_p": stats.chi2.sf(chi2, 1),
        "log_ratio": ln_rr / log2,
        "log_ratio_low": (ln_rr - z * se) / log2,
        "log_ratio_high": (ln_rr + z * se) / log2,
        "logodds_z": lo_z,
    })


def adjust_pvalues(p: Iterable[float], method: str | None = "bh") -> np.ndarray:
    """Adjust p-values for multiple comparisons.

    Parameters
    ----------
    p : array-like
    method : {"bh", "bonferroni", None}
        ``"bh"``: Benjamini–Hochberg false discovery rate (step-up, monotone,
        as ``scipy.stats.false_discovery_control``); ``"bonferroni"``:
        ``min(1, p · m)``; None: unchanged.
    """
    p = np.asarray(p, dtype=float)
    if method is None:
        return p.copy()
    if p.size == 0:
        return p.copy()
    if method == "bonferroni":
        return np.minimum(1.0, p * p.size)
    if method == "bh":
        return stats.false_discovery_control(p, method="bh")
    raise ValueError(f"correction must be 'bh', 'bonferroni' or None, not {method!r}")


def _comparisons(rows: list[str], compare: str, groups: Iterable[str] | None) -> list[tuple[str, list[str], str]]:
    if len(rows) < 2:
        raise ValueError(f"keyness needs at least two groups to compare; found {len(rows)} ({', '.join(rows)})")
    targets = list(rows) if groups is None else [str(g) for g in groups]
    unknown = [g for g in targets if g not in rows]
    if unknown:
        raise ValueError(f"unknown group(s) {unknown}; groups are {rows}")
    if compare == "rest":
        return [(g, [r for r in rows if r != g], REST) for g in targets]
    if compare == "pairwise":
        return [(g, [h], h) for g, h in permutations(rows, 2) if g in targets]
    raise ValueError(f"compare must be 'rest' or 'pairwise', not {compare!r}")


def keyness_dfm(d: Dfm, *, compare: str = "rest", groups: Iterable[str] | None = None, min_count: int = 3,
                correction: str | None = "bh", alpha0: float = 1000.0, smoothing: float = 0.5,
                ci: float = 0.95) -> pd.DataFrame:
    """Keyness of every term for every comparison of the rows of a grouped :class:`~analysis.vectors.Dfm`.

    Parameters
    ----------
    d : Dfm
        Built with ``dfm(corp, by=...)``: one row per group, ``n_chars`` per group.
    compare : {"rest", "pairwise"}
        ``"rest"``: each group against all other groups pooled (reference
        ``"(rest)"``). ``"pairwise"``: each group against each other group,
        in both directions (so filtering on ``group`` shows a complete view).
        More than :data:`MANY_COMPARISONS` comparisons are announced with a
        warning first; a progress bar counts them (on a terminal).
    groups : iterable of str, optional
        Only these target groups (default: all).
    min_count : int
        Keep terms with at least this many occurrences in target and
        reference together (default 3).
    correction : {"bh", "bonferroni", None}
        Multiple-comparison adjustment of ``p_value`` into ``p_adj``. The
        family is one comparison (one target against one reference): all the
        terms kept by ``min_count`` in it.
    alpha0, smoothing, ci
        See :func:`keyness_stats`. The prior of ``logodds_z`` is the term
        proportions of all rows of ``d`` (the whole corpus).

    Returns
    -------
    DataFrame
        :data:`KEYNESS_COLUMNS`, sorted by group, reference, g2 descending
        (most over-represented first), then term. A comparison with fewer
        than :data:`MIN_GROUP_TOKENS` (10) tokens on a side is left out, with
        a warning (see the module docstring).

    Raises
    ------
    GroupSizeError
        When every comparison has a side with fewer than :data:`MIN_GROUP_TOKENS` tokens.
    """
    adjust_pvalues([], correction)  # validate early
    rows = list(d.rows)
    m = d.matrix.tocsr()
    counts = np.asarray(m.toarray(), dtype=float)  # groups × terms; groups are few
    n_chars = np.asarray(d.n_chars, dtype=float)
    corpus_counts = counts.sum(axis=0)
    terms = np.asarray(d.terms, dtype=object)
    frames, refused = [], {}
    comparisons = _comparisons(rows, compare, groups)
    if len(comparisons) > MANY_COMPARISONS:
        warnings.warn(f"keyness: {len(comparisons):,} comparisons of {len(rows):,} groups over {len(terms):,} terms "
                      f"({compare}); this takes a while. Fix: compare='rest' (one comparison per group), or pass "
                      "groups=[...] to compare only some", UserWarning, stacklevel=3)
    for target, refs, ref_label in progress_bar(comparisons, desc="keyness", unit="comparison"):
        i = rows.index(target)
        j = [rows.index(r) for r in refs]
        a = counts[i]
        b = counts[j].sum(axis=0)
        n1, n2 = a.sum(), b.sum()
        if min(n1, n2) < MIN_GROUP_TOKENS:  # too few tokens to test (see the module docstring)
            refused[(target, ref_label)] = (int(n1), int(n2))
            continue
        st = keyness_stats(a, b, target_total=n1, reference_total=n2, prior=corpus_counts,
                           alpha0=alpha0, smoothing=smoothing, ci=ci)
        keep = (a + b) >= max(1, min_count)
        st = st[keep].reset_index(drop=True)
        st.insert(0, "term", terms[keep])
        st.insert(0, "reference", ref_label)
        st.insert(0, "group", target)
        chars_a, chars_b = n_chars[i], n_chars[j].sum()
        st["per_10k"] = st["count"] / chars_a * 1e4 if chars_a > 0 else np.nan
        st["ref_per_10k"] = st["ref_count"] / chars_b * 1e4 if chars_b > 0 else np.nan
        st["p_adj"] = adjust_pvalues(st["p_value"].to_numpy(), correction)
        frames.append(st)
    _refuse_small_groups(refused, bool(frames))
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=KEYNESS_COLUMNS)
    out["count"] = out["count"].astype(np.int64)
    out["ref_count"] = out["ref_count"].astype(np.int64)
    out = out[KEYNESS_COLUMNS]
    out = out.sort_values(["group", "reference", "g2", "term"], ascending=[True, True, False, True], kind="stable")
    return out.reset_index(drop=True)


def _refuse_small_groups(refused: dict, any_left: bool) -> None:
    """One warning listing the comparisons left out for too few tokens; an error when none is left."""
    if not refused:
        return
    small: dict[str, int] = {}
    for (target, ref), (n1, n2) in refused.items():
        for name, n in ((target, n1), (ref, n2)):
            if n < MIN_GROUP_TOKENS:
                small[name] = n
    listed = ", ".join(f"{name!r} ({n:,})" for name, n in small.items())
    message = (f"keyness needs at least {MIN_GROUP_TOKENS} content tokens on each side of a comparison "
               f"(Cochran's rule); these have fewer: {listed}, so {len(refused)} comparison(s) are left out"
               f"{'' if any_left else ', all of them'}. Fix: merge small groups, group by another column, or check "
               "those documents (a document that is one repeated character has almost no tokens)")
    if not any_left:
        raise GroupSizeError(message)
    warnings.warn(message, UserWarning, stacklevel=3)


def keyness(corp: Corpus, by: str | None = DEFAULT_BY, *, compare: str = "rest", groups: Iterable[str] | None = None,
            min_count: int = 3, correction: str | None = "bh", alpha0: float = 1000.0, smoothing: float = 0.5,
            ci: float = 0.95, **options) -> pd.DataFrame:
    """Distinctive vocabulary of each group of ``by``, with significance and effect size.

    Parameters
    ----------
    corp : Corpus
    by : str
        Any manifest column (default ``$ANALYSIS_BY``, else ``region``); None
        compares each document with the rest.
    compare : {"rest", "pairwise"}
        One group against all others pooled (default), or against each other group.
    groups, min_count, correction, alpha0, smoothing, ci
        See :func:`keyness_dfm` and :func:`keyness_stats`.
    **options
        Tokenizer options of :func:`analysis.tokenize`; ``drop_proper=True``
        leaves out proper nouns (places, people, organisations) for a
        "rhetoric" view rather than a geography one.

    Returns
    -------
    DataFrame
        group, reference, term, count, ref_count, per_10k, ref_per_10k
        (occurrences per 10,000 clean characters of the group's documents),
        g2, p_value, p_adj, chi2, chi2_p, log_ratio, log_ratio_low,
        log_ratio_high, logodds_z. Token totals (for the statistics) are the
        content tokens kept by the tokenizer options. A group with fewer than
        :data:`MIN_GROUP_TOKENS` (10) of them is not compared, with a warning
        (Cochran's rule: see the module docstring); :class:`GroupSizeError`
        when no comparison is left.

    Examples
    --------
    >>> kw = keyness(corp, drop_proper=True)          # doctest: +SKIP
    >>> top_terms(kw, n=10)                                         # doctest: +SKIP
    """
    d = dfm(corp, by=by, **options)
    return keyness_dfm(d, compare=compare, groups=groups, min_count=min_count, correction=correction,
                       alpha0=alpha0, smoothing=smoothing, ci=ci)


def top_terms(table: pd.DataFrame, n: int = 10, *, side: str = "positive", by: str = "g2") -> pd.DataFrame:
    """The ``n`` most over- (or under-) represented terms of each comparison of a :func:`keyness` table.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`keyness`.
    n : int
        Terms per comparison and side.
    side : {"positive", "negative", "both"}
        Over-represented in the target (``by > 0``), under-represented, or both.
    by : str
        Signed column to rank on: ``"g2"`` (default), ``"log_ratio"`` or ``"logodds_z"``.

    Returns
    -------
    DataFrame
        Same columns, per comparison the positive terms from the strongest
        down, then the negative ones from the strongest down; ties broken by term.
    """
    if side not in ("positive", "negative", "both"):
        raise ValueError(f"side must be 'positive', 'negative' or 'both', not {side!r}")
    parts = []
    if side in ("positive", "both"):
        pos = table[table[by] > 0].sort_values(["group", "reference", by, "term"], ascending=[True, True, False, True],
                                               kind="stable")
        parts.append(pos.groupby(["group", "reference"], sort=False).head(n).assign(_side=0))
    if side in ("negative", "both"):
        neg = table[table[by] < 0].sort_values(["group", "reference", by, "term"], ascending=[True, True, True, True],
                                               kind="stable")
        parts.append(neg.groupby(["group", "reference"], sort=False).head(n).assign(_side=1))
    out = pd.concat(parts)
    out["_rank"] = np.where(out["_side"] == 0, -out[by], out[by])
    out = out.sort_values(["group", "reference", "_side", "_rank", "term"], kind="stable")
    return out.drop(columns=["_side", "_rank"]).reset_index(drop=True)


def measure_agreement(table: pd.DataFrame, n: int = 20) -> pd.DataFrame:
    """How far the three keyness measures agree, per comparison.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`keyness`.
    n : int
        Size of the top lists compared.

    Returns
    -------
    DataFrame
        group, reference, terms (tested), rho_log_ratio and rho_logodds_z
        (Spearman rank correlation of each with ``g2`` over all tested
        terms), top_log_ratio and top_logodds_z (how many of the ``n`` most
        over-represented terms by ``g2`` are also among the ``n`` first by the
        other measure).
    """
    rows = []
    for (g, r), part in table.groupby(["group", "reference"], sort=True):
        top = {m: set(top_terms(part, n, by=m)["term"]) for m in ("g2", "log_ratio", "logodds_z")}
        rho = {m: stats.spearmanr(part["g2"], part[m]).statistic if len(part) > 2 else np.nan
               for m in ("log_ratio", "logodds_z")}
        rows.append({"group": g, "reference": r, "terms": len(part), "rho_log_ratio": rho["log_ratio"],
                     "rho_logodds_z": rho["logodds_z"], "top_log_ratio": len(top["g2"] & top["log_ratio"]),
                     "top_logodds_z": len(top["g2"] & top["logodds_z"])})
    return pd.DataFrame(rows)

