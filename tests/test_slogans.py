"""Formulation (提法) mining: each generator on crafted and real text, counts, families, ranking, I/O."""
from __future__ import annotations

import re
import shutil

import matplotlib
import pandas as pd
import pytest

import analysis
from analysis.methods import slogans as S
from analysis.cli import main
from analysis.config import data_file
from conftest import SEEDS

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def seeds():
    return analysis.load_corpus(SEEDS)


@pytest.fixture(scope="module")
def mined(seeds):
    return S.find_slogans(seeds, by="region")


def texts(found):
    return [m.text for m in found]


# --------------------------------------------------------------------------- quoted phrases


def test_quoted_phrases_crafted():
    text = ("坚持“动态清零”总方针，做到「两个维护」。印发《关于做好疫情防控工作的通知》。"
            "他说：“大家请排队，扫码登记。”又称“一二三四五六七八九十一二三四五六七”。“3·21”事故。")
    found = S.quoted_phrases(text)
    assert texts(found) == ["动态清零", "两个维护"]
    assert all(text[m.start:m.end] == m.text for m in found)
    with_titles = S.quoted_phrases(text, titles=True)
    assert [m.text for m in with_titles if m.kind == "title"] == ["关于做好疫情防控工作的通知"]


def test_quoted_phrases_real_seed(seeds):
    found = texts(S.quoted_phrases(seeds["gx_notice_20220101"].text))
    assert {"外防输入、内防反弹", "动态清零", "两节", "四不两直", "应接尽接"} <= set(found)
    assert not any(t.startswith("关于做好2022年") for t in found)  # a title in 《》, not a quotation


# --------------------------------------------------------------------------- numbered formulations


def test_numbered_formulations_crafted():
    text = "增强四个意识，强化五位一体机制，规范设置三区两通道，采取四不两直方式，坚持两手抓。"
    assert texts(S.numbered_formulations(text)) == ["四个意识", "五位一体", "三区两通道", "四不两直", "两手抓"]


@pytest.mark.parametrize("text", [
    "2月4日发现一名阳性人员。", "实行24小时值守。", "第一时间报告。", "统一思想，一是要快，二要加强。",
    "组织两轮核酸检测。", "波及四地。", "建党100周年。", "MU5735航空器。", "共设30多个采样点。",
    "“两个15%”所得税政策。", "三亚海洋实验室揭牌。", "举办2023中国种子大会。",
])
def test_numbered_formulations_reject_dates_quantities_and_list_markers(text):
    assert S.numbered_formulations(text) == []


def test_numbered_formulations_real_seed(seeds):
    found = texts(S.numbered_formulations(seeds["sx_speech_20211227"].text))
    assert "三区两通道" in found
    assert not any(re.match(r"\d+[年月日天]|[一二三四]是", t) for t in found)


# --------------------------------------------------------------------------- enumerations


def test_enumerations_crafted():
    text = ("要切实做到早发现、早报告、早隔离、早治疗。要坚决按照部署，不麻痹、不放松、不侥幸，抓细抓严做实。"
            "宝鸡市、咸阳市、渭南市、延安市作了汇报。做到守土有责、守土负责、守土尽责。")
    found = {m.text: m for m in S.enumerations(text)}
    assert set(found) == {"早发现、早报告、早隔离、早治疗", "不麻痹、不放松、不侥幸", "守土有责、守土负责、守土尽责"}
    assert found["早发现、早报告、早隔离、早治疗"].items == ("早发现", "早报告", "早隔离", "早治疗")
    assert found["早发现、早报告、早隔离、早治疗"].core == "早□"
    assert found["守土有责、守土负责、守土尽责"].core == "守土□责"
    for m in found.values():
        assert text[m.start:m.end] == m.text


def test_enumerations_two_items_need_a_template():
    assert texts(S.enumerations("坚持“外防输入、内防反弹”总策略。")) == ["外防输入、内防反弹"]
    assert texts(S.enumerations("坚持人民至上、生命至上，坚定必胜信念。")) == ["人民至上、生命至上"]
    assert S.enumerations("加强党委、政府的领导。") == []
    assert S.enumerations("徐海荣、蔡丽新、孙大光、周异决等参加会议。") == []  # a list of names
    assert texts(S.enumerations("疫情就是命令，防控就是责任。")) == ["疫情就是命令，防控就是责任"]


def test_enumerations_real_seed(seeds):
    found = texts(S.enumerations(seeds["gz_notice_20210531"].text))
    assert "早发现、早报告、早隔离、早治疗" in found
    assert "守土有责、守土担责、守土尽责" in found
    assert "麻痹思想、厌战情绪、侥幸心理、松劲心态" in found


# --------------------------------------------------------------------------- repeated affixes


def test_affix_patterns_crafted():
    text = "对工作进行再部署再检查再落实。从严从紧从细落实措施，压紧压实责任，落细落实各项措施。市委市政府高度重视。"
    found = {m.text: m for m in S.affix_patterns(text)}
    assert {"再部署再检查再落实", "从严从紧从细", "压紧压实", "落细落实"} <= set(found)
    assert "市委市政府" not in found  # two nouns sharing a character are names, not a formula
    assert found["再部署再检查再落实"].items == ("再部署", "再检查", "再落实")
    assert found["从严从紧从细"].core == "从□"


def test_affix_frames_and_suffix_patterns_need_several_fillers(tmp_path):
    from conftest import make_corpus

    folder = make_corpus(tmp_path / "c", {
        "a.txt": "责任链条要实而又实，协同配合要紧而又紧。疫苗做到应接尽接。",
        "b.txt": "督导检查要严而又严。核酸检测做到应检尽检。",
    }, region=["A", "B"])
    df = S.find_slogans(analysis.load_corpus(folder))
    got = set(df["slogan"])
    assert {"实而又实", "紧而又紧", "严而又严", "应接尽接", "应检尽检"} <= got
    fam = df.set_index("slogan")["family"]
    # one device, three meanings: a family needs content shared beyond the template (issue 16)
    assert len({fam["实而又实"], fam["严而又严"], fam["紧而又紧"]}) == 3
    assert fam["应接尽接"] != fam["应检尽检"]


def test_affix_patterns_real_seed(seeds):
    found = texts(S.affix_patterns(seeds["gx_meeting_20220331"].text))
    assert {"再部署再落实", "抓实抓细抓具体", "压紧压实", "依纪依规"} <= set(found)


# --------------------------------------------------------------------------- recurring n-grams


def test_recurring_ngrams_are_closed_and_counted():
    docs = ["坚持动态清零总方针。", "落实动态清零要求，动态清零不动摇。", "推进动态清零工作。", "别的内容。"]
    df = S.recurring_ngrams(docs, min_docs=2, min_len=3)
    row = df.set_index("ngram").loc["动态清零"]
    assert row["count"] == sum(d.count("动态清零") for d in docs) == 4
    assert row["n_docs"] == 3
    assert row["left_variety"] == 4 and row["right_variety"] == 4
    assert "态清零" not in set(df["ngram"])  # always preceded by 动: not closed
    assert not any(re.search("[。，]", g) for g in df["ngram"])  # never crosses punctuation


def test_recurring_ngrams_respect_min_docs():
    docs = ["甲乙丙丁戊己。甲乙丙丁戊己。", "别的。"]
    assert S.recurring_ngrams(docs, min_docs=2).empty
    assert "甲乙丙丁戊己" in set(S.recurring_ngrams(docs, min_docs=1)["ngram"])


# --------------------------------------------------------------------------- find_slogans on the seeds


def test_result_columns_order_and_determinism(seeds, mined):
    assert list(mined.columns) == S.SLOGAN_COLUMNS
    assert mined["rank"].tolist() == list(range(1, len(mined) + 1))
    keys = list(zip(-mined["score"], mined["slogan"]))
    assert keys == sorted(keys)
    pd.testing.assert_frame_equal(mined, S.find_slogans(seeds, by="region"))


def test_every_kind_ranks_near_the_top_without_being_told(mined):
    top = mined.head(50)
    assert {"numbered", "affix", "enumeration", "quoted", "ngram"} <= set(top["kind"])
    # formulations several seeds share lead; since issue 16 dispersion across documents counts for every
    # kind, so a formulation of one seed only ranks lower, and bare phrases shared by most seeds higher
    for formula in ["四个意识", "两个维护", "五位一体", "外防输入、内防反弹", "联防联控", "流调溯源", "守土有责"]:
        assert formula in set(mined.head(25)["slogan"]), formula
    for formula in ["三区两通道", "四不两直", "从严从紧从细", "压紧压实", "落细落实", "再部署再检查再落实", "动态清零",
                    "早发现、早报告、早隔离、早治疗", "不麻痹、不放松、不侥幸"]:
        assert formula in set(mined.head(300)["slogan"]), formula


def test_counts_documents_and_groups_match_a_hand_count(seeds, seed_manifest, mined):
    region = dict(zip(seed_manifest["id"], seed_manifest["region"]))
    for row in mined.head(40).itertuples():
        hits = {d.id: len(re.findall(f"(?=(?<![〇零一二三四五六七八九十百千万亿两几第数每余多半0-9]){re.escape(row.slogan)})"
                                     if row.slogan[0] in "一二三四五六七八九十两" else f"(?={re.escape(row.slogan)})", d.text))
                for d in seeds}
        hits = {k: v for k, v in hits.items() if v}
        assert row.count == sum(hits.values()), row.slogan
        assert row.n_docs == len(hits) and row.documents == ", ".join(hits)
        assert row.groups == ", ".join(sorted({region[k] for k in hits}))
        assert row.n_groups == len({region[k] for k in hits})
        assert "【" + row.slogan + "】" in row.context


def test_families_group_variants_around_a_shared_core(mined):
    fam = mined.set_index("slogan")["family"]
    shoutu = ["守土有责、守土负责、守土尽责", "守土有责、守土担责、守土尽责", "守土有责、守土尽责",
              "守土有责不动摇、守土担责不含糊、守土尽责不懈怠", "守土有责"]
    assert len({fam[t] for t in shoutu}) == 1
    assert fam["从严从紧从细"] == fam["从严从紧"] == fam["从严、从实、从快"]
    assert fam["再部署再落实"] == fam["再部署再检查再落实"]
    assert fam["一人一策"] != fam["一丝一毫"]  # a one-character core alone does not make a family
    leaders = mined.drop_duplicates("family")
    assert (leaders["family"] == leaders["slogan"]).all()  # a family is named after its best-ranked member


def test_traditional_input_finds_the_same_slogans(tmp_path, mined):
    import opencc

    conv = opencc.OpenCC("s2t")
    dest = tmp_path / "trad"
    dest.mkdir()
    for f in SEEDS.iterdir():
        if f.suffix == ".txt":
            (dest / f.name).write_text(conv.convert(f.read_text(encoding="utf-8")), encoding="utf-8")
        else:
            shutil.copy(f, dest / f.name)
    trad = S.find_slogans(analysis.load_corpus(dest), by="region")
    cols = ["slogan", "kind", "family", "count", "n_docs", "groups"]
    pd.testing.assert_frame_equal(trad[cols].head(100), mined[cols].head(100))


def test_kinds_filter_and_unknown_kind(seeds):
    only = S.find_slogans(seeds, kinds=["numbered"])
    assert set(only["kind"]) == {"numbered"}
    with pytest.raises(ValueError, match="unknown kind"):
        S.find_slogans(seeds, kinds=["slogan"])


def test_missing_group_column_is_a_clear_error(seeds):
    with pytest.raises(analysis.CorpusError, match="no column 'province'"):
        S.find_slogans(seeds, by="province")


# --------------------------------------------------------------------------- occurrences, matrix, sharing, families


def test_occurrences_matrix_and_sharing(seeds, seed_manifest, mined):
    occ = S.slogan_occurrences(seeds, mined, top=25)
    assert list(occ.columns) == S.OCCURRENCE_COLUMNS
    per = occ.groupby("slogan").size()
    for row in mined.head(25).itertuples():
        assert per[row.slogan] == row.count
    for r in occ.head(50).itertuples():
        assert seeds[r.doc_id].text[r.start:r.end] == r.slogan
        assert r.position == round(r.start / len(seeds[r.doc_id].text), 4)
    m = S.slogan_matrix(occ, seeds)
    assert list(m.columns) == mined.head(25)["slogan"].tolist()
    assert len(m) == len(seeds) and m.to_numpy().sum() == len(occ)
    groups = sorted(seed_manifest["region"].unique())
    sh = S.sharing(mined.head(25), groups)
    for row in sh.itertuples():
        n = sum(getattr(row, g) for g in groups)
        assert row.shared == ("all groups" if n == len(groups) else f"{n} group{'s' if n != 1 else ''}")
    ft = S.family_table(mined, S.slogan_occurrences(seeds, mined), min_members=2)
    assert (ft.groupby("family").size() >= 2).all()
    assert (ft[groups].sum(axis=1) == ft["count"]).all()
    bygroup = S.slogan_matrix(occ, seeds, level="group")
    assert bygroup.index.tolist() == groups and (bygroup.sum() == m.sum()).all()
    top2 = S.slogan_matrix(occ, seeds, max_rows=2)
    assert len(top2) == 2 and top2.sum(axis=1).min() >= m.sum(axis=1).nlargest(2).min()


def test_position_profile_shares():
    occ = pd.DataFrame({"group": ["A", "A", "A", "B"], "position": [0.1, 0.5, 0.99, 0.7]})
    prof = S.position_profile(occ).set_index("group")
    assert prof.loc["A", "occurrences"] == 3 and prof.loc["B", "occurrences"] == 1
    assert prof.loc["A", ["1/3", "2/3", "3/3"]].tolist() == [0.333, 0.333, 0.333]
    assert prof.loc["B", ["1/3", "2/3", "3/3"]].tolist() == [0.0, 0.0, 1.0]


def test_sharing_bands_for_many_groups():
    groups = [f"g{i}" for i in range(10)]
    sl = pd.DataFrame({"slogan": ["甲", "乙", "丙", "丁"], "kind": ["ngram"] * 4,
                       "groups": [", ".join(groups), "g1, g2, g3, g4, g5, g6", "g1, g2", "g3"]})
    sh = S.sharing(sl, groups)
    assert sh["shared"].tolist() == ["all groups", "6 groups", "2 groups", "1 group"]
    assert sh["band"].tolist() == ["all groups", "more than half", "2 groups to half", "1 group"]


def test_plots_return_figures(seeds, mined):
    import matplotlib.pyplot as plt

    from analysis.plots.slogans import sharing_bars, slogan_heatmap, slogan_positions

    occ = S.slogan_occurrences(seeds, mined, top=12)
    fig = slogan_heatmap(S.slogan_matrix(occ, seeds))
    assert len(fig.axes[0].get_xticklabels()) == 12
    fig2 = slogan_positions(occ)
    assert len(fig2.axes[0].get_yticklabels()) == len({d for d in occ["doc_id"]})
    fig3 = sharing_bars(S.sharing(mined.head(40), seeds.group_column("region").unique()))
    assert fig3.axes[0].get_xlabel() == "number of slogans"
    plt.close("all")


# --------------------------------------------------------------------------- glossary and lexicon


def test_glossary_is_valid_and_joins_without_hiding_missing_glosses(mined):
    gl = S.load_glossary()
    assert list(gl.columns) == S.GLOSSARY_COLUMNS
    assert gl["term"].is_unique and (gl["english"] != "").all() and (gl["pinyin"] != "").all()
    assert S.pinyin("外防输入、内防反弹") == "wài fáng shū rù、nèi fáng fǎn tán"
    extra = pd.DataFrame({"rank": [1, 2], "slogan": ["动态清零", "未收录的提法"], "kind": ["quoted", "ngram"]})
    joined = S.glossary_join(extra, gl)
    assert len(joined) == 2 and joined["glossed"].tolist() == [True, False]
    assert joined.loc[1, "pinyin"] == S.pinyin("未收录的提法")
    assert S.missing_glosses(extra, gl)["slogan"].tolist() == ["未收录的提法"]
    structured = mined[mined["kind"] != "ngram"]
    assert S.missing_glosses(structured, gl, top=40).empty  # the seeds' main formulations are glossed


def test_lexicon_candidates_are_new_terms_for_review(tmp_path, mined):
    from analysis.lexicon import load_lexicon

    lex_before = data_file("lexicon.tsv").read_bytes()
    cand = S.lexicon_candidates(mined, top=100)
    known = set(load_lexicon()["term"])
    assert len(cand) and not (set(cand["term"]) & known)
    assert cand["term"].str.fullmatch(r"[\u4e00-\u9fff]{3,12}").all()
    assert (cand["pos"] == "l").all() and (cand["freq"] == "").all()
    path = S.write_lexicon_candidates(cand, tmp_path / "review.tsv")
    back = load_lexicon(path)
    assert back["term"].tolist() == cand["term"].tolist()
    with pytest.raises(ValueError, match="not into the lexicon"):
        S.write_lexicon_candidates(cand, data_file("lexicon.tsv"))
    assert data_file("lexicon.tsv").read_bytes() == lex_before


def test_cli_slogans_csv_and_lexicon_candidates(tmp_path, capsys):
    out = tmp_path / "cand.tsv"
    assert main(["slogans", "--corpus", str(SEEDS), "--top", "15", "--format", "csv",
                 "--lexicon-candidates", str(out)]) == 0
    captured = capsys.readouterr()
    df = pd.read_csv(pd.io.common.StringIO(captured.out))
    assert {"slogan", "kind", "family", "count", "n_docs", "groups"} <= set(df.columns)
    assert len(df) == 15 and df["rank"].tolist() == list(range(1, 16))
    assert out.is_file() and "review" in captured.err
    assert main(["slogans", "--corpus", str(SEEDS), "--by", "nope"]) == 2


# --------------------------------------------------------------------------- a corpus it has never seen


@pytest.fixture(scope="module")
def city10(city, tmp_path_factory):
    return analysis.load_corpus(city.copy(tmp_path_factory.mktemp("city10"), city.files(10), group_from="stem"))


def test_city_reports_surface_their_own_formulations(city10):
    df = S.find_slogans(city10, by="region")
    assert len(df) > 100
    top = df.head(50)
    assert {"numbered", "enumeration", "affix"} <= set(top["kind"])
    numbered = top[top["kind"] == "numbered"]["slogan"]
    assert numbered.str.match("^[一二三四五六七八九十两双]").all()
    assert (df["n_docs"] <= len(city10)).all() and (df["count"] >= df["n_docs"]).all()
    series = df[df["kind"] == "enumeration"].head(20)
    assert series["slogan"].str.contains("[、，]").all()
    pd.testing.assert_frame_equal(df.head(200), S.find_slogans(city10, by="region").head(200))


# --------------------------------------------------------------------------- reliability (issue 20)


@pytest.mark.parametrize("cache", ["on", "off"])
def test_a_jieba_cache_planted_in_the_temp_folder_changes_nothing(tmp_path, monkeypatch, cache):
    """Issue 20, defect 4: the miner's jieba never loads ``$TMPDIR/jieba.cache`` (marshal,
    written by anyone) and writes nothing there."""
    import marshal
    import tempfile

    import jieba

    from analysis import lexicon
    from analysis.methods.slogans import words
    from conftest import make_corpus

    if cache == "off":
        monkeypatch.setenv("ANALYSIS_CACHE", "off")
    docs = {"a.txt": "对工作进行再部署再检查再落实。从严从紧从细落实措施，压紧压实责任。",
            "b.txt": "要再部署再检查再落实，压紧压实各方责任，增强四个意识。"}
    corp = analysis.load_corpus(make_corpus(tmp_path / "corpus", docs, region=["A", "B"]))
    text = docs["a.txt"]

    def rebuild():
        lexicon.jieba_tokenizer.cache_clear()
        lexicon.jieba_pos_tokenizer.cache_clear()
        words.clear_caches()

    def mine(tmpdir):
        monkeypatch.setattr(tempfile, "tempdir", str(tmpdir))
        rebuild()
        return sorted(words.window_bounds(text, 0, len(text))), S.find_slogans(corp)

    clean, planted = tmp_path / "clean", tmp_path / "planted"
    clean.mkdir()
    planted.mkdir()
    bogus = {}
    for w in ("行再部", "署再检", "查再落", "严从紧", "紧压实", "四个意"):
        bogus.update({w[:k]: 0 for k in range(1, len(w))})
        bogus[w] = 10**9
    payload = marshal.dumps((bogus, 6 * 10**9))
    (planted / "jieba.cache").write_bytes(payload)
    try:
        plain = jieba.Tokenizer()
        monkeypatch.setattr(tempfile, "tempdir", str(planted))
        plain.initialize()
        assert plain.FREQ.get("行再部") == 10**9  # jieba's own default trusts the planted file
        bounds, mined = mine(clean)
        assert not list(clean.glob("jieba*"))
        assert {"再部署再检查再落实", "压紧压实"} <= set(mined["slogan"])
        planted_bounds, planted_mined = mine(planted)
    finally:
        rebuild()  # tokenizers are built again, after the temp folder is restored
    assert planted_bounds == bounds
    pd.testing.assert_frame_equal(planted_mined, mined)
    assert [p.name for p in planted.iterdir()] == ["jieba.cache"]
    assert (planted / "jieba.cache").read_bytes() == payload


_PIECES = ["对工作进行再部署再检查再落实", "压紧压实各方责任", "做到应检尽检、应接尽接", "增强四个意识，落实一人一策",
           "做到早发现、早报告、早隔离、早治疗", "责任链条要实而又实", "从严从紧从细落实措施", "坚持“两个维护、四个意识”"]


@pytest.mark.parametrize("ch", ["一", "口", "、", "“", "两"])
def test_patterns_next_to_a_long_run_of_one_character_are_the_ones_found_without_it(ch):
    """Issue 20, defect 1: a run of one repeated character (一一一…, 口口口…) adds no pattern,
    hides none and is not walked to its end at every position (quadratic before)."""
    def found(text):
        df = S.text_candidates(text)
        assert all(text[a:b] == t for a, b, t in zip(df["start"], df["end"], df["text"]))
        return sorted(zip(df["generator"], df["text"], df["core"], df["items"]))

    run = ch * 20_000
    plain = "。".join(_PIECES)
    padded = run + "。" + "。".join(f"{p}，{run}，{p}" for p in _PIECES) + "。" + run
    expected = found(plain)
    assert {("affix", "再部署再检查再落实"), ("affix", "应检尽检"), ("affix", "实而又实"), ("numbered", "四个意识"),
            ("enumeration", "早发现、早报告、早隔离、早治疗"), ("quoted", "两个维护、四个意识")} <= {g[:2] for g in expected}
    assert _within(60, lambda: found(padded)) == sorted(expected + expected)
    assert S.affix_patterns(run) == S.numbered_formulations(run) == S.enumerations(run) == []


def _within(seconds: int, fn):
    """``fn()``, or a TimeoutError once ``seconds`` have passed (where SIGALRM exists), so a
    regression fails instead of hanging the suite."""
    import signal

    if not hasattr(signal, "SIGALRM"):
        return fn()

    def stop(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        return fn()
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_an_unclosed_quotation_before_a_run_of_separators_stays_linear():
    """The pattern for a quotation holding a series backtracked over every separator after
    an unclosed “ (1.7 s at 20,000 、, growing as the square)."""
    n = 200_000
    text = "坚持“" + "、" * n + "，做到早发现、早报告、早隔离、早治疗。"
    found = _within(60, lambda: S.enumerations(text))
    assert [(m.start, m.text) for m in found] == [(n + 6, "早发现、早报告、早隔离、早治疗")]


def test_numbered_formulations_read_no_further_than_a_formulation_reaches():
    """Each numeral looked for the end of its run of Chinese characters, to the end of the
    document (一人一策一人一策…: quadratic in the length of the run)."""
    text = "落实" + "一人一策" * 100_000
    found = _within(60, lambda: S.numbered_formulations(text))
    assert len(found) == 100_000 and {m.text for m in found} == {"一人一策"}


def test_find_slogans_stays_fast_beside_documents_of_one_repeated_character(tmp_path, monkeypatch):
    """Issue 20, defect 1: 200,000 characters of 一 and of 口 take seconds, not hours (the old
    miner took 17 s at 2,000 characters and minutes at 8,000, growing as the square)."""
    import time

    from conftest import make_corpus

    monkeypatch.setenv("ANALYSIS_CACHE", "off")
    real = {"a.txt": "对工作进行再部署再检查再落实。从严从紧从细落实措施，压紧压实责任，坚持“动态清零”。"
                     "增强四个意识，做到早发现、早报告、早隔离、早治疗。",
            "b.txt": "要再部署再检查再落实，压紧压实各方责任，坚持“动态清零”不动摇，增强四个意识。"
                     "做到早发现、早报告、早隔离、早治疗。"}
    runs = {"c.txt": "一" * 200_000, "d.txt": "口" * 200_000}
    alone = S.find_slogans(analysis.load_corpus(make_corpus(tmp_path / "real", real, region=["A", "B"])))
    corp = analysis.load_corpus(make_corpus(tmp_path / "runs", {**real, **runs}, region=["A", "B", "A", "B"]))
    start = time.perf_counter()
    mined = _within(120, lambda: S.find_slogans(corp))
    assert time.perf_counter() - start < 60
    cols = ["slogan", "kind", "family", "count", "n_docs", "documents"]
    assert len(alone) >= 5
    pd.testing.assert_frame_equal(mined[cols].sort_values("slogan").reset_index(drop=True),
                                  alone[cols].sort_values("slogan").reset_index(drop=True))
