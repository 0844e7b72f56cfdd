"""Properties that hold for any input, checked with hypothesis, and determinism of the pipeline.

* cleaning is idempotent, accounts for every character and replays from its audit;
* segmentation is lossless;
* keyness statistics flip sign (or stay equal) when target and reference swap, scale
  as they should, and match scipy on random tables;
* loading, cleaning, tokens and the document-term matrix are the same on every run,
  whatever Python's hash seed (so no result depends on set or dict order).

Generated texts are built from the seeds' own lines, characters and debris
(Traditional characters, full-width digits, URLs, page numbers, zero-width
characters, random line breaks), so they look like the documents users bring.
Hypothesis runs derandomized: the same examples on every run.
"""
from __future__ import annotations

import string

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

import analysis
import badinput as bi
from analysis.cleaning import clean, replay, traditional_only_chars
from analysis.text import CJK_RE
from analysis.methods.keyness import keyness_stats
from analysis.tokenization import segment, tokenize

PROPS = settings(max_examples=80, deadline=None, derandomize=True, database=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

RAW = [bi.seed_raw(i) for i in range(5)]
LINES = sorted({line for t in RAW for line in t.split("\n") if line.strip()})
CHARS = sorted(set("".join(RAW)) - {"\n", "\r"})
TRADITIONAL = sorted(set(RAW[1]) - set(clean(RAW[1]).text))  # characters t2s changes, from the Traditional seed
DEBRIS = [
    " ", "  ", "\u3000\u3000", "\t", "\n", "\n\n", "\r\n", "\r", "\u00a0", "\u200b", "\ufeff", "\u00ad", "\x1a",
    ",", ";", ":", "!", "?", "(", ")", "（", "）", "，", "。", "、", "“", "”", "《", "》", "—", "-", "|", "｜",
    "一、", "（一）", "1.", "第一章", "一是", "2022年1月1日", "2022 年", "12:01", "第3页 共9页", "- 3 -",
    "当前位置：首页 > 新闻", "原标题：", "版权所有", "抄送：各市", "2024-03-19 10:21 ", "（此件公开发布）",
    "2022年1月1日印发",
]


def _slice(s: str) -> st.SearchStrategy[str]:
    return st.tuples(st.integers(0, len(s)), st.integers(0, len(s))).map(lambda ij: s[min(ij):max(ij)])


def _break(s: str, cuts: list[int]) -> str:
    """``s`` with line breaks inserted at the given positions (as a PDF export breaks lines)."""
    for c in sorted({c % (len(s) + 1) for c in cuts}, reverse=True):
        s = s[:c] + "\n" + s[c:]
    return s


lines = st.sampled_from(LINES).flatmap(_slice)
broken_lines = st.builds(_break, st.sampled_from(LINES), st.lists(st.integers(0, 400), max_size=3))
chars = st.text(st.sampled_from(CHARS + TRADITIONAL), max_size=10)
fullwidth = st.text(st.sampled_from([chr(c) for c in range(0xFF10, 0xFF1A)] + list("ＡＢＣａｂｃ")), min_size=1, max_size=4)
digits = st.integers(0, 10**6).map(str)
urls = st.builds(lambda host, path: f"http://www.{host}.gov.cn/{path}.html",
                 st.text(string.ascii_lowercase, min_size=1, max_size=6), st.text(string.ascii_lowercase + "0123456789/", max_size=8))
fragment = st.one_of(lines, broken_lines, chars, st.sampled_from(DEBRIS), fullwidth, digits, urls)
documents = st.lists(fragment, max_size=10).map("".join)


# --------------------------------------------------------------------------- cleaning


@PROPS
@given(documents)
def test_cleaning_is_idempotent(text):
    once = clean(text).text
    assert clean(once).text == once


@PROPS
@given(documents)
def test_cleaning_accounts_for_every_character_and_gives_tidy_text(text):
    result = clean(text)
    assert len(text) == len(result.text) + sum(len(e.old) - len(e.new) for e in result.edits)
    assert replay(text, result.edits) == result.text
    out = result.text
    assert "\r" not in out and "\n\n" not in out and out == out.strip()
    assert all(line == line.strip(" \t\u3000\u00a0") for line in out.split("\n"))
    assert not set(out) & {"\u200b", "\ufeff", "\u00ad", "\x1a", "\u3000", "\t"}
    assert traditional_only_chars(out) == []
    # Chinese characters are never created: each one comes from the text (or is its Simplified form)
    assert len(CJK_RE.findall(out)) <= len(CJK_RE.findall(text))


# --------------------------------------------------------------------------- segmentation


@settings(PROPS, max_examples=30)
@given(documents)
def test_segmentation_is_lossless_and_tokens_come_from_the_text(text):
    for t in (text, clean(text).text):
        seg = segment(t)
        assert "".join(seg["token"]) == t
        assert list(seg["start"][1:]) == list(seg["end"][:-1])
        assert all(t[s:e] == tok for tok, s, e in zip(seg["token"], seg["start"], seg["end"]))
        for tok in tokenize(t, stopwords=False, min_chars=1):
            assert tok in t or (tok.isascii() and tok in t.lower())


# --------------------------------------------------------------------------- keyness


@st.composite
def count_vectors(draw):
    n = draw(st.integers(1, 8))
    a = np.array(draw(st.lists(st.integers(0, 60), min_size=n, max_size=n)), dtype=float)
    b = np.array(draw(st.lists(st.integers(0, 60), min_size=n, max_size=n)), dtype=float)
    a[0] += draw(st.integers(1, 30))  # every side has tokens
    b[-1] += draw(st.integers(1, 30))
    return a, b


KEY = settings(max_examples=50, deadline=None, derandomize=True, database=None)


@KEY
@given(count_vectors())
def test_keyness_swapping_sides_flips_signed_statistics(ab):
    a, b = ab
    fwd, rev = keyness_stats(a, b), keyness_stats(b, a)
    for col in ("g2", "log_ratio", "logodds_z"):
        np.testing.assert_allclose(rev[col], -fwd[col], rtol=1e-9, atol=1e-9)
    for col in ("p_value", "chi2", "chi2_p"):
        np.testing.assert_allclose(rev[col], fwd[col], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(rev["log_ratio_low"], -fwd["log_ratio_high"], rtol=1e-9, atol=1e-9)
    # the sign of G2 says which side uses the term more
    rel = a / a.sum() - b / b.sum()
    assert np.all(np.sign(fwd["g2"])[np.abs(rel) > 1e-12] == np.sign(rel)[np.abs(rel) > 1e-12])


@KEY
@given(count_vectors(), st.integers(2, 5))
def test_keyness_scales_with_the_counts(ab, k):
    # k times the text: G2 and chi2 grow k-fold, relative frequencies (log ratio) do not change
    a, b = ab
    one, many = keyness_stats(a, b), keyness_stats(k * a, k * b)
    np.testing.assert_allclose(many["g2"], k * one["g2"], rtol=1e-8, atol=1e-8)
    np.testing.assert_allclose(many["chi2"], k * one["chi2"], rtol=1e-8, atol=1e-8)
    both = (a > 0) & (b > 0)
    np.testing.assert_allclose(many["log_ratio"][both], one["log_ratio"][both], rtol=1e-12)


@KEY
@given(count_vectors())
def test_keyness_matches_scipy_on_random_tables(ab):
    a, b = ab
    n1, n2 = a.sum(), b.sum()
    got = keyness_stats(a, b)
    for i in range(len(a)):
        table = [[a[i], b[i]], [n1 - a[i], n2 - b[i]]]
        if min(a[i] + b[i], n1 + n2 - a[i] - b[i]) == 0:
            continue  # a zero margin: scipy refuses the table
        g = stats.chi2_contingency(table, correction=False, lambda_="log-likelihood")
        c = stats.chi2_contingency(table, correction=False)
        assert abs(got["g2"][i]) == pytest.approx(g.statistic, rel=1e-9, abs=1e-9)
        assert got["p_value"][i] == pytest.approx(g.pvalue, rel=1e-7, abs=1e-12)
        assert got["chi2"][i] == pytest.approx(c.statistic, rel=1e-9, abs=1e-9)
        assert got["chi2_p"][i] == pytest.approx(c.pvalue, rel=1e-7, abs=1e-12)
        if a[i] and b[i]:
            assert got["log_ratio"][i] == pytest.approx(np.log2((a[i] / n1) / (b[i] / n2)), rel=1e-12, abs=1e-12)


# --------------------------------------------------------------------------- determinism


def test_loading_and_counting_twice_gives_identical_results(seeds_corpus):
    again = analysis.load_corpus()
    assert [(d.id, d.text, d.result.edits) for d in again] == [(d.id, d.text, d.result.edits) for d in seeds_corpus]
    assert analysis.tokens(again) == analysis.tokens(seeds_corpus)
    one, two = analysis.dfm(seeds_corpus, by="region"), analysis.dfm(again, by="region")
    assert one.rows == two.rows and one.terms == two.terms
    assert (one.matrix != two.matrix).nnz == 0
    assert bi.fingerprint(again) == bi.fingerprint(seeds_corpus)


def test_results_do_not_depend_on_the_hash_seed(seeds_corpus):
    # a fresh interpreter with another hash seed (so other set and dict orders) and no cache
    # must produce the same texts, edits, tokens and counts, on the seeds and the bad-input set
    folder, res = bi.fresh_interpreter_run()
    assert res.returncode == 0, res.stderr
    here = [bi.fingerprint(seeds_corpus), bi.fingerprint(analysis.corpus.scan(folder)[0])]
    assert res.stdout.split()[1:] == here
