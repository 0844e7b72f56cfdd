"""Document similarity, clustering and shared passages: crafted inputs with known answers, a brute-force
reference, the seeds and a sample of city reports."""
from __future__ import annotations


import numpy as np
import pandas as pd
import pytest
from scipy.cluster.hierarchy import linkage
from scipy.spatial.distance import squareform

import analysis
from analysis.methods.similarity import (PASSAGE_COLUMNS, cluster_linkage, clusters, doc_similarity, passage_summary,
                                 shared_passages, similarity_pairs)

# --------------------------------------------------------------------------- cosine similarity


def test_doc_similarity_is_cosine_of_tfidf(seeds_corpus):
    sim = doc_similarity(seeds_corpus)
    assert list(sim.index) == seeds_corpus.ids and list(sim.columns) == seeds_corpus.ids
    w = analysis.tfidf(seeds_corpus).to_numpy()
    norms = np.linalg.norm(w, axis=1)
    expected = (w @ w.T) / np.outer(norms, norms)
    np.testing.assert_allclose(sim.to_numpy(), expected, atol=1e-12)
    np.testing.assert_allclose(np.diag(sim), 1.0)
    assert ((sim.to_numpy() >= 0) & (sim.to_numpy() <= 1)).all()


def test_similarity_pairs(seeds_corpus):
    sim = doc_similarity(seeds_corpus)
    groups = seeds_corpus.group_column("region")
    pairs = similarity_pairs(sim, groups)
    n = len(seeds_corpus)
    assert len(pairs) == n * (n - 1) // 2
    assert list(pairs["similarity"]) == sorted(pairs["similarity"], reverse=True)
    first = pairs.iloc[0]
    assert first["similarity"] == pytest.approx(sim.loc[first["doc_a"], first["doc_b"]])
    assert (pairs["same_group"] == (pairs["doc_a"].map(groups) == pairs["doc_b"].map(groups))).all()


def _two_block_sim() -> pd.DataFrame:
    ids = ["a1", "a2", "b1", "b2", "b3"]
    m = np.full((5, 5), 0.1)
    m[:2, :2] = 0.9
    m[2:, 2:] = 0.8
    m[2, 4] = m[4, 2] = 0.7
    np.fill_diagonal(m, 1.0)
    return pd.DataFrame(m, index=ids, columns=ids)


def test_clustering_on_a_known_matrix():
    sim = _two_block_sim()
    z = cluster_linkage(sim, "average")
    ref = linkage(squareform(1 - sim.to_numpy(), checks=False), method="average")
    np.testing.assert_allclose(z, ref)
    # the last merge joins the two blocks at average distance 0.9
    assert z[-1, 2] == pytest.approx(0.9)
    cl = clusters(sim, 2).set_index("doc_id")["cluster"]
    assert cl["a1"] == cl["a2"] and cl["b1"] == cl["b2"] == cl["b3"] and cl["a1"] != cl["b1"]
    with pytest.raises(ValueError, match="Euclidean"):
        cluster_linkage(sim, "ward")


# --------------------------------------------------------------------------- shared passages: crafted


def test_a_shared_sentence_is_found_whole():
    formula = "坚持外防输入内防反弹总策略不动摇"
    a = "甲乙丙丁。" + formula + "。其他内容戊己。"
    b = "完全不同的开头，" + formula + "！另起一行"
    sp = shared_passages({"A": a, "B": b})
    assert list(sp.columns) == PASSAGE_COLUMNS + ["n"]
    assert len(sp) == 1
    r = sp.iloc[0]
    assert (r.doc_a, r.doc_b, r.passage, r.length) == ("A", "B", formula, len(formula))
    assert a[r.start_a : r.start_a + r.length] == formula and b[r.start_b : r.start_b + r.length] == formula
    assert (r.start_a, r.start_b) == (a.index(formula), b.index(formula))


def test_min_len_threshold():
    a, b = "一二三四五六七甲乙丙", "子丑一二三四五六七寅"  # 7 shared characters
    assert shared_passages({"a": a, "b": b}, min_len=8).empty
    sp = shared_passages({"a": a, "b": b}, min_len=7)
    assert list(sp["passage"]) == ["一二三四五六七"]
    with pytest.raises(ValueError):
        shared_passages({"a": a, "b": b}, min_len=1)


def test_whitespace_and_punctuation_runs_are_not_passages():
    a = "正文甲。…………………………\n\n\n          ，，，，，，，，，结束"
    b = "别的开头……………………………\n\n\n          ，，，，，，，，，完了"
    assert shared_passages({"a": a, "b": b}).empty


def test_passages_are_trimmed_but_quotes_kept_balanced():
    a = "坚持“动态清零”总方针。"
    b = "必须“动态清零”总方针！"
    sp = shared_passages({"a": a, "b": b}, min_len=6)
    assert list(sp["passage"]) == ["“动态清零”总方针"]
    a2, b2 = "前甲，“外防输入内防反弹”", "后乙，“外防输入内防反弹”"
    assert list(shared_passages({"a": a2, "b": b2})["passage"]) == ["“外防输入内防反弹”"]


def test_three_documents_and_repeats():
    f = "统筹疫情防控和经济社会发展"
    texts = {"x": "开头" + f + "中间" + f + "结尾", "y": "另一" + f + "文件", "z": "毫不相干的一段文字内容"}
    sp = shared_passages(texts)
    assert list(zip(sp["doc_a"], sp["doc_b"])) == [("x", "y")]
    assert sp.iloc[0]["n"] == 2  # two occurrences in x, one in y
    assert sp.iloc[0]["start_a"] == texts["x"].index(f)  # the first occurrence is reported
    full = shared_passages(texts, dedupe=False)
    assert len(full) == 2 and set(full["start_a"]) == {2, 2 + len(f) + 2}
    texts["z"] = f + "。"
    pairs = set(zip(*shared_passages(texts)[["doc_a", "doc_b"]].to_numpy().T))
    assert pairs == {("x", "y"), ("x", "z"), ("y", "z")}
    # an n-gram present in three documents is skipped with max_docs=2
    assert shared_passages(texts, max_docs=2).empty
    with pytest.raises(ValueError, match="max_pairs"):
        shared_passages(texts, max_pairs=3)


def _brute_force(texts: dict[str, str], k: int) -> set[tuple]:
    """All maximal common substrings (≥ k) on every diagonal of every pair, by dynamic programming."""
    ids = list(texts)
    out = set()
    for i, a_id in enumerate(ids):
        for b_id in ids[i + 1 :]:
            a, b = texts[a_id], texts[b_id]
            run = np.zeros((len(a) + 1, len(b) + 1), dtype=int)
            for x in range(len(a)):
                for y in range(len(b)):
                    if a[x] == b[y]:
                        run[x + 1, y + 1] = run[x, y] + 1
            for x in range(len(a)):
                for y in range(len(b)):
                    n = run[x + 1, y + 1]
                    ends = x + 1 == len(a) or y + 1 == len(b) or a[x + 1] != b[y + 1]
                    if n >= k and ends:
                        out.add((a_id, b_id, a[x + 1 - n : x + 1], x + 1 - n, y + 1 - n))
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_matches_brute_force_on_random_texts(seed):
    rng = np.random.default_rng(seed)
    alphabet = list("防控疫情")  # word characters only, so trimming changes nothing
    texts = {f"d{i}": "".join(rng.choice(alphabet, size=int(rng.integers(30, 80)))) for i in range(4)}
    # plant a long shared passage so there is something beyond chance
    planted = "统筹发展和安全坚持人民至上"
    texts["d0"] = texts["d0"][:10] + planted + texts["d0"][10:]
    texts["d2"] = texts["d2"][:25] + planted + texts["d2"][25:]
    k = 5
    got = shared_passages(texts, min_len=k, dedupe=False)
    found = set(zip(got["doc_a"], got["doc_b"], got["passage"], got["start_a"], got["start_b"]))
    assert found == _brute_force(texts, k)
    assert any(planted in p for p in got["passage"])


def test_passage_summary_counts_overlaps_once():
    passages = pd.DataFrame(
        [("a", "b", "x" * 10, 10, 0, 100), ("a", "b", "y" * 10, 10, 5, 300), ("a", "c", "z" * 8, 8, 50, 0)],
        columns=PASSAGE_COLUMNS)
    s = passage_summary(passages, lengths={"a": 100, "b": 400, "c": 8}, groups={"a": "G", "b": "H", "c": "G"})
    ab = s[(s["doc_a"] == "a") & (s["doc_b"] == "b")].iloc[0]
    assert (ab["n_passages"], ab["longest"], ab["chars_a"], ab["chars_b"]) == (2, 10, 15, 20)
    assert ab["share_a"] == pytest.approx(0.15) and ab["share_b"] == pytest.approx(20 / 400)
    ac = s[s["doc_b"] == "c"].iloc[0]
    assert ac["share_b"] == pytest.approx(1.0) and ac["group_a"] == "G"
    assert list(s["doc_b"]) == ["b", "c"]


# --------------------------------------------------------------------------- real texts


def test_seed_passages_are_real_and_deterministic(seeds_corpus):
    sp = shared_passages(seeds_corpus)
    assert not sp.empty
    texts = {d.id: d.text for d in seeds_corpus}
    order = {d: i for i, d in enumerate(seeds_corpus.ids)}
    for r in sp.itertuples():
        assert texts[r.doc_a][r.start_a : r.start_a + r.length] == r.passage
        assert texts[r.doc_b][r.start_b : r.start_b + r.length] == r.passage
        assert r.length >= 8 and order[r.doc_a] < order[r.doc_b]
    assert list(sp["length"]) == sorted(sp["length"], reverse=True)
    pd.testing.assert_frame_equal(sp, shared_passages(seeds_corpus))
    summary = passage_summary(sp, seeds_corpus.to_frame().set_index("id")["n_chars"])
    assert summary["share_a"].between(0, 1).all() and summary["share_b"].between(0, 1).all()


def test_twenty_city_reports(city, tmp_path):
    files = city.files(20)
    texts = {f.stem: f.read_text(encoding="utf-8") for f in files}
    sp = shared_passages(texts, min_len=12)
    assert sp["length"].min() >= 12
    for r in sp.head(200).itertuples():
        assert texts[r.doc_a][r.start_a : r.start_a + r.length] == r.passage
        assert texts[r.doc_b][r.start_b : r.start_b + r.length] == r.passage
    # government work reports quote the same central formulations: some pair shares a long passage
    assert sp["length"].max() >= 40
    # the same through a corpus folder with a drafted manifest
    corp = analysis.load_corpus(city.copy(tmp_path / "city", files[:5]))
    sp5 = shared_passages(corp, min_len=12)
    assert set(sp5["doc_a"]) | set(sp5["doc_b"]) <= set(corp.ids)


def test_passage_spread_counts_documents():
    from analysis.methods.similarity import passage_spread

    f, g = "统筹疫情防控和经济社会发展", "人民至上生命至上"
    texts = {"x": "甲" + f + "乙" + g, "y": "丙" + f + "丁", "z": f + "。" + g}
    spread = passage_spread(shared_passages(texts), groups={"x": "G", "y": "G", "z": "H"})
    assert list(spread["passage"]) == [f, g]
    assert list(spread["n_docs"]) == [3, 2] and list(spread["n_groups"]) == [2, 2]
    assert spread.loc[0, "docs"] == "x, y, z"
