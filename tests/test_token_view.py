"""What is counted: numbers with their units, function words by part of speech, places by gazetteer."""
from __future__ import annotations

import pytest

import analysis
from analysis.lexicon import TokenOptions, filter_tokens, function_tag, is_number, is_place, places


@pytest.mark.parametrize("token", ["一九五七年", "二〇二四年", "2024", "第六个", "第一", "三个", "六十周年", "十八届",
                                   "1.5", "10.5%", "两倍", "第二次"])
def test_numbers_with_their_units_are_numbers(token):
    assert is_number(token)


@pytest.mark.parametrize("token", ["一线", "一流", "零部件", "两个确立", "一网通办", "万物", "四个意识"])
def test_numerals_followed_by_other_words_are_words(token):
    assert not is_number(token)


def test_years_and_ordinals_follow_the_numbers_option():
    pairs = [("一九五七年", "m"), ("第六个", "m"), ("二〇二四年", "m"), ("发展", "vn"), ("一线", "m")]
    assert filter_tokens(pairs) == ["发展", "一线"]
    assert filter_tokens(pairs, TokenOptions(numbers=True)) == ["一九五七年", "第六个", "二〇二四年", "发展", "一线"]


def test_function_words_go_by_their_tag_in_the_content_view():
    for tag in ["r", "c", "p", "uj", "ul", "f", "t", "d", "y", "q"]:
        assert function_tag(tag), tag
    for tag in ["n", "vn", "v", "a", "ad", "i", "l", "nz", "ns", "m", "x", "eng", "j", "b", "s"]:
        assert not function_tag(tag), tag
    pairs = [("他们", "r"), ("已经", "d"), ("期间", "f"), ("目前", "t"), ("同时", "c"), ("按照", "p"),
             ("坚决", "ad"), ("推进", "v"), ("高质量", "n"), ("坚定不移", "i"), ("特新", "d")]
    kept = filter_tokens(pairs, TokenOptions(stopwords=False, content=True))
    # 特新 is not a dictionary word: the adverb tag the HMM guessed for it is not trusted
    assert kept == ["坚决", "推进", "高质量", "坚定不移", "特新"]
    assert len(filter_tokens(pairs, TokenOptions(stopwords=False))) == len(pairs)  # content=False: every token


def test_place_names_go_whatever_their_tag():
    for name in ["合肥", "合肥市", "遵义", "攀枝花", "大冶", "恩施土家族苗族自治州", "黔东南", "北京"]:
        assert is_place(name), name
    # county names that are common words first stay words
    for word in ["资源", "合作", "公安", "东方", "发展", "中国"]:
        assert not is_place(word), word
    pairs = [("合肥", "n"), ("遵义", "v"), ("攀枝花", "i"), ("大冶", "j"), ("资源", "n"), ("王伟", "nr")]
    assert filter_tokens(pairs, TokenOptions(drop_proper=True)) == ["资源"]
    assert filter_tokens(pairs) == ["合肥", "遵义", "攀枝花", "大冶", "资源", "王伟"]
    assert all(len(p) >= 2 for p in places())


def test_compounds_of_province_abbreviations_are_places():
    from analysis.lexicon import is_place_abbreviation

    # three or more different abbreviations: a place whatever jieba's tag
    for token, tag in [("京津冀", "n"), ("港澳台", "m"), ("苏浙皖", "nr"), ("湘鄂川黔", "nz"), ("沪苏浙", "x")]:
        assert is_place_abbreviation(token, tag), token
    # two: only when jieba tags the pair as an abbreviation
    assert is_place_abbreviation("苏浙", "j") and is_place_abbreviation("川渝", "j")
    for token, tag in [("新贵", "a"), ("秦晋", "t"), ("青云", "n"),   # words made of the same characters
                       ("江淮", "j"), ("政协", "j"), ("国企", "j"),     # abbreviations of other things
                       ("京京", "j"), ("沪", "j"), ("京津冀协同", "l")]:  # a repeated or a single character; other text
        assert not is_place_abbreviation(token, tag), token
    pairs = [("京津冀", "n"), ("协同", "vn"), ("苏浙", "j"), ("新贵", "a"), ("政协", "j")]
    assert filter_tokens(pairs, TokenOptions(drop_proper=True)) == ["协同", "新贵", "政协"]
    assert filter_tokens(pairs) == ["京津冀", "协同", "苏浙", "新贵", "政协"]  # kept without drop_proper


def test_every_dictionary_word_taken_for_a_province_compound_is_one():
    """A property over jieba's whole dictionary: what the rule takes is made of distinct abbreviations only,
    and no two-character word it takes carries a tag other than j."""
    from analysis.lexicon import is_place_abbreviation, jieba_dictionary, province_abbreviations

    abbreviations = province_abbreviations()
    words, _, tags, _ = jieba_dictionary()
    taken = [(w, t) for w, t in zip(words, tags) if is_place_abbreviation(w, t)]
    assert taken and all(set(w) <= abbreviations and len(set(w)) == len(w) for w, _ in taken)
    assert all(t.startswith("j") for w, t in taken if len(w) == 2)


def test_the_word_class_file_is_checked(tmp_path, monkeypatch):
    from analysis import config, lexicon

    bad = tmp_path / "data"
    bad.mkdir()
    (bad / "pos_classes.tsv").write_text("tag\tclass\treason\nr\tmaybe\tpronouns\n", encoding="utf-8")
    monkeypatch.setattr(config, "DATA_DIR", bad)
    with pytest.raises(ValueError, match="content or function"):
        lexicon.function_tag("r")


def test_the_content_view_on_the_seeds_drops_fillers(seeds_corpus):
    every = analysis.dfm(seeds_corpus, by="region")
    content = analysis.dfm(seeds_corpus, by="region", content=True)
    assert set(content.terms) < set(every.terms)
    for filler in ["已经", "有人", "期间"]:
        assert filler not in content.terms
