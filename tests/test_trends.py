"""Trends over time, rise and fall between periods, terms' lifespans: crafted dated corpora, known answers."""
from __future__ import annotations

import io
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency

import analysis
from analysis.errors import AnalysisError
from analysis.methods.keyness import DOCUMENT_COLUMNS, KEYNESS_COLUMNS, keyness_stats, top_terms
from analysis.methods.shifts import LIFESPAN_COLUMNS, STATUSES, adjacent_keyness, term_lifespans
from analysis.methods.trends import TREND_COLUMNS, trends
from conftest import make_corpus, run_cli


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
        trends(corp, "改革开放", period="date:year")
    with pytest.raises(AnalysisError, match="no time axis"):  # and no period to suggest
        trends(corp, "改革开放")


# --------------------------------------------------------------------------- rise and fall

BASE = "经济，发展，改革，建设，社会，人民，国家，政府，工作，市场，企业，科技。"
OLD = "阶级斗争，阶级斗争，革命，路线。"
FARM = "农业，农业，农业，农业，农村，农民。"
EPIDEMIC = "疫情，防控。"
#: period → its two documents (the second a little longer, so documents differ)
ERAS = {
    "2001": [OLD + BASE + "群众。", OLD + BASE + "群众。群众。"],
    "2002": [BASE + FARM + "教育。", BASE + FARM + "企业。教育。"],
    "2003": [BASE + FARM + EPIDEMIC + "教育。", FARM + EPIDEMIC + BASE],
    "2004": [BASE + "群众。教育。", BASE + "群众。教育。"],
}


def _era_corpus(folder, eras):
    docs, dates = {}, []
    for year, texts in eras.items():
        for i, text in enumerate(texts):
            docs[f"y{year}_{i}.txt"] = text
            dates.append(f"{year}-0{i + 1}-15")
    return analysis.load_corpus(make_corpus(folder, docs, date=dates), cache=False)


@pytest.fixture(scope="module")
def eras(tmp_path_factory):
    return _era_corpus(tmp_path_factory.mktemp("eras"), ERAS)


def test_adjacent_keyness_puts_a_new_term_first(eras):
    table = adjacent_keyness(eras, phrases=False)
    assert list(dict.fromkeys(zip(table["period"], table["previous"]))) == [("2002", "2001"), ("2003", "2002"),
                                                                          ("2004", "2003")]
    assert set(KEYNESS_COLUMNS + DOCUMENT_COLUMNS) <= set(table.columns)
    rise = top_terms(table[table["period"] == "2002"], n=1)
    assert rise["term"].item() == "农业" and rise["count"].item() == 8 and rise["ref_count"].item() == 0
    # G² by hand: the periods' content tokens from the documents' counts
    docs = analysis.dfm(eras, content=True, phrases=False)
    sizes = pd.Series(np.asarray(docs.matrix.sum(axis=1)).ravel(), index=docs.rows)
    n_new, n_old = sizes.filter(like="y2002").sum(), sizes.filter(like="y2001").sum()
    expected = keyness_stats([8], [0], target_total=n_new, reference_total=n_old)["g2"].item()
    assert rise["g2"].item() == pytest.approx(expected)
    g2, *_ = chi2_contingency([[8, 0], [n_new - 8, n_old]], correction=False, lambda_="log-likelihood")
    assert rise["g2"].item() == pytest.approx(g2)
    fall = table[(table["period"] == "2002") & (table["term"] == "阶级斗争")]
    assert fall["g2"].item() < 0 and fall["ref_docs_using"].item() == 2


def test_adjacent_keyness_is_keyness_on_the_two_periods(eras, tmp_path):
    pair = _era_corpus(tmp_path / "pair", {y: ERAS[y] for y in ("2002", "2003")})
    expected = analysis.keyness(pair, by="date:year", compare="pairwise", groups=["2003"], phrases=False)
    got = adjacent_keyness(eras, phrases=False)
    got = got[got["period"] == "2003"].drop(columns=["period", "previous"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected)


def test_adjacent_keyness_skips_periods_without_documents(eras, tmp_path):
    gap = _era_corpus(tmp_path / "gap", {y: ERAS[y] for y in ("2001", "2003")})
    table = adjacent_keyness(gap, period="date:year", phrases=False, doc_test=False)
    assert set(zip(table["period"], table["previous"])) == {("2003", "2001")}
    with pytest.raises(AnalysisError, match="at least two periods"):
        adjacent_keyness(gap, period="date:decade")
    with pytest.raises(TypeError, match="compare"):
        adjacent_keyness(gap, compare="rest")


def test_adjacent_keyness_steps_over_a_period_too_small_to_compare(tmp_path):
    tiny = _era_corpus(tmp_path / "tiny", {"2001": ERAS["2001"], "2002": ["发展。"], "2003": ERAS["2003"]})
    with pytest.warns(UserWarning, match=r"left out: 2002 \(1\)"):
        table = adjacent_keyness(tiny, period="date:year", phrases=False, doc_test=False)
    assert set(zip(table["period"], table["previous"])) == {("2003", "2001")}


def test_lifespans_first_last_peak_and_status(eras):
    life = term_lifespans(eras, min_count=2, min_docs=2, phrases=False).set_index("term")
    assert list(life.columns) == LIFESPAN_COLUMNS[1:]
    assert life.loc["经济", "status"] == "throughout" and life.loc["经济", "periods_present"] == 4
    assert life.loc["阶级斗争", "status"] == "faded"
    assert life.loc["阶级斗争", ["first_doc", "last_doc", "last_period"]].tolist() == ["y2001_0", "y2001_1", "2001"]
    assert life.loc["农业", "status"] == "new and faded"
    assert life.loc["农业", "first_date"] == pd.Timestamp("2002-01-15")
    assert life.loc["农业", "last_date"] == pd.Timestamp("2003-02-15")
    assert life.loc["疫情", "status"] == "new and faded" and life.loc["疫情", "periods_present"] == 1
    assert life.loc["教育", "status"] == "new" and life.loc["教育", "first_period"] == "2002"
    assert life.loc["群众", "status"] == "intermittent" and life.loc["群众", "periods_present"] == 2
    # 群众: 3 times in 2001, twice in 2004; 2004's documents are shorter, so its rate may still be higher
    rates = {y: sum(t.count("群众") for t in ERAS[y]) / sum(len(t) for t in ERAS[y]) * 10_000 for y in ("2001", "2004")}
    peak = max(rates, key=rates.get)
    assert life.loc["群众", "peak_period"] == peak
    assert life.loc["群众", "peak_per_10k"] == pytest.approx(rates[peak])
    assert set(life["status"]) <= set(STATUSES)


def test_lifespans_thresholds(eras):
    life = term_lifespans(eras, min_count=3, min_docs=3, phrases=False)
    assert "阶级斗争" not in set(life["term"])  # four times, but in two documents
    assert "农业" in set(life["term"])
    assert (life["count"] >= 3).all() and (life["docs"] >= 3).all()


# --------------------------------------------------------------------------- figures


@pytest.fixture
def plt_agg():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    analysis.setup("test_trends")
    yield plt
    plt.close("all")


def test_trend_plot_has_a_time_axis_and_breaks_at_missing_periods(dated, plt_agg):
    from analysis.plots.trends import trend_plot

    t = _trends(dated, ["改革开放", "高质量发展"], n_boot=100)
    fig = trend_plot(t, title="趋势")
    ax = fig.axes[0]
    lines = [ln for ln in ax.get_lines() if ln.get_linestyle() == "-" and len(ln.get_xdata()) > 0]
    xs = [np.asarray(ln.get_xdata()) for ln in lines]
    assert all(np.issubdtype(x.dtype, np.datetime64) for x in xs)  # dates, not category positions
    # 2002 has no document: each term's line is 2001 alone, then 2003–2004
    assert sorted(len(x) for x in xs) == [1, 1, 2, 2]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["改革开放", "高质量发展"]
    assert "每万字" in ax.get_ylabel() and fig._suptitle.get_text() == "趋势"
    by_region = _trends(dated, ["改革开放", "高质量发展"], by="region", n_boot=0)
    assert [a.get_title() for a in trend_plot(by_region).axes if a.axison] == ["改革开放", "高质量发展"]


def test_lifespan_chart_draws_the_most_frequent_terms(eras, plt_agg):
    from analysis.plots.trends import lifespan_chart

    life = term_lifespans(eras, min_count=2, phrases=False)
    fig = lifespan_chart(life, n=2)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["企业", "农业"]  # 16 and 9 uses; 企业 first used earlier, so drawn first


# --------------------------------------------------------------------------- command line


def test_cli_trends_csv_matches_the_function(dated):
    out = subprocess.run([sys.executable, "-m", "analysis", "trends", "--corpus", str(dated.path), "--terms",
                          "改革开放,高质量发展", "--by", "region", "--n-boot", "200", "--format", "csv"],
                         capture_output=True, text=True, env={**os.environ, "ANALYSIS_CACHE": "off"})
    assert out.returncode == 0, out.stderr
    assert "undated document(s) left out of the time axis: u" in out.stderr
    table = pd.read_csv(io.StringIO(out.stdout), dtype={"period": str})
    expected = _trends(dated, ["改革开放", "高质量发展"], by="region", n_boot=200)
    assert list(table.columns) == TREND_COLUMNS
    assert table[["term", "period", "group", "count", "documents"]].equals(
        expected[["term", "period", "group", "count", "documents"]])
    assert np.allclose(table["per_10k_high"], expected["per_10k_high"], equal_nan=True, rtol=1e-5)


def test_cli_shifts_and_lifespans(eras):
    code, out, err = run_cli(["shifts", "--corpus", str(eras.path), "--period", "date:year", "--top", "1",
                              "--side", "positive", "--no-phrases", "--format", "csv"])
    assert code == 0, err
    table = pd.read_csv(io.StringIO(out), dtype={"period": str, "previous": str})
    assert table.loc[table["period"] == "2002", "term"].tolist() == ["农业"]
    code, out, err = run_cli(["shifts", "--corpus", str(eras.path), "--period", "date:year", "--lifespans",
                              "--min-count", "2", "--no-phrases", "--format", "csv"])
    assert code == 0, err
    life = pd.read_csv(io.StringIO(out)).set_index("term")
    assert life.loc["阶级斗争", "status"] == "faded" and life.loc["群众", "status"] == "intermittent"


@pytest.mark.parametrize("args, message", [
    (["trends", "--terms", "改革开放", "--period", "date:week"], "is not a period"),
    (["trends", "--terms", " , "], "--terms is empty"),
    (["shifts", "--period", "year"], "is not a period"),
])
def test_cli_time_mistakes_are_messages(eras, args, message):
    code, out, err = run_cli(args + ["--corpus", str(eras.path)])
    assert code == 2 and message in err and "Traceback" not in err
