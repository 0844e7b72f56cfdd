"""Collocations and phrases: quanteda's lambda and z checked against a brute-force replay of its algorithm,
PMI, logDice and t-score by hand, phrases built pair by pair, and joining them into single tokens."""
from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

import analysis
from analysis import phrases as P
from analysis.segmentation import Segmented
from analysis.tokenization import compound
from conftest import make_corpus


def _quanteda_lambda(windows: list[tuple], target: tuple, smoothing: float) -> tuple[float, float]:
    """quanteda.textstats' cpp_collocations, replayed literally: for every observed window of the target's
    length, the bit pattern of the positions where it agrees with the target; lambda and sigma over the
    2^n cells ('all subtuples', Blaheta & Johnson)."""
    n = len(target)
    counts = [smoothing] * (2 ** n)
    for w in windows:
        bit = sum(2 ** i for i in range(n) if w[i] == target[i])
        counts[bit] += 1
    lam = sum((-1) ** (n - bin(b).count("1")) * math.log(c) for b, c in enumerate(counts))
    sigma = math.sqrt(sum(1 / c for c in counts))
    return lam, sigma


@pytest.mark.parametrize("n", [2, 3, 4])
def test_lambda_and_z_match_quantedas_algorithm(n):
    rng = np.random.default_rng(7)
    vocab = 6
    docs = [rng.integers(0, vocab, size=int(rng.integers(20, 60))) for _ in range(4)]
    word = np.ones(vocab, dtype=bool)
    word[5] = False  # token 5 is punctuation: no window crosses it
    strings = [f"w{i}" for i in range(vocab)]
    all_ids = np.concatenate(docs)
    unigram = np.bincount(all_ids[word[all_ids]], minlength=vocab).astype(float)
    got = P._score(docs, word, strings, n, 1, 0.5, unigram, unigram.sum())
    windows = [tuple(d[i:i + n]) for d in docs for i in range(len(d) - n + 1) if word[d[i:i + n]].all()]
    assert got["count"].sum() == len(windows)
    n_windows = len(windows)
    for row in got.to_dict("records"):
        target = tuple(int(t[1:]) for t in row["tokens"].split(" "))
        lam, sigma = _quanteda_lambda(windows, target, 0.5)
        assert row["count"] == windows.count(target)
        assert row["docs"] == sum(any(tuple(d[i:i + n]) == target for i in range(len(d) - n + 1)) for d in docs)
        assert row["lambda"] == pytest.approx(lam, abs=1e-10)
        assert row["sigma"] == pytest.approx(sigma, abs=1e-12)
        assert row["z"] == pytest.approx(lam / sigma, abs=1e-10)
        # PMI, logDice and t-score from their formulas
        p_words = [unigram[t] / unigram.sum() for t in target]
        count = row["count"]
        assert row["pmi"] == pytest.approx(math.log2((count / n_windows) / math.prod(p_words)))
        assert row["logdice"] == pytest.approx(14 + math.log2(n * count / sum(unigram[t] for t in target)))
        expected = n_windows * math.prod(p_words)
        assert row["t"] == pytest.approx((count - expected) / math.sqrt(count))


def test_bigram_lambda_is_the_log_odds_ratio_of_the_two_by_two_table():
    # windows: (a b) 3 times, (a c) once, (d b) once, (d c) twice
    docs = [np.array([0, 1]), np.array([0, 1]), np.array([0, 1]), np.array([0, 2]), np.array([3, 1]),
            np.array([3, 2]), np.array([3, 2])]
    word = np.ones(4, dtype=bool)
    stats = P._bigram_stats(docs, word, 1)
    ab = stats[(stats.x == 0) & (stats.y == 1)].iloc[0]
    n11, n12, n21, n22 = 3.5, 1.5, 1.5, 2.5
    lam = math.log(n11 * n22 / (n12 * n21))
    assert ab["z"] == pytest.approx(lam / math.sqrt(1 / n11 + 1 / n12 + 1 / n21 + 1 / n22))
    assert ab["count"] == 3 and ab["docs"] == 3
    assert ab["share"] == pytest.approx(3 / 4)  # a and b each occur 4 times


def test_windows_never_cross_punctuation_or_documents():
    ids = np.array([0, 1, 9, 0, 1, 1])
    ok = np.array([True, True, False, True, True, True])
    assert P._windows(ids, ok, 2).tolist() == [0, 3, 4]
    assert P._windows(ids, ok, 3).tolist() == [3]
    assert P._windows(ids[:1], ok[:1], 2).tolist() == []


def test_joining_pairs_goes_left_to_right_without_overlap():
    pair_ids = {0 * 10 + 1: 7, 1 * 10 + 2: 8}  # (0,1) -> 7 and (1,2) -> 8
    keys = np.sort(np.fromiter(pair_ids, dtype=np.int64))
    assert P._join_pairs(np.array([0, 1, 2, 0, 1, 2]), pair_ids, keys, 10).tolist() == [7, 2, 7, 2]
    assert P._join_pairs(np.array([3, 1, 2]), pair_ids, keys, 10).tolist() == [3, 8]
    assert P._join_pairs(np.array([4]), pair_ids, keys, 10).tolist() == [4]


@pytest.fixture(scope="module")
def phrase_corpus(tmp_path_factory):
    """A crafted corpus: 营商环境 always together, 加快 before many words, 高效办成一件事 built in passes."""
    before = ["优化", "改善", "打造", "提升", "建设", "稳定"]
    after = ["持续向好", "明显改善", "全面提升", "不断优化", "更加公平", "日益完善"]
    lead = ["推动", "推进", "落实", "深化", "坚持", "实现"]
    docs = {}
    for k in range(6):
        parts = []
        for j in range(3):
            a, b, c = before[(k + j) % 6], after[(k + 2 * j) % 6], lead[(k + j + 1) % 6]
            parts.append(f"{a}营商环境，营商环境{b}。加快建设，加快发展，加快推进，加快转型，加快培育。"
                         "建设、发展、推进、转型、培育，建设、发展、推进、转型、培育。"
                         f"{c}高效办成一件事，高效办成一件事{b}。")
        docs[f"d{k}.txt"] = "".join(parts)
    return analysis.load_corpus(make_corpus(tmp_path_factory.mktemp("phrases"), docs))


def test_find_phrases_joins_units_and_leaves_free_combinations(phrase_corpus):
    found = P.find_phrases(phrase_corpus)
    phrases = set(found["phrase"])
    assert "营商环境" in phrases
    # 加快 is followed by five words, each of them used more often elsewhere: no pair is the main use of a part
    assert not any(p.startswith("加快") for p in phrases)
    built = found.set_index("phrase")
    assert "高效办成一件事" in phrases and built.loc["高效办成一件事", "pass"] >= 2  # built pair by pair
    assert (found["count"] >= P.PHRASE_RULES["min_count"]).all() and (found["z"] >= P.PHRASE_RULES["min_z"]).all()
    assert (found["share"] >= P.PHRASE_RULES["min_share"]).all()
    # stricter rules find fewer; a corpus of one document needs a phrase in only that one
    assert len(P.find_phrases(phrase_corpus, min_count=10_000)) == 0


def test_phrase_edges_are_not_grammatical_words_nor_trailing_numbers():
    number = analysis.lexicon.number_matcher()
    grammatical = frozenset({"的", "和"})
    assert P._joinable(("营商",), ("环境",), 16, grammatical, number)
    assert not P._joinable(("发展",), ("的",), 16, grammatical, number)
    assert not P._joinable(("和",), ("发展",), 16, grammatical, number)
    assert not P._joinable(("排", "全区"), ("第",), 16, grammatical, number)
    assert not P._joinable(("成立",), ("75",), 16, grammatical, number)
    assert P._joinable(("一",), ("网通", "办"), 16, grammatical, number)  # a phrase may start with a numeral
    assert not P._joinable(("营商",), ("环境",), 3, grammatical, number)  # too long


def test_compound_joins_longest_first_left_to_right():
    seg = Segmented.from_pairs([("专精", "n"), ("特新", "d"), ("企业", "n"), ("，", "x"), ("专精", "n"),
                                ("特新", "d"), ("营商", "n"), ("环境", "n")])
    phrases = frozenset({("专精", "特新"), ("专精", "特新", "企业"), ("营商", "环境")})
    out = compound(seg, phrases).pairs()
    assert out == (("专精特新企业", "l"), ("，", "x"), ("专精特新", "l"), ("营商环境", "n"))
    assert "".join(t for t, _ in out) == "".join(t for t, _ in seg.pairs())  # lossless
    assert compound(seg, frozenset()) is seg


def _compound_by_hand(pairs, phrases):
    """The definition: at each position, the longest phrase that matches there (ties: code-point order), then on
    after it; every phrase tried at every position."""
    ordered = sorted(phrases, key=lambda p: (-len(p), p))
    out, i = [], 0
    while i < len(pairs):
        for ph in ordered:
            if tuple(t for t, _ in pairs[i:i + len(ph)]) == ph:
                tags = {tag for _, tag in pairs[i:i + len(ph)]}
                out.append(("".join(ph), tags.pop() if len(tags) == 1 else "l"))
                i += len(ph)
                break
        else:
            out.append(pairs[i])
            i += 1
    return tuple(out)


def test_compound_equals_trying_every_phrase_at_every_position():
    rng = np.random.default_rng(7)
    words = ["甲", "乙", "丙", "丁", "，"]
    tags = ["n", "v"]
    for _ in range(200):
        pairs = [(words[i], tags[j]) for i, j in zip(rng.integers(0, 5, 30), rng.integers(0, 2, 30))]
        phrases = frozenset(tuple(words[i] for i in rng.integers(0, 4, rng.integers(2, 5)))
                            for _ in range(rng.integers(1, 12)))
        seg = Segmented.from_pairs(pairs)
        assert compound(seg, phrases).pairs() == _compound_by_hand(seg.pairs(), phrases)


def test_dfm_counts_a_phrase_as_one_token(phrase_corpus):
    plain = analysis.dfm(phrase_corpus)
    joined = analysis.dfm(phrase_corpus, phrases=[("营商", "环境")])
    assert "营商环境" in joined.terms and "营商环境" not in plain.terms
    t = plain.terms.index("环境")
    assert joined.totals()["营商环境"] == plain.matrix[:, t].sum()  # every 环境 here follows 营商
    assert "环境" not in joined.terms
    found = analysis.dfm(phrase_corpus, phrases=True)
    assert "营商环境" in found.terms and "高效办成一件事" in found.terms


def test_phrase_files_round_trip_and_reviewed_choices_are_honoured(phrase_corpus, tmp_path):
    found = P.find_phrases(phrase_corpus)
    path = P.save_phrases(found, tmp_path / "phrases.tsv")
    back = P.load_phrases(path)
    assert list(back["tokens"]) == list(found["tokens"]) and (back["keep"] == 1).all()
    back.loc[back["phrase"] == "营商环境", "keep"] = 0
    P.save_phrases(back, path)
    assert ("营商", "环境") not in P.phrase_set(path)
    assert P.phrase_set(["营商 环境", ("高效", "办成")]) == {("营商", "环境"), ("高效", "办成")}
    with pytest.raises(ValueError, match="two tokens"):
        P.phrase_set(["营商"])
    bad = tmp_path / "bad.tsv"
    bad.write_text("keep\ttokens\nyes\t营商 环境\n", encoding="utf-8")
    with pytest.raises(ValueError, match="keep must be 1 or 0"):
        P.load_phrases(bad)


def test_a_corpus_folders_own_phrase_list_replaces_what_would_be_found(phrase_corpus):
    own = phrase_corpus.path / "phrases.tsv"
    try:
        own.write_text("tokens\n加快 建设\n", encoding="utf-8")
        assert P.corpus_phrases(phrase_corpus) == {("加快", "建设")}
    finally:
        own.unlink()
    assert ("营商", "环境") in P.corpus_phrases(phrase_corpus)


def test_collocations_table(phrase_corpus):
    table = analysis.collocations(phrase_corpus, size=[2, 3])
    assert list(table.columns) == P.COLLOCATION_COLUMNS
    assert set(table["length"]) == {2, 3}
    assert table["z"].is_monotonic_decreasing
    top = table.set_index("collocation")
    assert top.loc["营商环境", "count"] == 6 * 3 * 2 and top.loc["营商环境", "docs"] == 6
    with pytest.raises(ValueError, match="between 2 and 6"):
        analysis.collocations(phrase_corpus, size=1)
    assert list(itertools.islice(table["tokens"], 1))[0].count(" ") >= 1
    assert isinstance(table, pd.DataFrame)
