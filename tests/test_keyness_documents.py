"""Documents behind keyness: Gries' DP, the document permutation test, the min_docs rule, the seeds."""
from __future__ import annotations

import math
import warnings
from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from scipy import sparse, stats

import analysis
from analysis.methods.dispersion import gries_dp
from analysis.methods.keyness import (DOCUMENT_COLUMNS, KEYNESS_COLUMNS, REST, document_columns, filter_min_docs,
                                      group_rows, keyness, keyness_dfm)
from analysis.methods.permutation import document_permutation_test, permutation_design
from analysis.vectors import Dfm
from conftest import ROOT

# --------------------------------------------------------------------------- Gries' DP


def test_dp_by_hand():
    # sizes 10, 20, 70 → expected shares .1 .2 .7; the term 5, 0, 5 → observed shares .5 0 .5
    counts = np.array([[5, 1], [0, 2], [5, 7]])
    sizes = np.array([10, 20, 70])
    dp, dp_norm = gries_dp(counts, sizes)
    assert dp[0] == pytest.approx(0.5 * (0.4 + 0.2 + 0.2), rel=1e-14)       # 0.4
    assert dp_norm[0] == pytest.approx(0.4 / (1 - 0.1), rel=1e-14)          # Lijffijt & Gries: DP / (1 - min s)
    # the second term is spread as the sizes predict: 1, 2, 7 of 10
    assert dp[1] == pytest.approx(0.0, abs=1e-15)


def test_dp_gries_2008_example():
    # five parts of 9, 10, 10, 10 and 11 words; a word occurring 1, 2, 3, 4, 5 times: DP = 0.18
    counts = np.array([[1], [2], [3], [4], [5]])
    dp, dp_norm = gries_dp(counts, [9, 10, 10, 10, 11])
    v = np.array([1, 2, 3, 4, 5]) / 15
    s = np.array([9, 10, 10, 10, 11]) / 50
    assert dp[0] == pytest.approx(0.5 * np.abs(v - s).sum(), rel=1e-14)
    assert dp[0] == pytest.approx(0.18, rel=1e-12)
    assert dp_norm[0] == pytest.approx(0.18 / (1 - 0.18), rel=1e-12)


def test_dp_extremes_and_edge_cases():
    sizes = np.array([10, 30, 60])
    counts = np.array([[4, 0, 0], [0, 0, 0], [0, 9, 0]])
    dp, dp_norm = gries_dp(sparse.csr_matrix(counts), sizes)
    assert dp[0] == pytest.approx(1 - 0.1)        # everything in the smallest document: the maximum
    assert dp_norm[0] == pytest.approx(1.0)
    assert dp[1] == pytest.approx(1 - 0.6)        # everything in the largest
    assert np.isnan(dp[2]) and np.isnan(dp_norm[2])  # never occurs
    # sparse and dense agree; the default sizes are the row sums
    d1 = gries_dp(counts, sizes)
    np.testing.assert_allclose(d1[0], dp)
    np.testing.assert_allclose(gries_dp(np.array([[1, 2], [3, 4]]))[0], gries_dp(np.array([[1, 2], [3, 4]]), [3, 7])[0])
    # one document: DP is 0, DP_norm undefined
    one, one_norm = gries_dp(np.array([[3, 1]]), [10])
    assert (one == 0).all() and np.isnan(one_norm).all()
    with pytest.raises(ValueError):
        gries_dp(counts, [1, 2])


def test_dp_random_against_the_formula():
    rng = np.random.default_rng(5)
    counts = rng.poisson(0.7, size=(12, 40)) * (rng.random((12, 40)) < 0.5)
    sizes = counts.sum(axis=1) + rng.integers(1, 50, 12)
    dp, dp_norm = gries_dp(sparse.csr_matrix(counts), sizes)
    s = sizes / sizes.sum()
    for j in range(40):
        f = counts[:, j].sum()
        if f == 0:
            assert np.isnan(dp[j])
            continue
        hand = 0.5 * np.abs(counts[:, j] / f - s).sum()
        assert dp[j] == pytest.approx(hand, abs=1e-14)
        assert dp_norm[j] == pytest.approx(hand / (1 - s.min()), abs=1e-14)


# --------------------------------------------------------------------------- the permutation test


def _brute_force(counts, sizes, target):
    """Every assignment of the target's number of documents, the statistic term by term with plain Python:
    the target's mean relative frequency per document minus the reference's."""
    n, k = len(sizes), int(sum(target))

    def stat(chosen, j):
        inside = [counts[i][j] / sizes[i] for i in chosen]
        outside = [counts[i][j] / sizes[i] for i in range(n) if i not in chosen]
        return sum(inside) / len(inside) - sum(outside) / len(outside)

    observed = [i for i in range(n) if target[i]]
    out = []
    for j in range(len(counts[0])):
        obs = abs(stat(observed, j))
        all_ = [abs(stat(c, j)) for c in combinations(range(n), k)]
        out.append(sum(v >= obs - 1e-12 for v in all_) / math.comb(n, k))
    return np.array(out)


TINY_COUNTS = [[5, 0, 1, 2, 0], [3, 1, 1, 2, 0], [4, 0, 1, 2, 7], [0, 2, 1, 0, 0], [1, 3, 1, 2, 0], [0, 2, 1, 1, 1]]
TINY_SIZES = [50, 40, 60, 30, 45, 35]
TINY_TARGET = [True, True, True, False, False, False]


def test_exact_permutation_p_by_brute_force():
    r = document_permutation_test(np.array(TINY_COUNTS), TINY_SIZES, TINY_TARGET)
    assert r.method == "exact" and r.arrangements == 20 and r.p_min == pytest.approx(1 / 20)
    np.testing.assert_allclose(r.p, _brute_force(TINY_COUNTS, TINY_SIZES, TINY_TARGET), rtol=0, atol=1e-15)
    # the observed statistic: difference of the mean relative frequencies per document
    rates = np.array(TINY_COUNTS) / np.array(TINY_SIZES)[:, None]
    np.testing.assert_allclose(r.statistic, rates[:3].mean(axis=0) - rates[3:].mean(axis=0))
    assert (r.p >= r.p_min - 1e-15).all()


def test_a_term_of_one_document_has_p_of_at_least_k_over_n():
    # the term is in document 0 only, the target has 2 of 6 documents: |D| = r/2 when document 0 is in the target,
    # r/4 when it is not, so p = P(document 0 in the target) = C(5, 1) / C(6, 2) = 1/3, however short it is
    counts = np.array([[9], [0], [0], [0], [0], [0]])
    r = document_permutation_test(counts, [20, 500, 500, 500, 500, 500], [True, True, False, False, False, False])
    assert r.p[0] == pytest.approx(1 / 3)
    # with three of six, the two sides are the same size: every assignment reaches |D|
    r = document_permutation_test(counts, [20, 500, 500, 500, 500, 500], [True, True, True, False, False, False])
    assert r.p[0] == pytest.approx(1.0)


@pytest.mark.parametrize("target", [[True, False, True, False, True, False], [True, True, False, False, False, True],
                                    [False, True, True, True, True, False]])
def test_exact_permutation_p_other_targets(target):
    r = document_permutation_test(sparse.csr_matrix(TINY_COUNTS), TINY_SIZES, target)
    np.testing.assert_allclose(r.p, _brute_force(TINY_COUNTS, TINY_SIZES, target), rtol=0, atol=1e-15)


def test_monte_carlo_approaches_the_exact_p_and_is_seeded():
    exact = document_permutation_test(np.array(TINY_COUNTS), TINY_SIZES, TINY_TARGET).p
    mc = document_permutation_test(np.array(TINY_COUNTS), TINY_SIZES, TINY_TARGET, exact_limit=5,
                                   permutations=40_000, stop_at=None)
    assert mc.method == "monte carlo" and mc.arrangements == 40_000
    assert mc.p_min == pytest.approx(1 / 40_001)
    np.testing.assert_allclose(mc.p, exact, atol=0.01)
    # the +1 correction: p (permutations + 1) - 1 is the number of exceedances, an integer
    g = mc.p * 40_001 - 1
    np.testing.assert_allclose(g, np.round(g), atol=1e-6)
    again = document_permutation_test(np.array(TINY_COUNTS), TINY_SIZES, TINY_TARGET, exact_limit=5,
                                      permutations=40_000, stop_at=None)
    np.testing.assert_array_equal(mc.p, again.p)
    other = document_permutation_test(np.array(TINY_COUNTS), TINY_SIZES, TINY_TARGET, exact_limit=5,
                                      permutations=40_000, stop_at=None, seed=1)
    assert not np.array_equal(mc.p, other.p)


def test_sequential_monte_carlo_stops_only_terms_far_from_significance():
    rng = np.random.default_rng(2)
    counts = rng.poisson(1.0, size=(30, 60))
    counts[:10, :5] += rng.poisson(6.0, size=(10, 5))  # five terms the target (first ten) uses much more
    sizes = counts.sum(axis=1) + 200
    target = np.arange(30) < 10
    full = document_permutation_test(counts, sizes, target, permutations=2_000, stop_at=None)
    seq = document_permutation_test(counts, sizes, target, permutations=2_000, stop_at=10)
    assert full.method == seq.method == "monte carlo"
    never = (full.p * 2_001 - 1) < 10 - 0.5       # fewer than 10 exceedances in all draws
    np.testing.assert_array_equal(seq.p[never], full.p[never])
    assert never[:5].all()
    stopped = ~never
    assert (seq.p[stopped] >= 10 / 2_000 - 1e-12).all()
    np.testing.assert_allclose(seq.p[stopped], full.p[stopped], atol=0.35)


def test_too_few_documents():
    r = document_permutation_test(np.array(TINY_COUNTS)[:5], TINY_SIZES[:5], [True, False, False, False, False])
    assert r.method == "too few documents" and np.isnan(r.p).all()
    assert r.p_min == pytest.approx(0.2)  # one of five: the best a test could do
    assert permutation_design(5, 1) == ("too few documents", 5, 0.2)
    assert permutation_design(5, 2) == ("exact", 10, 0.1)
    assert permutation_design(143, 42)[0] == "monte carlo"
    assert permutation_design(143, 42, permutations=999)[2] == pytest.approx(1 / 1000)


# --------------------------------------------------------------------------- tables: columns and the min_docs rule


def _docs() -> tuple[Dfm, np.ndarray]:
    # A: d1, d2; B: d3, d4, d5; C: d6 alone. t1 only in d1; t2 in both A documents; t3 everywhere
    counts = np.array([
        [6, 3, 2, 0, 10],
        [0, 3, 2, 0, 12],
        [0, 0, 2, 1, 11],
        [0, 0, 2, 1, 12],
        [0, 1, 2, 0, 13],
        [0, 0, 2, 5, 9],
    ])
    terms = ["t1", "t2", "t3", "t4", "t5"]
    return (Dfm(sparse.csr_matrix(counts), ["d1", "d2", "d3", "d4", "d5", "d6"], terms, np.full(6, 100)),
            np.array(["A", "A", "B", "B", "B", "C"], dtype=object))


def _table(compare="rest", **kw):
    docs, labels = _docs()
    base = keyness_dfm(group_rows(docs, labels), compare=compare, min_count=1, correction="bh")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return document_columns(base, docs, labels, **kw)


def test_group_rows_is_the_grouped_dfm():
    docs, labels = _docs()
    g = group_rows(docs, labels)
    assert g.rows == ["A", "B", "C"]
    np.testing.assert_array_equal(g.matrix.toarray()[0], docs.matrix.toarray()[:2].sum(axis=0))
    assert list(g.n_chars) == [200, 300, 100]


def test_document_columns_by_hand():
    kw = _table()
    assert list(kw.columns) == KEYNESS_COLUMNS + DOCUMENT_COLUMNS
    row = kw[(kw["group"] == "A") & (kw["term"] == "t1")].iloc[0]
    assert (row["docs"], row["docs_using"], row["ref_docs"], row["ref_docs_using"]) == (2, 1, 4, 0)
    sizes = np.array([21, 17])  # the two A documents' tokens
    assert row["dp"] == pytest.approx(0.5 * (abs(1 - 21 / 38) + abs(0 - 17 / 38)))  # 17/38
    assert row["dp_norm"] == pytest.approx(row["dp"] / (1 - sizes.min() / sizes.sum()))
    assert np.isnan(row["ref_dp"])  # no occurrence in the reference
    # A (2 documents) against the rest (4): C(6, 2) = 15 assignments, exact
    assert row["doc_test"] == "exact" and row["doc_p_min"] == pytest.approx(1 / 15)
    docs, labels = _docs()
    a_rows = kw[kw["group"] == "A"]
    m = docs.matrix.toarray()
    cols = [docs.terms.index(t) for t in a_rows["term"]]
    want = _brute_force(m[:, cols].tolist(), m.sum(axis=1).tolist(), list(labels == "A"))
    np.testing.assert_allclose(a_rows["doc_p"], want, atol=1e-15)
    np.testing.assert_allclose(a_rows["doc_p_adj"], stats.false_discovery_control(want))
    # C has one document: no test, and the smallest p it could have had is 1/6
    c = kw[kw["group"] == "C"]
    assert (c["doc_test"] == "too few documents").all() and c["doc_p"].isna().all()
    assert c["doc_p_min"].iloc[0] == pytest.approx(1 / 6)
    assert (c.loc[c["count"] > 0, "dp"] == 0).all() and c["dp_norm"].isna().all() and c.loc[c["count"] == 0, "dp"].isna().all()


def test_doc_test_off_and_warning_once():
    docs, labels = _docs()
    base = keyness_dfm(group_rows(docs, labels), min_count=1)
    with pytest.warns(UserWarning, match="too few documents") as record:
        document_columns(base, docs, labels)
    assert len([w for w in record if "document-level test" in str(w.message)]) == 1
    assert "C vs (rest): 1 and 5 documents" in str(record[0].message)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        off = document_columns(base, docs, labels, doc_test=False)
    assert (off["doc_test"] == "not run").all() and off["doc_p"].isna().all()
    assert (off["docs_using"] >= 0).all()


def test_min_docs_rule_is_symmetric_and_spares_one_document_groups():
    kw = _table()
    kept = filter_min_docs(kw, 2)
    # t1: more in A, but only d1 uses it → dropped for A; in B's and C's tables it leans to the rest
    assert "t1" not in set(kept[kept["group"] == "A"]["term"])
    assert "t1" in set(kw[kw["group"] == "A"]["term"])
    # t2 is used by both A documents → kept
    assert "t2" in set(kept[kept["group"] == "A"]["term"])
    # C's single document: nothing it over-uses is dropped
    c_pos = kw[(kw["group"] == "C") & (kw["g2"] > 0)]
    assert set(c_pos["term"]) <= set(kept[kept["group"] == "C"]["term"])
    assert filter_min_docs(kw, None).equals(kw) and filter_min_docs(kw, 1).equals(kw)
    # pairwise A vs B and B vs A keep the same terms
    kp = filter_min_docs(_table("pairwise"), 2)
    ab = set(kp[(kp["group"] == "A") & (kp["reference"] == "B")]["term"])
    ba = set(kp[(kp["group"] == "B") & (kp["reference"] == "A")]["term"])
    assert ab == ba and "t1" not in ab
    # p_adj is computed before the filter: unchanged for the terms that stay
    merged = kept.merge(kw, on=["group", "reference", "term"], suffixes=("", "_all"))
    np.testing.assert_array_equal(merged["p_adj"], merged["p_adj_all"])
    np.testing.assert_array_equal(merged["doc_p_adj"].fillna(-1), merged["doc_p_adj_all"].fillna(-1))


# --------------------------------------------------------------------------- the seeds


@pytest.fixture(scope="module")
def seed_groups(seed_manifest):
    """The seeds' regions by number of documents: the one with several (three), and those with one."""
    n = seed_manifest["region"].value_counts()
    (several,) = n[n > 1].index
    assert n[several] == 3 and sorted(n[n == 1].index) == sorted(set(n.index) - {several})
    return several, sorted(n[n == 1].index)


@pytest.fixture(scope="module")
def seed_kw(seeds_corpus, seed_groups):
    with pytest.warns(UserWarning, match=f"{seed_groups[1][0]} vs \\(rest\\): 1 and 4 documents"):
        return keyness(seeds_corpus, "region", drop_proper=True)


def test_seeds_say_which_documents_stand_behind_each_term(seeds_corpus, seed_kw, seed_groups):
    several, singles = seed_groups
    sizes = seed_kw.groupby("group")[["docs", "ref_docs", "doc_p_min"]].first()
    assert sizes.loc[several].tolist() == [3, 2, pytest.approx(0.1)]
    for g in singles:  # one document of five: p could not go below 0.2
        assert sizes.loc[g].tolist() == [1, 4, pytest.approx(0.2)]
    one_doc = seed_kw[seed_kw["group"].isin(singles)]
    assert (one_doc["doc_test"] == "too few documents").all() and one_doc["doc_p"].isna().all()
    gx = seed_kw[seed_kw["group"] == several]
    assert (gx["doc_test"] == "exact").all() and (gx["doc_p"] >= 0.1 - 1e-12).all()
    # nothing is significant at the document level: ten arrangements cannot give p < 0.1
    assert not (seed_kw["doc_p_adj"] < 0.05).any()
    # docs_using counts the group's documents that contain the term
    d = analysis.dfm(seeds_corpus, drop_proper=True, content=True, phrases=True)
    labels = seeds_corpus.groups("region").reindex(d.rows)
    frame = d.to_frame()
    for r in gx.head(20).itertuples():
        assert r.docs_using == int((frame.loc[labels == several, r.term] > 0).sum())
        assert r.ref_docs_using == int((frame.loc[labels != several, r.term] > 0).sum())


def test_seeds_document_p_by_brute_force(seeds_corpus, seed_kw, seed_groups):
    several = seed_groups[0]
    d = analysis.dfm(seeds_corpus, drop_proper=True, content=True, phrases=True)
    target = list(seeds_corpus.groups("region").reindex(d.rows) == several)
    top = analysis.top_terms(seed_kw[seed_kw["group"] == several], 8, side="both")
    m = d.matrix.toarray()
    cols = [d.terms.index(t) for t in top["term"]]
    want = _brute_force(m[:, cols].tolist(), m.sum(axis=1).tolist(), target)
    np.testing.assert_allclose(top["doc_p"], want, atol=1e-15)


def test_token_statistics_are_unchanged(seeds_corpus, seed_kw):
    """keyness() builds the groups from the documents: the token-level columns are keyness_dfm's on dfm(by=...)."""
    grouped = keyness_dfm(analysis.dfm(seeds_corpus, by="region", drop_proper=True, content=True, phrases=True))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        full = keyness(seeds_corpus, "region", drop_proper=True, min_docs=None, doc_test=False)
    pd.testing.assert_frame_equal(full[KEYNESS_COLUMNS], grouped)
    # min_docs only removes rows
    assert set(map(tuple, seed_kw[["group", "term"]].to_numpy())) <= set(map(tuple, full[["group", "term"]].to_numpy()))
    assert len(seed_kw) < len(full)


def test_min_docs_on_the_seeds(seed_kw, seed_groups):
    gx = seed_kw[seed_kw["group"] == seed_groups[0]]
    assert (gx.loc[gx["g2"] > 0, "docs_using"] >= 2).all()
    assert (gx.loc[gx["g2"] < 0, "ref_docs_using"] >= 2).all()
    one = seed_kw[seed_kw["group"] == seed_groups[1][-1]]
    assert (one.loc[one["g2"] > 0, "docs_using"] == 1).all()  # one document: never filtered on its side


def test_reference_label_is_rest(seed_kw):
    assert set(seed_kw["reference"]) == {REST}


@pytest.mark.slow
def test_city_keyness_documents(city, tmp_path_factory):
    """The city reports by macro-region: Monte Carlo everywhere, a p-value floor of 1/10,000."""
    manifest = pd.read_csv(ROOT / "examples" / "city-work-reports-2024" / "manifest.csv", dtype=str,
                           keep_default_na=False)
    folder = city.copy(tmp_path_factory.mktemp("city_macro"), manifest=manifest)
    corp = analysis.load_corpus(folder)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # every group has several documents: no warning
        kw = keyness(corp, "macro_region", drop_proper=True)
    assert (kw["doc_test"] == "monte carlo").all()
    assert kw["doc_p_min"].eq(1 / 10_000).all()
    top = analysis.top_terms(kw, 25)
    assert (top["docs_using"] >= 2).all()
    assert (kw["doc_p"] >= 1 / 10_000 - 1e-15).all()


def test_dp_in_blocks_of_columns_equals_dp_in_one(monkeypatch):
    from analysis.methods import dispersion

    rng = np.random.default_rng(3)
    counts = sparse.random(40, 300, density=0.2, random_state=rng, data_rvs=lambda n: rng.integers(1, 9, n)).tocsr()
    sizes = np.asarray(counts.sum(axis=1)).ravel() + 5
    whole = gries_dp(counts, sizes)
    monkeypatch.setattr(dispersion, "BLOCK_CELLS", 7)  # many blocks, some of a single column
    blocks = gries_dp(counts, sizes)
    for a, b in zip(whole, blocks):
        assert np.array_equal(a, b, equal_nan=True)
