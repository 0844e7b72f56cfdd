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
    whole corpus in :func:`keyness`, or a background corpus you name) and
    ``alpha0`` the prior's weight in pseudo-tokens.
    ``δ = ln((a+α)/(N1+α0-a-α)) - ln((b+α)/(N2+α0-b-α))``,
    ``σ² ≈ 1/(a+α) + 1/(b+α)``, ``z = δ/σ``. Rare terms are shrunk towards
    zero, which makes the ranking less noisy than raw log-odds.

    **The default α0 is the size of the background** (its total count), so
    that ``α_w`` is the term's own count in the background. In Monroe et al.
    (2008) α0 is a parameter of the prior, the number of tokens the prior is
    worth against the observed counts. A fixed α0 (this suite used
    1000 until issue 15) is worth less and less as the corpus grows, so the
    ranking slides from "shrunk" towards raw log-odds with corpus size: on a
    national corpus a term with 129 occurrences in one era and none elsewhere
    ranked 1st by G² and 210th by z with α0 = 1000. Scaling α0 with the
    background keeps the prior's weight relative to the data the same on any
    corpus; it is also what implementations do that take the background
    corpus's counts themselves as ``α_w`` (for example K. Kawintiranon's
    ``log-odds-ratio``, github.com/kornosk/log-odds-ratio).
    Pass ``alpha0=`` to choose another weight, and see
    :func:`analysis.alpha0_sensitivity` for how much the ranking moves.

Options from quanteda's ``textstat_keyness`` (all off by default, so the
numbers above stay those of scipy; see :mod:`analysis.methods.contingency`):

``williams=True``
    ``g2`` and ``p_value`` are divided by Williams' (1976) factor ``q``.
``yates=True``
    ``chi2`` and ``chi2_p`` use Yates' continuity correction.
``fisher=True``
    adds ``fisher_p``, the two-sided p-value of Fisher's exact test, for
    small counts where the χ² approximations are poor.

quanteda's ``correction = "default"`` applies Yates to χ² and (its
documentation says) Williams to G²; its C++ code, ``src/keyness.cpp``, applies
under "default" a Yates-type adjustment to both, and only when an expected count
is below 5. We keep both corrections off: the uncorrected statistics are those
of Dunning (1993) and Rayson & Garside (2000) that keyness studies report, and
scipy's (``chi2_contingency(correction=False)``), which the tests check against;
the corrections change only rare terms, for which ``fisher_p`` is the exact
answer and the document-level test below the honest one.

Swapping target and reference flips the sign of ``g2``, ``log_ratio`` and
``logodds_z`` and leaves the p-values unchanged.

Caveat for readers: every test above treats tokens as independent draws. Words
in a text are not independent (a document repeats its topic words), so these
p-values are optimistic, especially for small corpora; read effect sizes (log
ratio and its interval) and the concordance lines, not only significance.

:func:`keyness` (built from the documents, not only the group totals) adds
what the token-level table cannot see:

* **dispersion**: ``docs`` (documents in the group), ``docs_using``
  (documents that use the term), Gries' ``dp`` and ``dp_norm`` over the
  group's documents (:mod:`analysis.methods.dispersion`), and the same for the
  reference (``ref_docs``, ``ref_docs_using``, ``ref_dp``);
* **documents as the unit of inference**: ``doc_p``, the p-value of a
  permutation test that reassigns whole documents between the two sides
  (:mod:`analysis.methods.permutation`), ``doc_p_adj`` (same correction as
  ``p_adj``), ``doc_p_min`` (the smallest p-value the test could give: with
  five documents and a group of one, 0.2) and ``doc_test`` (``"exact"``,
  ``"monte carlo"``, or ``"too few documents"`` when a side has fewer than 2
  documents, with a warning);
* **the min_docs rule** (default 2): a term is kept only if at least
  ``min(min_docs, n)`` of the ``n`` documents of the side that uses it more
  (the target for a positive ``g2``, the reference for a negative one) use
  it. A one-document side is never filtered (its one document uses the term),
  a side of several documents drops terms that only one of them uses. The
  rule is symmetric: swapping target and reference keeps the same terms.
  ``p_adj`` and ``doc_p_adj`` are computed before it, over every term kept by
  ``min_count``, so the filter does not change them.

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
"""
from __future__ import annotations

import warnings
from collections.abc import Mapping
from itertools import permutations
from typing import Iterable

import numpy as np
import pandas as pd
from scipy import sparse, stats

from ..corpus import Corpus
from ..config import DEFAULT_BY, SEED
from ..errors import AnalysisError
from ..pool import progress_bar
from ..vectors import Dfm, dfm
from .contingency import fisher_exact_p, williams_q, yates_chi2
from .dispersion import gries_dp
from .permutation import (EXACT_LIMIT, MIN_DOCS_PER_SIDE, PERMUTATIONS, TOO_FEW, document_permutation_test,
                          permutation_design)

__all__ = ["keyness", "keyness_dfm", "keyness_stats", "adjust_pvalues", "top_terms", "measure_agreement", "REST",
           "KEYNESS_COLUMNS", "DOCUMENT_COLUMNS", "MIN_DOCS", "background_counts", "group_rows", "document_columns",
           "filter_min_docs", "MIN_GROUP_TOKENS", "GroupSizeError", "MANY_COMPARISONS"]

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

#: Columns :func:`keyness` adds from the documents (dispersion and the document-level test), with their types.
DOCUMENT_DTYPES = {
    "docs": np.int64, "docs_using": np.int64, "dp": float, "dp_norm": float, "ref_docs": np.int64,
    "ref_docs_using": np.int64, "ref_dp": float, "doc_p": float, "doc_p_adj": float, "doc_p_min": float,
    "doc_test": object,
}
#: Columns :func:`keyness` adds after :data:`KEYNESS_COLUMNS`, in order.
DOCUMENT_COLUMNS = list(DOCUMENT_DTYPES)

#: Default of ``min_docs``: a term must be used by two documents of the side that uses it more.
MIN_DOCS = 2


def _xlogx_over_e(o: np.ndarray, e: np.ndarray) -> np.ndarray:
    """``o · ln(o/e)`` with ``0 · ln 0 = 0`` (and 0 where ``e`` is 0, which implies ``o`` is 0)."""
    out = np.zeros_like(o, dtype=float)
    ok = o > 0
    out[ok] = o[ok] * np.log(o[ok] / e[ok])
    return out


def keyness_stats(target: Iterable[float], reference: Iterable[float], *, target_total: float | None = None,
                  reference_total: float | None = None, prior: Iterable[float] | None = None,
                  alpha0: float | None = None, smoothing: float = 0.5, ci: float = 0.95, williams: bool = False,
                  yates: bool = False, fisher: bool = False) -> pd.DataFrame:
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
        the whole vocabulary (or give the proportions yourself, with an
        explicit ``alpha0``), not a selection of terms.
    alpha0 : float, optional
        Total pseudo-count of the prior. Default: the sum of ``prior`` (so
        ``α_w`` is the term's background count; pass counts, not proportions,
        or give ``alpha0``). Until issue 15 the default was 1000.
    smoothing : float
        Value that replaces a zero count in ``log_ratio`` and its interval (default 0.5).
    ci : float
        Level of the log-ratio confidence interval (default 0.95).
    williams : bool
        Divide ``g2`` by Williams' correction factor (and take ``p_value`` from
        the corrected value); see :func:`analysis.methods.contingency.williams_q`.
    yates : bool
        ``chi2`` (and ``chi2_p``) with Yates' continuity correction; see
        :func:`analysis.methods.contingency.yates_chi2`.
    fisher : bool
        Add ``fisher_p``, the two-sided p-value of Fisher's exact test; see
        :func:`analysis.methods.contingency.fisher_exact_p`.

    Returns
    -------
    DataFrame
        One row per term, in input order: count, ref_count, g2, p_value,
        chi2, chi2_p, log_ratio, log_ratio_low, log_ratio_high, logodds_z
        (and fisher_p). See the module docstring for the formulas.
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
    if alpha0 is not None and alpha0 <= 0:
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
    if williams:
        g2 = g2 / williams_q(a, b, n1, n2)
    sign = np.sign(a / n1 - b / n2)
    with np.errstate(divide="ignore", invalid="ignore"):
        cells = [(o - e) ** 2 / e for o, e in ((a, e_a), (b, e_b), (c, e_c), (d, e_d))]
    chi2 = np.nansum(np.vstack([np.where(np.isfinite(x), x, 0.0) for x in cells]), axis=0)
    if yates:
        chi2 = yates_chi2(a, b, n1, n2)

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
    if alpha0 is None:
        alpha0 = float(bg.sum())
    alpha = alpha0 * bg / bg.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = (np.log((a + alpha) / (n1 + alpha0 - a - alpha))
                 - np.log((b + alpha) / (n2 + alpha0 - b - alpha)))
        sigma = np.sqrt(1.0 / (a + alpha) + 1.0 / (b + alpha))
        lo_z = np.where(alpha > 0, delta / sigma, 0.0)

    out = pd.DataFrame({
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
    if fisher:
        out["fisher_p"] = fisher_exact_p(a, b, n1, n2)
    return out


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


def background_counts(background, terms) -> np.ndarray:
    """A background corpus's count of each of ``terms``, for the prior of ``logodds_z``.

    ``background`` is a :class:`~analysis.vectors.Dfm` (rows summed), a
    Series or mapping term → count, or an array already aligned with
    ``terms``. Terms the background lacks get 0, and a warning says how many:
    they get no prior, and :func:`keyness_stats` gives them ``logodds_z = 0``.
    """
    terms = list(terms)
    if isinstance(background, Dfm):
        background = pd.Series(np.asarray(background.matrix.sum(axis=0)).ravel(), index=background.terms)
    if isinstance(background, Mapping):
        background = pd.Series(background, dtype=float)
    if isinstance(background, pd.Series):
        bg = background.groupby(level=0).sum().reindex(terms).fillna(0.0).to_numpy(dtype=float)
    else:
        bg = np.asarray(background, dtype=float).ravel()
        if bg.shape != (len(terms),):
            raise ValueError(f"background must be a Dfm, a Series or mapping term -> count, or {len(terms)} counts "
                             f"aligned with the terms; got shape {bg.shape}")
    if (bg < 0).any() or bg.sum() <= 0:
        raise ValueError("background counts must be non-negative and not all zero")
    missing = int((bg == 0).sum())
    if missing:
        warnings.warn(f"{missing} of {len(terms)} terms are absent from the background corpus: they get no prior "
                      "and logodds_z = 0", UserWarning, stacklevel=3)
    return bg


def keyness_dfm(d: Dfm, *, compare: str = "rest", groups: Iterable[str] | None = None, min_count: int = 3,
                correction: str | None = "bh", alpha0: float | None = None, smoothing: float = 0.5,
                ci: float = 0.95, background=None, williams: bool = False, yates: bool = False,
                fisher: bool = False) -> pd.DataFrame:
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
    alpha0, smoothing, ci, williams, yates, fisher
        See :func:`keyness_stats`. The prior of ``logodds_z`` is the term
        proportions of all rows of ``d`` (the whole corpus), or of
        ``background``; ``alpha0`` defaults to that background's total count.
    background : Dfm, Series, mapping or array-like, optional
        Counts of a background corpus for the prior of ``logodds_z``: a
        :class:`~analysis.vectors.Dfm` (its rows are summed), a Series or dict
        term → count, or an array aligned with ``d.terms``. Terms it lacks get
        no prior and ``logodds_z = 0`` (a warning says how many).

    Returns
    -------
    DataFrame
        :data:`KEYNESS_COLUMNS` (and ``fisher_p``, ``fisher_p_adj`` with
        ``fisher=True``), sorted by group, reference, g2 descending (most
        over-represented first), then term. A grouped Dfm has no documents, so
        there are no dispersion or document-level columns: use
        :func:`keyness` for those. A comparison with fewer than
        :data:`MIN_GROUP_TOKENS` (10) tokens on a side is left out, with a
        warning (see the module docstring).

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
    corpus_counts = counts.sum(axis=0) if background is None else background_counts(background, d.terms)
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
                           alpha0=alpha0, smoothing=smoothing, ci=ci, williams=williams, yates=yates,
                           fisher=fisher)
        keep = (a + b) >= max(1, min_count)
        st = st[keep].reset_index(drop=True)
        st.insert(0, "term", terms[keep])
        st.insert(0, "reference", ref_label)
        st.insert(0, "group", target)
        chars_a, chars_b = n_chars[i], n_chars[j].sum()
        st["per_10k"] = st["count"] / chars_a * 1e4 if chars_a > 0 else np.nan
        st["ref_per_10k"] = st["ref_count"] / chars_b * 1e4 if chars_b > 0 else np.nan
        st["p_adj"] = adjust_pvalues(st["p_value"].to_numpy(), correction)
        if fisher:
            st["fisher_p_adj"] = adjust_pvalues(st["fisher_p"].to_numpy(), correction)
        frames.append(st)
    _refuse_small_groups(refused, bool(frames))
    columns = KEYNESS_COLUMNS + (["fisher_p", "fisher_p_adj"] if fisher else [])
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    out["count"] = out["count"].astype(np.int64)
    out["ref_count"] = out["ref_count"].astype(np.int64)
    out = out[columns]
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
            min_count: int = 3, correction: str | None = "bh", alpha0: float | None = None, smoothing: float = 0.5,
            ci: float = 0.95, min_docs: int | None = MIN_DOCS, doc_test: bool = True,
            permutations: int = PERMUTATIONS, exact_limit: int = EXACT_LIMIT, seed=SEED, background=None,
            williams: bool = False, yates: bool = False, fisher: bool = False, content: bool = True, phrases=True,
            **options) -> pd.DataFrame:
    """Distinctive vocabulary of each group of ``by``, with significance, effect size and the documents behind it.

    The rhetoric view: by default content words only (``content=True``: no pronouns, conjunctions,
    prepositions, particles, time or degree fillers; :func:`analysis.tokenize`) and the corpus's phrases
    counted as one token each (``phrases=True``: :func:`analysis.find_phrases`, so 营商环境 or 专精特新 are
    terms, not pieces). ``content=False, phrases=False`` counts every token as the segmenter cuts it.

    Parameters
    ----------
    corp : Corpus
    by : str
        Any manifest column (default ``$ANALYSIS_BY``, else ``region``); None
        compares each document with the rest.
    compare : {"rest", "pairwise"}
        One group against all others pooled (default), or against each other group.
    groups, min_count, correction, alpha0, smoothing, ci, background, williams, yates, fisher
        See :func:`keyness_dfm` and :func:`keyness_stats`. ``alpha0`` defaults
        to the background's total count (the corpus's tokens); it was 1000
        until issue 15.
    min_docs : int or None
        Keep a term only if at least ``min(min_docs, n)`` of the ``n``
        documents of the side that uses it more use it (default 2; None or 1:
        no filter). A one-document side is never filtered. See the module
        docstring.
    doc_test : bool
        Run the document-level permutation test (default True); False leaves
        ``doc_p`` empty and ``doc_test = "not run"``.
    permutations, exact_limit, seed
        Of the permutation test: random assignments of documents when there
        are more than ``exact_limit`` possible ones (default 9,999 and
        10,000), seeded with :data:`analysis.config.SEED`. See
        :func:`analysis.methods.permutation.document_permutation_test`.
    content : bool
        Count content words only (default).
    phrases : bool, table, path or token sequences
        Join phrases into single tokens: True (default) finds the corpus's own
        (a ``phrases.tsv`` in the corpus folder, reviewed, replaces them); a
        phrase table, a TSV path or token sequences give them; False joins none.
    **options
        Tokenizer options of :func:`analysis.tokenize`; ``drop_proper=True``
        leaves out proper nouns (tagged as names, or the name of a Chinese
        administrative division) for a rhetoric view rather than a geography one.

    Returns
    -------
    DataFrame
        group, reference, term, count, ref_count, per_10k, ref_per_10k
        (occurrences per 10,000 clean characters of the group's documents),
        g2, p_value, p_adj, chi2, chi2_p, log_ratio, log_ratio_low,
        log_ratio_high, logodds_z (token totals for the statistics are the
        content tokens kept by the tokenizer options); with ``fisher=True``
        fisher_p, fisher_p_adj; then :data:`DOCUMENT_COLUMNS`: docs,
        docs_using, dp, dp_norm, ref_docs, ref_docs_using, ref_dp, doc_p,
        doc_p_adj, doc_p_min, doc_test (see the module docstring). A group
        with fewer than :data:`MIN_GROUP_TOKENS` (10) content tokens is not
        compared, with a warning (Cochran's rule: see the module docstring);
        :class:`GroupSizeError` when no comparison is left.

    Warns
    -----
    UserWarning
        Once per call, naming the comparisons where a side has fewer than two
        documents: their ``doc_test`` is ``"too few documents"``.

    Examples
    --------
    >>> kw = keyness(corp, drop_proper=True)          # doctest: +SKIP
    >>> top_terms(kw, n=10)                                         # doctest: +SKIP
    """
    docs = dfm(corp, content=content, phrases=phrases, **options)
    labels = corp.groups(by).reindex(docs.rows).astype(str).to_numpy()
    table = keyness_dfm(group_rows(docs, labels), compare=compare, groups=groups, min_count=min_count,
                        correction=correction, alpha0=alpha0, smoothing=smoothing, ci=ci, background=background,
                        williams=williams, yates=yates, fisher=fisher)
    table = document_columns(table, docs, labels, correction=correction, doc_test=doc_test,
                             permutations=permutations, exact_limit=exact_limit, seed=seed)
    return filter_min_docs(table, min_docs)


def group_rows(docs: Dfm, labels) -> Dfm:
    """The documents × terms counts of ``docs`` summed into one row per label (sorted), as ``dfm(corp, by=...)``."""
    labels = np.asarray(labels, dtype=object)
    names = sorted(set(labels))
    code = {g: i for i, g in enumerate(names)}
    ind = sparse.csr_matrix((np.ones(len(labels)), ([code[g] for g in labels], np.arange(len(labels)))),
                            shape=(len(names), len(labels)))
    m = (ind @ docs.matrix).tocsr().astype(np.int64)
    n_chars = np.asarray(ind @ np.asarray(docs.n_chars)).astype(np.int64)
    return Dfm(m, names, list(docs.terms), n_chars)


def _side_columns(sub: sparse.csc_matrix, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Documents using each term, and its DP and DP_norm over these documents."""
    used = np.asarray((sub > 0).sum(axis=0)).ravel()
    if sub.shape[0] == 0 or sizes.sum() <= 0:
        nan = np.full(sub.shape[1], np.nan)
        return used, nan, nan
    dp, dp_norm = gries_dp(sub, sizes)
    return used, dp, dp_norm


def document_columns(table: pd.DataFrame, docs: Dfm, labels, *, correction: str | None = "bh", doc_test: bool = True,
                     permutations: int = PERMUTATIONS, exact_limit: int = EXACT_LIMIT, seed=SEED) -> pd.DataFrame:
    """Add the dispersion and document-level columns (:data:`DOCUMENT_COLUMNS`) to a keyness table.

    Parameters
    ----------
    table : DataFrame
        A :func:`keyness_dfm` table of the groups of ``labels``.
    docs : Dfm
        The documents × terms counts (``dfm(corp, **options)``), with the
        same vocabulary as the grouped Dfm the table was built from.
    labels : array-like
        The group of each row of ``docs``.
    correction, doc_test, permutations, exact_limit, seed
        See :func:`keyness`.

    Warns
    -----
    UserWarning
        Once, naming the comparisons that have a side of fewer than two documents.
    """
    labels = np.asarray(labels, dtype=object)
    m = docs.matrix.tocsr()
    sizes = np.asarray(m.sum(axis=1), dtype=float).ravel()
    term_index = pd.Index(docs.terms)
    columns = {col: np.empty(len(table), dtype=dtype) for col, dtype in DOCUMENT_DTYPES.items()}
    term_cols = term_index.get_indexer(table["term"])
    untestable = []
    for (target, reference), rows in table.groupby(["group", "reference"], sort=True).indices.items():
        cols = term_cols[rows]
        in_t = labels == target
        in_r = ~in_t if reference == REST else labels == reference
        sub = m[:, cols]  # one copy of the matrix at a time besides the corpus's (a large corpus's is big)
        used, dp, dp_norm = _side_columns(sub[in_t].tocsc(), sizes[in_t])
        ref_used, ref_dp, _ = _side_columns(sub[in_r].tocsc(), sizes[in_r])
        both = in_t | in_r
        method, _, p_min = permutation_design(int(both.sum()), int(in_t.sum()), permutations=permutations,
                                              exact_limit=exact_limit)
        p = np.full(len(cols), np.nan)
        if method == TOO_FEW:
            untestable.append(f"{target} vs {reference}: {int(in_t.sum())} and {int(in_r.sum())} documents")
        elif doc_test:
            p = document_permutation_test(sub[both], sizes[both], in_t[both], permutations=permutations,
                                          exact_limit=exact_limit, seed=seed).p
        values = {"docs": int(in_t.sum()), "docs_using": used, "dp": dp, "dp_norm": dp_norm,
                  "ref_docs": int(in_r.sum()), "ref_docs_using": ref_used, "ref_dp": ref_dp, "doc_p": p,
                  "doc_p_adj": p if np.isnan(p).all() else adjust_pvalues(p, correction),
                  "doc_p_min": p_min, "doc_test": method if doc_test else "not run"}
        for col, v in values.items():
            columns[col][rows] = v
    out = table.copy()
    for col, values in columns.items():
        out[col] = values
    if untestable and doc_test:
        named = "; ".join(untestable[:6]) + (f"; and {len(untestable) - 6} more" if len(untestable) > 6 else "")
        warnings.warn("no document-level test where a side has fewer than "
                      f"{MIN_DOCS_PER_SIDE} documents ({named}). "
                      "Their doc_test is 'too few documents' and doc_p is empty: with one document, a group's "
                      "keywords are that document's.", UserWarning, stacklevel=3)
    return out


def filter_min_docs(table: pd.DataFrame, min_docs: int | None = MIN_DOCS) -> pd.DataFrame:
    """Keep the terms used by at least ``min(min_docs, n)`` of the ``n`` documents of the side that uses them more.

    The side is the target for ``g2 > 0`` (``docs_using`` of ``docs``) and the
    reference for ``g2 < 0`` (``ref_docs_using`` of ``ref_docs``); a term used
    at the same rate on both sides is kept. ``min_docs`` None or 1 keeps
    everything. A one-document side never loses a term.
    """
    if min_docs is None or min_docs <= 1 or table.empty:
        return table
    need_t = np.minimum(min_docs, table["docs"].to_numpy())
    need_r = np.minimum(min_docs, table["ref_docs"].to_numpy())
    g2 = table["g2"].to_numpy()
    keep = np.where(g2 > 0, table["docs_using"].to_numpy() >= need_t,
                    np.where(g2 < 0, table["ref_docs_using"].to_numpy() >= need_r, True))
    return table[keep].reset_index(drop=True)


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

