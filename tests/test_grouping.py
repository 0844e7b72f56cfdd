"""One grouping concept: every analysis, the command line and the report resolve ``by`` through ``Corpus.groups``."""
from __future__ import annotations

import io

import pandas as pd
import pytest

import analysis
from conftest import make_corpus, run_cli


#: what each genre's documents share
NOTICE, SPEECH = "特此通知，请认真贯彻执行。", "同志们，我讲三点意见。"


@pytest.fixture(scope="module")
def crafted(tmp_path_factory):
    """Four documents in two provinces and two genres; none of the columns is called region."""
    folder = make_corpus(
        tmp_path_factory.mktemp("grouping"),
        {"a.txt": ("坚持动态清零，严格落实防控措施。要坚决守住底线。" + NOTICE) * 12,
         "b.txt": ("全面推进乡村振兴，加快建设现代化产业体系。要坚决抓好落实。" + SPEECH) * 12,
         "c.txt": ("坚持动态清零，全面推进复工复产。要严格管控，坚决打赢阻击战。" + SPEECH) * 12,
         "d.txt": ("加快建设现代化产业体系，全面推进乡村振兴，发展新质生产力。" + NOTICE) * 12},
        province=["甲省", "乙省", "甲省", "乙省"], genre=["notice", "speech", "speech", "notice"],
    )
    return analysis.load_corpus(folder)


def test_groups_resolves_by_once(crafted, monkeypatch):
    assert list(crafted.groups("province")) == ["甲省", "乙省", "甲省", "乙省"]
    assert list(crafted.groups(None)) == crafted.ids == list(crafted.groups(None).index)
    with pytest.raises(analysis.CorpusError, match="region"):  # the default column, and there is none
        crafted.groups()
    monkeypatch.setenv("ANALYSIS_BY", "genre")
    assert list(crafted.groups()) == ["notice", "speech", "speech", "notice"]
    with pytest.raises(analysis.CorpusError, match="nope.*province"):  # names the columns it has
        crafted.groups("nope")


def _labels(name, crafted, by):
    """The group labels an analysis reports for each document (or its rows)."""
    if name == "dfm":
        return set(analysis.dfm(crafted, by=by).rows)
    if name == "keyness":
        return set(analysis.keyness(crafted, by=by, min_count=1)["group"])
    if name == "kwic":
        return set(analysis.kwic(crafted, "坚决", by=by)["group"]) | set(analysis.kwic(crafted, "全面", by=by)["group"])
    if name == "emphasis":
        return set(analysis.emphasis(crafted, by=by, n_boot=0)["group"])
    if name == "emphasis_hits":
        return set(analysis.emphasis_hits(crafted, by=by)["group"])
    if name == "find_slogans":
        return set(analysis.find_slogans(crafted, by=by)["groups"].str.split(", ").explode())
    if name == "slogan_occurrences":
        return set(analysis.slogan_occurrences(crafted, analysis.find_slogans(crafted, by=by), by=by)["group"])
    if name == "term_frequencies":
        return set(analysis.term_frequencies(crafted, "坚持", by)["group"])
    raise KeyError(name)


ANALYSES = ["dfm", "keyness", "kwic", "emphasis", "emphasis_hits", "find_slogans", "slogan_occurrences",
            "term_frequencies"]


@pytest.mark.parametrize("name", ANALYSES)
def test_by_none_makes_each_document_its_own_group_everywhere(name, crafted):
    assert _labels(name, crafted, None) <= set(crafted.ids)
    assert len(_labels(name, crafted, None)) >= 2


@pytest.mark.parametrize("name", ANALYSES)
def test_by_a_column_and_the_default_column(name, crafted, monkeypatch):
    assert _labels(name, crafted, "province") == {"甲省", "乙省"}
    monkeypatch.setenv("ANALYSIS_BY", "province")
    assert _labels(name, crafted, analysis.DEFAULT_BY) == {"甲省", "乙省"}


def test_the_command_line_follows_analysis_by(crafted, monkeypatch):
    monkeypatch.setenv("ANALYSIS_BY", "genre")
    # both sides: the two notices share no content word, so (min_docs=2) no term is over-used by both of them
    code, out, err = run_cli(["keyness", "--corpus", str(crafted.path), "--format", "csv", "--top", "3",
                              "--side", "both"])
    assert code == 0, err
    assert set(pd.read_csv(io.StringIO(out))["group"]) == {"notice", "speech"}
    code, out, err = run_cli(["emphasis", "--corpus", str(crafted.path), "--format", "csv", "--n-boot", "0"])
    assert code == 0, err
    assert set(pd.read_csv(io.StringIO(out))["group"]) == {"notice", "speech"}
    # --by wins over the environment, and --by id scores each document
    code, out, _ = run_cli(["keyness", "--corpus", str(crafted.path), "--by", "province", "--format", "csv"])
    assert set(pd.read_csv(io.StringIO(out))["group"]) == {"甲省", "乙省"}
    code, out, _ = run_cli(["emphasis", "--corpus", str(crafted.path), "--by", "id", "--format", "csv", "--n-boot", "0"])
    assert set(pd.read_csv(io.StringIO(out))["group"]) == set(crafted.ids)


def test_rates_carry_one_unit_in_their_names(crafted):
    """Every rate is per analysis.RATE_PER characters, in columns named with analysis.RATE_UNIT."""
    unit, per = analysis.RATE_UNIT, analysis.RATE_PER
    kw = analysis.keyness(crafted, by="province", min_count=1)
    row = kw.iloc[0]
    chars = sum(len(d.text) for d in crafted if crafted.groups("province")[d.id] == row["group"])
    assert row[unit] == pytest.approx(row["count"] / chars * per)
    em = analysis.emphasis(crafted, by="province", n_boot=0)
    assert {unit, f"{unit}_low", f"{unit}_high"} <= set(em.columns)
    assert em[unit].tolist() == pytest.approx((em["count"] / em["n_chars"] * per).tolist())
    tf = analysis.term_frequencies(crafted, "坚持", "province")
    assert tf[unit].tolist() == pytest.approx((tf["count"] / tf["n_chars"] * per).round(2).tolist())


def test_empty_values_and_the_value_none_never_merge(tmp_path):
    # issue 20, defect 10: an empty value became the group "(none)", and so did the value "(none)"
    import warnings

    texts = {f"{k}.txt": "坚持动态清零，严格落实防控措施。" * 5 for k in "abcd"}
    plain = analysis.load_corpus(make_corpus(tmp_path / "plain", texts, source=["x", "", "x", ""]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the usual case: no warning, empty values are "(none)"
        assert list(plain.groups("source")) == ["x", "(none)", "x", "(none)"]
    both = analysis.load_corpus(make_corpus(tmp_path / "both", texts, source=["(none)", "", "(empty)", ""]))
    with pytest.warns(UserWarning, match=r"the column 'source' has empty values and the value '\(none\)' itself: the "
                                         r"empty ones form the group '\(empty 2\)', apart from '\(none\)'"):
        assert list(both.groups("source")) == ["(none)", "(empty 2)", "(empty)", "(empty 2)"]
    with pytest.warns(UserWarning):
        assert analysis.dfm(both, by="source").rows == ["(empty 2)", "(empty)", "(none)"]
