"""Keyness statistics against hand computation and scipy, on crafted tables and on the seeds."""
from __future__ import annotations

import io
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse, stats

import analysis
from analysis.methods.keyness import KEYNESS_COLUMNS, REST, adjust_pvalues, keyness, keyness_dfm, keyness_stats, top_terms
from analysis.vectors import Dfm
from conftest import run_cli, seed_text

Z95 = stats.norm.ppf(0.975)


def _scipy_g2(a, b, n1, n2):
    table = [[a, b], [n1 - a, n2 - b]]
    return stats.chi2_contingency(table, correction=False, lambda_="log-likelihood")


def _scipy_chi2(a, b, n1, n2):
    return stats.chi2_contingency([[a, b], [n1 - a, n2 - b]], correction=False)


# --------------------------------------------------------------------------- G2


def test_g2_by_hand_with_a_zero_cell():
    # a=10 of N1=100, b=0 of N2=100: E = 5, 5, 95, 95; the cell b contributes 0·ln 0 = 0
    r = keyness_stats([10], [0], target_total=100, reference_total=100).iloc[0]
    hand = 2 * (10 * math.log(10 / 5) + 90 * math.log(90 / 95) + 100 * math.log(100 / 95))
    assert r["g2"] == pytest.approx(hand, rel=1e-12)
    assert r["g2"] > 0
    assert r["p_value"] == pytest.approx(stats.chi2.sf(hand, 1), rel=1e-12)


def test_g2_by_hand_unequal_corpora():
    # a=30 of 1000, b=20 of 4000: E_a = 50·1000/5000 = 10, E_b = 40, E_c = 990, E_d = 3960
    r = keyness_stats([30], [20], target_total=1000, reference_total=4000).iloc[0]
    hand = 2 * (30 * math.log(30 / 10) + 20 * math.log(20 / 40) + 970 * math.log(970 / 990)
                + 3980 * math.log(3980 / 3960))
    assert r["g2"] == pytest.approx(hand, rel=1e-12)


@pytest.mark.parametrize("a,b,n1,n2", [(10, 0, 100, 100), (0, 7, 50, 300), (3, 3, 1000, 1000), (30, 20, 1000, 4000),
                                       (1, 15, 2000, 2500), (50, 1, 60, 900)])
def test_g2_and_chi2_match_scipy(a, b, n1, n2):
    r = keyness_stats([a], [b], target_total=n1, reference_total=n2).iloc[0]
    g = _scipy_g2(a, b, n1, n2)
    c = _scipy_chi2(a, b, n1, n2)
    assert abs(r["g2"]) == pytest.approx(g.statistic, rel=1e-10, abs=1e-12)
    assert r["p_value"] == pytest.approx(g.pvalue, rel=1e-10)
    assert r["chi2"] == pytest.approx(c.statistic, rel=1e-10, abs=1e-12)
    assert r["chi2_p"] == pytest.approx(c.pvalue, rel=1e-10)
    # sign: + when relatively more frequent in the target
    assert np.sign(r["g2"]) == np.sign(a / n1 - b / n2)


def test_pearson_chi2_by_hand_has_no_yates_correction():
    a, b, n1, n2 = 12, 4, 200, 200
    e = [8, 8, 192, 192]
    o = [12, 4, 188, 196]
    hand = sum((oi - ei) ** 2 / ei for oi, ei in zip(o, e))
    r = keyness_stats([a], [b], target_total=n1, reference_total=n2).iloc[0]
    assert r["chi2"] == pytest.approx(hand, rel=1e-12)
    yates = stats.chi2_contingency([[a, b], [n1 - a, n2 - b]], correction=True).statistic
    assert r["chi2"] != pytest.approx(yates)


def test_vectors_whole_vocabulary_totals_default_to_sums():
    t = np.array([5, 0, 3, 12])
    r = np.array([1, 4, 3, 2])
    a = keyness_stats(t, r)
    b = keyness_stats(t, r, target_total=t.sum(), reference_total=r.sum())
    pd.testing.assert_frame_equal(a, b)
    for i in range(len(t)):
        g = _scipy_g2(t[i], r[i], t.sum(), r.sum())
        assert abs(a["g2"][i]) == pytest.approx(g.statistic, rel=1e-10)


def test_equal_rates_give_zero():
    # whole vocabularies (the prior of logodds_z is normalised over the vector): term 0 at 10% on both sides
    r = keyness_stats([10, 90], [20, 180]).iloc[0]
    assert r["g2"] == pytest.approx(0, abs=1e-12)
    assert r["chi2"] == pytest.approx(0, abs=1e-12)
    assert r["p_value"] == pytest.approx(1.0)
    assert r["log_ratio"] == pytest.approx(0, abs=1e-12)
    assert r["logodds_z"] == pytest.approx(0, abs=1e-12)


# --------------------------------------------------------------------------- log ratio


def test_log_ratio_and_wald_interval_by_hand():
    # rates 20/1000 and 5/2000: ratio 8, log2 = 3
    r = keyness_stats([20], [5], target_total=1000, reference_total=2000).iloc[0]
    assert r["log_ratio"] == pytest.approx(3.0, rel=1e-12)
    half = Z95 * math.sqrt(1 / 20 + 1 / 5) / math.log(2)
    assert r["log_ratio_low"] == pytest.approx(3.0 - half, rel=1e-12)
    assert r["log_ratio_high"] == pytest.approx(3.0 + half, rel=1e-12)


def test_log_ratio_zero_count_is_replaced_by_half():
    r = keyness_stats([0], [4], target_total=100, reference_total=100).iloc[0]
    assert r["log_ratio"] == pytest.approx(math.log2(0.5 / 4))  # -3
    half = Z95 * math.sqrt(1 / 0.5 + 1 / 4) / math.log(2)
    assert r["log_ratio_low"] == pytest.approx(-3 - half)
    r = keyness_stats([0], [4], target_total=100, reference_total=100, smoothing=0.1).iloc[0]
    assert r["log_ratio"] == pytest.approx(math.log2(0.1 / 4))


def test_interval_level_changes_width():
    r90 = keyness_stats([20], [5], target_total=1000, reference_total=2000, ci=0.90).iloc[0]
    half = stats.norm.ppf(0.95) * math.sqrt(1 / 20 + 1 / 5) / math.log(2)
    assert r90["log_ratio_high"] - r90["log_ratio"] == pytest.approx(half)


# --------------------------------------------------------------------------- log-odds with informative Dirichlet prior


def test_logodds_z_by_hand():
    a, b = np.array([8.0, 2.0, 0.0]), np.array([3.0, 6.0, 5.0])
    prior = np.array([20.0, 30.0, 50.0])
    alpha0 = 10.0
    r = keyness_stats(a, b, prior=prior, alpha0=alpha0)
    n1, n2 = a.sum(), b.sum()
    for w in range(3):
        aw = alpha0 * prior[w] / prior.sum()  # 2, 3, 5
        delta = (math.log((a[w] + aw) / (n1 + alpha0 - a[w] - aw))
                 - math.log((b[w] + aw) / (n2 + alpha0 - b[w] - aw)))
        sigma = math.sqrt(1 / (a[w] + aw) + 1 / (b[w] + aw))
        assert r["logodds_z"][w] == pytest.approx(delta / sigma, rel=1e-12)


def test_logodds_default_prior_is_pooled_counts():
    a, b = np.array([8, 2, 1]), np.array([3, 6, 5])
    pd.testing.assert_series_equal(keyness_stats(a, b)["logodds_z"], keyness_stats(a, b, prior=a + b)["logodds_z"])


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError):
        keyness_stats([1, 2], [1])
    with pytest.raises(ValueError):
        keyness_stats([-1], [1])
    with pytest.raises(ValueError):
        keyness_stats([5], [1], target_total=3, reference_total=10)
    with pytest.raises(ValueError):
        keyness_stats([0], [0])


# --------------------------------------------------------------------------- symmetry


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), min_size=2, max_size=12),
       st.integers(0, 300), st.integers(0, 300))
def test_swapping_target_and_reference_flips_signs(pairs, extra1, extra2):
    a = np.array([p[0] for p in pairs], dtype=float)
    b = np.array([p[1] for p in pairs], dtype=float)
    n1, n2 = a.sum() + extra1 + 1, b.sum() + extra2 + 1
    prior = a + b + 1
    f = keyness_stats(a, b, target_total=n1, reference_total=n2, prior=prior)
    r = keyness_stats(b, a, target_total=n2, reference_total=n1, prior=prior)
    for col in ("g2", "log_ratio", "logodds_z"):
        np.testing.assert_allclose(f[col], -r[col], rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(f["log_ratio_low"], -r["log_ratio_high"], rtol=1e-9, atol=1e-9)
    for col in ("p_value", "chi2", "chi2_p"):
        np.testing.assert_allclose(f[col], r[col], rtol=1e-9, atol=1e-12)
    assert (f["p_value"].between(0, 1)).all()
    assert (f["log_ratio_low"] <= f["log_ratio"]).all() and (f["log_ratio"] <= f["log_ratio_high"]).all()


# --------------------------------------------------------------------------- multiple comparisons


def test_benjamini_hochberg_and_bonferroni_by_hand():
    p = [0.01, 0.04, 0.03, 0.005]
    # sorted 0.005, 0.01, 0.03, 0.04 → ×4/rank: 0.02, 0.02, 0.04, 0.04 (already monotone)
    np.testing.assert_allclose(adjust_pvalues(p, "bh"), [0.02, 0.04, 0.04, 0.02])
    np.testing.assert_allclose(adjust_pvalues(p, "bonferroni"), [0.04, 0.16, 0.12, 0.02])
    np.testing.assert_allclose(adjust_pvalues(p, None), p)
    # step-up monotonicity: 0.04·3/2 = 0.06 is lowered to the next rank's 0.05
    np.testing.assert_allclose(adjust_pvalues([0.01, 0.04, 0.05], "bh"), [0.03, 0.05, 0.05])
    np.testing.assert_allclose(adjust_pvalues([0.5, 0.9], "bonferroni"), [1.0, 1.0])
    with pytest.raises(ValueError):
        adjust_pvalues(p, "holm")


# --------------------------------------------------------------------------- grouped tables


def _crafted_dfm() -> Dfm:
    # three groups, five terms; n_chars chosen so per_10k is easy
    counts = np.array([
        [10, 0, 5, 1, 4],   # A: 20 tokens
        [0, 6, 5, 1, 8],    # B: 20 tokens
        [2, 2, 10, 0, 26],  # C: 40 tokens
    ])
    return Dfm(sparse.csr_matrix(counts), ["A", "B", "C"], ["t1", "t2", "t3", "t4", "t5"], np.array([1000, 2000, 4000]))


def test_one_vs_rest_on_a_crafted_dfm():
    d = _crafted_dfm()
    kw = keyness_dfm(d, min_count=3, correction=None)
    assert list(kw.columns) == KEYNESS_COLUMNS
    assert set(kw["reference"]) == {REST}
    assert "t4" not in set(kw["term"])  # 2 occurrences < min_count
    row = kw[(kw["group"] == "A") & (kw["term"] == "t1")].iloc[0]
    assert (row["count"], row["ref_count"]) == (10, 2)
    assert row["per_10k"] == pytest.approx(10 / 1000 * 1e4)
    assert row["ref_per_10k"] == pytest.approx(2 / 6000 * 1e4)
    # statistics use token totals of the whole rows (20 vs 60), min_count does not change them
    g = _scipy_g2(10, 2, 20, 60)
    assert row["g2"] == pytest.approx(g.statistic) and row["p_value"] == pytest.approx(g.pvalue)
    assert row["p_adj"] == row["p_value"]
    # logodds prior = corpus proportions of all rows, alpha0 = the corpus's 80 tokens by default: alpha = 12 for t1
    counts = d.matrix.toarray()
    direct = keyness_stats(counts[0], counts[1] + counts[2], prior=counts.sum(axis=0), alpha0=80.0)
    assert row["logodds_z"] == pytest.approx(direct["logodds_z"][0])
    # the fixed alpha0 = 1000 of before issue 15 is still there when asked for
    old = keyness_dfm(d, min_count=3, correction=None, alpha0=1000.0)
    old_row = old[(old["group"] == "A") & (old["term"] == "t1")].iloc[0]
    direct = keyness_stats(counts[0], counts[1] + counts[2], prior=counts.sum(axis=0), alpha0=1000.0)
    assert old_row["logodds_z"] == pytest.approx(direct["logodds_z"][0])
    # sorted by group, then g2 descending, then term
    for _, g in kw.groupby(["group", "reference"]):
        assert list(g["g2"]) == sorted(g["g2"], reverse=True)


def test_pairwise_has_both_directions_and_antisymmetry():
    kp = keyness_dfm(_crafted_dfm(), compare="pairwise", min_count=1)
    comps = set(map(tuple, kp[["group", "reference"]].drop_duplicates().to_numpy()))
    assert comps == {("A", "B"), ("B", "A"), ("A", "C"), ("C", "A"), ("B", "C"), ("C", "B")}
    ab = kp[(kp["group"] == "A") & (kp["reference"] == "B")].set_index("term")
    ba = kp[(kp["group"] == "B") & (kp["reference"] == "A")].set_index("term").loc[ab.index]
    np.testing.assert_allclose(ab["g2"], -ba["g2"])
    np.testing.assert_allclose(ab["log_ratio"], -ba["log_ratio"])
    np.testing.assert_allclose(ab["logodds_z"], -ba["logodds_z"])
    np.testing.assert_allclose(ab["p_adj"], ba["p_adj"])
    assert (ab["count"] == ba["ref_count"]).all()
    # the prior is the whole corpus (all three groups), not the pair
    counts = _crafted_dfm().matrix.toarray()
    direct = keyness_stats(counts[0], counts[1], prior=counts.sum(axis=0))
    in_order = ab.loc[_crafted_dfm().terms, "logodds_z"].to_numpy()
    np.testing.assert_allclose(in_order, direct["logodds_z"].to_numpy())
    assert not np.allclose(in_order, keyness_stats(counts[0], counts[1])["logodds_z"].to_numpy())


def test_correction_family_is_one_comparison():
    d = _crafted_dfm()
    raw = keyness_dfm(d, min_count=3, correction=None)
    bonf = keyness_dfm(d, min_count=3, correction="bonferroni")
    bh = keyness_dfm(d, min_count=3, correction="bh")
    for (g, _), part in raw.groupby(["group", "reference"]):
        m = len(part)
        exp = np.minimum(1, part["p_value"].to_numpy() * m)
        np.testing.assert_allclose(bonf[bonf["group"] == g]["p_adj"].to_numpy(), exp)
        np.testing.assert_allclose(bh[bh["group"] == g]["p_adj"].to_numpy(),
                                   stats.false_discovery_control(part["p_value"].to_numpy()))
    assert (bh["p_adj"] >= bh["p_value"] - 1e-15).all()


def test_bad_arguments():
    d = _crafted_dfm()
    with pytest.raises(ValueError, match="compare"):
        keyness_dfm(d, compare="all")
    with pytest.raises(ValueError, match="unknown group"):
        keyness_dfm(d, groups=["Z"])
    with pytest.raises(ValueError, match="correction"):
        keyness_dfm(d, correction="holm")
    one = Dfm(sparse.csr_matrix(np.array([[1, 2]])), ["A"], ["x", "y"], np.array([10]))
    with pytest.raises(ValueError, match="at least two groups"):
        keyness_dfm(one)


def test_top_terms_sides_and_order():
    kw = keyness_dfm(_crafted_dfm(), min_count=1, correction=None)
    top = top_terms(kw, n=1, side="both")
    a = top[top["group"] == "A"]
    assert list(a["term"]) == ["t1", "t5"]  # most over- then most under-represented
    assert (top_terms(kw, 2, side="positive")["g2"] > 0).all()
    assert (top_terms(kw, 2, side="negative")["g2"] < 0).all()
    assert top_terms(kw, 2).groupby("group").size().max() <= 2


# --------------------------------------------------------------------------- seeds


#: keyness's default view, for the counts it is checked against
RHETORIC = {"content": True, "phrases": True}


@pytest.fixture(scope="module")
def seed_kw(seeds_corpus):  # the rhetoric view: content words and the corpus's phrases (keyness's defaults)
    return keyness(seeds_corpus, "region")


def test_seed_keyness_counts_are_consistent(seeds_corpus, seed_manifest, seed_kw):
    groups = sorted(seed_manifest["region"].unique())
    assert sorted(seed_kw["group"].unique()) == groups
    totals = analysis.dfm(seeds_corpus, **RHETORIC).totals()
    # one-vs-rest: count + ref_count is the corpus frequency of the term, for every group
    merged = seed_kw.assign(total=seed_kw["count"] + seed_kw["ref_count"])
    assert (merged["total"].to_numpy() == totals.loc[merged["term"]].to_numpy()).all()
    assert (merged["total"] >= 3).all()
    # per_10k uses the group's clean characters
    d = analysis.dfm(seeds_corpus, by="region", **RHETORIC)
    chars = dict(zip(d.rows, d.n_chars))
    g0 = groups[0]
    sub = seed_kw[seed_kw["group"] == g0]
    np.testing.assert_allclose(sub["per_10k"], sub["count"] / chars[g0] * 1e4)
    rest = sum(v for k, v in chars.items() if k != g0)
    np.testing.assert_allclose(sub["ref_per_10k"], sub["ref_count"] / rest * 1e4)


def test_seed_keyness_matches_scipy_for_the_top_terms(seeds_corpus, seed_kw):
    d = analysis.dfm(seeds_corpus, by="region", **RHETORIC)
    tot = dict(zip(d.rows, np.asarray(d.matrix.sum(axis=1)).ravel()))
    all_tokens = sum(tot.values())
    for r in top_terms(seed_kw, 3, side="both").itertuples():
        n1 = tot[r.group]
        g = _scipy_g2(r.count, r.ref_count, n1, all_tokens - n1)
        assert abs(r.g2) == pytest.approx(g.statistic, rel=1e-9)


def test_seed_keyness_is_deterministic_and_sorted(seeds_corpus, seed_kw):
    again = keyness(seeds_corpus, "region")
    pd.testing.assert_frame_equal(seed_kw, again)
    keys = list(zip(seed_kw["group"], seed_kw["reference"], -seed_kw["g2"], seed_kw["term"]))
    assert keys == sorted(keys)


def test_rhetoric_view_drops_proper_nouns(seeds_corpus):
    from analysis.lexicon import PROPER_NOUN_POS
    from analysis.tokenization import segment_pairs

    kw = keyness(seeds_corpus, "region", drop_proper=True, min_count=1)
    proper = {t for d in seeds_corpus for t, p in segment_pairs(d.text, seeds_corpus.lexicon) if p.startswith(PROPER_NOUN_POS)}
    common = {t for d in seeds_corpus for t, p in segment_pairs(d.text, seeds_corpus.lexicon) if not p.startswith(PROPER_NOUN_POS)}
    only_proper = proper - common
    assert only_proper, "the seeds contain proper nouns"
    assert not (set(kw["term"]) & only_proper)
    full = keyness(seeds_corpus, "region", min_count=1)
    assert set(full["term"]) & only_proper


def test_any_grouping_column(seeds_corpus, seed_manifest):
    kw = keyness(seeds_corpus, "genre")
    assert sorted(kw["group"].unique()) == sorted(seed_manifest["genre"].unique())
    with pytest.raises(analysis.CorpusError):
        keyness(seeds_corpus, "no_such_column")


# --------------------------------------------------------------------------- CLI




def test_cli_keyness_csv_on_seeds(seed_manifest):
    code, out, err = run_cli(["keyness", "--format", "csv", "--top", "5"])
    assert code == 0, err
    df = pd.read_csv(io.StringIO(out))
    for col in ("group", "term", "count", "ref_count", "g2", "p_value", "log_ratio"):
        assert col in df.columns
    assert sorted(df["group"].unique()) == sorted(seed_manifest["region"].unique())
    assert (df.groupby("group").size() <= 5).all()
    assert (df["g2"] > 0).all()


def test_cli_keyness_table_pairwise(seed_manifest):
    code, out, _ = run_cli(["keyness", "--pairwise", "--top", "2", "--side", "both", "--drop-proper"])
    assert code == 0
    assert out.splitlines()[0].split()[:3] == ["group", "reference", "term"]
    n_groups = seed_manifest["region"].nunique()
    assert len(out.splitlines()) - 1 <= n_groups * (n_groups - 1) * 4


@pytest.fixture(scope="module")
def small_city(city, tmp_path_factory):
    """The three shortest city work reports, copied with a drafted manifest and a coarse ``half`` column."""
    return city.copy(tmp_path_factory.mktemp("small_city"), city.files(3, shortest=True))


def test_cli_keyness_on_another_corpus(small_city):
    city_sample = small_city
    code, out, err = run_cli(["keyness", "--corpus", str(city_sample), "--by", "half", "--format", "csv",
                               "--top", "10"])
    assert code == 0, err
    df = pd.read_csv(io.StringIO(out))
    assert sorted(df["group"].unique()) == ["A", "B"]
    assert len(df) == 20
    assert (df["g2"] > 0).all()
    # with two groups, one-vs-rest is the pairwise comparison: the two sides mirror each other
    a = keyness(analysis.load_corpus(city_sample), "half")
    b = a[a["group"] == "B"].set_index("term")
    a = a[a["group"] == "A"].set_index("term").loc[b.index]
    np.testing.assert_allclose(a["g2"], -b["g2"])


def test_cli_keyness_errors(tmp_path):
    """On a corpus the test builds (never ../shared): a missing column, and a drafted manifest's empty one."""
    code, _, err = run_cli(["keyness", "--by", "no_such_column"])
    assert code == 2 and "no_such_column" in err
    folder = tmp_path / "drafted"
    folder.mkdir()
    for i in range(3):
        (folder / f"d{i}.txt").write_text(seed_text(f"00{i}"), encoding="utf-8")
    analysis.draft_manifest(folder).to_csv(folder / "manifest.csv", index=False)
    # the drafted manifest's grouping column is empty: one group "(none)", nothing to compare
    code, _, err = run_cli(["keyness", "--corpus", str(folder)])
    assert code == 2 and "is empty for every document" in err and "Traceback" not in err


def test_measure_agreement_on_a_crafted_dfm():
    from analysis.methods.keyness import measure_agreement

    kw = keyness_dfm(_crafted_dfm(), min_count=1)
    agree = measure_agreement(kw, n=2)
    assert list(agree["group"]) == ["A", "B", "C"]
    a = kw[kw["group"] == "A"]
    assert agree.loc[0, "rho_log_ratio"] == pytest.approx(stats.spearmanr(a["g2"], a["log_ratio"]).statistic)
    assert agree.loc[0, "terms"] == len(a)
    assert agree["top_log_ratio"].between(0, 2).all()


def test_package_attribute_is_the_function_after_submodule_import(seeds_corpus):
    import types

    import analysis.methods.keyness as module  # the module's name does not collide with the function's

    assert isinstance(module, types.ModuleType)
    assert analysis.keyness is keyness and not isinstance(analysis.keyness, types.ModuleType)
    pd.testing.assert_frame_equal(analysis.keyness(seeds_corpus, "region"), module.keyness(seeds_corpus, "region"))


# --------------------------------------------------------------------------- groups too small (issue 20, defect 6)


def test_a_group_with_fewer_than_ten_tokens_is_left_out_with_a_warning():
    from analysis.methods.keyness import MIN_GROUP_TOKENS

    assert MIN_GROUP_TOKENS == 10  # Cochran's rule: E_a + E_c = N1 must reach 2 × 5
    counts = np.array([[10, 0, 5, 1, 4], [0, 6, 5, 1, 8], [0, 0, 9, 0, 0]])  # C: 9 tokens
    d = Dfm(sparse.csr_matrix(counts), ["A", "B", "C"], ["t1", "t2", "t3", "t4", "t5"], np.array([1000, 2000, 90]))
    with pytest.warns(UserWarning, match=r"at least 10 content tokens.*these have fewer: 'C' \(9\), so 1 comparison"):
        kw = keyness_dfm(d, min_count=1)
    assert set(kw["group"]) == {"A", "B"}  # C is still part of A's and B's reference
    row = kw[(kw["group"] == "A") & (kw["term"] == "t3")].iloc[0]
    assert (row["count"], row["ref_count"]) == (5, 14)
    with pytest.warns(UserWarning, match=r"'C' \(9\), so 4 comparison"):
        pairs = keyness_dfm(d, compare="pairwise", min_count=1)
    assert set(zip(pairs["group"], pairs["reference"])) == {("A", "B"), ("B", "A")}
    # ten tokens are enough
    d.matrix = sparse.csr_matrix(counts + np.array([0, 0, 0, 0, 0] * 2 + [0, 0, 1, 0, 0]).reshape(3, 5))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert "C" in set(keyness_dfm(d, min_count=1)["group"])


def test_a_corpus_whose_other_group_is_one_repeated_character_is_refused(tmp_path):
    # the case: beside the seeds, a group whose only document is one run of one character
    # (5 tokens of 口 × 100 here) made 疫情 "significantly under-represented" in the seeds, silently
    from analysis.errors import AnalysisError
    from analysis.methods.keyness import GroupSizeError
    from conftest import make_corpus, seed_text

    folder = make_corpus(tmp_path / "c", {"a.txt": seed_text("000"), "b.txt": seed_text("001"), "run.txt": "口" * 500},
                         region=["seeds", "seeds", "run"])
    corp = analysis.load_corpus(folder)
    with pytest.raises(GroupSizeError, match=r"'run' \(5\).*2 comparison\(s\) are left out, all of them") as exc:
        keyness(corp)
    assert isinstance(exc.value, AnalysisError)  # the command line prints it without a traceback
    code, _, err = run_cli(["keyness", "--corpus", str(folder)])
    assert code != 0 and "'run' (5)" in err and "Traceback" not in err


def test_pairwise_keyness_of_many_groups_is_announced_and_shows_progress(monkeypatch, capsys):
    # issue 20, defect 10: 200 groups ran for minutes with no word; now a warning with the number of
    # comparisons first, and a progress bar (on a terminal, or with ANALYSIS_PROGRESS=1)
    rng = np.random.default_rng(0)
    n = 40
    d = Dfm(sparse.csr_matrix(rng.integers(0, 5, size=(n, 30))), [f"g{i:02d}" for i in range(n)],
            [f"t{i}" for i in range(30)], np.full(n, 1000))
    monkeypatch.setenv("ANALYSIS_PROGRESS", "1")
    with pytest.warns(UserWarning, match=r"1,560 comparisons of 40 groups over 30 terms \(pairwise\); this takes a "
                                         r"while\. Fix: compare='rest'"):
        kw = keyness_dfm(d, compare="pairwise", min_count=1)
    assert kw.groupby(["group", "reference"]).ngroups == 1560
    assert "keyness" in capsys.readouterr().err  # the progress bar
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        keyness_dfm(d, min_count=1)  # 40 comparisons against the rest: no warning
