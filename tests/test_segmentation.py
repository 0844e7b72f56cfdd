"""Segmentation: lexicon, losslessness, content tokens, scikit-learn, DFM."""
from __future__ import annotations

import pickle

import numpy as np
import pytest

import analysis
from analysis.lexicon import load_lexicon, stopwords
from analysis.tokenization import segment, tokenize

FORMULATIONS = ["动态清零", "外防输入", "内防反弹", "四个意识", "网格化管理", "流调溯源", "闭环管理", "应接尽接"]
#: the seed corpus's lexicon: the package's and the folder's own (its COVID-19 vocabulary)
SEEDS_LEXICON = (str(analysis.config.data_file("lexicon.tsv")), str(analysis.config.project_root() / "seeds" / "lexicon.tsv"))


@pytest.mark.parametrize("term", FORMULATIONS)
def test_formulations_are_single_tokens(term):
    text = f"各地要坚持{term}的要求，做到{term}。"
    toks = list(segment(text, SEEDS_LEXICON).token)
    assert toks.count(term) == 2


@pytest.mark.parametrize("lexicon", [None, SEEDS_LEXICON])
def test_every_lexicon_term_stays_whole(lexicon):
    lex = load_lexicon(lexicon)
    broken = [t for t in lex.term if t not in list(segment(f"要{t}。", lexicon).token)]
    assert broken == []


def test_lexicon_formulations_whole_in_seeds(seeds_corpus):
    text = "\n".join(d.text for d in seeds_corpus)
    toks = set(analysis.segment(text, seeds_corpus.lexicon).token)
    present = [t for t in FORMULATIONS if t in text]
    assert len(present) >= 5
    assert set(present) <= toks


def test_segment_is_lossless_on_every_seed(seeds_corpus):
    for d in seeds_corpus:
        seg = segment(d.text, seeds_corpus.lexicon)
        assert "".join(seg.token) == d.text
        assert (seg.start.iloc[1:].to_numpy() == seg.end.iloc[:-1].to_numpy()).all()
        assert seg.pos.ne("").all()


def test_segment_lossless_with_spaces_newlines_and_latin():
    text = "一、 总体要求\n\n  COVID-19 疫情（2022）\t“动态清零”！"
    assert "".join(segment(text).token) == text


def test_tokenize_options():
    text = "2022年，广西要坚持“动态清零”总方针，严格落实各项措施。"
    toks = tokenize(text, lexicon=SEEDS_LEXICON)
    assert "动态清零" in toks and "2022" not in toks and "，" not in toks
    assert "要" not in toks  # single character
    assert "2022" in tokenize(text, numbers=True)
    assert "，" in tokenize(text, punctuation=True)
    assert "要" in tokenize(text, min_chars=1, stopwords=False)
    assert "广西" in toks and "广西" not in tokenize(text, drop_proper=True)
    assert "要" in tokenize(text, keep=["要"])


def test_stopwords_come_from_maintained_list_plus_domain_file():
    import stopwordsiso

    sw = stopwords()
    assert set(stopwordsiso.stopwords("zh")) <= sw
    assert "进行" in sw
    assert not set(FORMULATIONS) & sw


def test_tokenizer_works_in_scikit_learn(seeds_corpus):
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

    texts = [d.text for d in seeds_corpus]
    tk = analysis.Tokenizer(drop_proper=True, lexicon=SEEDS_LEXICON)
    cv = CountVectorizer(tokenizer=tk, lowercase=False, token_pattern=None)
    X = cv.fit_transform(texts)
    assert "动态清零" in cv.vocabulary_
    assert X.shape[0] == len(texts)
    TfidfVectorizer(tokenizer=tk, lowercase=False, token_pattern=None).fit(texts)
    assert pickle.loads(pickle.dumps(tk))(texts[0]) == tk(texts[0])


def test_dfm_counts_match_tokenize(seeds_corpus):
    d = analysis.dfm(seeds_corpus)
    frame = d.to_frame()
    for doc in seeds_corpus:
        toks = tokenize(doc.text, lexicon=seeds_corpus.lexicon)
        assert frame.loc[doc.id].sum() == len(toks)
        assert frame.loc[doc.id, "疫情防控"] == toks.count("疫情防控")
    g = analysis.dfm(seeds_corpus, by="region")
    groups = seeds_corpus.group_column("region")
    for name in g.rows:
        members = groups[groups == name].index
        assert (g.to_frame().loc[name] == frame.loc[members].sum()).all()
    assert g.n_chars.sum() == sum(len(x.text) for x in seeds_corpus)


def test_tfidf_rows_are_unit_length(seeds_corpus):
    w = analysis.tfidf(seeds_corpus, by="region")
    assert np.allclose(np.linalg.norm(w.to_numpy(), axis=1), 1.0)


def test_bad_lexicon_is_reported(tmp_path):
    bad = tmp_path / "lex.tsv"
    bad.write_text("term\tfreq\tpos\tgloss\n动态清零\tabc\tl\tx\n", encoding="utf-8")
    with pytest.raises(ValueError, match="freq"):
        load_lexicon(bad)


def test_lexicon_change_needs_no_code_change(tmp_path):
    lex = tmp_path / "lex.tsv"
    lex.write_text("term\tfreq\tpos\tgloss\n绣花功夫\t\tl\tembroidery-like care\n", encoding="utf-8")
    assert "绣花功夫" in list(segment("下足绣花功夫。", lexicon=lex).token)
