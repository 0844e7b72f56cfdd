"""Trends over time, rise and fall between periods, terms' lifespans: crafted dated corpora, known answers."""
from __future__ import annotations

import pandas as pd
import pytest

import analysis
from analysis.errors import AnalysisError
from analysis.methods.trends import TREND_COLUMNS, trends
from conftest import make_corpus


@pytest.fixture(scope="module")
def dated(tmp_path_factory):
    """Five documents over 2001–2004 (2002 has none) in two regions, and one undated."""
    docs = {
        "a.txt": "坚持改革开放。改革开放是关键。深化改革。",         # 2001, X: 改革开放 ×2
        "b.txt": "推动高质量发展。扩大开放。",                       # 2001, Y: 改革开放 ×0
        "c.txt": "改革开放不停步。推动高质量发展。",                 # 2003, X
        "d.txt": "高质量发展。高质量发展。",                         # 2004, X
        "e.txt": "高质量发展，高质量发展。",                         # 2004, Y: same length and count as d
        "u.txt": "没有日期的改革开放。",                             # undated
    }
    folder = make_corpus(tmp_path_factory.mktemp("dated"), docs,
                         date=["2001-01-05", "2001-06", "2003", "2004-02-01", "2004-11-30", ""],
                         region=["X", "Y", "X", "X", "Y", "X"])
    return analysis.load_corpus(folder, cache=False)


def _trends(corp, terms, **kw):
    with pytest.warns(UserWarning, match=r"1 undated document\(s\) left out of the time axis: u\b"):
        return trends(corp, terms, **kw)


def test_counts_rates_and_the_periods_present(dated):
    t = _trends(dated, ["改革开放", "高质量发展"], n_boot=200)
    assert list(t.columns) == TREND_COLUMNS
    reform = t[t["term"] == "改革开放"]
    assert list(reform["period"]) == ["2001", "2003", "2004"]  # 2002 has no document: absent
    assert list(reform["count"]) == [2, 1, 0]  # 2004 has documents but no occurrence: a row with 0
    assert list(reform["documents"]) == [2, 1, 2]
    chars_2001 = len(dated["a"].text) + len(dated["b"].text)
    assert reform["n_chars"].iloc[0] == chars_2001
    assert reform["per_10k"].iloc[0] == pytest.approx(2 / chars_2001 * 10_000)
    assert set(t["group"]) == {"all"}
    assert reform["start"].iloc[1] == pd.Timestamp("2003-01-01") and reform["end"].iloc[1] == pd.Timestamp("2003-12-31")
    assert list(t["term"]) == ["改革开放"] * 3 + ["高质量发展"] * 3  # terms in the order given


def test_a_cell_count_is_its_number_of_concordance_lines(dated):
    t = _trends(dated, ["改革", "高质量发展", "。改"], n_boot=0)
    for term in ("改革", "高质量发展", "。改"):
        lines = analysis.kwic(dated, term, by=None, docs=["a", "b"])
        assert t[(t["term"] == term) & (t["period"] == "2001")]["count"].item() == len(lines)
    assert t[(t["term"] == "改革") & (t["period"] == "2001")]["count"].item() == 3  # inside 改革开放 too
    assert t[(t["term"] == "。改") & (t["period"] == "2001")]["count"].item() == 1


def test_terms_are_literal_not_patterns(dated):
    t = _trends(dated, ["改革.放", "高质量发展"], n_boot=0)
    assert t[t["term"] == "改革.放"]["count"].sum() == 0


def test_groups_by_column(dated):
    t = _trends(dated, "改革开放", by="region", n_boot=0)
    assert list(zip(t["period"], t["group"], t["count"])) == [("2001", "X", 2), ("2001", "Y", 0), ("2003", "X", 1),
                                                              ("2004", "X", 0), ("2004", "Y", 0)]


def test_intervals_are_document_level(dated):
    t = _trends(dated, ["高质量发展", "改革开放"], n_boot=500)
    one_doc = t[t["period"] == "2003"]
    assert one_doc[["per_10k_low", "per_10k_high"]].isna().all().all()  # one document: no interval
    same = t[(t["term"] == "高质量发展") & (t["period"] == "2004")].iloc[0]
    # d and e have the same length and count: every resample gives the same rate
    assert same["per_10k_low"] == pytest.approx(same["per_10k"]) == pytest.approx(same["per_10k_high"])
    spread = t[(t["term"] == "改革开放") & (t["period"] == "2001")].iloc[0]
    assert spread["per_10k_low"] == 0  # a resample of b twice
    assert spread["per_10k_high"] == pytest.approx(2 / len(dated["a"].text) * 10_000)  # a twice


def test_intervals_are_seeded_per_cell(dated):
    both = _trends(dated, ["改革开放", "高质量发展"], n_boot=300)
    alone = _trends(dated, ["改革开放"], n_boot=300)
    pd.testing.assert_frame_equal(both[both["term"] == "改革开放"].reset_index(drop=True), alone)


def test_bad_arguments(dated):
    with pytest.raises(ValueError, match="at least one term"):
        trends(dated, [])
    with pytest.raises(ValueError, match="n_boot"):
        trends(dated, "改革开放", n_boot=-1)


def test_no_dated_document_is_an_error(tmp_path):
    folder = make_corpus(tmp_path / "u", {"a.txt": "改革开放。", "b.txt": "发展。"}, date=["", ""])
    corp = analysis.load_corpus(folder, cache=False)
    with pytest.raises(AnalysisError, match="no document has a date"):
        trends(corp, "改革开放")
