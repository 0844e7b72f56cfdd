"""Lexicons in layers: general policy vocabulary in the package, a corpus's own terms in its folder."""
from __future__ import annotations

import re

import pytest

import analysis
from analysis.lexicon import jieba_pos_tokenizer, load_lexicon
from conftest import make_corpus, run_cli


def test_package_lexicon_entries_say_why_they_are_there_and_the_reason_is_true():
    lex = load_lexicon()
    assert (lex["reason"].str.strip() != "").all() and (lex["gloss"].str.strip() != "").all()
    tk, _ = jieba_pos_tokenizer(None)  # jieba's dictionary alone
    for term, reason in zip(lex["term"], lex["reason"]):
        cut = "/".join(tk.cut(term, HMM=False))
        claim = re.search(r"jieba's dictionary alone cuts it (\S+)$", reason)
        assert claim and claim.group(1) == cut, (term, reason, cut)


def test_the_package_lexicon_holds_no_covid_vocabulary():
    """The seeds' COVID-19 terms live in seeds/lexicon.tsv, not in the package."""
    package = set(load_lexicon()["term"])
    seeds = set(load_lexicon(analysis.config.project_root() / "seeds" / "lexicon.tsv")["term"])
    assert not package & seeds
    assert {"动态清零", "外防输入", "核酸检测", "阻击战", "南大门", "铁布衫"} <= seeds


def test_a_corpus_folder_lexicon_is_added_and_wins(tmp_path):
    text = "各地坚持提质赋能和动态清零。" * 40
    plain = analysis.load_corpus(make_corpus(tmp_path / "plain", {"a.txt": text, "b.txt": text}))
    assert plain.lexicon is None
    assert "提质赋能" not in analysis.dfm(plain).terms
    folder = make_corpus(tmp_path / "own", {"a.txt": text, "b.txt": text})
    (folder / "lexicon.tsv").write_text("term\tfreq\tpos\tgloss\treason\n提质赋能\t\tl\tupgrade\tthis corpus's slogan\n"
                                        "主体责任\t\tn\tprimary duty (here)\tthis corpus's gloss\n", encoding="utf-8")
    own = analysis.load_corpus(folder)
    assert own.lexicon[-1] == str(folder / "lexicon.tsv")
    assert "提质赋能" in analysis.dfm(own).terms
    merged = load_lexicon(own.lexicon).set_index("term")
    assert merged.loc["主体责任", "gloss"] == "primary duty (here)"  # the corpus's entry wins
    assert merged.loc["提质赋能", "source"].endswith("lexicon.tsv")
    assert "its own lexicon" in repr(own)


def test_a_bad_corpus_lexicon_is_an_error_naming_it(tmp_path):
    folder = make_corpus(tmp_path / "bad", {"a.txt": "坚持动态清零。" * 20})
    (folder / "lexicon.tsv").write_text("word\tgloss\n动态清零\tx\n", encoding="utf-8")
    with pytest.raises(analysis.CorpusError, match="lexicon.tsv.*not a usable lexicon"):
        analysis.load_corpus(folder)
    code, out, err = run_cli(["check", "--corpus", str(folder)])
    assert code == 1 and "lexicon.tsv" in out + err
