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


def test_an_unused_formulation_keeps_its_row(spread):
    d = _quiet(diffusion, spread, ["从未出现的提法", A], by="level")
    assert list(d["formulation"]) == ["从未出现的提法", A]
    assert d.loc[0, "n_docs"] == 0 and pd.isna(d.loc[0, "first_date"]) and d.loc[0, "first_doc"] == ""
    assert d.loc[1, "first_doc"] == "c0"


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


# --------------------------------------------------------------------------- direction of reuse

P = "各地要坚决落实疫情防控各项措施不得层层加码"  # 21 characters, copied word for word
Q = "严格执行属地管理责任压实四方责任"


@pytest.fixture(scope="module")
def copies(tmp_path_factory):
    """The copy comes first in corpus order, its source later: the direction must come from the dates. Two
    documents of the same day share Q; an undated one shares P."""
    docs = {
        "copy.txt": f"市里通知。{P}。其他内容一。",
        "centre.txt": f"中央指示。{P}。另外一些话。",
        "sameA.txt": f"第一份。{Q}。好的。",
        "sameB.txt": f"第二份。{Q}。是的。",
        "nodate.txt": f"无日期。{P}。完。",
    }
    folder = make_corpus(tmp_path_factory.mktemp("copies"), docs, level=["city", "centre", "city", "province", "city"],
                         date=["2020-02-01", "2020-01-10", "2020-03-05", "2020-03-05", ""])
    return analysis.load_corpus(folder, cache=False)


def _directed(corp):
    from analysis.methods.reuse import reuse_direction

    with pytest.warns(UserWarning, match="nodate"):
        return reuse_direction(corp, min_len=8)


def test_the_earlier_document_is_the_source(copies):
    r = _directed(copies)
    row = r[(r["passage"] == P) & r["doc_a"].isin(["copy", "centre"]) & r["doc_b"].isin(["copy", "centre"])].iloc[0]
    assert (row["doc_a"], row["doc_b"]) == ("copy", "centre")  # corpus order
    assert (row["source"], row["target"]) == ("centre", "copy")
    assert row["direction"] == "earlier → later" and row["lag_days"] == 22 and row["lag_exact"]
    assert (row["source_date"], row["target_date"]) == (pd.Timestamp("2020-01-10"), pd.Timestamp("2020-02-01"))


def test_same_day_and_undated_pairs_are_kept_not_ordered(copies):
    from analysis.methods.similarity import shared_passages

    r = _directed(copies)
    assert len(r) == len(shared_passages(copies, min_len=8))  # nothing dropped
    same = r[r["passage"].str.contains(Q)].iloc[0]
    assert same["direction"] == "same day" and same["lag_days"] == 0
    undated = r[(r["doc_a"] == "nodate") | (r["doc_b"] == "nodate")]
    assert len(undated) == 2 and set(undated["direction"]) == {"undated"}
    assert undated["lag_days"].isna().all()


def test_coarse_dates_are_not_ordered(tmp_path):
    from analysis.methods.reuse import reuse_direction

    folder = make_corpus(tmp_path / "c", {"y.txt": f"甲。{P}。", "d.txt": f"乙。{P}。", "m.txt": f"丙。{P}。"},
                         date=["2020", "2020-05-01", "2020-05"])
    r = reuse_direction(analysis.load_corpus(folder, cache=False), min_len=8).set_index(["doc_a", "doc_b"])
    assert r.loc[("y", "d"), "direction"] == "same year"
    assert (r.loc[("y", "d"), "source_precision"], r.loc[("y", "d"), "target_precision"]) == ("year", "day")
    assert r.loc[("d", "m"), "direction"] == "same month" and not r.loc[("d", "m"), "lag_exact"]


def test_who_reuses_whom(copies):
    from analysis.methods.reuse import who_reuses_whom

    table = who_reuses_whom(_directed(copies), copies.groups("level"))
    fwd = table[table["direction"] == "earlier → later"]
    assert fwd[["source_group", "target_group", "passages", "chars", "pairs"]].values.tolist() == [
        ["centre", "city", 1, len(P), 1]]
    assert set(table["direction"]) == {"earlier → later", "same day", "undated"}
    assert table["passages"].sum() == len(_directed(copies))


def test_no_shared_passages_give_empty_tables(tmp_path):
    from analysis.methods.reuse import REUSE_COLUMNS, reuse_direction, who_reuses_whom

    folder = make_corpus(tmp_path / "e", {"a.txt": "完全不同的内容。", "b.txt": "另一段毫无关系的话。"},
                         date=["2020-01-01", "2020-01-02"])
    corp = analysis.load_corpus(folder, cache=False)
    r = reuse_direction(corp, min_len=8)
    assert r.empty and set(REUSE_COLUMNS) <= set(r.columns)
    assert who_reuses_whom(r, corp.groups(None)).empty


# --------------------------------------------------------------------------- figures


def test_figures_draw_first_users_and_arrows(spread, copies, tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis.methods.reuse import reuse_direction
    from analysis.plots import diffusion as D

    analysis.setup("test_diffusion")
    ad = _quiet(adoption, spread, [A, B], by="level")
    fig = D.adoption_timeline(ad)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [A, B]  # both first used on 10 Jan, in given order
    stars = [ln for ln in ax.lines if ln.get_marker() == "*"]
    assert len(stars) == 3  # A: the centre; B: centre and province, tied on the same day, both first
    with pytest.warns(UserWarning, match="nodate"):
        directed = reuse_direction(copies, min_len=8)
    fig2 = D.reuse_timeline(directed, copies.groups("level"))
    ax2 = fig2.axes[0]
    assert [t.get_text() for t in ax2.get_yticklabels()] == ["centre", "copy", "sameA", "sameB"]  # by date; no nodate
    heads = [a.arrow_patch.get_arrowstyle() for a in ax2.texts]
    assert len(heads) == 2  # centre → copy, and the same-day pair (no head)
    fig2.savefig(tmp_path / "reuse.png")
    plt.close("all")


# --------------------------------------------------------------------------- command line


def _cli(*args):
    import os
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "analysis", *map(str, args)], capture_output=True, text=True,
                         env={**os.environ, "ANALYSIS_CACHE": "off"})
    return out.returncode, out.stdout, out.stderr


def test_cli_diffusion_and_reuse(spread, copies, tmp_path):
    import io

    code, out, err = _cli("diffusion", "--corpus", spread.path, "--by", "level", "--terms", f"{A}，{B}",
                          "--table", "adoption", "--format", "csv")
    assert code == 0, err
    ad = pd.read_csv(io.StringIO(out))
    assert ad.set_index(["formulation", "group"]).loc[(A, "city"), "lag_days"] == 51
    assert ad.loc[0, "first_date"] == "2020-01-10"  # dates as ISO days
    assert "u0" in err  # the undated document is named
    code, out, err = _cli("reuse", "--corpus", copies.path, "--by", "level", "--min-len", 8, "--table", "passages",
                          "--format", "csv")
    assert code == 0, err
    rows = pd.read_csv(io.StringIO(out), keep_default_na=False)
    row = rows[(rows["source"] == "centre") & (rows["target"] == "copy")].iloc[0]
    assert (row["direction"], row["lag_days"], row["source_group"]) == ("earlier → later", "22", "centre")
    code, out, err = _cli("reuse", "--corpus", copies.path, "--by", "level", "--min-len", 8)
    assert code == 0 and "same day" in out and "undated" in out


def test_cli_diffusion_errors_are_plain(spread):
    code, _, err = _cli("diffusion", "--corpus", spread.path, "--by", "level", "--terms", " , ")
    assert code == 2 and "names no formulation" in err and "Traceback" not in err
    code, _, err = _cli("diffusion", "--corpus", spread.path, "--by", "level", "--terms", A, "--date", "published")
    assert code == 2 and "published" in err and "Traceback" not in err
