"""How much the log-odds ranking moves with the weight α0 of its prior (Monroe, Colaresi & Quinn 2008).

The ``logodds_z`` of :func:`analysis.keyness` shrinks each term towards its
background rate with a Dirichlet prior worth ``α0`` pseudo-tokens. Small α0
gives nearly raw log-odds (rare terms with extreme ratios rise); large α0
shrinks hard (frequent terms dominate, as with G²). :func:`alpha0_sensitivity`
recomputes the ranking over a grid of α0 and compares each with the default
(α0 = the background's size) and with G².
"""
from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd
from scipy import stats

from ..config import DEFAULT_BY
from ..corpus import Corpus
from ..vectors import dfm
from .keyness import background_counts, keyness_dfm, top_terms

__all__ = ["alpha0_sensitivity", "ALPHA0_SCALES"]

#: The default grid: α0 as these multiples of the background's size (1 is the default α0).
ALPHA0_SCALES = (0.001, 0.01, 0.1, 1.0, 10.0)


def alpha0_sensitivity(corp: Corpus, by: str | None = DEFAULT_BY, *, alpha0s: Iterable[float] | None = None,
                       n: int = 25, compare: str = "rest", groups: Iterable[str] | None = None, min_count: int = 3,
                       background=None, **options) -> pd.DataFrame:
    """The log-odds ranking of each comparison across a grid of α0, against the default α0 and against G².

    Parameters
    ----------
    corp : Corpus
    by : str or None
        Grouping column, as in :func:`analysis.keyness`.
    alpha0s : iterable of float, optional
        The α0 to try. Default: :data:`ALPHA0_SCALES` times the background's
        size (the default α0), plus 1000 (this suite's fixed α0 before issue 15).
    n : int
        Size of the top lists compared (default 25).
    compare, groups, min_count, background, **options
        As in :func:`analysis.keyness` (``**options`` are tokenizer options).

    Returns
    -------
    DataFrame
        One row per comparison and α0: group, reference, alpha0, scale (α0
        divided by the default), rho (Spearman's rank correlation of
        ``logodds_z`` with the default's ``logodds_z`` over every tested
        term), top_shared (how many of the ``n`` terms ranked first by
        ``logodds_z`` are also among the default's first ``n``), top_shared_g2
        (the same against the first ``n`` by G²), and top (those ``n`` terms,
        joined by "、"). Terms are ranked over-represented first, as in
        :func:`analysis.top_terms`. The documents are not used here: the
        rows are the terms kept by ``min_count``, before any ``min_docs``
        filter.
    """
    d = dfm(corp, by=by, **options)
    prior = np.asarray(d.matrix.sum(axis=0), dtype=float).ravel() if background is None \
        else background_counts(background, d.terms)
    default = float(prior.sum())
    grid = sorted({float(a) for a in alpha0s}) if alpha0s is not None \
        else sorted({default * k for k in ALPHA0_SCALES} | {1000.0})
    if not grid or min(grid) <= 0:
        raise ValueError("alpha0s must be positive numbers")

    def table(alpha0):
        return keyness_dfm(d, compare=compare, groups=groups, min_count=min_count, correction=None, alpha0=alpha0,
                           background=prior)

    base = table(default)
    keys = ["group", "reference", "term"]
    base_top = {k: set(part["term"]) for k, part in top_terms(base, n, by="logodds_z").groupby(["group", "reference"])}
    g2_top = {k: set(part["term"]) for k, part in top_terms(base, n, by="g2").groupby(["group", "reference"])}
    rows = []
    for alpha0 in grid:
        kw = table(alpha0)
        merged = kw[keys + ["logodds_z"]].merge(base[keys + ["logodds_z"]], on=keys, suffixes=("", "_default"))
        tops = top_terms(kw, n, by="logodds_z")
        for (g, r), part in merged.groupby(["group", "reference"], sort=True):
            top = tops[(tops["group"] == g) & (tops["reference"] == r)]["term"].tolist()
            rho = stats.spearmanr(part["logodds_z"], part["logodds_z_default"]).statistic if len(part) > 2 else np.nan
            rows.append({"group": g, "reference": r, "alpha0": alpha0, "scale": alpha0 / default, "rho": rho,
                         "top_shared": len(set(top) & base_top.get((g, r), set())),
                         "top_shared_g2": len(set(top) & g2_top.get((g, r), set())), "top": "、".join(top)})
    return pd.DataFrame(rows)
