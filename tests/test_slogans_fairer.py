"""The fairer miner (issue 16, item 2): crafted corpora with known answers for each rule."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import make_corpus

import analysis
from analysis.methods import slogans as S
from analysis.methods.slogans.candidates import Candidate
from analysis.methods.slogans.families import families
from analysis.methods.slogans.scoring import dispersion, four_char_shape

FILLERS = ["今年粮食产量稳定增长。", "全市新建学校三所。", "交通网络更加完善。", "群众满意度明显提高。",
           "城乡面貌焕然一新。", "营商环境持续优化。", "社会大局保持稳定。", "文化事业繁荣发展。"]


def _load(tmp_path, texts, **columns):
    docs = {f"d{i:02d}.txt": t for i, t in enumerate(texts)}
    return analysis.load_corpus(make_corpus(tmp_path / "c", docs, **columns))


def test_dispersion_is_gries_dp():
    assert dispersion(np.array([1, 1]), np.array([10, 10])) == 0.0
    assert dispersion(np.array([4, 0]), np.array([10, 10])) == pytest.approx(0.5)
    assert dispersion(np.array([0, 0]), np.array([10, 10])) == 1.0


def test_four_character_shape():
    assert four_char_shape("不折不扣")  # an idiom
    assert four_char_shape("以进促稳") and four_char_shape("先立后破")  # compressions jieba cannot read as words
    assert not four_char_shape("职业教育") and not four_char_shape("国防动员")  # two ordinary words: a term
    assert not four_char_shape("稳中求进工作")


def test_one_proper_part_no_longer_rejects_a_formulation(tmp_path):
    texts = [f"{f}推进中国式现代化建设。" for f in FILLERS[:4]]
    got = set(S.find_slogans(_load(tmp_path, texts, region=list("AABB")))["slogan"])
    assert any("中国式现代化" in g for g in got)


def test_a_formulation_concentrated_in_one_period_is_reported_not_dropped(tmp_path):
    years = list(range(1960, 2020))  # 60 documents, one a year: a bare phrase needs 3 of them ...
    texts = [FILLERS[i % 8] + FILLERS[(i + 3) % 8] for i in range(len(years))]
    texts[-2] += "统筹推进城乡融合发展。"
    texts[-1] += "统筹推进城乡融合发展。"
    df = S.find_slogans(_load(tmp_path, texts, year=years), by="year")
    row = df.set_index("slogan").loc["统筹推进城乡融合发展"]  # ... or 2 of the 2 in a period
    assert row["n_docs"] == 2 and row["spread"] == "concentrated: 2018–2019"
    # an explicit threshold is the one threshold
    assert "统筹推进城乡融合发展" not in set(S.find_slogans(analysis.load_corpus(tmp_path / "c"), by="year",
                                                      min_docs=3)["slogan"])


def test_a_bare_phrase_below_every_threshold_is_dropped(tmp_path):
    texts = [FILLERS[i % 8] + FILLERS[(i + 3) % 8] for i in range(60)]
    texts[3] += "统筹推进城乡融合发展。"
    texts[30] += "统筹推进城乡融合发展。"
    df = S.find_slogans(_load(tmp_path, texts, region=["A", "B"] * 30))
    assert "统筹推进城乡融合发展" not in set(df["slogan"])  # 2 of 60 documents, one in each group
    assert set(df["spread"]) <= {"wide"} | {f"concentrated: {g}" for g in "AB"}


def test_generic_single_words_and_numbers_are_not_formulations(tmp_path):
    texts = [f"{f}坚持社会主义道路，建设社会主义国家，发展社会主义文化。二千二百人参加。" for f in FILLERS[:5]]
    texts[0] += "这是“社会主义”的要求。"
    got = set(S.find_slogans(_load(tmp_path, texts, region=list("AABBB")))["slogan"])
    assert "社会主义" not in got  # one dictionary word, quoted once in sixteen uses
    assert not any(all(ch in "二千百" for ch in g) for g in got)


def _cand(text, kind, core="", items=()):
    c = Candidate(text, {kind})
    if core:
        c.cores[kind] = core
    if items:
        c.units[kind] = tuple(items)
    return c


def test_families_need_content_beyond_the_template():
    cands = {
        "形式主义、官僚主义": _cand("形式主义、官僚主义", "enumeration", "□□主义", ("形式主义", "官僚主义")),
        "帝国主义、殖民主义": _cand("帝国主义、殖民主义", "enumeration", "□□主义", ("帝国主义", "殖民主义")),
        "反对形式主义、官僚主义": _cand("反对形式主义、官僚主义", "enumeration", "□□主义", ("反对形式主义", "官僚主义")),
        "科技、教育、文化": _cand("科技、教育、文化", "enumeration", "", ("科技", "教育", "文化")),
        "科技、教育、卫生": _cand("科技、教育、卫生", "enumeration", "", ("科技", "教育", "卫生")),
        "二千二百": _cand("二千二百", "numbered", "二□二□", ("二千", "二百")),
        "二万二千": _cand("二万二千", "numbered", "二□二□", ("二万", "二千")),
    }
    fam = families(list(cands), cands)
    assert fam["帝国主义、殖民主义"] != fam["形式主义、官僚主义"]
    assert fam["反对形式主义、官僚主义"] == fam["形式主义、官僚主义"]
    assert fam["科技、教育、卫生"] != fam["科技、教育、文化"]  # shared items are ordinary words
    assert fam["二万二千"] != fam["二千二百"]  # numbers never form a family


def test_extra_phrases_are_the_seam_for_collocations(tmp_path):
    texts = [f"{f}要牢牢把握发展主动权。" for f in FILLERS[:6]]
    corp = _load(tmp_path, texts, region=list("AABBCC"))
    plain = S.find_slogans(corp)
    extra = S.find_slogans(corp, extra_phrases=pd.DataFrame({"phrase": ["把握发展主动权"]}))
    row = extra.set_index("slogan").loc["把握发展主动权"]
    assert "collocation" in row["evidence"]
    assert "collocation" not in "".join(plain["evidence"])
    assert set(S.SLOGAN_COLUMNS) == set(extra.columns) and "spread" in extra.columns


def test_weights_live_in_the_settings_file():
    s = S.load_settings()
    for key in ("dispersion_weight", "four_char_regularity", "proper_min_parts", "period_max_groups",
                "recurrence_full_docs", "prefix_regularity", "confirmed_regularity", "subsumed_max_chars"):
        assert key in s.raw, key
    assert {"collocation", "ngram"} <= set(s.priors)
