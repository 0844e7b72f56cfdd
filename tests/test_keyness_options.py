"""quanteda's keyness options and the log-odds prior: Williams, Yates, Fisher, α0 and a background corpus.

Each statistic against scipy or a hand computation from the published formula, on crafted tables.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import sparse, stats

import analysis
from analysis.methods.contingency import fisher_exact_p, williams_q, yates_chi2
from analysis.methods.keyness import KEYNESS_COLUMNS, keyness_dfm, keyness_stats
from analysis.vectors import Dfm

TABLES = [(10, 0, 100, 100), (0, 7, 50, 300), (3, 3, 1000, 1000), (30, 20, 1000, 4000), (1, 15, 2000, 2500),
          (50, 1, 60, 900), (12, 4, 200, 200), (2, 0, 5, 7), (8, 2, 10, 6), (1, 1, 3, 3)]


def _table(a, b, n1, n2):
    return [[a, b], [n1 - a, n2 - b]]


# --------------------------------------------------------------------------- Williams


def test_williams_q_by_hand():
    # a=30, b=20, n1=1000, n2=4000: N=5000, rows 50 and 4950, columns 1000 and 4000
    n = 5000
    hand = 1 + (n / 50 + n / 4950 - 1) * (n / 1000 + n / 4000 - 1) / (6 * n)
    assert williams_q([30], [20], 1000, 4000)[0] == pytest.approx(hand, rel=1e-14)
    # Sokal & Rohlf's general form with r = c = 2 is the same number
    rows, cols = [50, 4950], [1000, 4000]
    general = 1 + (n * sum(1 / r for r in rows) - 1) * (n * sum(1 / c for c in cols) - 1) / (6 * n * 1 * 1)
    assert williams_q([30], [20], 1000, 4000)[0] == pytest.approx(general, rel=1e-14)


@pytest.mark.parametrize("a,b,n1,n2", TABLES)
def test_williams_corrected_g2_is_scipy_g2_over_q(a, b, n1, n2):
    g = stats.chi2_contingency(_table(a, b, n1, n2), correction=False, lambda_="log-likelihood").statistic
    n, r1 = n1 + n2, a + b
    q = 1 + (n / r1 + n / (n - r1) - 1) * (n / n1 + n / n2 - 1) / (6 * n)
    r = keyness_stats([a], [b], target_total=n1, reference_total=n2, williams=True).iloc[0]
    assert abs(r["g2"]) == pytest.approx(g / q, rel=1e-10, abs=1e-12)
    assert r["p_value"] == pytest.approx(stats.chi2.sf(g / q, 1), rel=1e-10)
    plain = keyness_stats([a], [b], target_total=n1, reference_total=n2).iloc[0]
    assert np.sign(r["g2"]) == np.sign(plain["g2"])
    assert abs(r["g2"]) <= abs(plain["g2"])  # q > 1
    for col in ("chi2", "chi2_p", "log_ratio", "logodds_z"):  # nothing else changes
        assert r[col] == plain[col]


def test_williams_q_empty_row_is_one():
    assert williams_q([0], [0], 10, 10)[0] == 1.0
    assert williams_q([10], [10], 10, 10)[0] == 1.0


# --------------------------------------------------------------------------- Yates


@pytest.mark.parametrize("a,b,n1,n2", TABLES)
def test_yates_chi2_matches_scipy(a, b, n1, n2):
    c = stats.chi2_contingency(_table(a, b, n1, n2), correction=True)
    r = keyness_stats([a], [b], target_total=n1, reference_total=n2, yates=True).iloc[0]
    assert r["chi2"] == pytest.approx(c.statistic, rel=1e-10, abs=1e-12)
    assert r["chi2_p"] == pytest.approx(c.pvalue, rel=1e-10)
    plain = keyness_stats([a], [b], target_total=n1, reference_total=n2).iloc[0]
    for col in ("g2", "p_value", "log_ratio", "logodds_z"):
        assert r[col] == plain[col]


def test_yates_by_hand():
    # a=12, b=4 of 200 each: E = 8, 8, 192, 192; |O - E| = 4 → 3.5 after the correction
    hand = sum(3.5 ** 2 / e for e in (8, 8, 192, 192))
    assert yates_chi2([12], [4], 200, 200)[0] == pytest.approx(hand, rel=1e-14)
    # |O - E| below 0.5: the correction stops at the expected value (scipy does the same)
    assert yates_chi2([5], [5], 100, 101)[0] == 0.0


def test_yates_vectorised_on_many_tables():
    rng = np.random.default_rng(3)
    n1 = rng.integers(5, 400, 300)
    n2 = rng.integers(5, 400, 300)
    a = rng.integers(0, n1 + 1)
    b = rng.integers(1, n2 + 1)
    got = yates_chi2(a, b, n1, n2)
    want = [stats.chi2_contingency(_table(*t), correction=True).statistic for t in zip(a, b, n1, n2)]
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)


# --------------------------------------------------------------------------- Fisher


@pytest.mark.parametrize("a,b,n1,n2", TABLES + [(0, 0, 5, 5), (5, 5, 5, 5), (3, 0, 3, 10), (0, 4, 10, 4)])
def test_fisher_matches_scipy(a, b, n1, n2):
    want = stats.fisher_exact(_table(a, b, n1, n2)).pvalue
    assert fisher_exact_p([a], [b], n1, n2)[0] == pytest.approx(want, rel=1e-12)


def test_fisher_vectorised_matches_scipy_on_random_tables():
    rng = np.random.default_rng(11)
    small = [(int(rng.integers(0, n1 + 1)), int(rng.integers(0, n2 + 1)), n1, n2)
             for n1, n2 in rng.integers(1, 40, size=(400, 2)).tolist()]
    corpus = [(int(rng.integers(0, 30)), int(rng.integers(0, 60)), int(n1), int(n2))
              for n1, n2 in zip(rng.integers(5_000, 100_000, 100), rng.integers(5_000, 300_000, 100))]
    t = np.array(small + corpus)
    got = fisher_exact_p(t[:, 0], t[:, 1], t[:, 2], t[:, 3])
    want = [stats.fisher_exact(_table(*row)).pvalue for row in t.tolist()]
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_fisher_column_in_tables():
    r = keyness_stats([8, 2, 0], [2, 5, 3], target_total=10, reference_total=16, fisher=True)
    for i, (a, b) in enumerate([(8, 2), (2, 5), (0, 3)]):
        assert r["fisher_p"][i] == pytest.approx(stats.fisher_exact(_table(a, b, 10, 16)).pvalue, rel=1e-12)
    kw = keyness_dfm(_crafted_dfm(), min_count=1, fisher=True)
    assert list(kw.columns) == KEYNESS_COLUMNS + ["fisher_p", "fisher_p_adj"]
    for _, part in kw.groupby(["group", "reference"]):
        np.testing.assert_allclose(part["fisher_p_adj"], stats.false_discovery_control(part["fisher_p"]))
    assert list(keyness_dfm(_crafted_dfm(), min_count=1).columns) == KEYNESS_COLUMNS


# --------------------------------------------------------------------------- the log-odds prior


def _crafted_dfm() -> Dfm:
    counts = np.array([[10, 0, 5, 1, 4], [0, 6, 5, 1, 8], [2, 2, 10, 0, 26]])
    return Dfm(sparse.csr_matrix(counts), ["A", "B", "C"], ["t1", "t2", "t3", "t4", "t5"], np.array([1000, 2000, 4000]))


def test_default_alpha0_is_the_background_size():
    a, b = np.array([8.0, 2.0, 0.0]), np.array([3.0, 6.0, 5.0])
    prior = np.array([20.0, 30.0, 50.0])
    r = keyness_stats(a, b, prior=prior)
    n1, n2 = a.sum(), b.sum()
    for w in range(3):
        aw = prior[w]  # alpha0 = 100 = the prior's total: alpha_w is the background count itself
        delta = (math.log((a[w] + aw) / (n1 + 100 - a[w] - aw)) - math.log((b[w] + aw) / (n2 + 100 - b[w] - aw)))
        assert r["logodds_z"][w] == pytest.approx(delta / math.sqrt(1 / (a[w] + aw) + 1 / (b[w] + aw)), rel=1e-12)
    pd.testing.assert_frame_equal(r, keyness_stats(a, b, prior=prior, alpha0=100.0))


def test_background_corpus_as_dfm_series_or_array():
    d = _crafted_dfm()
    bg = pd.Series({"t1": 5, "t2": 5, "t3": 40, "t5": 50, "other": 900})
    with pytest.warns(UserWarning, match="1 of 5 terms are absent"):
        kw = keyness_dfm(d, min_count=1, background=bg)
    counts = d.matrix.toarray()
    aligned = np.array([5.0, 5.0, 40.0, 0.0, 50.0])
    direct = keyness_stats(counts[0], counts[1] + counts[2], prior=aligned)
    row = kw[kw["group"] == "A"].set_index("term").loc[d.terms]
    np.testing.assert_allclose(row["logodds_z"].to_numpy(), direct["logodds_z"].to_numpy())
    assert row.loc["t4", "logodds_z"] == 0.0  # no prior, no estimate
    # the same background as a Dfm (rows summed) and as an aligned array
    as_dfm = Dfm(sparse.csr_matrix(np.array([[5, 0, 40, 0, 20], [0, 5, 0, 0, 30]])), ["x", "y"],
                 ["t1", "t2", "t3", "t4", "t5"], np.array([1, 1]))
    with pytest.warns(UserWarning):
        pd.testing.assert_frame_equal(kw, keyness_dfm(d, min_count=1, background=as_dfm))
        pd.testing.assert_frame_equal(kw, keyness_dfm(d, min_count=1, background=aligned))
    with pytest.raises(ValueError, match="background"):
        keyness_dfm(d, background=[1, 2])


def test_alpha0_sensitivity_on_the_seeds(seeds_corpus):
    sens = analysis.alpha0_sensitivity(seeds_corpus, "region", n=10, drop_proper=True)
    d = analysis.dfm(seeds_corpus, by="region", drop_proper=True)
    size = float(d.matrix.sum())
    assert sorted(sens["alpha0"].unique()) == sorted({size * k for k in (0.001, 0.01, 0.1, 1, 10)} | {1000.0})
    default = sens[sens["scale"] == 1.0]
    assert np.allclose(default["rho"], 1.0) and (default["top_shared"] == 10).all()
    # each row: the top 10 by logodds_z with that alpha0, compared with the default's and G2's
    kw = keyness_dfm(d, alpha0=size * 0.01, correction=None)
    base = keyness_dfm(d, correction=None)
    for g in d.rows:
        row = sens[(sens["group"] == g) & (sens["scale"] == 0.01)].iloc[0]
        top = analysis.top_terms(kw[kw["group"] == g], 10, by="logodds_z")["term"].tolist()
        assert row["top"] == "、".join(top)
        assert row["top_shared"] == len(set(top) & set(analysis.top_terms(base[base["group"] == g], 10,
                                                                          by="logodds_z")["term"]))
        assert row["top_shared_g2"] == len(set(top) & set(analysis.top_terms(base[base["group"] == g], 10)["term"]))
        a = kw[kw["group"] == g].set_index("term")["logodds_z"]
        b = base[base["group"] == g].set_index("term")["logodds_z"].loc[a.index]
        assert row["rho"] == pytest.approx(stats.spearmanr(a, b).statistic)
    # a stronger prior ranks more like G2 (frequent terms first)
    by_scale = sens.groupby("scale")["top_shared_g2"].mean()
    assert by_scale[10.0] >= by_scale[0.001]
