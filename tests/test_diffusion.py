"""Diffusion of formulations and direction of reuse: crafted dated corpora with known answers."""
from __future__ import annotations

import pandas as pd
import pytest

import analysis
from analysis.methods.diffusion import adoption, diffusion, diffusion_by_period, formulation_uses
from conftest import make_corpus

A, B = "坚持动态清零", "外防输入内防反弹"


@pytest.fixture(scope="module")
def spread(tmp_path_factory):
    """Centre first (10 Jan 2020); a province the same day (tie on B) and ten days later; a city 51 days later
    (2020 is a leap year); the city never uses B; one undated document."""
    docs = {
        "c0.txt": f"我们要{A}。{A}。同时{B}。",
        "p1.txt": f"全省{A}。",
        "p2.txt": f"全省{B}，毫不放松。",
        "m1.txt": f"全市{A}，不折不扣。",
        "u0.txt": f"这份没有日期，也说{A}。",
    }
    folder = make_corpus(tmp_path_factory.mktemp("spread"), docs, level=["centre", "province", "province", "city", "city"],
                         date=["2020-01-10", "2020-01-20", "2020-01-10", "2020-03-01", ""])
    return analysis.load_corpus(folder, cache=False)


def _quiet(fn, *args, **kwargs):
    with pytest.warns(UserWarning, match="u0"):
        return fn(*args, **kwargs)


def test_first_use_counts_and_ties(spread):
    d = _quiet(diffusion, spread, [A, B], by="level").set_index("formulation")
    assert list(d.index) == [A, B]
    a, b = d.loc[A], d.loc[B]
    assert (a["first_doc"], a["first_group"], a["first_date"]) == ("c0", "centre", pd.Timestamp("2020-01-10"))
    assert not a["tied"] and a["tied_docs"] == "c0"
    assert (a["n_docs"], a["n_groups"], a["count"]) == (3, 3, 4)  # u0 is undated: not counted
    assert a["last_date"] == pd.Timestamp("2020-03-01")
    assert b["tied"] and b["tied_docs"] == "c0, p2"  # same day: flagged, not ordered
    assert b["precision"] == "day"


def test_lags_in_days_and_a_group_that_never_adopts(spread):
    ad = _quiet(adoption, spread, [A, B], by="level")
    lag = ad.set_index(["formulation", "group"])["lag_days"]
    assert lag[(A, "centre")] == 0 and lag[(A, "province")] == 10 and lag[(A, "city")] == 51
    assert lag[(B, "province")] == 0
    assert (B, "city") not in lag.index  # never adopted: no row
    assert ad["lag_exact"].all()
    row = ad.set_index(["formulation", "group"]).loc[(A, "city")]
    assert (row["first_doc"], row["documents"], row["group_documents"]) == ("m1", 1, 1)  # u0 undated
    assert list(ad.loc[ad["formulation"] == A, "group"]) == ["centre", "province", "city"]  # by first use


def test_uses_match_concordance_lines(spread):
    uses = _quiet(formulation_uses, spread, [A], by="level")
    lines = analysis.kwic(spread, A, by="level")
    dated = lines[lines["doc_id"] != "u0"]
    assert uses.set_index("doc_id")["count"].to_dict() == dated["doc_id"].value_counts().to_dict()


def test_undated_documents_are_named(spread):
    with pytest.warns(UserWarning, match=r"1 document\(s\) without a 'date'.*u0"):
        diffusion(spread, [A], by="level")


def test_coarse_dates_overlap_and_lags_are_not_exact(tmp_path):
    folder = make_corpus(tmp_path / "coarse", {"y.txt": f"{A}。", "d.txt": f"要{A}。", "l.txt": f"再{A}。"},
                         level=["x", "y", "z"], date=["2020", "2020-05-01", "2021-02-03"])
    corp = analysis.load_corpus(folder, cache=False)
    d = diffusion(corp, [A], by="level").iloc[0]
    assert d["tied"] and d["tied_docs"] == "y, d" and d["precision"] == "year"  # 2020 may be after 1 May 2020
    ad = adoption(corp, [A], by="level").set_index("group")
    assert not ad.loc["y", "lag_exact"] and ad.loc["z", "lag_days"] == 399  # from 2020-01-01, flagged inexact
    assert not ad.loc["z", "lag_exact"]


def test_by_period_counts_every_period(tmp_path):
    folder = make_corpus(tmp_path / "years", {f"d{i}.txt": (f"{A}。" if i in (1, 2) else "别的话。") for i in range(4)},
                         date=["2019-05-01", "2020-01-01", "2020-06", "2021"])
    corp = analysis.load_corpus(folder, cache=False)
    t = diffusion_by_period(corp, [A], "date:year")
    assert list(t["period"]) == ["2019", "2020", "2021"]
    assert list(t["documents_using"]) == [0, 2, 0] and list(t["documents"]) == [1, 2, 1]
    assert list(t["share"]) == [0.0, 1.0, 0.0]
    assert t["start"].iloc[1] == pd.Timestamp("2020-01-01")
