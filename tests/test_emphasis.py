"""Emphasis: the lexicon file, matching rules, rates and bootstrap intervals, positions, robustness, CLI."""
from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import analysis
from analysis.methods.emphasis import (
    LexiconError,
    emphasis,
    emphasis_by_document,
    emphasis_curve,
    emphasis_hits,
    emphasis_kwic,
    emphasis_leaders,
    emphasis_positions,
    emphasis_robustness,
    lexicon_coverage,
    load_emphasis_lexicon,
    match_text,
    robustness_summary,
    sentence_spans,
    suggest_terms,
    term_table,
    token_check,
)
from analysis.methods.emphasis import instrument_data
from analysis.methods.emphasis.bootstrap import bootstrap_sums
from conftest import make_corpus, run_cli

FILLER = "甲乙丙丁戊己庚辛壬癸"  # characters that form no lexicon term


def _default_mapping() -> dict:
    """The COVID instrument as one mapping (the force markers it includes resolved), to edit."""
    return instrument_data("covid")


def _tiny_lexicon(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(
        "categories:\n"
        "  - {id: alpha, kind: topic, zh: 甲, en: Alpha, definition: first test category, terms: [甲乙, 乙丙丁]}\n"
        "  - {id: beta, kind: force, zh: 乙, en: Beta, definition: second test category, terms: [防控, 控制]}\n",
        encoding="utf-8")
    return path




# --------------------------------------------------------------------------- the lexicon file


@pytest.mark.parametrize("name", ["governance", "covid", "force"])
def test_every_instrument_documents_every_category(name):
    lex = load_emphasis_lexicon(name)
    cats = lex.categories
    assert set(cats["kind"]) == ({"force"} if name == "force" else {"topic", "force"})
    assert cats["category"].is_unique
    for col in ("zh", "en", "definition", "rationale"):
        assert (cats[col].str.len() > 0).all(), col
    assert (cats["examples"].map(len) > 0).all()
    assert (cats["n_terms"] > 0).all()
    assert len(lex.rationale) > 200 and "Longest match first" in lex.matching
    # every declared overlap is listed in exactly its categories; every other term in one
    listed = lex.terms.groupby("term")["category"].agg(set)
    for row in lex.overlaps.itertuples():
        assert listed[row.term] == set(row.categories) and row.reason
    assert (listed[~listed.index.isin(lex.overlaps["term"])].map(len) == 1).all()
    assert lex.terms.loc[lex.terms["shared"], "term"].isin(lex.overlaps["term"]).all()


def test_undeclared_overlap_names_term_and_categories():
    data = _default_mapping()
    urgency = next(c for c in data["categories"] if c["id"] == "urgency")
    urgency["terms"].append("坚决")
    with pytest.raises(LexiconError) as info:
        load_emphasis_lexicon(data)
    msg = str(info.value)
    assert "坚决" in msg and "'intensifier'" in msg and "'urgency'" in msg and "overlaps" in msg
    # declaring it makes the file valid, and the term then credits both categories
    data["overlaps"].append({"term": "坚决", "categories": ["intensifier", "urgency"], "reason": "test"})
    lex = load_emphasis_lexicon(data)
    hits = match_text("坚决落实", lex)
    assert hits.loc[hits["term"] == "坚决", "categories"].item() == "intensifier+urgency"


def test_stale_or_wrong_overlap_declarations_are_errors():
    data = _default_mapping()
    data["overlaps"].append({"term": "硬仗", "categories": ["war", "urgency"], "reason": "not listed twice"})
    with pytest.raises(LexiconError, match="硬仗.*listed only in"):
        load_emphasis_lexicon(data)
    data = _default_mapping()
    next(o for o in data["overlaps"] if o["term"] == "务必")["categories"] = ["intensifier", "war"]  # listed in intensifier and obligation
    with pytest.raises(LexiconError, match="务必"):
        load_emphasis_lexicon(data)


@pytest.mark.parametrize("change, message", [
    (lambda c: c.update(kind="tone"), "kind must be one of"),
    (lambda c: c["terms"].append("坚决"), "listed twice"),
    (lambda c: c["terms"].append({"term": "严", "exclude": ["严肃", "认真"]}), "'认真' must contain the term"),
    (lambda c: c["terms"].append({"term": "严", "match": "regex"}), "match must be one of"),
    (lambda c: c["terms"].append({"term": "严", "weight": 2}), "unknown keys"),
    (lambda c: c["terms"].append("坚决。"), "sentence punctuation"),
    (lambda c: c.pop("definition"), "'definition' must be a non-empty string"),
    (lambda c: c.update(id="all_force"), "reserved"),
])
def test_malformed_lexicon_entries(change, message):
    data = _default_mapping()
    change(next(c for c in data["categories"] if c["id"] == "intensifier"))
    with pytest.raises(LexiconError, match=re.escape(message)):
        load_emphasis_lexicon(data)


def test_lexicon_file_errors(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("categories: [\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="not valid YAML"):
        load_emphasis_lexicon(bad)
    with pytest.raises(LexiconError, match="no such lexicon file"):
        load_emphasis_lexicon(tmp_path / "missing.yaml")


def test_nesting_lists_cross_category_substrings():
    nest = load_emphasis_lexicon().nesting()
    row = nest[(nest["shorter"] == "不能") & (nest["longer"] == "决不能")]
    assert row[["shorter_category", "longer_category"]].values.tolist() == [["obligation", "intensifier"]]
    assert (nest["shorter_category"] != nest["longer_category"]).all()


# --------------------------------------------------------------------------- matching


def test_filler_matches_nothing():
    assert match_text(FILLER * 3).empty


def test_longest_match_first_counts_once():
    m = match_text("决不能松懈。不能松懈。")
    counted = m[m["counted"]]
    assert counted[["start", "term", "categories"]].values.tolist() == [
        [0, "决不能", "intensifier"], [6, "不能", "obligation"]]
    lost = m[~m["counted"]].set_index("term")
    assert lost.loc["不能", "status"] == "overlapped by 决不能"
    assert lost.loc["决不", "status"] == "overlapped by 决不能"


def test_longest_wins_even_against_an_earlier_start_and_ties_go_left(tmp_path):
    lex = _tiny_lexicon(tmp_path)
    m = match_text("甲乙丙丁", lex)  # 甲乙 starts first, 乙丙丁 is longer
    assert m.loc[m["counted"], "term"].tolist() == ["乙丙丁"]
    m = match_text("防控制", lex)  # equal length: the earlier start wins
    assert m.loc[m["counted"], "term"].tolist() == ["防控"]
    assert m.loc[~m["counted"], "status"].tolist() == ["overlapped by 防控"]


def test_exclusion_contexts_and_token_matching():
    m = match_text("要求各地要做好。这很重要。须臾不可。必须做好。须做好。")
    status = {(r.start, r.term): r.status for r in m.itertuples()}
    assert status[(0, "要")] == "excluded: inside 要求"
    assert status[(4, "要")] == "counted"
    assert status[(11, "要")] == "excluded: inside 重要"
    assert status[(13, "须")] == "not a word: inside 须臾"
    assert status[(18, "必须")] == "counted"
    assert status[(19, "须")] == "overlapped by 必须"
    assert status[(23, "须")] == "counted"


# --------------------------------------------------------------------------- sentences


def _reference_spans(text: str) -> list[tuple[int, int]]:
    d, c = "。！？；!?;\n", "”’」』）)】"
    pieces = [m.span() for m in re.finditer(f"[^{d}]*[{d}][{d}{c}]*|[^{d}]+", text)]
    out: list[list[int]] = []
    for s, e in pieces:
        blank = not text[s:e].strip(d + c + " \t\r\u3000\xa0")
        if out and (blank or not text[out[-1][0]:out[-1][1]].strip(d + c + " \t\r\u3000\xa0")):
            out[-1][1] = e
        else:
            out.append([s, e])
    return [tuple(x) for x in out]


def test_sentence_spans_on_a_crafted_text():
    text = "\n\n第一句。”第二句！\n\n  \n第三句；第四句没有结尾"
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == ["\n\n第一句。”", "第二句！\n\n  \n", "第三句；", "第四句没有结尾"]
    assert sentence_spans("").shape == (0, 2)
    assert sentence_spans("。\n").tolist() == [[0, 2]]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="甲乙。！；\n ”）a?", max_size=40))
def test_sentence_spans_match_the_reference_and_cover_the_text(text):
    spans = sentence_spans(text)
    assert [tuple(x) for x in spans.tolist()] == _reference_spans(text)
    if text:
        assert spans[0, 0] == 0 and spans[-1, 1] == len(text)
        assert (spans[1:, 0] == spans[:-1, 1]).all()


# --------------------------------------------------------------------------- rates and intervals


@pytest.fixture
def crafted(tmp_path):
    docs = {
        "a1.txt": "坚决甲乙丙丁。要求甲乙要丙丁。决不能甲乙。",
        "a2.txt": "甲乙丙丁戊己庚辛。务必甲乙。",
        "b1.txt": "不能甲乙丙丁。甲乙丙丁戊。",
    }
    return analysis.load_corpus(make_corpus(tmp_path / "crafted", docs, region=["A", "A", "B"]))


def test_exact_counts_rates_and_shares(crafted):
    e = emphasis(crafted, by="region", n_boot=200).set_index(["group", "category"])
    n_chars = crafted.to_frame().groupby("region")["n_chars"].sum()
    assert n_chars["A"] == len("坚决甲乙丙丁。要求甲乙要丙丁。决不能甲乙。") + len("甲乙丙丁戊己庚辛。务必甲乙。")
    expected = {  # (group, category): (count, sentences with a hit, sentences)
        ("A", "intensifier"): (3, 3, 5),  # 坚决, 决不能 (not 不能), 务必 (shared)
        ("A", "obligation"): (2, 2, 5),  # 要 (not 要求), 务必 (shared)
        ("A", "all_force"): (4, 4, 5),  # 务必 counted once
        ("A", "war"): (0, 0, 5),
        ("B", "obligation"): (1, 1, 2),
        ("B", "intensifier"): (0, 0, 2),
    }
    for (g, c), (count, with_hit, n_sent) in expected.items():
        row = e.loc[(g, c)]
        assert row["count"] == count and row["sentences_with"] == with_hit and row["n_sentences"] == n_sent
        assert row["n_chars"] == n_chars[g]
        assert row["per_10k"] == pytest.approx(10_000 * count / n_chars[g])  # hits per 10,000 characters
        assert row["sentence_share"] == pytest.approx(with_hit / n_sent)
        assert row["per_10k_low"] <= row["per_10k"] <= row["per_10k_high"]
        assert row["share_low"] <= row["sentence_share"] <= row["share_high"]
    assert e.loc[("A", "war"), ["per_10k_low", "per_10k_high"]].tolist() == [0, 0]
    assert (e["n_docs"].unstack().T.iloc[0].to_dict()) == {"A": 2, "B": 1}


def test_hits_table_agrees_with_counts(crafted):
    hits = emphasis_hits(crafted, by="region")
    e = emphasis(crafted, n_boot=0, totals=False)
    counts = hits.groupby(["group", "category"]).size()
    for r in e.itertuples():
        assert counts.get((r.group, r.category), 0) == r.count
    a1 = hits[hits["doc_id"] == "a1"]
    assert a1[["sentence", "start", "end", "term"]].values.tolist() == [
        [0, 0, 2, "坚决"], [1, 11, 12, "要"], [2, 15, 18, "决不能"]]
    assert e["per_10k_low"].isna().all()


def test_every_rate_column_is_named_after_the_suite_unit(crafted):
    from analysis.config import RATE_PER, RATE_UNIT

    e = emphasis(crafted, n_boot=50)
    assert {RATE_UNIT, f"{RATE_UNIT}_low", f"{RATE_UNIT}_high"} <= set(e.columns)
    np.testing.assert_allclose(e[RATE_UNIT], RATE_PER * e["count"] / e["n_chars"])
    robust = emphasis_robustness(crafted)
    for table in (e, emphasis_positions(crafted), emphasis_curve(crafted, points=5), emphasis_leaders(e), robust,
                  robustness_summary(robust)):
        assert RATE_UNIT in "".join(table.columns)
        assert not [c for c in table.columns if {"rate", "ci"} & set(c.split("_")) or "1000" in c], table.columns


def _synthetic_corpus(tmp_path, n=600, p=0.25, seed=7):
    rng = np.random.default_rng(seed)
    sentences = []
    for has in rng.random(n) < p:
        body = "".join(rng.choice(list(FILLER), size=17 if has else 19))
        sentences.append(("坚决" + body if has else body) + "。")  # every sentence is 20 characters
    text = "".join(sentences)
    return analysis.load_corpus(make_corpus(tmp_path / "synthetic", {"s.txt": text}, region=["S"])), text


def test_interval_contains_the_true_rate_and_has_the_right_width(tmp_path):
    corp, text = _synthetic_corpus(tmp_path)
    row = emphasis(corp, n_boot=2000, categories=["intensifier"]).iloc[0]
    assert row["n_sentences"] == 600 and row["n_chars"] == 12000
    true_rate = 10_000 * 0.25 / 20  # one hit in a quarter of the 20-character sentences, per 10,000 characters
    assert row["per_10k_low"] < true_rate < row["per_10k_high"]
    # with equal sentence lengths the rate is 500 (10,000 / 20) × the proportion of sentences with a hit
    p_hat = text.count("坚决") / 600
    assert row["per_10k"] == pytest.approx(500 * p_hat)
    half_width = 1.96 * 500 * np.sqrt(p_hat * (1 - p_hat) / 600)
    assert (row["per_10k_high"] - row["per_10k_low"]) / 2 == pytest.approx(half_width, rel=0.1)


def test_bootstrap_coverage_and_ratio_standard_error():
    """Percentile intervals of a ratio of sums cover the true ratio about 95% of the time."""
    rng = np.random.default_rng(11)
    true_rate, n, covered, widths, se_delta = 0.02, 150, 0, [], []
    for rep in range(200):
        lengths = rng.integers(5, 60, size=n)
        counts = rng.poisson(true_rate * lengths)
        X = np.column_stack([counts, lengths]).astype(float)
        S = bootstrap_sums(X, 400, np.random.default_rng(rep))
        ratio = S[:, 0] / S[:, 1]
        lo, hi = np.quantile(ratio, [0.025, 0.975])
        covered += lo <= true_rate <= hi
        r = counts.sum() / lengths.sum()
        se_delta.append(np.sqrt(np.var(counts - r * lengths, ddof=1) / n) / lengths.mean())
        widths.append(ratio.std(ddof=1))
    assert 0.90 <= covered / 200 <= 0.99
    assert np.mean(widths) == pytest.approx(np.mean(se_delta), rel=0.05)


def test_bootstrap_sums_are_resampling_sums_in_any_chunking():
    rng = np.random.default_rng(3)
    X = rng.integers(0, 9, size=(37, 4)).astype(float)
    chunked = bootstrap_sums(X, 50, np.random.default_rng(42), max_cells=37 * 7)
    idx = np.random.default_rng(42).integers(0, 37, size=(50, 37))
    np.testing.assert_array_equal(chunked, X[idx].sum(axis=1))


def test_seeded_and_reproducible(crafted, tmp_path):
    corp, _ = _synthetic_corpus(tmp_path, n=200)
    a = emphasis(corp, n_boot=300, seed=1)
    pd.testing.assert_frame_equal(a, emphasis(corp, n_boot=300, seed=1))
    b = emphasis(corp, n_boot=300, seed=2)
    assert not np.allclose(a["per_10k_low"], b["per_10k_low"]) or not np.allclose(a["per_10k_high"], b["per_10k_high"])
    pd.testing.assert_frame_equal(a.drop(columns=["per_10k_low", "per_10k_high", "share_low", "share_high"]),
                                  b.drop(columns=["per_10k_low", "per_10k_high", "share_low", "share_high"]))
    # a group's stream depends on the seed and its name only, not on the other groups
    both = emphasis(crafted, by="region", n_boot=300, seed=5)
    b_alone = emphasis(analysis.load_corpus(make_corpus(
        tmp_path / "b_only", {"b1.txt": "不能甲乙丙丁。甲乙丙丁戊。"}, region=["B"])), by="region", n_boot=300, seed=5)
    pd.testing.assert_frame_equal(both[both["group"] == "B"].reset_index(drop=True).drop(columns="n_docs"),
                                  b_alone.drop(columns="n_docs"), check_dtype=False)


def test_level_nests_intervals_and_unit_document(tmp_path, crafted):
    corp, _ = _synthetic_corpus(tmp_path, n=300)
    wide = emphasis(corp, n_boot=500, level=0.95, categories=["intensifier"]).iloc[0]
    narrow = emphasis(corp, n_boot=500, level=0.5, categories=["intensifier"]).iloc[0]
    assert (wide["per_10k_low"] < narrow["per_10k_low"] < narrow["per_10k"] < narrow["per_10k_high"]
            < wide["per_10k_high"])
    # one document per group: resampling documents cannot vary anything
    doc = emphasis(crafted, by="region", unit="document", n_boot=100)
    one = doc[doc["group"] == "B"]
    np.testing.assert_allclose(one["per_10k_low"], one["per_10k"])
    np.testing.assert_allclose(one["per_10k_high"], one["per_10k"])
    with pytest.raises(ValueError, match="unit"):
        emphasis(crafted, unit="paragraph")
    with pytest.raises(ValueError, match="level"):
        emphasis(crafted, level=1.5)
    with pytest.raises(ValueError, match="n_boot"):
        emphasis(crafted, n_boot=-1)


def test_by_document_and_by_group_agree(crafted):
    docs = emphasis_by_document(crafted, n_boot=0)
    assert sorted(docs["group"].unique()) == sorted(crafted.ids)
    groups = crafted.group_column("region")
    summed = docs.assign(g=docs["group"].map(groups)).groupby(["g", "category"])["count"].sum()
    by_group = emphasis(crafted, n_boot=0).set_index(["group", "category"])["count"]
    assert summed.sort_index().tolist() == by_group.sort_index().tolist()


def test_swapped_lexicon_by_path(tmp_path, crafted):
    path = _tiny_lexicon(tmp_path)
    e = emphasis(crafted, lexicon=path, n_boot=0)
    assert list(dict.fromkeys(e["category"])) == ["alpha", "beta", "all_topic", "all_force"]
    a = e.set_index(["group", "category"])
    assert a.loc[("A", "alpha"), "count"] == 5  # 甲乙 in every sentence of A but 乙丙丁 wins in 甲乙丙丁
    assert a.loc[("A", "beta"), "count"] == 0


def test_seeds_are_scored_for_every_region(seeds_corpus, seed_manifest):
    from analysis.methods import emphasis as module  # its path no longer collides with the function

    assert analysis.emphasis is module.emphasis and not callable(module)
    e = analysis.emphasis(seeds_corpus, by="region", n_boot=300)
    assert sorted(e["group"].unique()) == sorted(seed_manifest["region"].unique())
    chars = seeds_corpus.to_frame().groupby("region")["n_chars"].sum()
    assert (e.groupby("group")["n_chars"].first() == chars).all()
    hits = emphasis_hits(seeds_corpus, by="region")
    counts = hits.groupby(["group", "category"]).size()
    for r in e[~e["category"].str.startswith("all_")].itertuples():
        assert counts.get((r.group, r.category), 0) == r.count
        assert r.per_10k_low <= r.per_10k <= r.per_10k_high
        assert 0 <= r.share_low <= r.sentence_share <= r.share_high <= 1
    obligation = e[e["category"] == "obligation"]
    assert (obligation["count"] > 0).all()


# --------------------------------------------------------------------------- position


def test_positions_in_thirds(tmp_path):
    text = list(FILLER * 3)  # 30 characters
    for p in (0, 12, 25, 27):
        text[p:p + 2] = list("坚决")
    corp = analysis.load_corpus(make_corpus(tmp_path / "pos", {"p.txt": "".join(text)}, region=["P"]))
    assert len(corp.docs[0].text) == 30
    pos = emphasis_positions(corp, by="region")
    i = pos[pos["category"] == "intensifier"]
    assert i["label"].tolist() == ["beginning", "middle", "end"]
    assert i["count"].tolist() == [1, 1, 2] and i["n_chars"].tolist() == [10, 10, 10]
    assert i["per_10k"].tolist() == pytest.approx([1000, 1000, 2000])  # 1, 1 and 2 hits in 10 characters
    assert i["share"].tolist() == pytest.approx([0.25, 0.25, 0.5])
    five = emphasis_positions(corp, by="region", bins=5)
    assert five.loc[five["category"] == "war", "share"].isna().all()
    assert five.loc[five["category"] == "war", "n_chars"].sum() == 30


def test_uneven_parts_follow_character_positions(tmp_path):
    text = FILLER * 3 + "甲"  # 31 characters: parts of 11, 10, 10
    corp = analysis.load_corpus(make_corpus(tmp_path / "pos31", {"p.txt": text[:10] + "坚决" + text[12:]},
                                            region=["P"]))
    i = emphasis_positions(corp, by="region").query("category == 'intensifier'")
    assert i["n_chars"].tolist() == [11, 10, 10] and i["count"].tolist() == [1, 0, 0]


def test_curve_is_flat_for_evenly_spread_hits(tmp_path):
    corp = analysis.load_corpus(make_corpus(tmp_path / "flat", {"f.txt": ("坚决" + FILLER[:7] + "。") * 300},
                                            region=["F"]))
    curve = emphasis_curve(corp, by="region", points=21, bandwidth=0.05)
    c = curve[curve["category"] == "intensifier"]["per_10k"].to_numpy()
    np.testing.assert_allclose(c, 1000, rtol=0.03)  # one hit in every 10 characters
    assert (curve[curve["category"] == "war"]["per_10k"] == 0).all()


# --------------------------------------------------------------------------- robustness


def test_leave_one_term_out_on_known_numbers(tmp_path):
    docs = {"a.txt": "坚决甲乙。坚决甲乙。坚决甲乙。严格甲乙。", "b.txt": "严格甲乙。严格甲乙。甲乙丙丁。甲乙丙丁。"}
    corp = analysis.load_corpus(make_corpus(tmp_path / "rob", docs, region=["A", "B"]))
    r = emphasis_robustness(corp, by="region", categories=["intensifier"]).set_index("term")
    # 20 characters each: A has 4 intensifiers (2,000 per 10,000 characters), B 2 (1,000); without 坚决, A has 1
    assert r.loc["坚决", ["per_10k_a", "per_10k_b", "diff_per_10k"]].tolist() == pytest.approx([2000, 1000, 1000])
    assert (r.loc["坚决", ["per_10k_a_without", "per_10k_b_without", "diff_per_10k_without"]].tolist()
            == pytest.approx([500, 1000, -500]))
    assert r.loc["坚决", "flips"] and r.loc["坚决", "fragile"] and r.loc["坚决", "shrink"] == pytest.approx(0.5)
    assert r.loc["严格", "diff_per_10k_without"] == pytest.approx(1500)  # A keeps 3 hits, B none
    assert r.loc["严格", "shrink"] == pytest.approx(-0.5) and not r.loc["严格", "fragile"]
    summary = robustness_summary(emphasis_robustness(corp, by="region")).set_index("category")
    assert summary.loc["intensifier", "top_term"] == "坚决"
    assert summary.loc["intensifier", "flip_terms"] == "坚决" and summary.loc["intensifier", "fragile"]


def test_leave_one_term_out_rematches_shorter_terms(tmp_path):
    docs = {"a.txt": "决不能甲乙。决不能甲乙。", "b.txt": "决不甲乙丙。甲乙丙丁戊。"}
    corp = analysis.load_corpus(make_corpus(tmp_path / "rem", docs, region=["A", "B"]))
    r = emphasis_robustness(corp, by="region").set_index(["category", "term"])
    row = r.loc[("intensifier", "决不能")]
    assert row["count_a"] == 2 and row["per_10k_a_without"] == pytest.approx(row["per_10k_a"])  # 决不 takes over
    assert r.loc[("intensifier", "决不"), "count_b"] == 1
    # a near-zero difference is reported but never flagged
    tiny = emphasis_robustness(corp, by="region", min_rel_diff=10)
    assert not tiny["fragile"].any()


# --------------------------------------------------------------------------- concordance and validity


def test_kwic_statuses(crafted):
    k = emphasis_kwic(crafted, term="要", by="region")
    assert k[["doc_id", "start", "status"]].values.tolist() == [
        ["a1", 7, "excluded: inside 要求"], ["a1", 11, "counted"]]
    counted = emphasis_kwic(crafted, category="intensifier", counted=True)
    assert counted["keyword"].tolist() == ["坚决", "决不能", "务必"] and counted["counted"].all()
    assert emphasis_kwic(crafted, term="甲乙丙丁戊")["status"].unique().tolist() == ["not in the lexicon"]
    with pytest.raises(ValueError):
        emphasis_kwic(crafted)


def test_leaders_term_table_and_coverage(crafted):
    e = emphasis(crafted, n_boot=200)
    lead = emphasis_leaders(e).set_index("category")
    row = lead.loc["intensifier"]
    assert (row["leader"], row["runner_up"], row["runner_up_per_10k"]) == ("A", "B", 0)
    b_high = e.set_index(["group", "category"]).loc[("B", "intensifier"), "per_10k_high"]
    assert row["separated"] == (row["per_10k_low"] > b_high) and row["runner_up_per_10k_high"] == b_high
    tt = term_table(crafted).set_index(["category", "term"])
    assert tt.loc[("obligation", "要"), ["counted", "excluded", "occurrences"]].tolist() == [1, 1, 2]
    assert tt.loc[("obligation", "不能"), ["counted", "overlapped"]].tolist() == [1, 1]
    assert tt.loc[("intensifier", "务必"), "counted"] == tt.loc[("obligation", "务必"), "counted"] == 1
    cov = lexicon_coverage(crafted).set_index("category")
    assert cov.loc["intensifier", ["hits", "terms_used"]].tolist() == [3, 3]
    assert (cov.loc["obligation", "top_term"], cov.loc["obligation", "top_share"]) == ("不能", pytest.approx(1 / 3))
    assert cov.loc["obligation", "not_counted"] == 2  # 要 in 要求, 不能 in 决不能
    assert cov.loc["war", "hits"] == 0 and np.isnan(cov.loc["war", "top_share"])


def test_token_check_and_suggestions(seeds_corpus):
    tc = token_check(seeds_corpus, "要")
    assert {"token", "standalone", "counted"} <= set(tc.columns)
    assert tc.loc[tc["status"].str.startswith("excluded: inside 要求"), "standalone"].eq(False).all()
    assert tc["standalone"].any()
    sug = suggest_terms(seeds_corpus, "obligation", n=10)
    terms = set(load_emphasis_lexicon("covid").terms["term"])  # the seeds' instrument (seeds/corpus.yaml)
    assert not any(t in w or w in t for w in sug["word"] for t in terms)
    assert sug["log2_ratio"].is_monotonic_decreasing and (sug["in_category"] >= 3).all()


# --------------------------------------------------------------------------- command line and plots


def test_cli_emphasis_on_seeds(seed_manifest):
    code, out, err = run_cli(["emphasis", "--format", "csv", "--n-boot", "300"])
    assert code == 0, err
    df = pd.read_csv(io.StringIO(out))
    for col in ("group", "category", "per_10k", "per_10k_low", "per_10k_high", "count", "n_chars"):
        assert col in df.columns
    assert sorted(df["group"].unique()) == sorted(seed_manifest["region"].unique())
    ref = emphasis(analysis.load_corpus(), n_boot=300)
    np.testing.assert_allclose(df["per_10k_high"], ref["per_10k_high"], rtol=1e-5)
    code, _, err = run_cli(["emphasis", "--n-boot", "-5"])
    assert code == 2 and "--n-boot" in err and "Traceback" not in err


def test_cli_emphasis_on_another_corpus(city_sample):
    code, out, err = run_cli(["emphasis", "--corpus", str(city_sample), "--by", "half", "--format", "csv",
                               "--n-boot", "200"])
    assert code == 0, err
    df = pd.read_csv(io.StringIO(out))
    assert sorted(df["group"].unique()) == ["A", "B"]
    assert len(df) == 2 * len(dict.fromkeys(df["category"]))
    assert ((df["per_10k_low"] <= df["per_10k"]) & (df["per_10k"] <= df["per_10k_high"])).all()
    code, out, err = run_cli(["emphasis", "--corpus", str(city_sample), "--by", "id", "--n-boot", "0",
                               "--format", "csv"])
    assert code == 0, err
    assert pd.read_csv(io.StringIO(out))["group"].nunique() == 12


def test_plots_return_figures(crafted):
    import matplotlib.pyplot as plt

    from analysis.plots.emphasis import emphasis_heatmap, emphasis_intervals, position_profile, robustness_plot

    analysis.setup("test_emphasis")
    e = emphasis(crafted, n_boot=100)
    fig = emphasis_heatmap(e)
    assert len(fig.axes) == 2 and len(fig.axes[0].texts) == e["category"].nunique() * 2
    fig2 = emphasis_intervals(e, categories=["intensifier", "obligation"], value="share")
    assert sum(ax.axison for ax in fig2.axes) == 2
    fig3 = position_profile(emphasis_curve(crafted), categories=["intensifier"])
    assert len(fig3.axes[0].lines) == 2 + 2  # two groups, two thirds markers
    fig4 = robustness_plot(emphasis_robustness(crafted))
    assert fig4.axes[0].get_title() == "A − B"
    plt.close("all")
